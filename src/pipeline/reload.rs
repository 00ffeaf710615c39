//! Configuration changes while running. A change of the config or a topic
//! file (or SIGHUP) reloads through the same validation as start-up; a valid
//! result replaces the topics and the feed set, an invalid one is logged with
//! every problem and the running configuration stays.

use std::sync::Arc;

use tokio::sync::watch;
use tokio_util::sync::CancellationToken;

use super::{Context, Topics, alerts};
use crate::config::Config;
use crate::config::watch::{DEBOUNCE, FileWatch, watch as watch_files};
use crate::telemetry::{metrics, systemd};

pub(super) async fn run(
    ctx: Arc<Context>,
    topics: watch::Sender<Topics>,
    config: watch::Sender<Arc<Config>>,
    cancel: CancellationToken,
) {
    let mut applied = config.subscribe();
    let mut files = config.borrow().watched_files();
    let mut file_watch = match watch_files(&files) {
        Ok(w) => Some(w),
        Err(err) => {
            tracing::error!(error = %err, "cannot watch the configuration files; reload with SIGHUP");
            None
        }
    };
    let mut hangup = hangup_signal();
    loop {
        tokio::select! {
            _ = cancel.cancelled() => return,
            Ok(()) = applied.changed() => {
                let new = applied.borrow_and_update().clone();
                // A topic file added to (or dropped from) the config is watched from now on.
                if new.watched_files() != files {
                    files = new.watched_files();
                    file_watch = watch_files(&files)
                        .map_err(|err| tracing::error!(error = %err, "cannot watch the configuration files; reload with SIGHUP"))
                        .ok();
                }
                let previous = topics.send_replace(Arc::new(alerts::ActiveTopics::new(&new)));
                if let Err(err) = alerts::backfill(&ctx, &new, &previous) {
                    tracing::error!(error = %err, "backfill of added topics failed");
                }
                tracing::info!(topics = new.topics.len(), feeds = new.feeds.len(), "configuration applied");
            }
            Some(()) = next_change(&mut file_watch) => {
                tokio::time::sleep(DEBOUNCE).await;
                drain(&mut file_watch);
                reload(&ctx, &config);
            }
            Some(()) = next_hangup(&mut hangup) => reload(&ctx, &config),
        }
    }
}

fn reload(ctx: &Context, config: &watch::Sender<Arc<Config>>) {
    let path = ctx.config.borrow().path.clone();
    systemd::reloading(true);
    match Config::load(&path) {
        Ok(new) => {
            tracing::info!(config = %path.display(), "configuration reloaded");
            metrics::reload("applied");
            config.send_replace(Arc::new(new));
        }
        Err(err) => {
            tracing::error!(config = %path.display(), problems = %err, "configuration not reloaded; the running one stays");
            metrics::reload("rejected");
        }
    }
    systemd::reloading(false);
}

async fn next_change(watch: &mut Option<FileWatch>) -> Option<()> {
    match watch {
        Some(w) => w.changes.recv().await,
        None => std::future::pending().await,
    }
}

fn drain(watch: &mut Option<FileWatch>) {
    if let Some(w) = watch {
        while w.changes.try_recv().is_ok() {}
    }
}

#[cfg(unix)]
type Hangup = Option<tokio::signal::unix::Signal>;
#[cfg(not(unix))]
type Hangup = Option<()>;

#[cfg(unix)]
fn hangup_signal() -> Hangup {
    use tokio::signal::unix::{SignalKind, signal};
    match signal(SignalKind::hangup()) {
        Ok(s) => Some(s),
        Err(err) => {
            tracing::warn!(error = %err, "cannot listen for SIGHUP");
            None
        }
    }
}

#[cfg(not(unix))]
fn hangup_signal() -> Hangup {
    None
}

#[cfg(unix)]
async fn next_hangup(hangup: &mut Hangup) -> Option<()> {
    match hangup {
        Some(s) => s.recv().await,
        None => std::future::pending().await,
    }
}

#[cfg(not(unix))]
async fn next_hangup(_: &mut Hangup) -> Option<()> {
    std::future::pending().await
}
