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
//! rendered, with boilerplate containers and paragraphs removed. When the
//! page has a single microdata article element (`itemtype` …/Article,
//! …/BlogPosting) and the best container lies outside it, the best
//! container inside it is used instead. Within the container, datelines and
//! bylines (`<time>`, date/author `itemprop`s, byline-like classes), author
//! boxes, image captions and a repeat of the title are dropped; a leading
//! `<h1>` and trailing headings, link lists, contact notes and labels
//! ("Tags:") are trimmed from the edges. When that yields under 500
//! characters a looser pass is tried. All tree walks are loops over a
//! pre-order arena, so deep nesting cannot overflow the stack.
//!
//! # Kind
//! `LiveBlog`, `Gallery` and `Paywalled` come from JSON-LD (`@type`
//! LiveBlogPosting / ImageGallery / MediaGallery, `isAccessibleForFree:
//! false` unless the `article:content_tier` is "metered" and the text is
//! long), `article:content_tier` "locked", class/id names (live blog,
//! gallery or paywall elements, the latter two only with a thin text) and
//! the body's shape (many images, little text). `Unclear` says that no
//! block was confidently the article (see `Kind::Unclear`); callers must
//! not take such a text for the story. Otherwise the word count decides
//! between `Article`, `Short` and `Empty`. The text is the same best-effort
//! extraction whatever the kind.

mod attrs;
mod body;
mod charset;
mod clean;
mod date;
mod dom;
mod guard;
mod jsonld;
mod kind;
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

/// Rough classification of the page and of the extraction result.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// A full article (at least 50 words).
    #[default]
    Article,
    /// Some text, but fewer than 50 words.
    Short,
    /// No body text at all.
    Empty,
    /// A live blog (a stream of timestamped updates).
    LiveBlog,
    /// An image gallery or slideshow: mostly pictures, little text.
    Gallery,
    /// Content declared or marked as behind a paywall; the text may be a
    /// teaser.
    Paywalled,
    /// No block is confidently the article (no paragraph holder at all, a
    /// container named as boilerplate, or a whole page of menus and
    /// headlines): the text is a best guess that must not be taken for
    /// the story.
    Unclear,
}

/// Extracts the article from an HTML document; `url` is the page URL, used to
/// resolve relative links and as a last-resort date source.
pub fn extract(html: &str, url: Option<&Url>) -> Article {
    let doc = Html::parse_document(&guard::limit_nesting(html));
    let dom = dom::Dom::build(&doc);
    let ld = jsonld::read(&dom.raw.json_ld);
    let mut meta = metadata::resolve(&dom, &ld, url);
    let mut body = body::paragraphs(&dom, meta.title.as_deref());
    body::prefer_json_ld(&mut body, ld.body.as_deref());
    let text = body.paras.join("\n\n");
    if meta.lang.is_none() {
        meta.lang = lang::detect(&text);
    }
    let kind = kind::classify(&kind::Signals {
        ld: ld.kinds,
        metas: &dom.raw.metas,
        hints: dom.raw.hints,
        images: body.images,
        text: &text,
        confident: body.confident,
    });
    Article { kind, text, meta }
}
