//! Alert delivery against a webhook that misbehaves on purpose: retries keep
//! the same `webhook-id` and valid signatures, 410 disables the sink without
//! losing its queue, and alerts that run out of retries become dead letters
//! that `alerts replay` brings back.

use std::sync::{Arc, Mutex};

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use wirewatch::Daemon;
use wirewatch::alert::{sign, sign_standard};
use wirewatch::control::{self, Request};
use wirewatch::demo::SeedSite;

use crate::support::{KOREA, SECRET, SINK, Setup, Workspace, expect, init_logs, serve, within};

/// What the receiver answers.
#[derive(Clone, Copy, PartialEq)]
enum Mode {
    Accept,
    Fail,
    Gone,
}

#[derive(Default)]
struct Hook {
    mode: Option<Mode>,
    /// (status answered, headers, body) of every request.
    seen: Vec<(u16, HeaderMap, Bytes)>,
}

#[derive(Clone)]
struct Receiver(Arc<Mutex<Hook>>);

impl Receiver {
    async fn start(mode: Mode) -> (Receiver, String) {
        let receiver = Receiver(Arc::new(Mutex::new(Hook {
            mode: Some(mode),
            seen: Vec::new(),
        })));
        let app = Router::new()
            .route("/hook", post(hook))
            .with_state(receiver.clone());
        let addr = serve(app).await;
        (receiver, format!("http://{addr}/hook"))
    }

    fn set(&self, mode: Mode) {
        self.0.lock().unwrap().mode = Some(mode);
    }

    fn seen(&self) -> Vec<(u16, HeaderMap, Bytes)> {
        self.0.lock().unwrap().seen.clone()
    }

    fn accepted(&self) -> usize {
        self.seen().iter().filter(|(s, _, _)| *s == 200).count()
    }
}

async fn hook(State(r): State<Receiver>, headers: HeaderMap, body: Bytes) -> StatusCode {
    let mut hook = r.0.lock().unwrap();
    let status = match hook.mode.unwrap_or(Mode::Accept) {
        Mode::Accept => StatusCode::OK,
        Mode::Fail => StatusCode::SERVICE_UNAVAILABLE,
        Mode::Gone => StatusCode::GONE,
    };
    hook.seen.push((status.as_u16(), headers, body));
    status
}

async fn daemon_for(site: &SeedSite, hook_url: &str, extra: &str) -> (Workspace, Daemon) {
    let ws = Workspace::new();
    let setup = Setup {
        webhook: Some((hook_url.to_string(), SECRET.to_string())),
        extra: extra.to_string(),
        ..Setup::seed_site(site, &[KOREA])
    };
    let daemon = Daemon::start(ws.config(&setup)).await.expect("daemon");
    (ws, daemon)
}

fn header<'a>(headers: &'a HeaderMap, name: &str) -> &'a str {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_else(|| panic!("missing header {name}"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn retries_keep_the_webhook_id_and_every_attempt_is_signed() {
    init_logs();
    let site = SeedSite::start(5, None, None).await.expect("site");
    let (receiver, url) = Receiver::start(Mode::Fail).await;
    let (_ws, daemon) = daemon_for(&site, &url, "").await;
    expect("a delivery failed twice", || receiver.seen().len() >= 2).await;
    receiver.set(Mode::Accept);
    expect("the alerts were accepted", || {
        receiver.accepted() > 0 && daemon.store().pending(SINK, 1).is_ok_and(|p| p.is_empty())
    })
    .await;
    let seen = receiver.seen();
    let first_id = header(&seen[0].1, "webhook-id");
    let retries = seen
        .iter()
        .filter(|(_, h, _)| header(h, "webhook-id") == first_id);
    assert!(
        retries.count() >= 2,
        "the first alert was retried under another id"
    );
    for (_, headers, body) in &seen {
        let id = header(headers, "webhook-id");
        let ts: u64 = header(headers, "webhook-timestamp")
            .parse()
            .expect("timestamp");
        assert_eq!(
            header(headers, "webhook-signature"),
            sign_standard(SECRET, id, ts, body)
        );
        assert_eq!(header(headers, "x-wirewatch-signature"), sign(SECRET, body));
        let event: serde_json::Value = serde_json::from_slice(body).expect("json");
        assert_eq!(event["event"], "alert");
        assert_eq!(event["id"], id);
    }
    within("stop", daemon.stop()).await.expect("stop");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn gone_disables_the_sink_and_keeps_its_queue() {
    init_logs();
    let site = SeedSite::start(5, None, None).await.expect("site");
    let (receiver, url) = Receiver::start(Mode::Gone).await;
    let (_ws, daemon) = daemon_for(&site, &url, "").await;
    expect("the receiver said 410 and alerts are queued", || {
        receiver.seen().len() == 1 && daemon.store().fired().count() > 0
    })
    .await;
    tokio::time::sleep(std::time::Duration::from_secs(3)).await;
    assert_eq!(receiver.seen().len(), 1, "a disabled sink was called again");
    let queued = daemon.store().pending(SINK, 100).expect("outbox").len();
    assert_eq!(
        queued,
        daemon.store().fired().count(),
        "a queued alert was dropped"
    );
    within("stop", daemon.stop()).await.expect("stop");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn expired_deliveries_become_dead_letters_and_replay_brings_them_back() {
    init_logs();
    let site = SeedSite::start(5, None, None).await.expect("site");
    let (receiver, url) = Receiver::start(Mode::Fail).await;
    let extra = "\n[delivery]\nretry_for = \"1s\"\nmax_backoff = \"1s\"\n";
    let (ws, daemon) = daemon_for(&site, &url, extra).await;
    let config = ws.config_unwritten(&Setup {
        webhook: Some((url.clone(), SECRET.to_string())),
        extra: extra.to_string(),
        ..Setup::seed_site(&site, &[KOREA])
    });
    expect("every alert became a dead letter", || {
        let store = daemon.store();
        let fired = store.fired().count();
        fired > 0 && store.dead(None).is_ok_and(|d| d.len() == fired)
    })
    .await;
    let mut listed = Vec::new();
    within(
        "list",
        control::run(&config, &Request::DeadLetters, &mut listed),
    )
    .await
    .expect("alerts list --dead");
    let listed = String::from_utf8(listed).expect("utf-8");
    let first: serde_json::Value =
        serde_json::from_str(listed.lines().next().expect("a dead letter")).expect("json");
    assert_eq!(first["sink"], SINK);
    assert!(first["attempts"].as_u64().unwrap() >= 1);
    assert!(first["last_error"].as_str().unwrap().contains("503"));

    receiver.set(Mode::Accept);
    let fired = daemon.store().fired().count();
    let mut answer = Vec::new();
    within(
        "replay",
        control::run(&config, &Request::Replay { sink: None }, &mut answer),
    )
    .await
    .expect("alerts replay");
    assert!(String::from_utf8_lossy(&answer).starts_with(&format!("{fired} dead letters")));
    expect("the replayed alerts were accepted", || {
        receiver.accepted() == fired
    })
    .await;
    assert!(daemon.store().dead(None).expect("dead").is_empty());
    within("stop", daemon.stop()).await.expect("stop");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sink_moved_in_the_config_file_gets_every_alert_queued_for_the_old_address() {
    init_logs();
    let site = SeedSite::start(5, None, None).await.expect("site");
    let (old, old_url) = Receiver::start(Mode::Fail).await;
    let (new, new_url) = Receiver::start(Mode::Accept).await;
    let (ws, daemon) = daemon_for(&site, &old_url, "").await;
    expect("alerts are queued while the old receiver fails", || {
        !old.seen().is_empty() && daemon.store().fired().count() >= 3
    })
    .await;
    // Saved as an editor saves: a new file renamed over the old one.
    let moved = Setup {
        webhook: Some((new_url, SECRET.to_string())),
        ..Setup::seed_site(&site, &[KOREA])
    };
    let saved = ws.path("wirewatch.toml.new");
    std::fs::write(&saved, moved.toml()).expect("writing the new config");
    std::fs::rename(&saved, ws.config_path()).expect("replacing the config");
    expect("every alert reaches the new address", || {
        new.accepted() >= 3 && daemon.store().pending(SINK, 1).is_ok_and(|p| p.is_empty())
    })
    .await;
    let raised: std::collections::BTreeSet<String> = daemon
        .store()
        .fired()
        .map(|a| a.expect("alert").id.0)
        .collect();
    let delivered: std::collections::BTreeSet<String> = new
        .seen()
        .iter()
        .map(|(_, h, _)| header(h, "webhook-id").to_string())
        .collect();
    assert_eq!(delivered, raised, "each alert once, under its own id");
    let failed_before = old.seen().len();
    tokio::time::sleep(std::time::Duration::from_secs(1)).await;
    assert_eq!(
        old.seen().len(),
        failed_before,
        "the old address is left alone"
    );
    within("stop", daemon.stop()).await.expect("stop");
}
