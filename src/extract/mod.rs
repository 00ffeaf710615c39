//! Article extraction: decodes page bytes, finds the main article text of an
//! HTML page (Readability-style scoring on a flattened tree, one parse per
//! page) and reads its metadata.
//!
//! # Sources, in order of preference
//! - **title**: `og:title`, JSON-LD `headline`, first `<h1>`, `<title>`,
//!   `twitter:title`; a " | Site" / " - Site" suffix (or "Site | " prefix) is
//!   stripped.
//! - **byline**: JSON-LD `author`, `<meta name=author>`, `article:author`
//!   (when not a URL), `itemprop=author` / `rel=author` / byline-classed element.
//! - **published**: JSON-LD `datePublished`, `article:published_time` and
//!   similar meta tags, `itemprop=datePublished`, first `<time datetime>`, a
//!   date in the URL path (`/2019/10/24/`, `2019-10-24`).
//! - **modified**: JSON-LD `dateModified`, `article:modified_time`,
//!   `og:updated_time`, `itemprop=dateModified`.
//! - **lang**: `<html lang>`, `content-language`; primary subtag, lowercase;
//!   else detected from the body text (whatlang), as an ISO 639-1 code.
//! - **site_name**: `og:site_name`, JSON-LD `publisher.name`.
//! - **canonical_url**: `<link rel=canonical>`, resolved against the page URL.
//! - **description**: `og:description`, `<meta name=description>`.
//! - **image**: `og:image`, JSON-LD `image`, resolved against the page URL.
//!
//! Dates are normalised to RFC 3339; no offset means UTC.
//!
//! # Body
//! Paragraph-like blocks score their ancestors (text length, commas, class
//! names, link density); the best container plus matching siblings is
//! rendered, with boilerplate containers and paragraphs removed. When that
//! yields under 500 characters a looser pass is tried. All tree walks are
//! loops over a pre-order arena, so deep nesting cannot overflow the stack.

mod attrs;
mod body;
mod charset;
mod clean;
mod date;
mod dom;
mod guard;
mod jsonld;
mod lang;
mod metadata;
mod names;
mod score;
#[cfg(test)]
mod tests;
mod text;

use scraper::Html;
use url::Url;

pub use charset::decode_html;
pub use metadata::Meta;

/// The extracted article and its metadata.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct Article {
    /// Title, byline, dates, language and the other page metadata.
    #[serde(flatten)]
    pub meta: Meta,
    /// Body text, paragraphs separated by "\n\n".
    pub text: String,
    /// How much article text was found.
    pub kind: Kind,
}

/// Rough classification of the extraction result.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// A full article (at least `SHORT_WORDS` words).
    #[default]
    Article,
    /// Some text, but fewer than `SHORT_WORDS` words.
    Short,
    /// No body text at all.
    Empty,
}

/// Word count under which a text is `Kind::Short`.
const SHORT_WORDS: usize = 50;

/// Extracts the article from an HTML document; `url` is the page URL, used to
/// resolve relative links and as a last-resort date source.
pub fn extract(html: &str, url: Option<&Url>) -> Article {
    let doc = Html::parse_document(&guard::limit_nesting(html));
    let dom = dom::Dom::build(&doc);
    let ld = jsonld::read(&dom.raw.json_ld);
    let mut meta = metadata::resolve(&dom, &ld, url);
    let paras = body::paragraphs(&dom, meta.title.as_deref());
    let text = body::prefer_json_ld(paras, ld.body.as_deref()).join("\n\n");
    if meta.lang.is_none() {
        meta.lang = lang::detect(&text);
    }
    Article {
        kind: kind_of(&text),
        text,
        meta,
    }
}

/// Empty / Short / Article by word count.
fn kind_of(text: &str) -> Kind {
    match word_count(text, SHORT_WORDS) {
        0 => Kind::Empty,
        n if n < SHORT_WORDS => Kind::Short,
        _ => Kind::Article,
    }
}

/// Words in `text`, counting up to `cap`. Chinese and Japanese are written
/// without spaces, so there every two ideographs or kana count as a word
/// (about the average word length in both).
fn word_count(text: &str, cap: usize) -> usize {
    let mut words = 0;
    for token in text.split_whitespace() {
        let unspaced = token.chars().filter(|&c| is_unspaced_script(c)).count();
        words += if unspaced > 0 {
            unspaced.div_ceil(2)
        } else {
            1
        };
        if words >= cap {
            break;
        }
    }
    words
}

/// Han ideographs, hiragana and katakana.
fn is_unspaced_script(c: char) -> bool {
    matches!(c, '\u{3040}'..='\u{30FF}' | '\u{3400}'..='\u{4DBF}' | '\u{4E00}'..='\u{9FFF}' | '\u{F900}'..='\u{FAFF}')
}
