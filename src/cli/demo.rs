//! `wirewatch demo`: the real daemon against the library's local seed site,
//! with no internet. It writes an ordinary config and topic file into a
//! temporary directory, runs the normal pipeline (feed poll, page fetch,
//! extraction, storage, matching, signed webhook delivery), prints each
//! alert as the webhook receives it, and stops once every article is in and
//! every alert delivered.

use std::time::Duration;

use anyhow::Context as _;
use wirewatch::Daemon;
use wirewatch::config::Config;
use wirewatch::demo::{SeedSite, seeds};

/// The demo gives up after this long.
const DEADLINE: Duration = Duration::from_secs(60);
const SECRET: &str = "demo-secret";

/// The topics the demo watches, in topic-file form.
pub const DEMO_TOPICS: &str = r#"# Topics of the wirewatch demo.
[[topic]]
name = "korea-summitry"
query = '"Kim Jong Un" AND (Trump OR Washington)'

[[topic]]
name = "stalled-talks"
query = '(negotiations OR talks) AND (stalled OR "broke off") NOT Stockholm'
"#;

/// Run the demo; returns when every seed article is stored and its alerts
/// delivered, on Ctrl-C, or after a minute.
pub async fn run() -> anyhow::Result<()> {
    let on_alert = Box::new(|alert: &serde_json::Value| {
        let field = |k: &str| {
            alert
                .get(k)
                .and_then(|v| v.as_str())
                .unwrap_or("")
                .to_string()
        };
        println!(
            "alert  [{}]  {}\n       {}",
            field("topic"),
            field("title"),
            field("url")
        );
    });
    let site = SeedSite::start(5, Some(SECRET.into()), Some(on_alert))
        .await
        .context("starting the seed site")?;
    let dir = tempfile::tempdir().context("creating a temporary directory")?;
    let config_path = dir.path().join("wirewatch.toml");
    std::fs::write(&config_path, demo_config(&site)).context("writing the demo config")?;
    std::fs::write(dir.path().join("topics.toml"), DEMO_TOPICS)
        .context("writing the demo topics")?;
    let config = Config::load(&config_path)?;
    println!(
        "wirewatch demo: polling {} (5 seed articles), topics:",
        site.feed_url()
    );
    for topic in &config.topics {
        let query = topic.query_text.as_deref().unwrap_or("(weighted terms)");
        println!("  {:<16} {query}", topic.name);
    }
    let daemon = Daemon::start(config).await?;
    let finished = tokio::select! {
        done = wait_until_done(&daemon) => done,
        _ = tokio::time::sleep(DEADLINE) => false,
        _ = tokio::signal::ctrl_c() => false,
    };
    let store = daemon.store();
    let stored = store.article_count();
    let delivered = site.alerts().len();
    daemon.stop().await?;
    site.stop();
    println!(
        "wirewatch demo: {stored} articles stored, {delivered} alerts delivered{}",
        if finished { "" } else { " (stopped early)" }
    );
    Ok(())
}

fn demo_config(site: &SeedSite) -> String {
    format!(
        r#"data_dir = "data"
topic_files = ["topics.toml"]

[fetch]
allow_hosts = ["127.0.0.1"]

[poll]
min_interval = "2s"

[[feed]]
url = "{feed}"
name = "Seed News"

[[sink]]
type = "webhook"
url = "{webhook}"
secret = "{SECRET}"
"#,
        feed = site.feed_url(),
        webhook = site.webhook_url(),
    )
}

/// True once all seeds are stored and no alert waits for delivery.
async fn wait_until_done(daemon: &Daemon) -> bool {
    let all = seeds().len();
    loop {
        tokio::time::sleep(Duration::from_millis(250)).await;
        let store = daemon.store();
        let queued = store.pending("webhook-1", 1).map(|p| p.len()).unwrap_or(1);
        if store.article_count() >= all && queued == 0 {
            return true;
        }
    }
}
