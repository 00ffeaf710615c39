//! Flattens the parsed scraper tree into a compact pre-order arena.
//!
//! Every later step (scoring, cleaning, text output, metadata) works on this
//! arena instead of the scraper tree: nodes are stored in document order, and
//! the subtree of node `i` is exactly the index range `i..nodes[i].end`. That
//! lets all passes be plain loops (no recursion, so arbitrarily deep input is
//! safe) and lets per-node statistics live in flat vectors.

use scraper::node::Element;
use scraper::{Html, Node};

use crate::extract::attrs;
use crate::extract::names::{self, Tag};

/// Node is an element that must never produce text (script, style, nav…).
pub const SKIP: u16 = 1;
/// Node (or an ancestor) has an "unlikely candidate" class/id/role.
pub const JUNK_CLASS: u16 = 2;
/// Node is hidden or structurally boilerplate (nav, footer, aside…).
pub const JUNK_TAG: u16 = 4;
/// Text node inside an `<a href>`.
pub const IN_LINK: u16 = 8;
/// Text node inside a heading.
pub const IN_HEADING: u16 = 16;
/// The element's own class/id/role is "unlikely" (before the body-marker rescue).
const SELF_UNLIKELY: u16 = 32;
/// The element names the article body (itemprop=articleBody, .article-body…).
const BODY_MARKER: u16 = 64;
/// The element or a descendant carries `BODY_MARKER`.
const HAS_BODY: u16 = 128;
/// The element's own class/id names a comment section.
pub const SELF_COMMENTS: u16 = 256;
/// Node is (inside) a dateline/byline element or a `<time>`.
pub const META: u16 = 512;
/// Text node inside `<em>`/`<i>`/`<small>`.
pub const EMPH: u16 = 1024;
/// The element's own class/id names an author box.
pub const AUTHOR_BOX: u16 = 2048;

/// One arena node: an element, a text run, or the document root.
pub struct DNode<'a> {
    /// Classified tag (`Tag::Text` for text nodes).
    pub tag: Tag,
    /// Index of the parent node (the root points at itself).
    pub parent: u32,
    /// One past the last index of this node's subtree.
    pub end: u32,
    /// Nearest enclosing block element (for text nodes and inline elements).
    pub block: u32,
    /// Bit set of the flag constants above (`SKIP`, `JUNK_*`, `IN_LINK`…).
    pub flags: u16,
    /// Readability-style class/id weight (±25 steps).
    pub weight: i16,
    /// Text of a text node (empty for elements).
    pub text: &'a str,
    /// The element, for attribute look-ups later.
    pub el: Option<&'a Element>,
}

/// Raw metadata gathered while walking the tree, resolved later.
#[derive(Default)]
pub struct Raw<'a> {
    /// `(name|property|itemprop|http-equiv, content)` of `<meta>` tags.
    pub metas: Vec<(&'a str, &'a str)>,
    /// `itemprop` values with a `datetime`/`content` attribute on non-meta elements.
    pub itemprops: Vec<(&'a str, &'a str)>,
    /// Bodies of `<script type="application/ld+json">`.
    pub json_ld: Vec<&'a str>,
    /// Text of the first `<title>`.
    pub title: Option<&'a str>,
    /// `<link rel=canonical href>`.
    pub canonical: Option<&'a str>,
    /// `<html lang>`.
    pub lang: Option<&'a str>,
    /// First `<time datetime>`.
    pub time: Option<&'a str>,
    /// Arena index of the first `<h1>`.
    pub h1: Option<u32>,
    /// Arena index of the first byline-ish element (rel=author, .byline…).
    pub byline: Option<u32>,
    /// Elements with a schema.org article `itemtype` (microdata).
    pub article_items: Vec<u32>,
    /// `attrs::HINT_*` bits of elements that are not junk (nav, related
    /// blocks…): a live-blog teaser in a sidebar says nothing of the page.
    pub hints: u8,
}

/// The flattened document.
pub struct Dom<'a> {
    /// Nodes in document order; index 0 is the document root.
    pub nodes: Vec<DNode<'a>>,
    /// Metadata found on the way.
    pub raw: Raw<'a>,
    /// Arena index of `<body>` (0 when missing).
    pub body: u32,
}

impl<'a> Dom<'a> {
    /// Walks `html` once (iteratively) and builds the arena.
    pub fn build(html: &'a Html) -> Dom<'a> {
        let mut b = Builder::default();
        b.nodes.reserve(html.tree.nodes().len());
        let mut node = html.tree.root();
        'walk: loop {
            // Text just before an element means it sits in running text.
            let after_text = node
                .prev_sibling()
                .and_then(|s| s.value().as_text())
                .is_some_and(|t| !t.trim().is_empty());
            let descend = b.open(
                node.value(),
                node.first_child().map(|c| c.value()),
                after_text,
            );
            if descend && let Some(child) = node.first_child() {
                node = child;
                continue;
            }
            loop {
                b.close();
                if let Some(sib) = node.next_sibling() {
                    node = sib;
                    break;
                }
                match node.parent() {
                    Some(p) => node = p,
                    None => break 'walk,
                }
            }
        }
        let mut dom = Dom {
            nodes: b.nodes,
            raw: b.raw,
            body: b.body,
        };
        dom.resolve_unlikely();
        for (i, hints) in b.hinted {
            if dom.nodes[i as usize].flags & (JUNK_CLASS | JUNK_TAG | SKIP) == 0 {
                dom.raw.hints |= hints;
            }
        }
        dom
    }

    /// Sets `JUNK_CLASS` on unlikely elements and `JUNK_TAG` on comment
    /// sections, with their subtrees, except on
    /// wrappers that contain the article body (a layout wrapper with an
    /// unlucky class name such as "page-ad-margins").
    fn resolve_unlikely(&mut self) {
        for i in (1..self.nodes.len()).rev() {
            let n = &self.nodes[i];
            if n.flags & (BODY_MARKER | HAS_BODY) != 0 {
                let p = n.parent as usize;
                self.nodes[p].flags |= HAS_BODY;
            }
        }
        for i in 1..self.nodes.len() {
            let n = &self.nodes[i];
            let rescued = n.flags & (HAS_BODY | BODY_MARKER) != 0;
            let parent = self.nodes[n.parent as usize].flags;
            // Comment sections count as structural junk: the lenient pass
            // must not pull them in either.
            let mut add = parent & (JUNK_CLASS | JUNK_TAG);
            if n.flags & SELF_UNLIKELY != 0 && !rescued {
                add |= JUNK_CLASS;
            }
            if n.flags & SELF_COMMENTS != 0 && !rescued {
                add |= JUNK_TAG;
            }
            self.nodes[i].flags |= add;
        }
    }

    /// Indices of the element children of `i`.
    pub fn children(&self, i: u32) -> impl Iterator<Item = u32> + '_ {
        let end = self.nodes[i as usize].end;
        let mut j = i + 1;
        std::iter::from_fn(move || {
            while j < end {
                let cur = j;
                j = self.nodes[cur as usize].end;
                if self.nodes[cur as usize].tag != Tag::Text {
                    return Some(cur);
                }
            }
            None
        })
    }

    /// Attribute of element `i`, if any.
    pub fn attr(&self, i: u32, name: &str) -> Option<&'a str> {
        let el = self.nodes[i as usize].el?;
        el.attrs().find(|(k, _)| *k == name).map(|(_, v)| v)
    }
}

/// Mutable state of the single tree walk.
#[derive(Default)]
struct Builder<'a> {
    nodes: Vec<DNode<'a>>,
    raw: Raw<'a>,
    /// Open elements: arena index.
    open: Vec<u32>,
    /// Open block elements (subset of `open`).
    blocks: Vec<u32>,
    /// Elements with `attrs::HINT_*` bits, kept until junk is resolved.
    hinted: Vec<(u32, u8)>,
    /// Class-string scans already done on this page.
    classes: attrs::ClassCache<'a>,
    body: u32,
}

impl<'a> Builder<'a> {
    /// Records `node`; returns whether its children should be visited.
    fn open(&mut self, node: &'a Node, first_child: Option<&'a Node>, after_text: bool) -> bool {
        let idx = self.nodes.len() as u32;
        let parent = self.open.last().copied().unwrap_or(0);
        let block = self.blocks.last().copied().unwrap_or(0);
        let inherited = self.nodes.get(parent as usize).map_or(0, |p| {
            p.flags & (JUNK_TAG | IN_LINK | IN_HEADING | SKIP | META | EMPH)
        });
        let mut n = DNode {
            tag: Tag::Other,
            parent,
            end: idx + 1,
            block,
            flags: inherited,
            weight: 0,
            text: "",
            el: None,
        };
        let descend = match node {
            Node::Text(t) => {
                n.tag = Tag::Text;
                n.text = t;
                false
            }
            Node::Element(el) => {
                let inline = after_text || self.in_paragraph();
                self.element(&mut n, idx, el, first_child, inline)
            }
            Node::Document | Node::Fragment => {
                n.tag = Tag::Block;
                true
            }
            _ => false,
        };
        self.nodes.push(n);
        // Text and leaf nodes are closed right away by the walker; keep the
        // open stack in step by pushing them too.
        self.open.push(idx);
        if self.nodes[idx as usize].tag.is_block() {
            self.blocks.push(idx);
        }
        descend
    }

    /// Whether the nearest open block is a paragraph or heading.
    fn in_paragraph(&self) -> bool {
        let block = self.blocks.last().map(|&b| self.nodes[b as usize].tag);
        matches!(block, Some(Tag::P | Tag::Heading(_)))
    }

    /// Pops the innermost open node and fixes its subtree end.
    fn close(&mut self) {
        if let Some(idx) = self.open.pop() {
            let end = self.nodes.len() as u32;
            self.nodes[idx as usize].end = end;
            if self.blocks.last() == Some(&idx) {
                self.blocks.pop();
            }
        }
    }

    /// Classifies an element, records metadata; returns whether to descend.
    fn element(
        &mut self,
        n: &mut DNode<'a>,
        idx: u32,
        el: &'a Element,
        first_child: Option<&'a Node>,
        inline: bool,
    ) -> bool {
        n.el = Some(el);
        n.tag = names::classify(el.name());
        if inline {
            n.tag = names::inline(n.tag, el.name());
        }
        let child_text = match first_child {
            Some(Node::Text(t)) => Some(&**t),
            _ => None,
        };
        let attrs = attrs::Attrs::read(el, &mut self.classes);
        self.metadata(n.tag, idx, el, &attrs, child_text);
        n.weight = attrs.weight;
        if attrs.unlikely && !n.tag.never_junk() {
            n.flags |= SELF_UNLIKELY;
        }
        if attrs.comments && !n.tag.never_junk() {
            n.flags |= SELF_COMMENTS;
        }
        if attrs.body_marker {
            n.flags |= BODY_MARKER;
        }
        if attrs.hidden || n.tag.is_boilerplate() {
            n.flags |= JUNK_TAG;
        }
        if attrs.meta || n.tag == Tag::Time {
            n.flags |= META;
        }
        if attrs.author_box && !n.tag.never_junk() {
            n.flags |= AUTHOR_BOX;
        }
        if attrs.hints != 0 {
            self.hinted.push((idx, attrs.hints));
        }
        match n.tag {
            Tag::A if attrs.has_href => n.flags |= IN_LINK,
            Tag::Emph => n.flags |= EMPH,
            Tag::Heading(_) => n.flags |= IN_HEADING,
            Tag::Body => self.body = idx,
            _ => {}
        }
        if n.tag.is_skip() {
            n.flags |= SKIP;
            return false;
        }
        true
    }

    /// Picks up metadata carried by this element.
    fn metadata(
        &mut self,
        tag: Tag,
        idx: u32,
        el: &'a Element,
        attrs: &attrs::Attrs<'a>,
        text: Option<&'a str>,
    ) {
        let raw = &mut self.raw;
        match tag {
            Tag::Meta => {
                let key = ["property", "name", "itemprop", "http-equiv"]
                    .iter()
                    .find_map(|k| el.attr(k));
                if let (Some(k), Some(c)) = (key, el.attr("content")) {
                    raw.metas.push((k, c));
                }
            }
            Tag::Title if raw.title.is_none() => raw.title = text,
            Tag::Script if el.attr("type").is_some_and(|t| t.contains("ld+json")) => {
                if let Some(t) = text {
                    raw.json_ld.push(t);
                }
            }
            Tag::Link => {
                let rel = el.attr("rel").unwrap_or("");
                if raw.canonical.is_none() && rel.eq_ignore_ascii_case("canonical") {
                    raw.canonical = el.attr("href");
                }
            }
            Tag::Html => raw.lang = el.attr("lang").or(raw.lang),
            Tag::Heading(1) if raw.h1.is_none() => raw.h1 = Some(idx),
            _ => {}
        }
        if tag == Tag::Time && raw.time.is_none() {
            raw.time = el.attr("datetime");
        }
        if let Some(prop) = attrs.itemprop
            && tag != Tag::Meta
        {
            if let Some(v) = el.attr("datetime").or_else(|| el.attr("content")) {
                raw.itemprops.push((prop, v));
            } else if prop.eq_ignore_ascii_case("author") && raw.byline.is_none() {
                raw.byline = Some(idx);
            }
        }
        if raw.byline.is_none() && attrs.byline {
            raw.byline = Some(idx);
        }
        if attrs.article_item {
            raw.article_items.push(idx);
        }
    }
}
