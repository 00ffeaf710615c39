//! Input guard: caps element nesting depth before parsing.
//!
//! html5ever's tree builder rescans the stack of open elements for most start
//! tags, so a page with 100k nested `<div>`s costs O(depth²) — minutes. A
//! cheap byte scan drops start tags (and their end tags) beyond `MAX_DEPTH`;
//! normal pages never reach it and are passed through without copying.

use std::borrow::Cow;

/// Deepest nesting kept; real pages stay far below this.
const MAX_DEPTH: usize = 1_000;

/// Elements without end tags.
const VOID: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
    "track", "wbr",
];
/// Elements whose content is raw text (may contain '<').
const RAW: &[&str] = &[
    "script", "style", "textarea", "title", "xmp", "noscript", "iframe",
];

/// `html`, with start/end tags beyond `MAX_DEPTH` removed.
pub fn limit_nesting(html: &str) -> Cow<'_, str> {
    let b = html.as_bytes();
    let (mut i, mut depth, mut excess) = (0, 0usize, 0usize);
    let mut out: Option<String> = None;
    let mut copied = 0;
    while let Some(off) = html.get(i..).and_then(|rest| rest.find('<')) {
        let s = i + off;
        let (end, drop) = if b[s..].starts_with(b"<!--") {
            (find(html, s + 4, "-->").map_or(b.len(), |e| e + 3), false)
        } else if b.get(s + 1) == Some(&b'/') && b.get(s + 2).is_some_and(u8::is_ascii_alphabetic) {
            let end = tag_end(b, s);
            let drop = excess > 0;
            if drop {
                excess -= 1
            } else {
                depth = depth.saturating_sub(1)
            }
            (end, drop)
        } else if b.get(s + 1).is_some_and(u8::is_ascii_alphabetic) {
            let (end, opens) = start_tag(html, s);
            let drop = opens && depth >= MAX_DEPTH;
            if drop {
                excess += 1
            } else if opens {
                depth += 1
            }
            (end, drop)
        } else {
            (s + 1, false)
        };
        if drop {
            let o = out.get_or_insert_with(|| String::with_capacity(html.len()));
            o.push_str(&html[copied..s]);
            copied = end;
        }
        i = end;
    }
    match out {
        Some(mut o) => {
            o.push_str(&html[copied..]);
            Cow::Owned(o)
        }
        None => Cow::Borrowed(html),
    }
}

/// Index of `needle` at or after `from`.
fn find(html: &str, from: usize, needle: &str) -> Option<usize> {
    html.get(from..)?.find(needle).map(|p| from + p)
}

/// Index of the `</name` closing a raw-text element, searching from `from`.
fn find_close(html: &str, mut from: usize, name: &[u8]) -> Option<usize> {
    let b = html.as_bytes();
    loop {
        let p = find(html, from, "</")?;
        let candidate = b.get(p + 2..p + 2 + name.len())?;
        if candidate.eq_ignore_ascii_case(name) {
            return Some(p);
        }
        from = p + 2;
    }
}

/// One past the '>' closing the tag at `s` (or the end of input).
fn tag_end(b: &[u8], s: usize) -> usize {
    b.get(s..)
        .and_then(|t| t.iter().position(|&c| c == b'>'))
        .map_or(b.len(), |p| s + p + 1)
}

/// End of the start tag at `s` (past raw-text content) and whether it opens
/// an element that needs an end tag.
fn start_tag(html: &str, s: usize) -> (usize, bool) {
    let b = html.as_bytes();
    let name_end = b[s + 1..]
        .iter()
        .position(|c| !c.is_ascii_alphanumeric())
        .map_or(b.len(), |p| s + 1 + p);
    let name = &b[s + 1..name_end];
    let is = |list: &[&str]| list.iter().any(|t| t.as_bytes().eq_ignore_ascii_case(name));
    let end = tag_end(b, s);
    if is(RAW) {
        let close = find_close(html, end, name);
        return (close.map_or(b.len(), |p| tag_end(b, p)), false);
    }
    let self_closing = end >= 2 && b[end - 2] == b'/';
    (end, !self_closing && !is(VOID))
}
