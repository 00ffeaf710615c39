//! Reads a feed tree, whatever its flavour (RSS 0.9x, 1.0, 2.0 with any or
//! no `version`, Atom 0.3 and 1.0), into items. One set of rules serves
//! them all, because feeds mix them: RSS items carry `atom:link` and
//! `dc:date`, Atom 0.3 says `issued` and `modified`. Each field is looked up
//! on its own, so a field that cannot be read is left out and the item
//! stays.

use url::Url;

use super::date;
use super::ns::{self, CONTENT, DC, DCTERMS, MEDIA};
use super::text::{self, Kind};
use super::tree::Element;
use crate::model::Entry;

/// What a feed document holds.
#[derive(Debug, Default)]
pub struct Document {
    pub title: Option<String>,
    /// RSS `<ttl>`, in minutes.
    pub ttl: Option<u64>,
    pub items: Vec<Entry>,
    /// Items that could not be read at all.
    pub skipped: usize,
}

/// The document a root element holds; None when the root is not a feed.
pub fn document(root: &mut Element, base: &Url) -> Option<Document> {
    let name = root.name.to_ascii_lowercase();
    // Whatever namespace the root is in is the feed's own (feeds invent
    // them: `xmlns="http://example.com/newformat#"`).
    let own = std::mem::take(&mut root.ns);
    if !own.is_empty() {
        unqualify(root, &own);
    }
    let root = &*root;
    let base = base_of(root, base);
    let (head, items) = match name.as_str() {
        "rss" | "rdf" => {
            let channel = root.elements().find(|e| is(e, "channel"));
            let mut items = children(root, ITEMS);
            if let Some(channel) = channel {
                items.extend(children(channel, ITEMS));
            }
            (channel.unwrap_or(root), items)
        }
        "channel" | "feed" => (root, children(root, ITEMS)),
        "entry" | "item" => (root, vec![root]),
        _ => return None,
    };
    let head_base = base_of(head, &base);
    Some(Document {
        title: first_title(head),
        ttl: head
            .elements()
            .find(|e| is(e, "ttl"))
            .and_then(|e| e.text().trim().parse().ok()),
        items: items.into_iter().map(|i| item(i, &head_base)).collect(),
        skipped: 0,
    })
}

/// What items are called: feeds mix the names (`<feed><item>`).
const ITEMS: &[&str] = &["item", "entry"];

/// Puts the elements of the feed's own namespace in no namespace.
fn unqualify(el: &mut Element, own: &str) {
    for child in el.children.iter_mut() {
        if let super::tree::Node::Element(e) = child {
            if e.ns == own {
                e.ns.clear();
            }
            unqualify(e, own);
        }
    }
}

/// A core (RSS or Atom) element of this name, any case.
fn is(el: &Element, name: &str) -> bool {
    ns::is_core(&el.ns) && el.name.eq_ignore_ascii_case(name)
}

/// An element of this namespace and local name.
fn is_in(el: &Element, namespace: &str, name: &str) -> bool {
    el.name == name && ns::is(&el.ns, namespace)
}

fn children<'a>(el: &'a Element, names: &[&str]) -> Vec<&'a Element> {
    el.elements()
        .filter(|e| names.iter().any(|n| is(e, n)))
        .collect()
}

/// The base URL inside an element: its `xml:base` resolved against the
/// outer one.
fn base_of(el: &Element, outer: &Url) -> Url {
    el.attr("xml:base")
        .or_else(|| attr_ci(el, "base").filter(|_| el.name == "CHANNEL"))
        .and_then(|b| outer.join(b.trim()).ok())
        .unwrap_or_else(|| outer.clone())
}

/// The title of a channel, feed or item: its own `title`, else
/// `dc:title`, else `media:title` (RSS items often carry only those).
fn first_title(el: &Element) -> Option<String> {
    let own = el.elements().find(|e| is(e, "title"));
    let dc = || el.elements().find(|e| is_in(e, DC, "title"));
    let media = || el.elements().find(|e| is_in(e, MEDIA, "title"));
    let found = own.or_else(dc).or_else(media)?;
    Some(text::plain(found, Kind::Html)).filter(|t| !t.is_empty())
}

fn item(el: &Element, outer: &Url) -> Entry {
    let base = base_of(el, outer);
    let id = id(el);
    Entry {
        link: link(el, &base)
            .or_else(|| permalink(el, id.as_deref()))
            .or_else(|| attr_ci(el, "href").and_then(|h| resolve(h, &base))),
        guid: id,
        title: first_title(el),
        published: first_date(el, &[PUBLISHED, CREATED]),
        updated: first_date(el, &[UPDATED]).or_else(|| attr_date(el, "lastmod")),
        content_html: body(el),
    }
}

/// The item's own id: RSS `guid`, Atom `id`, or RSS 1.0 `rdf:about`.
fn id(el: &Element) -> Option<String> {
    let own = el
        .elements()
        .find(|e| is(e, "guid") || is(e, "id"))
        .map(|e| e.text().trim().to_string());
    own.or_else(|| el.attr("rdf:about").map(|a| a.trim().to_string()))
        .filter(|id| !id.is_empty())
}

/// The article link: an RSS `<link>`'s text, else an Atom link to the
/// alternate version (not `license`, `enclosure`, `self`, `replies`, …),
/// an HTML one first.
fn link(el: &Element, base: &Url) -> Option<String> {
    let links: Vec<&Element> = el
        .elements()
        .filter(|e| is(e, "link") && !ns::is(&e.ns, MEDIA))
        .collect();
    let alternate = |e: &&&Element| {
        e.attr("rel")
            .is_none_or(|r| r.trim().eq_ignore_ascii_case("alternate"))
    };
    let text_link = links
        .iter()
        .filter(|e| e.attr("href").is_none())
        .filter(alternate)
        .map(|e| (e, e.text()))
        .find(|(_, t)| !t.trim().is_empty());
    let alternates: Vec<&&Element> = links
        .iter()
        .filter(|e| e.attr("href").is_some())
        .filter(alternate)
        .collect();
    let html = alternates
        .iter()
        .find(|e| e.attr("type").is_none_or(|t| t.contains("html")))
        .or(alternates.first())
        .and_then(|e| Some((*e, e.attr("href")?.to_string())));
    // Each link resolves against its own `xml:base`.
    let (chosen, href) = text_link.or(html)?;
    resolve(&href, &base_of(chosen, base))
}

/// An absolute http(s) or other usable URL for a link as written.
fn resolve(href: &str, base: &Url) -> Option<String> {
    let url = base.join(href.trim()).ok()?;
    let usable = !matches!(url.scheme(), "javascript" | "data" | "vbscript");
    usable.then(|| url.to_string())
}

/// With no link, the item's id when it is the article's address: an RSS
/// `guid` that does not say `isPermaLink="false"`, or an Atom `id`, when
/// it is an absolute http(s) URL. An id that is not a URL (`abc123`,
/// `tag:…`) is no link, nor is RSS 1.0's `rdf:about` (an item's name).
fn permalink(el: &Element, id: Option<&str>) -> Option<String> {
    let denied = el
        .elements()
        .filter(|e| is(e, "guid"))
        .filter_map(|g| g.attr("isPermaLink"))
        .any(|p| p.trim().eq_ignore_ascii_case("false"));
    let own = el.elements().any(|e| is(e, "guid") || is(e, "id"));
    let url = Url::parse(id.filter(|_| own)?.trim()).ok()?;
    let web = matches!(url.scheme(), "http" | "https");
    (web && !denied).then(|| url.to_string())
}

/// A date given as an attribute (CDF's `LASTMOD`).
fn attr_date(el: &Element, name: &str) -> Option<String> {
    date::parse(attr_ci(el, name)?).map(|d| d.to_rfc3339())
}

/// An attribute by name, any case (CDF writes `HREF`).
fn attr_ci<'a>(el: &'a Element, name: &str) -> Option<&'a str> {
    let found = el.attrs.iter().find(|(k, _)| k.eq_ignore_ascii_case(name));
    found.map(|(_, v)| v.as_str())
}

/// Where a publication date may be: (namespace or "" for core, name).
const PUBLISHED: &[(&str, &str)] = &[
    ("", "pubDate"),
    ("", "published"),
    ("", "issued"),
    (DC, "date"),
    (DCTERMS, "issued"),
    (DCTERMS, "available"),
];
/// A creation date: the publication date when no other is given.
const CREATED: &[(&str, &str)] = &[("", "created"), (DCTERMS, "created")];
const UPDATED: &[(&str, &str)] = &[("", "updated"), ("", "modified"), (DCTERMS, "modified")];

/// The first date of these kinds that names a real instant, RFC 3339.
fn first_date(el: &Element, kinds: &[&[(&str, &str)]]) -> Option<String> {
    kinds.iter().find_map(|places| {
        places.iter().find_map(|(namespace, name)| {
            el.elements()
                .filter(|e| match *namespace {
                    "" => is(e, name),
                    ns => is_in(e, ns, name),
                })
                .filter_map(|e| date::parse(&e.text()))
                // A repeated date element: the last one holds.
                .last()
                .map(|d| d.to_rfc3339())
        })
    })
}

/// The item's HTML: full content (`content:encoded`, Atom `content`,
/// XHTML `body`) before a summary (`description`, `summary`).
fn body(el: &Element) -> Option<String> {
    let full = el
        .elements()
        .find(|e| is_in(e, CONTENT, "encoded") || is(e, "content") || e.name == "body");
    let summary = || {
        el.elements()
            .find(|e| is(e, "description") || is(e, "summary") || is_in(e, DC, "description"))
    };
    let found = full.or_else(summary)?;
    let (kind, raw) = text::content(found, Kind::Html);
    let html = match kind {
        Kind::Text => raw.replace('&', "&amp;").replace('<', "&lt;"),
        Kind::Html | Kind::Xhtml => raw,
    };
    Some(html).filter(|h| !h.trim().is_empty())
}
