//! Retention through the whole daemon: an article older than the period is
//! forgotten with its group and alert, and stays forgotten while its feed
//! still lists it, even when the item moves up the feed again.

use std::time::Duration;

use wirewatch::Daemon;

use crate::support::newsroom::Newsroom;
use crate::support::{Setup, Workspace, expect, init_logs, load, wait_until, within};

const HARBOUR: &str = "The city council voted on Tuesday to rebuild the old harbour bridge, ending a decade of argument over the crossing that carries forty thousand cars a day, and engineers said the steel deck had corroded beyond repair.";
const PARKS: &str = "The city installed two hundred new benches in its parks this week, the parks department said, replacing wooden ones that had rotted over the winter and drawn complaints from residents of every district.";

fn alerts_for(room: &Newsroom, topic: &str) -> usize {
    room.events("alert")
        .iter()
        .filter(|a| a["topic"] == topic)
        .count()
}

fn stored_urls(daemon: &Daemon) -> Vec<String> {
    daemon
        .store()
        .articles()
        .map(|a| a.expect("article").url)
        .collect()
}

#[tokio::test]
async fn a_forgotten_article_is_not_stored_or_alerted_again_while_its_feed_lists_it() {
    init_logs();
    let room = Newsroom::start().await;
    room.publish(
        "city",
        "bridge",
        "Council votes to rebuild bridge",
        &[HARBOUR],
    );
    let setup = Setup {
        feeds: vec![room.feed_url("city")],
        webhook: Some((room.webhook_url(), "unused-secret".into())),
        topics: vec![
            ("bridge".into(), "harbour AND bridge".into()),
            ("parks".into(), "benches".into()),
        ],
        // The shortest sweep gap is 10 s: a 10 s period forgets the article
        // at the second sweep, about 20 s in.
        extra: "\n[dedupe]\nwindow = \"10s\"\n".into(),
    };
    let ws = Workspace::new();
    std::fs::write(
        ws.config_path(),
        format!("retention = \"10s\"\n{}", setup.toml()),
    )
    .expect("writing the config");
    let daemon = Daemon::start(load(&ws.config_path()))
        .await
        .expect("starting the daemon");
    expect("the bridge alert is delivered", || {
        alerts_for(&room, "bridge") == 1
    })
    .await;
    assert!(
        wait_until(Duration::from_secs(45), || stored_urls(&daemon).is_empty()).await,
        "retention never forgot the bridge article"
    );

    // A new story appears, then the bridge story moves above it (as an
    // update would move it): only the new one is stored and alerted.
    room.publish("city", "parks", "New benches in the parks", &[PARKS]);
    room.update("city", "bridge", &[HARBOUR]);
    expect("the parks alert is delivered", || {
        alerts_for(&room, "parks") == 1
    })
    .await;
    // A few more poll rounds for the bridge item to be looked at.
    tokio::time::sleep(Duration::from_secs(5)).await;
    let urls = stored_urls(&daemon);
    assert!(
        urls.iter().all(|u| !u.ends_with("/bridge")),
        "the forgotten article was stored again: {urls:?}"
    );
    assert_eq!(
        alerts_for(&room, "bridge"),
        1,
        "the forgotten article alerted twice"
    );
    within("stopping", daemon.stop()).await.expect("stop");
}
