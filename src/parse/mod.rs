//! Feed bytes → entries. Feeds are read as liberally as the readers people
//! trust read them: the encoding is sniffed (`decode`), the XML is read
//! forgivingly (`tree`: HTML entities, bare `&`, unclosed tags), and one set
//! of rules reads every RSS and Atom flavour (`read`), with titles as plain
//! text (`text`) and dates in the many spellings feeds use (`date`). JSON
//! Feed is read by feed-rs. A field that cannot be read is dropped, never
//! the item; an item with nothing to identify it is skipped and counted.
//! Relative links resolve against the feed URL; repeated items are dropped.
//! Pure: no I/O, and no panic escapes.

mod date;
mod date_words;
mod decode;
mod entities;
mod ns;
pub mod opml;
mod read;
mod text;
mod tree;

use std::collections::{HashMap, HashSet};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::time::Duration;

use feed_rs::model::{Entry as FeedEntry, Feed};
use sha2::{Digest as _, Sha256};
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
    /// The feed's own title.
    pub title: Option<String>,
    /// Items left out because they could not be read, plus items that
    /// nothing identifies (no id, link, title, date or content), which are
    /// listed in `entries` without a key and skipped by the pipeline.
    pub skipped: usize,
}

/// Parse a feed document; `url` is where it was fetched from.
pub fn parse_feed(url: &Url, bytes: &[u8]) -> Result<ParsedFeed, ParseError> {
    let fail = |reason: String| ParseError {
        url: url.to_string(),
        reason,
    };
    // The parsers are meant never to panic; should one, it costs this
    // document, not the caller.
    let document = catch_unwind(AssertUnwindSafe(|| document(url, bytes)))
        .map_err(|_| fail("the feed parser panicked on this document".to_string()))?
        .map_err(fail)?;
    Ok(finish(document))
}

/// The document's items as read, before repeats are dropped.
fn document(url: &Url, bytes: &[u8]) -> Result<read::Document, String> {
    let unmarked = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let first = unmarked.iter().find(|b| !b.is_ascii_whitespace());
    if first == Some(&b'{') {
        return json_feed(url, unmarked);
    }
    let text = decode::to_text(bytes);
    let mut root = tree::read(&text).ok_or("no XML element in the document")?;
    let name = root.name.clone();
    read::document(&mut root, url)
        .ok_or_else(|| format!("not a feed: the root element is <{name}>, not rss, RDF or feed"))
}

/// A JSON Feed, read by feed-rs. feed-rs refuses the whole feed for one
/// bad item, so when it does, each item is read on its own and those it
/// still refuses are skipped and counted.
fn json_feed(url: &Url, bytes: &[u8]) -> Result<read::Document, String> {
    let reason = match json_items(url, bytes) {
        Ok(document) => return Ok(document),
        Err(reason) => reason,
    };
    let mut value: serde_json::Value =
        serde_json::from_slice(bytes).map_err(|e| format!("unable to parse JSON: {e}"))?;
    let items = match value.get_mut("items").map(serde_json::Value::take) {
        Some(serde_json::Value::Array(items)) => items,
        _ => return Err(reason),
    };
    value["items"] = serde_json::Value::Array(Vec::new());
    let mut document = json_items(url, value.to_string().as_bytes())?;
    for item in items {
        value["items"] = serde_json::Value::Array(vec![item]);
        match json_items(url, value.to_string().as_bytes()) {
            Ok(one) => document.items.extend(one.items),
            Err(_) => document.skipped += 1,
        }
    }
    Ok(document)
}

fn json_items(url: &Url, bytes: &[u8]) -> Result<read::Document, String> {
    let parser = feed_rs::parser::Builder::new()
        .base_uri(Some(url.as_str()))
        .build();
    let feed: Feed = parser.parse(bytes).map_err(|e| e.to_string())?;
    Ok(read::Document {
        title: feed.title.map(|t| t.content),
        ttl: feed.ttl.map(u64::from),
        items: feed.entries.into_iter().map(|e| entry(url, e)).collect(),
        skipped: 0,
    })
}

/// Keys every item, drops repeats, and counts what had to be left out.
fn finish(document: read::Document) -> ParsedFeed {
    let mut seen = HashSet::new();
    let mut guids: HashMap<String, Option<String>> = HashMap::new();
    let mut skipped = document.skipped;
    let mut entries = Vec::with_capacity(document.items.len());
    for item in document.items {
        let item = disambiguate(keyed(item), &mut guids);
        match item.key() {
            // A feed may list one item twice; the first (newest) listing wins.
            Some(key) if !seen.insert(key.to_string()) => {}
            Some(_) => entries.push(item),
            // Listed, as the feed lists it, but nothing can follow it.
            None => {
                skipped += 1;
                entries.push(item);
            }
        }
    }
    ParsedFeed {
        entries,
        ttl: document
            .ttl
            .map(|minutes| Duration::from_secs(minutes.saturating_mul(60))),
        title: document.title,
        skipped,
    }
}

/// An item with a key: its id, else its link, else one derived from its
/// title, dates and content (stable across polls); an empty item stays
/// without one.
fn keyed(mut item: Entry) -> Entry {
    let parts = [
        &item.title,
        &item.published,
        &item.updated,
        &item.content_html,
    ];
    if item.key().is_some() || parts.iter().all(|p| p.is_none()) {
        return item;
    }
    let mut hash = Sha256::new();
    for part in parts {
        hash.update(part.as_deref().unwrap_or_default().as_bytes());
        hash.update([0]);
    }
    item.guid = Some(format!(
        "urn:wirewatch:{}",
        hex::encode(&hash.finalize()[..12])
    ));
    item
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
mod tests;
