//! The in-memory index of recent fingerprints that answers "which group is
//! this body a copy of?". Candidates come from the anchors (index keys) that
//! a new fingerprint shares with indexed ones; each candidate is then scored
//! by containment: within the range of shingle ranks that both sketches hold
//! completely, the share of the smaller sample found in the larger. A copy
//! cut to its first paragraphs, or with an editor's note or credit added, is
//! (nearly) contained in its original; two different stories from one site
//! share only their boilerplate, a small part of either.
//!
//! Memory per article is bounded: a sketch of at most 128 ranks quantised to
//! 16 bits, 24 anchors, a few fixed fields and 24 postings — about 600 bytes.
//! A lookup costs 24 probes of one table plus the scoring of the few
//! articles that share an anchor, independent of the index size: anchors are
//! 32-bit hashes independent of the ranks, and ubiquitous anchors (shared by
//! [`NearConfig::posting_cap`] articles) are skipped.
//!
//! Entries older than the window no longer attract new copies: lookups
//! ignore them and [`NearIndex::expire`] frees them.

mod entry;

pub use entry::{Containment, containment};

use super::hash::hash_bytes;
use super::postings::Postings;
use super::prefetch::{prefetch, prefetch_all};
use super::sketch::{ANCHORS, Fingerprint};
use crate::model::GroupId;
use entry::{Entry, QueryBits};
use rustc_hash::FxHashMap;

/// Candidates scored per lookup at most (the ones sharing most anchors).
const MAX_SCORED: usize = 8;

/// Two groups that one article is a copy of are parts of one text, and
/// merge, when their best matches overlap this much: partial copies of one
/// text (one without its lead, one without its tail) overlap in the middle,
/// while two texts that a long article merely quotes share next to nothing
/// (different texts score at most 0.25).
const BRIDGE_OVERLAP: f64 = 0.25;
const BRIDGE_MATCHES: usize = 3;

/// What a lookup found.
#[derive(Debug, Default, PartialEq)]
pub struct Found {
    /// The best-scoring copy's group and score.
    pub best: Option<(GroupId, f64)>,
    /// Other groups the article is a copy of whose texts overlap the best
    /// one's: one text that reached the index in parts that did not match
    /// each other (a copy without its lead, one without its tail), until
    /// this article, holding both, bridged them.
    pub bridged: Vec<GroupId>,
}

/// Where [`NearIndex::assign_merging`] placed an article.
#[derive(Debug, PartialEq)]
pub struct Assigned {
    pub group: GroupId,
    /// The copy score; None for a new group or an update.
    pub score: Option<f64>,
    /// Groups merged into `group`.
    pub merged: Vec<GroupId>,
}

/// Tunables of copy detection.
#[derive(Debug, Clone, PartialEq)]
pub struct NearConfig {
    /// Seconds during which an indexed article attracts copies (default 3 days).
    pub window_secs: u64,
    /// Minimal containment score for a copy (default 0.5; see the crate
    /// report for the reasoning: copies under the edit model score ≥ 0.75,
    /// different texts ≤ 0.25).
    pub threshold: f64,
    /// Minimal number of shared sampled shingles: below it two texts are too
    /// short to call copies by their wording alone (default 6).
    pub min_matches: usize,
    /// Groups an anchor may index before it counts as boilerplate and is
    /// skipped (default 16).
    pub posting_cap: usize,
}

impl Default for NearConfig {
    fn default() -> NearConfig {
        NearConfig {
            window_secs: 3 * 24 * 3600,
            threshold: 0.5,
            min_matches: 6,
            posting_cap: 16,
        }
    }
}

/// The index of recent fingerprints; see the module docs.
#[derive(Debug)]
pub struct NearIndex {
    config: NearConfig,
    entries: Vec<Option<Entry>>,
    free: Vec<u32>,
    by_key: FxHashMap<u64, u32>,
    postings: Postings,
    /// Scratch space of lookups, kept to save allocating 8 KB each time.
    query_bits: QueryBits,
}

fn key_hash(article_key: &str) -> u64 {
    hash_bytes(article_key.as_bytes())
}

impl NearIndex {
    /// An empty index.
    pub fn new(config: NearConfig) -> NearIndex {
        NearIndex {
            postings: Postings::new(config.posting_cap),
            config,
            entries: Vec::new(),
            free: Vec::new(),
            by_key: FxHashMap::default(),
            query_bits: QueryBits::default(),
        }
    }

    /// The configuration in use.
    pub fn config(&self) -> &NearConfig {
        &self.config
    }

    /// Copies are looked for among articles indexed within `window_secs`
    /// from now on.
    pub fn set_window(&mut self, window_secs: u64) {
        self.config.window_secs = window_secs;
    }

    /// Indexed articles.
    pub fn len(&self) -> usize {
        self.by_key.len()
    }

    /// True when nothing is indexed.
    pub fn is_empty(&self) -> bool {
        self.by_key.is_empty()
    }

    /// Whether `fp` has enough samples to ever be found a copy; shorter
    /// texts are left to exact-body matching.
    pub fn can_match(&self, fp: &Fingerprint) -> bool {
        fp.ranks().len() >= self.config.min_matches
    }

    /// The group of an indexed article.
    pub fn group_of(&self, article_key: &str) -> Option<GroupId> {
        let slot = *self.by_key.get(&key_hash(article_key))?;
        self.entries[slot as usize].as_ref().map(|e| e.group)
    }

    /// Indexes an article (published or first seen at `at`, unix seconds) as
    /// a member of `group`, replacing an earlier entry with the same key.
    /// Used both for new articles and to rebuild the index from persisted
    /// records at start.
    pub fn insert(&mut self, article_key: &str, group: GroupId, fp: &Fingerprint, at: u64) {
        self.index(article_key, group, fp, at, false);
    }

    /// [`NearIndex::insert`]; `founds` tells that no other article is in
    /// the group (an article that founds it), which saves looking for one.
    fn index(
        &mut self,
        article_key: &str,
        group: GroupId,
        fp: &Fingerprint,
        at: u64,
        founds: bool,
    ) {
        let key = key_hash(article_key);
        self.remove_hash(key);
        let entry = Entry::new(key, group, fp, at);
        let slot = match self.free.pop() {
            Some(slot) => slot,
            None => {
                self.entries.push(None);
                u32::try_from(self.entries.len() - 1).expect("fewer than 2^32 entries")
            }
        };
        for anchor in entry.anchors() {
            self.postings.prefetch(anchor);
        }
        if founds {
            for anchor in entry.anchors() {
                self.postings.insert(anchor, slot);
            }
        } else {
            self.index_anchors_once(&entry, slot);
        }
        self.entries[slot as usize] = Some(entry);
        self.by_key.insert(key, slot);
    }

    /// Indexes the anchors of a member of a group, leaving out those that
    /// another member already indexes: lists then count groups, not
    /// copies, so a wire story reprinted by dozens of sites does not fill
    /// them up. The holders of all anchors are gathered first and their
    /// entries loaded together (see `prefetch`).
    fn index_anchors_once(&mut self, entry: &Entry, slot: u32) {
        let mut holders: Vec<u32> = Vec::with_capacity(64);
        // Where the holders of each anchor end in `holders`.
        let mut ends = [0usize; ANCHORS];
        for (n, anchor) in entry.anchors().enumerate().take(ANCHORS) {
            self.postings.for_each(anchor, |s| holders.push(s));
            ends[n] = holders.len();
        }
        for &s in &holders {
            prefetch(&self.entries[s as usize]);
        }
        let mut start = 0;
        for (n, anchor) in entry.anchors().enumerate().take(ANCHORS) {
            let held = holders[start..ends[n]].iter().any(|&s| {
                self.entries[s as usize]
                    .as_ref()
                    .is_some_and(|e| e.group == entry.group)
            });
            start = ends[n];
            if !held {
                self.postings.insert(anchor, slot);
            }
        }
    }

    /// The group that `fp` is a copy of, with its containment score: the
    /// best-scoring indexed article from within the window before `now` that
    /// reaches the threshold, or None.
    pub fn find(&mut self, fp: &Fingerprint, now: u64) -> Option<(GroupId, f64)> {
        self.find_all(fp, now).best
    }

    /// [`NearIndex::find`], and the other groups that `fp` bridges to the
    /// best one (see [`Found::bridged`]).
    pub fn find_all(&mut self, fp: &Fingerprint, now: u64) -> Found {
        let oldest = now.saturating_sub(self.config.window_secs);
        let mut candidates: Vec<u32> = Vec::with_capacity(64);
        for &anchor in fp.anchors() {
            self.postings.prefetch(anchor);
        }
        for &anchor in fp.anchors() {
            self.postings.for_each(anchor, |slot| candidates.push(slot));
        }
        // Votes: how many anchors each candidate shares. A copy shares
        // many; an article that merely shares a common phrase, one. Only
        // the best-voted few are scored, which bounds the work per lookup
        // however many articles share some phrase.
        candidates.sort_unstable();
        let mut voted: Vec<(u32, u32)> = Vec::with_capacity(candidates.len());
        for slot in candidates {
            match voted.last_mut() {
                Some((s, votes)) if *s == slot => *votes += 1,
                _ => voted.push((slot, 1)),
            }
        }
        if voted.len() > MAX_SCORED {
            voted.select_nth_unstable_by(MAX_SCORED - 1, |a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
            voted.truncate(MAX_SCORED);
        }
        // Load the candidates, then their sketches, before scoring any.
        for &(slot, _) in &voted {
            prefetch(&self.entries[slot as usize]);
        }
        for &(slot, _) in &voted {
            if let Some(entry) = &self.entries[slot as usize] {
                // The whole sketch: the merge reads it from end to end.
                prefetch_all(&entry.data);
            }
        }
        // Every candidate that reaches the threshold: (slot, score).
        let mut copies: Vec<(u32, f64)> = Vec::new();
        for (slot, _) in voted {
            let Some(entry) = &self.entries[slot as usize] else {
                continue;
            };
            if entry.at < oldest {
                continue;
            }
            let c = self.query_bits.compare(fp, entry);
            if c.matches >= self.config.min_matches && c.score() >= self.config.threshold {
                copies.push((slot, c.score()));
            }
        }
        self.query_bits.clear(fp);
        // Best score wins; on a tie the older article, so that the answer
        // does not depend on slot order.
        let entry = |slot: u32| self.entries[slot as usize].as_ref().expect("scored entry");
        let Some(&(best_slot, best_score)) = copies.iter().max_by(|a, b| {
            a.1.total_cmp(&b.1)
                .then_with(|| entry(b.0).at.cmp(&entry(a.0).at))
        }) else {
            return Found::default();
        };
        let best = entry(best_slot);
        let mut bridged: Vec<GroupId> = Vec::new();
        for &(slot, _) in &copies {
            let other = entry(slot);
            if other.group == best.group || bridged.contains(&other.group) {
                continue;
            }
            let overlap = best.overlap(other);
            if overlap.matches >= BRIDGE_MATCHES && overlap.score() >= BRIDGE_OVERLAP {
                bridged.push(other.group);
            }
        }
        Found {
            best: Some((best.group, best_score)),
            bridged,
        }
    }

    /// Moves every indexed article of group `from` into group `into`;
    /// returns how many moved. Walks all entries: merges are rare.
    pub fn regroup(&mut self, from: GroupId, into: GroupId) -> usize {
        let mut moved = 0;
        for entry in self.entries.iter_mut().flatten() {
            if entry.group == from {
                entry.group = into;
                moved += 1;
            }
        }
        moved
    }

    /// Places an article: its own group again when it is already indexed
    /// (an update), else the group it is a copy of, else a new group named
    /// after it; then indexes it. Groups it bridges to that one are merged
    /// into it. Returns the group and the copy score (None for a new group
    /// or an update).
    pub fn assign(
        &mut self,
        article_key: &str,
        fp: &Fingerprint,
        at: u64,
    ) -> (GroupId, Option<f64>) {
        let assigned = self.assign_merging(article_key, fp, at);
        (assigned.group, assigned.score)
    }

    /// [`NearIndex::assign`], telling which groups were merged into the
    /// article's (their members now belong to it).
    pub fn assign_merging(&mut self, article_key: &str, fp: &Fingerprint, at: u64) -> Assigned {
        if let Some(group) = self.group_of(article_key) {
            self.insert(article_key, group, fp, at);
            return Assigned {
                group,
                score: None,
                merged: Vec::new(),
            };
        }
        let found = self.find_all(fp, at);
        let group = found
            .best
            .map_or_else(|| GroupId::for_article(article_key), |(g, _)| g);
        for &from in &found.bridged {
            self.regroup(from, group);
        }
        self.index(article_key, group, fp, at, found.best.is_none());
        Assigned {
            group,
            score: found.best.map(|(_, s)| s),
            merged: found.bridged,
        }
    }

    /// Drops an article from the index.
    pub fn remove(&mut self, article_key: &str) -> bool {
        self.remove_hash(key_hash(article_key))
    }

    fn remove_hash(&mut self, key: u64) -> bool {
        let Some(slot) = self.by_key.remove(&key) else {
            return false;
        };
        if let Some(entry) = self.entries[slot as usize].take() {
            for anchor in entry.anchors() {
                self.postings.remove(anchor, slot);
            }
        }
        self.free.push(slot);
        true
    }

    /// Drops every article indexed at a time before `older_than` (unix
    /// seconds); returns how many. Walks all entries, so call it now and
    /// then (e.g. hourly), not per article: lookups ignore old entries anyway.
    pub fn expire(&mut self, older_than: u64) -> usize {
        let old: Vec<u64> = self
            .entries
            .iter()
            .flatten()
            .filter(|e| e.at < older_than)
            .map(|e| e.key)
            .collect();
        for &key in &old {
            self.remove_hash(key);
        }
        old.len()
    }
}

#[cfg(test)]
mod tests;
