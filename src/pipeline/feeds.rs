//! The feed set and its schedule: one task per feed, started and stopped as
//! the configuration (direct `[[feed]]`s and OPML lists) changes. Each task
//! polls, then sleeps until the next poll `schedule` chose.

use std::collections::HashMap;
use std::panic::AssertUnwindSafe;
use std::sync::Arc;
use std::time::Duration;

use futures_util::FutureExt as _;
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;
use url::Url;

use super::{Context, ingest, schedule};
use crate::config::{Config, FeedConfig, OpmlSource};
use crate::parse::opml;
use crate::telemetry::metrics;

/// A feed task and the settings it was started with.
struct Running {
    feed: FeedConfig,
    stop: CancellationToken,
}

pub(super) async fn run(ctx: Arc<Context>, tracker: TaskTracker, cancel: CancellationToken) {
    let mut config_rx = ctx.config.clone();
    let mut running: HashMap<Url, Running> = HashMap::new();
    loop {
        let config = config_rx.borrow_and_update().clone();
        let (feeds, opml_complete) = resolve(&ctx, &config).await;
        reconcile(&ctx, &tracker, &cancel, &mut running, feeds);
        // A list that failed to load is tried again soon; a loaded one is
        // re-read now and then so that additions to it are picked up.
        let refresh = if opml_complete {
            config.poll.max_interval
        } else {
            config.poll.min_interval
        };
        let wait = tokio::time::sleep(refresh);
        tokio::pin!(wait);
        loop {
            tokio::select! {
                _ = cancel.cancelled() => return,
                changed = config_rx.changed() => if changed.is_err() { return } else { break },
                _ = &mut wait, if !config.opml.is_empty() => break,
                // Shows the scheduler alive to the watchdog and /readyz.
                _ = tokio::time::sleep(HEARTBEAT) => ctx.heartbeat.beat(),
            }
        }
    }
}

/// How often the scheduler shows it is alive.
pub(super) const HEARTBEAT: Duration = Duration::from_secs(1);

/// The configured feeds plus those of every OPML list that could be read;
/// the flag says whether every list was read.
async fn resolve(ctx: &Context, config: &Config) -> (Vec<FeedConfig>, bool) {
    let mut feeds = config.feeds.clone();
    let mut complete = true;
    for source in &config.opml {
        match load_opml(ctx, source).await {
            Ok(listed) => feeds.extend(listed.into_iter().map(|f| FeedConfig {
                url: f.url,
                name: f.title,
                interval: None,
                robots: None,
            })),
            Err(reason) => {
                complete = false;
                tracing::error!(opml = ?source, error = %reason, "cannot load OPML feed list; will retry");
            }
        }
    }
    (feeds, complete)
}

async fn load_opml(ctx: &Context, source: &OpmlSource) -> Result<Vec<opml::OpmlFeed>, String> {
    match source {
        OpmlSource::Path(path) => {
            let text =
                std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
            opml::parse_opml(&path.display().to_string(), None, &text).map_err(|e| e.to_string())
        }
        OpmlSource::Url(url) => {
            let page = ctx.fetcher().page(url).await.map_err(|e| e.to_string())?;
            let text = String::from_utf8_lossy(&page.body);
            opml::parse_opml(url.as_str(), Some(&page.final_url), &text).map_err(|e| e.to_string())
        }
    }
}

/// Start tasks for new or changed feeds and stop those no longer listed.
fn reconcile(
    ctx: &Arc<Context>,
    tracker: &TaskTracker,
    cancel: &CancellationToken,
    running: &mut HashMap<Url, Running>,
    feeds: Vec<FeedConfig>,
) {
    let mut wanted: HashMap<Url, FeedConfig> = HashMap::new();
    for feed in feeds {
        wanted.entry(feed.url.clone()).or_insert(feed);
    }
    running.retain(|url, task| {
        let keep = wanted.get(url) == Some(&task.feed);
        if !keep {
            task.stop.cancel();
        }
        keep
    });
    for (url, feed) in wanted {
        if running.contains_key(&url) {
            continue;
        }
        let stop = cancel.child_token();
        tracker.spawn(poll_loop(ctx.clone(), feed.clone(), stop.clone()));
        running.insert(url, Running { feed, stop });
    }
}

async fn poll_loop(ctx: Arc<Context>, feed: FeedConfig, stop: CancellationToken) {
    tracing::debug!(feed = %feed.url, "feed task started");
    // After a restart, keep to the schedule the last run left.
    let mut delay = persisted_wait(&ctx, &feed);
    loop {
        let due = tokio::time::Instant::now() + delay;
        tokio::select! {
            _ = stop.cancelled() => return,
            _ = tokio::time::sleep_until(due) => {}
        }
        metrics::poll_lag(tokio::time::Instant::now().saturating_duration_since(due));
        let retry = ctx.config.borrow().poll.max_interval;
        delay = tokio::select! {
            _ = stop.cancelled() => return,
            delay = caught(&feed.url, ingest::poll_feed(&ctx, &feed), retry) => delay,
        };
    }
}

/// Feeds due at a start are polled within this long of it, spread.
const RESUME_SPREAD: Duration = Duration::from_secs(3);

/// Runs one poll. A panic in it (a bug: no input should cause one) is
/// caught here so that it costs one poll, not the feed's task: it is logged
/// with the feed, counted, and the feed is polled again after `retry`.
async fn caught(feed: &Url, poll: impl Future<Output = Duration>, retry: Duration) -> Duration {
    match AssertUnwindSafe(poll).catch_unwind().await {
        Ok(delay) => delay,
        Err(panic) => {
            let message = panic
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_default();
            tracing::error!(feed = %feed, panic = %message, "feed poll panicked; polling it again later");
            metrics::poll("panic");
            retry
        }
    }
}

/// The wait before the first poll after a start (see `schedule::resume_delay`).
fn persisted_wait(ctx: &Context, feed: &FeedConfig) -> Duration {
    let state = match ctx.store.feed_state(feed.url.as_str()) {
        Ok(state) => state,
        Err(err) => {
            tracing::error!(feed = %feed.url, error = %err, "cannot read feed state; polling it now");
            return Duration::ZERO;
        }
    };
    let poll = ctx.config.borrow().poll.clone();
    let spread = RESUME_SPREAD.min(poll.min_interval);
    schedule::resume_delay(
        &poll,
        feed.interval,
        &state,
        crate::model::unix_now(),
        spread,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_panicking_poll_costs_one_poll_and_the_feed_is_polled_again() {
        let feed = Url::parse("http://news.example/rss.xml").unwrap();
        let retry = Duration::from_secs(300);
        let panics = async { panic!("hostile feed") };
        assert_eq!(caught(&feed, panics, retry).await, retry);
        let fine = async { Duration::from_secs(60) };
        assert_eq!(caught(&feed, fine, retry).await, Duration::from_secs(60));
    }
}
