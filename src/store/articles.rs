//! Articles by canonical URL, and what each feed item became.

use serde::{Deserialize, Serialize};

use super::{Store, StoreError, decode, get, pair, put};
use crate::model::{Article, Validators};

/// What became of a feed item, so a repeat poll does not fetch it again.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ItemState {
    pub canonical_url: String,
    /// Signature of the feed entry when last processed (see
    /// `dedupe::entry_signature`); a different one means the item changed.
    #[serde(default)]
    pub entry: u64,
    /// Validators of the page fetch, for re-checking it conditionally.
    #[serde(default)]
    pub page: Validators,
    /// Re-checks done on the young-article schedule.
    #[serde(default)]
    pub rechecks: u32,
    /// Unix time of the next scheduled re-check, if any is left.
    #[serde(default)]
    pub next_recheck: Option<u64>,
}

impl Store {
    pub fn item(&self, feed: &str, key: &str) -> Result<Option<ItemState>, StoreError> {
        get(&self.items, "items", &pair(feed, key))
    }

    pub fn put_item(&self, feed: &str, key: &str, state: &ItemState) -> Result<(), StoreError> {
        put(&self.items, "items", &pair(feed, key), state)
    }

    pub fn article(&self, canonical_url: &str) -> Result<Option<Article>, StoreError> {
        get(&self.articles, "articles", canonical_url.as_bytes())
    }

    pub fn put_article(&self, article: &Article) -> Result<(), StoreError> {
        self.index_article(article)?;
        put(
            &self.articles,
            "articles",
            article.canonical_url.as_bytes(),
            article,
        )
    }

    /// Every stored article, in key order.
    pub fn articles(&self) -> impl Iterator<Item = Result<Article, StoreError>> + '_ {
        self.articles.iter().map(|entry| {
            let (key, value) = entry.map_err(StoreError::sled("articles"))?;
            decode("articles", &key, &value)
        })
    }

    pub fn article_count(&self) -> usize {
        self.articles.len()
    }
}
