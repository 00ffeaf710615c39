//! Attribute reading: the class/id/role/style signals of one element, from
//! the general Readability-style word lists (plus a few common modern ones
//! such as "newsletter" or "cookie"); nothing here is keyed to one site.

use std::sync::OnceLock;

use scraper::node::Element;

/// Class/id fragments that make an element an unlikely content container.
const UNLIKELY: &[&str] = &[
    "-ad-",
    "ad-break",
    "agegate",
    "banner",
    "breadcrumb",
    "combx",
    "comment",
    "community",
    "cookie",
    "consent",
    "cover-wrap",
    "disqus",
    "extra",
    "footer",
    "gdpr",
    "header",
    "legends",
    "menu",
    "related",
    "remark",
    "replies",
    "rss",
    "shoutbox",
    "sidebar",
    "skyscraper",
    "social",
    "sponsor",
    "supplemental",
    "pagination",
    "pager",
    "popup",
    "modal",
    "newsletter",
    "subscribe",
    "share",
    "sharing",
    "promo",
    "caption",
    "credit",
    "most-read",
    "mostread",
    "trending",
    "recommend",
    "teaser",
    "signup",
    "sign-up",
    "author-bio",
    "authorbio",
    "tags",
    "toolbar",
    "outbrain",
    "taboola",
    "byline",
    "dateline",
    "print-only",
    "sr-only",
    "visually-hidden",
    "screen-reader",
    "skip-link",
];
/// Fragments that rescue an element from `UNLIKELY`.
const MAYBE: &[&str] = &[
    "article", "body", "column", "content", "main", "shadow", "story", "hentry",
];
/// Fragments naming the article body itself; an "unlikely" wrapper around
/// such an element is a layout wrapper, not boilerplate.
const BODY_MARKERS: &[&str] = &[
    "articlebody",
    "article-body",
    "article_body",
    "article__body",
    "story-body",
    "storybody",
    "entry-content",
    "post-content",
    "post-body",
    "article-content",
    "articlecontent",
    "article-text",
    "story-content",
    "main-content",
];
/// Fragments that lower a container's score.
const NEGATIVE: &[&str] = &[
    "-ad-",
    "hidden",
    "banner",
    "combx",
    "comment",
    "com-",
    "contact",
    "footer",
    "gdpr",
    "masthead",
    "media",
    "meta",
    "outbrain",
    "promo",
    "related",
    "scroll",
    "share",
    "shoutbox",
    "sidebar",
    "skyscraper",
    "sponsor",
    "shopping",
    "tags",
    "widget",
    "nav",
    "social",
    "newsletter",
];
/// Fragments that raise a container's score.
const POSITIVE: &[&str] = &[
    "article",
    "body",
    "content",
    "entry",
    "hentry",
    "h-entry",
    "main",
    "page",
    "post",
    "text",
    "blog",
    "story",
    "prose",
    "rich-text",
    "richtext",
];
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
}

impl<'a> Attrs<'a> {
    /// Reads the attributes of `el` once.
    pub fn read(el: &'a Element) -> Attrs<'a> {
        let mut a = Attrs::default();
        let (mut class, mut id) = ("", "");
        for (k, v) in el.attrs() {
            match k {
                "class" => class = v,
                "id" => id = v,
                "href" => a.has_href = !v.is_empty(),
                "itemprop" => {
                    a.itemprop = Some(v);
                    a.body_marker |= v.eq_ignore_ascii_case("articleBody");
                }
                "hidden" => a.hidden = true,
                "aria-hidden" => a.hidden |= v.eq_ignore_ascii_case("true"),
                "style" => a.hidden |= is_hidden_style(v),
                "role" => a.unlikely |= JUNK_ROLES.iter().any(|r| v.eq_ignore_ascii_case(r)),
                "rel" => a.byline |= v.eq_ignore_ascii_case("author"),
                _ => {}
            }
        }
        if !class.is_empty() || !id.is_empty() {
            a.classify(class, id);
        }
        a
    }

    /// Applies the class/id word lists.
    fn classify(&mut self, class: &str, id: &str) {
        let (c, i) = (scan(class), scan(id));
        self.weight = weight_of(c) + weight_of(i);
        let all = c | i;
        self.unlikely |= all & UNL != 0 && all & MAYBE_F == 0;
        self.byline |= all & BYLINE != 0;
        self.body_marker |= all & MARKER != 0;
        self.comments |= all & COMMENTS != 0 && all & COMMENTARY == 0;
    }
}

/// Pattern-list bits reported by `scan`.
const UNL: u8 = 1;
const MAYBE_F: u8 = 2;
const NEG: u8 = 4;
const POS: u8 = 8;
const BYLINE: u8 = 16;
const MARKER: u8 = 32;
const COMMENTS: u8 = 64;
const COMMENTARY: u8 = 128;

/// Patterns sharing their first two bytes, with their list bit.
type Bucket = Vec<(&'static [u8], u8)>;

/// Bucket of a byte in the two-byte pattern index: a-z, '-', other.
fn slot(c: u8) -> usize {
    match c.to_ascii_lowercase() {
        c @ b'a'..=b'z' => usize::from(c - b'a'),
        b'-' => 26,
        _ => 27,
    }
}

/// All patterns bucketed by their first two bytes, so a scan is one pass.
fn table() -> &'static [Bucket] {
    static TABLE: OnceLock<Vec<Bucket>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut t = vec![Vec::new(); 28 * 28];
        let lists: [(&[&'static str], u8); 8] = [
            (UNLIKELY, UNL),
            (MAYBE, MAYBE_F),
            (NEGATIVE, NEG),
            (POSITIVE, POS),
            (&["byline", "author"], BYLINE),
            (BODY_MARKERS, MARKER),
            (&["comment", "disqus"], COMMENTS),
            (&["commentary"], COMMENTARY),
        ];
        for (list, bit) in lists {
            for p in list {
                let b = p.as_bytes();
                t[slot(b[0]) * 28 + slot(b[1])].push((b, bit));
            }
        }
        t
    })
}

/// Bits of every pattern occurring in `s` (ASCII case-insensitive).
fn scan(s: &str) -> u8 {
    let b = s.as_bytes();
    let t = table();
    let mut bits = 0;
    for i in 0..b.len().saturating_sub(1) {
        for (p, bit) in &t[slot(b[i]) * 28 + slot(b[i + 1])] {
            let hit = b
                .get(i..i + p.len())
                .is_some_and(|w| w.eq_ignore_ascii_case(p));
            if hit {
                bits |= bit;
            }
        }
    }
    bits
}

/// ±25 for a single class or id string.
fn weight_of(bits: u8) -> i16 {
    let mut w = 0;
    if bits & NEG != 0 {
        w -= 25;
    }
    if bits & POS != 0 {
        w += 25;
    }
    w
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
