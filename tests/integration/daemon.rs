//! The daemon end to end against the seed site: polling, extraction,
//! storage, matching and signed delivery; conditional GET; restarts; a broken
//! feed beside a good one; export while running; hot reload of topics.

use std::collections::HashSet;

use axum::Router;
use axum::routing::get;
use wirewatch::Daemon;
use wirewatch::demo::{SeedSite, seeds};
use wirewatch::model::Article;

use crate::support::{
    self, Hits, KOREA, NOTHING, SECRET, SINK, Setup, Workspace, expect, init_logs, within,
};

async fn seed_site(released: usize) -> SeedSite {
    SeedSite::start(released, Some(SECRET.into()), None)
        .await
        .expect("starting the seed site")
}

async fn start(config: wirewatch::config::Config) -> Daemon {
    Daemon::start(config).await.expect("starting the daemon")
}

async fn stop(daemon: Daemon) {
    within("stopping the daemon", daemon.stop())
        .await
        .expect("stopping the daemon");
}

/// True once `articles` articles are stored, a poll of `feed` completed after
/// them (so every alert they deserve is raised) and every raised alert was
/// accepted by the site.
fn settled(daemon: &Daemon, site: &SeedSite, feed: &str, articles: usize) -> bool {
    let store = daemon.store();
    let polled = store
        .feed_state(feed)
        .is_ok_and(|s| s.last_success.is_some());
    let queued = store.pending(SINK, 1).map_or(1, |p| p.len());
    polled
        && store.article_count() == articles
        && queued == 0
        && site.alerts().len() == store.fired().count()
}

fn stored(daemon: &Daemon) -> Vec<Article> {
    daemon
        .store()
        .articles()
        .collect::<Result<_, _>>()
        .expect("reading the stored articles")
}

/// Run the korea topic over all five seeds until every alert is delivered.
async fn run_to_completion(ws: &Workspace, site: &SeedSite) -> Daemon {
    let daemon = start(ws.config(&Setup::seed_site(site, &[KOREA]))).await;
    let feed = site.feed_url();
    expect("all five seeds are stored and alerted", || {
        settled(&daemon, site, &feed, 5)
    })
    .await;
    daemon
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn seeds_are_stored_matched_and_delivered_signed() {
    init_logs();
    let site = seed_site(5).await;
    let ws = Workspace::new();
    let daemon = run_to_completion(&ws, &site).await;

    let alerts = site.alerts();
    assert!(!alerts.is_empty(), "no alert for korea-summitry");
    assert_eq!(site.rejected(), 0, "the site refused a signature");
    assert_eq!(daemon.store().article_count(), 5);
    let prefix = format!("http://{}/articles/", site.addr);
    for alert in &alerts {
        for field in [
            "id",
            "topic",
            "url",
            "title",
            "published",
            "feed",
            "snippet",
        ] {
            let value = alert[field].as_str().unwrap_or("");
            assert!(!value.is_empty(), "alert field {field} is empty: {alert}");
        }
        assert_eq!(alert["event"], "alert");
        assert_eq!(alert["topic"], KOREA.0);
        assert_eq!(alert["feed"], site.feed_url());
        assert!(
            alert["url"].as_str().unwrap().starts_with(&prefix),
            "{alert}"
        );
        let matched = alert["matched"].as_array().expect("matched is an array");
        assert!(
            matched
                .iter()
                .any(|m| m.as_str().is_some_and(|m| m.contains("Kim Jong Un"))),
            "matched lacks the required phrase: {alert}"
        );
    }
    let pairs: HashSet<(String, String)> = alerts
        .iter()
        .map(|a| (a["topic"].to_string(), a["group"].to_string()))
        .collect();
    assert_eq!(pairs.len(), alerts.len(), "a (topic, group) alerted twice");
    let ids: HashSet<&str> = alerts.iter().filter_map(|a| a["id"].as_str()).collect();
    assert_eq!(ids.len(), alerts.len(), "an alert id repeats");
    stop(daemon).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unchanged_feed_is_not_refetched_or_restored() {
    init_logs();
    let site = seed_site(5).await;
    let ws = Workspace::new();
    let daemon = run_to_completion(&ws, &site).await;

    let pages = site
        .counters()
        .pages
        .load(std::sync::atomic::Ordering::SeqCst);
    let before = stored(&daemon);
    let not_modified = || {
        site.counters()
            .not_modified
            .load(std::sync::atomic::Ordering::SeqCst)
    };
    let first = not_modified();
    expect("two more polls answered 304", || {
        not_modified() >= first + 2
    })
    .await;

    assert_eq!(
        site.counters()
            .pages
            .load(std::sync::atomic::Ordering::SeqCst),
        pages,
        "article pages fetched again after a 304"
    );
    assert_eq!(
        stored(&daemon),
        before,
        "stored articles changed after a 304"
    );
    stop(daemon).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn restart_sends_no_alert_twice() {
    init_logs();
    let site = seed_site(5).await;
    let ws = Workspace::new();
    let daemon = run_to_completion(&ws, &site).await;
    stop(daemon).await;
    let delivered = site.alerts().len();
    let not_modified = || {
        site.counters()
            .not_modified
            .load(std::sync::atomic::Ordering::SeqCst)
    };
    let first = not_modified();

    let daemon = start(support::load(&ws.config_path())).await;
    // The stored ETag is sent again: the restarted daemon knows the feed.
    expect("the restarted daemon polls twice with its ETag", || {
        not_modified() >= first + 2
    })
    .await;
    assert_eq!(daemon.store().article_count(), 5);
    assert_eq!(daemon.store().pending(SINK, 10).unwrap().len(), 0);
    assert_eq!(site.alerts().len(), delivered, "an alert was sent again");
    stop(daemon).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn restart_reprocessing_the_same_articles_does_not_realert() {
    init_logs();
    let site = seed_site(5).await;
    let ws = Workspace::new();
    let daemon = run_to_completion(&ws, &site).await;
    stop(daemon).await;
    let delivered = site.alerts().len();
    let pages = || {
        site.counters()
            .pages
            .load(std::sync::atomic::Ordering::SeqCst)
    };
    let pages_before = pages();

    // The same feed under another URL: its items are new to the daemon, so
    // every page is fetched and matched again, but each group already fired.
    let again = format!("{}?again=1", site.feed_url());
    let setup = Setup {
        feeds: vec![again.clone()],
        ..Setup::seed_site(&site, &[KOREA])
    };
    let daemon = start(ws.config(&setup)).await;
    expect("the articles were processed again", || {
        pages() >= pages_before + 5 && settled(&daemon, &site, &again, 5)
    })
    .await;
    assert_eq!(daemon.store().article_count(), 5, "same canonical URLs");
    assert_eq!(site.alerts().len(), delivered, "a group alerted twice");
    stop(daemon).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn malformed_feed_does_not_stop_a_good_one() {
    init_logs();
    let site = seed_site(5).await;
    let broken_hits = Hits::default();
    let hits = broken_hits.clone();
    let app = Router::new().route(
        "/broken.xml",
        get(move || async move {
            hits.bump();
            (
                [("content-type", "application/rss+xml")],
                // Sloppy XML is read; a page that is no feed at all is not.
                "<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>",
            )
        }),
    );
    let broken = format!("http://{}/broken.xml", support::serve(app).await);
    let ws = Workspace::new();
    let setup = Setup::seed_site(&site, &[KOREA]).with_feeds(std::slice::from_ref(&broken));
    let daemon = start(ws.config(&setup)).await;
    let feed = site.feed_url();

    expect("the good feed is alerted", || {
        settled(&daemon, &site, &feed, 5)
    })
    .await;
    expect("the broken feed is retried", || broken_hits.get() >= 2).await;
    let not_modified = || {
        site.counters()
            .not_modified
            .load(std::sync::atomic::Ordering::SeqCst)
    };
    let seen = not_modified();
    expect("the good feed is still polled", || not_modified() > seen).await;

    assert!(!site.alerts().is_empty());
    let state = daemon.store().feed_state(&broken).unwrap();
    assert!(state.consecutive_errors >= 1, "{state:?}");
    assert!(state.last_success.is_none(), "{state:?}");
    assert!(state.last_error.is_some(), "{state:?}");
    assert!(
        daemon
            .store()
            .feed_state(&feed)
            .unwrap()
            .last_error
            .is_none()
    );
    stop(daemon).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn export_while_running_lists_every_article() {
    init_logs();
    let site = seed_site(5).await;
    let ws = Workspace::new();
    let daemon = run_to_completion(&ws, &site).await;
    let config = support::load(&ws.config_path());

    // The daemon holds the database; export must go through its socket.
    let mut out: Vec<u8> = Vec::new();
    within(
        "export",
        wirewatch::control::run(&config, &wirewatch::control::Request::Export, &mut out),
    )
    .await
    .expect("export while the daemon runs");
    let text = String::from_utf8(out).expect("UTF-8 export");
    let lines: Vec<serde_json::Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).expect("one JSON object per line"))
        .collect();
    assert_eq!(lines.len(), 5, "{text}");
    let fields = [
        "url",
        "final_url",
        "canonical_url",
        "title",
        "text",
        "published",
        "feed",
        "group",
    ];
    for article in &lines {
        for field in fields {
            let value = article[field].as_str().unwrap_or("");
            assert!(!value.is_empty(), "field {field} is empty: {article}");
        }
        let canonical = article["canonical_url"].as_str().unwrap();
        assert!(!canonical.contains("utm_"), "{canonical}");
        assert!(article["url"].as_str().unwrap().contains("utm_source"));
    }
    let urls: HashSet<&str> = lines
        .iter()
        .filter_map(|a| a["canonical_url"].as_str())
        .collect();
    assert_eq!(urls.len(), 5);
    stop(daemon).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reloaded_topics_apply_to_later_articles() {
    init_logs();
    let site = seed_site(2).await;
    let ws = Workspace::new();
    let daemon = start(ws.config(&Setup::seed_site(&site, &[NOTHING]))).await;
    let feed = site.feed_url();
    expect("the first two seeds are stored", || {
        settled(&daemon, &site, &feed, 2)
    })
    .await;
    assert_eq!(daemon.store().fired().count(), 0, "the first topic matched");

    daemon.reload(ws.config_unwritten(&Setup::seed_site(&site, &[NOTHING, KOREA])));
    // One poll after the reload: the new topics are in force by then.
    let polls = || {
        site.counters()
            .feed
            .load(std::sync::atomic::Ordering::SeqCst)
    };
    let seen = polls();
    expect("a poll after the reload", || polls() > seen).await;
    site.release(5);
    expect("the later seeds are stored and alerted", || {
        settled(&daemon, &site, &feed, 5) && !site.alerts().is_empty()
    })
    .await;

    let later: Vec<String> = seeds()[2..]
        .iter()
        .map(|s| format!("/articles/{}.html", s.id))
        .collect();
    for alert in site.alerts() {
        assert_eq!(alert["topic"], KOREA.0);
        let url = alert["url"].as_str().unwrap();
        assert!(
            later.iter().any(|p| url.contains(p.as_str())),
            "alert for an article processed before the reload: {url}"
        );
    }
    stop(daemon).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_topic_added_with_backfill_alerts_on_stored_articles() {
    init_logs();
    let site = seed_site(2).await;
    let ws = Workspace::new();
    let daemon = start(ws.config(&Setup::seed_site(&site, &[NOTHING]))).await;
    let feed = site.feed_url();
    expect("the first two seeds are stored", || {
        settled(&daemon, &site, &feed, 2)
    })
    .await;
    assert!(site.alerts().is_empty());

    let mut setup = Setup::seed_site(&site, &[NOTHING]);
    setup.extra = format!(
        "\n[[topic]]\nname = \"{}\"\nquery = '{}'\nbackfill = \"24h\"\n",
        KOREA.0, KOREA.1
    );
    daemon.reload(ws.config_unwritten(&setup));
    // No seed is released after the reload: only the backfill can alert.
    expect("both stored seeds alert under the added topic", || {
        site.alerts().len() == 2
    })
    .await;
    assert!(site.alerts().iter().all(|a| a["topic"] == KOREA.0));
    stop(daemon).await;
}

/// Write `text` to `path` the way many editors save: a temporary file renamed over it.
fn save_by_rename(path: &std::path::Path, text: &str) {
    let tmp = path.with_extension("swp");
    std::fs::write(&tmp, text).expect("writing the temporary file");
    std::fs::rename(&tmp, path).expect("renaming over the file");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn topic_file_edits_apply_while_running_and_a_bad_edit_keeps_the_running_topics() {
    init_logs();
    let site = seed_site(2).await;
    let ws = Workspace::new();
    let topics = ws.path("topics.toml");
    std::fs::write(
        &topics,
        "[[topic]]\nname = \"nothing\"\nquery = 'zyzzyva'\n",
    )
    .unwrap();
    // topic_files is a top-level key, so it goes before the tables.
    let text = format!(
        "topic_files = [\"topics.toml\"]\n{}",
        Setup::seed_site(&site, &[]).toml()
    );
    std::fs::write(ws.config_path(), text).unwrap();
    let daemon = start(support::load(&ws.config_path())).await;
    let feed = site.feed_url();
    expect("the first two seeds are stored", || {
        settled(&daemon, &site, &feed, 2)
    })
    .await;

    // A broken edit is refused; the running topic stays.
    save_by_rename(
        &topics,
        "[[topic]]\nname = \"broken\"\nquery = '\"unclosed'\n",
    );
    tokio::time::sleep(std::time::Duration::from_millis(800)).await;
    // The fix, saved by rename too, applies without a restart.
    let korea = format!("[[topic]]\nname = \"{}\"\nquery = '{}'\n", KOREA.0, KOREA.1);
    save_by_rename(&topics, &korea);
    let polls = || {
        site.counters()
            .feed
            .load(std::sync::atomic::Ordering::SeqCst)
    };
    tokio::time::sleep(std::time::Duration::from_millis(800)).await;
    let seen = polls();
    expect("a poll after the reload", || polls() > seen).await;
    site.release(5);
    expect("the later seeds alert under the edited topic", || {
        settled(&daemon, &site, &feed, 5) && !site.alerts().is_empty()
    })
    .await;
    assert!(site.alerts().iter().all(|a| a["topic"] == KOREA.0));
    stop(daemon).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn changed_fetch_settings_apply_to_the_next_poll_without_a_restart() {
    init_logs();
    let agents = std::sync::Arc::new(std::sync::Mutex::new(Vec::<String>::new()));
    let seen = agents.clone();
    let app = Router::new().route(
        "/feed.xml",
        get(move |headers: axum::http::HeaderMap| {
            let agent = headers
                .get("user-agent")
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default()
                .to_string();
            seen.lock().unwrap().push(agent);
            async { support::rss(&[]) }
        }),
    );
    let addr = support::serve(app).await;
    let ws = Workspace::new();
    let setup = Setup {
        feeds: vec![format!("http://{addr}/feed.xml")],
        ..Setup::default()
    };
    let daemon = Daemon::start(ws.config(&setup)).await.expect("daemon");
    let polled_as = |agent: &str| agents.lock().unwrap().iter().any(|a| a == agent);
    expect("a first poll", || !agents.lock().unwrap().is_empty()).await;
    assert!(!polled_as("wirewatch-test/2"));
    let changed = setup.toml().replace(
        "timeout = \"5s\"",
        "timeout = \"5s\"\nuser_agent = \"wirewatch-test/2\"",
    );
    let config =
        wirewatch::config::Config::from_source(&ws.config_path(), &changed).expect("valid config");
    daemon.reload(config);
    expect("a poll with the new User-Agent", || {
        polled_as("wirewatch-test/2")
    })
    .await;
    within("stop", daemon.stop()).await.expect("stop");
}
