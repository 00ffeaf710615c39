//! Recognising the same article twice, and copies of one text: canonical
//! URLs (one article reached through differently decorated links), feed
//! item changes (`entry`), exact body hashes, near-duplicate fingerprints
//! (one wire text reprinted with edits: `sketch`, `near`) and story clusters
//! (write-ups of one event in different words: `story`). Pure: no I/O; the
//! store persists fingerprints and the daemon rebuilds the in-memory
//! indexes from them at start.

pub mod charcache;
pub mod engine;
mod entry;
pub mod fingerprinter;
pub mod hash;
pub mod ids;
pub mod near;
pub mod normalize;
pub mod postings;
pub mod prefetch;
pub mod shingle;
pub mod sketch;
pub mod story;
mod swar;

pub use crate::model::{BadId, GroupId, StoryId};
pub use engine::{Deduper, Engine, Incoming, Ledger, MemoryLedger, Placement};
pub use entry::{FeedOrder, entry_signature, item_hash};
pub use fingerprinter::Fingerprinter;
pub use near::{NearConfig, NearIndex, containment};
pub use sketch::{Fingerprint, FingerprintError, fingerprint};
pub use story::{StoryConfig, StoryIndex};

use sha2::{Digest, Sha256};
use url::Url;

/// Query parameters that only track the click, never select the content.
fn is_tracking_param(name: &str) -> bool {
    let name = name.to_ascii_lowercase();
    name.starts_with("utm_")
        || matches!(
            name.as_str(),
            "fbclid"
                | "gclid"
                | "dclid"
                | "msclkid"
                | "yclid"
                | "mc_cid"
                | "mc_eid"
                | "igshid"
                | "_hsenc"
                | "_hsmi"
                | "cmpid"
                | "ocid"
        )
}

/// The key an article is stored under: scheme and host lower-cased (the URL
/// parser does that and drops default ports), no fragment, no tracking
/// parameters, no empty query.
pub fn canonical_url(url: &Url) -> String {
    let mut url = url.clone();
    url.set_fragment(None);
    let kept: Vec<(String, String)> = url
        .query_pairs()
        .filter(|(name, _)| !is_tracking_param(name))
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    if kept.is_empty() {
        url.set_query(None);
    } else if url.query_pairs().count() != kept.len() {
        url.query_pairs_mut().clear().extend_pairs(&kept);
    }
    url.to_string()
}

/// A fingerprint of a body that ignores case, punctuation and spacing, so a
/// text re-served with different typography still counts as the same.
pub fn body_hash(text: &str) -> String {
    let mut hash = Sha256::new();
    for word in text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        for c in word.chars().flat_map(char::to_lowercase) {
            let mut buf = [0u8; 4];
            hash.update(c.encode_utf8(&mut buf).as_bytes());
        }
        hash.update(b" ");
    }
    hex::encode(&hash.finalize()[..16])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canonical_url_drops_tracking_fragment_and_case() {
        let url =
            Url::parse("HTTP://News.Example:80/a/b?id=3&utm_source=rss&UTM_Medium=x#top").unwrap();
        assert_eq!(canonical_url(&url), "http://news.example/a/b?id=3");
        let url = Url::parse("https://news.example/a?utm_source=rss").unwrap();
        assert_eq!(canonical_url(&url), "https://news.example/a");
        let url = Url::parse("https://news.example/?p=123").unwrap();
        assert_eq!(canonical_url(&url), "https://news.example/?p=123");
    }

    #[test]
    fn body_hash_ignores_typography_but_not_words() {
        assert_eq!(
            body_hash("It’s  “here”.\n\nNow"),
            body_hash("it's \"HERE\" now")
        );
        assert_ne!(body_hash("one story"), body_hash("another story"));
    }
}
