//! One feed refresh, start to end: fetch the feed (conditionally), parse it,
//! and take each new or changed item through the recipe: get its text (the
//! page, else the feed's content), key it by its canonical URL, place it in
//! a duplicate group, store it, and raise alerts.
//!
//! An item is re-checked when what the feed says about it changed or when
//! it moved up the feed (how many feeds announce an update); the page is
//! then fetched conditionally, and new text is stored as an update of the
//! same article, in the same group.

use futures_util::StreamExt;
use url::Url;

use super::page::{self, Obtained, Outcome};
use super::{Context, alerts};
use crate::config::FeedConfig;
use crate::dedupe::{FeedOrder, canonical_url, entry_signature, fingerprint, item_hash};
use crate::fetch::FeedResponse;
use crate::model::{Article, Entry, GroupId, StoryId, now_rfc3339};
use crate::parse::parse_feed;
use crate::store::{FeedState, ItemState, StoreError};

/// Items of one feed processed at once (each page fetch also takes a global permit).
const ITEMS_IN_FLIGHT: usize = 4;

/// Poll a feed. On failure, returns the number of consecutive failures.
pub(super) async fn poll_feed(ctx: &Context, feed: &FeedConfig) -> Result<(), u32> {
    let key = feed.url.as_str();
    let mut state = match ctx.store.feed_state(key) {
        Ok(state) => state,
        Err(err) => {
            tracing::error!(feed = %feed.url, error = %err, "cannot read feed state");
            return Err(1);
        }
    };
    let result = refresh(ctx, feed, &mut state).await;
    let outcome = match result {
        Ok(()) => {
            state.consecutive_errors = 0;
            state.last_success = Some(now_rfc3339());
            Ok(())
        }
        Err(reason) => {
            state.consecutive_errors += 1;
            // Report a failing feed once when it starts failing, then quietly.
            if state.consecutive_errors == 1 {
                tracing::warn!(feed = %feed.url, error = %reason, "feed poll failed; will retry with backoff");
            }
            state.last_error = Some(reason);
            Err(state.consecutive_errors)
        }
    };
    if let Err(err) = ctx.store.put_feed_state(key, &state) {
        tracing::error!(feed = %feed.url, error = %err, "cannot save feed state");
    }
    outcome
}

async fn refresh(ctx: &Context, feed: &FeedConfig, state: &mut FeedState) -> Result<(), String> {
    let response = ctx
        .fetcher
        .feed(
            &feed.url,
            state.etag.as_deref(),
            state.last_modified.as_deref(),
        )
        .await;
    let (body, final_url) = match response.map_err(|e| e.to_string())? {
        FeedResponse::NotModified => return Ok(()),
        FeedResponse::Fresh {
            body,
            final_url,
            etag,
            last_modified,
        } => {
            state.etag = etag;
            state.last_modified = last_modified;
            (body, final_url)
        }
    };
    let entries = parse_feed(&final_url, &body).map_err(|e| e.to_string())?;
    let order: Vec<u64> = entries
        .iter()
        .filter_map(Entry::key)
        .map(item_hash)
        .collect();
    let moves = FeedOrder::compare(&state.order, &order);
    state.order = order;
    let feed_key = feed.url.as_str();
    let results: Vec<Result<(), StoreError>> = futures_util::stream::iter(entries)
        .map(|entry| process_entry(ctx, feed_key, entry, &moves))
        .buffer_unordered(ITEMS_IN_FLIGHT)
        .collect()
        .await;
    // A store failure is the daemon's problem, not the feed's: report it loudly.
    for err in results.into_iter().filter_map(Result::err) {
        tracing::error!(feed = %feed.url, error = %err, "cannot store an item");
    }
    Ok(())
}

/// Take one feed item through the recipe, unless it is known and unchanged.
async fn process_entry(
    ctx: &Context,
    feed: &str,
    entry: Entry,
    moves: &FeedOrder,
) -> Result<(), StoreError> {
    let Some(item_key) = entry.key().map(str::to_string) else {
        return Ok(());
    };
    let Some(link) = entry.link.as_deref().and_then(|l| Url::parse(l).ok()) else {
        tracing::debug!(feed, item = %item_key, "item without a usable link");
        return Ok(());
    };
    let signature = entry_signature(&entry);
    let known = ctx.store.item(feed, &item_key)?;
    let outcome = match &known {
        None => page::first(ctx, feed, &entry, &link).await,
        Some(item) if item.entry != signature || moves.moved_up(item_hash(&item_key)) => {
            recheck(ctx, feed, &entry, &link, item).await?
        }
        Some(_) => return Ok(()),
    };
    let obtained = match outcome {
        Outcome::Text(obtained) => obtained,
        Outcome::Unchanged => {
            let item = known.map(|item| ItemState {
                entry: signature,
                ..item
            });
            return item.map_or(Ok(()), |item| ctx.store.put_item(feed, &item_key, &item));
        }
        Outcome::Nothing => return Ok(()),
    };
    let item = ItemState {
        canonical_url: canonical_url(&obtained.final_url),
        entry: signature,
        page: obtained.validators.clone(),
    };
    if let Some((article, joined)) = place(ctx, feed, &entry, &link, *obtained)? {
        ctx.store.put_article(&article)?;
        tracing::debug!(feed, url = %article.url, group = %article.group.0, "article stored");
        alerts::raise(ctx, &article, joined)?;
    }
    ctx.store.put_item(feed, &item_key, &item)
}

/// Re-check a known item's page; an item whose article is gone is new again.
async fn recheck(
    ctx: &Context,
    feed: &str,
    entry: &Entry,
    link: &Url,
    item: &ItemState,
) -> Result<Outcome, StoreError> {
    Ok(match ctx.store.article(&item.canonical_url)? {
        Some(stored) => page::recheck(ctx, feed, entry, link, &item.page, stored.source).await,
        None => page::first(ctx, feed, entry, link).await,
    })
}

/// The article to store for this text, and whether it joined an existing
/// group: an update of the stored article at the same canonical URL keeps
/// its group and story; a new one is placed in a group. None when the
/// stored article already has this text (the same article listed again, or
/// by another feed).
fn place(
    ctx: &Context,
    feed: &str,
    entry: &Entry,
    link: &Url,
    obtained: Obtained,
) -> Result<Option<(Article, bool)>, StoreError> {
    let canonical = canonical_url(&obtained.final_url);
    let previous = ctx.store.article(&canonical)?;
    if previous
        .as_ref()
        .is_some_and(|p| p.text == obtained.extracted.text)
    {
        return Ok(None);
    }
    let meta = obtained.extracted.meta;
    let title = entry
        .title
        .clone()
        .filter(|t| !t.is_empty())
        .or(meta.title)
        .unwrap_or_default();
    let now = now_rfc3339();
    let article = Article {
        url: link.to_string(),
        final_url: obtained.final_url.to_string(),
        canonical_url: canonical,
        title,
        text: obtained.extracted.text,
        published: entry.published.clone().or(meta.published),
        modified: entry.updated.clone().or(meta.modified),
        feed: feed.to_string(),
        group: GroupId::default(),
        story: StoryId::default(),
        byline: meta.byline,
        lang: meta.lang,
        site_name: meta.site_name,
        source: obtained.source,
        first_seen: previous
            .as_ref()
            .map_or_else(|| now.clone(), |p| p.first_seen.clone()),
        last_seen: now,
    };
    let fp = fingerprint(&article.text);
    let placed = {
        let mut grouping = ctx.grouping.lock().unwrap_or_else(|e| e.into_inner());
        grouping.place(&ctx.store, &article, &fp, previous.as_ref())?
    };
    let joined = placed.joined;
    let article = Article {
        group: placed.group,
        story: placed.story,
        ..article
    };
    Ok(Some((article, joined)))
}
