//! Getting an item's text: fetch the article page (conditionally when it was
//! fetched before) and extract it off the I/O threads, or fall back to the
//! feed's own content when the page cannot give any text. A page on which
//! no block is confidently the article (`Kind::Unclear`) gives no text:
//! its best guess may be menus and headlines, which must not be matched
//! against topics; the feed's content is used, else the page's title and
//! description.

use url::Url;

use super::Context;
use crate::extract;
use crate::fetch::{FetchError, Page};
use crate::model::{Entry, TextSource, Validators};
use crate::telemetry::metrics;

/// An item's text and where it came from.
pub(super) struct Obtained {
    /// The page URL after redirects (the link itself for feed text).
    pub final_url: Url,
    pub extracted: extract::Article,
    pub source: TextSource,
    /// Validators of the page fetch, for the next re-check.
    pub validators: Validators,
}

/// What a fetch of an item's text gave.
pub(super) enum Outcome {
    /// Text to store.
    Text(Box<Obtained>),
    /// The page answered 304 to a re-check.
    Unchanged,
    /// No text: the failure is logged; the item is tried again on a later poll.
    Nothing,
}

/// Where an item comes from: its feed's key, and whether the feed's pages
/// are fetched only where robots.txt allows.
#[derive(Debug, Clone, Copy)]
pub(super) struct Source<'a> {
    pub feed: &'a str,
    pub feed_name: Option<&'a str>,
    pub robots: bool,
}

/// The text of a new item: the page, else the feed's content.
pub(super) async fn first(ctx: &Context, source: Source<'_>, entry: &Entry, link: &Url) -> Outcome {
    let feed = source.feed;
    if let Err(err) = may_fetch(ctx, source, link).await {
        return from_feed(ctx, feed, entry, link, Some(err));
    }
    match fetch_page(ctx, link, None).await {
        Ok(Some(page)) => match extract_page(link, page).await {
            Ok(obtained) if has_text(&obtained) => Outcome::Text(Box::new(obtained)),
            Ok(obtained) if entry_text(entry, link).is_none() => {
                from_page_summary(ctx, feed, link, obtained)
            }
            Ok(_) => from_feed(ctx, feed, entry, link, None),
            Err(err) => from_feed(ctx, feed, entry, link, Some(err)),
        },
        // Only a conditional fetch answers 304.
        Ok(None) => Outcome::Nothing,
        Err(err) => from_feed(ctx, feed, entry, link, Some(err)),
    }
}

/// The text of an item seen before, fetched only if the page changed. A
/// page that fails now keeps the stored text (a feed summary must not
/// replace a full article); the re-check is tried again later.
pub(super) async fn recheck(
    ctx: &Context,
    source: Source<'_>,
    entry: &Entry,
    link: &Url,
    validators: &Validators,
    stored: TextSource,
) -> Outcome {
    if stored == TextSource::Feed {
        return first(ctx, source, entry, link).await;
    }
    let feed = source.feed;
    if may_fetch(ctx, source, link).await.is_err() {
        return Outcome::Nothing;
    }
    let page = match fetch_page(ctx, link, Some(validators)).await {
        Ok(Some(page)) => page,
        Ok(None) => return Outcome::Unchanged,
        Err(err) => {
            tracing::debug!(feed, url = %link, error = %err, "re-check of a stored page failed");
            return Outcome::Nothing;
        }
    };
    match extract_page(link, page).await {
        Ok(obtained) if has_text(&obtained) => Outcome::Text(Box::new(obtained)),
        _ => Outcome::Nothing,
    }
}

/// Refuses pages that the site's robots.txt disallows, when the feed honours it.
async fn may_fetch(ctx: &Context, source: Source<'_>, link: &Url) -> Result<(), FetchError> {
    if source.robots && !ctx.robots.allowed(&ctx.fetcher(), link).await {
        tracing::debug!(feed = source.feed, url = %link, "page disallowed by robots.txt");
        return Err(FetchError::Disallowed {
            url: link.to_string(),
        });
    }
    Ok(())
}

/// Whether the page gave text that is confidently its article.
fn has_text(obtained: &Obtained) -> bool {
    obtained.extracted.kind != extract::Kind::Unclear && !obtained.extracted.text.trim().is_empty()
}

/// The page's own title and description as its text, when its body was
/// not confidently an article and the feed has no text: a page is never
/// stored with its boilerplate as the story.
fn from_page_summary(ctx: &Context, feed: &str, link: &Url, mut obtained: Obtained) -> Outcome {
    let meta = &obtained.extracted.meta;
    let text: Vec<&str> = [meta.title.as_deref(), meta.description.as_deref()]
        .into_iter()
        .flatten()
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .collect();
    if text.is_empty() {
        log_unfetched(ctx, feed, link, None);
        return Outcome::Nothing;
    }
    tracing::debug!(feed, url = %link, "no confident article on the page; its title and description are the text");
    obtained.extracted.text = text.join("\n\n");
    Outcome::Text(Box::new(obtained))
}

async fn fetch_page(
    ctx: &Context,
    link: &Url,
    validators: Option<&Validators>,
) -> Result<Option<Page>, FetchError> {
    let started = std::time::Instant::now();
    let fetched = match validators {
        Some(v) => ctx.fetcher().page_if_changed(link, v).await,
        None => ctx.fetcher().page(link).await.map(Some),
    };
    match &fetched {
        Ok(Some(page)) => metrics::fetched("page", page.body.len(), started.elapsed()),
        Ok(None) => {}
        Err(err) => metrics::fetch_error("page", err.kind()),
    }
    fetched
}

/// Extraction is CPU work; it runs on the blocking pool, and a panic in it
/// costs only this page.
async fn extract_page(link: &Url, page: Page) -> Result<Obtained, FetchError> {
    let handle = tokio::task::spawn_blocking(move || {
        let started = std::time::Instant::now();
        let html = extract::decode_html(&page.body, page.content_type.as_deref());
        let extracted = extract::extract(&html, Some(&page.final_url));
        metrics::extracted(started.elapsed());
        Obtained {
            final_url: page.final_url,
            extracted,
            source: TextSource::Page,
            validators: page.validators,
        }
    });
    handle.await.map_err(|err| {
        tracing::error!(url = %link, error = %err, "extraction failed");
        FetchError::Net(crate::net::NetError::Request {
            url: link.to_string(),
            reason: format!("extraction failed: {err}"),
        })
    })
}

/// The feed's own content as the article, when it has text.
fn from_feed(
    ctx: &Context,
    feed: &str,
    entry: &Entry,
    link: &Url,
    err: Option<FetchError>,
) -> Outcome {
    let Some(extracted) = entry_text(entry, link) else {
        log_unfetched(ctx, feed, link, err);
        return Outcome::Nothing;
    };
    Outcome::Text(Box::new(Obtained {
        final_url: link.clone(),
        extracted,
        source: TextSource::Feed,
        validators: Validators::default(),
    }))
}

/// The feed's own content of the entry, extracted, when it has text.
fn entry_text(entry: &Entry, link: &Url) -> Option<extract::Article> {
    entry
        .content_html
        .as_deref()
        .map(|html| extract::extract(html, Some(link)))
        .filter(|a| !a.text.trim().is_empty())
}

/// Pages whose failure was reported, so that a page failing on every poll
/// is reported once (later failures are logged at debug level).
#[derive(Debug, Default)]
pub(crate) struct Reported {
    urls: std::sync::Mutex<std::collections::HashSet<String>>,
}

/// Entries kept before the set starts over (bounds its memory).
const REPORTED_KEPT: usize = 50_000;

impl Reported {
    /// True the first time `url` is reported.
    fn first_time(&self, url: &Url) -> bool {
        let mut urls = self.urls.lock().unwrap_or_else(|e| e.into_inner());
        if urls.len() >= REPORTED_KEPT {
            urls.clear();
        }
        urls.insert(url.to_string())
    }
}

fn log_unfetched(ctx: &Context, feed: &str, link: &Url, err: Option<FetchError>) {
    if !ctx.reported.first_time(link) {
        tracing::debug!(feed, url = %link, error = ?err.map(|e| e.to_string()), "article page still not fetched");
        return;
    }
    match err {
        Some(err) => {
            tracing::warn!(feed, url = %link, kind = err.kind(), error = %err, "article page not fetched and the feed has no text")
        }
        None => {
            tracing::warn!(feed, url = %link, "article page has no text and neither has the feed")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failing_page_is_reported_once() {
        let reported = Reported::default();
        let url = Url::parse("https://news.example/a").unwrap();
        assert!(reported.first_time(&url));
        assert!(!reported.first_time(&url));
        assert!(reported.first_time(&Url::parse("https://news.example/b").unwrap()));
    }
}
