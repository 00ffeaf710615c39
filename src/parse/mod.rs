//! Feed bytes → entries. feed-rs reads RSS 0.9x/1.0/2.0, Atom and JSON Feed;
//! this module turns its model into our `Entry`, resolving relative links
//! against the feed URL and dropping repeated items. Pure: no I/O.

pub mod opml;

use std::collections::{HashMap, HashSet};
use std::time::Duration;

use feed_rs::model::{Entry as FeedEntry, Feed};
use url::Url;

use crate::model::Entry;

/// A feed that could not be parsed.
#[derive(Debug, thiserror::Error)]
#[error("cannot parse feed {url}: {reason}")]
pub struct ParseError {
    pub url: String,
    pub reason: String,
}

/// A parsed feed.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ParsedFeed {
    /// Items in feed order, each key once.
    pub entries: Vec<Entry>,
    /// RSS `<ttl>`: how long the publisher says the feed may be cached.
    pub ttl: Option<Duration>,
}

/// Parse a feed document; `url` is where it was fetched from.
pub fn parse_feed(url: &Url, bytes: &[u8]) -> Result<ParsedFeed, ParseError> {
    let parser = feed_rs::parser::Builder::new()
        .base_uri(Some(url.as_str()))
        .build();
    let feed: Feed = parser.parse(bytes).map_err(|e| ParseError {
        url: url.to_string(),
        reason: e.to_string(),
    })?;
    let mut seen = HashSet::new();
    let mut guids: HashMap<String, Option<String>> = HashMap::new();
    let entries = feed
        .entries
        .into_iter()
        .map(|item| entry(url, item))
        .map(|e| disambiguate(e, &mut guids))
        // A feed may list one item twice; the first (newest) listing wins.
        .filter(|e| e.key().is_some_and(|k| seen.insert(k.to_string())))
        .collect();
    Ok(ParsedFeed {
        entries,
        ttl: feed
            .ttl
            .map(|minutes| Duration::from_secs(u64::from(minutes) * 60)),
    })
}

/// Some feeds give two different items one GUID. The first keeps it; a
/// later item with that GUID but another link is keyed by both, so it is
/// stored too. (The same GUID with the same link is a repeat.)
fn disambiguate(mut e: Entry, guids: &mut HashMap<String, Option<String>>) -> Entry {
    let Some(guid) = e.guid.clone() else { return e };
    match guids.get(&guid) {
        None => {
            guids.insert(guid, e.link.clone());
        }
        Some(first) if *first != e.link => {
            let link = e.link.as_deref().unwrap_or_default();
            e.guid = Some(format!("{guid} {link}"));
        }
        Some(_) => {}
    }
    e
}

fn entry(feed_url: &Url, item: FeedEntry) -> Entry {
    let link = item
        .links
        .iter()
        .find(|l| l.rel.as_deref().is_none_or(|r| r == "alternate"))
        .or(item.links.first())
        .and_then(|l| feed_url.join(l.href.trim()).ok())
        .map(String::from);
    let content_html = item
        .content
        .and_then(|c| c.body)
        .or_else(|| item.summary.map(|s| s.content));
    Entry {
        guid: Some(item.id).filter(|id| !id.is_empty()),
        link,
        title: item.title.map(|t| t.content.trim().to_string()),
        published: item.published.map(|d| d.to_rfc3339()),
        updated: item.updated.map(|d| d.to_rfc3339()),
        content_html,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url() -> Url {
        Url::parse("http://news.example/feeds/rss.xml").unwrap()
    }

    #[test]
    fn two_items_sharing_a_guid_are_both_kept_and_repeats_are_not() {
        let rss = r#"<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>
            <item><title>A</title><link>/a.html</link><guid>same</guid></item>
            <item><title>B</title><link>/b.html</link><guid>same</guid></item>
            <item><title>A again</title><link>/a.html</link><guid>same</guid></item>
            </channel></rss>"#;
        let entries = parse_feed(&url(), rss.as_bytes()).unwrap().entries;
        let titles: Vec<_> = entries
            .iter()
            .map(|e| e.title.as_deref().unwrap())
            .collect();
        assert_eq!(titles, ["A", "B"]);
    }

    #[test]
    fn rss_items_resolve_relative_links_and_drop_repeats() {
        let rss = r#"<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>
            <item><title>One</title><link>item-1.html</link><guid>a</guid></item>
            <item><title>One again</title><link>item-1.html</link><guid>a</guid></item>
            <item><title>Two</title><link>/x/item-2.html</link><guid>b</guid>
              <pubDate>Thu, 24 Oct 2019 10:00:00 +0900</pubDate></item>
            </channel></rss>"#;
        let entries = parse_feed(&url(), rss.as_bytes()).unwrap().entries;
        assert_eq!(entries.len(), 2);
        assert_eq!(
            entries[0].link.as_deref(),
            Some("http://news.example/feeds/item-1.html")
        );
        assert_eq!(
            entries[1].link.as_deref(),
            Some("http://news.example/x/item-2.html")
        );
        assert_eq!(
            entries[1].published.as_deref(),
            Some("2019-10-24T01:00:00+00:00")
        );
    }

    #[test]
    fn json_feed_and_atom_parse() {
        let json = r#"{"version":"https://jsonfeed.org/version/1.1","title":"j",
            "items":[{"id":"1","url":"http://news.example/a","title":"A","content_html":"<p>x</p>"}]}"#;
        let entries = parse_feed(&url(), json.as_bytes()).unwrap().entries;
        assert_eq!(entries[0].content_html.as_deref(), Some("<p>x</p>"));
        let atom = r#"<feed xmlns="http://www.w3.org/2005/Atom"><title>a</title><id>f</id>
            <updated>2019-10-24T00:00:00Z</updated><entry><id>e1</id><title>E</title>
            <link href="http://news.example/e1"/><updated>2019-10-24T00:00:00Z</updated></entry></feed>"#;
        let entries = parse_feed(&url(), atom.as_bytes()).unwrap().entries;
        assert_eq!(entries[0].guid.as_deref(), Some("e1"));
    }

    #[test]
    fn malformed_xml_is_an_error_naming_the_feed() {
        let err = parse_feed(&url(), b"<rss><channel><item>&").unwrap_err();
        assert!(err.to_string().contains("news.example"));
    }
}
