//! Text constructs → plain text. A feed title may be plain text, escaped
//! HTML, or markup written straight into the XML (`Breaking: <b>big</b>
//! news`); Atom says which with `type` (and Atom 0.3 with `mode`), and
//! feeds spell the type many ways (`text/plain`, `HTML`, `""`,
//! `application/xhtml+xml`). wirewatch keeps titles as plain text: entities
//! decoded, tags dropped, whitespace collapsed.

use base64::Engine as _;

use super::tree::Element;

/// How an element's content is to be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Text,
    Html,
    Xhtml,
}

/// The kind an element declares, or `default` when it declares none (or
/// one that says nothing useful, such as `application/octet-stream`).
pub fn kind(el: &Element, default: Kind) -> Kind {
    if el
        .attr("mode")
        .is_some_and(|m| m.eq_ignore_ascii_case("escaped"))
    {
        return Kind::Html;
    }
    let Some(declared) = el.attr("type") else {
        return default;
    };
    let declared = declared.trim().to_ascii_lowercase();
    match declared.as_str() {
        "html" | "text/html" => Kind::Html,
        "xhtml" | "application/xhtml+xml" => Kind::Xhtml,
        "text" | "text/plain" => Kind::Text,
        "" => default,
        other if other.starts_with("text/") => Kind::Text,
        _ => default,
    }
}

/// The element's content as markup or text, as its kind says: escaped HTML
/// is taken as it stands, markup written into the XML is written back.
pub fn content(el: &Element, default: Kind) -> (Kind, String) {
    let kind = kind(el, default);
    let has_markup = el.elements().next().is_some();
    if is_base64(el) {
        return (Kind::Html, base64_text(&el.text()));
    }
    let raw = if kind == Kind::Xhtml || has_markup {
        el.inner_markup()
    } else {
        el.text()
    };
    let kind = if has_markup && kind == Kind::Text {
        Kind::Html
    } else {
        kind
    };
    (kind, raw)
}

/// The element's content as plain text.
pub fn plain(el: &Element, default: Kind) -> String {
    let (kind, raw) = content(el, default);
    match kind {
        Kind::Text => collapse(&raw),
        Kind::Html | Kind::Xhtml => html_to_text(&raw),
    }
}

/// Content sent base64-encoded: Atom 0.3's `mode="base64"`, or an Atom
/// 1.0 type that is neither text nor XML (`application/octet-stream`).
fn is_base64(el: &Element) -> bool {
    let mode = el
        .attr("mode")
        .is_some_and(|m| m.eq_ignore_ascii_case("base64"));
    let binary = el.attr("type").is_some_and(|t| {
        let t = t.trim().to_ascii_lowercase();
        t.contains('/') && !t.starts_with("text/") && !t.contains("xml")
    });
    mode || binary
}

/// HTML → its text (scripts and styles left out), whitespace collapsed.
pub fn html_to_text(html: &str) -> String {
    if !html.contains(['<', '&']) {
        return collapse(html);
    }
    let fragment = scraper::Html::parse_fragment(&escape_bare_amps(html));
    let text: String = fragment
        .root_element()
        .descendants()
        .filter(|n| {
            !n.ancestors().any(|a| {
                a.value()
                    .as_element()
                    .is_some_and(|e| matches!(e.name(), "script" | "style"))
            })
        })
        .filter_map(|n| n.value().as_text().map(|t| t.to_string()))
        .collect();
    collapse(&text)
}

/// `&` escaped where it starts no complete reference: HTML would read
/// `?page=1&copy=2` as `?page=1©=2`, and feeds mean the ampersand.
fn escape_bare_amps(html: &str) -> std::borrow::Cow<'_, str> {
    if !html.contains('&') {
        return html.into();
    }
    let mut out = String::with_capacity(html.len() + 8);
    let mut parts = html.split('&');
    out.push_str(parts.next().unwrap_or_default());
    for part in parts {
        let complete = part
            .split_once(';')
            .is_some_and(|(name, _)| super::tree::is_ref_name(name));
        out.push_str(if complete { "&" } else { "&amp;" });
        out.push_str(part);
    }
    out.into()
}

/// Runs of whitespace as one space, none at the ends.
pub fn collapse(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn base64_text(encoded: &str) -> String {
    let compact: String = encoded.split_whitespace().collect();
    base64::engine::general_purpose::STANDARD
        .decode(compact)
        .map(|bytes| String::from_utf8_lossy(&bytes).into_owned())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::tree;

    fn title(xml: &str) -> String {
        plain(&tree::read(xml).unwrap(), Kind::Html)
    }

    #[test]
    fn titles_become_plain_text_whatever_their_type() {
        assert_eq!(
            title("<title>Breaking: <b>big</b> news</title>"),
            "Breaking: big news"
        );
        assert_eq!(title("<title>R&eacute;gis &amp;lt;3</title>"), "Régis <3");
        assert_eq!(
            title(r#"<title type="text/plain">a &amp;lt; b</title>"#),
            "a &lt; b"
        );
        assert_eq!(
            title(r#"<title type="HTML">&lt;i&gt;x&lt;/i&gt;  y</title>"#),
            "x y"
        );
        assert_eq!(
            title(
                r#"<title type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml">a <b>b</b></div></title>"#
            ),
            "a b"
        );
        assert_eq!(title(r#"<title mode="base64">SGVsbG8=</title>"#), "Hello");
        assert_eq!(
            title("<title>?page=1&copy=2;mode=x &amp; done</title>"),
            "?page=1&copy=2;mode=x & done"
        );
    }
}
