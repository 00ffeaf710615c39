//! Story clustering: different write-ups of one event (three outlets each
//! writing their own article on one statement) are not copies, but belong
//! to one story. Each group is described by a TF-IDF vector of its title and
//! lead ([`StoryConfig::lead_words`] words), by the names in its lead and by
//! the shingles of its quotations (see the `terms` module). A new group
//! joins a story when all of these hold:
//!
//! - the story is live: its newest member is at most
//!   [`StoryConfig::window_secs`] older than the group;
//! - one member links to the group: their cosine plus a bonus for shared
//!   quotations reaches [`StoryConfig::threshold`], and they share
//!   [`StoryConfig::min_shared_names`] names;
//! - for a story of two or more groups, the story as a whole (the sum of
//!   its members' vectors) reaches [`StoryConfig::centroid_threshold`].
//!
//! Of several such stories the one with the strongest link wins. The
//! centroid rule keeps one link from pulling in a group that is about
//! something else, so stories do not chain from one event to the next. The
//! quotation bonus tells write-ups of one statement (which quote the same
//! sentences of it) from a later statement on the same topic (same people
//! and places, other quotes). The names rule keeps texts apart that only
//! share vocabulary: function words of a language (never capitalised inside
//! a sentence) or a topic's recurring words.
//!
//! Function words are recognised by document frequency in any language
//! (the `df` module); candidate groups come from an inverted index over each
//! group's heaviest terms, with capped lists; stories past the window are
//! ignored and their groups expire, so a lookup does not grow with the
//! history.

mod config;
mod df;
mod stories;
mod terms;
mod vector;

pub use config::StoryConfig;
pub use vector::TermVector;

use super::normalize::Normalizer;
use crate::model::{GroupId, StoryId};
use df::DocFreq;
use rustc_hash::FxHashMap;
use stories::Stories;
use vector::{TermVector as Vector, is_function_word, shared};

/// One indexed group.
#[derive(Debug)]
struct GroupEntry {
    story: StoryId,
    at: u64,
    vector: Vector,
    /// Names of the lead that are not function words, sorted.
    names: Box<[u32]>,
    /// Shingles of its quotations, sorted.
    quotes: Box<[u32]>,
    /// The terms entered in the inverted index (to remove them again).
    indexed: Box<[u32]>,
}

/// The windowed story index; see the module docs.
#[derive(Debug)]
pub struct StoryIndex {
    config: StoryConfig,
    df: DocFreq,
    normalizer: Normalizer,
    groups: FxHashMap<GroupId, GroupEntry>,
    stories: Stories,
    postings: FxHashMap<u32, Vec<GroupId>>,
}

/// A group read and weighed, before it is placed.
struct Described {
    vector: Vector,
    names: Box<[u32]>,
    quotes: Box<[u32]>,
}

impl StoryIndex {
    /// An empty index.
    pub fn new(config: StoryConfig) -> StoryIndex {
        StoryIndex {
            df: DocFreq::new(config.df_horizon),
            config,
            normalizer: Normalizer::new(),
            groups: FxHashMap::default(),
            stories: Stories::default(),
            postings: FxHashMap::default(),
        }
    }

    /// Groups in the index.
    pub fn len(&self) -> usize {
        self.groups.len()
    }

    /// True when no group is indexed.
    pub fn is_empty(&self) -> bool {
        self.groups.is_empty()
    }

    /// The story of an indexed group.
    pub fn story_of(&self, group: GroupId) -> Option<StoryId> {
        self.groups.get(&group).map(|g| g.story)
    }

    /// The indexed groups of a live story.
    pub fn groups_of(&self, story: StoryId) -> Vec<GroupId> {
        self.stories.members(story)
    }

    /// Reads a group's title and lead, counts it into the document
    /// frequencies (first: a document counts toward its own frequencies, as
    /// every later document's does) and weighs its terms.
    fn describe(&mut self, title: &str, text: &str) -> Described {
        let c = &self.config;
        let doc = terms::read(
            &mut self.normalizer,
            title,
            text,
            c.lead_words,
            c.title_weight,
            c.name_weight,
        );
        self.df
            .learn(doc.counts.keys().copied().chain(doc.names.iter().copied()));
        let c = &self.config;
        let vector = Vector::new(&doc, &self.df, c);
        let names = doc
            .names
            .iter()
            .copied()
            .filter(|&t| !is_function_word(t, &self.df, c))
            .collect();
        Described {
            vector,
            names,
            quotes: doc.quotes.into(),
        }
    }

    /// The story a new group belongs to (see the module docs for the rules),
    /// else a new story named after this group. The group is then indexed.
    /// A group already indexed keeps its story.
    pub fn assign(&mut self, group: GroupId, title: &str, text: &str, at: u64) -> StoryId {
        if let Some(story) = self.story_of(group) {
            return story;
        }
        let described = self.describe(title, text);
        let story = self
            .best_story(&described, at)
            .unwrap_or_else(|| StoryId::for_group(group));
        self.index(group, story, described, at);
        story
    }

    /// Re-enters a group with its known story (rebuilding the index from
    /// persisted groups at start, in their original order).
    pub fn restore(&mut self, group: GroupId, story: StoryId, title: &str, text: &str, at: u64) {
        let described = self.describe(title, text);
        self.remove(group);
        self.index(group, story, described, at);
    }

    /// The live story that the described group joins, if any.
    fn best_story(&self, new: &Described, at: u64) -> Option<StoryId> {
        let mut candidates: Vec<StoryId> = Vec::new();
        for t in new.vector.terms() {
            if let Some(list) = self.postings.get(&t)
                && list.len() < self.config.posting_cap
            {
                candidates.extend(list.iter().filter_map(|g| self.story_of(*g)));
            }
        }
        candidates.sort_unstable();
        candidates.dedup();
        let c = &self.config;
        let mut best: Option<(StoryId, f32)> = None;
        for story in candidates {
            let Some(entry) = self.stories.get(story) else {
                continue;
            };
            if entry.last_at.saturating_add(c.window_secs) < at {
                continue;
            }
            let mut sum = 0.0;
            let mut link = 0.0f32;
            for member in &entry.members {
                let Some(m) = self.groups.get(member) else {
                    continue;
                };
                let cos = new.vector.cosine(&m.vector);
                sum += cos;
                let score = cos + self.quote_bonus(shared(&new.quotes, &m.quotes));
                if score >= c.threshold && shared(&new.names, &m.names) >= c.min_shared_names {
                    link = link.max(score);
                }
            }
            // A single member is the whole story; with more, the group must
            // also resemble their sum.
            let centroid = sum / entry.norm2.max(f32::MIN_POSITIVE).sqrt();
            if link > 0.0
                && (entry.members.len() < 2 || centroid >= c.centroid_threshold)
                && best.is_none_or(|(s, b)| link > b || (link == b && story < s))
            {
                best = Some((story, link));
            }
        }
        best.map(|(story, _)| story)
    }

    /// What shared quotation shingles add to a cosine: up to
    /// [`StoryConfig::quote_bonus`], reached at [`StoryConfig::quote_shingles`].
    fn quote_bonus(&self, shared: usize) -> f32 {
        let c = &self.config;
        c.quote_bonus * shared.min(c.quote_shingles) as f32 / c.quote_shingles.max(1) as f32
    }

    fn index(&mut self, group: GroupId, story: StoryId, described: Described, at: u64) {
        let Described {
            vector,
            names,
            quotes,
        } = described;
        // The story's squared length grows by the new unit vector and twice
        // its cosine with every member already there.
        let members = self.stories.members(story);
        let cross: f32 = members
            .iter()
            .filter_map(|m| self.groups.get(m))
            .map(|m| vector.cosine(&m.vector))
            .sum();
        let own = if vector.is_empty() { 0.0 } else { 1.0 };
        self.stories.add(story, group, own + 2.0 * cross, at);
        let indexed: Box<[u32]> = vector.heaviest(self.config.index_terms).into();
        for &t in indexed.iter() {
            self.postings.entry(t).or_default().push(group);
        }
        self.groups.insert(
            group,
            GroupEntry {
                story,
                at,
                vector,
                names,
                quotes,
                indexed,
            },
        );
    }

    /// Drops a group.
    pub fn remove(&mut self, group: GroupId) -> bool {
        let Some(entry) = self.groups.remove(&group) else {
            return false;
        };
        for t in entry.indexed.iter() {
            if let Some(list) = self.postings.get_mut(t) {
                list.retain(|&g| g != group);
                if list.is_empty() {
                    self.postings.remove(t);
                }
            }
        }
        let others = self.stories.members(entry.story);
        let cross: f32 = others
            .iter()
            .filter(|&&m| m != group)
            .filter_map(|m| self.groups.get(m))
            .map(|m| entry.vector.cosine(&m.vector))
            .sum();
        let own = if entry.vector.is_empty() { 0.0 } else { 1.0 };
        let times: Vec<u64> = others
            .iter()
            .filter_map(|m| self.groups.get(m))
            .map(|m| m.at)
            .collect();
        self.stories
            .remove(entry.story, group, own + 2.0 * cross, &times);
        true
    }

    /// Drops every group indexed before `older_than`; returns how many.
    pub fn expire(&mut self, older_than: u64) -> usize {
        let old: Vec<GroupId> = self
            .groups
            .iter()
            .filter(|(_, e)| e.at < older_than)
            .map(|(&g, _)| g)
            .collect();
        for &g in &old {
            self.remove(g);
        }
        old.len()
    }
}

#[cfg(test)]
mod tests;
