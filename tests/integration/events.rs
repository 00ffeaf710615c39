//! Operational events through the whole daemon: a feed that goes quiet
//! raises one `silence` event; a story that many outlets carry at once, as
//! copies of one text or as their own write-ups, raises one `breaking` event.

use wirewatch::Daemon;

use crate::groups::{BRIDGE, TOLLS, start, stored};
use crate::support::newsroom::Newsroom;
use crate::support::{Workspace, expect, init_logs, within};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_feed_quiet_for_longer_than_allowed_raises_one_silence_event() {
    init_logs();
    let room = Newsroom::start().await;
    room.publish(
        "quiet",
        "bridge",
        "Council votes to rebuild the bridge",
        &BRIDGE,
    );
    room.publish(
        "busy",
        "bridge",
        "Council votes to rebuild the bridge",
        &BRIDGE,
    );
    let extra = "\n[alerts]\nsilence = \"3s\"\n";
    let (_ws, daemon) = start(&room, &["quiet", "busy"], &[], extra).await;
    expect("both feeds' items are stored", || {
        stored(&daemon).len() == 2
    })
    .await;
    // The busy feed keeps publishing; the quiet one does not.
    for n in 0..6 {
        tokio::time::sleep(std::time::Duration::from_secs(1)).await;
        room.publish(
            "busy",
            &format!("more-{n}"),
            &format!("More news {n}"),
            &[TOLLS],
        );
    }
    let quiet = room.feed_url("quiet");
    let of_quiet = || {
        room.events("silence")
            .into_iter()
            .filter(|e| e["feed"] == quiet)
            .collect::<Vec<_>>()
    };
    expect("a silence event arrives", || !of_quiet().is_empty()).await;
    let busy_meanwhile = room.events("silence").len() - of_quiet().len();
    assert_eq!(
        busy_meanwhile, 0,
        "the busy feed was called silent while it published"
    );
    // Polls go on (1–4 s apart): the same spell is not reported again.
    tokio::time::sleep(std::time::Duration::from_secs(5)).await;
    let events = of_quiet();
    assert_eq!(events.len(), 1, "{events:?}");
    let event = &events[0];
    assert_eq!(event["feed"], room.feed_url("quiet"));
    assert_eq!(event["expected_within_secs"], 3);
    assert!(
        event["last_item_at"]
            .as_str()
            .is_some_and(|t| t.ends_with('Z'))
    );
    within("stop", daemon.stop()).await.expect("stop");
}

/// Polls `sites` with a rule of three outlets within an hour until
/// `articles` are stored and a breaking event has arrived; after a few more
/// polls (1–4 s apart), in which nothing may be reported again, returns the
/// one event there is.
async fn the_one_breaking_event(
    room: &Newsroom,
    sites: &[&str],
    articles: usize,
) -> (Workspace, Daemon, serde_json::Value) {
    let extra = "\n[alerts]\nbreaking_outlets = 3\nbreaking_within = \"1h\"\n";
    let (ws, daemon) = start(room, sites, &[], extra).await;
    expect("every article is stored", || {
        stored(&daemon).len() == articles
    })
    .await;
    expect("a breaking event arrives", || {
        !room.events("breaking").is_empty()
    })
    .await;
    tokio::time::sleep(std::time::Duration::from_secs(4)).await;
    let events = room.events("breaking");
    assert_eq!(events.len(), 1, "{events:?}");
    (ws, daemon, events[0].clone())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_text_carried_by_many_outlets_at_once_raises_one_breaking_event() {
    init_logs();
    let room = Newsroom::start().await;
    let sites = ["wire", "herald", "courier", "gazette"];
    for site in sites {
        room.publish(
            site,
            "bridge",
            "Council votes to rebuild the bridge",
            &BRIDGE,
        );
    }
    room.publish("herald", "tolls", "Tolls studied for lorries", &[TOLLS; 4]);
    let (_ws, daemon, event) = the_one_breaking_event(&room, &sites, 5).await;
    let group = stored(&daemon)
        .into_iter()
        .find(|a| a.title.contains("bridge"))
        .expect("a bridge copy")
        .group;
    assert_eq!(event["group"], group.to_string());
    assert!(
        event["feeds"].as_array().is_some_and(|f| f.len() >= 3),
        "{event}"
    );
    assert_eq!(event["title"], "Council votes to rebuild the bridge");
    within("stop", daemon.stop()).await.expect("stop");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn write_ups_of_one_event_in_many_outlets_raise_one_breaking_event_for_the_story() {
    init_logs();
    let room = Newsroom::start().await;
    // Three outlets' own write-ups of one KCNA statement, and a later
    // statement on a fourth.
    let seeds = wirewatch::demo::seeds();
    let sites = ["sputnik", "yonhap", "nknews", "later"];
    for (site, seed) in sites
        .iter()
        .zip(&seeds[..3])
        .chain([(&sites[3], &seeds[4])])
    {
        let paragraphs: Vec<&str> = seed.paragraphs.iter().map(String::as_str).collect();
        room.publish(site, "statement", &seed.title, &paragraphs);
    }
    let (_ws, daemon, event) = the_one_breaking_event(&room, &sites, 4).await;
    let articles = stored(&daemon);
    let story_of = |site: &str| {
        articles
            .iter()
            .find(|a| a.url.contains(&format!("/{site}/")))
            .expect("stored")
            .story
    };
    assert_eq!(event["story"], story_of("sputnik").to_string());
    assert_eq!(event["groups"], 3, "{event}");
    let feeds: Vec<&str> = event["feeds"]
        .as_array()
        .expect("feeds")
        .iter()
        .filter_map(|f| f.as_str())
        .collect();
    assert_eq!(feeds.len(), 3, "{feeds:?}");
    assert!(feeds.iter().all(|f| !f.contains("/later/")), "{feeds:?}");
    within("stop", daemon.stop()).await.expect("stop");
}
