//! Body extraction driver: scores the tree, renders the chosen containers,
//! and retries with looser rules when the first attempt finds too little.

use crate::extract::dom::{Dom, JUNK_CLASS, JUNK_TAG};
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
            && roots.iter().all(|&r| dom.nodes[r as usize].flags & JUNK_CLASS != 0);
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
    let body = Body {
        paras: text::render(dom, &ctx, &roots)
            .into_iter()
            .map(|p| p.text)
            .collect(),
        images: roots.iter().map(|&r| stats[r as usize].img).sum(),
    };
    (body, roots)
}

/// Uses the JSON-LD `articleBody` instead of the DOM result when the DOM
/// text is much shorter (teaser markup, client-rendered pages).
pub fn prefer_json_ld(dom_paras: Vec<String>, ld_body: Option<&str>) -> Vec<String> {
    let Some(ld) = ld_body else { return dom_paras };
    let ld_words = ld.split_whitespace().count();
    let dom_words: usize = dom_paras.iter().map(|p| p.split_whitespace().count()).sum();
    if ld_words < 50 || dom_words * 2 >= ld_words {
        return dom_paras;
    }
    ld.lines()
        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|l| !l.is_empty())
        .collect()
}
