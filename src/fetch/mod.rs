//! Fetching feeds and article pages over the guarded client: conditional GET
//! for feeds and for re-checked pages (a 304 costs the server nothing), a
//! global cap on requests in flight and politeness per domain (`polite`),
//! and HTTP statuses turned into typed errors.

pub mod polite;
pub mod robots;

use std::time::{Duration, SystemTime};

use bytes::Bytes;
use reqwest::StatusCode;
use reqwest::header::{
    CACHE_CONTROL, ETAG, EXPIRES, HeaderMap, HeaderValue, IF_MODIFIED_SINCE, IF_NONE_MATCH,
    LAST_MODIFIED, RETRY_AFTER,
};
use tokio::sync::{Semaphore, SemaphorePermit};
use url::Url;

use polite::{Limits, Politeness};

use crate::model::Validators;
use crate::net::{Fetched, HttpClient, NetError};

/// A failed fetch.
#[derive(Debug, thiserror::Error)]
pub enum FetchError {
    #[error(transparent)]
    Net(#[from] NetError),
    #[error("{url}: HTTP {status}")]
    Status {
        url: String,
        status: u16,
        /// The server's Retry-After, when it sent one.
        retry_after: Option<Duration>,
    },
    #[error("{url}: shutting down")]
    Closed { url: String },
    #[error("{url}: disallowed by the site's robots.txt")]
    Disallowed { url: String },
}

impl FetchError {
    /// A short name for logs and feed health.
    pub fn kind(&self) -> &'static str {
        match self {
            FetchError::Net(e) => e.kind(),
            FetchError::Status { .. } => "status",
            FetchError::Closed { .. } => "closed",
            FetchError::Disallowed { .. } => "robots",
        }
    }
}

/// What a feed poll brought back.
#[derive(Debug)]
pub enum FeedResponse {
    /// 304: nothing new since the validators we sent.
    NotModified {
        cache: CacheHints,
        /// The feed's new address, when it moved permanently (see [`Fetched::moved_to`]).
        moved_to: Option<Url>,
    },
    Fresh {
        body: Bytes,
        final_url: Url,
        moved_to: Option<Url>,
        etag: Option<String>,
        last_modified: Option<String>,
        cache: CacheHints,
    },
}

/// How long the server says a response stays fresh (RFC 9111 §5.2, §5.3).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct CacheHints {
    /// `Cache-Control: max-age`.
    pub max_age: Option<Duration>,
    /// `Expires`, as time from now.
    pub expires: Option<Duration>,
}

impl CacheHints {
    fn of(headers: &HeaderMap) -> CacheHints {
        let header = |name| headers.get(name).and_then(|v| v.to_str().ok());
        let max_age = header(CACHE_CONTROL).and_then(|v| {
            v.split(',')
                .filter_map(|d| d.trim().strip_prefix("max-age="))
                .find_map(|n| n.trim_matches('"').parse::<u64>().ok())
                .map(Duration::from_secs)
        });
        let expires = header(EXPIRES)
            .and_then(|v| httpdate::parse_http_date(v).ok())
            .map(|at| at.duration_since(SystemTime::now()).unwrap_or_default());
        CacheHints { max_age, expires }
    }
}

/// The validators a response carried.
fn validators_of(response: &Fetched) -> Validators {
    Validators {
        etag: response.header(ETAG.as_str()).map(str::to_string),
        last_modified: response.header(LAST_MODIFIED.as_str()).map(str::to_string),
    }
}

/// The conditional-request headers that send `validators` back.
fn conditional(validators: &Validators) -> HeaderMap {
    let mut headers = HeaderMap::new();
    let header = |v: &Option<String>| v.as_deref().and_then(|v| HeaderValue::from_str(v).ok());
    if let Some(value) = header(&validators.etag) {
        headers.insert(IF_NONE_MATCH, value);
    }
    if let Some(value) = header(&validators.last_modified) {
        headers.insert(IF_MODIFIED_SINCE, value);
    }
    headers
}

/// GET a feed, sending the validators of the previous response.
pub async fn feed(
    client: &HttpClient,
    url: &Url,
    etag: Option<&str>,
    last_modified: Option<&str>,
) -> Result<FeedResponse, FetchError> {
    let sent = Validators {
        etag: etag.map(str::to_string),
        last_modified: last_modified.map(str::to_string),
    };
    let response = client.get(url, conditional(&sent)).await?;
    let cache = CacheHints::of(&response.headers);
    if response.status == StatusCode::NOT_MODIFIED {
        return Ok(FeedResponse::NotModified {
            cache,
            moved_to: response.moved_to,
        });
    }
    let response = success(url, response)?;
    let validators = validators_of(&response);
    Ok(FeedResponse::Fresh {
        cache,
        moved_to: response.moved_to,
        etag: validators.etag,
        last_modified: validators.last_modified,
        final_url: response.final_url,
        body: response.body,
    })
}

/// A fetched article page.
#[derive(Debug)]
pub struct Page {
    pub final_url: Url,
    pub content_type: Option<String>,
    pub body: Bytes,
    /// For a later conditional re-check of the same page.
    pub validators: Validators,
}

/// GET an article page.
pub async fn page(client: &HttpClient, url: &Url) -> Result<Page, FetchError> {
    let response = success(url, client.get(url, HeaderMap::new()).await?)?;
    Ok(page_of(response))
}

/// GET a page again with the validators of the earlier fetch; None on 304.
pub async fn page_if_changed(
    client: &HttpClient,
    url: &Url,
    validators: &Validators,
) -> Result<Option<Page>, FetchError> {
    let response = client.get(url, conditional(validators)).await?;
    if response.status == StatusCode::NOT_MODIFIED {
        return Ok(None);
    }
    Ok(Some(page_of(success(url, response)?)))
}

fn page_of(response: Fetched) -> Page {
    Page {
        content_type: response.header("content-type").map(str::to_string),
        validators: validators_of(&response),
        final_url: response.final_url,
        body: response.body,
    }
}

fn success(url: &Url, response: Fetched) -> Result<Fetched, FetchError> {
    if response.status.is_success() {
        Ok(response)
    } else {
        Err(FetchError::Status {
            url: url.to_string(),
            status: response.status.as_u16(),
            retry_after: retry_after(&response.headers),
        })
    }
}

/// A Retry-After header (RFC 9110 §10.2.3): seconds, or an HTTP date.
pub fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let value = headers.get(RETRY_AFTER)?.to_str().ok()?.trim();
    if let Ok(secs) = value.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let at = httpdate::parse_http_date(value).ok()?;
    Some(at.duration_since(SystemTime::now()).unwrap_or_default())
}

/// Every fetch of the daemon goes through here: a global cap on requests
/// in flight, then the domain's turn, then the request; a 429 or 503 pauses
/// the domain.
#[derive(Debug)]
pub struct Fetcher {
    client: HttpClient,
    in_flight: Semaphore,
    polite: Politeness,
}

impl Fetcher {
    pub fn new(client: HttpClient, concurrency: usize, limits: Limits) -> Fetcher {
        Fetcher {
            client,
            in_flight: Semaphore::new(concurrency.max(1)),
            polite: Politeness::new(limits),
        }
    }

    /// GET a feed conditionally (see `feed`).
    pub async fn feed(
        &self,
        url: &Url,
        etag: Option<&str>,
        last_modified: Option<&str>,
    ) -> Result<FeedResponse, FetchError> {
        let _turn = self.turn(url).await?;
        let result = feed(&self.client, url, etag, last_modified).await;
        self.after(url, result)
    }

    /// GET a page.
    pub async fn page(&self, url: &Url) -> Result<Page, FetchError> {
        let _turn = self.turn(url).await?;
        let result = page(&self.client, url).await;
        self.after(url, result)
    }

    /// GET a page again unless unchanged (None on 304).
    pub async fn page_if_changed(
        &self,
        url: &Url,
        validators: &Validators,
    ) -> Result<Option<Page>, FetchError> {
        let _turn = self.turn(url).await?;
        let result = page_if_changed(&self.client, url, validators).await;
        self.after(url, result)
    }

    async fn turn(&self, url: &Url) -> Result<(SemaphorePermit<'_>, polite::Turn), FetchError> {
        // The domain's turn first: waiting for a slow domain must not hold a
        // global slot that other domains could use.
        let turn = self.polite.turn(url).await;
        let permit = self
            .in_flight
            .acquire()
            .await
            .map_err(|_| FetchError::Closed {
                url: url.to_string(),
            })?;
        Ok((permit, turn))
    }

    fn after<T>(&self, url: &Url, result: Result<T, FetchError>) -> Result<T, FetchError> {
        if let Err(FetchError::Status {
            status: 429 | 503,
            retry_after,
            ..
        }) = &result
        {
            self.polite.pause(url, *retry_after);
        }
        result
    }
}
