//! Vocabulary: classification of element names into the categories the
//! extractor distinguishes (blocks, skipped elements, boilerplate containers).

/// The tag categories the extractor distinguishes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tag {
    /// A text node.
    Text,
    /// `<p>`.
    P,
    /// `<div>`.
    Div,
    /// `<h1>`..`<h6>` with their level.
    Heading(u8),
    /// `<li>`, `<dt>`, `<dd>`.
    Li,
    /// `<ul>`, `<ol>`, `<dl>`.
    List,
    /// `<td>`, `<th>`.
    Cell,
    /// `<tr>`.
    Row,
    /// `<table>`.
    Table,
    /// `<pre>`, `<blockquote>`.
    Pre,
    /// `<article>`, `<main>`.
    Article,
    /// `<section>`.
    Section,
    /// `<body>`.
    Body,
    /// `<html>`.
    Html,
    /// Other block-level elements.
    Block,
    /// `<br>`.
    Br,
    /// `<a>`.
    A,
    /// `<em>`, `<i>`, `<small>`: emphasised or de-emphasised inline text.
    Emph,
    /// `<img>`, `<picture>`.
    Img,
    /// `<input>`, `<select>`, `<textarea>`.
    Input,
    /// `<object>`, `<embed>`, `<video>`, `<audio>`.
    Embed,
    /// `<meta>`.
    Meta,
    /// `<link>`.
    Link,
    /// `<title>`.
    Title,
    /// `<script>`.
    Script,
    /// `<time>`.
    Time,
    /// Elements that never carry article text (style, svg, nav, button…).
    Skip,
    /// Structural boilerplate containers (nav, aside, footer, header).
    Boiler,
    /// Any other (inline) element.
    Other,
}

impl Tag {
    /// Whether the element breaks the text flow into a new paragraph.
    pub fn is_block(self) -> bool {
        !matches!(
            self,
            Tag::Text
                | Tag::Br
                | Tag::A
                | Tag::Emph
                | Tag::Img
                | Tag::Input
                | Tag::Embed
                | Tag::Other
        ) && !matches!(
            self,
            Tag::Meta | Tag::Link | Tag::Title | Tag::Script | Tag::Time
        )
    }

    /// Elements whose subtree is never visited.
    pub fn is_skip(self) -> bool {
        matches!(
            self,
            Tag::Skip | Tag::Script | Tag::Title | Tag::Meta | Tag::Link
        )
    }

    /// Structural boilerplate (nav, footer…): junk wherever it appears.
    pub fn is_boilerplate(self) -> bool {
        self == Tag::Boiler
    }

    /// Elements that class names must not disqualify.
    pub fn never_junk(self) -> bool {
        matches!(self, Tag::Body | Tag::Html | Tag::Article | Tag::A)
    }
}

/// Maps a lowercase local name to its category.
pub fn classify(name: &str) -> Tag {
    match name {
        "p" => Tag::P,
        "div" => Tag::Div,
        "h1" => Tag::Heading(1),
        "h2" => Tag::Heading(2),
        "h3" => Tag::Heading(3),
        "h4" => Tag::Heading(4),
        "h5" => Tag::Heading(5),
        "h6" => Tag::Heading(6),
        "li" | "dt" | "dd" => Tag::Li,
        "ul" | "ol" | "dl" => Tag::List,
        "td" | "th" => Tag::Cell,
        "tr" => Tag::Row,
        "table" => Tag::Table,
        "pre" | "blockquote" => Tag::Pre,
        "article" | "main" => Tag::Article,
        "section" => Tag::Section,
        "body" => Tag::Body,
        "html" => Tag::Html,
        "br" => Tag::Br,
        "a" => Tag::A,
        "em" | "i" | "small" => Tag::Emph,
        "img" | "picture" => Tag::Img,
        "input" | "select" | "textarea" => Tag::Input,
        "object" | "embed" | "video" | "audio" => Tag::Embed,
        "meta" => Tag::Meta,
        "link" => Tag::Link,
        "title" => Tag::Title,
        "script" => Tag::Script,
        "time" => Tag::Time,
        "nav" | "aside" | "footer" | "header" | "menu" | "head" => Tag::Boiler,
        "style" | "noscript" | "template" | "svg" | "math" | "iframe" | "button" | "figcaption"
        | "canvas" | "dialog" | "label" | "option" => Tag::Skip,
        "address" | "center" | "details" | "summary" | "figure" | "fieldset" | "hr" | "tbody"
        | "thead" | "tfoot" | "caption" | "hgroup" | "frameset" | "noframes" | "form" => Tag::Block,
        _ if name.contains('-') => custom(name),
        _ => Tag::Other,
    }
}

/// Custom elements (web components, AMP, framework wrappers: the name has a
/// hyphen) lay out content, so they are blocks judged by what they hold like
/// a `<div>`; the few standard AMP media elements keep their media role.
/// Inside running text one is an inline wrapper instead (see `inline`).
fn custom(name: &str) -> Tag {
    match name {
        "amp-img" | "amp-anim" => Tag::Img,
        "amp-video" | "amp-audio" | "amp-iframe" | "amp-youtube" => Tag::Embed,
        "amp-ad" | "amp-embed" | "amp-sticky-ad" | "amp-analytics" | "amp-pixel" => Tag::Skip,
        _ => Tag::Div,
    }
}

/// The category of an element met inside running text: a custom element
/// there (a citation or tooltip wrapper within a sentence) is inline, like
/// a `<span>`, rather than a block that would split the sentence.
pub fn inline(tag: Tag, name: &str) -> Tag {
    if tag == Tag::Div && name.contains('-') {
        Tag::Other
    } else {
        tag
    }
}
