//! Fetching feeds and article pages over the guarded client: conditional GET
//! for feeds (a 304 costs the server nothing), plain GET for pages, and HTTP
//! statuses turned into typed errors.

use bytes::Bytes;
use reqwest::StatusCode;
use reqwest::header::{
    ETAG, HeaderMap, HeaderValue, IF_MODIFIED_SINCE, IF_NONE_MATCH, LAST_MODIFIED,
};
use url::Url;

use crate::net::{Fetched, HttpClient, NetError};

/// A failed fetch.
#[derive(Debug, thiserror::Error)]
pub enum FetchError {
    #[error(transparent)]
    Net(#[from] NetError),
    #[error("{url}: HTTP {status}")]
    Status { url: String, status: u16 },
}

impl FetchError {
    /// A short name for logs and feed health.
    pub fn kind(&self) -> &'static str {
        match self {
            FetchError::Net(e) => e.kind(),
            FetchError::Status { .. } => "status",
        }
    }
}

/// What a feed poll brought back.
#[derive(Debug)]
pub enum FeedResponse {
    /// 304: nothing new since the validators we sent.
    NotModified,
    Fresh {
        body: Bytes,
        final_url: Url,
        etag: Option<String>,
        last_modified: Option<String>,
    },
}

/// GET a feed, sending the validators of the previous response.
pub async fn feed(
    client: &HttpClient,
    url: &Url,
    etag: Option<&str>,
    last_modified: Option<&str>,
) -> Result<FeedResponse, FetchError> {
    let mut headers = HeaderMap::new();
    if let Some(value) = etag.and_then(|v| HeaderValue::from_str(v).ok()) {
        headers.insert(IF_NONE_MATCH, value);
    }
    if let Some(value) = last_modified.and_then(|v| HeaderValue::from_str(v).ok()) {
        headers.insert(IF_MODIFIED_SINCE, value);
    }
    let response = client.get(url, headers).await?;
    if response.status == StatusCode::NOT_MODIFIED {
        return Ok(FeedResponse::NotModified);
    }
    let response = success(url, response)?;
    Ok(FeedResponse::Fresh {
        etag: response.header(ETAG.as_str()).map(str::to_string),
        last_modified: response.header(LAST_MODIFIED.as_str()).map(str::to_string),
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
}

/// GET an article page.
pub async fn page(client: &HttpClient, url: &Url) -> Result<Page, FetchError> {
    let response = success(url, client.get(url, HeaderMap::new()).await?)?;
    Ok(Page {
        content_type: response.header("content-type").map(str::to_string),
        final_url: response.final_url,
        body: response.body,
    })
}

fn success(url: &Url, response: Fetched) -> Result<Fetched, FetchError> {
    if response.status.is_success() {
        Ok(response)
    } else {
        Err(FetchError::Status {
            url: url.to_string(),
            status: response.status.as_u16(),
        })
    }
}
