//! Render times of the web page's pages over a store of 100,000 articles.
//!
//! The store is made up: 100,000 articles first seen over the last seven
//! days (about 14,000 a day) by 200 feeds, as wire stories of one to
//! eight copies (a third with a second, rewritten text), each copy about
//! 300 words with a dateline added or the tail cut; twelve topics, one
//! firing on every tenth group, the others on fewer. The page is served
//! by the real server on loopback and each page is fetched 15 times over
//! HTTP; the median and the slowest time are printed, connection and
//! transfer included.
//!
//! Usage: `cargo bench --bench web -- [articles]` (default 100000).

use std::sync::Arc;
use std::time::{Duration, Instant};

use wirewatch::config::Config;
use wirewatch::model::{
    Alert, AlertId, Article, GroupId, StoryId, TextSource, secs_rfc3339, unix_now,
};
use wirewatch::store::{FeedState, GroupRecord, Member, Store};

const FEEDS: usize = 200;
const TOPICS: usize = 12;
const RUNS: usize = 15;
const WORDS: [&str; 24] = [
    "council", "harbour", "minister", "talks", "election", "budget", "missile", "court", "storm",
    "market", "strike", "bridge", "treaty", "border", "vaccine", "summit", "protest", "bank",
    "rates", "drought", "rail", "port", "police", "senate",
];

fn feed(i: usize) -> String {
    format!("https://outlet{i}.example/feed.xml")
}

fn text(story: usize, variant: usize) -> String {
    let mut words: Vec<String> = (0..300)
        .map(|w| WORDS[(story * 7 + w * 13 + w / 11) % WORDS.len()].to_string())
        .collect();
    words[5] = format!("story{story}");
    match variant % 3 {
        1 => words.insert(0, "LONDON (Wire) -".into()),
        2 => words.truncate(240),
        _ => {}
    }
    words.join(" ")
}

fn article(story: usize, group: GroupId, copy: usize, feed_no: usize, seen: u64) -> Article {
    let url = format!("https://outlet{feed_no}.example/news/{story}-{copy}");
    Article {
        url: url.clone(),
        final_url: url.clone(),
        canonical_url: url,
        title: format!(
            "Story {story}: {} and {}",
            WORDS[story % 24],
            WORDS[(story / 24) % 24]
        ),
        text: text(story, copy),
        published: None,
        modified: None,
        feed: feed(feed_no),
        feed_name: None,
        group,
        story: StoryId(story as u64),
        byline: None,
        lang: Some("en".into()),
        site_name: None,
        source: TextSource::Page,
        first_seen: secs_rfc3339(seen),
        last_seen: secs_rfc3339(seen),
    }
}

/// Stores `total` articles; returns the busiest story's id.
fn seed(store: &Store, total: usize) -> String {
    let now = unix_now();
    let span = 7 * 86_400;
    let (mut stored, mut story) = (0, 0);
    while stored < total {
        let copies = 1 + (story * 7919) % 8;
        let texts = if story % 3 == 0 { 2 } else { 1 };
        let start = now - span + (stored as u64 * span / total as u64);
        for t in 0..texts {
            let gid = GroupId((story as u64) << 4 | t as u64);
            let mut record = GroupRecord {
                id: gid,
                story: StoryId(story as u64),
                ..GroupRecord::default()
            };
            for copy in 0..copies {
                let a = article(
                    story * 2 + t,
                    gid,
                    copy,
                    (story + copy * 31) % FEEDS,
                    start + copy as u64 * 300,
                );
                let mut a = a;
                a.story = record.story;
                store.put_article(&a).expect("article");
                record.join(Member {
                    canonical_url: a.canonical_url.clone(),
                    feed: a.feed.clone(),
                    first_seen: a.first_seen.clone(),
                    words: a.text.split_whitespace().count(),
                });
                stored += 1;
            }
            store.put_group(&record).expect("group");
            fire(store, story, &record);
        }
        story += 1;
    }
    format!("s{:016x}", 9)
}

fn fire(store: &Store, story: usize, group: &GroupRecord) {
    for (topic, word) in WORDS.iter().enumerate().take(TOPICS) {
        if !story.is_multiple_of(10 + topic * 7) {
            continue;
        }
        let name = format!("t{topic}");
        let alert = Alert {
            id: AlertId::for_firing(&name, &group.id.to_string()),
            topic: name.clone(),
            url: group.representative.clone(),
            canonical_url: group.representative.clone(),
            title: format!("Story {story}"),
            published: None,
            feed: group.members[0].feed.clone(),
            group: group.id,
            story: group.story,
            snippet: "council harbour minister talks".into(),
            matched: vec![word.to_string()],
            raised_at: group.members[0].first_seen.clone(),
        };
        store
            .fire(&alert, &group.id.to_string(), &["hook".to_string()])
            .expect("fire");
    }
}

fn config(dir: &std::path::Path) -> Config {
    let mut text = String::from("data_dir = \"data\"\n[[sink]]\ntype = \"log\"\nname = \"hook\"\n");
    for i in 0..FEEDS {
        text.push_str(&format!("[[feed]]\nurl = \"{}\"\n", feed(i)));
    }
    for (t, word) in WORDS.iter().enumerate().take(TOPICS) {
        text.push_str(&format!("[[topic]]\nname = \"t{t}\"\nquery = \"{word}\"\n"));
    }
    Config::from_source(&dir.join("w.toml"), &text).expect("config")
}

async fn time(client: &reqwest::Client, url: &str) -> (Duration, Duration, usize) {
    let mut times = Vec::new();
    let mut size = 0;
    for _ in 0..RUNS {
        let started = Instant::now();
        let body = client
            .get(url)
            .send()
            .await
            .expect("answer")
            .text()
            .await
            .expect("body");
        times.push(started.elapsed());
        size = body.len();
    }
    times.sort();
    (times[RUNS / 2], times[RUNS - 1], size)
}

fn main() {
    let total: usize = std::env::args()
        .filter(|a| !a.starts_with("--"))
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(100_000);
    let dir = tempfile::tempdir().expect("temp dir");
    let store = Store::open(dir.path()).expect("store");
    let started = Instant::now();
    let story = seed(&store, total);
    for i in 0..FEEDS {
        let state = FeedState {
            last_success: Some(secs_rfc3339(unix_now())),
            arrivals: vec![unix_now() - 3600],
            ..FeedState::default()
        };
        store.put_feed_state(&feed(i), &state).expect("feed state");
    }
    println!(
        "seeded {} articles, {} groups in {:.1?}",
        store.article_count(),
        store.group_count(),
        started.elapsed()
    );
    // reqwest is built without a default TLS provider.
    if rustls::crypto::ring::default_provider()
        .install_default()
        .is_err()
    {
        println!("a TLS provider was already installed");
    }
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    runtime.block_on(async {
        let (_tx, rx) = tokio::sync::watch::channel(Arc::new(config(dir.path())));
        let listener = wirewatch::web::bind("127.0.0.1:0".parse().unwrap())
            .await
            .expect("bind");
        let addr = listener.local_addr().expect("addr");
        let cancel = tokio_util::sync::CancellationToken::new();
        tokio::spawn(wirewatch::web::serve(
            store.clone(),
            rx,
            listener,
            cancel.clone(),
        ));
        let client = reqwest::Client::new();
        let pages = [
            "/".to_string(),
            "/?since=7d".into(),
            "/?topic=t0".into(),
            "/?feed=https%3A%2F%2Foutlet3.example%2Ffeed.xml".into(),
            format!("/stories/{story}"),
            "/topics".into(),
            "/topics/t0".into(),
            "/topics/t0?page=20".into(),
            "/topics/t0.atom".into(),
            "/search?q=storm+AND+treaty&since=24h".into(),
            "/search?q=storm+AND+treaty&since=7d".into(),
            "/feeds".into(),
            "/deliveries".into(),
        ];
        println!(
            "{:<48} {:>10} {:>10} {:>10}",
            "page", "median", "slowest", "bytes"
        );
        for page in pages {
            let (median, slowest, size) = time(&client, &format!("http://{addr}{page}")).await;
            println!(
                "{page:<48} {:>8.1}ms {:>8.1}ms {size:>10}",
                median.as_secs_f64() * 1e3,
                slowest.as_secs_f64() * 1e3
            );
        }
        cancel.cancel();
    });
}
