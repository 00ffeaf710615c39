//! What wirewatch counts, by name: one function per thing worth counting,
//! so that the pipeline says what happened and this module alone knows the
//! metric names, labels and units. The `metrics` crate records into a
//! process-wide Prometheus recorder (installed once by [`install`]); the
//! admin endpoint renders it as Prometheus text.
//!
//! Without an installed recorder (the admin endpoint off, or a command
//! other than `run`) every call here is a no-op costing a few instructions.

use std::sync::OnceLock;
use std::time::Duration;

use metrics::{counter, describe_counter, describe_gauge, describe_histogram, gauge, histogram};
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};

const POLLS: &str = "wirewatch_polls_total";
const FETCH_ERRORS: &str = "wirewatch_fetch_errors_total";
const FETCHED_BYTES: &str = "wirewatch_fetched_bytes_total";
const FETCH_SECONDS: &str = "wirewatch_fetch_duration_seconds";
const EXTRACT_SECONDS: &str = "wirewatch_extract_duration_seconds";
const ARTICLES: &str = "wirewatch_articles_stored_total";
const GROUPS: &str = "wirewatch_groups_total";
const STORIES: &str = "wirewatch_stories_total";
const ALERTS: &str = "wirewatch_alerts_raised_total";
const DELIVERIES: &str = "wirewatch_deliveries_total";
const OUTBOX: &str = "wirewatch_outbox_depth";
const POLL_LAG: &str = "wirewatch_poll_lag_seconds";
const ALERT_LATENCY: &str = "wirewatch_alert_latency_seconds";
const RELOADS: &str = "wirewatch_config_reloads_total";
const STORE_BYTES: &str = "wirewatch_store_bytes";
const SWEPT: &str = "wirewatch_retention_removed_total";

/// Histogram buckets in seconds: from a fast local fetch to the hours an
/// alert can take when a feed publishes late.
const FAST: &[f64] = &[
    0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0,
];
const SLOW: &[f64] = &[
    1.0, 5.0, 15.0, 30.0, 60.0, 120.0, 300.0, 600.0, 1800.0, 3600.0, 7200.0, 21600.0, 86400.0,
];

static HANDLE: OnceLock<Option<PrometheusHandle>> = OnceLock::new();

/// Installs the process-wide recorder (once; later calls return the same
/// handle). None when another recorder was installed first.
pub fn install() -> Option<PrometheusHandle> {
    HANDLE
        .get_or_init(|| {
            let builder = PrometheusBuilder::new()
                .set_buckets_for_metric(Matcher::Full(POLL_LAG.into()), SLOW)
                .and_then(|b| b.set_buckets_for_metric(Matcher::Full(ALERT_LATENCY.into()), SLOW))
                .and_then(|b| b.set_buckets_for_metric(Matcher::Suffix("_seconds".into()), FAST));
            let handle = match builder.map(PrometheusBuilder::install_recorder) {
                Ok(Ok(handle)) => handle,
                Ok(Err(err)) | Err(err) => {
                    tracing::warn!(error = %err, "metrics recorder not installed");
                    return None;
                }
            };
            describe();
            Some(handle)
        })
        .clone()
}

fn describe() {
    describe_counter!(
        POLLS,
        "Feed polls by result: fresh, not_modified, error, panic."
    );
    describe_counter!(
        FETCH_ERRORS,
        "Failed fetches of feeds and pages, by what and kind."
    );
    describe_counter!(FETCHED_BYTES, "Bytes of feeds and pages received.");
    describe_histogram!(FETCH_SECONDS, "Time to fetch a feed or page, by what.");
    describe_histogram!(EXTRACT_SECONDS, "Time to extract an article from its page.");
    describe_counter!(ARTICLES, "Articles stored, by change: new or update.");
    describe_counter!(GROUPS, "Duplicate groups founded (each a distinct text).");
    describe_counter!(STORIES, "Story clusters founded.");
    describe_counter!(ALERTS, "Alerts raised, by topic.");
    describe_counter!(
        DELIVERIES,
        "Delivery attempts by sink and result: delivered, retried, dead."
    );
    describe_gauge!(OUTBOX, "Events waiting in a sink's outbox.");
    describe_histogram!(POLL_LAG, "How late a feed poll started after it was due.");
    describe_histogram!(
        ALERT_LATENCY,
        "From an article's publication time to its alert."
    );
    describe_counter!(
        RELOADS,
        "Configuration reloads, by result: applied or rejected."
    );
    describe_gauge!(STORE_BYTES, "Bytes the database takes on disk.");
    describe_counter!(
        SWEPT,
        "Entries removed by retention sweeps, by what: articles, alerts, bodies, items."
    );
}

/// A feed poll ended: `fresh`, `not_modified`, `error`, or `panic` (a bug,
/// caught so that the feed is polled again).
pub fn poll(result: &'static str) {
    counter!(POLLS, "result" => result).increment(1);
}

/// A fetch of a `feed` or `page` failed with an error of `kind`.
pub fn fetch_error(what: &'static str, kind: &'static str) {
    counter!(FETCH_ERRORS, "what" => what, "kind" => kind).increment(1);
}

/// A `feed` or `page` of `bytes` arrived after `took`.
pub fn fetched(what: &'static str, bytes: usize, took: Duration) {
    counter!(FETCHED_BYTES, "what" => what).increment(bytes as u64);
    histogram!(FETCH_SECONDS, "what" => what).record(took.as_secs_f64());
}

/// A page was extracted in `took`.
pub fn extracted(took: Duration) {
    histogram!(EXTRACT_SECONDS).record(took.as_secs_f64());
}

/// An article was stored: a `new` one or an `update`.
pub fn article_stored(change: &'static str) {
    counter!(ARTICLES, "change" => change).increment(1);
}

/// An article founded a new duplicate group, and perhaps a new story.
pub fn grouped(new_group: bool, new_story: bool) {
    if new_group {
        counter!(GROUPS).increment(1);
    }
    if new_story {
        counter!(STORIES).increment(1);
    }
}

/// `topic` fired; `since_published` is the article's age when it did.
pub fn alert_raised(topic: &str, since_published: Option<Duration>) {
    counter!(ALERTS, "topic" => topic.to_string()).increment(1);
    if let Some(age) = since_published {
        histogram!(ALERT_LATENCY).record(age.as_secs_f64());
    }
}

/// A delivery attempt to `sink` ended: `delivered`, `retried` or `dead`.
pub fn delivery(sink: &str, result: &'static str) {
    counter!(DELIVERIES, "sink" => sink.to_string(), "result" => result).increment(1);
}

/// `sink` has `depth` events waiting.
pub fn outbox_depth(sink: &str, depth: usize) {
    gauge!(OUTBOX, "sink" => sink.to_string()).set(depth as f64);
}

/// A feed poll started `lag` after it was due.
pub fn poll_lag(lag: Duration) {
    histogram!(POLL_LAG).record(lag.as_secs_f64());
}

/// A configuration reload was `applied` or `rejected`.
pub fn reload(result: &'static str) {
    counter!(RELOADS, "result" => result).increment(1);
}

/// The database takes `bytes` on disk.
pub fn store_bytes(bytes: u64) {
    gauge!(STORE_BYTES).set(bytes as f64);
}

/// A retention sweep removed `[articles, alerts, bodies, items]`, leaving
/// the database at `bytes` on disk.
pub fn swept(removed: [usize; 4], bytes: u64) {
    for (what, n) in ["articles", "alerts", "bodies", "items"]
        .into_iter()
        .zip(removed)
    {
        counter!(SWEPT, "what" => what).increment(n as u64);
    }
    store_bytes(bytes);
}
