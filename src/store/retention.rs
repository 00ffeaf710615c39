//! Forgetting what is older than the retention period, a bounded batch at
//! a time so that the daemon's other work goes on between batches.
//!
//! An article last seen before the cut-off goes with its fingerprint and
//! its place in its group; a group left without members goes too, and then
//! the exact-body records and the alerts raised on it (an alert is kept as
//! long as its group, which is what stops a topic firing on it twice). A
//! feed item's state goes once its article is gone, unless the feed still
//! lists the item: forgetting it then would store the article again as new.
//! Undelivered events (the outbox and the dead letters) are never pruned.

use super::{Store, StoreError, decode};
use crate::model::{Alert, Article, GroupId, rfc3339_secs};
use crate::store::{GroupRecord, ItemState};

/// A tree that retention sweeps; sweep them in this order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sweep {
    Articles,
    Alerts,
    Bodies,
    Items,
}

impl Sweep {
    pub const ALL: [Sweep; 4] = [Sweep::Articles, Sweep::Alerts, Sweep::Bodies, Sweep::Items];
}

/// How far one call got: what it removed, and where the next call starts
/// (None when the tree is done).
#[derive(Debug, Default)]
pub struct Swept {
    pub removed: usize,
    pub next: Option<Vec<u8>>,
}

impl Store {
    /// Looks at up to `limit` entries of `what` from `from` on and removes
    /// those retention lets go (see the module docs). `before` is the
    /// cut-off in unix seconds; `listed(feed, item_key)` says whether a
    /// feed still lists an item.
    pub fn sweep(
        &self,
        what: Sweep,
        before: u64,
        from: Option<&[u8]>,
        limit: usize,
        listed: &dyn Fn(&str, &str) -> bool,
    ) -> Result<Swept, StoreError> {
        let (tree, name) = match what {
            Sweep::Articles => (&self.articles, "articles"),
            Sweep::Alerts => (&self.fired, "fired"),
            Sweep::Bodies => (&self.bodies, "bodies"),
            Sweep::Items => (&self.items, "items"),
        };
        let mut swept = Swept::default();
        let range = match from {
            Some(start) => tree.range(start.to_vec()..),
            None => tree.iter(),
        };
        for (seen, entry) in range.enumerate() {
            let (key, value) = entry.map_err(StoreError::sled(name))?;
            if seen == limit {
                swept.next = Some(key.to_vec());
                break;
            }
            let gone = match what {
                Sweep::Articles => self.expire_article(&key, &value, before)?,
                Sweep::Alerts => {
                    let alert: Alert = decode(name, &key, &value)?;
                    old(&alert.raised_at, before) && self.group(&alert.group)?.is_none()
                }
                Sweep::Bodies => {
                    let group: GroupId = decode(name, &key, &value)?;
                    self.group(&group)?.is_none()
                }
                Sweep::Items => {
                    let item: ItemState = decode(name, &key, &value)?;
                    let (feed, item_key) = split_pair(&key);
                    self.article(&item.canonical_url)?.is_none() && !listed(&feed, &item_key)
                }
            };
            if gone {
                tree.remove(&key).map_err(StoreError::sled(name))?;
                swept.removed += 1;
            }
        }
        Ok(swept)
    }

    /// Removes an article last seen before `before`, with its fingerprint
    /// and its membership; returns whether it was removed.
    fn expire_article(&self, key: &[u8], value: &[u8], before: u64) -> Result<bool, StoreError> {
        let article: Article = decode("articles", key, value)?;
        if !old(&article.last_seen, before) {
            return Ok(false);
        }
        if let Some(mut group) = self.group(&article.group)? {
            let before = group.clone();
            leave(&mut group, &article.canonical_url);
            if group.members.is_empty() {
                self.unindex_group(&before)?;
                self.groups
                    .remove(group.id.to_string().as_bytes())
                    .map_err(StoreError::sled("groups"))?;
            } else {
                self.put_group(&group)?;
            }
        }
        self.fingerprints
            .remove(key)
            .map_err(StoreError::sled("fingerprints"))?;
        self.unindex_article(&article)?;
        self.articles
            .remove(key)
            .map_err(StoreError::sled("articles"))?;
        Ok(true)
    }

    /// Bytes the database takes on disk.
    pub fn size_on_disk(&self) -> Result<u64, StoreError> {
        self.db.size_on_disk().map_err(StoreError::sled("meta"))
    }
}

/// Drops a member and picks the representative again among the rest.
fn leave(group: &mut GroupRecord, canonical_url: &str) {
    group.members.retain(|m| m.canonical_url != canonical_url);
    group.representative = group
        .members
        .iter()
        .fold(None, |best: Option<&super::Member>, m| match best {
            Some(b) if b.words >= m.words => Some(b),
            _ => Some(m),
        })
        .map(|m| m.canonical_url.clone())
        .unwrap_or_default();
}

/// True when an RFC 3339 time is before `before` (unix seconds); an
/// unreadable time never counts as old, so nothing is lost to a bad value.
fn old(time: &str, before: u64) -> bool {
    rfc3339_secs(time).is_some_and(|t| t < before)
}

/// The two parts of a [`super::pair`] key.
fn split_pair(key: &[u8]) -> (String, String) {
    let at = key.iter().position(|&b| b == 0).unwrap_or(key.len());
    let rest = key.get(at + 1..).unwrap_or_default();
    (
        String::from_utf8_lossy(&key[..at]).into_owned(),
        String::from_utf8_lossy(rest).into_owned(),
    )
}
