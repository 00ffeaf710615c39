//! Delivery workers, one per sink, so one slow or failing sink never delays
//! another. A worker sends its sink's queue in the store's outbox, oldest
//! first, a few events at a time; an event leaves the queue only after the
//! receiver acknowledged it with a 2xx, so alerts survive failures and
//! restarts (at least once, under the same `webhook-id`), and a start
//! drains whatever was left at once.
//!
//! `plan` decides what goes out when: each event its own retry schedule, a
//! down receiver probed every few tens of seconds at most, the backlog sent
//! as soon as it answers. An event that keeps failing for `[delivery]
//! retry_for`, or that the receiver refuses for good (400, 401, 403, 404,
//! 413, 422), becomes a dead letter without holding anything up; 410 Gone
//! disables the sink until the next start.

mod plan;

use std::collections::HashSet;
use std::sync::Arc;
use std::time::Duration;

use futures_util::StreamExt;
use futures_util::stream::FuturesUnordered;
use tokio::sync::{Notify, watch};
use tokio::time::Instant;
use tokio_util::sync::CancellationToken;

use super::Context;
use crate::alert::{DeliveryError, Sink};
use crate::config::{Config, DeliveryConfig, FetchConfig, SinkConfig};
use crate::model::unix_now;
use crate::net::HttpClient;
use crate::store::{Queued, Store};
use crate::telemetry::metrics;
use plan::{Plan, Step};

/// Events read from the outbox per round.
const SCAN: usize = 1000;
/// Deliveries in flight per sink.
const CONCURRENCY: usize = 4;

/// Whether the worker goes on.
#[derive(PartialEq)]
enum Flow {
    Continue,
    /// The receiver answered 410 Gone: stop delivering to it.
    Gone,
}

/// A sink's worker: its receiver, the store, and the schedule.
pub struct Worker {
    store: Store,
    sink: Sink,
    policy: DeliveryConfig,
    plan: Plan,
    live: Option<Live>,
}

/// What a running daemon's worker follows: the configuration in force, so
/// that a changed sink (its URL, secret, template) and delivery settings
/// apply without a restart. The queue is the sink's by name, so events
/// queued before the change go to the new receiver.
struct Live {
    config: watch::Receiver<Arc<Config>>,
    client: HttpClient,
    /// The fetch settings `client` was built with.
    fetch: FetchConfig,
    current: SinkConfig,
    /// The sink was dropped from the config (said once).
    removed: bool,
}

impl Live {
    /// A new client when the fetch settings changed (timeouts, address
    /// guard, User-Agent); true when there is one.
    fn refresh_client(&mut self, fetch: &FetchConfig) -> bool {
        if *fetch == self.fetch {
            return false;
        }
        self.fetch = fetch.clone();
        match HttpClient::new(fetch) {
            Ok(client) => {
                self.client = client;
                true
            }
            Err(err) => {
                tracing::error!(error = %err, "cannot build a client with the new fetch settings; the sink keeps the old one");
                false
            }
        }
    }
}

pub(super) async fn run(
    ctx: Arc<Context>,
    sink: (SinkConfig, Sink),
    client: HttpClient,
    ready: Arc<Notify>,
    cancel: CancellationToken,
) {
    let policy = ctx.config.borrow().delivery.clone();
    let (current, sink) = sink;
    let mut worker = Worker::new(ctx.store.clone(), sink, policy);
    let fetch = ctx.config.borrow().fetch.clone();
    worker.live = Some(Live {
        config: ctx.config.clone(),
        client,
        fetch,
        current,
        removed: false,
    });
    worker.run(&ready, &cancel).await;
}

impl Worker {
    pub fn new(store: Store, sink: Sink, policy: DeliveryConfig) -> Worker {
        Worker {
            store,
            sink,
            policy,
            plan: Plan::default(),
            live: None,
        }
    }

    /// Applies a changed configuration: delivery settings, and this sink's
    /// own settings (rebuilt, with a fresh schedule: a new receiver owes
    /// nothing to the old one's failures).
    fn follow_config(&mut self) {
        let Some(live) = &mut self.live else { return };
        // Compared each round, not on `has_changed`: the wait below marks a
        // change seen when it wakes on it.
        let config = live.config.borrow_and_update().clone();
        self.policy = config.delivery.clone();
        let client_changed = live.refresh_client(&config.fetch);
        match config.sinks.iter().find(|s| s.name == self.sink.name) {
            Some(new) if *new != live.current || client_changed => {
                self.sink = Sink::new(new, &live.client);
                live.current = new.clone();
                self.plan = Plan::default();
                tracing::info!(sink = %self.sink.name, "sink settings changed; its queue goes to the new settings");
            }
            Some(_) => {}
            None if !live.removed => {
                live.removed = true;
                tracing::warn!(sink = %self.sink.name, "sink no longer configured; its queue is kept and delivered until the restart");
            }
            None => {}
        }
    }

    /// Resolves when the configuration changes (never without one).
    async fn config_changed(live: Option<&mut Live>) {
        let Some(live) = live else {
            return std::future::pending().await;
        };
        if live.config.changed().await.is_err() {
            // The daemon is stopping: its sender is gone.
            std::future::pending::<()>().await;
        }
    }

    /// Deliver until cancelled (or the receiver is gone); `ready` is
    /// notified when events are queued.
    pub async fn run(mut self, ready: &Notify, cancel: &CancellationToken) {
        loop {
            self.follow_config();
            let wait = match self.step() {
                Ok(Next::Send(batch)) => {
                    // Cancelled mid-batch, no attempt starts and those in
                    // flight are settled (each within the request timeout),
                    // so a delivered event is not sent again after a start.
                    let flow = self.send(batch, cancel).await;
                    if cancel.is_cancelled() {
                        return;
                    }
                    if flow == Flow::Gone {
                        tracing::error!(sink = %self.sink.name, "receiver answered 410 Gone; sink disabled until restart, its queue is kept");
                        return;
                    }
                    continue;
                }
                Ok(Next::Wait(until)) => until,
                Err(()) => Some(Instant::now() + plan::PROBE_CAP),
            };
            let timer = async {
                match wait {
                    Some(at) => tokio::time::sleep_until(at).await,
                    None => std::future::pending().await,
                }
            };
            tokio::select! {
                _ = cancel.cancelled() => return,
                _ = ready.notified() => {}
                _ = timer => {}
                _ = Self::config_changed(self.live.as_mut()) => {}
            }
        }
    }

    fn step(&mut self) -> Result<Next, ()> {
        let pending = self.store.pending(&self.sink.name, SCAN).map_err(|err| {
            tracing::error!(sink = %self.sink.name, error = %err, "cannot read the outbox");
        })?;
        let keys: Vec<Vec<u8>> = pending.iter().map(|q| q.key().to_vec()).collect();
        Ok(match self.plan.next(&keys, Instant::now()) {
            Step::Wait(until) => Next::Wait(until),
            Step::Send(chosen) => {
                let chosen: HashSet<Vec<u8>> = chosen.into_iter().collect();
                let batch = pending.into_iter().filter(|q| chosen.contains(q.key()));
                Next::Send(batch.collect())
            }
        })
    }

    /// Send `batch`, oldest first, `CONCURRENCY` at a time once the
    /// receiver answers (one at a time until it does), starting no more
    /// once it is down or asked for a pause. The first
    /// always goes: the plan chose it (a probe, when the receiver is down).
    async fn send(&mut self, batch: Vec<Queued>, cancel: &CancellationToken) -> Flow {
        let mut queue = batch.into_iter();
        let mut in_flight = FuturesUnordered::new();
        let sink = &self.sink;
        if let Some(first) = queue.next().filter(|_| !cancel.is_cancelled()) {
            in_flight.push(attempt(sink, first));
        }
        loop {
            let most = self.plan.in_flight(CONCURRENCY);
            while in_flight.len() < most
                && !self.plan.holding(Instant::now())
                && !cancel.is_cancelled()
            {
                let Some(queued) = queue.next() else { break };
                in_flight.push(attempt(sink, queued));
            }
            let Some((queued, result)) = in_flight.next().await else {
                return Flow::Continue;
            };
            let settle = Settle {
                store: &self.store,
                sink: &sink.name,
                policy: &self.policy,
            };
            if settle.outcome(&mut self.plan, queued, result) == Flow::Gone {
                return Flow::Gone;
            }
        }
    }
}

/// The worker's next move, with the events it sends.
enum Next {
    Send(Vec<Queued>),
    Wait(Option<Instant>),
}

async fn attempt(sink: &Sink, queued: Queued) -> (Queued, Result<(), DeliveryError>) {
    let result = sink.deliver(&queued.delivery.event).await;
    (queued, result)
}

/// What an attempt's answer does to the outbox and the schedule.
struct Settle<'a> {
    store: &'a Store,
    sink: &'a str,
    policy: &'a DeliveryConfig,
}

impl Settle<'_> {
    fn outcome(&self, plan: &mut Plan, queued: Queued, result: Result<(), DeliveryError>) -> Flow {
        let was_down = plan.down();
        let flow = match result {
            Ok(()) => {
                plan.answered(queued.key());
                self.acknowledged(&queued);
                Flow::Continue
            }
            Err(err) if err.gone => Flow::Gone,
            Err(err) => {
                self.failed(plan, queued, err);
                Flow::Continue
            }
        };
        self.report_health(plan, was_down);
        flow
    }

    fn report_health(&self, plan: &Plan, was_down: bool) {
        match (was_down, plan.down()) {
            (false, true) => {
                tracing::warn!(sink = %self.sink, probe_within = ?plan::PROBE_CAP, "receiver failing; probing it with one event at a time")
            }
            (true, false) => {
                let backlog = self.store.outbox_depth(self.sink);
                tracing::info!(sink = %self.sink, backlog, "receiver answers again; delivering the backlog")
            }
            _ => {}
        }
    }

    fn acknowledged(&self, queued: &Queued) {
        let id = &queued.delivery.event.id().0;
        match self.store.delivered(queued) {
            Ok(()) => {
                metrics::delivery(self.sink, "delivered");
                tracing::debug!(sink = %self.sink, id, "event delivered");
            }
            Err(err) => {
                tracing::error!(sink = %self.sink, id, error = %err, "delivered but cannot dequeue; may be sent again")
            }
        }
    }

    /// Record a failed attempt: a dead letter when it cannot succeed or ran
    /// out of time, else the event's next retry.
    fn failed(&self, plan: &mut Plan, mut queued: Queued, err: DeliveryError) {
        let now = unix_now();
        let delivery = &mut queued.delivery;
        delivery.attempts += 1;
        let since = *delivery.failing_since.get_or_insert(now);
        delivery.last_error = Some(err.reason.clone());
        let expired = Duration::from_secs(now.saturating_sub(since)) >= self.policy.retry_for;
        if expired || !err.retryable {
            if !err.retryable {
                // The receiver answered: it is up, whatever it thought of this event.
                plan.answered(queued.key());
            }
            plan.forget(queued.key());
            self.bury(&queued, &err);
            return;
        }
        let attempts = delivery.attempts;
        let id = delivery.event.id().0.clone();
        let max = self.policy.max_backoff;
        plan.failed(queued.key(), attempts, err.retry_after, max, Instant::now());
        let retry_in = plan::event_wait(attempts, max).max(err.retry_after.unwrap_or_default());
        queued.delivery.next_attempt = Some(now.saturating_add(retry_in.as_secs()));
        tracing::warn!(sink = %self.sink, id, attempts, retry_in = ?retry_in, error = %err.reason, "delivery failed; will retry");
        metrics::delivery(self.sink, "retried");
        if let Err(store_err) = self.store.failed(&queued) {
            tracing::error!(sink = %self.sink, id, error = %store_err, "cannot record the failed attempt");
        }
    }

    fn bury(&self, queued: &Queued, err: &DeliveryError) {
        let id = &queued.delivery.event.id().0;
        let attempts = queued.delivery.attempts;
        tracing::error!(sink = %self.sink, id, attempts, error = %err.reason, "delivery abandoned; kept as a dead letter (`wirewatch alerts replay`)");
        metrics::delivery(self.sink, "dead");
        if let Err(store_err) = self.store.bury(queued) {
            tracing::error!(sink = %self.sink, id, error = %store_err, "cannot move to the dead letters; will retry");
        }
    }
}

#[cfg(test)]
mod tests;
