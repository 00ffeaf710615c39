//! What a sink's delivery worker sends next, and when: each event keeps its
//! own retry schedule (Standard Webhooks': at once, then 5 s, 5 min, 30 min,
//! 2 h, 5 h, 10 h…, each wait capped at `[delivery] max_backoff`), so one
//! failing event never holds up another. The receiver as a whole counts as
//! down after `DOWN_AFTER` failures in a row over any events; it is then
//! probed with one event at a time at a short, capped interval (a couple of
//! seconds doubling to `PROBE_CAP`), and as soon as it answers, every
//! pending event is due again: the backlog goes out at once. A
//! `Retry-After` (as with 429) pauses the whole sink that long.
//!
//! Times are tokio instants, so the schedule is tested with paused time; it
//! lives in memory: after a restart every queued event is due at once.

use std::collections::{HashMap, HashSet};
use std::time::Duration;

use tokio::time::Instant;

/// Failures in a row, over all events, after which the receiver is down.
pub const DOWN_AFTER: u32 = 3;
/// The first probe of a down receiver comes about this long after the failure…
const PROBE_FIRST: Duration = Duration::from_secs(2);
/// …and the wait doubles up to this.
pub const PROBE_CAP: Duration = Duration::from_secs(30);
/// An event's waits after its 1st, 2nd… failed attempt; the last repeats.
const EVENT_WAITS: [u64; 6] = [5, 300, 1800, 7200, 18_000, 36_000];

/// What to do now.
#[derive(Debug, PartialEq)]
pub enum Step {
    /// Send these events (outbox keys, oldest first).
    Send(Vec<Vec<u8>>),
    /// Nothing is due: wait until then, or for a new event (None).
    Wait(Option<Instant>),
}

/// One sink's schedule.
#[derive(Debug, Default)]
pub struct Plan {
    /// When each event that failed may be tried again; absent means now.
    retry_at: HashMap<Vec<u8>, Instant>,
    /// Retryable failures in a row, over all events.
    streak: u32,
    /// When a down receiver is probed next.
    probe_at: Option<Instant>,
    /// No request before this (the receiver's Retry-After).
    paused_until: Option<Instant>,
    /// The receiver answered the last attempt: more than one may be in
    /// flight. Until then (at a start, after a failure) one at a time, so
    /// that a receiver in trouble or gone gets one request, not a burst.
    answering: bool,
}

impl Plan {
    /// Whether the receiver counts as down (and is only probed).
    pub fn down(&self) -> bool {
        self.streak >= DOWN_AFTER
    }

    /// Whether to start no further request now (down or paused).
    pub fn holding(&self, now: Instant) -> bool {
        self.down() || self.paused_until.is_some_and(|at| at > now)
    }

    /// How many attempts may be in flight, up to `most`.
    pub fn in_flight(&self, most: usize) -> usize {
        if self.answering { most } else { 1 }
    }

    /// The next step for the events `pending` (outbox keys, oldest first).
    pub fn next(&mut self, pending: &[Vec<u8>], now: Instant) -> Step {
        let known: HashSet<&Vec<u8>> = pending.iter().collect();
        self.retry_at.retain(|key, _| known.contains(key));
        if pending.is_empty() {
            return Step::Wait(None);
        }
        if let Some(until) = self.paused_until.filter(|at| *at > now) {
            return Step::Wait(Some(until));
        }
        if self.down() {
            return self.probe(pending, now);
        }
        let due: Vec<Vec<u8>> = pending
            .iter()
            .filter(|key| self.retry_at.get(*key).is_none_or(|at| *at <= now))
            .cloned()
            .collect();
        match due.is_empty() {
            true => Step::Wait(self.retry_at.values().min().copied()),
            false => Step::Send(due),
        }
    }

    /// A down receiver gets one event when its probe is due: the one whose
    /// own retry comes first (a new event before any), oldest on ties.
    fn probe(&self, pending: &[Vec<u8>], now: Instant) -> Step {
        if let Some(at) = self.probe_at.filter(|at| *at > now) {
            return Step::Wait(Some(at));
        }
        let first = pending
            .iter()
            .enumerate()
            .min_by_key(|(i, key)| (self.retry_at.get(*key).copied(), *i))
            .map(|(_, key)| key.clone());
        Step::Send(first.into_iter().collect())
    }

    /// The receiver took the event (or refused it for good: it answered).
    /// A down receiver is up again: every pending event is due now.
    pub fn answered(&mut self, key: &[u8]) {
        self.retry_at.remove(key);
        if self.down() {
            self.retry_at.clear();
            self.probe_at = None;
        }
        self.streak = 0;
        self.answering = true;
    }

    /// The event's `attempts`-th attempt failed in a way worth retrying.
    pub fn failed(
        &mut self,
        key: &[u8],
        attempts: u32,
        retry_after: Option<Duration>,
        max_wait: Duration,
        now: Instant,
    ) {
        let asked = retry_after.unwrap_or_default().min(max_wait);
        let own = event_wait(attempts, max_wait).max(asked);
        self.retry_at.insert(key.to_vec(), now + own);
        if !asked.is_zero() {
            self.paused_until = Some(now + asked);
        }
        self.streak += 1;
        self.answering = false;
        if self.down() {
            let probe = probe_wait(self.streak - DOWN_AFTER).max(asked);
            self.probe_at = Some(now + probe);
        }
    }

    /// The event left the queue without an answer to judge (a dead letter).
    pub fn forget(&mut self, key: &[u8]) {
        self.retry_at.remove(key);
    }
}

/// The wait after an event's `attempts`-th failed attempt, capped at `max`.
pub fn event_wait(attempts: u32, max: Duration) -> Duration {
    let i = (attempts.max(1) as usize - 1).min(EVENT_WAITS.len() - 1);
    Duration::from_secs(EVENT_WAITS[i]).min(max)
}

/// The wait before probing a receiver that already failed `probes` probes:
/// `PROBE_FIRST` doubling to `PROBE_CAP`, less up to half of it at random,
/// so that daemons recovering together do not probe in step.
fn probe_wait(probes: u32) -> Duration {
    let cap = PROBE_FIRST
        .saturating_mul(1 << probes.min(16))
        .min(PROBE_CAP);
    cap.mul_f64(1.0 - fastrand::f64() / 2.0)
}

#[cfg(test)]
mod tests;
