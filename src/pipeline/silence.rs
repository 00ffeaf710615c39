//! Silence alerts (`[alerts] silence`): a feed that publishes regularly
//! and then goes quiet for much longer than usual is often broken in a way
//! that still answers 200 (an empty or frozen feed, a site that moved its
//! feed, a new paywall). After each successful poll the feed's quiet spell
//! is measured against its usual gap between new items, and one `silence`
//! event per spell goes to every sink.

use std::time::Duration;

use crate::config::{FeedConfig, SilencePolicy};
use crate::model::{AlertId, Event, Silence, secs_rfc3339};
use crate::store::{FeedState, StoreError};

use super::Context;

/// `auto` judges a feed only once it has brought new items this many times.
const MIN_SPELLS: usize = 4;
/// `auto`: silent after this many usual gaps…
const GAPS: u64 = 4;
/// …and never sooner than this.
const AUTO_FLOOR: Duration = Duration::from_secs(3600);

/// How long `state`'s feed may stay quiet before it counts as silent.
pub(super) fn allowed_quiet(policy: SilencePolicy, state: &FeedState) -> Option<Duration> {
    match policy {
        SilencePolicy::Off => None,
        SilencePolicy::After(after) => Some(after),
        SilencePolicy::Auto => {
            // Items found by one poll share its time: count polls, not items.
            let mut times = state.arrivals.clone();
            times.sort_unstable();
            times.dedup();
            if times.len() < MIN_SPELLS {
                return None;
            }
            let span = times[times.len() - 1] - times[0];
            let gap = span / (times.len() as u64 - 1);
            Some(Duration::from_secs(gap * GAPS).max(AUTO_FLOOR))
        }
    }
}

/// Queues a silence event when the feed has been quiet too long and this
/// spell was not reported yet; returns whether it did.
pub(super) fn check(
    ctx: &Context,
    feed: &FeedConfig,
    state: &mut FeedState,
    now: u64,
) -> Result<bool, StoreError> {
    let policy = ctx.config.borrow().alerts.silence;
    let (Some(allowed), Some(&last)) = (allowed_quiet(policy, state), state.arrivals.iter().max())
    else {
        return Ok(false);
    };
    if now.saturating_sub(last) < allowed.as_secs() || state.silence_reported == Some(last) {
        return Ok(false);
    }
    let last_item_at = secs_rfc3339(last);
    let silence = Silence {
        id: AlertId::for_firing(Silence::LABEL, &format!("{}\0{last}", feed.url)),
        feed: feed.url.to_string(),
        feed_name: feed.name.clone(),
        last_item_at: last_item_at.clone(),
        expected_within_secs: allowed.as_secs(),
        raised_at: secs_rfc3339(now),
    };
    ctx.store.queue(&Event::Silence(silence), &ctx.sink_names)?;
    ctx.outbox_ready.iter().for_each(|n| n.notify_one());
    state.silence_reported = Some(last);
    tracing::warn!(feed = %feed.url, last_item_at, quiet_for_secs = now - last, allowed_secs = allowed.as_secs(), "feed silent for longer than usual; silence event queued");
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn state(arrivals: &[u64]) -> FeedState {
        FeedState {
            arrivals: arrivals.to_vec(),
            ..FeedState::default()
        }
    }

    #[test]
    fn auto_waits_for_a_known_rhythm_and_allows_four_gaps() {
        let hour = 3600;
        // Five items at one poll are one spell: the rhythm is not known yet.
        assert_eq!(allowed_quiet(SilencePolicy::Auto, &state(&[10; 5])), None);
        let every_2h: Vec<u64> = (0..6).map(|n| n * 2 * hour).collect();
        assert_eq!(
            allowed_quiet(SilencePolicy::Auto, &state(&every_2h)),
            Some(Duration::from_secs(8 * hour))
        );
        // A busy feed still gets an hour.
        let every_min: Vec<u64> = (0..6).map(|n| n * 60).collect();
        assert_eq!(
            allowed_quiet(SilencePolicy::Auto, &state(&every_min)),
            Some(AUTO_FLOOR)
        );
        assert_eq!(allowed_quiet(SilencePolicy::Off, &state(&every_2h)), None);
        let fixed = SilencePolicy::After(Duration::from_secs(60));
        assert_eq!(
            allowed_quiet(fixed, &state(&[])),
            Some(Duration::from_secs(60))
        );
    }
}
