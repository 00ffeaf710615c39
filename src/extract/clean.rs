//! Cleaning inside the chosen container: Readability's "clean conditionally"
//! test for sub-containers and the boilerplate test for single paragraphs.

use crate::extract::dom::Dom;
use crate::extract::names::Tag;
use crate::extract::score::Stats;

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

/// Whether a finished paragraph is boilerplate (promo, legal line, link row).
pub fn drop_paragraph(text: &str, chars: u32, link_chars: u32) -> bool {
    let words = text.split_whitespace().count();
    let ld = if chars == 0 {
        0.0
    } else {
        link_chars as f32 / chars as f32
    };
    if ld >= 0.8 || (ld > 0.5 && words < 15) {
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
