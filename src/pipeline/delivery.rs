//! Delivery workers, one per sink, so one slow or failing sink never delays
//! another. A worker drains its sink's queue in the store's outbox; an alert
//! leaves the queue only after the sink acknowledged it, so alerts survive
//! failures and restarts (at-least-once delivery).

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::Notify;
use tokio_util::sync::CancellationToken;

use super::Context;
use crate::alert::Sink;

/// Alerts read from the outbox per round.
const BATCH: usize = 64;
const FIRST_RETRY: Duration = Duration::from_secs(1);
const LAST_RETRY: Duration = Duration::from_secs(300);

pub(super) async fn run(
    ctx: Arc<Context>,
    sink: Sink,
    ready: Arc<Notify>,
    cancel: CancellationToken,
) {
    let mut backoff = FIRST_RETRY;
    loop {
        let wait = match drain(&ctx, &sink).await {
            Ok(()) => {
                backoff = FIRST_RETRY;
                None
            }
            Err(delay) => {
                let delay = delay.unwrap_or(backoff).min(LAST_RETRY);
                backoff = (backoff * 2).min(LAST_RETRY);
                Some(delay)
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

/// Deliver everything queued; on a failure, stop and return the receiver's
/// requested delay, if any.
async fn drain(ctx: &Context, sink: &Sink) -> Result<(), Option<Duration>> {
    loop {
        let pending = match ctx.store.pending(&sink.name, BATCH) {
            Ok(p) => p,
            Err(err) => {
                tracing::error!(sink = %sink.name, error = %err, "cannot read the outbox");
                return Err(None);
            }
        };
        if pending.is_empty() {
            return Ok(());
        }
        for queued in pending {
            let id = &queued.event.id().0;
            if let Err(err) = sink.deliver(&queued.event).await {
                tracing::warn!(sink = %sink.name, id, error = %err.reason, "delivery failed; will retry");
                return Err(err.retry_after);
            }
            if let Err(err) = ctx.store.delivered(&queued) {
                tracing::error!(sink = %sink.name, id, error = %err, "delivered but cannot dequeue; may be sent again");
                return Err(None);
            }
            tracing::debug!(sink = %sink.name, id, "event delivered");
        }
    }
}
