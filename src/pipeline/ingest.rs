//! One feed refresh, start to end: fetch the feed (conditionally), parse it,
//! and take each new or changed item through the recipe: get its text (the
//! page, else the feed's content), key it by its canonical URL, place it in
//! a duplicate group, store it, and raise alerts.
//!
//! An item is re-checked when what the feed says about it changed, when it
//! moved up the feed (how many feeds announce an update), when it heads a
//! feed that changed (the newest item cannot move up), and, because most
//! feeds say nothing at all about updates, a few times while it is young
//! (30 s, 1, 2, 4, 8 and 16 minutes after it was first stored); the page is
//! then fetched conditionally, and new text is stored as an update of the
//! same article, in the same group. When such a re-check is due the feed
//! itself is fetched unconditionally: a 304 would skip its items.

use std::time::Duration;

use futures_util::StreamExt;
use url::Url;

use super::page::{self, Obtained, Outcome, Source};
use super::placer::Unplaced;
use super::schedule::{self, Hints};
use super::{Context, silence};
use crate::config::FeedConfig;
use crate::dedupe::{FeedOrder, canonical_url, entry_signature, fingerprint, item_hash};
use crate::fetch::{CacheHints, FeedResponse, FetchError};
use crate::model::{Article, Entry, GroupId, StoryId, now_rfc3339, unix_now};
use crate::parse::parse_feed;
use crate::store::{FeedState, ItemState, StoreError};
use crate::telemetry::metrics;

/// Items of one feed processed at once (each page fetch also takes a global permit).
const ITEMS_IN_FLIGHT: usize = 4;

/// Why a poll failed.
struct Failure {
    kind: &'static str,
    reason: String,
    retry_after: Option<Duration>,
}

/// Poll a feed, record its health, and return the wait before the next poll.
pub(super) async fn poll_feed(ctx: &Context, feed: &FeedConfig) -> Duration {
    let key = feed.url.as_str();
    let poll = ctx.config.borrow().poll.clone();
    let mut state = match ctx.store.feed_state(key) {
        Ok(state) => state,
        Err(err) => {
            tracing::error!(feed = %feed.url, error = %err, "cannot read feed state");
            return poll.max_interval;
        }
    };
    let hints = match refresh(ctx, feed, &mut state).await {
        Ok(hints) => {
            if state.consecutive_errors > 0 {
                tracing::info!(feed = %feed.url, failed_polls = state.consecutive_errors, "feed recovered");
            }
            state.consecutive_errors = 0;
            state.last_success = Some(now_rfc3339());
            if let Err(err) = silence::check(ctx, feed, &mut state, unix_now()) {
                tracing::error!(feed = %feed.url, error = %err, "cannot queue the silence event; will try at the next poll");
            }
            hints
        }
        Err(failure) => {
            metrics::poll("error");
            metrics::fetch_error("feed", failure.kind);
            state.consecutive_errors += 1;
            // Report a failing feed once when it starts failing (and when it
            // recovers); the failures in between go to the debug level.
            if state.consecutive_errors == 1 {
                tracing::warn!(feed = %feed.url, kind = failure.kind, error = %failure.reason, "feed poll failed; will retry with backoff");
            } else {
                tracing::debug!(feed = %feed.url, kind = failure.kind, error = %failure.reason, failed_polls = state.consecutive_errors, "feed poll failed again");
            }
            state.last_error = Some(failure.reason);
            state.last_error_kind = Some(failure.kind.to_string());
            Hints {
                retry_after: failure.retry_after,
                ..Hints::default()
            }
        }
    };
    let now = unix_now();
    state.watched_since.get_or_insert(now);
    let delay = schedule::next_delay(&poll, feed.interval, &state, &hints, now);
    state.next_poll = Some(now + delay.as_secs());
    if let Err(err) = ctx.store.put_feed_state(key, &state) {
        tracing::error!(feed = %feed.url, error = %err, "cannot save feed state");
    }
    delay
}

/// Remembers that a feed moved permanently, so that it is polled at its
/// new address from now on (its items still count as the configured
/// feed's), and tells the operator to update the config.
fn record_move(feed: &FeedConfig, state: &mut FeedState, moved_to: Option<Url>) {
    if let Some(new) = moved_to {
        tracing::warn!(feed = %feed.url, moved_to = %new, "feed moved permanently; polling its new address from now on (update the config)");
        state.moved_to = Some(new.to_string());
    }
}

async fn refresh(
    ctx: &Context,
    feed: &FeedConfig,
    state: &mut FeedState,
) -> Result<Hints, Failure> {
    let address = state.address(&feed.url);
    let started = std::time::Instant::now();
    let conditional = state.next_recheck.is_none_or(|at| at > unix_now());
    let (etag, last_modified) = match conditional {
        true => (state.etag.as_deref(), state.last_modified.as_deref()),
        false => (None, None),
    };
    let response = ctx
        .fetcher()
        .feed(&address, etag, last_modified)
        .await
        .map_err(|err| Failure {
            kind: err.kind(),
            retry_after: match &err {
                FetchError::Status { retry_after, .. } => *retry_after,
                _ => None,
            },
            reason: err.to_string(),
        })?;
    let (body, final_url, cache) = match response {
        FeedResponse::NotModified { cache, moved_to } => {
            metrics::poll("not_modified");
            record_move(feed, state, moved_to);
            return Ok(hints(cache, None));
        }
        FeedResponse::Fresh {
            body,
            final_url,
            moved_to,
            etag,
            last_modified,
            cache,
        } => {
            metrics::poll("fresh");
            metrics::fetched("feed", body.len(), started.elapsed());
            record_move(feed, state, moved_to);
            state.etag = etag;
            state.last_modified = last_modified;
            (body, final_url, cache)
        }
    };
    let parsed = parse_feed(&final_url, &body).map_err(|e| Failure {
        kind: "parse",
        reason: e.to_string(),
        retry_after: None,
    })?;
    let order: Vec<u64> = parsed
        .entries
        .iter()
        .filter_map(Entry::key)
        .map(item_hash)
        .collect();
    let moves = FeedOrder::compare(&state.order, &order);
    state.order = order;
    let dates = schedule::item_dates(&parsed.entries, unix_now());
    let source = Source {
        feed: feed.url.as_str(),
        feed_name: feed.name.as_deref(),
        robots: feed.robots.unwrap_or(ctx.config.borrow().fetch.robots),
    };
    let results: Vec<Result<Processed, StoreError>> = futures_util::stream::iter(parsed.entries)
        .map(|entry| process_entry(ctx, source, entry, &moves))
        .buffer_unordered(ITEMS_IN_FLIGHT)
        .collect()
        .await;
    let mut new_items = 0;
    state.next_recheck = None;
    for result in results {
        match result {
            Ok(processed) => {
                new_items += usize::from(processed.new);
                state.next_recheck = earliest(state.next_recheck, processed.next_recheck);
            }
            // A store failure is the daemon's problem, not the feed's: report it loudly.
            Err(err) => tracing::error!(feed = %feed.url, error = %err, "cannot store an item"),
        }
    }
    let now = unix_now();
    schedule::record_arrivals(&mut state.arrivals, new_items, now);
    schedule::record_items(&mut state.item_times, dates, new_items, now);
    Ok(hints(cache, parsed.ttl))
}

fn hints(cache: CacheHints, ttl: Option<Duration>) -> Hints {
    Hints {
        ttl,
        max_age: cache.max_age,
        expires: cache.expires,
        retry_after: None,
    }
}

/// What became of one feed item.
#[derive(Default)]
struct Processed {
    /// A new item that got stored.
    new: bool,
    /// When its page is next re-checked, while it is young.
    next_recheck: Option<u64>,
}

fn earliest(a: Option<u64>, b: Option<u64>) -> Option<u64> {
    a.into_iter().chain(b).min()
}

/// Take one feed item through the recipe, unless it is known and unchanged.
async fn process_entry(
    ctx: &Context,
    source: Source<'_>,
    entry: Entry,
    moves: &FeedOrder,
) -> Result<Processed, StoreError> {
    let feed = source.feed;
    let Some(item_key) = entry.key().map(str::to_string) else {
        return Ok(Processed::default());
    };
    let Some(link) = entry.link.as_deref().and_then(|l| Url::parse(l).ok()) else {
        tracing::debug!(feed, item = %item_key, "item without a usable link");
        return Ok(Processed::default());
    };
    let signature = entry_signature(&entry);
    let known = ctx.store.item(feed, &item_key)?;
    let now = unix_now();
    let outcome = match &known {
        None => page::first(ctx, source, &entry, &link).await,
        Some(item)
            if item.entry != signature || moves.changed(item_hash(&item_key)) || due(item, now) =>
        {
            recheck(ctx, source, &entry, &link, item).await?
        }
        Some(item) => {
            return Ok(Processed {
                new: false,
                next_recheck: item.next_recheck,
            });
        }
    };
    let (rechecks, next_recheck) = match &known {
        None => (0, Some(now + FIRST_RECHECK)),
        Some(item) => next_after(item, now),
    };
    let obtained = match outcome {
        Outcome::Text(obtained) => obtained,
        Outcome::Unchanged | Outcome::Nothing => {
            // A new item that gave nothing is not remembered: it is tried again.
            let Some(item) = known else {
                return Ok(Processed::default());
            };
            let item = ItemState {
                entry: signature,
                rechecks,
                next_recheck,
                ..item
            };
            ctx.store.put_item(feed, &item_key, &item)?;
            return Ok(Processed {
                new: false,
                next_recheck,
            });
        }
    };
    let item = ItemState {
        canonical_url: canonical_url(&obtained.final_url),
        entry: signature,
        page: obtained.validators.clone(),
        rechecks,
        next_recheck,
    };
    if let Some(unplaced) = keyed(ctx, source, &entry, &link, *obtained)?
        && !ctx.placer.place(unplaced).await?
    {
        return Ok(Processed::default());
    }
    ctx.store.put_item(feed, &item_key, &item)?;
    Ok(Processed {
        new: known.is_none(),
        next_recheck,
    })
}

/// Seconds after first storing an item when its page is first re-checked;
/// each later re-check waits twice as long.
const FIRST_RECHECK: u64 = 30;
/// Re-checks on that schedule (30 s up to 16 min after the first visit).
const RECHECKS: u32 = 6;

/// Whether a young item's scheduled re-check is due.
fn due(item: &ItemState, now: u64) -> bool {
    item.next_recheck.is_some_and(|at| at <= now)
}

/// The re-check count and next re-check time after a visit at `now`: the
/// schedule advances only when a scheduled re-check was due.
fn next_after(item: &ItemState, now: u64) -> (u32, Option<u64>) {
    if !due(item, now) {
        return (item.rechecks, item.next_recheck);
    }
    let done = item.rechecks + 1;
    let next = (done < RECHECKS).then(|| now + (FIRST_RECHECK << done));
    (done, next)
}

/// Re-check a known item's page. An item whose article retention has
/// forgotten stays forgotten: storing it again would make it new, and alert
/// on it a second time.
async fn recheck(
    ctx: &Context,
    source: Source<'_>,
    entry: &Entry,
    link: &Url,
    item: &ItemState,
) -> Result<Outcome, StoreError> {
    Ok(match ctx.store.article(&item.canonical_url)? {
        Some(stored) => page::recheck(ctx, source, entry, link, &item.page, stored.source).await,
        None => {
            tracing::debug!(feed = source.feed, url = %link, "item's article forgotten by retention; not fetched again");
            Outcome::Nothing
        }
    })
}

/// The article to place for this text, keyed by its canonical URL, with
/// the stored version when it updates one. None when the stored article
/// already has this text (the same article listed again, or by another
/// feed).
fn keyed(
    ctx: &Context,
    source: Source<'_>,
    entry: &Entry,
    link: &Url,
    obtained: Obtained,
) -> Result<Option<Unplaced>, StoreError> {
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
        feed: source.feed.to_string(),
        feed_name: source.feed_name.map(str::to_string),
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
    Ok(Some(Unplaced {
        fingerprint: fingerprint(&article.text),
        article,
        previous,
    }))
}
