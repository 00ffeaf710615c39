//! Boilerplate is never an article: pages whose navigation, consent banner
//! and related headlines name a topic's terms while the story does not must
//! not fire the topic, whether the story is found (here in custom elements,
//! with no `<p>`) or not (then the feed's text, else the page's title and
//! description, is stored, never the page's menus).

use axum::Router;
use axum::http::StatusCode;
use axum::response::Html;
use axum::routing::get;
use wirewatch::Daemon;
use wirewatch::model::{Article, TextSource};

use crate::support::receiver::Receiver;
use crate::support::{self, SECRET, SINK, Setup, Workspace, expect, init_logs, within};

/// The topic: its terms are all over the pages' chrome.
const QUAKE: (&str, &str) = ("quake", "earthquake OR tsunami");

/// Navigation, consent banner and related headlines that name the topic.
const CHROME: &str = r#"
<site-header><site-nav><a href="/">Home</a> <a href="/quake">Earthquake tracker</a>
<a href="/tsunami">Tsunami warnings</a></site-nav></site-header>
<consent-banner><div>We use cookies to show you earthquake and tsunami alerts near you
and to measure our audience. By continuing you accept our use of cookies.</div>
<div><button>Accept</button></div></consent-banner>
<related-list><h3>Most read</h3>
<related-item><a href="/r1">Earthquake of magnitude 7.1 shakes the coast overnight</a></related-item>
<related-item><a href="/r2">Tsunami warning lifted after hours of uncertainty for islanders</a></related-item>
<related-item><a href="/r3">How earthquake early warning systems buy people seconds</a></related-item>
</related-list>"#;

/// A story told in custom elements only (no `<p>`), amid the chrome.
fn custom_page(story: &[&str]) -> String {
    let paras: String = story
        .iter()
        .map(|p| format!("<story-para>{p}</story-para>"))
        .collect();
    format!(
        "<html><head><title>Library reopens</title></head><body>{CHROME}\
         <story-page><story-headline>Library reopens</story-headline>\
         <story-body>{paras}</story-body></story-page></body></html>"
    )
}

/// A page with no story at all: only the chrome, and a description.
fn bare_page(title: &str, description: &str) -> String {
    format!(
        "<html><head><title>{title}</title><meta name=\"description\" content=\"{description}\">\
         </head><body>{CHROME}</body></html>"
    )
}

const LIBRARY: [&str; 3] = [
    "The city library reopened on Monday after a two-year renovation, with a new reading room, \
     a children's floor and longer opening hours on weekends, the council said.",
    "Librarians, who had worked from a temporary site since the closure, said visitors queued \
     before the doors opened, and that the new study desks were taken within the hour.",
    "The renovation, paid for by the council and a local foundation, came in under budget, \
     according to figures published by the city's finance office last week.",
];

const CONTROL: [&str; 3] = [
    "An earthquake of magnitude 5.2 struck the valley before dawn on Tuesday, waking residents, \
     cracking walls in older houses and cutting power to several villages, officials said.",
    "Seismologists said the quake, which was felt as far as the coast, was followed by a dozen \
     smaller aftershocks, and that no tsunami was expected from an inland event of that size.",
    "Schools in the valley stayed closed while engineers inspected the buildings, and the \
     regional government opened a hotline for residents whose homes were damaged.",
];

/// Items: (slug, title, feed description).
const ITEMS: [(&str, &str, Option<&str>); 4] = [
    ("custom", "Library reopens", None),
    (
        "menus",
        "Council budget vote",
        Some("<p>The council approved next year's budget by nine votes to four on Thursday.</p>"),
    ),
    ("bare", "Council minutes", None),
    ("control", "Valley shaken before dawn", None),
];

fn feed(base: &str) -> String {
    let items: String = ITEMS
        .iter()
        .map(|(slug, title, desc)| {
            let desc = desc
                .map(|d| format!("<description><![CDATA[{d}]]></description>"))
                .unwrap_or_default();
            format!(
                "<item><title>{title}</title><link>{base}/{slug}</link><guid>{slug}</guid>{desc}</item>"
            )
        })
        .collect();
    format!(
        "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Town</title>\
         <link>{base}/</link><description>town news</description>{items}</channel></rss>"
    )
}

async fn town() -> String {
    let addr = support::serve(
        Router::new()
            .route("/custom", get(|| async { Html(custom_page(&LIBRARY)) }))
            .route(
                "/menus",
                get(|| async { Html(bare_page("Council budget vote", "")) }),
            )
            .route(
                "/bare",
                get(|| async {
                    Html(bare_page(
                        "Council minutes",
                        "Minutes of the March council meeting.",
                    ))
                }),
            )
            .route("/control", get(|| async { Html(custom_page(&CONTROL)) })),
    )
    .await;
    let base = format!("http://{addr}");
    let feed_text = feed(&base);
    let addr = support::serve(Router::new().route(
        "/feed.xml",
        get(move || {
            let body = feed_text.clone();
            async move { ([("content-type", "application/rss+xml")], body) }
        }),
    ))
    .await;
    format!("http://{addr}/feed.xml")
}

fn stored(daemon: &Daemon, slug: &str) -> Article {
    daemon
        .store()
        .articles()
        .collect::<Result<Vec<_>, _>>()
        .expect("reading the stored articles")
        .into_iter()
        .find(|a| a.url.ends_with(&format!("/{slug}")))
        .unwrap_or_else(|| panic!("{slug} not stored"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn boilerplate_naming_a_topic_never_fires_it() {
    init_logs();
    let feed = town().await;
    let hook = Receiver::start(StatusCode::OK).await;
    let setup = Setup {
        feeds: vec![feed],
        webhook: Some((hook.url("/hook"), SECRET.to_string())),
        topics: vec![(QUAKE.0.to_string(), QUAKE.1.to_string())],
        extra: String::new(),
    };
    let ws = Workspace::new();
    let daemon = Daemon::start(ws.config(&setup))
        .await
        .expect("starting the daemon");
    expect(
        "all four items are stored and the control alert delivered",
        || {
            let store = daemon.store();
            store.article_count() == 4
                && store.pending(SINK, 1).is_ok_and(|p| p.is_empty())
                && !hook.seen().is_empty()
        },
    )
    .await;

    let custom = stored(&daemon, "custom");
    assert_eq!(custom.source, TextSource::Page);
    assert_eq!(custom.text, LIBRARY.join("\n\n"));
    let menus = stored(&daemon, "menus");
    assert_eq!(menus.source, TextSource::Feed);
    assert_eq!(
        menus.text,
        "The council approved next year's budget by nine votes to four on Thursday."
    );
    let bare = stored(&daemon, "bare");
    assert_eq!(
        bare.text,
        "Council minutes\n\nMinutes of the March council meeting."
    );
    let fired: Vec<_> = hook
        .seen()
        .iter()
        .map(|r| r.json()["url"].as_str().unwrap_or("").to_string())
        .collect();
    assert_eq!(fired.len(), 1, "alerts: {fired:?}");
    assert!(fired[0].ends_with("/control"), "alerts: {fired:?}");
    within("stopping the daemon", daemon.stop())
        .await
        .expect("stopping the daemon");
}
