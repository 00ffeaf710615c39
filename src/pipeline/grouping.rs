//! Placing articles in duplicate groups and stories. The near-duplicate
//! index and the story index live in memory; every placement is also
//! written to the store (one fingerprint record per article, one record per
//! group), and `Grouping::rebuild` reloads both indexes from those records
//! at start, so a copy arriving after a restart still joins its group.
//!
//! Texts too short to fingerprint fall back to exact-body groups.

use std::time::Duration;

use crate::dedupe::{
    Fingerprint, GroupKey, NearConfig, NearIndex, StoryConfig, StoryIndex, StoryKey, body_hash,
};
use crate::model::{Article, GroupId, StoryId, rfc3339_secs, unix_now};
use crate::store::{FingerprintRecord, GroupRecord, Member, Store, StoreError};
use crate::telemetry::metrics;

/// Where an article belongs.
#[derive(Debug, Clone, PartialEq)]
pub struct Placement {
    pub group: GroupId,
    pub story: StoryId,
    /// It joined a group that already had members (a copy, not an update).
    pub joined: bool,
    /// Groups merged into `group` because this copy bridged them to it.
    pub merged: Vec<GroupId>,
}

/// The in-memory indexes of recent articles.
pub struct Grouping {
    near: NearIndex,
    stories: StoryIndex,
    window: Duration,
}

impl Grouping {
    /// Empty indexes with the configured window.
    pub fn new(window: Duration) -> Grouping {
        let window_secs = window.as_secs();
        Grouping {
            near: NearIndex::new(NearConfig {
                window_secs,
                ..NearConfig::default()
            }),
            // Write-ups of one event come within a day or two of each
            // other: stories keep their own, shorter window.
            stories: StoryIndex::new(StoryConfig::default()),
            window,
        }
    }

    /// The indexes as the store last left them: every fingerprint and
    /// group indexed within the window.
    pub fn rebuild(store: &Store, window: Duration) -> Result<Grouping, StoreError> {
        let mut grouping = Grouping::new(window);
        let since = unix_now().saturating_sub(window.as_secs());
        let mut restored = 0usize;
        for record in store.fingerprints_since(since) {
            let (url, record) = record?;
            let (Ok(group), Ok(fp)) = (
                record.group.0.parse::<GroupKey>(),
                Fingerprint::from_bytes(&record.fingerprint),
            ) else {
                continue;
            };
            grouping.near.insert(&url, group, &fp, record.at);
            restored += 1;
        }
        for record in store.groups() {
            grouping.restore_story(store, &record?, since)?;
        }
        tracing::info!(
            articles = restored,
            groups = grouping.stories.len(),
            "duplicate index rebuilt"
        );
        Ok(grouping)
    }

    fn restore_story(
        &mut self,
        store: &Store,
        record: &GroupRecord,
        since: u64,
    ) -> Result<(), StoreError> {
        let (Ok(group), Ok(story)) = (
            record.id.0.parse::<GroupKey>(),
            record.story.0.parse::<StoryKey>(),
        ) else {
            return Ok(());
        };
        let Some(first) = record.members.first() else {
            return Ok(());
        };
        let at = rfc3339_secs(&first.first_seen).unwrap_or(0);
        if at < since {
            return Ok(());
        }
        if let Some(article) = store.article(&record.representative)? {
            self.stories
                .restore(group, story, &article.title, &article.text, at);
        }
        Ok(())
    }

    /// The groups of a story that are still indexed (those within the
    /// story window).
    pub fn story_groups(&self, story: &StoryId) -> Vec<GroupId> {
        story.0.parse::<StoryKey>().map_or_else(
            |_| Vec::new(),
            |key| {
                self.stories
                    .groups_of(key)
                    .into_iter()
                    .map(|g| GroupId(g.to_string()))
                    .collect()
            },
        )
    }

    /// Drop what is older than the window (call now and then).
    pub fn expire(&mut self) {
        let before = unix_now().saturating_sub(self.window.as_secs());
        let articles = self.near.expire(before);
        let groups = self.stories.expire(before);
        tracing::debug!(articles, groups, "expired from the duplicate index");
    }

    /// Place a new article (or an update: `previous` is the stored version,
    /// whose group and story it keeps) and record the placement.
    pub fn place(
        &mut self,
        store: &Store,
        article: &Article,
        fp: &Fingerprint,
        previous: Option<&Article>,
    ) -> Result<Placement, StoreError> {
        let at = unix_now();
        let key = &article.canonical_url;
        let placement = match previous {
            Some(stored) => {
                if let Ok(group) = stored.group.0.parse::<GroupKey>() {
                    self.near.insert(key, group, fp, at);
                }
                Placement {
                    group: stored.group.clone(),
                    story: stored.story.clone(),
                    joined: false,
                    merged: Vec::new(),
                }
            }
            None if !self.near.can_match(fp) => self.place_by_body(store, article)?,
            None => self.place_near(store, article, fp, at)?,
        };
        if !fp.is_empty() {
            let record = FingerprintRecord {
                group: placement.group.clone(),
                at,
                fingerprint: fp.to_bytes(),
            };
            store.put_fingerprint(key, &record)?;
        }
        self.record_member(store, article, &placement)?;
        if previous.is_none() && !placement.joined {
            let founds_story = placement
                .group
                .0
                .parse::<GroupKey>()
                .is_ok_and(|g| StoryKey::for_group(g).to_string() == placement.story.0);
            metrics::grouped(true, founds_story);
        }
        Ok(placement)
    }

    fn place_near(
        &mut self,
        store: &Store,
        article: &Article,
        fp: &Fingerprint,
        at: u64,
    ) -> Result<Placement, StoreError> {
        let assigned = self.near.assign_merging(&article.canonical_url, fp, at);
        let group = assigned.group;
        let joined = assigned.score.is_some();
        let story = match joined {
            true => self.story_of_group(store, group)?,
            false => self
                .stories
                .assign(group, &article.title, &article.text, at),
        };
        let into = GroupId(group.to_string());
        let mut merged = Vec::with_capacity(assigned.merged.len());
        for from in assigned.merged {
            self.stories.remove(from);
            let from = GroupId(from.to_string());
            let members = store.merge_groups(&from, &into)?;
            tracing::info!(from = %from.0, into = %into.0, members, "groups merged: a copy holds both texts");
            merged.push(from);
        }
        Ok(Placement {
            group: into,
            story: StoryId(story.to_string()),
            joined,
            merged,
        })
    }

    /// The story of an existing group: from the index, else from its record
    /// (a group older than the window).
    fn story_of_group(&self, store: &Store, group: GroupKey) -> Result<StoryKey, StoreError> {
        if let Some(story) = self.stories.story_of(group) {
            return Ok(story);
        }
        let recorded = store.group(&GroupId(group.to_string()))?;
        Ok(recorded
            .and_then(|r| r.story.0.parse().ok())
            .unwrap_or_else(|| StoryKey::for_group(group)))
    }

    fn place_by_body(&mut self, store: &Store, article: &Article) -> Result<Placement, StoreError> {
        let proposed = GroupId(GroupKey::for_article(&article.canonical_url).to_string());
        let group = store.group_for_body(&body_hash(&article.text), &proposed)?;
        let joined = group != proposed;
        let story = match (joined, group.0.parse::<GroupKey>()) {
            (true, Ok(key)) => self.story_of_group(store, key)?,
            (_, Ok(key)) => StoryKey::for_group(key),
            (_, Err(_)) => StoryKey::for_group(GroupKey::for_article(&group.0)),
        };
        Ok(Placement {
            group,
            story: StoryId(story.to_string()),
            joined,
            merged: Vec::new(),
        })
    }

    fn record_member(
        &self,
        store: &Store,
        article: &Article,
        placement: &Placement,
    ) -> Result<(), StoreError> {
        let mut record = store
            .group(&placement.group)?
            .unwrap_or_else(|| GroupRecord {
                id: placement.group.clone(),
                story: placement.story.clone(),
                ..GroupRecord::default()
            });
        record.join(Member {
            canonical_url: article.canonical_url.clone(),
            feed: article.feed.clone(),
            first_seen: article.first_seen.clone(),
            words: article.text.split_whitespace().count(),
        });
        store.put_group(&record)
    }
}
