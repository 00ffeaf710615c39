//! Telling systemd how the service is doing (`Type=notify`): READY once
//! every task runs, RELOADING around a configuration reload, STOPPING on
//! shutdown, and watchdog pings while the scheduler is alive, so that a
//! wedged daemon is restarted rather than left silent. Outside systemd
//! (no `NOTIFY_SOCKET`) every call does nothing.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use sd_notify::NotifyState;
use tokio_util::sync::CancellationToken;

/// Sends `state` to systemd; failures are logged, never fatal.
fn notify(state: &[NotifyState]) {
    if let Err(err) = sd_notify::notify(state) {
        tracing::warn!(error = %err, "cannot notify systemd");
    }
}

/// The daemon is up: every task started and the store is open.
pub fn ready() {
    notify(&[NotifyState::Ready]);
}

/// The daemon is stopping.
pub fn stopping() {
    notify(&[NotifyState::Stopping]);
}

/// A reload starts (`true`) or is done (`false`).
pub fn reloading(started: bool) {
    if started {
        notify(&[
            NotifyState::Reloading,
            // systemd wants the monotonic time with RELOADING=1.
            NotifyState::monotonic_usec_now().unwrap_or(NotifyState::Custom("MONOTONIC_USEC=0")),
        ]);
    } else {
        notify(&[NotifyState::Ready]);
    }
}

/// The last time (seconds on the daemon's clock) the scheduler showed
/// progress; the watchdog pings only while it is recent.
#[derive(Debug, Default, Clone)]
pub struct Heartbeat(Arc<AtomicU64>);

impl Heartbeat {
    /// Records progress now.
    pub fn beat(&self) {
        self.0.store(crate::model::unix_now(), Ordering::Relaxed);
    }

    /// Seconds since the last beat (a large number before the first).
    pub fn age(&self) -> u64 {
        crate::model::unix_now().saturating_sub(self.0.load(Ordering::Relaxed))
    }
}

/// Pings the watchdog at half its interval for as long as the scheduler's
/// heartbeat is younger than the interval (`WatchdogSec=` in the unit);
/// returns at once when the watchdog is off.
pub async fn watchdog(heartbeat: Heartbeat, cancel: CancellationToken) {
    let Some(interval) = sd_notify::watchdog_enabled() else {
        return;
    };
    let period = (interval / 2).max(Duration::from_millis(500));
    loop {
        tokio::select! {
            _ = cancel.cancelled() => return,
            _ = tokio::time::sleep(period) => {}
        }
        if heartbeat.age() <= interval.as_secs().max(1) {
            notify(&[NotifyState::Watchdog]);
        } else {
            tracing::error!(
                silent_secs = heartbeat.age(),
                "the feed scheduler shows no progress; withholding the watchdog ping so that systemd restarts the service"
            );
        }
    }
}
