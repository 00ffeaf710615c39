//! Shared helpers of the integration tests: temporary directories with a
//! config pointing at loopback servers, polling waits, and small extra axum
//! servers (plain routers and a raw TCP canary that counts connections).

use std::future::Future;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use axum::Router;
use tempfile::TempDir;
use tokio::net::TcpListener;
use wirewatch::config::Config;
use wirewatch::demo::SeedSite;

pub mod newsroom;
pub mod receiver;

/// How long any wait gives the daemon before a test fails.
pub const PATIENCE: Duration = Duration::from_secs(20);
/// The secret shared by the daemon's webhook sink and the seed site.
pub const SECRET: &str = "integration-secret";
/// The name of the webhook sink in every generated config.
pub const SINK: &str = "hook";
/// A topic that matches some of the seed articles.
pub const KOREA: (&str, &str) = (
    "korea-summitry",
    r#""Kim Jong Un" AND (Trump OR Washington)"#,
);
/// A topic that matches none of them.
pub const NOTHING: (&str, &str) = ("nothing", "zyzzyva");

/// Log to the test output when `RUST_LOG` is set.
pub fn init_logs() {
    if std::env::var_os("RUST_LOG").is_some() {
        let _already = tracing_subscriber::fmt()
            .with_test_writer()
            .with_env_filter(tracing_subscriber::EnvFilter::from_default_env())
            .try_init();
    }
}

/// What a generated config points at.
#[derive(Default, Clone)]
pub struct Setup {
    pub feeds: Vec<String>,
    /// Webhook URL and secret.
    pub webhook: Option<(String, String)>,
    /// (name, query) pairs.
    pub topics: Vec<(String, String)>,
    /// More TOML appended to the config (whole tables).
    pub extra: String,
}

impl Setup {
    /// The seed site's feed, its signed webhook, and the given topics.
    pub fn seed_site(site: &SeedSite, topics: &[(&str, &str)]) -> Setup {
        Setup {
            feeds: vec![site.feed_url()],
            webhook: Some((site.webhook_url(), SECRET.to_string())),
            topics: topics
                .iter()
                .map(|(n, q)| (n.to_string(), q.to_string()))
                .collect(),
            extra: String::new(),
        }
    }

    /// Poll these feeds too.
    pub fn with_feeds(mut self, feeds: &[String]) -> Setup {
        self.feeds.extend(feeds.iter().cloned());
        self
    }

    /// The config file's text: data in `data/`, loopback allowed, 1 s polls.
    pub fn toml(&self) -> String {
        let mut text = String::from(
            "data_dir = \"data\"\n\n[fetch]\nallow_hosts = [\"127.0.0.1\"]\ntimeout = \"5s\"\n\
             per_domain_concurrency = 8\nper_domain_rate = 1000.0\n\n\
             [poll]\nmin_interval = \"1s\"\nmax_interval = \"4s\"\n",
        );
        for feed in &self.feeds {
            text.push_str(&format!("\n[[feed]]\nurl = \"{feed}\"\n"));
        }
        for (name, query) in &self.topics {
            text.push_str(&format!(
                "\n[[topic]]\nname = \"{name}\"\nquery = '{query}'\n"
            ));
        }
        text.push_str(&self.extra);
        if let Some((url, secret)) = &self.webhook {
            text.push_str(&format!(
                "\n[[sink]]\ntype = \"webhook\"\nname = \"{SINK}\"\nurl = \"{url}\"\nsecret = \"{secret}\"\n"
            ));
        }
        text
    }
}

/// A temporary directory holding a config file and the daemon's data.
pub struct Workspace {
    pub dir: TempDir,
}

impl Workspace {
    pub fn new() -> Workspace {
        Workspace {
            dir: tempfile::tempdir().expect("temporary directory"),
        }
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    pub fn config_path(&self) -> PathBuf {
        self.path("wirewatch.toml")
    }

    /// Write `setup` as the config file and load it.
    pub fn config(&self, setup: &Setup) -> Config {
        let path = self.config_path();
        std::fs::write(&path, setup.toml()).expect("writing the config");
        load(&path)
    }

    /// The config `setup` describes, with this workspace's paths, without
    /// touching the file (for `Daemon::reload`).
    pub fn config_unwritten(&self, setup: &Setup) -> Config {
        Config::from_source(&self.config_path(), &setup.toml())
            .unwrap_or_else(|e| panic!("generated config is invalid:\n{e}"))
    }
}

pub fn load(path: &Path) -> Config {
    Config::load(path).unwrap_or_else(|e| panic!("config {} is invalid:\n{e}", path.display()))
}

/// Poll `cond` every 50 ms until it holds (true) or `timeout` passes (false).
pub async fn wait_until(timeout: Duration, mut cond: impl FnMut() -> bool) -> bool {
    let deadline = tokio::time::Instant::now() + timeout;
    loop {
        if cond() {
            return true;
        }
        if tokio::time::Instant::now() >= deadline {
            return false;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// `wait_until` with `PATIENCE`, panicking with `what` on timeout.
pub async fn expect(what: &str, cond: impl FnMut() -> bool) {
    assert!(
        wait_until(PATIENCE, cond).await,
        "timed out after {PATIENCE:?} waiting until {what}"
    );
}

/// Serve `app` on an ephemeral loopback port for the rest of the test.
pub async fn serve(app: Router) -> SocketAddr {
    serve_on("127.0.0.1:0", app).await
}

pub async fn serve_on(bind: &str, app: Router) -> SocketAddr {
    let listener = TcpListener::bind(bind)
        .await
        .expect("binding a test server");
    let addr = listener.local_addr().expect("local address");
    tokio::spawn(async move { axum::serve(listener, app).await });
    addr
}

/// A counter shared with a server's handlers.
#[derive(Clone, Default)]
pub struct Hits(Arc<AtomicUsize>);

impl Hits {
    pub fn bump(&self) {
        self.0.fetch_add(1, Ordering::SeqCst);
    }

    pub fn get(&self) -> usize {
        self.0.load(Ordering::SeqCst)
    }
}

/// A TCP listener on `ip` that counts every connection it accepts (and
/// closes it): any hit means something dialled an address it must not.
pub async fn canary(ip: &str) -> (SocketAddr, Hits) {
    let listener = TcpListener::bind((ip, 0))
        .await
        .expect("binding the canary");
    let addr = listener.local_addr().expect("canary address");
    let hits = Hits::default();
    let counted = hits.clone();
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            counted.bump();
            drop(stream);
        }
    });
    (addr, hits)
}

/// An RSS document with items (title, link) and no descriptions, so an
/// item whose page cannot be fetched leaves nothing to store.
pub fn rss(items: &[(&str, &str)]) -> String {
    let items: String = items
        .iter()
        .enumerate()
        .map(|(i, (title, link))| {
            format!("<item><title>{title}</title><link>{link}</link><guid>item-{i}</guid></item>")
        })
        .collect();
    format!(
        "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Test</title>\
         <link>http://127.0.0.1/</link><description>test</description>{items}</channel></rss>"
    )
}

/// Run `f` and fail the test if it takes longer than `PATIENCE`.
pub async fn within<T>(what: &str, f: impl Future<Output = T>) -> T {
    tokio::time::timeout(PATIENCE, f)
        .await
        .unwrap_or_else(|_| panic!("timed out after {PATIENCE:?}: {what}"))
}
