//! Turns the chosen containers into paragraphs: block elements and `<br><br>`
//! split paragraphs, whitespace is collapsed, boilerplate containers and
//! paragraphs are dropped.
//!
//! The walk is a linear scan of the pre-order arena with a stack of the ends
//! of open block elements, so it needs no recursion.

use crate::extract::clean;
use crate::extract::dom::{DNode, Dom, IN_LINK};
use crate::extract::names::Tag;
use crate::extract::score::{Stats, excluded, text_counts};

/// What the renderer needs besides the arena.
pub struct Ctx<'s> {
    /// Statistics under the active junk mask.
    pub stats: &'s [Stats],
    /// Candidate scores (`NaN` = none).
    pub score: &'s [f32],
    /// Junk flags to honour.
    pub mask: u16,
    /// Apply Readability's conditional container cleaning.
    pub clean: bool,
    /// The page title: a heading repeating it is not body text.
    pub title: Option<&'s str>,
}

/// Paragraph being assembled.
#[derive(Default)]
struct Para {
    text: String,
    chars: u32,
    link: u32,
    space: bool,
    br: bool,
    heading: bool,
}

/// Renders `roots` (in document order) into cleaned paragraphs.
pub fn render(dom: &Dom, ctx: &Ctx, roots: &[u32]) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = Para::default();
    for &root in roots {
        walk(dom, ctx, root, &mut cur, &mut out);
        flush(&mut cur, ctx, &mut out);
    }
    out
}

/// Emits the subtree of `root`.
fn walk(dom: &Dom, ctx: &Ctx, root: u32, cur: &mut Para, out: &mut Vec<String>) {
    let end = dom.nodes[root as usize].end;
    let mut open: Vec<u32> = Vec::new();
    let mut i = root;
    while i < end {
        while open.last().is_some_and(|&e| e <= i) {
            open.pop();
            flush(cur, ctx, out);
        }
        let n = &dom.nodes[i as usize];
        if excluded(n, ctx.mask) || (i != root && dropped(dom, ctx, i, n)) {
            if n.tag.is_block() {
                flush(cur, ctx, out);
            }
            i = n.end;
            continue;
        }
        match n.tag {
            Tag::Text => push_text(cur, n),
            Tag::Br => on_br(cur, ctx, out),
            Tag::Cell => cur.space = true,
            t if t.is_block() => {
                flush(cur, ctx, out);
                cur.heading = matches!(t, Tag::Heading(_));
                open.push(n.end);
            }
            _ => {}
        }
        i += 1;
    }
    flush(cur, ctx, out);
}

/// Conditional removal of a sub-container or negative-weight heading.
fn dropped(dom: &Dom, ctx: &Ctx, i: u32, n: &DNode) -> bool {
    if !ctx.clean {
        return false;
    }
    match n.tag {
        Tag::Heading(_) => n.weight < 0,
        Tag::Img | Tag::Embed | Tag::Input => false,
        _ => clean::drop_container(dom, ctx.stats, ctx.score, i),
    }
}

/// Appends a text run, collapsing whitespace.
fn push_text(cur: &mut Para, n: &DNode) {
    let t = n.text;
    if t.starts_with(char::is_whitespace) {
        cur.space = true;
    }
    for word in t.split_whitespace() {
        if !cur.text.is_empty() {
            if cur.br {
                cur.text.push('\n');
            } else if cur.space {
                cur.text.push(' ');
            }
        }
        cur.br = false;
        cur.space = true;
        cur.text.push_str(word);
    }
    if !t.is_empty() {
        cur.space = t.ends_with(char::is_whitespace);
    }
    let (chars, _) = text_counts(t);
    cur.chars += chars;
    if n.flags & IN_LINK != 0 {
        cur.link += chars;
    }
}

/// One `<br>` is a line break; two in a row end the paragraph.
fn on_br(cur: &mut Para, ctx: &Ctx, out: &mut Vec<String>) {
    if cur.br {
        flush(cur, ctx, out);
    } else {
        cur.br = true;
    }
}

/// Closes the current paragraph, keeping it unless it is boilerplate.
fn flush(cur: &mut Para, ctx: &Ctx, out: &mut Vec<String>) {
    let para = std::mem::take(cur);
    if para.text.is_empty() {
        return;
    }
    if para.heading && ctx.title.is_some_and(|t| t == para.text) {
        return;
    }
    if clean::drop_paragraph(&para.text, para.chars, para.link) {
        return;
    }
    out.push(para.text);
}
