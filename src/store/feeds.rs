//! Per-feed polling state.

use serde::{Deserialize, Serialize};

use super::{Store, StoreError, get, put};

/// Per-feed polling state.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct FeedState {
    pub etag: Option<String>,
    pub last_modified: Option<String>,
    pub last_success: Option<String>,
    pub last_error: Option<String>,
    pub consecutive_errors: u32,
    /// Item keys of the last fresh fetch in feed order, hashed (see
    /// `dedupe::item_hash`): an item that moves up has been updated.
    #[serde(default)]
    pub order: Vec<u64>,
}

impl Store {
    pub fn feed_state(&self, feed: &str) -> Result<FeedState, StoreError> {
        Ok(get(&self.feeds, "feeds", feed.as_bytes())?.unwrap_or_default())
    }

    pub fn put_feed_state(&self, feed: &str, state: &FeedState) -> Result<(), StoreError> {
        put(&self.feeds, "feeds", feed.as_bytes(), state)
    }
}
