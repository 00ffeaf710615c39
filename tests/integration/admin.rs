//! The admin endpoint: `/healthz` and `/readyz` answer, and `/metrics` is
//! Prometheus text whose counters move while the daemon polls, stores,
//! groups, alerts and delivers the seed articles.

use std::collections::HashMap;

use wirewatch::Daemon;
use wirewatch::demo::SeedSite;

use crate::support::{KOREA, SECRET, Setup, Workspace, expect, init_logs, within};

/// A free loopback port (released again for the daemon to bind).
fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port()
}

async fn get(url: &str) -> (u16, String, String) {
    let response = reqwest::get(url).await.expect("admin endpoint answers");
    let status = response.status().as_u16();
    let content_type = response
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    (status, content_type, response.text().await.expect("body"))
}

/// Parses the Prometheus text format (version 0.0.4) strictly enough to
/// catch a malformed exposition: every line is a `# HELP`/`# TYPE` comment
/// or `name{labels} value`. Returns each sample's value by its full name.
fn parse_prometheus(text: &str) -> HashMap<String, f64> {
    let mut samples = HashMap::new();
    for line in text.lines().filter(|l| !l.is_empty()) {
        if let Some(comment) = line.strip_prefix("# ") {
            let kind = comment.split_whitespace().next().unwrap_or_default();
            assert!(matches!(kind, "HELP" | "TYPE"), "unknown comment: {line}");
            continue;
        }
        let (series, value) = line
            .rsplit_once(' ')
            .unwrap_or_else(|| panic!("no value: {line}"));
        let name_end = series.find('{').unwrap_or(series.len());
        let name = &series[..name_end];
        assert!(
            !name.is_empty()
                && name
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == ':'),
            "bad metric name: {line}"
        );
        if name_end < series.len() {
            assert!(series.ends_with('}'), "unclosed labels: {line}");
        }
        let value: f64 = value
            .parse()
            .unwrap_or_else(|_| panic!("bad value: {line}"));
        samples.insert(series.to_string(), value);
    }
    samples
}

/// The sum of every sample of `name` whose labels contain `labels`.
fn total(samples: &HashMap<String, f64>, name: &str, labels: &str) -> f64 {
    samples
        .iter()
        .filter(|(series, _)| {
            (series.as_str() == name || series.starts_with(&format!("{name}{{")))
                && series.contains(labels)
        })
        .map(|(_, v)| v)
        .sum()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn health_readiness_and_metrics_that_move() {
    init_logs();
    let site = SeedSite::start(5, Some(SECRET.into()), None)
        .await
        .expect("seed site");
    let port = free_port();
    let mut setup = Setup::seed_site(&site, &[KOREA]);
    setup.extra = format!("\n[admin]\nlisten = \"127.0.0.1:{port}\"\n");
    let ws = Workspace::new();
    // The counts before the daemon runs (the recorder is process-wide).
    let recorder = wirewatch::telemetry::metrics::install().expect("recorder");
    let before = parse_prometheus(&recorder.render());
    let daemon = Daemon::start(ws.config(&setup)).await.expect("daemon");
    let base = format!("http://127.0.0.1:{port}");

    let (status, _, body) = within("healthz", get(&format!("{base}/healthz"))).await;
    assert_eq!((status, body.trim()), (200, "ok"));
    let (status, _, body) = within("readyz", get(&format!("{base}/readyz"))).await;
    assert_eq!((status, body.trim()), (200, "ready"), "{body}");

    expect("the seeds are alerted and delivered", || {
        site.alerts().len() >= 3
    })
    .await;
    let (status, content_type, text) = within("metrics", get(&format!("{base}/metrics"))).await;
    assert_eq!(status, 200);
    assert!(
        content_type.starts_with("text/plain; version=0.0.4"),
        "{content_type}"
    );
    let after = parse_prometheus(&text);
    let moved =
        |name: &str, labels: &str| total(&after, name, labels) - total(&before, name, labels);
    // The recorder is process-wide and other tests run daemons too, so
    // counters are checked for moving, not for exact values.
    assert!(
        moved("wirewatch_polls_total", "result=\"fresh\"") >= 1.0,
        "{text}"
    );
    assert!(moved("wirewatch_fetched_bytes_total", "what=\"page\"") > 0.0);
    assert!(moved("wirewatch_fetch_duration_seconds_count", "what=\"feed\"") >= 1.0);
    assert!(moved("wirewatch_extract_duration_seconds_count", "") >= 5.0);
    assert!(moved("wirewatch_articles_stored_total", "change=\"new\"") >= 5.0);
    assert!(moved("wirewatch_groups_total", "") >= 5.0);
    assert!(moved("wirewatch_stories_total", "") >= 1.0);
    assert!(moved("wirewatch_alerts_raised_total", "topic=\"korea-summitry\"") >= 3.0);
    assert!(moved("wirewatch_deliveries_total", "result=\"delivered\"") >= 3.0);
    assert!(moved("wirewatch_poll_lag_seconds_count", "") >= 1.0);
    assert!(
        text.contains("wirewatch_outbox_depth{sink=\"hook\"}"),
        "{text}"
    );
    assert!(text.contains("# TYPE wirewatch_alert_latency_seconds histogram"));
    // The probe a container HEALTHCHECK runs.
    let admin = format!("127.0.0.1:{port}");
    for extra in [None, Some("--ready")] {
        let status = std::process::Command::new(env!("CARGO_BIN_EXE_wirewatch"))
            .args(["healthcheck", "--admin", &admin])
            .args(extra)
            .status()
            .expect("healthcheck runs");
        assert!(status.success(), "healthcheck {extra:?}: {status:?}");
    }
    within("stop", daemon.stop()).await.expect("stop");
    let status = std::process::Command::new(env!("CARGO_BIN_EXE_wirewatch"))
        .args(["healthcheck", "--admin", &admin])
        .status()
        .expect("healthcheck runs");
    assert!(
        !status.success(),
        "a stopped daemon passed the health check"
    );
}
