//! `/feeds`: every polled feed's health, as `wirewatch feeds` prints it;
//! `/deliveries`: per sink, what waits, what is being retried and the dead
//! letters; and the fate of one alert at each of its sinks.

use std::sync::Arc;

use axum::extract::State;
use axum::response::{Html, IntoResponse, Response};
use serde::Serialize;

use super::view;
use super::{Web, WebError, blocking, ser};
use crate::control::feed_health;
use crate::model::{AlertId, Event, secs_rfc3339};
use crate::store::{Queued, Store};

/// Queue entries read per sink at most.
const QUEUE_SCAN: usize = 2_000;
/// Entries listed per sink and kind at most.
const LISTED: usize = 50;

/// Where an alert stands at one sink.
#[derive(Debug, Serialize)]
pub(super) struct Fate {
    sink: String,
    /// `delivered`, `queued`, `retrying` or `dead`.
    state: &'static str,
    error: Option<String>,
}

/// The alert's state at each of `sinks`: still queued (or being retried),
/// dead, or else delivered.
pub(super) fn fates(store: &Store, id: &AlertId, sinks: &[String]) -> Result<Vec<Fate>, WebError> {
    let mut found = Vec::new();
    for sink in sinks {
        let queued = store.pending(sink, QUEUE_SCAN)?;
        let dead = store.dead(Some(sink))?;
        let fate = match (find(&queued, id), find(&dead, id)) {
            (Some(q), _) if q.delivery.attempts > 0 => ("retrying", q.delivery.last_error.clone()),
            (Some(_), _) => ("queued", None),
            (None, Some(d)) => ("dead", d.delivery.last_error.clone()),
            (None, None) => ("delivered", None),
        };
        found.push(Fate {
            sink: sink.clone(),
            state: fate.0,
            error: fate.1,
        });
    }
    Ok(found)
}

fn find<'a>(queue: &'a [Queued], id: &AlertId) -> Option<&'a Queued> {
    queue.iter().find(|q| q.delivery.event.id() == id)
}

/// The URLs of every polled feed.
pub(super) fn feed_urls(store: &Store) -> Result<Vec<String>, WebError> {
    let urls = store.feed_states().map(|e| e.map(|(url, _)| url));
    Ok(urls.collect::<Result<_, _>>()?)
}

#[derive(Debug, Serialize)]
struct FeedRow {
    name: String,
    health: crate::control::FeedHealth,
    link: Option<String>,
    last_success: String,
    next_poll: String,
}

pub(super) async fn feeds(State(web): State<Arc<Web>>) -> Response {
    blocking(web, |web| {
        let config = web.config();
        let rows: Vec<FeedRow> = feed_health(&web.store)?
            .into_iter()
            .map(|health| FeedRow {
                name: view::outlet(&config, &health.url),
                link: view::link(&health.url),
                last_success: health
                    .last_success
                    .as_deref()
                    .map(view::when)
                    .unwrap_or_else(|| "never".into()),
                next_poll: health.next_poll_in_secs.map_or("-".into(), |s| {
                    humantime::format_duration(std::time::Duration::from_secs(s)).to_string()
                }),
                health,
            })
            .collect();
        let failing = rows
            .iter()
            .filter(|r| r.health.consecutive_errors > 0)
            .count();
        let body = web.render(
            "feeds.html",
            minijinja::context! { page => "feeds", rows => ser(&rows), failing },
        )?;
        Ok(Html(body).into_response())
    })
    .await
}

#[derive(Debug, Serialize)]
struct Entry {
    kind: String,
    id: String,
    topic: String,
    title: String,
    attempts: u32,
    failing_since: String,
    next_attempt: String,
    gives_up: String,
    last_error: String,
}

#[derive(Debug, Serialize)]
struct SinkRow {
    name: String,
    queued: usize,
    retrying: Vec<Entry>,
    dead: Vec<Entry>,
    dead_total: usize,
}

pub(super) async fn deliveries(State(web): State<Arc<Web>>) -> Response {
    blocking(web, |web| {
        let config = web.config();
        let retry_for = config.delivery.retry_for.as_secs();
        let mut sinks = Vec::new();
        for sink in &config.sinks {
            let queue = web.store.pending(&sink.name, QUEUE_SCAN)?;
            let dead = web.store.dead(Some(&sink.name))?;
            let retrying = queue.iter().filter(|q| q.delivery.attempts > 0);
            sinks.push(SinkRow {
                name: sink.name.clone(),
                queued: web.store.outbox_depth(&sink.name),
                retrying: retrying.take(LISTED).map(|q| entry(q, retry_for)).collect(),
                dead: dead
                    .iter()
                    .rev()
                    .take(LISTED)
                    .map(|q| entry(q, retry_for))
                    .collect(),
                dead_total: dead.len(),
            });
        }
        let body = web.render(
            "deliveries.html",
            minijinja::context! { page => "deliveries", sinks => ser(&sinks) },
        )?;
        Ok(Html(body).into_response())
    })
    .await
}

fn entry(queued: &Queued, retry_for: u64) -> Entry {
    let delivery = &queued.delivery;
    let since = delivery.failing_since;
    let (kind, title) = match &delivery.event {
        Event::Alert(a) => ("alert", a.title.clone()),
        Event::FollowUp(f) => ("follow-up", f.article.title.clone()),
        Event::Digest(d) => ("digest", format!("{} alerts", d.alerts.len())),
        Event::Silence(s) => (
            "silence",
            s.feed_name.clone().unwrap_or_else(|| s.feed.clone()),
        ),
        Event::Breaking(b) => ("breaking", b.title.clone()),
    };
    Entry {
        kind: kind.into(),
        id: delivery.event.id().0.clone(),
        topic: delivery.event.topic().to_string(),
        title,
        attempts: delivery.attempts,
        failing_since: since
            .map(|s| view::when(&secs_rfc3339(s)))
            .unwrap_or_default(),
        next_attempt: delivery
            .next_attempt
            .map(|at| view::when(&secs_rfc3339(at)))
            .unwrap_or_default(),
        gives_up: since
            .map(|s| view::when(&secs_rfc3339(s + retry_for)))
            .unwrap_or_default(),
        last_error: delivery.last_error.clone().unwrap_or_default(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retries_and_dead_letters_are_listed_escaped() {
        let entry = |kind: &str| Entry {
            kind: kind.into(),
            id: "abc".into(),
            topic: "t".into(),
            title: "<script>x</script>".into(),
            attempts: 3,
            failing_since: "2026-01-01 00:00".into(),
            next_attempt: "2026-01-01 00:05".into(),
            gives_up: "2026-01-04 00:00".into(),
            last_error: "503 \"busy\"".into(),
        };
        let sinks = vec![SinkRow {
            name: "hook".into(),
            queued: 2,
            retrying: vec![entry("alert")],
            dead: vec![entry("digest")],
            dead_total: 1,
        }];
        let page = view::templates()
            .get_template("deliveries.html")
            .and_then(|t| t.render(minijinja::context! { page => "deliveries", sinks => super::super::ser(&sinks) }))
            .unwrap();
        assert!(
            page.contains("Being retried") && page.contains("Dead letters"),
            "{page}"
        );
        assert!(page.contains("&lt;script&gt;x&lt;&#x2f;script&gt;") && !page.contains("<script"));
        assert!(page.contains("503 &quot;busy&quot;"));
        assert!(
            page.contains("2026-01-01 00:05"),
            "the next attempt is shown"
        );
    }
}
