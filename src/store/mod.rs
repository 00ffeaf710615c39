//! Persistent state in sled, and the only module that knows sled. Each kind
//! of record has its own tree with JSON values:
//!
//! | tree | key | value |
//! |---|---|---|
//! | `articles` | canonical URL | `Article` |
//! | `items` | feed URL, 0, item key | `ItemState`: which article a feed item became |
//! | `bodies` | body hash | `GroupId` of the first article with that body (texts too short to fingerprint) |
//! | `fingerprints` | canonical URL | `FingerprintRecord`: group, time, near-duplicate fingerprint |
//! | `groups` | group id | `GroupRecord`: story, members, representative |
//! | `fired` | topic, 0, group or story | the `Alert` raised: a topic fires once per group (or story) |
//! | `outbox` | sink name, 0, sequence | `Delivery`: an event (alert or follow-up) still to deliver to that sink |
//! | `dead` | sink name, 0, sequence | `Delivery` that ran out of retries, kept for `alerts replay` |
//! | `held` | topic, 0, sequence | `Held`: an alert of a digest topic waiting for its window to end |
//! | `feeds` | feed URL | `FeedState`: conditional-GET validators and health |
//! | `active`, `stories`, `seen` | see `index` | indexes for bounded reads |
//!
//! "Topic T fired on group G" and the outbox entries are written in one
//! transaction, so a crash can neither lose a promised alert nor send one twice
//! under two ids; the same holds for an alert held for a digest and for the
//! digest that later replaces it in the outbox.

mod alerts;
mod articles;
mod digests;
mod error;
mod feeds;
mod groups;
mod index;
mod retention;
#[cfg(test)]
mod tests;

use std::path::Path;
use std::time::{Duration, Instant};

use serde::Serialize;
use serde::de::DeserializeOwned;

pub use alerts::{Delivery, Queued};
pub use articles::ItemState;
pub use digests::{Held, HeldEntry};
pub use error::StoreError;
pub use feeds::FeedState;
pub use groups::{FingerprintRecord, GroupLedger, GroupRecord, Member};
pub use retention::{Sweep, Swept};

/// Bumped when the layout of a tree changes incompatibly; `migrate` brings
/// older databases up to date.
const SCHEMA_VERSION: &[u8] = b"3";

/// How long to wait for another process's hold on the database to end.
/// A process that is shutting down (a restart) releases its file lock only
/// when sled's last handle and flusher thread are gone.
const LOCK_PATIENCE: Duration = Duration::from_secs(3);

/// The database; cheap to clone (sled handles are shared).
#[derive(Clone)]
pub struct Store {
    db: sled::Db,
    articles: sled::Tree,
    items: sled::Tree,
    bodies: sled::Tree,
    fingerprints: sled::Tree,
    groups: sled::Tree,
    fired: sled::Tree,
    outbox: sled::Tree,
    dead: sled::Tree,
    held: sled::Tree,
    feeds: sled::Tree,
    active: sled::Tree,
    stories: sled::Tree,
    seen: sled::Tree,
}

impl Store {
    /// Open (or create) the database in `dir`.
    pub fn open(dir: &Path) -> Result<Store, StoreError> {
        let db = open_locked(dir).map_err(|source| match source {
            sled::Error::Io(err) if is_lock_error(&err) => StoreError::Locked {
                path: dir.to_path_buf(),
            },
            source => StoreError::Open {
                path: dir.to_path_buf(),
                source,
            },
        })?;
        let tree = |name: &'static str| db.open_tree(name).map_err(StoreError::sled(name));
        let store = Store {
            articles: tree("articles")?,
            items: tree("items")?,
            bodies: tree("bodies")?,
            fingerprints: tree("fingerprints")?,
            groups: tree("groups")?,
            fired: tree("fired")?,
            outbox: tree("outbox")?,
            dead: tree("dead")?,
            held: tree("held")?,
            feeds: tree("feeds")?,
            active: tree("active")?,
            stories: tree("stories")?,
            seen: tree("seen")?,
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
            Some(v) if v.as_ref() == b"1" => {
                self.migrate_from_1()?;
                self.migrate_from_2()
            }
            Some(v) if v.as_ref() == b"2" => self.migrate_from_2(),
            Some(v) => Err(StoreError::Schema {
                path: dir.to_path_buf(),
                found: String::from_utf8_lossy(&v).into_owned(),
            }),
        }
    }

    /// Version 1 kept bare alerts in the outbox under `sink, 0, alert id`;
    /// version 2 keeps typed events under a sequence number. Queued alerts
    /// are carried over, so an upgrade loses no undelivered alert.
    fn migrate_from_1(&self) -> Result<(), StoreError> {
        let old: Vec<(sled::IVec, sled::IVec)> = self
            .outbox
            .iter()
            .collect::<Result<_, _>>()
            .map_err(StoreError::sled("outbox"))?;
        for (key, value) in old {
            let alert: crate::model::Alert = decode("outbox", &key, &value)?;
            let sink = key.split(|b| *b == 0).next().unwrap_or_default();
            let sink = String::from_utf8_lossy(sink).into_owned();
            self.queue(&crate::model::Event::Alert(alert), &[sink])?;
            self.outbox
                .remove(key)
                .map_err(StoreError::sled("outbox"))?;
        }
        Ok(())
    }

    /// Version 3 added the indexes of `index`; they are built from the trees.
    fn migrate_from_2(&self) -> Result<(), StoreError> {
        self.build_indexes()?;
        self.db
            .insert("schema", SCHEMA_VERSION)
            .map_err(StoreError::sled("meta"))?;
        Ok(())
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

/// Opens sled, waiting up to [`LOCK_PATIENCE`] while another process (or
/// a closing handle in this one) still holds the database's lock.
fn open_locked(dir: &Path) -> sled::Result<sled::Db> {
    let started = Instant::now();
    loop {
        match sled::open(dir) {
            Err(sled::Error::Io(err))
                if is_lock_error(&err) && started.elapsed() < LOCK_PATIENCE =>
            {
                std::thread::sleep(Duration::from_millis(50));
            }
            other => return other,
        }
    }
}

/// sled reports a held lock only in the message of an `Other` I/O error.
fn is_lock_error(err: &std::io::Error) -> bool {
    err.to_string().contains("could not acquire lock")
}
