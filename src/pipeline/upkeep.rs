//! The cadence of periodic upkeep over a period (retention, the duplicate
//! window): a pass every twenty-fourth of the period, but 10 s to an hour
//! apart, so what outlives the period until the next pass is at most about
//! 4% of it. (The grouping engine expires its in-memory indexes at the same
//! cadence of the duplicate window, as it places articles.)

use std::time::Duration;

const LONGEST_GAP: Duration = Duration::from_secs(3600);
const SHORTEST_GAP: Duration = Duration::from_secs(10);

/// The pause between two passes of upkeep over `period`.
pub(super) fn gap(period: Duration) -> Duration {
    (period / 24).clamp(SHORTEST_GAP, LONGEST_GAP)
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
