//! Recognising that a feed item changed: a signature of what the feed says
//! about it, and the items that moved up the feed (many feeds re-list an
//! updated article at the top without any field saying it was updated).

use std::collections::{HashMap, HashSet};

use sha2::{Digest, Sha256};

use crate::model::Entry;

/// A stable 64-bit hash of `parts` (stable across builds and versions,
/// unlike `std`'s hasher, because it is persisted).
fn hash64(parts: &[&str]) -> u64 {
    let mut hash = Sha256::new();
    for part in parts {
        hash.update(part.as_bytes());
        hash.update([0]);
    }
    let digest = hash.finalize();
    u64::from_be_bytes(digest[..8].try_into().expect("8 bytes"))
}

/// The hash an item key is remembered under in a feed's order.
pub fn item_hash(key: &str) -> u64 {
    hash64(&[key])
}

/// A signature of everything the feed says about an item that can change
/// when the article is updated: title, dates and content.
pub fn entry_signature(entry: &Entry) -> u64 {
    fn field(v: &Option<String>) -> &str {
        v.as_deref().unwrap_or("")
    }
    hash64(&[
        field(&entry.title),
        field(&entry.published),
        field(&entry.updated),
        field(&entry.content_html),
    ])
}

/// Where a feed's items moved between two fetches.
pub struct FeedOrder {
    before: HashSet<u64>,
    overtook: HashSet<u64>,
    top: Option<u64>,
}

impl FeedOrder {
    /// Compares two fetches' item orders (hashed keys, top first).
    pub fn compare(before: &[u64], now: &[u64]) -> FeedOrder {
        let old: HashMap<u64, usize> = before.iter().enumerate().map(|(i, h)| (*h, i)).collect();
        let mut overtook = HashSet::new();
        // Walk up from the bottom, keeping the smallest earlier position seen
        // below: an item that used to be below that one has overtaken it.
        let mut lowest_below = usize::MAX;
        for hash in now.iter().rev() {
            if let Some(&was) = old.get(hash) {
                if was > lowest_below {
                    overtook.insert(*hash);
                }
                lowest_below = lowest_below.min(was);
            }
        }
        FeedOrder {
            before: old.into_keys().collect(),
            overtook,
            top: now.first().copied(),
        }
    }

    /// Whether a known item may have changed: it moved up, or it heads a
    /// feed that changed (the caller only asks after a fresh fetch).
    pub fn changed(&self, item: u64) -> bool {
        self.moved_up(item) || self.is_top(item)
    }

    /// Whether `item` heads the feed. An update of the newest item cannot
    /// move it up, so a changed feed is a reason to re-check its top item.
    pub fn is_top(&self, item: u64) -> bool {
        self.top == Some(item)
    }

    /// Whether a known item moved up: it overtook an item that was ahead of
    /// it, or it is listed again after dropping out of the feed. New items
    /// on top move nothing; with no earlier order nothing moved.
    pub fn moved_up(&self, item: u64) -> bool {
        self.overtook.contains(&item) || (!self.before.is_empty() && !self.before.contains(&item))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn moved(before: &[u64], now: &[u64]) -> Vec<u64> {
        let order = FeedOrder::compare(before, now);
        now.iter().copied().filter(|h| order.moved_up(*h)).collect()
    }

    #[test]
    fn an_item_moved_to_the_top_is_found() {
        assert_eq!(moved(&[1, 2, 3, 4], &[3, 1, 2, 4]), [3]);
    }

    #[test]
    fn new_items_count_as_moved_only_to_callers_that_know_them() {
        // 9 and 8 are new: the caller only asks about items it has stored.
        assert_eq!(moved(&[1, 2, 3], &[9, 8, 1, 2]), [9, 8]);
        let order = FeedOrder::compare(&[1, 2, 3], &[9, 8, 1, 2]);
        assert!(!order.moved_up(1) && !order.moved_up(2));
    }

    #[test]
    fn a_new_item_and_a_moved_one_together() {
        let order = FeedOrder::compare(&[1, 2, 3], &[9, 3, 1, 2]);
        assert!(order.moved_up(3));
        assert!(!order.moved_up(1) && !order.moved_up(2));
    }

    #[test]
    fn the_top_item_of_a_changed_feed_is_worth_a_recheck() {
        let order = FeedOrder::compare(&[1, 2, 3], &[1, 2, 3]);
        assert!(order.changed(1));
        assert!(!order.changed(2));
    }

    #[test]
    fn no_earlier_order_means_nothing_moved() {
        assert!(moved(&[], &[1, 2]).is_empty());
    }

    #[test]
    fn signature_changes_with_content_only() {
        let entry = Entry {
            title: Some("A".into()),
            content_html: Some("<p>one</p>".into()),
            ..Entry::default()
        };
        let mut changed = entry.clone();
        assert_eq!(entry_signature(&entry), entry_signature(&changed));
        changed.content_html = Some("<p>one</p><p>two</p>".into());
        assert_ne!(entry_signature(&entry), entry_signature(&changed));
    }
}
