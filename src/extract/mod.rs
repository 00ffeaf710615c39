//! Article extraction: the text of the page's paragraphs (a first, simple extractor).
use scraper::{Html, Selector};
pub fn decode_html(bytes: &[u8], _ct: Option<&str>) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct Article {
    pub title: Option<String>,
    pub text: String,
    pub byline: Option<String>,
    pub published: Option<String>,
    pub modified: Option<String>,
    pub lang: Option<String>,
    pub site_name: Option<String>,
    pub canonical_url: Option<String>,
    pub description: Option<String>,
    pub image: Option<String>,
}
pub fn extract(html: &str, _url: Option<&url::Url>) -> Article {
    let doc = Html::parse_document(html);
    let p = Selector::parse("p").unwrap();
    let t = Selector::parse("title").unwrap();
    let text = doc
        .select(&p)
        .map(|e| e.text().collect::<String>())
        .collect::<Vec<_>>()
        .join("\n\n");
    Article {
        title: doc.select(&t).next().map(|e| e.text().collect()),
        text,
        ..Default::default()
    }
}
