//! Retention (`retention = "30d"`): soon after start and then at the
//! cadence `upkeep::gap` gives the period, the store is swept of what is
//! older than the period (see `store::retention`), in batches with pauses
//! between them so that polling and delivery go on meanwhile.

use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use std::time::Duration;

use tokio_util::sync::CancellationToken;

use super::Context;
use super::upkeep::gap;
use crate::dedupe::item_hash;
use crate::model::unix_now;
use crate::store::{StoreError, Sweep};
use crate::telemetry::metrics;

/// The first sweep waits for start-up work to settle (or one gap, if shorter).
const FIRST_SWEEP: Duration = Duration::from_secs(60);
/// Entries looked at per batch, and the pause after each.
const BATCH: usize = 500;
const PAUSE: Duration = Duration::from_millis(20);

pub(super) async fn run(ctx: Arc<Context>, cancel: CancellationToken) {
    let mut wait = ctx
        .config
        .borrow()
        .retention
        .map_or(FIRST_SWEEP, |r| gap(r).min(FIRST_SWEEP));
    loop {
        tokio::select! {
            _ = cancel.cancelled() => return,
            _ = tokio::time::sleep(wait) => {}
        }
        // Read each time: a reload may have turned retention on or off.
        let Some(retention) = ctx.config.borrow().retention else {
            wait = FIRST_SWEEP;
            continue;
        };
        wait = gap(retention);
        let before = unix_now().saturating_sub(retention.as_secs());
        match sweep(&ctx, before, &cancel).await {
            Ok(removed) => {
                let bytes_on_disk = ctx.store.size_on_disk().unwrap_or(0);
                metrics::swept(removed, bytes_on_disk);
                tracing::info!(
                    articles = removed[0],
                    alerts = removed[1],
                    bodies = removed[2],
                    items = removed[3],
                    bytes_on_disk,
                    "retention sweep done"
                );
            }
            Err(err) => tracing::error!(error = %err, "retention sweep failed; will try again"),
        }
    }
}

/// Sweeps every tree once; returns how many entries each lost.
pub(super) async fn sweep(
    ctx: &Context,
    before: u64,
    cancel: &CancellationToken,
) -> Result<[usize; 4], StoreError> {
    let mut removed = [0; 4];
    for (n, what) in Sweep::ALL.into_iter().enumerate() {
        let mut from: Option<Vec<u8>> = None;
        loop {
            let swept = {
                let listed = Listed::new(ctx);
                ctx.store
                    .sweep(what, before, from.as_deref(), BATCH, &|feed, key| {
                        listed.contains(feed, key)
                    })?
            };
            removed[n] += swept.removed;
            from = swept.next;
            if from.is_none() || cancel.is_cancelled() {
                break;
            }
            tokio::time::sleep(PAUSE).await;
        }
    }
    Ok(removed)
}

/// The items each feed listed at its last fresh poll, read once per feed.
struct Listed<'a> {
    ctx: &'a Context,
    /// None for a feed whose state cannot be read: all its items stay.
    feeds: RefCell<HashMap<String, Option<HashSet<u64>>>>,
}

impl<'a> Listed<'a> {
    fn new(ctx: &'a Context) -> Listed<'a> {
        Listed {
            ctx,
            feeds: RefCell::default(),
        }
    }

    fn contains(&self, feed: &str, key: &str) -> bool {
        let mut feeds = self.feeds.borrow_mut();
        let order = feeds.entry(feed.to_string()).or_insert_with(|| {
            let state = self.ctx.store.feed_state(feed).ok()?;
            Some(state.order.into_iter().collect())
        });
        order.as_ref().is_none_or(|o| o.contains(&item_hash(key)))
    }
}
