//! Configuration changes while running. A change of the config or a topic
//! file (or SIGHUP) reloads through the same validation as start-up; a valid
//! result replaces the topics and the feed set, an invalid one is logged with
//! every problem and the running configuration stays. Loading the files,
//! compiling the topics and backfilling added ones run on the blocking
//! pool, since a book of 100,000 topics takes a second or more: meanwhile
//! the old topics go on serving and no worker thread of the runtime is held
//! up, so polls start on time.

use std::sync::Arc;

use tokio::sync::watch;
use tokio_util::sync::CancellationToken;

use super::{Context, Topics, alerts};
use crate::config::Config;
use crate::config::watch::{DEBOUNCE, FileWatch, watch as watch_files};
use crate::net::HttpClient;
use crate::telemetry::{metrics, systemd};

pub(super) async fn run(
    ctx: Arc<Context>,
    topics: watch::Sender<Topics>,
    config: watch::Sender<Arc<Config>>,
    cancel: CancellationToken,
) {
    let mut applied = config.subscribe();
    let mut running = config.borrow().clone();
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
                let Some(compiled) = compile(&new).await else { continue };
                let previous = topics.send_replace(compiled);
                backfill(&ctx, &new, previous).await;
                warn_new_sinks(&ctx, &new);
                warn_restart_keys(&running, &new);
                if new.fetch != running.fetch {
                    apply_fetch(&ctx, &new);
                }
                running = new.clone();
                tracing::info!(topics = new.topics.len(), feeds = new.feeds.len(), "configuration applied");
            }
            Some(()) = next_change(&mut file_watch) => {
                tokio::time::sleep(DEBOUNCE).await;
                drain(&mut file_watch);
                reload(&ctx, &config).await;
            }
            Some(()) = next_hangup(&mut hangup) => reload(&ctx, &config).await,
        }
    }
}

/// The topics of `config`, compiled on the blocking pool; None (logged)
/// if that task failed, and then the old topics stay.
async fn compile(config: &Arc<Config>) -> Option<Topics> {
    let config = config.clone();
    let compiled = tokio::task::spawn_blocking(move || alerts::ActiveTopics::new(&config));
    match compiled.await {
        Ok(topics) => Some(Arc::new(topics)),
        Err(err) => {
            tracing::error!(error = %err, "compiling the topics failed; the running ones stay");
            None
        }
    }
}

/// Matches the topics `config` adds (and wants backfilled) against the
/// stored articles, on the blocking pool: it reads every stored article.
async fn backfill(ctx: &Arc<Context>, config: &Arc<Config>, previous: Topics) {
    let (ctx, config) = (ctx.clone(), config.clone());
    let done = tokio::task::spawn_blocking(move || alerts::backfill(&ctx, &config, &previous));
    match done.await {
        Ok(Ok(_)) => {}
        Ok(Err(err)) => tracing::error!(error = %err, "backfill of added topics failed"),
        Err(err) => tracing::error!(error = %err, "backfill of added topics failed"),
    }
}

async fn reload(ctx: &Context, config: &watch::Sender<Arc<Config>>) {
    let path = ctx.config.borrow().path.clone();
    systemd::reloading(true);
    let load = tokio::task::spawn_blocking({
        let path = path.clone();
        move || Config::load(&path)
    });
    let loaded = match load.await {
        Ok(loaded) => loaded,
        Err(err) => {
            tracing::error!(config = %path.display(), error = %err, "loading the configuration failed; the running one stays");
            metrics::reload("rejected");
            systemd::reloading(false);
            return;
        }
    };
    match loaded {
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

/// Keys read once at start: a change is logged, not applied.
fn warn_restart_keys(running: &Config, new: &Config) {
    let changed = [
        ("data_dir", running.data_dir != new.data_dir),
        ("[admin] listen", running.admin.listen != new.admin.listen),
        ("[web] listen", running.web.listen != new.web.listen),
    ];
    for (key, _) in changed.iter().filter(|(_, changed)| *changed) {
        tracing::warn!(
            key,
            "changed in the config; applies after a restart (restart needed)"
        );
    }
}

/// New fetch settings: a new client and fetcher for every later request
/// (requests under way finish on the old ones; per-domain pacing starts
/// afresh). Sinks rebuild their own clients when they see the change.
fn apply_fetch(ctx: &Context, config: &Config) {
    match HttpClient::new(&config.fetch) {
        Ok(client) => {
            let fetcher = Arc::new(super::fetcher(client, &config.fetch));
            *ctx.fetcher.write().unwrap_or_else(|e| e.into_inner()) = fetcher;
            tracing::info!("fetch settings applied");
        }
        Err(err) => {
            tracing::error!(error = %err, "cannot build a client with the new fetch settings; the old ones stay")
        }
    }
}

/// A sink changed under its name applies at once (its worker follows the
/// config); a sink added under a new name has no worker until a restart.
fn warn_new_sinks(ctx: &Context, config: &Config) {
    for sink in &config.sinks {
        if !ctx.sink_names.contains(&sink.name) {
            tracing::warn!(sink = %sink.name, "sink added; it gets events after a restart (restart needed)");
        }
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};

    use crate::config::Config;

    /// On a single-threaded runtime, a compile that held the thread would
    /// let no other task run until it finished.
    #[tokio::test(flavor = "current_thread")]
    async fn topics_compile_while_other_tasks_run() {
        let source = "data_dir = \"data\"\n[[topic]]\nname = \"a\"\nquery = 'x NEAR/3 y'\n";
        let config = Config::from_source(Path::new("wirewatch.toml"), source).expect("config");
        let ticks = Arc::new(AtomicUsize::new(0));
        let ticker = tokio::spawn({
            let ticks = ticks.clone();
            async move {
                loop {
                    ticks.fetch_add(1, Ordering::SeqCst);
                    tokio::task::yield_now().await;
                }
            }
        });
        let compiled = super::compile(&Arc::new(config)).await;
        assert!(compiled.is_some(), "the topics did not compile");
        assert!(
            ticks.load(Ordering::SeqCst) > 0,
            "no other task ran meanwhile"
        );
        ticker.abort();
    }
}
