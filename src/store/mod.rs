//! Persistent state in sled, and the only module that knows sled. Each kind
//! of record has its own tree with JSON values:
//!
//! | tree | key | value |
//! |---|---|---|
//! | `articles` | canonical URL | `Article` |
//! | `items` | feed URL, 0, item key | `ItemState`: which article a feed item became |
//! | `bodies` | body hash | `GroupId` of the first article with that body |
//! | `fired` | topic, 0, group | the `Alert` raised: a topic fires once per group |
//! | `outbox` | sink name, 0, alert id | the `Alert` still to deliver to that sink |
//! | `feeds` | feed URL | `FeedState`: conditional-GET validators and health |
//!
//! "Topic T fired on group G" and the outbox entries are written in one
//! transaction, so a crash can neither lose a promised alert nor send one twice
//! under two ids.

mod error;

use std::path::Path;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use sled::Transactional;
use sled::transaction::ConflictableTransactionError;

pub use error::StoreError;

use crate::model::{Alert, Article, GroupId};

/// Bumped when the layout of a tree changes incompatibly.
const SCHEMA_VERSION: &[u8] = b"1";

/// What became of a feed item, so a repeat poll does not fetch it again.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ItemState {
    pub canonical_url: String,
    /// The item's modification time when last processed; a newer one is an update.
    pub updated: Option<String>,
}

/// Per-feed polling state.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct FeedState {
    pub etag: Option<String>,
    pub last_modified: Option<String>,
    pub last_success: Option<String>,
    pub last_error: Option<String>,
    pub consecutive_errors: u32,
}

/// The database; cheap to clone (sled handles are shared).
#[derive(Clone)]
pub struct Store {
    db: sled::Db,
    articles: sled::Tree,
    items: sled::Tree,
    bodies: sled::Tree,
    fired: sled::Tree,
    outbox: sled::Tree,
    feeds: sled::Tree,
}

impl Store {
    /// Open (or create) the database in `dir`.
    pub fn open(dir: &Path) -> Result<Store, StoreError> {
        let db = sled::open(dir).map_err(|source| StoreError::Open {
            path: dir.to_path_buf(),
            source,
        })?;
        let tree = |name: &'static str| db.open_tree(name).map_err(StoreError::sled(name));
        let store = Store {
            articles: tree("articles")?,
            items: tree("items")?,
            bodies: tree("bodies")?,
            fired: tree("fired")?,
            outbox: tree("outbox")?,
            feeds: tree("feeds")?,
            db,
        };
        store.check_schema(dir)?;
        Ok(store)
    }

    fn check_schema(&self, dir: &Path) -> Result<(), StoreError> {
        let found = self.db.get("schema").map_err(StoreError::sled("meta"))?;
        match found {
            None => {
                self.db
                    .insert("schema", SCHEMA_VERSION)
                    .map_err(StoreError::sled("meta"))?;
                Ok(())
            }
            Some(v) if v.as_ref() == SCHEMA_VERSION => Ok(()),
            Some(v) => Err(StoreError::Schema {
                path: dir.to_path_buf(),
                found: String::from_utf8_lossy(&v).into_owned(),
            }),
        }
    }

    pub fn item(&self, feed: &str, key: &str) -> Result<Option<ItemState>, StoreError> {
        get(&self.items, "items", &pair(feed, key))
    }

    pub fn put_item(&self, feed: &str, key: &str, state: &ItemState) -> Result<(), StoreError> {
        put(&self.items, "items", &pair(feed, key), state)
    }

    pub fn article(&self, canonical_url: &str) -> Result<Option<Article>, StoreError> {
        get(&self.articles, "articles", canonical_url.as_bytes())
    }

    pub fn put_article(&self, article: &Article) -> Result<(), StoreError> {
        put(
            &self.articles,
            "articles",
            article.canonical_url.as_bytes(),
            article,
        )
    }

    /// Every stored article, in key order.
    pub fn articles(&self) -> impl Iterator<Item = Result<Article, StoreError>> + '_ {
        self.articles.iter().map(|entry| {
            let (key, value) = entry.map_err(StoreError::sled("articles"))?;
            decode("articles", &key, &value)
        })
    }

    pub fn article_count(&self) -> usize {
        self.articles.len()
    }

    /// The group of the first article stored with this body hash; `proposed`
    /// becomes that group when the hash is new. Atomic, so two copies
    /// processed at once still land in one group.
    pub fn group_for_body(&self, hash: &str, proposed: &GroupId) -> Result<GroupId, StoreError> {
        let value = serde_json::to_vec(proposed).map_err(StoreError::encode("bodies"))?;
        let swap = self
            .bodies
            .compare_and_swap(hash, None as Option<&[u8]>, Some(value))
            .map_err(StoreError::sled("bodies"))?;
        match swap {
            Ok(()) => Ok(proposed.clone()),
            Err(current) => match current.current {
                Some(existing) => decode("bodies", hash.as_bytes(), &existing),
                None => Ok(proposed.clone()),
            },
        }
    }

    /// Record that `alert.topic` fired on `alert.group` and queue the alert for
    /// each sink, atomically. Returns false (and writes nothing) when the topic
    /// already fired on that group.
    pub fn fire(&self, alert: &Alert, sinks: &[String]) -> Result<bool, StoreError> {
        let fired_key = pair(&alert.topic, &alert.group.0);
        let value = serde_json::to_vec(alert).map_err(StoreError::encode("fired"))?;
        let result = (&self.fired, &self.outbox).transaction(|(fired, outbox)| {
            if fired.get(&fired_key)?.is_some() {
                return Ok(false);
            }
            fired.insert(fired_key.as_slice(), value.as_slice())?;
            for sink in sinks {
                outbox.insert(pair(sink, &alert.id.0), value.as_slice())?;
            }
            Ok::<bool, ConflictableTransactionError<()>>(true)
        });
        result.map_err(|e| StoreError::Transaction(format!("{e:?}")))
    }

    /// Every alert raised so far, in key order.
    pub fn fired(&self) -> impl Iterator<Item = Result<Alert, StoreError>> + '_ {
        self.fired.iter().map(|entry| {
            let (key, value) = entry.map_err(StoreError::sled("fired"))?;
            decode("fired", &key, &value)
        })
    }

    /// Alerts waiting for delivery to `sink`, oldest key first.
    pub fn pending(&self, sink: &str, limit: usize) -> Result<Vec<Alert>, StoreError> {
        let prefix = pair(sink, "");
        self.outbox
            .scan_prefix(prefix)
            .take(limit)
            .map(|entry| {
                let (key, value) = entry.map_err(StoreError::sled("outbox"))?;
                decode("outbox", &key, &value)
            })
            .collect()
    }

    /// Remove an alert from a sink's queue once the sink acknowledged it.
    pub fn delivered(&self, sink: &str, alert: &Alert) -> Result<(), StoreError> {
        self.outbox
            .remove(pair(sink, &alert.id.0))
            .map_err(StoreError::sled("outbox"))?;
        Ok(())
    }

    pub fn feed_state(&self, feed: &str) -> Result<FeedState, StoreError> {
        Ok(get(&self.feeds, "feeds", feed.as_bytes())?.unwrap_or_default())
    }

    pub fn put_feed_state(&self, feed: &str, state: &FeedState) -> Result<(), StoreError> {
        put(&self.feeds, "feeds", feed.as_bytes(), state)
    }

    /// Wait until everything written so far is on disk.
    pub async fn flush(&self) -> Result<(), StoreError> {
        self.db
            .flush_async()
            .await
            .map_err(StoreError::sled("flush"))?;
        Ok(())
    }
}

/// A two-part key; 0 never occurs in URLs, topic names or ids.
fn pair(a: &str, b: &str) -> Vec<u8> {
    let mut key = Vec::with_capacity(a.len() + b.len() + 1);
    key.extend_from_slice(a.as_bytes());
    key.push(0);
    key.extend_from_slice(b.as_bytes());
    key
}

fn get<T: DeserializeOwned>(
    tree: &sled::Tree,
    name: &'static str,
    key: &[u8],
) -> Result<Option<T>, StoreError> {
    match tree.get(key).map_err(StoreError::sled(name))? {
        Some(value) => decode(name, key, &value).map(Some),
        None => Ok(None),
    }
}

fn put<T: Serialize>(
    tree: &sled::Tree,
    name: &'static str,
    key: &[u8],
    value: &T,
) -> Result<(), StoreError> {
    let bytes = serde_json::to_vec(value).map_err(StoreError::encode(name))?;
    tree.insert(key, bytes).map_err(StoreError::sled(name))?;
    Ok(())
}

fn decode<T: DeserializeOwned>(
    tree: &'static str,
    key: &[u8],
    value: &[u8],
) -> Result<T, StoreError> {
    serde_json::from_slice(value).map_err(|source| StoreError::Corrupt {
        tree,
        key: String::from_utf8_lossy(key).replace('\0', "/"),
        source,
    })
}
