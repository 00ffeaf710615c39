//! The members of each story and the squared length of the sum of their
//! vectors, kept up to date as groups come and go, so that the cosine of a
//! new group with a whole story costs one cosine per member.

use crate::model::{GroupId, StoryId};
use rustc_hash::FxHashMap;

/// One story.
#[derive(Debug, Default)]
pub struct StoryEntry {
    /// Its groups, in arrival order.
    pub members: Vec<GroupId>,
    /// The squared length of the sum of the members' unit vectors.
    pub norm2: f32,
    /// The time of the newest member.
    pub last_at: u64,
}

/// All stories with a member in the index.
#[derive(Debug, Default)]
pub struct Stories {
    map: FxHashMap<StoryId, StoryEntry>,
}

impl Stories {
    /// A story with members.
    pub fn get(&self, story: StoryId) -> Option<&StoryEntry> {
        self.map.get(&story)
    }

    /// The members of a story (a copy: the caller changes the index).
    pub fn members(&self, story: StoryId) -> Vec<GroupId> {
        self.map
            .get(&story)
            .map_or_else(Vec::new, |s| s.members.clone())
    }

    /// Adds a member that grows the squared length by `growth`.
    pub fn add(&mut self, story: StoryId, group: GroupId, growth: f32, at: u64) {
        let entry = self.map.entry(story).or_default();
        entry.members.push(group);
        entry.norm2 += growth;
        entry.last_at = entry.last_at.max(at);
    }

    /// Removes a member that had grown the squared length by `growth`;
    /// `times` are the arrival times of the members that stay.
    pub fn remove(&mut self, story: StoryId, group: GroupId, growth: f32, times: &[u64]) {
        let Some(entry) = self.map.get_mut(&story) else {
            return;
        };
        entry.members.retain(|&g| g != group);
        if entry.members.is_empty() {
            self.map.remove(&story);
            return;
        }
        entry.norm2 = (entry.norm2 - growth).max(0.0);
        entry.last_at = times.iter().copied().max().unwrap_or(0);
    }
}
