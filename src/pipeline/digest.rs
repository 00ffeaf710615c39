//! Digests: the alerts of a topic with `digest = "<window>"` are held in the
//! store as they fire; the first one held opens the topic's window, and when
//! it ends every alert held by then goes out as one `digest` event per sink,
//! queued in the outbox like any event (so retries and dead letters apply).
//!
//! Nothing here lives only in memory: when a window ends while the daemon
//! is down, its digest is sent right after the next start. A topic whose
//! digest setting (or the topic itself) is gone from the configuration has
//! its held alerts sent at once rather than dropped.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, UNIX_EPOCH};

use tokio::sync::Notify;
use tokio_util::sync::CancellationToken;

use super::Context;
use crate::model::{Alert, Digest, Event, now_rfc3339, unix_now_ms};
use crate::store::{HeldEntry, StoreError};

/// The wait before trying again when the store failed.
const RETRY: Duration = Duration::from_secs(30);

pub(super) async fn run(ctx: Arc<Context>, ready: Arc<Notify>, cancel: CancellationToken) {
    let mut config = ctx.config.clone();
    loop {
        let wait = match release_due(&ctx) {
            Ok(next) => next,
            Err(err) => {
                tracing::error!(error = %err, "cannot release digests; held alerts are kept");
                Some(RETRY)
            }
        };
        let timer = async {
            match wait {
                Some(delay) => tokio::time::sleep(delay).await,
                None => std::future::pending().await,
            }
        };
        tokio::select! {
            _ = cancel.cancelled() => return,
            _ = ready.notified() => {}
            // A reload may change a topic's window.
            Ok(()) = config.changed() => {}
            _ = timer => {}
        }
    }
}

/// Queue the digest of every topic whose window has ended; returns how long
/// until the next window ends, if any alert is still held.
fn release_due(ctx: &Context) -> Result<Option<Duration>, StoreError> {
    let windows: HashMap<String, Duration> = ctx
        .config
        .borrow()
        .topics
        .iter()
        .filter_map(|t| t.digest.map(|d| (t.name.clone(), d)))
        .collect();
    let now = unix_now_ms();
    let mut next: Option<u64> = None;
    for (topic, entries) in ctx.store.held()? {
        let opened = entries
            .iter()
            .map(|e| e.held.held_at_ms)
            .min()
            .unwrap_or(now);
        let window = windows
            .get(&topic)
            .map_or(0, |w| u64::try_from(w.as_millis()).unwrap_or(u64::MAX));
        let due = opened.saturating_add(window);
        if due <= now {
            release(ctx, &topic, &entries, opened)?;
        } else {
            next = Some(next.map_or(due - now, |n| n.min(due - now)));
        }
    }
    Ok(next.map(Duration::from_millis))
}

/// Replace a topic's held alerts by one digest per sink they were routed to.
fn release(
    ctx: &Context,
    topic: &str,
    entries: &[HeldEntry],
    opened_ms: u64,
) -> Result<(), StoreError> {
    let from = humantime::format_rfc3339_seconds(UNIX_EPOCH + Duration::from_millis(opened_ms))
        .to_string();
    let until = now_rfc3339();
    let mut sinks: Vec<&str> = Vec::new();
    for entry in entries {
        for sink in &entry.held.sinks {
            if !sinks.contains(&sink.as_str()) {
                sinks.push(sink);
            }
        }
    }
    let events: Vec<(Event, String)> = sinks
        .iter()
        .map(|sink| {
            let alerts: Vec<Alert> = entries
                .iter()
                .filter(|e| e.held.sinks.iter().any(|s| s == sink))
                .map(|e| e.held.alert.clone())
                .collect();
            let digest = Digest {
                id: Digest::id_for(topic, alerts.iter().map(|a| &a.id)),
                topic: topic.to_string(),
                from: from.clone(),
                until: until.clone(),
                alerts,
            };
            (Event::Digest(digest), sink.to_string())
        })
        .collect();
    ctx.store.release(entries, &events)?;
    tracing::info!(topic, alerts = entries.len(), sinks = events.len(), %from, %until, "digest queued");
    ctx.outbox_ready.iter().for_each(|n| n.notify_one());
    Ok(())
}
