//! Readability-style container scoring: per-node text statistics, paragraph
//! scores propagated to ancestors, choice of the best container and of the
//! siblings that belong with it.
//!
//! Statistics are computed in one reverse pass over the pre-order arena
//! (children come after their parent, so summing into the parent from the back
//! is a bottom-up walk without recursion).

use crate::extract::dom::{DNode, Dom, IN_HEADING, IN_LINK, SKIP};
use crate::extract::names::Tag;

/// Text statistics of one node's subtree (junk subtrees excluded).
#[derive(Default, Clone, Copy)]
pub struct Stats {
    /// Characters of text (whitespace runs count as one).
    pub chars: u32,
    /// Characters inside links.
    pub link: u32,
    /// Characters inside headings.
    pub heading: u32,
    /// Commas (incl. CJK / Arabic commas).
    pub commas: u32,
    /// Characters of text whose nearest block ancestor is this node.
    pub own: u32,
    /// Commas in that own text.
    pub own_commas: u32,
    /// `<br>`s directly in this block's flow.
    pub brs: u32,
    /// Counts of `<p>`, images, list items, inputs and embeds in the subtree.
    pub p: u32,
    pub img: u32,
    pub li: u32,
    pub input: u32,
    pub embed: u32,
    /// Block-level element children (not summed up the tree).
    pub block_kids: u32,
}

impl Stats {
    /// Share of the text that sits inside links.
    pub fn link_density(&self) -> f32 {
        if self.chars == 0 {
            0.0
        } else {
            self.link as f32 / self.chars as f32
        }
    }

    fn add(&mut self, o: &Stats) {
        self.chars += o.chars;
        self.link += o.link;
        self.heading += o.heading;
        self.commas += o.commas;
        self.p += o.p;
        self.img += o.img;
        self.li += o.li;
        self.input += o.input;
        self.embed += o.embed;
    }
}

/// Whether node `n` is excluded under `mask` (junk flags to honour).
pub fn excluded(n: &DNode, mask: u16) -> bool {
    n.flags & (mask | SKIP) != 0
}

/// Character and comma count of a text run, collapsing whitespace.
pub fn text_counts(s: &str) -> (u32, u32) {
    let (mut chars, mut commas, mut ws) = (0u32, 0u32, true);
    for c in s.chars() {
        if c.is_whitespace() {
            if !ws {
                chars += 1;
            }
            ws = true;
            continue;
        }
        ws = false;
        chars += 1;
        if matches!(c, ',' | '，' | '、' | '،') {
            commas += 1;
        }
    }
    (chars, commas)
}

/// Computes the statistics of every node under `mask`.
pub fn stats(dom: &Dom, mask: u16) -> Vec<Stats> {
    let nodes = &dom.nodes;
    let mut st = vec![Stats::default(); nodes.len()];
    for i in (1..nodes.len()).rev() {
        let n = &nodes[i];
        if excluded(n, mask) {
            continue;
        }
        let mut s = st[i];
        match n.tag {
            Tag::Text => {
                let (chars, commas) = text_counts(n.text);
                s.chars = chars;
                s.commas = commas;
                if n.flags & IN_LINK != 0 {
                    s.link = chars;
                }
                if n.flags & IN_HEADING != 0 {
                    s.heading = chars;
                }
                let b = &mut st[n.block as usize];
                b.own += chars;
                b.own_commas += commas;
            }
            Tag::Br => st[n.block as usize].brs += 1,
            Tag::P => s.p += 1,
            Tag::Img => s.img += 1,
            Tag::Li => s.li += 1,
            Tag::Input => s.input += 1,
            Tag::Embed => s.embed += 1,
            _ => {}
        }
        st[i] = s;
        let parent = n.parent as usize;
        st[parent].add(&s);
        if n.tag.is_block() {
            st[parent].block_kids += 1;
        }
    }
    st
}

/// Initial score of a newly seen candidate container.
fn base_score(n: &DNode) -> f32 {
    let tag = match n.tag {
        Tag::Div => 5.0,
        Tag::Article => 10.0,
        Tag::Pre | Tag::Cell => 3.0,
        Tag::List | Tag::Li => -3.0,
        Tag::Heading(_) => -5.0,
        _ => 0.0,
    };
    tag + f32::from(n.weight)
}

/// Content score a paragraph-like block contributes to its ancestors.
fn unit_score(n: &DNode, s: &Stats) -> Option<f32> {
    let scored = matches!(
        n.tag,
        Tag::P | Tag::Div | Tag::Pre | Tag::Cell | Tag::Section | Tag::Article | Tag::Block
    );
    if !scored || s.own < 25 {
        return None;
    }
    // Readability caps length at 3 points; long unbroken text (legacy
    // `<br>` pages) keeps earning, more slowly, so it can beat short blurbs.
    let hundreds = s.own / 100;
    let len_points = hundreds.min(3) as f32 + hundreds.saturating_sub(3) as f32 / 3.0;
    Some(1.0 + s.own_commas as f32 + len_points)
}

/// Scores all candidate containers; `NaN` marks "not a candidate".
pub fn candidate_scores(dom: &Dom, st: &[Stats], mask: u16) -> Vec<f32> {
    let nodes = &dom.nodes;
    let mut score = vec![f32::NAN; nodes.len()];
    for (i, n) in nodes.iter().enumerate() {
        if n.tag == Tag::Text || excluded(n, mask) {
            continue;
        }
        let Some(unit) = unit_score(n, &st[i]) else {
            continue;
        };
        // Loose text in a container that also has block children stands for
        // an implicit paragraph of that container (Readability wraps it in a
        // <p>), so the container itself is the first to be credited.
        let implicit = n.tag != Tag::P && st[i].block_kids > 0;
        let mut anc = if implicit { i } else { n.parent as usize };
        for level in 0..5 {
            if anc == 0 {
                break;
            }
            if score[anc].is_nan() {
                score[anc] = base_score(&nodes[anc]);
            }
            let divider = match level {
                0 => 1.0,
                1 => 2.0,
                l => l as f32 * 3.0,
            };
            score[anc] += unit / divider;
            anc = nodes[anc].parent as usize;
        }
    }
    for (i, s) in score.iter_mut().enumerate() {
        if !s.is_nan() {
            *s *= 1.0 - st[i].link_density();
        }
    }
    score
}

/// Picks the top container and the siblings that belong with it.
pub fn select(dom: &Dom, st: &[Stats], score: &[f32]) -> Vec<u32> {
    let mut order: Vec<u32> = (0..score.len() as u32)
        .filter(|&i| !score[i as usize].is_nan())
        .collect();
    order.sort_by(|&a, &b| score[b as usize].total_cmp(&score[a as usize]));
    let Some(&first) = order.first() else {
        return vec![dom.body];
    };
    if let Some(item) = outscored_article_item(dom, st, &order, first) {
        let top = order
            .iter()
            .copied()
            .find(|&c| c >= item && c < dom.nodes[item as usize].end)
            .unwrap_or(item);
        // The element bounds the story: no climbing out of it, and the
        // item's own siblings are not part of it.
        return if top == item {
            vec![item]
        } else {
            siblings(dom, st, score, top)
        };
    }
    let mut top = prefer_common_ancestor(dom, score, &order, first);
    top = climb_scores(dom, st, score, top);
    top = climb_only_children(dom, top);
    siblings(dom, st, score, top)
}

/// The page's one microdata article element (`itemtype` …/Article,
/// …/BlogPosting) names the story. Returns it when the best candidate
/// `first` lies outside it (a teaser list outscoring a short post) and it
/// holds a real text.
fn outscored_article_item(dom: &Dom, st: &[Stats], order: &[u32], first: u32) -> Option<u32> {
    let [item] = dom.raw.article_items[..] else {
        return None;
    };
    let end = dom.nodes[item as usize].end;
    let inside = |c: u32| c >= item && c < end;
    let real = st[item as usize].chars as usize >= MIN_ITEM_CHARS;
    // `first` inside, or an ancestor of the item: scoring agrees with it.
    let agrees = inside(first) || (first < item && dom.nodes[first as usize].end >= end);
    (real && !agrees && order.iter().any(|&c| inside(c))).then_some(item)
}

/// Text an article microdata element needs before it overrides scoring.
const MIN_ITEM_CHARS: usize = 500;

/// If several near-top candidates share an ancestor of `top`, use it.
fn prefer_common_ancestor(dom: &Dom, score: &[f32], order: &[u32], top: u32) -> u32 {
    let best = score[top as usize];
    let top_end = dom.nodes[top as usize].end;
    // Ancestors and descendants of `top` are not separate parts of the story.
    let separate = |a: u32| a >= top_end || dom.nodes[a as usize].end <= top;
    let alts: Vec<u32> = order
        .iter()
        .skip(1)
        .copied()
        .filter(|&a| separate(a))
        .take(4)
        .filter(|&a| score[a as usize] >= 0.75 * best)
        .collect();
    if alts.len() < 3 {
        return top;
    }
    let mut p = dom.nodes[top as usize].parent;
    while p != 0 && p != dom.body {
        let end = dom.nodes[p as usize].end;
        if alts.iter().filter(|&&a| a > p && a < end).count() >= 3 {
            return p;
        }
        p = dom.nodes[p as usize].parent;
    }
    top
}

/// Moves up while the parent's score keeps rising (content split across
/// parts). The parent must also hold clearly more text: a wrapper that only
/// adds a byline and a footer line wins on its class name alone.
fn climb_scores(dom: &Dom, st: &[Stats], score: &[f32], mut top: u32) -> u32 {
    let mut last = score[top as usize];
    let min_chars = st[top as usize].chars as f32 * 1.2;
    let threshold = last / 3.0;
    let mut p = dom.nodes[top as usize].parent;
    while p != 0 && p != dom.body {
        let ps = score[p as usize];
        if !ps.is_nan() {
            if ps < threshold {
                break;
            }
            if ps > last {
                if st[p as usize].chars as f32 >= min_chars {
                    top = p;
                }
                break;
            }
            last = ps;
        }
        p = dom.nodes[p as usize].parent;
    }
    top
}

/// A lone child wrapped by its parent carries no information: use the parent.
fn climb_only_children(dom: &Dom, mut top: u32) -> u32 {
    loop {
        let p = dom.nodes[top as usize].parent;
        if p == 0 || p == dom.body || dom.children(p).nth(1).is_some() {
            return top;
        }
        top = p;
    }
}

/// `top` plus the siblings that score close to it or look like paragraphs.
fn siblings(dom: &Dom, st: &[Stats], score: &[f32], top: u32) -> Vec<u32> {
    let parent = dom.nodes[top as usize].parent;
    if parent == 0 {
        return vec![top];
    }
    let top_score = score[top as usize].max(0.0);
    let threshold = (top_score * 0.2).max(10.0);
    let top_class = dom.attr(top, "class").unwrap_or("");
    let mut out = Vec::new();
    for c in dom.children(parent) {
        if c == top {
            out.push(c);
            continue;
        }
        let s = score[c as usize];
        let same_class = !top_class.is_empty() && dom.attr(c, "class") == Some(top_class);
        let bonus = if same_class { top_score * 0.2 } else { 0.0 };
        if (!s.is_nan() && s + bonus >= threshold) || paragraph_like(dom, &st[c as usize], c) {
            out.push(c);
        }
    }
    if let Some(lead) = lead_before(dom, st, parent, top)
        && !out.contains(&lead)
    {
        let at = out.iter().position(|&c| c == top).unwrap_or(0);
        out.insert(at, lead);
    }
    out
}

/// The story's lead set apart just before `top`, with only text-less
/// siblings (a figure, an ad slot) in between: one prose paragraph in its
/// own wrapper, too small to score as a sibling.
fn lead_before(dom: &Dom, st: &[Stats], parent: u32, top: u32) -> Option<u32> {
    let before: Vec<u32> = dom.children(parent).take_while(|&c| c != top).collect();
    let lead = before
        .into_iter()
        .rev()
        .find(|&c| st[c as usize].chars > 0)?;
    let s = &st[lead as usize];
    let prose = s.chars >= 100 && s.link_density() < 0.2 && s.heading == 0;
    let block = matches!(
        dom.nodes[lead as usize].tag,
        Tag::P | Tag::Div | Tag::Section | Tag::Block
    );
    // A paragraph element, not a standfirst's bare text or key points.
    let paragraph = s.p == 1 && s.li == 0;
    (prose && block && paragraph && ends_sentence(dom, lead)).then_some(lead)
}

/// A sibling `<p>` that reads like article text.
fn paragraph_like(dom: &Dom, s: &Stats, i: u32) -> bool {
    if dom.nodes[i as usize].tag != Tag::P {
        return false;
    }
    let ld = s.link_density();
    if s.chars > 80 {
        return ld < 0.25;
    }
    s.chars > 0 && ld == 0.0 && ends_sentence(dom, i)
}

/// Whether the last text in `i`'s subtree ends with sentence punctuation.
fn ends_sentence(dom: &Dom, i: u32) -> bool {
    let n = &dom.nodes[i as usize];
    dom.nodes[i as usize + 1..n.end as usize]
        .iter()
        .rev()
        .filter(|d| d.tag == Tag::Text)
        .map(|d| d.text.trim_end())
        .find(|t| !t.is_empty())
        .is_some_and(|t| t.ends_with(['.', '!', '?', '。', '…', '"', '”']))
}
