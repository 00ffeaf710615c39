//! robots.txt for article pages (RFC 9309), fetched once per origin and
//! cached for a day. A missing file (4xx) allows everything; an unreachable
//! one (5xx, network error) disallows everything until it is tried again an
//! hour later, as the RFC asks. Feeds themselves are not checked: a
//! publisher that offers a feed asks to be polled.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::sync::OnceCell;
use tokio::time::Instant;
use url::Url;

use super::{FetchError, Fetcher};

/// The product token wirewatch matches robots.txt groups with.
pub const AGENT: &str = "wirewatch";
/// How long a fetched robots.txt is trusted.
const FRESH: Duration = Duration::from_secs(24 * 3600);
/// How long an unreachable robots.txt keeps its origin closed.
const UNREACHABLE: Duration = Duration::from_secs(3600);
/// RFC 9309 §2.5: parse at least 500 KiB; ignore what follows.
const MAX_BYTES: usize = 500 * 1024;

#[derive(Debug)]
enum Rules {
    AllowAll,
    DisallowAll,
    File(String),
}

#[derive(Debug)]
struct Cached {
    rules: Rules,
    until: Instant,
}

/// The robots.txt cache of every origin seen.
#[derive(Debug, Default)]
pub struct Robots {
    origins: Mutex<HashMap<String, Arc<OnceCell<Cached>>>>,
}

impl Robots {
    /// Whether `url` may be fetched, fetching its origin's robots.txt first
    /// when it is not cached.
    pub async fn allowed(&self, fetcher: &Fetcher, url: &Url) -> bool {
        let origin = url.origin().ascii_serialization();
        let cell = self.cell(&origin);
        let cached = cell.get_or_init(|| load(fetcher, url)).await;
        if cached.until <= Instant::now() {
            self.forget(&origin, &cell);
        }
        match &cached.rules {
            Rules::AllowAll => true,
            Rules::DisallowAll => false,
            Rules::File(txt) => robotstxt::DefaultMatcher::default().one_agent_allowed_by_robots(
                txt,
                AGENT,
                url.as_str(),
            ),
        }
    }

    fn cell(&self, origin: &str) -> Arc<OnceCell<Cached>> {
        let mut origins = self.origins.lock().unwrap_or_else(|e| e.into_inner());
        origins.entry(origin.to_string()).or_default().clone()
    }

    /// Drop a stale entry so the next check fetches the file again.
    fn forget(&self, origin: &str, stale: &Arc<OnceCell<Cached>>) {
        let mut origins = self.origins.lock().unwrap_or_else(|e| e.into_inner());
        if origins.get(origin).is_some_and(|c| Arc::ptr_eq(c, stale)) {
            origins.remove(origin);
        }
    }
}

async fn load(fetcher: &Fetcher, url: &Url) -> Cached {
    let Ok(robots_url) = url.join("/robots.txt") else {
        return cached(Rules::AllowAll, FRESH);
    };
    match fetcher.page(&robots_url).await {
        Ok(page) => {
            let body = &page.body[..page.body.len().min(MAX_BYTES)];
            let text = String::from_utf8_lossy(body).into_owned();
            cached(Rules::File(text), FRESH)
        }
        Err(FetchError::Status { status, .. }) if (400..500).contains(&status) => {
            cached(Rules::AllowAll, FRESH)
        }
        Err(err) => {
            tracing::warn!(robots = %robots_url, error = %err, "robots.txt unreachable; not fetching pages of this site for an hour");
            cached(Rules::DisallowAll, UNREACHABLE)
        }
    }
}

fn cached(rules: Rules, fresh: Duration) -> Cached {
    Cached {
        rules,
        until: Instant::now() + fresh,
    }
}
