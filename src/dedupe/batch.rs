//! Grouping a sequence of articles with no store: the algorithm of the
//! daemon (near-duplicate groups, exact-body groups for texts too short to
//! fingerprint, story clusters) over articles given in arrival order. Used
//! by `wirewatch dedupe --jsonl`, so grouping can be measured apart from
//! fetching.

use std::collections::HashMap;

use super::{
    GroupKey, NearConfig, NearIndex, StoryConfig, StoryIndex, StoryKey, body_hash, fingerprint,
};

/// Where one article went.
#[derive(Debug, Clone, PartialEq)]
pub struct Placed {
    pub group: GroupKey,
    pub story: StoryKey,
    /// The containment score against the group, for a copy.
    pub score: Option<f64>,
    /// Earlier groups that this article bridged into `group` (parts of one
    /// text); their articles now belong to `group`.
    pub merged: Vec<GroupKey>,
}

/// In-memory grouping of a stream of articles.
pub struct Deduper {
    near: NearIndex,
    stories: StoryIndex,
    bodies: HashMap<String, GroupKey>,
}

impl Deduper {
    pub fn new(near: NearConfig, stories: StoryConfig) -> Deduper {
        Deduper {
            near: NearIndex::new(near),
            stories: StoryIndex::new(stories),
            bodies: HashMap::new(),
        }
    }

    /// Place the article `id` seen at `at` (unix seconds); the same id again
    /// is an update and keeps its group.
    pub fn place(&mut self, id: &str, title: &str, text: &str, at: u64) -> Placed {
        let fp = fingerprint(text);
        let (group, score, merged) = if !self.near.can_match(&fp) {
            let proposed = GroupKey::for_article(id);
            let group = *self.bodies.entry(body_hash(text)).or_insert(proposed);
            (group, None, Vec::new())
        } else {
            let assigned = self.near.assign_merging(id, &fp, at);
            (assigned.group, assigned.score, assigned.merged)
        };
        for &from in &merged {
            self.stories.remove(from);
        }
        let story = self.stories.assign(group, title, text, at);
        Placed {
            group,
            story,
            score,
            merged,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_identical_texts_share_a_group_and_distinct_ones_do_not() {
        let mut d = Deduper::new(NearConfig::default(), StoryConfig::default());
        let a = d.place("a", "Brief", "Markets closed higher.", 0);
        let b = d.place("b", "Brief", "Markets closed higher.", 1);
        let c = d.place("c", "Brief", "Markets closed lower.", 2);
        assert_eq!(a.group, b.group);
        assert_ne!(a.group, c.group);
    }
}
