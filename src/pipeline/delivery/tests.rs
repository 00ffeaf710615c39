//! A delivery worker against a real loopback receiver and a real store:
//! one refused event holds up nothing, permanent refusals are dead letters
//! at once, a receiver back from an outage gets its backlog, and a start
//! sends what an earlier run left queued. Conditions are awaited, never
//! timed.

use std::collections::HashSet;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use tokio::sync::Notify;
use tokio_util::sync::CancellationToken;

use super::Worker;
use crate::alert::Sink;
use crate::config::Config;
use crate::model::{Alert, AlertId, GroupId, StoryId};
use crate::net::HttpClient;
use crate::store::Store;

const SINK: &str = "hook";

/// What the receiver answers and what it saw: (webhook-id, topic, status).
#[derive(Default)]
struct Hook {
    down: bool,
    /// Topics answered with this status instead of 200.
    refuse: Vec<(String, u16)>,
    seen: Vec<(String, String, u16)>,
}

#[derive(Clone, Default)]
struct Receiver(Arc<Mutex<Hook>>);

impl Receiver {
    fn with(&self, change: impl FnOnce(&mut Hook)) {
        change(&mut self.0.lock().expect("receiver lock"));
    }

    fn seen(&self) -> Vec<(String, String, u16)> {
        self.0.lock().expect("receiver lock").seen.clone()
    }

    fn accepted(&self) -> HashSet<String> {
        let seen = self.seen().into_iter();
        seen.filter(|(_, _, s)| *s == 200)
            .map(|(id, _, _)| id)
            .collect()
    }
}

async fn hook(State(r): State<Receiver>, headers: HeaderMap, body: Bytes) -> StatusCode {
    let event: serde_json::Value = serde_json::from_slice(&body).unwrap_or_default();
    let topic = event["topic"].as_str().unwrap_or_default().to_string();
    let id = headers
        .get("webhook-id")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    let mut hook = r.0.lock().expect("receiver lock");
    let refused = hook.refuse.iter().find(|(t, _)| *t == topic).map(|r| r.1);
    let status = match (hook.down, refused) {
        (true, _) => 503,
        (false, Some(status)) => status,
        (false, None) => 200,
    };
    hook.seen.push((id, topic, status));
    StatusCode::from_u16(status).unwrap_or(StatusCode::OK)
}

/// A receiver on loopback, a store in a temp dir, and a worker for them.
struct Bench {
    receiver: Receiver,
    store: Store,
    sink: Option<Sink>,
    config: Config,
    ready: Arc<Notify>,
    cancel: CancellationToken,
    _dir: tempfile::TempDir,
}

impl Bench {
    async fn new() -> Bench {
        let receiver = Receiver::default();
        let app = Router::new()
            .route("/hook", post(hook))
            .with_state(receiver.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let addr = listener.local_addr().expect("address");
        tokio::spawn(async move { axum::serve(listener, app).await });
        let dir = tempfile::tempdir().expect("temp dir");
        let source = format!(
            "data_dir = {:?}\n[fetch]\nallow_hosts = [\"127.0.0.1\"]\n\n[[sink]]\ntype = \"webhook\"\nname = \"{SINK}\"\nurl = \"http://{addr}/hook\"\n",
            dir.path().join("data")
        );
        let config = Config::from_source(&dir.path().join("w.toml"), &source).expect("config");
        let client = HttpClient::new(&config.fetch).expect("client");
        Bench {
            receiver,
            store: Store::open(&config.data_dir).expect("store"),
            sink: Some(Sink::new(&config.sinks[0], &client)),
            config,
            ready: Arc::new(Notify::new()),
            cancel: CancellationToken::new(),
            _dir: dir,
        }
    }

    fn queue(&self, topic: &str, group: &str) -> String {
        let alert = alert(topic, group);
        let fired = self.store.fire(&alert, group, &[SINK.to_string()]);
        assert!(fired.expect("fire"), "fired once");
        self.ready.notify_one();
        alert.id.0
    }

    fn start(&mut self) {
        let sink = self.sink.take().expect("one worker per bench");
        let worker = Worker::new(self.store.clone(), sink, self.config.delivery.clone());
        let (ready, cancel) = (self.ready.clone(), self.cancel.clone());
        tokio::spawn(async move { worker.run(&ready, &cancel).await });
    }

    fn pending(&self) -> usize {
        self.store.pending(SINK, 1000).expect("outbox").len()
    }
}

impl Drop for Bench {
    fn drop(&mut self) {
        self.cancel.cancel();
    }
}

fn alert(topic: &str, group: &str) -> Alert {
    Alert {
        id: AlertId::for_firing(topic, group),
        topic: topic.into(),
        url: format!("https://news.example/{group}"),
        canonical_url: format!("https://news.example/{group}"),
        title: "A title".into(),
        published: None,
        feed: "https://news.example/feed.xml".into(),
        group: GroupId(
            group
                .trim_start_matches(|c: char| !c.is_ascii_digit())
                .parse()
                .unwrap_or(0),
        ),
        story: StoryId::default(),
        snippet: String::new(),
        matched: vec![],
        raised_at: "2026-01-01T00:00:00Z".into(),
    }
}

/// Wait (in real time, up to a generous patience) until `cond` holds.
async fn expect(what: &str, mut cond: impl FnMut() -> bool) {
    for _ in 0..600 {
        if cond() {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("never happened: {what}");
}

#[tokio::test]
async fn an_event_the_receiver_fails_on_does_not_hold_up_the_others() {
    let mut bench = Bench::new().await;
    bench
        .receiver
        .with(|h| h.refuse.push(("poison".into(), 500)));
    bench.queue("poison", "g0");
    let others: HashSet<String> = (1..6)
        .map(|i| bench.queue("news", &format!("g{i}")))
        .collect();
    bench.start();
    expect("every other event was accepted", || {
        bench.receiver.accepted() == others
    })
    .await;
    let left = bench.store.pending(SINK, 10).expect("outbox");
    assert_eq!(left.len(), 1, "only the refused event is still queued");
    let failed = &left[0].delivery;
    assert!(failed.attempts >= 1);
    // Recorded for the deliveries page: after the event's own wait.
    let since = failed.failing_since.expect("failing since");
    assert!(
        failed.next_attempt.is_some_and(|at| at > since),
        "{failed:?}"
    );
}

#[tokio::test]
async fn a_permanent_refusal_is_a_dead_letter_at_once() {
    let mut bench = Bench::new().await;
    bench.receiver.with(|h| h.refuse.push(("bad".into(), 422)));
    bench.queue("bad", "g0");
    let good = bench.queue("news", "g1");
    bench.start();
    expect("the refused event is a dead letter", || {
        bench.store.dead(None).is_ok_and(|d| d.len() == 1) && bench.pending() == 0
    })
    .await;
    assert_eq!(bench.receiver.accepted(), HashSet::from([good]));
    let tries = bench
        .receiver
        .seen()
        .iter()
        .filter(|s| s.1 == "bad")
        .count();
    assert_eq!(tries, 1, "a 422 is not retried");
}

#[tokio::test]
async fn a_receiver_back_from_an_outage_gets_the_whole_backlog_under_the_same_ids() {
    let mut bench = Bench::new().await;
    bench.receiver.with(|h| h.down = true);
    let ids: HashSet<String> = (0..8)
        .map(|i| bench.queue("news", &format!("g{i}")))
        .collect();
    bench.start();
    let probed = super::plan::DOWN_AFTER as usize + 1;
    expect("the down receiver was probed", || {
        bench.receiver.seen().len() > probed
    })
    .await;
    assert!(
        bench.receiver.seen().len() < ids.len() + super::CONCURRENCY,
        "a down receiver gets probes, not the whole queue again"
    );
    bench.receiver.with(|h| h.down = false);
    expect("the backlog was accepted", || {
        bench.receiver.accepted() == ids && bench.pending() == 0
    })
    .await;
    let seen_ids: HashSet<String> = bench.receiver.seen().into_iter().map(|s| s.0).collect();
    assert_eq!(seen_ids, ids, "retries keep their webhook-id");
}

#[tokio::test]
async fn a_start_sends_what_an_earlier_run_left_queued() {
    let mut bench = Bench::new().await;
    let ids: HashSet<String> = (0..3)
        .map(|i| bench.queue("news", &format!("g{i}")))
        .collect();
    for mut queued in bench.store.pending(SINK, 10).expect("outbox") {
        queued.delivery.attempts = 4;
        queued.delivery.failing_since = Some(crate::model::unix_now());
        bench.store.failed(&queued).expect("record a failure");
    }
    bench.start();
    expect("the earlier run's queue was accepted", || {
        bench.receiver.accepted() == ids && bench.pending() == 0
    })
    .await;
}
