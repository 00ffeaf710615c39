//! Delivery workers, one per sink, so one slow or failing sink never delays
//! another. A worker drains its sink's queue in the store's outbox in the
//! order events were raised; an event leaves the queue only after the sink
//! acknowledged it, so alerts survive failures and restarts (at least once).
//!
//! A failure is retried after an exponential backoff with full jitter (a
//! random wait up to the current cap, so many daemons recovering at once do
//! not retry in step), never sooner than the receiver's Retry-After, for
//! `[delivery] retry_for`; then the event becomes a dead letter. 410 Gone
//! disables the sink until the next start.

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::Notify;
use tokio_util::sync::CancellationToken;

use super::Context;
use crate::alert::{DeliveryError, Sink};
use crate::config::DeliveryConfig;
use crate::model::unix_now;
use crate::store::Queued;
use crate::telemetry::metrics;

/// Events read from the outbox per round.
const BATCH: usize = 64;
/// The cap of the first retry's wait; it doubles with every failure.
const FIRST_BACKOFF: Duration = Duration::from_secs(5);

/// What draining a queue ended with.
enum Drained {
    /// The queue is empty: wait for new events.
    Empty,
    /// The head failed: try again after this long.
    Retry(Duration),
    /// The receiver is gone (410): stop delivering to it.
    Gone,
}

pub(super) async fn run(
    ctx: Arc<Context>,
    sink: Sink,
    ready: Arc<Notify>,
    cancel: CancellationToken,
) {
    let policy = ctx.config.borrow().delivery.clone();
    loop {
        let wait = match drain(&ctx, &sink, &policy).await {
            Drained::Empty => None,
            Drained::Retry(delay) => Some(delay),
            Drained::Gone => {
                tracing::error!(sink = %sink.name, "receiver answered 410 Gone; sink disabled until restart, its queue is kept");
                return;
            }
        };
        let woken = async {
            match wait {
                Some(delay) => tokio::time::sleep(delay).await,
                None => ready.notified().await,
            }
        };
        tokio::select! {
            _ = cancel.cancelled() => return,
            _ = woken => {}
        }
    }
}

/// Deliver everything queued, stopping at the first failure that is to be
/// retried.
async fn drain(ctx: &Context, sink: &Sink, policy: &DeliveryConfig) -> Drained {
    loop {
        let pending = match ctx.store.pending(&sink.name, BATCH) {
            Ok(p) => p,
            Err(err) => {
                tracing::error!(sink = %sink.name, error = %err, "cannot read the outbox");
                return Drained::Retry(policy.max_backoff);
            }
        };
        if pending.is_empty() {
            return Drained::Empty;
        }
        for queued in pending {
            let id = queued.delivery.event.id().0.clone();
            match sink.deliver(&queued.delivery.event).await {
                Ok(()) => acknowledged(ctx, sink, &queued, &id),
                Err(err) if err.gone => return Drained::Gone,
                Err(err) => {
                    if let Some(delay) = failed(ctx, sink, queued, err, policy) {
                        return Drained::Retry(delay);
                    }
                }
            }
        }
    }
}

fn acknowledged(ctx: &Context, sink: &Sink, queued: &Queued, id: &str) {
    match ctx.store.delivered(queued) {
        Ok(()) => {
            metrics::delivery(&sink.name, "delivered");
            tracing::debug!(sink = %sink.name, id, "event delivered");
        }
        Err(err) => {
            tracing::error!(sink = %sink.name, id, error = %err, "delivered but cannot dequeue; may be sent again")
        }
    }
}

/// Record a failed attempt. Returns the wait before the next one, or None
/// when the event became a dead letter (and the queue goes on).
fn failed(
    ctx: &Context,
    sink: &Sink,
    mut queued: Queued,
    err: DeliveryError,
    policy: &DeliveryConfig,
) -> Option<Duration> {
    let now = unix_now();
    let delivery = &mut queued.delivery;
    delivery.attempts += 1;
    let since = *delivery.failing_since.get_or_insert(now);
    delivery.last_error = Some(err.reason.clone());
    let id = delivery.event.id().0.clone();
    let attempts = delivery.attempts;
    let expired = Duration::from_secs(now.saturating_sub(since)) >= policy.retry_for;
    if expired || !err.retryable {
        tracing::error!(sink = %sink.name, id, attempts, error = %err.reason, "delivery abandoned; kept as a dead letter (`wirewatch alerts replay`)");
        metrics::delivery(&sink.name, "dead");
        if let Err(store_err) = ctx.store.bury(&queued) {
            tracing::error!(sink = %sink.name, id, error = %store_err, "cannot move to the dead letters; will retry");
            return Some(policy.max_backoff);
        }
        return None;
    }
    let delay = backoff(attempts, policy.max_backoff).max(err.retry_after.unwrap_or_default());
    tracing::warn!(sink = %sink.name, id, attempts, retry_in = ?delay, error = %err.reason, "delivery failed; will retry");
    metrics::delivery(&sink.name, "retried");
    if let Err(store_err) = ctx.store.failed(&queued) {
        tracing::error!(sink = %sink.name, id, error = %store_err, "cannot record the failed attempt");
    }
    Some(delay)
}

/// Full jitter: a random wait between zero and `FIRST_BACKOFF · 2^(n-1)`,
/// capped at `max`; at least one second so a dead receiver is not hammered.
fn backoff(attempts: u32, max: Duration) -> Duration {
    let cap = FIRST_BACKOFF
        .saturating_mul(1 << attempts.saturating_sub(1).min(20))
        .min(max);
    let jittered = cap.mul_f64(fastrand::f64());
    jittered.max(Duration::from_secs(1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_grows_within_its_cap_and_never_exceeds_the_maximum() {
        let max = Duration::from_secs(7200);
        for attempts in 1..40 {
            let cap = FIRST_BACKOFF
                .saturating_mul(1 << (attempts - 1).min(20))
                .min(max);
            for _ in 0..50 {
                let wait = backoff(attempts, max);
                assert!(wait >= Duration::from_secs(1) && wait <= cap.max(Duration::from_secs(1)));
            }
        }
    }
}
