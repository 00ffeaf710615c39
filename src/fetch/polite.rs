//! Politeness per registrable domain (eTLD+1 from the public suffix list,
//! so `a.example.co.uk` and `b.example.co.uk` are one site): at most
//! `per_domain_concurrency` requests in flight, request starts at least
//! `1 / per_domain_rate` apart, and a pause after a 429 or 503 that honours
//! the server's Retry-After. One slow or throttling site therefore never
//! holds up the others.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use tokio::time::Instant;
use url::Url;

/// A pause after 429/503 without a usable Retry-After.
const DEFAULT_PAUSE: Duration = Duration::from_secs(60);
/// The longest pause a server can ask for; a day-long Retry-After is a misconfiguration.
const MAX_PAUSE: Duration = Duration::from_secs(3600);

/// Per-domain limits.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Limits {
    pub concurrency: usize,
    /// Request starts per second.
    pub rate: f64,
}

/// The state of every domain seen.
#[derive(Debug)]
pub struct Politeness {
    limits: Limits,
    domains: Mutex<HashMap<String, Arc<Domain>>>,
}

#[derive(Debug)]
struct Domain {
    permits: Arc<Semaphore>,
    /// The earliest time the next request may start (rate and pauses).
    next_start: Mutex<Instant>,
}

/// Held while a request to a domain is in flight.
#[derive(Debug)]
pub struct Turn {
    _permit: OwnedSemaphorePermit,
}

/// The registrable domain of a URL's host (the host itself for IPs and
/// hosts the list does not know).
pub fn registrable_domain(url: &Url) -> String {
    let host = url.host_str().unwrap_or_default().to_ascii_lowercase();
    if url
        .host()
        .is_some_and(|h| !matches!(h, url::Host::Domain(_)))
    {
        return host;
    }
    psl::domain_str(&host).map_or(host.clone(), str::to_string)
}

impl Politeness {
    pub fn new(limits: Limits) -> Politeness {
        Politeness {
            limits,
            domains: Mutex::new(HashMap::new()),
        }
    }

    fn domain(&self, url: &Url) -> Arc<Domain> {
        let mut domains = self.domains.lock().unwrap_or_else(|e| e.into_inner());
        domains
            .entry(registrable_domain(url))
            .or_insert_with(|| {
                Arc::new(Domain {
                    permits: Arc::new(Semaphore::new(self.limits.concurrency.max(1))),
                    next_start: Mutex::new(Instant::now()),
                })
            })
            .clone()
    }

    /// Wait for a turn to request `url`: a free slot on its domain, then the
    /// domain's next start time.
    pub async fn turn(&self, url: &Url) -> Turn {
        let domain = self.domain(url);
        let permit = domain
            .permits
            .clone()
            .acquire_owned()
            .await
            .expect("domain semaphores are never closed");
        let gap = Duration::from_secs_f64(1.0 / self.limits.rate.max(0.001));
        let start = {
            let mut next = domain.next_start.lock().unwrap_or_else(|e| e.into_inner());
            let start = (*next).max(Instant::now());
            *next = start + gap;
            start
        };
        tokio::time::sleep_until(start).await;
        Turn { _permit: permit }
    }

    /// The domain of `url` said 429 or 503: no request starts there before
    /// `retry_after` (or a default pause) has passed.
    pub fn pause(&self, url: &Url, retry_after: Option<Duration>) {
        let pause = retry_after.unwrap_or(DEFAULT_PAUSE).min(MAX_PAUSE);
        let domain = self.domain(url);
        let mut next = domain.next_start.lock().unwrap_or_else(|e| e.into_inner());
        *next = (*next).max(Instant::now() + pause);
        tracing::warn!(domain = %registrable_domain(url), pause = ?pause, "server asked to slow down; pausing requests to it");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(s: &str) -> Url {
        Url::parse(s).unwrap()
    }

    #[test]
    fn registrable_domains_follow_the_public_suffix_list() {
        assert_eq!(
            registrable_domain(&url("https://www.bbc.co.uk/news")),
            "bbc.co.uk"
        );
        assert_eq!(
            registrable_domain(&url("https://feeds.a.example.com/x")),
            "example.com"
        );
        assert_eq!(
            registrable_domain(&url("http://127.0.0.1:8080/")),
            "127.0.0.1"
        );
        assert_eq!(registrable_domain(&url("http://localhost/")), "localhost");
    }

    #[tokio::test(start_paused = true)]
    async fn request_starts_are_spaced_by_the_rate() {
        let polite = Politeness::new(Limits {
            concurrency: 4,
            rate: 2.0,
        });
        let start = Instant::now();
        for _ in 0..3 {
            drop(polite.turn(&url("https://a.example.com/")).await);
        }
        assert_eq!(start.elapsed(), Duration::from_millis(1000));
        // Another domain is not held up.
        let other = Instant::now();
        drop(polite.turn(&url("https://other.org/")).await);
        assert_eq!(other.elapsed(), Duration::ZERO);
    }

    #[tokio::test(start_paused = true)]
    async fn a_pause_holds_the_domain_until_retry_after() {
        let polite = Politeness::new(Limits {
            concurrency: 1,
            rate: 100.0,
        });
        let site = url("https://example.com/feed");
        polite.pause(&site, Some(Duration::from_secs(30)));
        let start = Instant::now();
        drop(polite.turn(&site).await);
        assert!(start.elapsed() >= Duration::from_secs(30));
    }
}
