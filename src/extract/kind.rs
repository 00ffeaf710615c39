//! Page kind: whether the page is a live blog, an image gallery or behind a
//! paywall, from explicit declarations (JSON-LD types and
//! `isAccessibleForFree`, `article:content_tier`), class/id names, and the
//! shape of the extracted body; `Unclear` when no block was confidently the
//! article; otherwise article / short / empty by length.

use crate::extract::Kind;
use crate::extract::attrs::{HINT_GALLERY, HINT_LIVE, HINT_PAYWALL};
use crate::extract::jsonld::LdKinds;

/// Word count under which a text is `Kind::Short`.
const SHORT_WORDS: usize = 50;
/// Below this many words a page with a gallery element is the gallery's
/// captions rather than a story, and a metered page was cut short.
const TRUNCATED_WORDS: usize = 150;
/// A container with at least this many images is gallery-shaped when the
/// text is thin.
const GALLERY_IMAGES: u32 = 5;
/// Images a container with a gallery class name needs to count as one.
const NAMED_GALLERY_IMAGES: u32 = 3;
/// Characters of text per image under which a container is mostly
/// pictures (characters, not words, so that CJK text is measured fairly).
const CHARS_PER_IMAGE: usize = 120;

/// Everything the classification looks at.
pub struct Signals<'a> {
    /// Declarations found in the page's JSON-LD.
    pub ld: LdKinds,
    /// `(key, content)` of the page's `<meta>` tags.
    pub metas: &'a [(&'a str, &'a str)],
    /// `attrs::HINT_*` bits seen on content elements.
    pub hints: u8,
    /// Images in the chosen body containers.
    pub images: u32,
    /// The extracted body text.
    pub text: &'a str,
    /// Some block was confidently the article.
    pub confident: bool,
}

/// Classifies the page; declarations beat names, names beat shape.
pub fn classify(s: &Signals) -> Kind {
    let words = word_count(s.text, TRUNCATED_WORDS);
    if s.ld.live || s.hints & HINT_LIVE != 0 {
        Kind::LiveBlog
    } else if !s.confident && words > 0 {
        Kind::Unclear
    } else if is_gallery(s, words) {
        Kind::Gallery
    } else if is_paywalled(s, words) {
        Kind::Paywalled
    } else if words == 0 {
        Kind::Empty
    } else if words < SHORT_WORDS {
        Kind::Short
    } else {
        Kind::Article
    }
}

/// Declared a gallery, mostly pictures, or a gallery element with only
/// caption-length text (`words` counted up to `TRUNCATED_WORDS`).
fn is_gallery(s: &Signals, words: usize) -> bool {
    let limit = CHARS_PER_IMAGE * s.images as usize;
    let picture_heavy =
        s.images >= GALLERY_IMAGES && s.text.chars().take(limit + 1).count() <= limit;
    let named =
        s.hints & HINT_GALLERY != 0 && s.images >= NAMED_GALLERY_IMAGES && words < TRUNCATED_WORDS;
    s.ld.gallery || picture_heavy || named
}

/// Declared not free (JSON-LD or a "locked" tier), or a paywall element
/// over a teaser-length text.
fn is_paywalled(s: &Signals, words: usize) -> bool {
    // A metered page declares itself not free but serves the full text;
    // only a thin text there means the paywall took effect. A paywall
    // element alone is common on free pages, so it needs a teaser too.
    let tier = tier(s.metas);
    let declared = s.ld.paywalled && (tier != Some("metered") || words < TRUNCATED_WORDS);
    let named = s.hints & HINT_PAYWALL != 0 && words < SHORT_WORDS;
    declared || tier == Some("locked") || named
}

/// `<meta property="article:content_tier">`: "free", "metered" or
/// "locked" (other values are ignored).
fn tier(metas: &[(&str, &str)]) -> Option<&'static str> {
    let (_, v) = metas
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("article:content_tier"))?;
    ["free", "metered", "locked"]
        .into_iter()
        .find(|t| v.trim().eq_ignore_ascii_case(t))
}

/// Words in `text`, counting up to `cap`: whitespace-separated tokens, plus
/// one per Han or kana character, since Chinese and Japanese do not put
/// spaces between words.
fn word_count(text: &str, cap: usize) -> usize {
    let mut n = 0;
    for token in text.split_whitespace() {
        let cjk = token.chars().filter(|&c| is_cjk(c)).count();
        // A token made only of CJK characters counts as those characters.
        n += cjk.max(1);
        if n >= cap {
            return cap;
        }
    }
    n
}

/// Han ideographs and Japanese kana.
fn is_cjk(c: char) -> bool {
    matches!(c, '\u{3040}'..='\u{30ff}' | '\u{3400}'..='\u{4dbf}' | '\u{4e00}'..='\u{9fff}')
}
