//! Counts per day as bars of a small inline SVG chart (drawn by the
//! template from these numbers; no script, no external image).

use std::collections::BTreeMap;

use serde::Serialize;

use crate::model::{secs_rfc3339, unix_now};

/// Drawing size in SVG units.
const WIDTH: u32 = 600;
const HEIGHT: u32 = 90;

#[derive(Debug, Serialize)]
pub(super) struct Bar {
    day: String,
    count: usize,
    x: u32,
    y: u32,
    width: u32,
    height: u32,
}

#[derive(Debug, Serialize)]
pub(super) struct Chart {
    bars: Vec<Bar>,
    max: usize,
    total: usize,
    width: u32,
    height: u32,
    first: String,
    last: String,
}

/// The last `days` days up to today (UTC), each with its count from
/// `per_day` (`YYYY-MM-DD` → count; other days count 0).
pub(super) fn daily(per_day: &BTreeMap<String, usize>, days: u64) -> Chart {
    let today = unix_now() / 86_400;
    let labels: Vec<String> = (0..days)
        .rev()
        .map(|back| {
            secs_rfc3339((today - back.min(today)) * 86_400)
                .chars()
                .take(10)
                .collect()
        })
        .collect();
    let max = labels
        .iter()
        .filter_map(|d| per_day.get(d))
        .copied()
        .max()
        .unwrap_or(0);
    let slot = WIDTH / u32::try_from(days.max(1)).unwrap_or(1);
    let bars = labels
        .iter()
        .enumerate()
        .map(|(i, day)| {
            let count = per_day.get(day).copied().unwrap_or(0);
            let height = scale(count, max);
            Bar {
                day: day.clone(),
                count,
                x: u32::try_from(i).unwrap_or(0) * slot,
                y: HEIGHT - height,
                width: slot.saturating_sub(2).max(1),
                height,
            }
        })
        .collect();
    Chart {
        total: labels.iter().filter_map(|d| per_day.get(d)).sum(),
        first: labels.first().cloned().unwrap_or_default(),
        last: labels.last().cloned().unwrap_or_default(),
        bars,
        max,
        width: WIDTH,
        height: HEIGHT,
    }
}

/// Bar height; a day with any count shows at least a sliver.
fn scale(count: usize, max: usize) -> u32 {
    if count == 0 || max == 0 {
        return 0;
    }
    let h = (count as u64 * u64::from(HEIGHT) / max as u64).max(2);
    u32::try_from(h).unwrap_or(HEIGHT)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thirty_days_end_today_and_the_busiest_fills_the_height() {
        let today: String = secs_rfc3339(unix_now()).chars().take(10).collect();
        let per_day = BTreeMap::from([(today.clone(), 4), ("1999-01-01".to_string(), 9)]);
        let chart = daily(&per_day, 30);
        assert_eq!(chart.bars.len(), 30);
        assert_eq!(chart.last, today);
        assert_eq!(chart.max, 4, "days outside the range do not count");
        assert_eq!(chart.bars[29].height, HEIGHT);
        assert_eq!(chart.bars[0].height, 0);
    }
}
