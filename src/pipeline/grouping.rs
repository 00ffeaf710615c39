//! The group stage: places stored articles with the grouping engine
//! (`dedupe::Engine`) over the store's ledger, so every placement is also
//! written to the store (one fingerprint record per article, one record per
//! group). `Grouping::rebuild` reloads the engine's indexes from those
//! records at start, so a copy arriving after a restart still joins its
//! group.

use std::time::Duration;

use crate::dedupe::{Engine, Fingerprint, Incoming, Placement};
use crate::model::{Article, GroupId, StoryId, rfc3339_secs, unix_now};
use crate::store::{GroupLedger, GroupRecord, Store, StoreError};
use crate::telemetry::metrics;

/// The grouping engine of the daemon.
pub struct Grouping {
    engine: Engine,
}

impl Grouping {
    /// The indexes as the store last left them: every fingerprint and
    /// group indexed within the window.
    pub fn rebuild(store: &Store, window: Duration) -> Result<Grouping, StoreError> {
        let mut engine = Engine::new(window);
        let since = unix_now().saturating_sub(window.as_secs());
        let mut restored = 0usize;
        for record in store.fingerprints_since(since) {
            let (url, record) = record?;
            let Ok(fp) = Fingerprint::from_bytes(&record.fingerprint) else {
                continue;
            };
            engine.restore_article(&url, record.group, &fp, record.at);
            restored += 1;
        }
        let mut grouping = Grouping { engine };
        for record in store.groups() {
            grouping.restore_group(store, &record?, since)?;
        }
        tracing::info!(
            articles = restored,
            groups = grouping.engine.len().1,
            "duplicate index rebuilt"
        );
        Ok(grouping)
    }

    fn restore_group(
        &mut self,
        store: &Store,
        record: &GroupRecord,
        since: u64,
    ) -> Result<(), StoreError> {
        let Some(first) = record.members.first() else {
            return Ok(());
        };
        let at = rfc3339_secs(&first.first_seen).unwrap_or(0);
        if at < since {
            return Ok(());
        }
        if let Some(article) = store.article(&record.representative)? {
            self.engine
                .restore_group(record.id, record.story, &article.title, &article.text, at);
        }
        Ok(())
    }

    /// Applies a new duplicate window (a reload).
    pub fn set_window(&mut self, window: Duration) {
        self.engine.set_window(window);
    }

    /// The groups of a story that are still indexed (those within the
    /// story window).
    pub fn story_groups(&self, story: StoryId) -> Vec<GroupId> {
        self.engine.story_groups(story)
    }

    /// Places a new article (or an update: `previous` is the stored version,
    /// whose group and story it keeps) and records the placement.
    pub fn place(
        &mut self,
        store: &Store,
        article: &Article,
        fp: &Fingerprint,
        previous: Option<&Article>,
    ) -> Result<Placement, StoreError> {
        let at = unix_now();
        let incoming = Incoming {
            key: &article.canonical_url,
            title: &article.title,
            text: &article.text,
            fingerprint: fp,
            at,
            previous: previous.map(|p| (p.group, p.story)),
        };
        let mut ledger = GroupLedger {
            store,
            article,
            fingerprint: fp,
            at,
        };
        let placement = self.engine.place(&mut ledger, incoming)?;
        if previous.is_none() && !placement.joined {
            metrics::grouped(true, placement.founded_story);
        }
        Ok(placement)
    }
}

#[cfg(test)]
mod tests;
