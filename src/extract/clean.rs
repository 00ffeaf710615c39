//! Cleaning inside the chosen container: Readability's "clean conditionally"
//! test for sub-containers, the boilerplate test for single paragraphs
//! (promos, datelines, captions), and the trimming of non-story lines at
//! the edges of the result.

use crate::extract::dom::{Dom, SELF_COMMENTS};
use crate::extract::names::Tag;
use crate::extract::score::Stats;
use crate::extract::text::Para;

/// Whether the container `i` (inside the article) should be dropped whole.
///
/// Mirrors Readability's `_cleanConditionally`: containers with a negative
/// weight, many links, many images/inputs relative to paragraphs, or almost
/// no text are removed, unless they are comma-rich prose.
pub fn drop_container(dom: &Dom, st: &[Stats], score: &[f32], i: u32) -> bool {
    let n = &dom.nodes[i as usize];
    let is_list = n.tag == Tag::List;
    if !matches!(
        n.tag,
        Tag::Div | Tag::Section | Tag::List | Tag::Table | Tag::Block | Tag::Article
    ) {
        return false;
    }
    let s = &st[i as usize];
    let weight = f32::from(n.weight);
    let content = if score[i as usize].is_nan() {
        0.0
    } else {
        score[i as usize]
    };
    if weight + content < 0.0 {
        return true;
    }
    if s.commas >= 10 {
        return false;
    }
    let p = s.p as f32;
    let img = s.img as f32;
    let ld = s.link_density();
    let heading_density = if s.chars == 0 {
        0.0
    } else {
        s.heading as f32 / s.chars as f32
    };
    (img > 1.0 && p / img < 0.5)
        || (!is_list && s.li as f32 - 100.0 > p)
        || (s.input as f32 > (p / 3.0).floor())
        || (!is_list && heading_density < 0.9 && s.chars < 25 && (s.img == 0 || s.img > 2))
        || (!is_list && weight < 25.0 && ld > 0.2)
        || (weight >= 25.0 && ld > 0.5)
        || ((s.embed == 1 && s.chars < 75) || s.embed > 1)
}

/// Openings of short paragraphs that are promos, ads or legal lines.
const BOILER_PREFIXES: &[&str] = &[
    "read more",
    "read also",
    "also read",
    "read next",
    "related:",
    "related articles",
    "related stories",
    "see also",
    "more:",
    "advertisement",
    "- advertisement",
    "sponsored",
    "sign up",
    "subscribe",
    "follow us",
    "share this",
    "share on",
    "click here",
    "copyright",
    "©",
    "(c) ",
    "photo:",
    "image:",
    "credit:",
    "getty images",
    "recommended",
    "watch:",
    "listen:",
    "continue reading",
    "download the",
    "get the",
    "join our",
];

/// Phrases that mark a short paragraph as boilerplate wherever they appear.
const BOILER_ANYWHERE: &[&str] = &[
    "all rights reserved",
    "newsletter",
    "cookie",
    "sign up for",
    "subscribe to",
];

/// Whether a finished paragraph is boilerplate (promo, legal line, link row,
/// dateline, image caption).
pub fn drop_paragraph(para: &Para) -> bool {
    let text = para.text.as_str();
    let words = para.words();
    let ld = para.share(para.link);
    if ld >= 0.8 || (ld > 0.5 && words < 15) {
        return true;
    }
    if is_teaser(para) {
        return true;
    }
    // Mostly a date or author name: the line about the article.
    if words <= 30 && para.share(para.meta) >= 0.5 {
        return true;
    }
    // Short italic/small text right under an image is its caption.
    if para.after_img
        && words <= 40
        && para.share(para.emph) >= 0.8
        && (words <= 15 || !ends_sentence(text))
    {
        return true;
    }
    if words > 25 {
        return false;
    }
    let head: String = text.chars().take(40).flat_map(char::to_lowercase).collect();
    if BOILER_PREFIXES.iter().any(|p| head.starts_with(p)) {
        return true;
    }
    if words > 15 {
        return false;
    }
    let lower = text.to_lowercase();
    BOILER_ANYWHERE.iter().any(|p| lower.contains(p))
}

/// Removes non-story paragraphs from the edges of the text: the headline
/// (`<h1>`) at the start; at the end, a closing heading with nothing under
/// it, a list of links, an italic contact note, a stray label. Stops at the
/// first paragraph that reads like the story.
pub fn trim_edges(paras: &mut Vec<Para>) {
    // The headline opening the container is the title, not body text.
    let lead = paras.iter().take_while(|p| p.h1).count();
    if lead < paras.len() {
        paras.drain(..lead);
    }
    while paras.len() > 1 && paras.last().is_some_and(trailing_boiler) {
        paras.pop();
    }
}

/// Whether `p`, as the last paragraph, is boilerplate.
fn trailing_boiler(p: &Para) -> bool {
    let words = p.words();
    // Italic notes at the end are often part of the story (corrections,
    // credits); only those giving an address or handle are contact lines.
    let contact_note = words <= 60 && p.share(p.emph) >= 0.9 && p.text.contains('@');
    p.heading
        || (p.list && p.share(p.link) >= 0.3)
        || contact_note
        // A stray word or two; a closing line with figures (a phone number,
        // a date) is the story's own contact or reference line.
        || (words <= 3 && !ends_sentence(&p.text) && !p.text.contains(|c: char| c.is_ascii_digit()))
        || (words <= 6 && is_label(&p.text, words))
}

/// Whether `t` (of `words` words) introduces something that follows
/// ("Tags:", "You may also like…"). A single word trailing off ("All…") is
/// the cut end of a teaser instead.
fn is_label(t: &str, words: usize) -> bool {
    let t = t.trim_end();
    t.ends_with([':', '：']) || (words > 1 && (t.ends_with('…') || t.ends_with("...")))
}

/// A teaser of another story: a list item that trails off into the first
/// words of a text, or a paragraph that opens with the story's headline as
/// a link, set off by a dash, colon or bar, and trails off (or is a list
/// item of such headlines).
fn is_teaser(para: &Para) -> bool {
    if para.list && is_trailing_off(&para.text) {
        return true;
    }
    if para.lead_link == 0 || !(para.list || is_trailing_off(&para.text)) {
        return false;
    }
    let after = para.text.get(para.lead_end..).unwrap_or_default();
    after.starts_with('\n')
        || after
            .trim_start()
            .starts_with(['-', '–', '—', ':', '|', '·', '•'])
}

/// Whether `t` ends in an ellipsis: a text cut short.
fn is_trailing_off(t: &str) -> bool {
    let t = t.trim_end();
    t.ends_with('…') || t.ends_with("...")
}

/// Whether `t` ends with sentence punctuation.
pub fn ends_sentence(t: &str) -> bool {
    t.trim_end()
        .ends_with(['.', '!', '?', '。', '…', '"', '”', '！', '？'])
}

/// Titles of a comment section, compared with a heading's letters
/// (lowercase, digits and punctuation dropped): the whole title…
const COMMENT_TITLES: &[&str] = &[
    "comments",
    "reader comments",
    "readers comments",
    "user comments",
    "your comments",
    "leave a reply",
    "leave a comment",
    "post a comment",
    "add a comment",
    "add your comment",
    "join the discussion",
    "trackbacks",
    "trackback pings",
    "pingbacks",
    "kommentare",
    "commentaires",
    "comentarios",
    "commenti",
    "reacties",
    "komentarze",
    "комментарии",
    "评论",
    "コメント",
    "yorumlar",
];
/// …or its opening, before the post's title ("12 Responses to “…”").
const COMMENT_OPENINGS: &[&str] = &[
    "responses to ",
    "replies to ",
    "thoughts on ",
    "comments to ",
    "comments on this",
    "comments for this",
];

/// Whether heading `i` opens a comment section, by its class/id or its
/// text.
pub fn comments_heading(dom: &Dom, i: u32) -> bool {
    if dom.nodes[i as usize].flags & SELF_COMMENTS != 0 {
        return true;
    }
    let key = heading_key(dom, i);
    COMMENT_TITLES.contains(&key.as_str()) || COMMENT_OPENINGS.iter().any(|p| key.starts_with(p))
}

/// The heading's text, lowercase, letters only with single spaces (at most
/// 80 characters are looked at: a comment title is short).
fn heading_key(dom: &Dom, i: u32) -> String {
    let end = dom.nodes[i as usize].end as usize;
    let mut key = String::new();
    let mut space = false;
    let texts = dom.nodes[i as usize + 1..end].iter().map(|n| n.text);
    for c in texts.flat_map(str::chars).take(80) {
        if c.is_alphabetic() {
            if space && !key.is_empty() {
                key.push(' ');
            }
            space = false;
            key.extend(c.to_lowercase());
        } else if c.is_whitespace() || c.is_ascii_digit() {
            space = true;
        }
    }
    key
}
