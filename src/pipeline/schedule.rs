//! When to poll a feed next. A healthy feed is polled at an interval that
//! follows its publishing rate (about twice per expected new item), never
//! sooner than the server allows: the largest of that interval, the feed's
//! own `interval`, RSS `<ttl>`, `Cache-Control: max-age`, `Expires` and
//! `Retry-After`, clamped to `[poll] min_interval ..= max_interval`. A
//! failing feed backs off exponentially up to `max_interval`. Servers can
//! slow wirewatch down, never speed it up.

use std::time::Duration;

use crate::config::PollConfig;
use crate::store::FeedState;

/// New-item arrival times kept per feed for the rate estimate.
pub const ARRIVALS_KEPT: usize = 32;
/// Arrivals needed before the rate says anything.
const MIN_ARRIVALS: usize = 3;

/// What the last response said about when to come back.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Hints {
    pub ttl: Option<Duration>,
    pub max_age: Option<Duration>,
    pub expires: Option<Duration>,
    pub retry_after: Option<Duration>,
}

impl Hints {
    fn longest(&self) -> Duration {
        [self.ttl, self.max_age, self.expires, self.retry_after]
            .into_iter()
            .flatten()
            .max()
            .unwrap_or_default()
    }
}

/// The wait before the next poll of a feed whose state is `state` (after
/// this poll), with its own configured interval `own`, at unix time `now`.
pub fn next_delay(
    poll: &PollConfig,
    own: Option<Duration>,
    state: &FeedState,
    hints: &Hints,
    now: u64,
) -> Duration {
    let base = own.unwrap_or_else(|| adaptive(poll, &state.arrivals, now));
    let wanted = match state.consecutive_errors {
        0 => base,
        errors => base.saturating_mul(1 << errors.min(16)),
    };
    wanted
        .max(hints.longest())
        .clamp(poll.min_interval, poll.max_interval)
}

/// Half the mean time between new items over the arrivals kept, counting
/// the silence since the last one (so a feed that stops publishing is
/// polled less and less often); the configured interval until enough items
/// were seen.
fn adaptive(poll: &PollConfig, arrivals: &[u64], now: u64) -> Duration {
    if arrivals.len() < MIN_ARRIVALS {
        return poll.interval;
    }
    let oldest = arrivals.iter().min().copied().unwrap_or(now);
    let span = now.saturating_sub(oldest).max(1);
    Duration::from_secs_f64(span as f64 / arrivals.len() as f64 / 2.0)
}

/// Record `n` new items seen at `now`, keeping the newest `ARRIVALS_KEPT`.
pub fn record_arrivals(arrivals: &mut Vec<u64>, n: usize, now: u64) {
    arrivals.extend(std::iter::repeat_n(now, n.min(ARRIVALS_KEPT)));
    let excess = arrivals.len().saturating_sub(ARRIVALS_KEPT);
    arrivals.drain(..excess);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn poll() -> PollConfig {
        PollConfig {
            min_interval: Duration::from_secs(60),
            interval: Duration::from_secs(300),
            max_interval: Duration::from_secs(3600),
        }
    }

    fn state(arrivals: Vec<u64>, errors: u32) -> FeedState {
        FeedState {
            arrivals,
            consecutive_errors: errors,
            ..FeedState::default()
        }
    }

    #[test]
    fn a_busy_feed_is_polled_often_a_quiet_one_rarely() {
        let now = 100_000;
        let busy: Vec<u64> = (0..20).map(|i| now - 2000 + i * 100).collect();
        let d = next_delay(&poll(), None, &state(busy, 0), &Hints::default(), now);
        assert_eq!(
            d,
            Duration::from_secs(60),
            "2000 s / 20 items / 2 = 50 s, clamped to min"
        );
        let quiet = vec![now - 86_400, now - 80_000, now - 70_000];
        let d = next_delay(&poll(), None, &state(quiet, 0), &Hints::default(), now);
        assert_eq!(d, Duration::from_secs(3600));
        let unknown = next_delay(&poll(), None, &state(vec![], 0), &Hints::default(), now);
        assert_eq!(unknown, Duration::from_secs(300));
    }

    #[test]
    fn servers_can_slow_polling_down_but_not_speed_it_up() {
        let ttl = Hints {
            ttl: Some(Duration::from_secs(900)),
            ..Hints::default()
        };
        assert_eq!(
            next_delay(&poll(), None, &state(vec![], 0), &ttl, 0),
            Duration::from_secs(900)
        );
        let short = Hints {
            max_age: Some(Duration::from_secs(5)),
            ..Hints::default()
        };
        assert_eq!(
            next_delay(&poll(), None, &state(vec![], 0), &short, 0),
            Duration::from_secs(300)
        );
    }

    #[test]
    fn failures_back_off_to_the_maximum() {
        let d = |errors| next_delay(&poll(), None, &state(vec![], errors), &Hints::default(), 0);
        assert_eq!(d(1), Duration::from_secs(600));
        assert_eq!(d(2), Duration::from_secs(1200));
        assert_eq!(d(10), Duration::from_secs(3600));
    }

    #[test]
    fn arrivals_keep_only_the_newest() {
        let mut arrivals = Vec::new();
        record_arrivals(&mut arrivals, 5000, 7);
        record_arrivals(&mut arrivals, 2, 9);
        assert_eq!(arrivals.len(), ARRIVALS_KEPT);
        assert_eq!(arrivals[ARRIVALS_KEPT - 1], 9);
    }
}
