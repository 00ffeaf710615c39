//! OPML feed lists → feed URLs. Every `<outline>` with an `xmlUrl` attribute is
//! a feed, at any depth (lists group feeds in nested outlines). Pure.

use quick_xml::events::{BytesStart, Event};
use quick_xml::{Reader, XmlVersion};
use url::Url;

/// One feed listed in an OPML document.
#[derive(Debug, Clone, PartialEq)]
pub struct OpmlFeed {
    pub url: Url,
    pub title: Option<String>,
}

#[derive(Debug, thiserror::Error)]
#[error("cannot read OPML {source_name}: {reason}")]
pub struct OpmlError {
    pub source_name: String,
    pub reason: String,
}

/// Parse an OPML document; `base` resolves relative `xmlUrl`s; `source_name`
/// names the document in errors.
pub fn parse_opml(
    source_name: &str,
    base: Option<&Url>,
    xml: &str,
) -> Result<Vec<OpmlFeed>, OpmlError> {
    let error = |reason: String| OpmlError {
        source_name: source_name.to_string(),
        reason,
    };
    let mut reader = Reader::from_str(xml);
    let mut feeds = Vec::new();
    loop {
        match reader.read_event() {
            Ok(Event::Start(tag) | Event::Empty(tag)) if tag.local_name().as_ref() == "outline" => {
                if let Some(feed) = outline(&tag, base).map_err(&error)? {
                    feeds.push(feed);
                }
            }
            Ok(Event::Eof) => return Ok(feeds),
            Ok(_) => {}
            Err(e) => return Err(error(format!("at byte {}: {e}", reader.error_position()))),
        }
    }
}

fn outline(tag: &BytesStart<'_>, base: Option<&Url>) -> Result<Option<OpmlFeed>, String> {
    let mut xml_url = None;
    let mut title = None;
    for attr in tag.attributes() {
        let attr = attr.map_err(|e| e.to_string())?;
        let value = attr
            .normalized_value(XmlVersion::Implicit1_0)
            .map_err(|e| e.to_string())?
            .trim()
            .to_string();
        match attr.key.as_ref() {
            "xmlUrl" => xml_url = Some(value),
            "title" => title = Some(value),
            "text" if title.is_none() => title = Some(value),
            _ => {}
        }
    }
    let Some(raw) = xml_url.filter(|u| !u.is_empty()) else {
        return Ok(None);
    };
    let url = match base {
        Some(base) => base.join(&raw),
        None => Url::parse(&raw),
    }
    .map_err(|e| format!("bad xmlUrl `{raw}`: {e}"))?;
    Ok(Some(OpmlFeed { url, title }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nested_outlines_with_xml_url_are_feeds() {
        let xml = r#"<?xml version="1.0"?><opml version="2.0"><head><title>x</title></head><body>
            <outline text="News"><outline text="A" type="rss" xmlUrl="http://a.example/rss"/>
            <outline text="B &amp; C" xmlUrl="/b/feed.json"></outline></outline>
            <outline text="folder only"/></body></opml>"#;
        let base = Url::parse("http://127.0.0.1:9/feeds.opml").unwrap();
        let feeds = parse_opml("test", Some(&base), xml).unwrap();
        assert_eq!(feeds.len(), 2);
        assert_eq!(feeds[1].url.as_str(), "http://127.0.0.1:9/b/feed.json");
        assert_eq!(feeds[1].title.as_deref(), Some("B & C"));
    }

    #[test]
    fn broken_xml_names_the_source() {
        let err =
            parse_opml("list.opml", None, "<opml><body><outline xmlUrl=\"a</body>").unwrap_err();
        assert!(err.to_string().contains("list.opml"));
    }
}
