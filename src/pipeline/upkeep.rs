//! The cadence of periodic upkeep over a period (retention, the duplicate
//! window): a pass every twenty-fourth of the period, but 10 s to an hour
//! apart, so what outlives the period until the next pass is at most about
//! 4% of it. And the pass that drops articles older than the duplicate
//! window from the in-memory indexes, which keeps their memory bounded.

use std::sync::Arc;
use std::time::Duration;

use tokio_util::sync::CancellationToken;

use super::Context;

const LONGEST_GAP: Duration = Duration::from_secs(3600);
const SHORTEST_GAP: Duration = Duration::from_secs(10);

/// The pause between two passes of upkeep over `period`.
pub(super) fn gap(period: Duration) -> Duration {
    (period / 24).clamp(SHORTEST_GAP, LONGEST_GAP)
}

/// Drops what is older than the duplicate window from the indexes.
pub(super) async fn expire_grouping(ctx: Arc<Context>, cancel: CancellationToken) {
    loop {
        // Read each time: a reload may change the window.
        let wait = gap(ctx.config.borrow().dedupe.window);
        tokio::select! {
            _ = cancel.cancelled() => return,
            _ = tokio::time::sleep(wait) => {}
        }
        ctx.grouping
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .expire();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passes_come_more_often_for_a_shorter_period() {
        let day = Duration::from_secs(24 * 3600);
        assert_eq!(gap(30 * day), LONGEST_GAP);
        assert_eq!(gap(day), LONGEST_GAP);
        assert_eq!(gap(Duration::from_secs(1200)), Duration::from_secs(50));
        assert_eq!(gap(Duration::from_secs(60)), SHORTEST_GAP);
    }
}
