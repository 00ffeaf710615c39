//! A small news site on loopback built from the seeds: an RSS feed with
//! ETag support, the article pages, and a webhook receiver that checks the
//! signature and keeps what it received. The demo runs the daemon against it;
//! integration tests do too.

use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use tokio::net::TcpListener;
use tokio_util::sync::CancellationToken;

use super::seeds::{Seed, escape, seeds};
use crate::alert::{SIGNATURE_HEADER, sign};

/// Request counters, for checking how the daemon behaved.
#[derive(Debug, Default)]
pub struct Counters {
    pub feed: AtomicUsize,
    pub not_modified: AtomicUsize,
    pub pages: AtomicUsize,
}

/// Called with each alert the webhook accepts.
pub type OnAlert = Box<dyn Fn(&serde_json::Value) + Send + Sync>;

struct Shared {
    seeds: Vec<Seed>,
    /// How many seeds the feed lists (the first N).
    released: AtomicUsize,
    secret: Option<String>,
    received: Mutex<Vec<serde_json::Value>>,
    rejected: AtomicUsize,
    counters: Counters,
    on_alert: Option<OnAlert>,
}

/// A running seed site.
pub struct SeedSite {
    pub addr: SocketAddr,
    shared: Arc<Shared>,
    stop: CancellationToken,
}

impl SeedSite {
    /// Serve on an ephemeral loopback port, listing the first `released`
    /// seeds; the webhook requires `secret` when given; `on_alert` sees each
    /// accepted alert.
    pub async fn start(
        released: usize,
        secret: Option<String>,
        on_alert: Option<OnAlert>,
    ) -> std::io::Result<SeedSite> {
        let shared = Arc::new(Shared {
            seeds: seeds(),
            released: AtomicUsize::new(released),
            secret,
            received: Mutex::new(Vec::new()),
            rejected: AtomicUsize::new(0),
            counters: Counters::default(),
            on_alert,
        });
        let app = Router::new()
            .route("/feed.xml", get(feed))
            .route("/articles/{file}", get(page))
            .route("/webhook", post(webhook))
            .with_state(shared.clone());
        let listener = TcpListener::bind("127.0.0.1:0").await?;
        let addr = listener.local_addr()?;
        let stop = CancellationToken::new();
        let until = stop.clone().cancelled_owned();
        tokio::spawn(async move {
            if let Err(err) = axum::serve(listener, app)
                .with_graceful_shutdown(until)
                .await
            {
                tracing::error!(error = %err, "seed site stopped");
            }
        });
        Ok(SeedSite { addr, shared, stop })
    }

    pub fn feed_url(&self) -> String {
        format!("http://{}/feed.xml", self.addr)
    }

    pub fn webhook_url(&self) -> String {
        format!("http://{}/webhook", self.addr)
    }

    /// List the first `n` seeds in the feed from now on.
    pub fn release(&self, n: usize) {
        self.shared.released.store(n, Ordering::SeqCst);
    }

    /// Alerts accepted so far (signature valid when a secret is set).
    pub fn alerts(&self) -> Vec<serde_json::Value> {
        self.shared
            .received
            .lock()
            .map(|r| r.clone())
            .unwrap_or_default()
    }

    /// Deliveries refused for a missing or wrong signature.
    pub fn rejected(&self) -> usize {
        self.shared.rejected.load(Ordering::SeqCst)
    }

    pub fn counters(&self) -> &Counters {
        &self.shared.counters
    }

    pub fn stop(&self) {
        self.stop.cancel();
    }
}

impl Drop for SeedSite {
    fn drop(&mut self) {
        self.stop.cancel();
    }
}

async fn feed(State(site): State<Arc<Shared>>, headers: HeaderMap) -> Response {
    site.counters.feed.fetch_add(1, Ordering::SeqCst);
    let released = site.released.load(Ordering::SeqCst).min(site.seeds.len());
    let etag = format!("\"seeds-{released}\"");
    if headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        == Some(etag.as_str())
    {
        site.counters.not_modified.fetch_add(1, Ordering::SeqCst);
        return StatusCode::NOT_MODIFIED.into_response();
    }
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("127.0.0.1");
    let items: String = site.seeds[..released]
        .iter()
        .rev()
        .map(|s| item(host, s))
        .collect();
    let body = format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?><rss version=\"2.0\"><channel>\
         <title>Seed News</title><link>http://{host}/</link><description>Seed articles</description>\
         {items}</channel></rss>"
    );
    (
        [
            (header::CONTENT_TYPE, "application/rss+xml"),
            (header::ETAG, etag.as_str()),
        ],
        body,
    )
        .into_response()
}

fn item(host: &str, seed: &Seed) -> String {
    // An HTTP date ("Thu, 24 Oct 2019 08:10:00 GMT") is a valid RFC 2822 date.
    let date = humantime::parse_rfc3339(seed.published)
        .map(httpdate::fmt_http_date)
        .unwrap_or_default();
    format!(
        "<item><title>{title}</title><link>http://{host}/articles/{id}.html?utm_source=rss&amp;utm_medium=feed</link>\
         <guid isPermaLink=\"false\">seed-{id}</guid><pubDate>{date}</pubDate>\
         <description>{teaser}</description></item>",
        title = escape(&seed.title),
        id = seed.id,
        teaser = escape(seed.paragraphs.first().map_or("", String::as_str)),
    )
}

async fn page(State(site): State<Arc<Shared>>, Path(file): Path<String>) -> Response {
    site.counters.pages.fetch_add(1, Ordering::SeqCst);
    let id = file.trim_end_matches(".html");
    let released = site.released.load(Ordering::SeqCst);
    match site.seeds.iter().take(released).find(|s| s.id == id) {
        Some(seed) => (
            [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
            seed.page(),
        )
            .into_response(),
        None => StatusCode::NOT_FOUND.into_response(),
    }
}

async fn webhook(State(site): State<Arc<Shared>>, headers: HeaderMap, body: Bytes) -> StatusCode {
    if let Some(secret) = &site.secret {
        let given = headers.get(SIGNATURE_HEADER).and_then(|v| v.to_str().ok());
        if given != Some(sign(secret, &body).as_str()) {
            site.rejected.fetch_add(1, Ordering::SeqCst);
            return StatusCode::UNAUTHORIZED;
        }
    }
    let Ok(alert) = serde_json::from_slice::<serde_json::Value>(&body) else {
        return StatusCode::BAD_REQUEST;
    };
    if let Some(callback) = &site.on_alert {
        callback(&alert);
    }
    if let Ok(mut received) = site.received.lock() {
        received.push(alert);
    }
    StatusCode::OK
}
