//! A stored article as the topics see it: title and text, plus the fields
//! the `site:`, `feed:` and `lang:` filters test.

use super::Document;
use crate::model::Article;

impl Document {
    /// The document of a stored article.
    pub fn of_article(article: &Article) -> Document {
        let mut doc = Document::new(&article.title, &article.text);
        let host = url::Url::parse(&article.url)
            .ok()
            .and_then(|u| u.host_str().map(str::to_string));
        if let Some(host) = host {
            doc = doc.with_site(&host);
        }
        doc = doc.with_feed(article.feed_name.as_deref().unwrap_or(&article.feed));
        if let Some(lang) = &article.lang {
            doc = doc.with_lang(lang);
        }
        doc
    }
}
