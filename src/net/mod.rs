//! The one HTTP client of the daemon, with every safety limit built in:
//! connect and total timeouts, a redirect cap, a cap on the body after
//! decompression (which also defuses gzip bombs), no proxies from the
//! environment, and the private-address guard on every hop.

mod error;
pub mod guard;

use std::sync::Once;
use std::time::Duration;

use bytes::{Bytes, BytesMut};
use futures_util::StreamExt;
use reqwest::header::HeaderMap;
use reqwest::{StatusCode, redirect};
use url::Url;

pub use error::NetError;
pub use guard::Guard;

use crate::config::FetchConfig;

/// A response whose body has been read (within the cap).
#[derive(Debug)]
pub struct Fetched {
    pub status: StatusCode,
    /// The URL after redirects.
    pub final_url: Url,
    pub headers: HeaderMap,
    pub body: Bytes,
}

impl Fetched {
    /// A response header as text.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
}

/// The guarded HTTP client; cheap to clone.
#[derive(Debug, Clone)]
pub struct HttpClient {
    inner: reqwest::Client,
    guard: Guard,
    max_body_bytes: u64,
}

impl HttpClient {
    pub fn new(config: &FetchConfig) -> Result<HttpClient, NetError> {
        install_crypto_provider();
        let guard = Guard::new(&config.allow_hosts);
        let inner = reqwest::Client::builder()
            .user_agent(config.user_agent.clone())
            .timeout(config.timeout)
            .connect_timeout(config.connect_timeout)
            .redirect(redirect_policy(guard.clone(), config.max_redirects))
            .dns_resolver(guard.resolver())
            // A proxy from the environment would dial for us and bypass the guard.
            .no_proxy()
            .pool_idle_timeout(Duration::from_secs(30))
            .build()
            .map_err(NetError::Client)?;
        Ok(HttpClient {
            inner,
            guard,
            max_body_bytes: config.max_body_bytes,
        })
    }

    /// GET a URL with extra request headers and read its body within the cap.
    /// Any status is returned as is; the caller decides what it means.
    pub async fn get(&self, url: &Url, headers: HeaderMap) -> Result<Fetched, NetError> {
        self.guard.check_url(url)?;
        let response = self
            .inner
            .get(url.clone())
            .headers(headers)
            .send()
            .await
            .map_err(|e| NetError::from_reqwest(url, e))?;
        let status = response.status();
        let final_url = response.url().clone();
        let headers = response.headers().clone();
        let body = self.read_capped(url, response).await?;
        Ok(Fetched {
            status,
            final_url,
            headers,
            body,
        })
    }

    /// POST a body; returns the status and headers (the body is not needed).
    pub async fn post(
        &self,
        url: &Url,
        headers: HeaderMap,
        body: Vec<u8>,
    ) -> Result<(StatusCode, HeaderMap), NetError> {
        self.guard.check_url(url)?;
        let response = self
            .inner
            .post(url.clone())
            .headers(headers)
            .body(body)
            .send()
            .await
            .map_err(|e| NetError::from_reqwest(url, e))?;
        Ok((response.status(), response.headers().clone()))
    }

    async fn read_capped(&self, url: &Url, response: reqwest::Response) -> Result<Bytes, NetError> {
        let limit = self.max_body_bytes;
        let too_large = || NetError::TooLarge {
            url: url.to_string(),
            limit,
        };
        if response.content_length().is_some_and(|len| len > limit) {
            return Err(too_large());
        }
        let mut body = BytesMut::new();
        let mut stream = response.bytes_stream();
        while let Some(chunk) = stream.next().await {
            let chunk = chunk.map_err(|e| NetError::from_reqwest(url, e))?;
            if body.len() as u64 + chunk.len() as u64 > limit {
                return Err(too_large());
            }
            body.extend_from_slice(&chunk);
        }
        Ok(body.freeze())
    }
}

/// Follow at most `max` redirects, and only to addresses the guard allows.
fn redirect_policy(guard: Guard, max: usize) -> redirect::Policy {
    redirect::Policy::custom(move |attempt| {
        if attempt.previous().len() > max {
            attempt.error(format!("more than {max} redirects"))
        } else if attempt.previous().contains(attempt.url()) {
            let looped = format!("redirect loop at {}", attempt.url());
            attempt.error(looped)
        } else if let Err(refused) = guard.check_url(attempt.url()) {
            attempt.error(refused)
        } else {
            attempt.follow()
        }
    })
}

/// rustls needs one process-wide crypto provider; ring builds without a C toolchain.
fn install_crypto_provider() {
    static INSTALL: Once = Once::new();
    INSTALL.call_once(|| {
        // Err only means another part of the process installed one first, which is fine.
        if rustls::crypto::ring::default_provider()
            .install_default()
            .is_err()
        {
            tracing::debug!("a rustls crypto provider was already installed");
        }
    });
}
