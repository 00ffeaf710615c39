//! Body extraction driver: scores the tree, renders the chosen containers,
//! and retries with looser rules when the first attempt finds too little.

use crate::extract::dom::{Dom, JUNK_CLASS, JUNK_TAG};
use crate::extract::names::Tag;
use crate::extract::score;
use crate::extract::text::{self, Ctx};

/// Below this many characters an attempt counts as a miss (as Readability).
const MIN_CHARS: usize = 500;

/// One extraction strategy.
struct Attempt {
    mask: u16,
    clean: bool,
}

/// Strict first, then without class-based junk removal and cleaning.
const ATTEMPTS: [Attempt; 2] = [
    Attempt {
        mask: JUNK_CLASS | JUNK_TAG,
        clean: true,
    },
    Attempt {
        mask: JUNK_TAG,
        clean: false,
    },
];

/// The extracted body: paragraphs and the shape of their container.
#[derive(Default)]
pub struct Body {
    /// Article paragraphs.
    pub paras: Vec<String>,
    /// Images (`<img>`, `<picture>`) in the chosen containers.
    pub images: u32,
    /// Some block is confidently the article (see `confident`).
    pub confident: bool,
}

/// The article body of `dom`.
pub fn paragraphs(dom: &Dom, title: Option<&str>) -> Body {
    let mut best = Body::default();
    let mut best_len = 0;
    for a in &ATTEMPTS {
        let (body, roots) = run(dom, a, title);
        let len: usize = body.paras.iter().map(String::len).sum();
        // The looser pass may only find text the strict one could not: a
        // container it rejected for its class (sidebar, "About me" box,
        // comments) does not beat a short post it found.
        let rejected = a.mask & JUNK_CLASS == 0
            && best_len > 0
            && roots
                .iter()
                .all(|&r| dom.nodes[r as usize].flags & JUNK_CLASS != 0);
        if rejected {
            break;
        }
        if len >= MIN_CHARS {
            return body;
        }
        if len > best_len {
            best = body;
            best_len = len;
        }
    }
    best
}

/// Scores, selects and renders under one attempt's rules; also returns the
/// chosen containers.
fn run(dom: &Dom, a: &Attempt, title: Option<&str>) -> (Body, Vec<u32>) {
    let stats = score::stats(dom, a.mask);
    let scores = score::candidate_scores(dom, &stats, a.mask);
    let roots = score::select(dom, &stats, &scores);
    let ctx = Ctx {
        stats: &stats,
        score: &scores,
        mask: a.mask,
        clean: a.clean,
        title,
    };
    let paras = text::render(dom, &ctx, &roots);
    let confident = confident(dom, &scores, &roots, a.mask, &paras);
    let body = Body {
        paras: paras.into_iter().map(|p| p.text).collect(),
        images: roots.iter().map(|&r| stats[r as usize].img).sum(),
        confident,
    };
    (body, roots)
}

/// Share of the text that must be prose when the choice is the whole page
/// or a container named as boilerplate.
const MIN_PROSE: f32 = 0.5;

/// Whether the chosen containers are confidently the article: some block
/// scored as a paragraph holder, and when the choice is the whole page or
/// a container whose class names it boilerplate (sidebar, comments,
/// consent box; the loose pass may pick one), its text reads mostly as
/// prose rather than menus and headlines, and one so named holds a real
/// text (an article in a wrapper with an unlucky class name).
fn confident(dom: &Dom, scores: &[f32], roots: &[u32], mask: u16, paras: &[text::Para]) -> bool {
    if scores.iter().all(|s| s.is_nan()) {
        return false;
    }
    let named_junk = junk_share(dom, roots, mask) >= 0.5;
    let whole_page = roots
        .iter()
        .any(|&r| r == dom.body || matches!(dom.nodes[r as usize].tag, Tag::Html | Tag::Body));
    let chars: usize = paras.iter().map(|p| p.text.len()).sum();
    if named_junk && chars < MIN_CHARS {
        return false;
    }
    !(whole_page || named_junk) || prose_share(paras) >= MIN_PROSE
}

/// Share of the text under `roots` (as `mask` lets it through) that sits
/// in elements whose class or name marks them as boilerplate.
fn junk_share(dom: &Dom, roots: &[u32], mask: u16) -> f32 {
    let (mut all, mut junk) = (0usize, 0usize);
    for &r in roots {
        let end = dom.nodes[r as usize].end as usize;
        for n in &dom.nodes[r as usize..end] {
            if n.tag == Tag::Text && !crate::extract::score::excluded(n, mask) {
                let len = n.text.trim().len();
                all += len;
                if n.flags & JUNK_CLASS != 0 {
                    junk += len;
                }
            }
        }
    }
    if all == 0 {
        0.0
    } else {
        junk as f32 / all as f32
    }
}

/// Words from which a paragraph counts as prose whatever its end.
const LONG_PARAGRAPH_WORDS: usize = 40;

/// Share of the characters in paragraphs that read as prose: a dozen words
/// or more ending like a sentence, or a long block of text.
fn prose_share(paras: &[text::Para]) -> f32 {
    let total: u32 = paras.iter().map(|p| p.chars).sum();
    let prose: u32 = paras
        .iter()
        .filter(|p| {
            let words = p.words();
            words >= LONG_PARAGRAPH_WORDS
                || (words >= 12 && crate::extract::clean::ends_sentence(&p.text))
        })
        .map(|p| p.chars)
        .sum();
    if total == 0 {
        0.0
    } else {
        prose as f32 / total as f32
    }
}

/// Uses the JSON-LD `articleBody` instead of the DOM result when the DOM
/// text is much shorter (teaser markup, client-rendered pages); the page's
/// own declaration of its text then makes the body confident.
pub fn prefer_json_ld(body: &mut Body, ld_body: Option<&str>) {
    let Some(ld) = ld_body else { return };
    let ld_words = ld.split_whitespace().count();
    let dom_words: usize = body
        .paras
        .iter()
        .map(|p| p.split_whitespace().count())
        .sum();
    if ld_words < 50 || dom_words * 2 >= ld_words {
        return;
    }
    body.paras = ld
        .lines()
        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|l| !l.is_empty())
        .collect();
    body.confident = true;
}
