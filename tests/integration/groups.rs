//! Stories across outlets and over time, through the whole daemon: an update
//! at the same URL keeps its group and alerts only for what is new; wire
//! copies with typical edits join one group and alert once, with a
//! follow-up; different stories from one template stay apart.

use wirewatch::Daemon;
use wirewatch::model::Article;

use crate::support::newsroom::Newsroom;
use crate::support::{Setup, Workspace, expect, init_logs, within};

const BRIDGE: [&str; 6] = [
    "The city council voted on Tuesday to rebuild the old harbour bridge, ending a decade of argument over the crossing that carries forty thousand cars a day.",
    "Engineers told councillors that the steel deck had corroded beyond repair and that the bridge would have to close to lorries within two years if nothing was done.",
    "The new crossing will keep the original stone piers but replace the deck and the approach roads, at a cost the council put at 310 million euros over five years.",
    "Opposition members said the plan had been rushed through without a proper look at a tunnel, which engineers had costed at twice as much in a study last spring.",
    "Residents of the harbour district, who have complained for years about lorries queueing on their streets, welcomed the vote but asked for night works to be limited.",
    "Construction is due to begin next spring, with one lane kept open in each direction for most of the works, the council said in a statement after the vote.",
];

const TOLLS: &str = "The council also agreed to study a toll on the new crossing for lorries, a measure that shipping firms at the port said they would fight in court.";

async fn start(
    room: &Newsroom,
    feeds: &[&str],
    topics: &[(&str, &str)],
    extra: &str,
) -> (Workspace, Daemon) {
    let ws = Workspace::new();
    let setup = Setup {
        feeds: feeds.iter().map(|s| room.feed_url(s)).collect(),
        webhook: Some((room.webhook_url(), "unused-secret".into())),
        topics: topics
            .iter()
            .map(|(n, q)| (n.to_string(), q.to_string()))
            .collect(),
        extra: extra.to_string(),
    };
    let daemon = Daemon::start(ws.config(&setup))
        .await
        .expect("starting the daemon");
    (ws, daemon)
}

fn stored(daemon: &Daemon) -> Vec<Article> {
    daemon
        .store()
        .articles()
        .collect::<Result<_, _>>()
        .expect("articles")
}

fn alerts_for(room: &Newsroom, topic: &str) -> usize {
    room.events("alert")
        .iter()
        .filter(|a| a["topic"] == topic)
        .count()
}

#[tokio::test]
async fn an_update_at_the_same_url_keeps_its_group_and_alerts_only_for_what_is_new() {
    init_logs();
    let room = Newsroom::start().await;
    room.publish(
        "city",
        "bridge",
        "Council votes to rebuild harbour bridge",
        &BRIDGE,
    );
    room.publish("city", "parks", "Parks get new benches", &["The city installed two hundred new benches in its parks this week, the parks department said, replacing wooden ones that had rotted over the winter and drawn complaints from residents of every district."]);
    let topics = [
        ("bridge", "harbour AND bridge"),
        ("tolls", "toll AND lorries"),
    ];
    let (_ws, daemon) = start(&room, &["city"], &topics, "").await;
    expect(
        "both stories are stored and the bridge alert delivered",
        || stored(&daemon).len() == 2 && alerts_for(&room, "bridge") == 1,
    )
    .await;
    let before = stored(&daemon)
        .into_iter()
        .find(|a| a.url.ends_with("/bridge"))
        .unwrap();
    assert!(!before.text.contains("toll"));

    let mut updated: Vec<&str> = BRIDGE.to_vec();
    updated.push(TOLLS);
    room.update("city", "bridge", &updated);
    expect("the update is stored and the new topic fired", || {
        alerts_for(&room, "tolls") == 1
    })
    .await;
    let after = stored(&daemon)
        .into_iter()
        .find(|a| a.url.ends_with("/bridge"))
        .unwrap();
    assert!(
        after.text.contains("toll on the new crossing"),
        "{}",
        after.text
    );
    assert_eq!(after.group, before.group, "an update stays in its group");
    assert_eq!(after.first_seen, before.first_seen);
    assert_eq!(stored(&daemon).len(), 2, "an update is not a new article");
    // One more poll round: nothing fires again.
    tokio::time::sleep(std::time::Duration::from_secs(2)).await;
    assert_eq!(
        alerts_for(&room, "bridge"),
        1,
        "the bridge topic fired twice"
    );
    assert_eq!(alerts_for(&room, "tolls"), 1);
    within("stopping", daemon.stop()).await.expect("stop");
}
