//! The daemon: the only module that knows every stage and wires them
//! together. Feed tasks poll (`feeds`), each new item goes through one recipe
//! (`ingest`), matches raise alerts into the store's outbox (`alerts`),
//! per-sink workers drain it (`delivery`), alerts of digest topics are held
//! and sent once per window (`digest`), configuration changes are applied
//! while running (`reload`), operators look in through the admin
//! endpoint (`admin`), and people through the web page (`crate::web`).

mod admin;
mod alerts;
mod breaking;
#[cfg(unix)]
mod control;
mod delivery;
mod digest;
mod feeds;
mod grouping;
mod ingest;
mod page;
mod placer;
mod reload;
mod retention;
mod schedule;
mod silence;
mod upkeep;

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::{Notify, watch};
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

use crate::alert::Sink;
use crate::config::{Config, SinkConfig};
use crate::fetch::Fetcher;
use crate::fetch::polite::Limits;
use crate::fetch::robots::Robots;
use crate::net::{HttpClient, NetError};
use crate::store::{Store, StoreError};
use crate::telemetry::systemd::{self, Heartbeat};

/// How long shutdown waits for tasks to finish their current step.
const SHUTDOWN_DEADLINE: Duration = Duration::from_secs(5);

/// Why the daemon could not start.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Net(#[from] NetError),
    #[error("cannot listen for the admin endpoint on {addr}: {source}")]
    Admin {
        addr: std::net::SocketAddr,
        source: std::io::Error,
    },
    #[error(transparent)]
    Web(#[from] crate::web::WebError),
    #[error("cannot create the data directory {path}: {source}")]
    DataDir {
        path: std::path::PathBuf,
        source: std::io::Error,
    },
}

/// The topics in force, swapped whole on reload.
pub(crate) type Topics = Arc<alerts::ActiveTopics>;

/// What every task of the daemon shares.
pub(crate) struct Context {
    pub store: Store,
    pub topics: watch::Receiver<Topics>,
    /// Feeds and pages go through it: global and per-domain limits.
    /// Replaced whole when the fetch settings change (see `fetcher()`).
    pub fetcher: std::sync::RwLock<Arc<Fetcher>>,
    /// robots.txt of the sites whose pages are fetched.
    pub robots: Robots,
    /// Pages whose failure was already reported.
    pub reported: page::Reported,
    pub sink_names: Vec<String>,
    /// Wakes the delivery workers when alerts are queued.
    pub outbox_ready: Vec<Arc<Notify>>,
    /// Wakes the digest task when an alert is held (it may open a window).
    pub digest_ready: Arc<Notify>,
    pub config: watch::Receiver<Arc<Config>>,
    /// Places obtained articles: the one owner of the grouping engine.
    pub placer: placer::Placer,
    /// Beaten by the feed scheduler while it runs.
    pub heartbeat: Heartbeat,
}

impl Context {
    /// The fetcher in force; a request keeps the one it started with.
    pub fn fetcher(&self) -> Arc<Fetcher> {
        self.fetcher
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }
}

/// A fetcher over `client` with the global and per-domain limits of `fetch`.
fn fetcher(client: HttpClient, fetch: &crate::config::FetchConfig) -> Fetcher {
    let limits = Limits {
        concurrency: fetch.per_domain_concurrency,
        rate: fetch.per_domain_rate,
    };
    Fetcher::new(client, fetch.concurrency, limits)
}

/// A running daemon.
pub struct Daemon {
    store: Store,
    cancel: CancellationToken,
    tracker: TaskTracker,
    config: watch::Sender<Arc<Config>>,
}

impl Daemon {
    /// Open the store and start every task.
    pub async fn start(config: Config) -> Result<Daemon, StartError> {
        std::fs::create_dir_all(&config.data_dir).map_err(|source| StartError::DataDir {
            path: config.data_dir.clone(),
            source,
        })?;
        if config.admin.listen.is_some() {
            // Before any task runs, so that no count is lost.
            crate::telemetry::metrics::install();
        }
        let store = Store::open(&config.data_dir)?;
        let grouping = grouping::Grouping::rebuild(&store, config.dedupe.window)?;
        let (placer, placing) = placer::channel(grouping);
        let client = HttpClient::new(&config.fetch)?;
        let sinks: Vec<(SinkConfig, Sink)> = config
            .sinks
            .iter()
            .map(|s| (s.clone(), Sink::new(s, &client)))
            .collect();
        let (topics_tx, topics_rx) = watch::channel(Arc::new(alerts::ActiveTopics::new(&config)));
        let (config_tx, config_rx) = watch::channel(Arc::new(config.clone()));
        let notifies: Vec<Arc<Notify>> = sinks.iter().map(|_| Arc::new(Notify::new())).collect();
        let digest_ready = Arc::new(Notify::new());
        let ctx = Arc::new(Context {
            store: store.clone(),
            topics: topics_rx,
            fetcher: std::sync::RwLock::new(Arc::new(fetcher(client.clone(), &config.fetch))),
            sink_names: sinks.iter().map(|(s, _)| s.name.clone()).collect(),
            outbox_ready: notifies.clone(),
            digest_ready: digest_ready.clone(),
            config: config_rx,
            placer,
            robots: Robots::default(),
            reported: page::Reported::default(),
            heartbeat: Heartbeat::default(),
        });
        ctx.heartbeat.beat();
        let cancel = CancellationToken::new();
        let tracker = TaskTracker::new();
        for (sink, ready) in sinks.into_iter().zip(notifies) {
            let worker = delivery::run(ctx.clone(), sink, client.clone(), ready, cancel.clone());
            tracker.spawn(worker);
        }
        tracker.spawn(placer::run(ctx.clone(), placing, cancel.clone()));
        tracker.spawn(digest::run(ctx.clone(), digest_ready, cancel.clone()));
        tracker.spawn(feeds::run(ctx.clone(), tracker.clone(), cancel.clone()));
        tracker.spawn(retention::run(ctx.clone(), cancel.clone()));
        #[cfg(unix)]
        if let Some(socket) = control::bind(&config.data_dir) {
            tracker.spawn(control::run(ctx.clone(), socket, cancel.clone()));
        }
        if let Some(listen) = config.admin.listen {
            let listener = admin::bind(listen).await?;
            tracker.spawn(admin::serve(ctx.clone(), listener, cancel.clone()));
        }
        if let Some(listen) = config.web.listen {
            let listener = crate::web::bind(listen).await?;
            let config = ctx.config.clone();
            tracker.spawn(crate::web::serve(
                store.clone(),
                config,
                listener,
                cancel.clone(),
            ));
        }
        tracker.spawn(systemd::watchdog(ctx.heartbeat.clone(), cancel.clone()));
        tracker.spawn(reload::run(
            ctx.clone(),
            topics_tx,
            config_tx.clone(),
            cancel.clone(),
        ));
        tracing::info!(
            feeds = config.feeds.len(),
            opml = config.opml.len(),
            topics = config.topics.len(),
            sinks = config.sinks.len(),
            data_dir = %config.data_dir.display(),
            "wirewatch started"
        );
        systemd::ready();
        Ok(Daemon {
            store,
            cancel,
            tracker,
            config: config_tx,
        })
    }

    /// The daemon's store, for reading what it has done.
    pub fn store(&self) -> &Store {
        &self.store
    }

    /// Apply a new configuration, as a file change or SIGHUP would.
    pub fn reload(&self, config: Config) {
        self.config.send_replace(Arc::new(config));
    }

    /// Stop every task, waiting at most a few seconds, and flush the store.
    pub async fn stop(self) -> Result<(), StoreError> {
        systemd::stopping();
        self.cancel.cancel();
        self.tracker.close();
        if tokio::time::timeout(SHUTDOWN_DEADLINE, self.tracker.wait())
            .await
            .is_err()
        {
            tracing::warn!("some tasks did not stop within {SHUTDOWN_DEADLINE:?}; stopping anyway");
        }
        self.store.flush().await?;
        tracing::info!("wirewatch stopped");
        Ok(())
    }
}

/// Run the daemon until `shutdown` completes.
pub async fn run(config: Config, shutdown: impl Future<Output = ()>) -> Result<(), StartError> {
    let daemon = Daemon::start(config).await?;
    shutdown.await;
    daemon.stop().await?;
    Ok(())
}
