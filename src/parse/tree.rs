//! A forgiving XML tree for feeds. quick-xml tokenises; this module builds
//! the tree the way liberal feed readers do: unknown HTML entities (`&eacute;`)
//! are resolved, a bare `&` is kept as text, mismatched or missing end tags
//! close what they can, attributes may be unquoted, and a syntax error ends
//! the document where it occurs instead of losing all of it. Names keep their
//! prefix and each element records its namespace URI, so that readers can
//! match `dc:title` whatever prefix a feed chose.

use std::collections::HashMap;

use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};

/// Deeper elements are read as text of their ancestor: a feed needs a few
/// levels, and unbounded nesting would exhaust the stack on hostile input.
const MAX_DEPTH: usize = 64;

/// An XML element with its resolved namespace.
#[derive(Debug, Default, Clone)]
pub struct Element {
    /// The namespace URI, or "" when there is none.
    pub ns: String,
    /// The local name, as written (case kept).
    pub name: String,
    /// Attributes as (qualified name, decoded value).
    pub attrs: Vec<(String, String)>,
    pub children: Vec<Node>,
}

/// A child of an element.
#[derive(Debug, Clone)]
pub enum Node {
    Element(Element),
    Text(String),
}

impl Element {
    /// An attribute by its qualified name, or else by its local name.
    pub fn attr(&self, name: &str) -> Option<&str> {
        let exact = self.attrs.iter().find(|(k, _)| k == name);
        let local = || {
            self.attrs
                .iter()
                .find(|(k, _)| k.rsplit(':').next() == Some(name))
        };
        exact.or_else(local).map(|(_, v)| v.as_str())
    }

    /// Child elements, in order.
    pub fn elements(&self) -> impl Iterator<Item = &Element> {
        self.children.iter().filter_map(|n| match n {
            Node::Element(e) => Some(e),
            Node::Text(_) => None,
        })
    }

    /// All text inside, markup dropped.
    pub fn text(&self) -> String {
        let mut out = String::new();
        self.collect_text(&mut out);
        out
    }

    fn collect_text(&self, out: &mut String) {
        for node in &self.children {
            match node {
                Node::Text(t) => out.push_str(t),
                Node::Element(e) => e.collect_text(out),
            }
        }
    }

    /// The content as markup: text escaped, child elements written back as
    /// tags (for HTML carried unescaped inside a feed element).
    pub fn inner_markup(&self) -> String {
        let mut out = String::new();
        for node in &self.children {
            write_node(node, &mut out);
        }
        out
    }
}

fn write_node(node: &Node, out: &mut String) {
    match node {
        Node::Text(t) => out.push_str(&escape(t)),
        Node::Element(e) => {
            out.push('<');
            out.push_str(&e.name);
            for (k, v) in &e.attrs {
                out.push_str(&format!(" {k}=\"{}\"", escape(v).replace('"', "&quot;")));
            }
            out.push('>');
            e.children.iter().for_each(|c| write_node(c, out));
            out.push_str(&format!("</{}>", e.name));
        }
    }
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// An open element and the namespace declarations it made.
struct Open {
    element: Element,
    qname: String,
    scope: HashMap<String, String>,
}

/// Reads a document into its root element. None when there is no element
/// at all. A syntax error ends the document there: what came before stays.
pub fn read(text: &str) -> Option<Element> {
    let mut reader = Reader::from_str(text);
    let config = reader.config_mut();
    config.allow_dangling_amp = true;
    config.allow_unmatched_ends = true;
    config.check_end_names = false;
    config.expand_empty_elements = false;
    let mut declared = HashMap::new();
    let mut stack: Vec<Open> = vec![Open {
        element: Element::default(),
        qname: String::new(),
        scope: HashMap::new(),
    }];
    loop {
        match reader.read_event() {
            Ok(Event::Start(start)) => drop(open(&mut stack, &start)),
            Ok(Event::Empty(start)) => {
                if open(&mut stack, &start) {
                    close_top(&mut stack);
                }
            }
            Ok(Event::End(end)) => close(&mut stack, end.name().as_ref()),
            Ok(Event::Text(t)) => push_text(&mut stack, &t),
            Ok(Event::CData(t)) => push_text(&mut stack, &t),
            Ok(Event::GeneralRef(r)) => {
                let text = declared
                    .get(&*r)
                    .cloned()
                    .unwrap_or_else(|| resolve_ref(&r));
                push_text(&mut stack, &text);
            }
            Ok(Event::DocType(dtd)) => declared = entities(&dtd),
            Ok(Event::Eof) | Err(_) => break,
            Ok(_) => {}
        }
    }
    while stack.len() > 1 {
        close_top(&mut stack);
    }
    let root = stack.pop()?.element;
    root.children.into_iter().find_map(|n| match n {
        Node::Element(e) => Some(e),
        Node::Text(_) => None,
    })
}

/// Opens an element; false when it is too deep to keep.
fn open(stack: &mut Vec<Open>, start: &BytesStart) -> bool {
    let qname = start.name().as_ref().to_string();
    if stack.len() > MAX_DEPTH {
        return false;
    }
    let mut attrs = Vec::new();
    let mut scope = HashMap::new();
    for attr in start.html_attributes().with_checks(false).flatten() {
        let key = attr.key.as_ref().to_string();
        let value = decode_attr(&attr.value);
        match key.strip_prefix("xmlns") {
            Some("") => drop(scope.insert(String::new(), value.trim().to_string())),
            Some(p) if p.starts_with(':') => {
                scope.insert(p[1..].to_string(), value.trim().to_string());
            }
            _ => attrs.push((key, value)),
        }
    }
    let (prefix, name) = match qname.split_once(':') {
        Some((p, n)) => (p, n.to_string()),
        None => ("", qname.clone()),
    };
    let ns = lookup(stack, &scope, prefix);
    stack.push(Open {
        element: Element {
            ns,
            name,
            attrs,
            children: Vec::new(),
        },
        qname,
        scope,
    });
    true
}

/// The namespace a prefix stands for: declared in scope, else the one a
/// well-known prefix conventionally names (feeds often forget to declare).
fn lookup(stack: &[Open], scope: &HashMap<String, String>, prefix: &str) -> String {
    let declared = std::iter::once(scope)
        .chain(stack.iter().rev().map(|o| &o.scope))
        .find_map(|s| s.get(prefix));
    match declared {
        Some(uri) => uri.clone(),
        None => super::ns::conventional(prefix).to_string(),
    }
}

/// Closes the innermost open element of this name, and any left open
/// inside it; an end tag that matches nothing open is ignored.
fn close(stack: &mut Vec<Open>, qname: &str) {
    let Some(at) = stack.iter().skip(1).rposition(|o| o.qname == qname) else {
        return;
    };
    while stack.len() > at + 1 {
        close_top(stack);
    }
}

fn close_top(stack: &mut Vec<Open>) {
    if stack.len() < 2 {
        return;
    }
    if let Some(done) = stack.pop()
        && let Some(parent) = stack.last_mut()
    {
        parent.element.children.push(Node::Element(done.element));
    }
}

fn push_text(stack: &mut [Open], text: &str) {
    let Some(top) = stack.last_mut() else { return };
    if let Some(Node::Text(last)) = top.element.children.last_mut() {
        last.push_str(text);
    } else if !text.is_empty() {
        top.element.children.push(Node::Text(text.to_string()));
    }
}

/// The internal entities a DOCTYPE declares (`<!ENTITY id "tag:a,">`),
/// taken as plain text; external and parameter entities are not fetched,
/// and long values are ignored so that references cannot blow up memory.
fn entities(dtd: &str) -> HashMap<String, String> {
    let mut found = HashMap::new();
    for decl in dtd.split("<!ENTITY").skip(1) {
        let decl = decl.trim_start();
        let Some((name, rest)) = decl.split_once(char::is_whitespace) else {
            continue;
        };
        let rest = rest.trim_start();
        let Some(quote) = rest.chars().next().filter(|c| *c == '"' || *c == '\'') else {
            continue;
        };
        if let Some(value) = rest[1..].split(quote).next().filter(|v| v.len() <= 256) {
            found.insert(name.to_string(), decode_attr(value));
        }
    }
    found
}

/// `&name;` as the character it stands for: XML's five, numeric references,
/// then HTML's named entities; anything else stays as written.
fn resolve_ref(name: &str) -> String {
    if let Some(num) = name.strip_prefix('#') {
        let code = match num.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok(),
            None => num.parse().ok(),
        };
        return code
            .and_then(char::from_u32)
            .filter(|c| *c != '\0')
            .map_or_else(|| "\u{FFFD}".to_string(), String::from);
    }
    match name {
        "amp" => "&".into(),
        "lt" => "<".into(),
        "gt" => ">".into(),
        "quot" => "\"".into(),
        "apos" => "'".into(),
        _ => super::entities::named(name).unwrap_or_else(|| format!("&{name};")),
    }
}

/// An attribute value with its references resolved; a bare `&` stays.
fn decode_attr(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut rest = raw;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        let after = &rest[at + 1..];
        match after.find(';').filter(|&end| is_ref_name(&after[..end])) {
            Some(end) => {
                out.push_str(&resolve_ref(&after[..end]));
                rest = &after[end + 1..];
            }
            None => {
                out.push('&');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// Whether `name` (between `&` and `;`) can be a character reference.
pub(super) fn is_ref_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 32
        && name
            .chars()
            .enumerate()
            .all(|(i, c)| c.is_ascii_alphanumeric() || (i == 0 && c == '#'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entities_bare_ampersands_and_unclosed_tags_are_forgiven() {
        let root =
            read("<rss><channel><title>R&eacute;gis &amp; AT&T &#233;</title><item><title>x")
                .unwrap();
        let channel = root.elements().next().unwrap();
        let title = channel.elements().next().unwrap();
        assert_eq!(title.text(), "Régis & AT&T é");
        assert_eq!(channel.elements().count(), 2);
    }

    #[test]
    fn namespaces_resolve_declared_or_conventional_prefixes() {
        let root = read(
            r#"<feed xmlns="http://www.w3.org/2005/Atom" xmlns:x="urn:x"><x:a/><dc:date/></feed>"#,
        )
        .unwrap();
        assert_eq!(root.ns, "http://www.w3.org/2005/Atom");
        let kids: Vec<_> = root
            .elements()
            .map(|e| (e.ns.as_str(), e.name.as_str()))
            .collect();
        assert_eq!(
            kids,
            [("urn:x", "a"), ("http://purl.org/dc/elements/1.1/", "date")]
        );
    }

    #[test]
    fn entities_declared_in_the_doctype_are_resolved() {
        let root = read(
            "<!DOCTYPE rss [<!ENTITY id \"tag:a,\"> <!ENTITY % x SYSTEM \"y\">]><rss>&id;1</rss>",
        )
        .unwrap();
        assert_eq!(root.text(), "tag:a,1");
    }

    #[test]
    fn deep_nesting_is_bounded() {
        let deep = "<a>".repeat(100_000);
        let root = read(&deep).unwrap();
        assert_eq!(root.name, "a");
    }
}
