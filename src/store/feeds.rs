//! Per-feed polling state.

use serde::{Deserialize, Serialize};

use url::Url;

use super::{Store, StoreError, decode, get, put};

/// Per-feed polling state.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct FeedState {
    pub etag: Option<String>,
    pub last_modified: Option<String>,
    pub last_success: Option<String>,
    pub last_error: Option<String>,
    /// A short name of the last error's kind (`timeout`, `status`, `parse`…).
    #[serde(default)]
    pub last_error_kind: Option<String>,
    pub consecutive_errors: u32,
    /// Unix time of the next poll, so a restart neither forgets nor hammers.
    #[serde(default)]
    pub next_poll: Option<u64>,
    /// Unix times at which new items appeared (the newest few), for the
    /// publishing rate.
    #[serde(default)]
    pub arrivals: Vec<u64>,
    /// Unix times of the feed's newest items by their own published or
    /// updated dates (the time they were first seen when the feed gives
    /// none), distinct and oldest first: the schedule's rate evidence.
    #[serde(default)]
    pub item_times: Vec<u64>,
    /// Unix time of the feed's first poll: an empty feed counts as quiet
    /// only once it has been watched long enough.
    #[serde(default)]
    pub watched_since: Option<u64>,
    /// Item keys of the last fresh fetch in feed order, hashed (see
    /// `dedupe::item_hash`): an item that moves up has been updated.
    #[serde(default)]
    pub order: Vec<u64>,
    /// The newest arrival time a silence was reported for: one report per
    /// quiet spell.
    #[serde(default)]
    pub silence_reported: Option<u64>,
    /// Where the feed moved permanently (a 301 or 308), if it did.
    #[serde(default)]
    pub moved_to: Option<String>,
    /// Unix time of the earliest re-check due for a young item the feed
    /// listed: from then on the feed is asked without validators, so that
    /// a feed answering 304 does not hide an update made on the page alone.
    #[serde(default)]
    pub next_recheck: Option<u64>,
}

impl FeedState {
    /// The address to poll: where the feed moved, else the configured one.
    pub fn address(&self, configured: &Url) -> Url {
        self.moved_to
            .as_deref()
            .and_then(|u| Url::parse(u).ok())
            .unwrap_or_else(|| configured.clone())
    }

    /// New items per day over the arrivals kept (None before the first).
    pub fn items_per_day(&self, now: u64) -> Option<f64> {
        let oldest = self.arrivals.iter().min()?;
        let span = now.saturating_sub(*oldest).max(60) as f64;
        Some(self.arrivals.len() as f64 * 86_400.0 / span)
    }
}

impl Store {
    pub fn feed_state(&self, feed: &str) -> Result<FeedState, StoreError> {
        Ok(get(&self.feeds, "feeds", feed.as_bytes())?.unwrap_or_default())
    }

    pub fn put_feed_state(&self, feed: &str, state: &FeedState) -> Result<(), StoreError> {
        put(&self.feeds, "feeds", feed.as_bytes(), state)
    }

    /// Every feed's state with its URL, in URL order.
    pub fn feed_states(
        &self,
    ) -> impl Iterator<Item = Result<(String, FeedState), StoreError>> + '_ {
        self.feeds.iter().map(|entry| {
            let (key, value) = entry.map_err(StoreError::sled("feeds"))?;
            let state = decode("feeds", &key, &value)?;
            Ok((String::from_utf8_lossy(&key).into_owned(), state))
        })
    }
}
