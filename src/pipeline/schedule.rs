//! When to poll a feed next. The promise is to see a new item within a
//! minute, so a feed is polled every `[poll] min_interval` (one conditional
//! GET, usually answered 304) until there is evidence that it is quiet: its
//! newest item, by the item's own published or updated date, is older than
//! a few of its usual gaps between items (at least an hour, at most six).
//! Only then does the wait grow with the silence, up to `max_interval`. A
//! brand-new feed is judged from the dates of its first poll's items, so a
//! feed last updated days ago backs off at once while a fresh one does not.
//!
//! `Retry-After` always wins. `<ttl>`, `Cache-Control: max-age` and
//! `Expires` say how long a copy may be reused, not how often it may be
//! revalidated: they stretch the wait of a quiet feed or of one with its
//! own `interval`, never the min_interval revalidation of a live one. A
//! failing feed backs off exponentially up to `max_interval`. A young item
//! due for a re-check brings the next poll forward.

use std::time::Duration;

use crate::config::PollConfig;
use crate::model::{Entry, rfc3339_secs};
use crate::store::FeedState;

/// New-item arrival times kept per feed for the rate estimate.
pub const ARRIVALS_KEPT: usize = 32;
/// A feed is quiet after this many of its usual gaps without a new item…
const QUIET_GAPS: u64 = 3;
/// …never sooner than this (also the rule while its gap is unknown)…
const QUIET_FLOOR: u64 = 3600;
/// …and always after this long.
const QUIET_CEILING: u64 = 6 * 3600;
/// Once quiet, the wait grows by one second per this many seconds of silence.
const BACKOFF_PER_SILENCE: u64 = 4;
/// Item dates this far in the future are taken as "now" (clock skew, typos).
const FUTURE_SLACK: u64 = 300;

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
    let base = own.unwrap_or_else(|| adaptive(poll, state, now));
    let wanted = match state.consecutive_errors {
        0 => base,
        errors => base.saturating_mul(1 << errors.min(16)),
    };
    let relaxed = own.is_some() || state.consecutive_errors > 0 || base > poll.min_interval;
    let floor = match relaxed {
        true => hints.longest(),
        false => hints.retry_after.unwrap_or_default(),
    };
    let recheck = state.next_recheck.map_or(Duration::MAX, |at| {
        Duration::from_secs(at.saturating_sub(now))
    });
    wanted
        .min(recheck)
        .max(floor)
        .clamp(poll.min_interval, poll.max_interval)
}

/// `min_interval` while the feed is live; once its silence is longer than
/// it is quiet for (see `quiet_after`), a quarter of the silence beyond that.
fn adaptive(poll: &PollConfig, state: &FeedState, now: u64) -> Duration {
    let newest = state.item_times.iter().max().copied();
    let Some(since) = newest.or(state.watched_since) else {
        return poll.min_interval;
    };
    let silence = now.saturating_sub(since);
    let quiet = quiet_after(&state.item_times);
    let beyond = silence.saturating_sub(quiet) / BACKOFF_PER_SILENCE;
    poll.min_interval + Duration::from_secs(beyond)
}

/// Seconds without a new item after which a feed counts as quiet: a few of
/// its usual gaps, within an hour and six.
fn quiet_after(times: &[u64]) -> u64 {
    let (Some(oldest), Some(newest)) = (times.iter().min(), times.iter().max()) else {
        return QUIET_FLOOR;
    };
    if times.len() < 2 {
        return QUIET_FLOOR;
    }
    let gap = (newest - oldest) / (times.len() as u64 - 1);
    gap.saturating_mul(QUIET_GAPS)
        .clamp(QUIET_FLOOR, QUIET_CEILING)
}

/// Record `n` new items seen at `now`, keeping the newest `ARRIVALS_KEPT`.
pub fn record_arrivals(arrivals: &mut Vec<u64>, n: usize, now: u64) {
    arrivals.extend(std::iter::repeat_n(now, n.min(ARRIVALS_KEPT)));
    let excess = arrivals.len().saturating_sub(ARRIVALS_KEPT);
    arrivals.drain(..excess);
}

/// The items' own times (see `item_time`), read before they are processed.
pub fn item_dates(entries: &[Entry], now: u64) -> Vec<u64> {
    entries.iter().filter_map(|e| item_time(e, now)).collect()
}

/// Merge what a fresh poll says about the feed's publishing into `times`:
/// its items' own dates, or `now` for its new items when it dates none of
/// them. Keeps the newest `ARRIVALS_KEPT` distinct times.
pub fn record_items(times: &mut Vec<u64>, dated: Vec<u64>, new_items: usize, now: u64) {
    match dated.is_empty() {
        true => times.extend(std::iter::repeat_n(now, new_items.min(1))),
        false => times.extend(dated),
    }
    times.sort_unstable();
    times.dedup();
    let excess = times.len().saturating_sub(ARRIVALS_KEPT);
    times.drain(..excess);
}

/// An item's own time: its update date, else its publication date; a date
/// in the future counts as now.
fn item_time(entry: &Entry, now: u64) -> Option<u64> {
    let text = entry.updated.as_deref().or(entry.published.as_deref())?;
    let at = rfc3339_secs(text)?;
    (at <= now + FUTURE_SLACK).then_some(at.min(now))
}

/// The wait before a feed's first poll after a start: what is left of the
/// recorded next poll (never more than the schedule now says), and a poll
/// that fell due while the daemon was down runs at once, spread over
/// `spread` so that a restart does not send every request in one burst.
pub fn resume_delay(
    poll: &PollConfig,
    own: Option<Duration>,
    state: &FeedState,
    now: u64,
    spread: Duration,
) -> Duration {
    let jitter = spread.mul_f64(fastrand::f64());
    let Some(next) = state.next_poll.filter(|at| *at > now) else {
        return jitter;
    };
    let left = Duration::from_secs(next - now);
    let scheduled = next_delay(poll, own, state, &Hints::default(), now);
    match state.consecutive_errors {
        0 => left.min(scheduled),
        _ => left.min(poll.max_interval),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MIN: Duration = Duration::from_secs(60);
    const MAX: Duration = Duration::from_secs(3600);
    const NOW: u64 = 1_000_000;

    fn poll() -> PollConfig {
        PollConfig {
            min_interval: MIN,
            max_interval: MAX,
        }
    }

    fn state(item_times: Vec<u64>, errors: u32) -> FeedState {
        FeedState {
            item_times,
            consecutive_errors: errors,
            watched_since: Some(NOW - 10),
            ..FeedState::default()
        }
    }

    fn delay(state: &FeedState, hints: &Hints) -> Duration {
        next_delay(&poll(), None, state, hints, NOW)
    }

    fn dated(published: &str) -> Entry {
        Entry {
            published: Some(published.to_string()),
            ..Entry::default()
        }
    }

    #[test]
    fn a_new_or_busy_feed_is_polled_at_the_minimum() {
        let new = FeedState::default();
        assert_eq!(delay(&new, &Hints::default()), MIN);
        let empty = state(vec![], 0);
        assert_eq!(delay(&empty, &Hints::default()), MIN, "watched for 10 s");
        let busy: Vec<u64> = (0..20).map(|i| NOW - 2000 + i * 100).collect();
        assert_eq!(delay(&state(busy, 0), &Hints::default()), MIN);
        let one_recent = state(vec![NOW - 600], 0);
        assert_eq!(delay(&one_recent, &Hints::default()), MIN);
    }

    #[test]
    fn only_a_long_quiet_feed_backs_off() {
        let days_old = vec![NOW - 4 * 86_400, NOW - 3 * 86_400, NOW - 2 * 86_400];
        assert_eq!(delay(&state(days_old, 0), &Hints::default()), MAX);
        // Hourly items: quiet after three gaps; 4 h of silence is 1 h beyond.
        let hourly: Vec<u64> = (0..5).map(|i| NOW - 4 * 3600 - i * 3600).collect();
        assert_eq!(
            delay(&state(hourly, 0), &Hints::default()),
            MIN + Duration::from_secs(900)
        );
        let mut never_published = state(vec![], 0);
        never_published.watched_since = Some(NOW - 3 * 3600);
        assert_eq!(
            delay(&never_published, &Hints::default()),
            MIN + Duration::from_secs(1800)
        );
    }

    #[test]
    fn retry_after_always_wins_freshness_hints_only_slow_a_quiet_feed() {
        let retry = Hints {
            retry_after: Some(Duration::from_secs(900)),
            ..Hints::default()
        };
        assert_eq!(delay(&state(vec![], 0), &retry), Duration::from_secs(900));
        let ttl = Hints {
            ttl: Some(Duration::from_secs(300)),
            max_age: Some(Duration::from_secs(30)),
            ..Hints::default()
        };
        assert_eq!(delay(&state(vec![NOW - 5], 0), &ttl), MIN, "a live feed");
        let quiet = state(vec![NOW - 4200], 0);
        assert_eq!(delay(&quiet, &ttl), Duration::from_secs(300));
        let own = next_delay(&poll(), Some(MIN * 2), &state(vec![], 0), &ttl, NOW);
        assert_eq!(own, Duration::from_secs(300));
        let short = Hints {
            max_age: Some(Duration::from_secs(5)),
            ..Hints::default()
        };
        assert_eq!(delay(&quiet, &short), MIN + Duration::from_secs(150));
    }

    #[test]
    fn failures_back_off_to_the_maximum() {
        let d = |errors| delay(&state(vec![], errors), &Hints::default());
        assert_eq!(d(1), MIN * 2);
        assert_eq!(d(2), MIN * 4);
        assert_eq!(d(10), MAX);
    }

    #[test]
    fn a_due_recheck_brings_a_quiet_feed_forward() {
        let mut quiet = state(vec![NOW - 86_400], 0);
        quiet.next_recheck = Some(NOW + 120);
        assert_eq!(delay(&quiet, &Hints::default()), Duration::from_secs(120));
        quiet.next_recheck = Some(NOW - 5);
        assert_eq!(delay(&quiet, &Hints::default()), MIN);
    }

    #[test]
    fn item_dates_are_the_evidence_from_the_first_poll() {
        let mut times = Vec::new();
        let now = rfc3339_secs("2026-01-10T12:00:00Z").expect("a time");
        let entries = [
            dated("2026-01-02T12:00:00+00:00"),
            dated("2026-01-01T12:00:00+00:00"),
            dated("2027-01-01T12:00:00Z"),
            Entry::default(),
        ];
        record_items(&mut times, item_dates(&entries, now), 4, now);
        assert_eq!(times.len(), 2, "the far-future date is dropped: {times:?}");
        let state = FeedState {
            item_times: times,
            watched_since: Some(now),
            ..FeedState::default()
        };
        assert_eq!(
            next_delay(&poll(), None, &state, &Hints::default(), now),
            MAX
        );
    }

    #[test]
    fn undated_feeds_fall_back_to_what_was_seen() {
        let mut times = vec![5];
        let undated = [Entry::default(), Entry::default()];
        record_items(&mut times, item_dates(&undated, 9), 2, 9);
        record_items(&mut times, item_dates(&undated[..1], 11), 0, 11);
        assert_eq!(times, vec![5, 9]);
    }

    #[test]
    fn a_restart_runs_overdue_polls_within_the_spread_and_keeps_later_ones() {
        let spread = Duration::from_secs(3);
        let mut overdue = state(vec![NOW - 5], 0);
        overdue.next_poll = Some(NOW - 600);
        assert!(resume_delay(&poll(), None, &overdue, NOW, spread) <= spread);
        let mut quiet = state(vec![NOW - 86_400], 0);
        quiet.next_poll = Some(NOW + 1200);
        let left = resume_delay(&poll(), None, &quiet, NOW, spread);
        assert_eq!(left, Duration::from_secs(1200));
        let mut stale = state(vec![NOW - 5], 0);
        stale.next_poll = Some(NOW + 300);
        assert_eq!(resume_delay(&poll(), None, &stale, NOW, spread), MIN);
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
