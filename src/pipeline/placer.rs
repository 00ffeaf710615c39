//! The one owner of placing: a task that holds the grouping engine and,
//! for each article the fetch tasks obtained, places it in its group and
//! story, stores it, raises its alerts and checks the breaking rule, one
//! article at a time. The ordering rules follow from there being one owner
//! rather than from a lock: two copies arriving at once cannot found two
//! groups, a topic cannot fire twice on one group, a story is reported
//! breaking once. Fetch tasks send articles over a bounded channel (a busy
//! owner slows them down) and wait for the answer, so an item is remembered
//! only once its article is stored.

use std::sync::Arc;

use tokio::sync::{mpsc, oneshot};
use tokio_util::sync::CancellationToken;

use super::grouping::Grouping;
use super::{Context, alerts, breaking};
use crate::dedupe::Fingerprint;
use crate::model::{Article, now_rfc3339_millis};
use crate::store::StoreError;
use crate::telemetry::metrics;

/// Articles waiting for the owner; fetch tasks wait beyond this.
const QUEUE: usize = 64;

/// An article obtained and keyed, not yet placed.
pub(super) struct Unplaced {
    pub article: Article,
    pub fingerprint: Fingerprint,
    /// The stored version, when this is an update.
    pub previous: Option<Article>,
}

struct Request {
    unplaced: Unplaced,
    done: oneshot::Sender<Result<(), StoreError>>,
}

/// The fetch tasks' end of the channel.
#[derive(Clone)]
pub(crate) struct Placer {
    requests: mpsc::Sender<Request>,
}

/// The owner's end, until the owner task takes it.
pub(super) struct Owner {
    requests: mpsc::Receiver<Request>,
    grouping: Grouping,
}

/// A placer and its owner, to be run by [`run`].
pub(super) fn channel(grouping: Grouping) -> (Placer, Owner) {
    let (tx, rx) = mpsc::channel(QUEUE);
    (
        Placer { requests: tx },
        Owner {
            requests: rx,
            grouping,
        },
    )
}

impl Placer {
    /// Places and stores an article, raising what it deserves. False when
    /// the daemon is stopping and the article was not stored (its item is
    /// then not remembered, so it is taken again after the restart).
    pub(super) async fn place(&self, unplaced: Unplaced) -> Result<bool, StoreError> {
        let (done, answer) = oneshot::channel();
        if self
            .requests
            .send(Request { unplaced, done })
            .await
            .is_err()
        {
            return Ok(false);
        }
        match answer.await {
            Ok(result) => result.map(|()| true),
            Err(_) => Ok(false),
        }
    }
}

/// The owner task: places articles until cancelled.
pub(super) async fn run(ctx: Arc<Context>, mut owner: Owner, cancel: CancellationToken) {
    loop {
        let request = tokio::select! {
            _ = cancel.cancelled() => return,
            request = owner.requests.recv() => request,
        };
        let Some(Request { unplaced, done }) = request else {
            return;
        };
        let window = ctx.config.borrow().dedupe.window;
        owner.grouping.set_window(window);
        let result = place(&ctx, &mut owner.grouping, unplaced);
        if done.send(result).is_err() {
            // Its fetch task was cancelled meanwhile; the article is stored either way.
            tracing::debug!("article placed after its fetch task stopped");
        }
    }
}

/// Places, stores and raises for one article.
fn place(ctx: &Context, grouping: &mut Grouping, unplaced: Unplaced) -> Result<(), StoreError> {
    let Unplaced {
        mut article,
        fingerprint,
        previous,
    } = unplaced;
    // Stamped here, in placing order, so that exports sorted by first_seen
    // replay the order in which groups were formed.
    article.last_seen = now_rfc3339_millis();
    if previous.is_none() {
        article.first_seen = article.last_seen.clone();
    }
    let placed = grouping.place(&ctx.store, &article, &fingerprint, previous.as_ref())?;
    for &from in &placed.merged {
        alerts::carry_over(ctx, from, placed.group)?;
    }
    let article = Article {
        group: placed.group,
        story: placed.story,
        ..article
    };
    // Alerts before the article: raising one flushes the store, so an
    // article that survives a crash has its alerts queued; the reverse
    // would leave a stored text that no later visit alerts on.
    alerts::raise(ctx, &article, placed.joined)?;
    ctx.store.put_article(&article)?;
    metrics::article_stored(if previous.is_some() { "update" } else { "new" });
    tracing::debug!(feed = %article.feed, url = %article.url, group = %article.group, "article stored");
    breaking::check(ctx, grouping, &article)?;
    Ok(())
}
