//! The chat and push presets and the templated webhook, through the whole
//! daemon: a story in the newsroom fires a topic and a local receiver checks
//! the request each service's incoming-webhook documentation describes.

use std::time::Duration;

use axum::http::StatusCode;
use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;
use wirewatch::Daemon;
use wirewatch::alert::sign_standard;

use crate::support::newsroom::Newsroom;
use crate::support::receiver::{Receiver, Request};
use crate::support::{Setup, Workspace, expect, init_logs, within};

pub const BRIDGE: [&str; 4] = [
    "The city council voted on Tuesday to rebuild the old harbour bridge, ending a decade of argument over the crossing that carries forty thousand cars a day.",
    "Engineers told councillors that the steel deck had corroded beyond repair and that the bridge would have to close to lorries within two years if nothing was done.",
    "The new crossing will keep the original stone piers but replace the deck and the approach roads, at a cost the council put at 310 million euros over five years.",
    "Residents of the harbour district, who have complained for years about lorries queueing on their streets, welcomed the vote but asked for night works to be limited.",
];

pub const TOPIC: (&str, &str) = ("bridges", "harbour AND bridge");

/// Start the daemon on the newsroom's `feeds` with `topics` and `extra`
/// TOML (the sinks under test); no default webhook.
pub async fn start(
    room: &Newsroom,
    feeds: &[&str],
    topics: &[(&str, &str)],
    extra: &str,
) -> (Workspace, Daemon) {
    let ws = Workspace::new();
    let setup = Setup {
        feeds: feeds.iter().map(|f| room.feed_url(f)).collect(),
        webhook: None,
        topics: topics
            .iter()
            .map(|(n, q)| (n.to_string(), q.to_string()))
            .collect(),
        extra: extra.to_string(),
    };
    let daemon = Daemon::start(ws.config(&setup)).await.expect("daemon");
    (ws, daemon)
}

/// Publish the bridge story under `title` and wait for the first request.
async fn one_alert(title: &str, sink: &str, receiver: &Receiver) -> (Workspace, Daemon, Request) {
    let room = Newsroom::start().await;
    room.publish("city", "bridge", title, &BRIDGE);
    let (ws, daemon) = start(&room, &["city"], &[TOPIC], sink).await;
    expect("the receiver got the alert", || !receiver.seen().is_empty()).await;
    let request = receiver.seen().remove(0);
    (ws, daemon, request)
}

fn article_url(daemon: &Daemon) -> String {
    let mut articles = daemon.store().articles();
    articles.next().expect("an article").expect("readable").url
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn slack_gets_text_and_blocks_with_a_link_and_context() {
    init_logs();
    let receiver = Receiver::start(StatusCode::OK).await;
    let sink = format!(
        "\n[[sink]]\ntype = \"slack\"\nname = \"team\"\nurl = \"{}\"\n",
        receiver.url("/services/T0/B0/x")
    );
    // (Escaping of `&`, `<`, `>` is checked beside the code: the test feed
    // writes titles into its XML as they are.)
    let title = "Council votes to rebuild harbour bridge";
    let (_ws, daemon, request) = one_alert(title, &sink, &receiver).await;
    assert_eq!(request.path, "/services/T0/B0/x");
    assert_eq!(request.header("content-type"), "application/json");
    let body = request.json();
    let url = article_url(&daemon);
    let escaped = title;
    assert_eq!(body["text"], format!("bridges: <{url}|{title}>"), "{body}");
    let blocks = body["blocks"].as_array().expect("blocks");
    assert_eq!(blocks[0]["type"], "section");
    assert_eq!(blocks[0]["text"]["type"], "mrkdwn");
    assert_eq!(blocks[0]["text"]["text"], format!("*<{url}|{escaped}>*"));
    assert_eq!(blocks[1]["type"], "context");
    assert_eq!(blocks[1]["elements"][0]["type"], "mrkdwn");
    let context = blocks[1]["elements"][0]["text"].as_str().unwrap();
    assert!(context.starts_with("bridges · 127.0.0.1"), "{context}");
    within("stop", daemon.stop()).await.expect("stop");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn discord_gets_an_embed_within_its_limits() {
    init_logs();
    // Discord answers 204 No Content unless asked to wait.
    let receiver = Receiver::start(StatusCode::NO_CONTENT).await;
    let sink = format!(
        "\n[[sink]]\ntype = \"discord\"\nurl = \"{}\"\nusername = \"wirewatch\"\n",
        receiver.url("/api/webhooks/1/token")
    );
    let title = format!("Harbour bridge: {}", "très long titre ".repeat(30));
    let (_ws, daemon, request) = one_alert(&title, &sink, &receiver).await;
    assert_eq!(request.header("content-type"), "application/json");
    let body = request.json();
    assert_eq!(body["username"], "wirewatch");
    assert_eq!(body["allowed_mentions"]["parse"], serde_json::json!([]));
    let content = body["content"].as_str().expect("content");
    assert!(content.contains("bridges") && content.chars().count() <= 2000);
    let embed = &body["embeds"][0];
    let embed_title = embed["title"].as_str().expect("title");
    assert_eq!(embed_title.chars().count(), 256, "{embed_title}");
    assert!(embed_title.starts_with("Harbour bridge: très") && embed_title.ends_with('…'));
    assert_eq!(embed["url"], article_url(&daemon));
    let description = embed["description"].as_str().expect("description");
    assert!(description.contains("city council") && description.chars().count() <= 4096);
    assert!(embed["timestamp"].as_str().is_some_and(|t| t.contains('T')));
    assert!(
        embed["footer"]["text"]
            .as_str()
            .unwrap()
            .starts_with("bridges")
    );
    // A 204 is success: the alert left the queue and was not sent again.
    expect("the outbox is empty", || {
        daemon
            .store()
            .pending("discord-1", 1)
            .is_ok_and(|p| p.is_empty())
    })
    .await;
    assert_eq!(receiver.seen().len(), 1);
    within("stop", daemon.stop()).await.expect("stop");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mattermost_gets_markdown_and_a_follow_up_names_the_other_site() {
    init_logs();
    let receiver = Receiver::start(StatusCode::OK).await;
    let room = Newsroom::start().await;
    room.publish(
        "city",
        "bridge",
        "Council votes to rebuild harbour bridge",
        &BRIDGE,
    );
    let extra = format!(
        "\n[alerts]\nfollow_ups = true\n\n[[sink]]\ntype = \"mattermost\"\nurl = \"{}\"\n\
         username = \"wirewatch\"\nchannel = \"town-hall\"\n",
        receiver.url("/hooks/xyz")
    );
    let (_ws, daemon) = start(&room, &["city", "wire"], &[TOPIC], &extra).await;
    expect("the alert arrived", || receiver.seen().len() == 1).await;
    let body = receiver.seen()[0].json();
    assert_eq!(body["username"], "wirewatch");
    assert_eq!(body["channel"], "town-hall");
    let text = body["text"].as_str().expect("text");
    let url = article_url(&daemon);
    assert!(
        text.starts_with(&format!(
            "**New on bridges:** [Council votes to rebuild harbour bridge]({url})"
        )),
        "{text}"
    );

    room.publish(
        "wire",
        "bridge-copy",
        "Harbour bridge to be rebuilt",
        &BRIDGE,
    );
    expect("the follow-up arrived", || receiver.seen().len() == 2).await;
    let text = receiver.seen()[1].json()["text"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        text.starts_with("**Also reported by 127.0.0.1:** ["),
        "{text}"
    );
    assert!(text.contains("/wire/news/bridge-copy)"), "{text}");
    within("stop", daemon.stop()).await.expect("stop");
}

/// RFC 2047 "B" encoded words back to text.
fn decode_words(value: &str) -> String {
    let mut bytes = Vec::new();
    for word in value.split(' ') {
        let b64 = word
            .strip_prefix("=?UTF-8?B?")
            .and_then(|w| w.strip_suffix("?="))
            .unwrap_or_else(|| panic!("not an encoded word: {word}"));
        bytes.extend(BASE64.decode(b64).expect("base64"));
    }
    String::from_utf8(bytes).expect("utf-8")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ntfy_gets_plain_text_with_encoded_title_click_tags_priority_and_token() {
    init_logs();
    let receiver = Receiver::start(StatusCode::OK).await;
    let sink = format!(
        "\n[[sink]]\ntype = \"ntfy\"\nurl = \"{}\"\ntoken = \"tk_secret\"\npriority = \"high\"\n\
         tags = [\"newspaper\"]\n",
        receiver.url("/city-news")
    );
    let title = "Köln harbour bridge: council says “yes”";
    let (_ws, daemon, request) = one_alert(title, &sink, &receiver).await;
    assert_eq!(request.path, "/city-news");
    assert_eq!(request.header("content-type"), "text/plain; charset=utf-8");
    assert_eq!(decode_words(request.header("title")), title);
    assert_eq!(request.header("click"), article_url(&daemon));
    assert_eq!(request.header("tags"), "newspaper,bridges");
    assert_eq!(request.header("priority"), "4");
    assert_eq!(request.header("authorization"), "Bearer tk_secret");
    let text = request.text();
    assert!(text.starts_with("The city council voted"), "{text}");
    assert!(text.ends_with("bridges · 127.0.0.1"), "{text}");
    within("stop", daemon.stop()).await.expect("stop");
}

const TEMPLATE: &str = r#"template = '''
{"kind": "{{ event }}", "headline": {{ title|tojson }}, "link": "{{ url }}",
 "site": "{{ site }}", "terms": {{ terms|tojson }}, "topic": "{{ topic }}"}
'''"#;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_webhook_template_shapes_the_body_and_the_signature_covers_it() {
    init_logs();
    let receiver = Receiver::start(StatusCode::OK).await;
    let sink = format!(
        "\n[[sink]]\ntype = \"webhook\"\nname = \"custom\"\nurl = \"{}\"\nsecret = \"s3cret\"\n\
         content_type = \"application/vnd.example+json\"\n{TEMPLATE}\n",
        receiver.url("/in")
    );
    let title = "Council votes to rebuild \"harbour\" bridge";
    let (_ws, daemon, request) = one_alert(title, &sink, &receiver).await;
    assert_eq!(
        request.header("content-type"),
        "application/vnd.example+json"
    );
    let body = request.json();
    assert_eq!(body["kind"], "alert");
    assert_eq!(body["headline"], title);
    assert_eq!(body["link"], article_url(&daemon));
    assert_eq!(body["site"], "127.0.0.1");
    assert_eq!(body["topic"], "bridges");
    let terms: Vec<&str> = body["terms"]
        .as_array()
        .expect("terms")
        .iter()
        .filter_map(|t| t.as_str())
        .collect();
    assert!(
        terms.contains(&"harbour") && terms.contains(&"bridge"),
        "{terms:?}"
    );
    let id = request.header("webhook-id");
    let ts: u64 = request.header("webhook-timestamp").parse().expect("ts");
    assert_eq!(
        request.header("webhook-signature"),
        sign_standard("s3cret", id, ts, &request.body)
    );
    within("stop", daemon.stop()).await.expect("stop");
}

const HARBOURS: [(&str, &str, &str); 3] = [
    (
        "ferry",
        "New ferry for the harbour",
        "The harbour authority has ordered a new electric ferry that will cross between the two quays every ten minutes from next summer, replacing a diesel boat that has served the route since the nineteen eighties and that residents say is too loud.",
    ),
    (
        "cranes",
        "Harbour cranes to be replaced",
        "Four container cranes at the harbour will be taken down this winter after an inspection found cracks in their frames, and the port company said it would bring in two larger cranes from a yard in the north to keep ships moving through the spring.",
    ),
    (
        "festival",
        "Harbour festival draws record crowd",
        "More than sixty thousand people came to the harbour festival over the weekend, the organisers said, a record for the event, which this year added a night market, a rowing race between the old fishing crews and fireworks over the water on Sunday.",
    ),
];

async fn digest_room() -> Newsroom {
    let room = Newsroom::start().await;
    for (slug, title, text) in HARBOURS {
        let second = format!(
            "{text} Officials said more details would follow in the coming weeks, once the plans had been approved by the council."
        );
        room.publish("port", slug, title, &[text, &second]);
    }
    room
}

/// The newsroom's port feed, its webhook, a plain `harbour` topic and a
/// `port-digest` topic with the same query and a digest `window`.
fn digest_setup(room: &Newsroom, window: &str) -> Setup {
    Setup {
        feeds: vec![room.feed_url("port")],
        webhook: Some((room.webhook_url(), "unused-secret".into())),
        topics: vec![("harbour".into(), "harbour".into())],
        extra: format!(
            "\n[[topic]]\nname = \"port-digest\"\nquery = \"harbour\"\ndigest = \"{window}\"\n"
        ),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_digest_topic_sends_one_digest_per_window_with_every_group() {
    init_logs();
    let room = digest_room().await;
    let ws = Workspace::new();
    let daemon = Daemon::start(ws.config(&digest_setup(&room, "3s")))
        .await
        .expect("daemon");
    let digests = || room.events("digest");
    expect("a digest arrived", || !digests().is_empty()).await;
    let digest = digests().remove(0);
    assert_eq!(digest["topic"], "port-digest");
    let groups: std::collections::HashSet<&str> = digest["alerts"]
        .as_array()
        .expect("alerts")
        .iter()
        .filter_map(|a| a["group"].as_str())
        .collect();
    assert_eq!(groups.len(), 3, "{digest}");
    assert!(digest["id"].as_str().is_some_and(|id| !id.is_empty()));
    // The plain topic alerted at once; the digest topic sent nothing else.
    tokio::time::sleep(Duration::from_secs(4)).await;
    let alerts = room.events("alert");
    assert_eq!(alerts.iter().filter(|a| a["topic"] == "harbour").count(), 3);
    assert!(alerts.iter().all(|a| a["topic"] != "port-digest"));
    assert_eq!(digests().len(), 1, "one window, one digest");
    assert_eq!(daemon.store().held_len(), 0);
    within("stop", daemon.stop()).await.expect("stop");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn held_alerts_survive_a_restart_and_go_out_at_the_window_end() {
    init_logs();
    let room = digest_room().await;
    let ws = Workspace::new();
    let daemon = Daemon::start(ws.config(&digest_setup(&room, "1h")))
        .await
        .expect("daemon");
    expect("three alerts are held", || daemon.store().held_len() == 3).await;
    within("stop", daemon.stop()).await.expect("stop");
    assert!(
        room.events("digest").is_empty(),
        "no digest before the window ended"
    );

    // Restarted with a window that has already ended: the digest goes out.
    let daemon = Daemon::start(ws.config(&digest_setup(&room, "1s")))
        .await
        .expect("restart");
    expect("the digest arrived", || room.events("digest").len() == 1).await;
    let digest = &room.events("digest")[0];
    assert_eq!(digest["alerts"].as_array().unwrap().len(), 3, "{digest}");
    assert_eq!(daemon.store().held_len(), 0);
    within("stop", daemon.stop()).await.expect("stop");
}
