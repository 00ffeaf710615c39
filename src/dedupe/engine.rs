//! The grouping engine: where an article belongs. One algorithm for the
//! daemon, `wirewatch dedupe` and the benches: a copy joins the group of the
//! text it copies (merging groups it bridges), a text too short to
//! fingerprint joins the group of an identical body, anything else founds a
//! group; a new group joins the story of the event it reports, or founds
//! one. An update keeps its article's group and story.
//!
//! The engine holds the in-memory indexes of the recent window; what must
//! outlive the window (exact-body groups, the story of an older group,
//! merges of members already stored) goes through a [`Ledger`]: the store
//! in the daemon, [`MemoryLedger`] elsewhere. The caller owns the engine;
//! placing takes `&mut self`, so placements are one after another by
//! construction.

use std::collections::HashMap;
use std::time::Duration;

use super::{Fingerprint, NearConfig, NearIndex, StoryConfig, StoryIndex, body_hash};
use crate::model::{GroupId, StoryId};

/// What the engine keeps outside its window.
pub trait Ledger {
    type Error;
    /// The group of the first article stored with this body hash; records
    /// `proposed` for the hash when it is new.
    fn body_group(&mut self, hash: &str, proposed: GroupId) -> Result<GroupId, Self::Error>;
    /// The story recorded for a group, if any.
    fn recorded_story(&mut self, group: GroupId) -> Result<Option<StoryId>, Self::Error>;
    /// Moves every member of `from` into `into`; returns how many moved.
    fn merge(&mut self, from: GroupId, into: GroupId) -> Result<usize, Self::Error>;
    /// Records that the article `key` was placed.
    fn placed(&mut self, key: &str, placement: &Placement) -> Result<(), Self::Error>;
}

/// An article to place.
#[derive(Debug, Clone, Copy)]
pub struct Incoming<'a> {
    /// The article's key (the canonical URL in the daemon).
    pub key: &'a str,
    pub title: &'a str,
    pub text: &'a str,
    pub fingerprint: &'a Fingerprint,
    /// Unix seconds.
    pub at: u64,
    /// The group and story of the stored version, for an update.
    pub previous: Option<(GroupId, StoryId)>,
}

/// Where an article went.
#[derive(Debug, Clone, PartialEq)]
pub struct Placement {
    pub group: GroupId,
    pub story: StoryId,
    /// The containment score against the group, for a near copy.
    pub score: Option<f64>,
    /// It joined a group that already had members (a copy, not an update).
    pub joined: bool,
    /// Groups merged into `group` because this copy bridged them to it.
    pub merged: Vec<GroupId>,
    /// It founded a group that founded its own story.
    pub founded_story: bool,
}

/// Expiry runs every 24th of the window, 10 s to an hour apart.
fn expiry_gap(window: Duration) -> u64 {
    (window.as_secs() / 24).clamp(10, 3600)
}

/// The in-memory indexes of the recent window.
pub struct Engine {
    near: NearIndex,
    stories: StoryIndex,
    window: Duration,
    next_expiry: u64,
}

impl Engine {
    /// Empty indexes: copies within `window` join their group; stories keep
    /// their own, shorter window (write-ups of one event come within a day
    /// or two of each other).
    pub fn new(window: Duration) -> Engine {
        let near = NearConfig {
            window_secs: window.as_secs(),
            ..NearConfig::default()
        };
        Engine::with_configs(near, StoryConfig::default())
    }

    pub fn with_configs(near: NearConfig, stories: StoryConfig) -> Engine {
        Engine {
            window: Duration::from_secs(near.window_secs),
            near: NearIndex::new(near),
            stories: StoryIndex::new(stories),
            next_expiry: 0,
        }
    }

    /// Applies a new duplicate window from now on.
    pub fn set_window(&mut self, window: Duration) {
        if window == self.window {
            return;
        }
        self.window = window;
        self.near.set_window(window.as_secs());
        self.next_expiry = 0;
    }

    /// How many articles and groups the indexes hold.
    pub fn len(&self) -> (usize, usize) {
        (self.near.len(), self.stories.len())
    }

    /// Re-enters an article placed before (rebuilding after a restart).
    pub fn restore_article(&mut self, key: &str, group: GroupId, fp: &Fingerprint, at: u64) {
        self.near.insert(key, group, fp, at);
    }

    /// Re-enters a group with its known story, in the original order.
    pub fn restore_group(
        &mut self,
        group: GroupId,
        story: StoryId,
        title: &str,
        text: &str,
        at: u64,
    ) {
        self.stories.restore(group, story, title, text, at);
    }

    /// The groups of a story that are still indexed.
    pub fn story_groups(&self, story: StoryId) -> Vec<GroupId> {
        self.stories.groups_of(story)
    }

    /// Places an article and tells the ledger.
    pub fn place<L: Ledger>(
        &mut self,
        ledger: &mut L,
        article: Incoming<'_>,
    ) -> Result<Placement, L::Error> {
        self.expire_if_due(article.at);
        let placement = match article.previous {
            Some((group, story)) => self.keep(article, group, story),
            None if !self.near.can_match(article.fingerprint) => {
                self.place_by_body(ledger, article)?
            }
            None => self.place_near(ledger, article)?,
        };
        ledger.placed(article.key, &placement)?;
        Ok(placement)
    }

    /// An update keeps its group and story; its new text is indexed.
    fn keep(&mut self, article: Incoming<'_>, group: GroupId, story: StoryId) -> Placement {
        self.near
            .insert(article.key, group, article.fingerprint, article.at);
        Placement {
            group,
            story,
            score: None,
            joined: false,
            merged: Vec::new(),
            founded_story: false,
        }
    }

    fn place_near<L: Ledger>(
        &mut self,
        ledger: &mut L,
        article: Incoming<'_>,
    ) -> Result<Placement, L::Error> {
        let assigned = self
            .near
            .assign_merging(article.key, article.fingerprint, article.at);
        let group = assigned.group;
        let joined = assigned.score.is_some();
        let story = match joined {
            true => self.story_of_group(ledger, group)?,
            false => self
                .stories
                .assign(group, article.title, article.text, article.at),
        };
        for &from in &assigned.merged {
            self.stories.remove(from);
            ledger.merge(from, group)?;
        }
        Ok(Placement {
            group,
            story,
            score: assigned.score,
            joined,
            merged: assigned.merged,
            founded_story: !joined && story == StoryId::for_group(group),
        })
    }

    /// Texts too short to fingerprint group by their exact body only and
    /// found no story of their own: a few words say too little to tell
    /// which event they report.
    fn place_by_body<L: Ledger>(
        &mut self,
        ledger: &mut L,
        article: Incoming<'_>,
    ) -> Result<Placement, L::Error> {
        let proposed = GroupId::for_article(article.key);
        let group = ledger.body_group(&body_hash(article.text), proposed)?;
        let joined = group != proposed;
        let story = match joined {
            true => self.story_of_group(ledger, group)?,
            false => StoryId::for_group(group),
        };
        Ok(Placement {
            group,
            story,
            score: None,
            joined,
            merged: Vec::new(),
            founded_story: !joined,
        })
    }

    /// The story of an existing group: from the index, else as recorded (a
    /// group older than the story window), else the one it would found.
    fn story_of_group<L: Ledger>(
        &self,
        ledger: &mut L,
        group: GroupId,
    ) -> Result<StoryId, L::Error> {
        if let Some(story) = self.stories.story_of(group) {
            return Ok(story);
        }
        Ok(ledger
            .recorded_story(group)?
            .unwrap_or_else(|| StoryId::for_group(group)))
    }

    /// Drops what is older than the window once per expiry gap: lookups
    /// ignore old entries anyway, this only bounds the memory.
    fn expire_if_due(&mut self, now: u64) {
        if now < self.next_expiry {
            return;
        }
        self.next_expiry = now.saturating_add(expiry_gap(self.window));
        let before = now.saturating_sub(self.window.as_secs());
        let articles = self.near.expire(before);
        let groups = self.stories.expire(before);
        if articles + groups > 0 {
            tracing::debug!(articles, groups, "expired from the duplicate index");
        }
    }
}

/// A ledger in memory, for grouping with no store (`wirewatch dedupe`,
/// benches, tests).
#[derive(Debug, Default)]
pub struct MemoryLedger {
    bodies: HashMap<String, GroupId>,
    /// Every placed article's group and story, by key.
    articles: HashMap<String, (GroupId, StoryId)>,
    stories: HashMap<GroupId, StoryId>,
}

impl MemoryLedger {
    /// The group and story of an article placed before.
    pub fn article(&self, key: &str) -> Option<(GroupId, StoryId)> {
        self.articles.get(key).copied()
    }
}

impl Ledger for MemoryLedger {
    type Error = std::convert::Infallible;

    fn body_group(&mut self, hash: &str, proposed: GroupId) -> Result<GroupId, Self::Error> {
        Ok(*self.bodies.entry(hash.to_string()).or_insert(proposed))
    }

    fn recorded_story(&mut self, group: GroupId) -> Result<Option<StoryId>, Self::Error> {
        Ok(self.stories.get(&group).copied())
    }

    fn merge(&mut self, from: GroupId, into: GroupId) -> Result<usize, Self::Error> {
        let story = self.stories.get(&into).copied();
        let mut moved = 0;
        for placed in self.articles.values_mut().filter(|(g, _)| *g == from) {
            *placed = (into, story.unwrap_or(placed.1));
            moved += 1;
        }
        self.stories.remove(&from);
        Ok(moved)
    }

    fn placed(&mut self, key: &str, placement: &Placement) -> Result<(), Self::Error> {
        let ids = (placement.group, placement.story);
        self.articles.insert(key.to_string(), ids);
        self.stories
            .entry(placement.group)
            .or_insert(placement.story);
        Ok(())
    }
}

/// The engine with a memory ledger: groups a sequence of articles given in
/// arrival order; the same key again is an update.
pub struct Deduper {
    engine: Engine,
    ledger: MemoryLedger,
}

impl Deduper {
    pub fn new(near: NearConfig, stories: StoryConfig) -> Deduper {
        Deduper {
            engine: Engine::with_configs(near, stories),
            ledger: MemoryLedger::default(),
        }
    }

    /// Places the article `key` seen at `at` (unix seconds).
    pub fn place(&mut self, key: &str, title: &str, text: &str, at: u64) -> Placement {
        let fingerprint = super::fingerprint(text);
        let incoming = Incoming {
            key,
            title,
            text,
            fingerprint: &fingerprint,
            at,
            previous: self.ledger.article(key),
        };
        match self.engine.place(&mut self.ledger, incoming) {
            Ok(placement) => placement,
            Err(never) => match never {},
        }
    }

    /// The group and story an article placed before belongs to now.
    pub fn article(&self, key: &str) -> Option<(GroupId, StoryId)> {
        self.ledger.article(key)
    }

    /// Applies a new duplicate window from now on.
    pub fn set_window(&mut self, window: Duration) {
        self.engine.set_window(window);
    }
}

#[cfg(test)]
mod tests;
