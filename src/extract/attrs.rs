//! Attribute reading: the class/id/role/style signals of one element, from
//! the general Readability-style word lists (plus a few common modern ones
//! such as "newsletter", "cookie", bylines, author boxes and page-kind hints
//! like "paywall" or "liveblog"); nothing here is keyed to one site. Class
//! strings already seen on the page are looked up in a small cache instead
//! of being scanned again.

use std::sync::OnceLock;

use scraper::node::Element;

use words::*;

mod words;

/// `Attrs::hints` bit: a paywall element.
pub const HINT_PAYWALL: u8 = 1;
/// `Attrs::hints` bit: a live-blog element.
pub const HINT_LIVE: u8 = 2;
/// `Attrs::hints` bit: a gallery element.
pub const HINT_GALLERY: u8 = 4;
/// ARIA roles of non-content regions.
const JUNK_ROLES: &[&str] = &[
    "menu",
    "menubar",
    "complementary",
    "navigation",
    "alert",
    "alertdialog",
    "dialog",
    "banner",
    "contentinfo",
    "search",
];

/// What the extractor needs from an element's attributes, read in one pass.
#[derive(Default)]
pub struct Attrs<'a> {
    /// Readability class weight (-50..=50).
    pub weight: i16,
    /// Class/id/role say "not content".
    pub unlikely: bool,
    /// hidden / aria-hidden / display:none.
    pub hidden: bool,
    /// Has a non-empty href.
    pub has_href: bool,
    /// `itemprop`, if any.
    pub itemprop: Option<&'a str>,
    /// Class/id/rel mark an author byline.
    pub byline: bool,
    /// Class/id/itemprop name the article body.
    pub body_marker: bool,
    /// Class/id name a comment section (junk even in the lenient pass).
    pub comments: bool,
    /// Class/id/itemprop mark a dateline or byline.
    pub meta: bool,
    /// Class/id name an author box.
    pub author_box: bool,
    /// `HINT_*` bits: class/id name a paywall, live blog or gallery.
    pub hints: u8,
    /// Microdata `itemtype` is a schema.org article type.
    pub article_item: bool,
}

impl<'a> Attrs<'a> {
    /// Reads the attributes of `el` once; `cache` remembers the scans of
    /// class strings already seen on the page.
    pub fn read(el: &'a Element, cache: &mut ClassCache<'a>) -> Attrs<'a> {
        let mut a = Attrs::default();
        let (mut class, mut id) = ("", "");
        for (k, v) in el.attrs() {
            match k {
                "class" => class = v,
                "id" => id = v,
                // A `javascript:` link goes nowhere: its text is what the
                // reader sees (as Readability does), not a link to elsewhere.
                "href" => a.has_href = !v.is_empty() && !is_script_url(v),
                "itemprop" => {
                    a.itemprop = Some(v);
                    a.body_marker |= v.eq_ignore_ascii_case("articleBody");
                    a.meta |= META_PROPS.iter().any(|p| v.eq_ignore_ascii_case(p));
                }
                "hidden" => a.hidden = true,
                "aria-hidden" => a.hidden |= v.eq_ignore_ascii_case("true"),
                "style" => a.hidden |= is_hidden_style(v),
                "role" => a.unlikely |= JUNK_ROLES.iter().any(|r| v.eq_ignore_ascii_case(r)),
                "rel" => a.byline |= v.eq_ignore_ascii_case("author"),
                "itemtype" => a.article_item = is_article_type(v),
                _ => {}
            }
        }
        // A custom element's name says what it is as a class name would
        // (`<consent-banner>`, `<story-body>`), so it is read like one.
        let name = el.name();
        let named = name.contains('-');
        if !class.is_empty() || !id.is_empty() || named {
            let (mut c, hidden) = cache.scan(class);
            if named {
                c |= cache.scan(name).0;
            }
            a.classify(c, scan(id));
            a.hidden |= hidden;
        }
        a
    }

    /// Applies the class/id word lists to the scan bits of class and id.
    fn classify(&mut self, c: u16, i: u16) {
        self.weight = weight_of(c) + weight_of(i);
        let all = c | i;
        self.unlikely |= all & UNL != 0 && all & MAYBE_F == 0;
        self.byline |= all & BYLINE != 0;
        self.body_marker |= all & MARKER != 0;
        self.comments |= all & COMMENTS != 0 && all & COMMENTARY == 0;
        self.meta |= all & META != 0;
        self.author_box |= all & AUTHOR != 0;
        for (bit, hint) in [
            (PAYWALL_F, HINT_PAYWALL),
            (LIVE_F, HINT_LIVE),
            (GALLERY_F, HINT_GALLERY),
        ] {
            if all & bit != 0 {
                self.hints |= hint;
            }
        }
    }
}

/// Pattern-list bits reported by `scan`.
const UNL: u16 = 1;
const MAYBE_F: u16 = 2;
const NEG: u16 = 4;
const POS: u16 = 8;
const BYLINE: u16 = 16;
const MARKER: u16 = 32;
const COMMENTS: u16 = 64;
const COMMENTARY: u16 = 128;
const META: u16 = 256;
const AUTHOR: u16 = 512;
const PAYWALL_F: u16 = 1024;
const LIVE_F: u16 = 2048;
const GALLERY_F: u16 = 4096;

/// Scan results of class strings, by content: pages repeat the same class
/// strings on many elements, and a look-up is far cheaper than a scan.
/// Direct-mapped, so its size and cost stay fixed.
pub struct ClassCache<'a> {
    slots: Vec<(&'a str, u16, bool)>,
}

/// Number of `ClassCache` slots (a power of two).
const CACHE_SLOTS: usize = 512;

impl Default for ClassCache<'_> {
    fn default() -> Self {
        ClassCache {
            slots: vec![("", 0, false); CACHE_SLOTS],
        }
    }
}

impl<'a> ClassCache<'a> {
    /// Pattern bits of `class` and whether it hides the element.
    fn scan(&mut self, class: &'a str) -> (u16, bool) {
        if class.is_empty() {
            return (0, false);
        }
        let slot = &mut self.slots[slot_of(class)];
        if slot.0 != class {
            *slot = (class, scan(class), hidden_class(class));
        }
        (slot.1, slot.2)
    }
}

/// Cache slot of a class string (FNV-1a: cheap, and good enough to spread
/// the class strings of a page).
fn slot_of(class: &str) -> usize {
    let hash = class.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    });
    hash as usize & (CACHE_SLOTS - 1)
}

/// Patterns sharing their first two bytes, with their list bit.
type Bucket = Vec<(&'static [u8], u16)>;

/// Bucket of each byte in the two-byte pattern index: a-z (either case),
/// '-', other.
const SLOT: [u8; 256] = {
    let mut t = [27u8; 256];
    let mut c = 0;
    while c < 26 {
        t[(b'a' + c) as usize] = c;
        t[(b'A' + c) as usize] = c;
        c += 1;
    }
    t[b'-' as usize] = 26;
    t
};

/// All patterns bucketed by their first two bytes, so a scan is one pass.
struct Table {
    /// Bit `j` of `pairs[i]`: some pattern starts with slots `i`, `j`.
    pairs: [u32; 28],
    /// Patterns per `(first slot * 28 + second slot)`.
    buckets: Vec<Bucket>,
}

/// The pattern table, built once.
fn table() -> &'static Table {
    static TABLE: OnceLock<Table> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut t = Table {
            pairs: [0; 28],
            buckets: vec![Vec::new(); 28 * 28],
        };
        let lists: [(&[&'static str], u16); 13] = [
            (UNLIKELY, UNL),
            (MAYBE, MAYBE_F),
            (NEGATIVE, NEG),
            (POSITIVE, POS),
            (&["byline", "author"], BYLINE),
            (BODY_MARKERS, MARKER),
            (&["comment", "disqus"], COMMENTS),
            (&["commentary"], COMMENTARY),
            (META_LINE, META),
            (AUTHOR_BOX, AUTHOR),
            (PAYWALL, PAYWALL_F),
            (LIVE, LIVE_F),
            (GALLERY, GALLERY_F),
        ];
        for (list, bit) in lists {
            for p in list {
                let b = p.as_bytes();
                let (i, j) = (SLOT[b[0] as usize], SLOT[b[1] as usize]);
                t.pairs[usize::from(i)] |= 1 << j;
                t.buckets[usize::from(i) * 28 + usize::from(j)].push((b, bit));
            }
        }
        t
    })
}

/// Bits of every pattern occurring in `s` (ASCII case-insensitive).
fn scan(s: &str) -> u16 {
    // Lowercase once (on the stack for usual lengths) so that pattern
    // checks are plain byte comparisons.
    let mut stack = [0u8; 256];
    let mut heap = Vec::new();
    let b: &[u8] = if s.len() <= stack.len() {
        let buf = &mut stack[..s.len()];
        buf.copy_from_slice(s.as_bytes());
        buf.make_ascii_lowercase();
        buf
    } else {
        heap.extend_from_slice(s.as_bytes());
        heap.make_ascii_lowercase();
        &heap
    };
    let t = table();
    let mut bits = 0;
    for i in 0..b.len().saturating_sub(1) {
        let first = usize::from(SLOT[b[i] as usize]);
        let second = SLOT[b[i + 1] as usize];
        // Most byte pairs start no pattern: one bit test skips them.
        if t.pairs[first] >> second & 1 == 0 {
            continue;
        }
        for (p, bit) in &t.buckets[first * 28 + usize::from(second)] {
            if b[i..].starts_with(p) {
                bits |= bit;
            }
        }
    }
    bits
}

/// ±25 for a single class or id string.
fn weight_of(bits: u16) -> i16 {
    let mut w = 0;
    if bits & NEG != 0 {
        w -= 25;
    }
    if bits & POS != 0 {
        w += 25;
    }
    w
}

/// Utility classes that hide an element on screen: `hidden`, `is-hidden`,
/// and Bootstrap's `d-none` unless a breakpoint class shows it again on
/// larger screens (`d-none d-md-block`); `d-none d-print-block` is
/// print-only and stays hidden.
fn hidden_class(class: &str) -> bool {
    let mut hidden = false;
    for token in class.split_ascii_whitespace() {
        match token {
            "hidden" | "is-hidden" | "d-none" => hidden = true,
            t if ["d-sm-", "d-md-", "d-lg-", "d-xl-", "d-xxl-"]
                .iter()
                .any(|p| t.starts_with(p)) =>
            {
                return false;
            }
            _ => {}
        }
    }
    hidden
}

/// Whether a microdata `itemtype` URL names an article type (Article,
/// NewsArticle, BlogPosting, Report…).
fn is_article_type(t: &str) -> bool {
    let t = t.trim().trim_end_matches('/');
    ["Article", "BlogPosting", "Report"]
        .iter()
        .any(|k| t.ends_with(k))
}

/// Whether an href is a `javascript:` URL.
fn is_script_url(href: &str) -> bool {
    let h = href.trim_start().as_bytes();
    h.len() >= 11 && h[..11].eq_ignore_ascii_case(b"javascript:")
}

/// Inline styles that hide the element.
fn is_hidden_style(style: &str) -> bool {
    let s = style.as_bytes();
    let has = |needle: &str| {
        s.windows(needle.len())
            .any(|w| w.eq_ignore_ascii_case(needle.as_bytes()))
    };
    (has("display:none") || has("display: none") || has("visibility:hidden"))
        && !has("display:block")
}
