//! The one HTTP client of the daemon, with every safety limit built in:
//! connect and total timeouts, redirects followed hop by hop under a cap, a cap on the body after
//! decompression (which also defuses gzip bombs), no proxies from the
//! environment, and the private-address guard on every hop.

mod error;
pub mod guard;

use std::sync::Once;
use std::time::Duration;

use bytes::{Bytes, BytesMut};
use futures_util::StreamExt;
use reqwest::header::{HeaderMap, LOCATION};
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
    /// The final URL when every redirect on the way was permanent.
    pub moved_to: Option<Url>,
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
    max_redirects: usize,
}

impl HttpClient {
    pub fn new(config: &FetchConfig) -> Result<HttpClient, NetError> {
        install_crypto_provider();
        let guard = Guard::new(&config.allow_hosts);
        let inner = reqwest::Client::builder()
            .user_agent(config.user_agent.clone())
            .timeout(config.timeout)
            .connect_timeout(config.connect_timeout)
            // Redirects are followed by `get`, hop by hop.
            .redirect(redirect::Policy::none())
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
            max_redirects: config.max_redirects,
        })
    }

    /// GET a URL with extra request headers, following redirects, and read
    /// its body within the cap. Any final status is returned as is; the
    /// caller decides what it means.
    ///
    /// Redirects are followed here rather than by reqwest so that every hop
    /// passes the guard before it is dialled, and so that a chain of only
    /// permanent redirects (301, 308) is known: a feed that moved for good
    /// is polled at its new address from then on.
    pub async fn get(&self, url: &Url, headers: HeaderMap) -> Result<Fetched, NetError> {
        let mut current = url.clone();
        let mut visited: Vec<Url> = Vec::new();
        let mut permanent = true;
        loop {
            self.guard.check_url(&current)?;
            let response = self
                .inner
                .get(current.clone())
                .headers(headers.clone())
                .send()
                .await
                .map_err(|e| NetError::from_reqwest(url, e))?;
            let status = response.status();
            if let Some(next) = redirect_target(&current, status, response.headers()) {
                if visited.len() >= self.max_redirects {
                    return Err(NetError::redirect(
                        url,
                        format!("more than {} redirects", self.max_redirects),
                    ));
                }
                if next == current || visited.contains(&next) {
                    return Err(NetError::redirect(url, format!("redirect loop at {next}")));
                }
                permanent &= matches!(
                    status,
                    StatusCode::MOVED_PERMANENTLY | StatusCode::PERMANENT_REDIRECT
                );
                visited.push(std::mem::replace(&mut current, next));
                continue;
            }
            let headers = response.headers().clone();
            let body = self.read_capped(url, response).await?;
            let moved_to = (permanent && !visited.is_empty()).then(|| current.clone());
            return Ok(Fetched {
                status,
                final_url: current,
                moved_to,
                headers,
                body,
            });
        }
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

/// Where a redirect response sends the request next: its `Location`,
/// resolved against the current URL (RFC 9110 §10.2.2). None for any other
/// response, and for a redirect without a usable `Location`, which is then
/// returned as it is.
fn redirect_target(current: &Url, status: StatusCode, headers: &HeaderMap) -> Option<Url> {
    let followed = matches!(status.as_u16(), 301 | 302 | 303 | 307 | 308);
    let location = headers.get(LOCATION)?.to_str().ok()?;
    followed.then(|| current.join(location).ok()).flatten()
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
