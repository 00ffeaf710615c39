//! Stories across outlets and over time, through the whole daemon: an update
//! at the same URL keeps its group and alerts only for what is new (also
//! when the feed answers 304); wire copies with typical edits join one group
//! and alert once, with a follow-up; partial copies merge once a whole copy
//! bridges them; different stories from one template stay apart.

use wirewatch::Daemon;
use wirewatch::model::Article;

use crate::support::newsroom::Newsroom;
use crate::support::{Setup, Workspace, expect, init_logs, wait_until, within};

pub(crate) const BRIDGE: [&str; 6] = [
    "The city council voted on Tuesday to rebuild the old harbour bridge, ending a decade of argument over the crossing that carries forty thousand cars a day.",
    "Engineers told councillors that the steel deck had corroded beyond repair and that the bridge would have to close to lorries within two years if nothing was done.",
    "The new crossing will keep the original stone piers but replace the deck and the approach roads, at a cost the council put at 310 million euros over five years.",
    "Opposition members said the plan had been rushed through without a proper look at a tunnel, which engineers had costed at twice as much in a study last spring.",
    "Residents of the harbour district, who have complained for years about lorries queueing on their streets, welcomed the vote but asked for night works to be limited.",
    "Construction is due to begin next spring, with one lane kept open in each direction for most of the works, the council said in a statement after the vote.",
];

pub(crate) const TOLLS: &str = "The council also agreed to study a toll on the new crossing for lorries, a measure that shipping firms at the port said they would fight in court.";

/// A config polling `feeds` of the newsroom, delivering to its webhook.
fn setup(room: &Newsroom, feeds: &[&str], topics: &[(&str, &str)], extra: &str) -> Setup {
    Setup {
        feeds: feeds.iter().map(|s| room.feed_url(s)).collect(),
        webhook: Some((room.webhook_url(), "unused-secret".into())),
        topics: topics
            .iter()
            .map(|(n, q)| (n.to_string(), q.to_string()))
            .collect(),
        extra: extra.to_string(),
    }
}

pub(crate) async fn start(
    room: &Newsroom,
    feeds: &[&str],
    topics: &[(&str, &str)],
    extra: &str,
) -> (Workspace, Daemon) {
    let ws = Workspace::new();
    let setup = setup(room, feeds, topics, extra);
    let daemon = Daemon::start(ws.config(&setup))
        .await
        .expect("starting the daemon");
    (ws, daemon)
}

pub(crate) fn stored(daemon: &Daemon) -> Vec<Article> {
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

#[tokio::test]
async fn an_update_made_on_the_page_alone_is_found_while_the_feed_answers_304() {
    init_logs();
    let room = Newsroom::start().await;
    room.publish(
        "city",
        "bridge",
        "Council votes to rebuild harbour bridge",
        &BRIDGE,
    );
    let (_ws, daemon) = start(&room, &["city"], &[("tolls", "toll AND lorries")], "").await;
    expect("the bridge is stored and its feed answers 304", || {
        stored(&daemon).len() == 1 && room.not_modified() > 0
    })
    .await;

    // The page changes; the feed, listing only this item, does not.
    let mut updated: Vec<&str> = BRIDGE.to_vec();
    updated.push(TOLLS);
    room.update("city", "bridge", &updated);
    let answered_304 = room.not_modified();
    // The first scheduled re-check comes 30 s after the first visit.
    assert!(
        wait_until(std::time::Duration::from_secs(45), || {
            alerts_for(&room, "tolls") == 1
        })
        .await,
        "the update was never found"
    );
    assert!(
        room.not_modified() > answered_304,
        "the feed kept answering 304 meanwhile"
    );
    let articles = stored(&daemon);
    assert_eq!(articles.len(), 1, "an update is not a new article");
    assert!(articles[0].text.contains("toll on the new crossing"));
    within("stopping", daemon.stop()).await.expect("stop");
}

pub(crate) const WIRE: [&str; 7] = [
    "North Korean leader Kim Jong Un and U.S. President Donald Trump continue to have close relations and trust, North Korea's state news agency said on Thursday, blaming Washington officials for the stalled talks.",
    "The statement came after North Korea broke off working-level talks with the United States in Sweden earlier this month, pushing denuclearization negotiations back into limbo after months of stalemate.",
    "A senior adviser to the foreign ministry said the two leaders had a special bond but that policy makers in Washington were hostile to the North and preoccupied with a Cold War mentality.",
    "Pyongyang has set an end-of-year deadline for the United States to change its approach, and analysts say the North may resume long-range missile tests if the deadline passes without progress.",
    "South Korea's unification ministry said it hoped the two sides would return to the table soon, adding that the personal relationship between the leaders remained an important asset for diplomacy.",
    "Trump and Kim have met three times since June last year, but the meetings have produced little concrete progress on the North's nuclear and missile programmes or on sanctions relief.",
    "The United States has said it remains open to talks and has offered to meet North Korean negotiators again in Stockholm within two weeks, an offer Pyongyang has so far rejected.",
];

/// A reprint with the usual edits: dateline, UK spelling, curly quotes,
/// the tail cut, a credit line.
pub(crate) fn reprint() -> Vec<String> {
    let mut paragraphs: Vec<String> = WIRE[..4].iter().map(|p| p.to_string()).collect();
    paragraphs[0] = format!(
        "SEOUL (Wirestream) - {}",
        paragraphs[0].replace("Korea's", "Korea’s")
    );
    paragraphs[1] = paragraphs[1].replace("denuclearization", "denuclearisation");
    paragraphs.push("Reporting by Joyce Lee; Editing by Ed Davies".into());
    paragraphs
}

/// Another story from the same site, sharing its boilerplate.
const OTHER: [&str; 4] = [
    "Japan's government approved a record defence budget on Friday, with spending on missile defence and long-range strike capabilities rising sharply over the next fiscal year, officials said.",
    "The cabinet decision still needs parliament's approval, which is expected early next year, and opposition parties have criticised the plan as a break with the country's post-war restraint.",
    "Officials said the budget reflected a tougher security environment in the region, pointing to missile launches by North Korea and growing military activity by China near Japanese islands.",
    "The defence ministry will also spend more on cyber security and on keeping ammunition stocks at levels that it said had been too low for a serious contingency, the officials added.",
];

#[tokio::test]
async fn wire_copies_join_one_group_alert_once_and_send_a_follow_up() {
    init_logs();
    let room = Newsroom::start().await;
    room.publish(
        "wire",
        "kim",
        "Kim and Trump have special relationship: KCNA",
        &WIRE,
    );
    room.publish(
        "wire",
        "budget",
        "Japan approves record defence budget",
        &OTHER,
    );
    let topics = [("korea", r#""Kim Jong Un" AND Trump"#)];
    let extra = "\n[alerts]\nfollow_ups = true\n";
    let (_ws, daemon) = start(&room, &["wire", "paper"], &topics, extra).await;
    expect("the wire stories are stored and alerted", || {
        stored(&daemon).len() == 2 && alerts_for(&room, "korea") == 1
    })
    .await;
    let copy = reprint();
    let copy: Vec<&str> = copy.iter().map(String::as_str).collect();
    room.publish(
        "paper",
        "north-korea-trump",
        "North Korea says Kim-Trump ties special",
        &copy,
    );
    expect("the reprint is stored and a follow-up sent", || {
        stored(&daemon).len() == 3 && !room.events("follow_up").is_empty()
    })
    .await;
    let articles = stored(&daemon);
    let group_of = |path: &str| {
        articles
            .iter()
            .find(|a| a.url.ends_with(path))
            .unwrap()
            .group
    };
    assert_eq!(
        group_of("/kim"),
        group_of("/north-korea-trump"),
        "the reprint did not join"
    );
    assert_ne!(
        group_of("/kim"),
        group_of("/budget"),
        "two stories of one site grouped"
    );
    assert_eq!(alerts_for(&room, "korea"), 1, "a copy alerted again");
    let alert = &room.events("alert")[0];
    let follow = &room.events("follow_up")[0];
    assert_eq!(follow["alert_id"], alert["id"]);
    assert!(
        follow["article"]["url"]
            .as_str()
            .unwrap()
            .ends_with("/north-korea-trump")
    );
    assert!(
        follow.get("url").is_none(),
        "a follow-up must not look like an alert"
    );
    let record = daemon
        .store()
        .group(&group_of("/kim"))
        .unwrap()
        .expect("group record");
    assert_eq!(record.members.len(), 2);
    assert!(
        record.representative.ends_with("/kim"),
        "the longer text represents the group"
    );
    within("stopping", daemon.stop()).await.expect("stop");
}

#[tokio::test]
async fn a_copy_arriving_after_a_restart_still_joins_its_group() {
    init_logs();
    let room = Newsroom::start().await;
    room.publish(
        "wire",
        "kim",
        "Kim and Trump have special relationship: KCNA",
        &WIRE,
    );
    let topics = [("korea", r#""Kim Jong Un" AND Trump"#)];
    let ws = Workspace::new();
    let setup = setup(&room, &["wire", "paper"], &topics, "");
    let daemon = Daemon::start(ws.config(&setup)).await.expect("daemon");
    expect("the wire story is stored", || stored(&daemon).len() == 1).await;
    within("stopping", daemon.stop()).await.expect("stop");

    let copy = reprint();
    let copy: Vec<&str> = copy.iter().map(String::as_str).collect();
    room.publish(
        "paper",
        "north-korea-trump",
        "North Korea says Kim-Trump ties special",
        &copy,
    );
    let daemon = Daemon::start(ws.config(&setup))
        .await
        .expect("daemon again");
    expect("the reprint is stored", || stored(&daemon).len() == 2).await;
    let groups: Vec<_> = stored(&daemon).into_iter().map(|a| a.group).collect();
    assert_eq!(groups[0], groups[1], "the persisted index was not rebuilt");
    assert_eq!(alerts_for(&room, "korea"), 1);
    within("stopping", daemon.stop()).await.expect("stop");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_full_copy_merges_the_groups_of_two_partial_copies_and_alerts_stay_single() {
    init_logs();
    let room = Newsroom::start().await;
    // One text of ten paragraphs; the topic matches its lead only.
    let text: Vec<&str> = WIRE.iter().chain(&BRIDGE[..3]).copied().collect();
    let topics = [("agency", "\"state news agency\"")];
    let sites = ["tail", "head", "wire", "copy"];
    let (_ws, daemon) = start(&room, &sites, &topics, "").await;
    // A copy without its lead, then one without its tail: they share too
    // little to be copies of each other, so each founds a group.
    room.publish("tail", "story", "Kim and Trump still close", &text[4..]);
    expect("the tail copy is stored", || stored(&daemon).len() == 1).await;
    room.publish("head", "story", "Kim and Trump still close", &text[..6]);
    expect("the head copy alerts", || alerts_for(&room, "agency") == 1).await;
    let groups = |daemon: &Daemon| {
        let mut groups: Vec<String> = stored(daemon)
            .into_iter()
            .map(|a| a.group.to_string())
            .collect();
        groups.sort();
        groups.dedup();
        groups
    };
    assert_eq!(groups(&daemon).len(), 2);

    // The whole text holds both: the two groups become one.
    room.publish("wire", "story", "Kim and Trump still close", &text);
    expect("the whole text is stored", || stored(&daemon).len() == 3).await;
    assert_eq!(groups(&daemon).len(), 1, "{:?}", stored(&daemon));
    // Another copy of the lead joins the merged group and alerts nothing:
    // the topic fired on the group that was merged away.
    let mut dated = text.clone();
    let lead = format!("SEOUL (Wire) - {}", text[0]);
    dated[0] = &lead;
    room.publish("copy", "story", "Kim and Trump still close", &dated);
    expect("the dated copy is stored", || stored(&daemon).len() == 4).await;
    assert_eq!(groups(&daemon).len(), 1);
    let record = daemon
        .store()
        .group(&stored(&daemon)[0].group)
        .unwrap()
        .expect("the merged group's record");
    assert_eq!(record.members.len(), 4);
    tokio::time::sleep(std::time::Duration::from_secs(2)).await;
    assert_eq!(
        alerts_for(&room, "agency"),
        1,
        "the merged group alerted again"
    );
    within("stop", daemon.stop()).await.expect("stop");
}
