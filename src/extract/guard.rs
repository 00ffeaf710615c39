//! Input guard: caps element nesting depth before parsing.
//!
//! html5ever's tree builder rescans the stack of open elements for most start
//! tags, so a page with 100k nested `<div>`s costs O(depth²) — minutes. A
//! cheap byte scan drops start tags (and their end tags) beyond `MAX_DEPTH`;
//! normal pages never reach it and are passed through without copying.

use std::borrow::Cow;

/// Deepest nesting kept; real pages stay far below this.
const MAX_DEPTH: usize = 1_000;

/// How a start tag affects nesting.
enum TagKind {
    /// Opens an element that needs an end tag.
    Opens,
    /// Has no end tag (`<br>`, `<img>`…).
    Void,
    /// Its content is raw text (may contain '<') up to the end tag.
    Raw,
}

/// Classifies a tag name (any case) without allocating.
fn kind_of(name: &[u8]) -> TagKind {
    // No void or raw-text element name is longer than 8 bytes.
    if name.len() > 8 {
        return TagKind::Opens;
    }
    let mut buf = [0u8; 8];
    let lower = &mut buf[..name.len()];
    lower.copy_from_slice(name);
    lower.make_ascii_lowercase();
    match &*lower {
        b"area" | b"base" | b"br" | b"col" | b"embed" | b"hr" | b"img" | b"input" | b"link"
        | b"meta" | b"param" | b"source" | b"track" | b"wbr" => TagKind::Void,
        b"script" | b"style" | b"textarea" | b"title" | b"xmp" | b"noscript" | b"iframe" => {
            TagKind::Raw
        }
        _ => TagKind::Opens,
    }
}

/// `html`, with start/end tags beyond `MAX_DEPTH` removed.
pub fn limit_nesting(html: &str) -> Cow<'_, str> {
    let b = html.as_bytes();
    let (mut i, mut depth, mut excess) = (0, 0usize, 0usize);
    let mut out: Option<String> = None;
    let mut copied = 0;
    while let Some(s) = find_byte(html, i, b'<') {
        let (end, drop) = if b[s..].starts_with(b"<!--") {
            (
                find_comment_end(html, s + 4).map_or(b.len(), |e| e + 3),
                false,
            )
        } else if b.get(s + 1) == Some(&b'/') && b.get(s + 2).is_some_and(u8::is_ascii_alphabetic) {
            let drop = excess > 0;
            if drop {
                excess -= 1;
                (tag_end(html, s), true)
            } else {
                depth = depth.saturating_sub(1);
                // An end tag holds no '<': the next search may start inside
                // it, which saves looking for its '>'.
                (s + 2, false)
            }
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

/// Index of the first `c` at or after `from` (a SIMD memchr search: this
/// scan runs over every page before parsing, so it must stay cheap).
fn find_byte(html: &str, from: usize, c: u8) -> Option<usize> {
    memchr::memchr(c, html.as_bytes().get(from..)?).map(|p| from + p)
}

/// Index of the `-->` closing a comment whose body starts at `from`.
fn find_comment_end(html: &str, mut from: usize) -> Option<usize> {
    let b = html.as_bytes();
    loop {
        let p = find_byte(html, from, b'>')?;
        if p >= 2 && b[p - 2] == b'-' && b[p - 1] == b'-' && p - 2 >= from {
            return Some(p - 2);
        }
        from = p + 1;
    }
}

/// Index of the `</name` closing a raw-text element, searching from `from`.
fn find_close(html: &str, mut from: usize, name: &[u8]) -> Option<usize> {
    let b = html.as_bytes();
    loop {
        let p = find_byte(html, from, b'<')?;
        if b.get(p + 1) == Some(&b'/')
            && b.get(p + 2..p + 2 + name.len())
                .is_some_and(|c| c.eq_ignore_ascii_case(name))
        {
            return Some(p);
        }
        from = p + 1;
    }
}

/// One past the '>' closing the tag at `s` (or the end of input).
fn tag_end(html: &str, s: usize) -> usize {
    find_byte(html, s, b'>').map_or(html.len(), |p| p + 1)
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
    let end = tag_end(html, s);
    match kind_of(name) {
        TagKind::Raw => {
            let close = find_close(html, end, name);
            (close.map_or(b.len(), |p| tag_end(html, p)), false)
        }
        TagKind::Void => (end, false),
        TagKind::Opens => (end, !(end >= 2 && b[end - 2] == b'/')),
    }
}
