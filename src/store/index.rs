//! Indexes that let the web page read a bounded slice instead of whole
//! trees: groups by their latest activity (`active`: first-seen time of the
//! newest member, big endian, then the group id), groups by story
//! (`stories`: story, 0, group) and articles by first-seen time (`seen`:
//! time, big endian, then the canonical URL). They are derived data, kept
//! in step by the writes of groups and articles; a database from before
//! them gets them built once when it is opened.

use super::{GroupRecord, Store, StoreError, decode, get, pair};
use crate::model::{Alert, Article, StoryId, rfc3339_secs};

impl Store {
    /// Index `record` (new or changed), replacing the entries of `old`.
    pub(super) fn index_group(
        &self,
        old: Option<&GroupRecord>,
        record: &GroupRecord,
    ) -> Result<(), StoreError> {
        let key = active_key(record);
        if let Some(old) = old {
            let old_key = active_key(old);
            if old_key != key {
                self.active
                    .remove(old_key)
                    .map_err(StoreError::sled("active"))?;
            }
            if old.story != record.story {
                self.stories
                    .remove(pair(&old.story.to_string(), &old.id.to_string()))
                    .map_err(StoreError::sled("stories"))?;
            }
        }
        self.active
            .insert(key, &[])
            .map_err(StoreError::sled("active"))?;
        self.stories
            .insert(pair(&record.story.to_string(), &record.id.to_string()), &[])
            .map_err(StoreError::sled("stories"))?;
        Ok(())
    }

    /// Drop a removed group's index entries.
    pub(super) fn unindex_group(&self, record: &GroupRecord) -> Result<(), StoreError> {
        self.active
            .remove(active_key(record))
            .map_err(StoreError::sled("active"))?;
        self.stories
            .remove(pair(&record.story.to_string(), &record.id.to_string()))
            .map_err(StoreError::sled("stories"))?;
        Ok(())
    }

    pub(super) fn index_article(&self, article: &Article) -> Result<(), StoreError> {
        self.seen
            .insert(seen_key(article), &[])
            .map_err(StoreError::sled("seen"))?;
        Ok(())
    }

    pub(super) fn unindex_article(&self, article: &Article) -> Result<(), StoreError> {
        self.seen
            .remove(seen_key(article))
            .map_err(StoreError::sled("seen"))?;
        Ok(())
    }

    /// Build every index from the trees (a database from before them).
    pub(super) fn build_indexes(&self) -> Result<(), StoreError> {
        for record in self.groups() {
            self.index_group(None, &record?)?;
        }
        for article in self.articles() {
            self.index_article(&article?)?;
        }
        Ok(())
    }

    /// Groups with a copy first seen at or after `since` (unix seconds),
    /// the most recently active first, at most `limit`.
    pub fn active_groups(&self, since: u64, limit: usize) -> Result<Vec<GroupRecord>, StoreError> {
        let mut found = Vec::new();
        for entry in self.active.range(since.to_be_bytes().to_vec()..).rev() {
            if found.len() >= limit {
                break;
            }
            let (key, _) = entry.map_err(StoreError::sled("active"))?;
            let id = String::from_utf8_lossy(key.get(8..).unwrap_or_default()).into_owned();
            // An entry whose group is gone (a crash between writes) is skipped.
            if let Some(record) = get(&self.groups, "groups", id.as_bytes())? {
                found.push(record);
            }
        }
        Ok(found)
    }

    /// Every group of `story`, in id order.
    pub fn story_groups(&self, story: &StoryId) -> Result<Vec<GroupRecord>, StoreError> {
        let mut found = Vec::new();
        let story = story.to_string();
        for entry in self.stories.scan_prefix(pair(&story, "")) {
            let (key, _) = entry.map_err(StoreError::sled("stories"))?;
            let id = key.get(story.len() + 1..).unwrap_or_default();
            if let Some(record) = get(&self.groups, "groups", id)? {
                found.push(record);
            }
        }
        Ok(found)
    }

    /// Articles first seen at or after `since` (unix seconds), newest first.
    pub fn articles_since(
        &self,
        since: u64,
    ) -> impl Iterator<Item = Result<Article, StoreError>> + '_ {
        self.seen
            .range(since.to_be_bytes().to_vec()..)
            .rev()
            .filter_map(move |entry| {
                let key = match entry {
                    Ok((key, _)) => key,
                    Err(source) => return Some(Err(StoreError::sled("seen")(source))),
                };
                self.article(&String::from_utf8_lossy(key.get(8..).unwrap_or_default()))
                    .transpose()
            })
    }

    /// The alerts `topic` raised, in key (group or story) order.
    pub fn alerts_of(&self, topic: &str) -> Result<Vec<Alert>, StoreError> {
        self.fired
            .scan_prefix(pair(topic, ""))
            .map(|entry| {
                let (key, value) = entry.map_err(StoreError::sled("fired"))?;
                decode("fired", &key, &value)
            })
            .collect()
    }
}

/// When a group was last joined: its newest member's first-seen time.
fn active_key(record: &GroupRecord) -> Vec<u8> {
    let latest = record
        .members
        .iter()
        .filter_map(|m| rfc3339_secs(&m.first_seen))
        .max()
        .unwrap_or(0);
    let mut key = latest.to_be_bytes().to_vec();
    key.extend_from_slice(record.id.to_string().as_bytes());
    key
}

fn seen_key(article: &Article) -> Vec<u8> {
    let at = rfc3339_secs(&article.first_seen).unwrap_or(0);
    let mut key = at.to_be_bytes().to_vec();
    key.extend_from_slice(article.canonical_url.as_bytes());
    key
}
