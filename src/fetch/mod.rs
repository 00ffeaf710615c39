//! Fetching feeds and article pages over the guarded client: conditional GET
//! for feeds and for re-checked pages (a 304 costs the server nothing), and
//! HTTP statuses turned into typed errors.

use bytes::Bytes;
use reqwest::StatusCode;
use reqwest::header::{
    ETAG, HeaderMap, HeaderValue, IF_MODIFIED_SINCE, IF_NONE_MATCH, LAST_MODIFIED,
};
use url::Url;

use crate::model::Validators;
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
    if response.status == StatusCode::NOT_MODIFIED {
        return Ok(FeedResponse::NotModified);
    }
    let response = success(url, response)?;
    let validators = validators_of(&response);
    Ok(FeedResponse::Fresh {
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
        })
    }
}
