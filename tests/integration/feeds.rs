//! Feed health and polite polling: `wirewatch feeds` reports each feed's
//! state; a server that answers 429 with Retry-After is left alone that long;
//! a live feed is polled at the minimum interval whatever its max-age and
//! `<ttl>` say, a feed quiet for days as seldom as they ask.

use std::time::Duration;

use axum::Router;
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use axum::routing::get;
use wirewatch::Daemon;
use wirewatch::control::{self, FeedHealth, Request};

use crate::support::{Hits, Setup, Workspace, expect, init_logs, rss, serve, within};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn feed_health_names_the_failing_feed_and_its_kind() {
    init_logs();
    let app = Router::new()
        .route("/good.xml", get(|| async { rss(&[]) }))
        .route(
            "/broken.xml",
            get(|| async { StatusCode::INTERNAL_SERVER_ERROR }),
        );
    let addr = serve(app).await;
    let good = format!("http://{addr}/good.xml");
    let broken = format!("http://{addr}/broken.xml");
    let ws = Workspace::new();
    let setup = Setup {
        feeds: vec![good.clone(), broken.clone()],
        ..Setup::default()
    };
    let config = ws.config(&setup);
    let daemon = Daemon::start(config.clone()).await.expect("daemon");
    let health = || async {
        let mut out = Vec::new();
        control::run(&config, &Request::Feeds, &mut out)
            .await
            .expect("feeds");
        String::from_utf8(out)
            .unwrap()
            .lines()
            .map(|l| serde_json::from_str::<FeedHealth>(l).unwrap())
            .collect::<Vec<_>>()
    };
    let mut rows = Vec::new();
    for _ in 0..100 {
        rows = within("feeds", health()).await;
        if rows.len() == 2
            && rows
                .iter()
                .all(|r| r.last_success.is_some() || r.last_error.is_some())
        {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let row = |url: &str| {
        rows.iter()
            .find(|r| r.url == url)
            .expect("a row per feed")
            .clone()
    };
    let (good, broken) = (row(&good), row(&broken));
    assert!(good.last_success.is_some() && good.consecutive_errors == 0);
    assert!(good.next_poll_in_secs.is_some());
    assert!(broken.consecutive_errors >= 1);
    assert_eq!(broken.last_error_kind.as_deref(), Some("status"));
    assert!(broken.last_error.unwrap().contains("500"));
    within("stop", daemon.stop()).await.expect("stop");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_429_with_retry_after_is_honoured() {
    init_logs();
    let hits = Hits::default();
    let counted = hits.clone();
    let app = Router::new().route(
        "/feed.xml",
        get(move || {
            counted.bump();
            async { (StatusCode::TOO_MANY_REQUESTS, [(header::RETRY_AFTER, "30")]).into_response() }
        }),
    );
    let addr = serve(app).await;
    let ws = Workspace::new();
    let setup = Setup {
        feeds: vec![format!("http://{addr}/feed.xml")],
        ..Setup::default()
    };
    let daemon = Daemon::start(ws.config(&setup)).await.expect("daemon");
    expect("the feed was polled once", || hits.get() == 1).await;
    // Polls are 1 s apart in tests, backing off to 4 s: without Retry-After
    // there would be several more polls in this time.
    tokio::time::sleep(Duration::from_secs(5)).await;
    assert_eq!(hits.get(), 1, "polled again within Retry-After");
    within("stop", daemon.stop()).await.expect("stop");
}

const PAGE: &str = "<html><body><article><p>The council met on Tuesday and agreed the budget after a long debate, officials said, and the mayor welcomed the outcome.</p><p>Opposition members said they would keep pressing for lower fees in the coming year.</p></article></body></html>";

/// A site whose robots.txt disallows `/private/`; counts page requests.
async fn robots_site() -> (String, Hits, Hits) {
    let private = Hits::default();
    let public = Hits::default();
    let (p1, p2) = (private.clone(), public.clone());
    let feed = r#"<?xml version="1.0"?><rss version="2.0"><channel><title>t</title><link>/</link><description>d</description>
        <item><title>Private</title><link>/private/a.html</link><guid>a</guid><description>The council met on Tuesday and agreed the budget, the feed says.</description></item>
        <item><title>Public</title><link>/public/b.html</link><guid>b</guid></item></channel></rss>"#;
    let app = Router::new()
        .route(
            "/robots.txt",
            get(|| async { "User-agent: *\nDisallow: /private/\n" }),
        )
        .route("/feed.xml", get(move || async move { feed }))
        .route(
            "/private/a.html",
            get(move || {
                p1.bump();
                async { axum::response::Html(PAGE) }
            }),
        )
        .route(
            "/public/b.html",
            get(move || {
                p2.bump();
                async { axum::response::Html(PAGE) }
            }),
        );
    let addr = serve(app).await;
    (format!("http://{addr}/feed.xml"), private, public)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pages_disallowed_by_robots_txt_are_not_fetched_unless_the_feed_says_so() {
    init_logs();
    let (feed, private, public) = robots_site().await;
    let ws = Workspace::new();
    let setup = Setup {
        feeds: vec![feed.clone()],
        ..Setup::default()
    };
    let daemon = Daemon::start(ws.config(&setup)).await.expect("daemon");
    expect("both items are stored", || {
        daemon.store().article_count() == 2
    })
    .await;
    assert_eq!(private.get(), 0, "a disallowed page was fetched");
    assert_eq!(public.get(), 1);
    let articles: Vec<_> = daemon.store().articles().collect::<Result<_, _>>().unwrap();
    let stored = articles
        .iter()
        .find(|a| a.url.ends_with("/private/a.html"))
        .unwrap();
    assert_eq!(stored.source, wirewatch::model::TextSource::Feed);
    within("stop", daemon.stop()).await.expect("stop");

    let ws = Workspace::new();
    let setup = Setup {
        feeds: vec![],
        extra: format!("\n[[feed]]\nurl = \"{feed}\"\nrobots = false\n"),
        ..Setup::default()
    };
    let daemon = Daemon::start(ws.config(&setup)).await.expect("daemon");
    expect("the page was fetched with robots = false", || {
        private.get() == 1
    })
    .await;
    within("stop", daemon.stop()).await.expect("stop");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_feed_that_moved_permanently_is_polled_at_its_new_address() {
    init_logs();
    let (old_hits, new_hits, temp_hits) = (Hits::default(), Hits::default(), Hits::default());
    let (o, n, t) = (old_hits.clone(), new_hits.clone(), temp_hits.clone());
    let app = Router::new()
        .route(
            "/old.xml",
            get(move || {
                o.bump();
                async {
                    (
                        StatusCode::MOVED_PERMANENTLY,
                        [(header::LOCATION, "/new.xml")],
                    )
                }
            }),
        )
        .route(
            "/new.xml",
            get(move || {
                n.bump();
                async { rss(&[]) }
            }),
        )
        .route(
            "/temp.xml",
            get(move || {
                t.bump();
                async { (StatusCode::FOUND, [(header::LOCATION, "/new.xml")]) }
            }),
        );
    let addr = serve(app).await;
    let (old, temp) = (
        format!("http://{addr}/old.xml"),
        format!("http://{addr}/temp.xml"),
    );
    let ws = Workspace::new();
    let setup = Setup {
        feeds: vec![old.clone(), temp.clone()],
        ..Setup::default()
    };
    let config = ws.config(&setup);
    let daemon = Daemon::start(config.clone()).await.expect("daemon");
    // Polls are 1–4 s apart: after a few, the temporary redirect has been
    // asked again, the permanent one only once.
    expect("both feeds polled twice", || {
        temp_hits.get() >= 2 && new_hits.get() >= 4
    })
    .await;
    assert_eq!(
        old_hits.get(),
        1,
        "the old address was polled after it moved"
    );
    let mut out = Vec::new();
    control::run(&config, &Request::Feeds, &mut out)
        .await
        .expect("feeds");
    let rows: Vec<FeedHealth> = String::from_utf8(out)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let moved = |url: &str| {
        rows.iter()
            .find(|r| r.url == url)
            .and_then(|r| r.moved_to.clone())
    };
    assert_eq!(moved(&old), Some(format!("http://{addr}/new.xml")));
    assert_eq!(moved(&temp), None);
    within("stop", daemon.stop()).await.expect("stop");
}

/// An RSS feed whose one item was published `age` ago, served with
/// `Cache-Control: max-age=3600` and `<ttl>60</ttl>`; counts its polls.
async fn hinted_feed(age: Duration) -> (String, Hits) {
    let hits = Hits::default();
    let counted = hits.clone();
    let published = httpdate::fmt_http_date(std::time::SystemTime::now() - age);
    let body = format!(
        "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>T</title>\
         <link>http://127.0.0.1/</link><description>t</description><ttl>60</ttl>\
         <item><title>One</title><link>http://127.0.0.1:9/one</link><guid>one</guid>\
         <pubDate>{published}</pubDate></item></channel></rss>"
    );
    let app = Router::new().route(
        "/feed.xml",
        get(move || {
            counted.bump();
            let body = body.clone();
            async move { ([(header::CACHE_CONTROL, "max-age=3600")], body).into_response() }
        }),
    );
    (format!("http://{}/feed.xml", serve(app).await), hits)
}

/// The test config, but with the default hour as the longest wait.
fn hour_long_waits(ws: &Workspace, feed: String) -> wirewatch::config::Config {
    let setup = Setup {
        feeds: vec![feed],
        ..Setup::default()
    };
    let text = setup
        .toml()
        .replace("max_interval = \"4s\"", "max_interval = \"1h\"");
    std::fs::write(ws.config_path(), text).expect("writing the config");
    crate::support::load(&ws.config_path())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_live_feed_is_polled_at_the_minimum_whatever_its_max_age_and_ttl() {
    init_logs();
    let (feed, hits) = hinted_feed(Duration::from_secs(60)).await;
    let ws = Workspace::new();
    let daemon = Daemon::start(hour_long_waits(&ws, feed))
        .await
        .expect("daemon");
    expect("the feed was polled again and again", || hits.get() >= 3).await;
    within("stop", daemon.stop()).await.expect("stop");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_feed_quiet_for_days_waits_as_its_server_asks() {
    init_logs();
    let (feed, hits) = hinted_feed(Duration::from_secs(4 * 86_400)).await;
    let ws = Workspace::new();
    let daemon = Daemon::start(hour_long_waits(&ws, feed))
        .await
        .expect("daemon");
    expect("the feed was polled once", || hits.get() == 1).await;
    // Polls are 1 s apart for a live feed: this one's last item is days old,
    // so the hour its server asks for holds.
    tokio::time::sleep(Duration::from_secs(4)).await;
    assert_eq!(
        hits.get(),
        1,
        "a quiet feed polled again within its max-age"
    );
    within("stop", daemon.stop()).await.expect("stop");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_restart_does_not_keep_a_live_feed_waiting_on_an_old_schedule() {
    init_logs();
    let (feed, hits) = hinted_feed(Duration::from_secs(60)).await;
    let ws = Workspace::new();
    let config = hour_long_waits(&ws, feed.clone());
    let daemon = Daemon::start(config.clone()).await.expect("daemon");
    expect("the feed was polled", || hits.get() >= 1).await;
    within("stop", daemon.stop()).await.expect("stop");
    {
        // As an older run (or config) left it: the next poll far away.
        let store = wirewatch::store::Store::open(&config.data_dir).expect("store");
        let mut state = store.feed_state(&feed).expect("feed state");
        state.next_poll = Some(wirewatch::model::unix_now() + 3000);
        store.put_feed_state(&feed, &state).expect("save");
    }
    let store = wirewatch::store::Store::open(&config.data_dir).expect("store");
    let saved = store.feed_state(&feed).expect("feed state").next_poll;
    assert!(saved > Some(wirewatch::model::unix_now() + 2000), "kept");
    drop(store);
    let before = hits.get();
    let daemon = Daemon::start(config).await.expect("daemon");
    expect("the live feed was polled soon after the start", || {
        hits.get() > before
    })
    .await;
    within("stop", daemon.stop()).await.expect("stop");
}
