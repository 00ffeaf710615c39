//! One feed refresh, start to end: fetch the feed (conditionally), parse it,
//! and take each new or updated item through the recipe: fetch the page,
//! extract the article (or fall back to the feed's content), key it by its
//! canonical URL, group exact copies, store it, and raise alerts.

use futures_util::StreamExt;
use url::Url;

use super::{Context, alerts};
use crate::config::FeedConfig;
use crate::dedupe::{body_hash, canonical_url};
use crate::extract;
use crate::fetch::{self, FeedResponse, FetchError};
use crate::model::{Article, Entry, GroupId, TextSource, now_rfc3339};
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
    let response = {
        let _permit = ctx.permits.acquire().await.map_err(|e| e.to_string())?;
        fetch::feed(
            &ctx.client,
            &feed.url,
            state.etag.as_deref(),
            state.last_modified.as_deref(),
        )
        .await
    };
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
    let feed_key = feed.url.as_str();
    let results: Vec<Result<(), StoreError>> = futures_util::stream::iter(entries)
        .map(|entry| process_entry(ctx, feed_key, entry))
        .buffer_unordered(ITEMS_IN_FLIGHT)
        .collect()
        .await;
    // A store failure is the daemon's problem, not the feed's: report it loudly.
    for err in results.into_iter().filter_map(Result::err) {
        tracing::error!(feed = %feed.url, error = %err, "cannot store an item");
    }
    Ok(())
}

/// Take one feed item through the recipe, unless it was already processed in
/// this version.
async fn process_entry(ctx: &Context, feed: &str, entry: Entry) -> Result<(), StoreError> {
    let Some(item_key) = entry.key().map(str::to_string) else {
        return Ok(());
    };
    let previous = ctx.store.item(feed, &item_key)?;
    if previous
        .as_ref()
        .is_some_and(|p| p.updated == entry.updated)
    {
        return Ok(());
    }
    let Some(link) = entry.link.as_deref().and_then(|l| Url::parse(l).ok()) else {
        tracing::debug!(feed, item = %item_key, "item without a usable link");
        return Ok(());
    };
    let Some(article) = build_article(ctx, feed, &entry, &link).await? else {
        return Ok(());
    };
    ctx.store.put_article(&article)?;
    let state = ItemState {
        canonical_url: article.canonical_url.clone(),
        updated: entry.updated.clone(),
    };
    ctx.store.put_item(feed, &item_key, &state)?;
    tracing::debug!(feed, url = %article.url, group = %article.group.0, "article stored");
    alerts::raise(ctx, &article)?;
    Ok(())
}

/// Fetch and extract the page (or use the feed's content), then place the
/// article: an update of a stored one keeps its group, a new one joins the
/// group of an identical body or starts its own. None when there is no text
/// to store yet.
async fn build_article(
    ctx: &Context,
    feed: &str,
    entry: &Entry,
    link: &Url,
) -> Result<Option<Article>, StoreError> {
    let page = fetch_page(ctx, link).await;
    let (final_url, extracted, source) = match page {
        Ok((final_url, extracted)) if !extracted.text.trim().is_empty() => {
            (final_url, extracted, TextSource::Page)
        }
        outcome => {
            let Some(from_feed) = entry
                .content_html
                .as_deref()
                .map(|html| extract::extract(html, Some(link)))
            else {
                log_unfetched(feed, link, outcome.err());
                return Ok(None);
            };
            if from_feed.text.trim().is_empty() {
                log_unfetched(feed, link, outcome.err());
                return Ok(None);
            }
            (link.clone(), from_feed, TextSource::Feed)
        }
    };
    let canonical = canonical_url(&final_url);
    let now = now_rfc3339();
    let previous = ctx.store.article(&canonical)?;
    let group = match &previous {
        Some(stored) => stored.group.clone(),
        None => {
            let hash = body_hash(&extracted.text);
            ctx.store
                .group_for_body(&hash, &GroupId(format!("g{}", &hash[..16])))?
        }
    };
    let title = entry
        .title
        .clone()
        .filter(|t| !t.is_empty())
        .or(extracted.meta.title)
        .unwrap_or_default();
    Ok(Some(Article {
        url: link.to_string(),
        final_url: final_url.to_string(),
        canonical_url: canonical,
        title,
        text: extracted.text,
        published: entry.published.clone().or(extracted.meta.published),
        modified: entry.updated.clone().or(extracted.meta.modified),
        feed: feed.to_string(),
        group,
        byline: extracted.meta.byline,
        lang: extracted.meta.lang,
        site_name: extracted.meta.site_name,
        source,
        first_seen: previous.map_or_else(|| now.clone(), |p| p.first_seen),
        last_seen: now,
    }))
}

async fn fetch_page(ctx: &Context, link: &Url) -> Result<(Url, extract::Article), FetchError> {
    let page = {
        let _permit = ctx.permits.acquire().await.map_err(|_| closed(link))?;
        fetch::page(&ctx.client, link).await?
    };
    // Extraction is CPU work; keep it off the I/O threads.
    let handle = tokio::task::spawn_blocking(move || {
        let html = extract::decode_html(&page.body, page.content_type.as_deref());
        let article = extract::extract(&html, Some(&page.final_url));
        (page.final_url, article)
    });
    handle.await.map_err(|err| {
        // A panic in extraction must not take the daemon down; the item falls back to the feed.
        tracing::error!(url = %link, error = %err, "extraction failed");
        FetchError::Net(crate::net::NetError::Request {
            url: link.to_string(),
            reason: format!("extraction failed: {err}"),
        })
    })
}

fn closed(link: &Url) -> FetchError {
    FetchError::Net(crate::net::NetError::Request {
        url: link.to_string(),
        reason: "shutting down".into(),
    })
}

fn log_unfetched(feed: &str, link: &Url, err: Option<FetchError>) {
    match err {
        Some(err) => {
            tracing::warn!(feed, url = %link, kind = err.kind(), error = %err, "article page not fetched and the feed has no text")
        }
        None => {
            tracing::warn!(feed, url = %link, "article page has no text and neither has the feed")
        }
    }
}
