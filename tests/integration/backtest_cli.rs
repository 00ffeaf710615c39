//! `topics test`, `search` and `export` over a store of made-up articles:
//! backtests with highlighted terms (also in scripts without word spaces),
//! counts per day, and export filters.

use std::path::PathBuf;

use wirewatch::model::{Article, GroupId, StoryId, TextSource, now_rfc3339};

use crate::cli::wirewatch;
use crate::support::Workspace;

const TUESDAY: &str = "The letter arrived on Tuesday, officials said.";

/// A workspace whose store holds one article per (title, text, language),
/// numbered in order (URL, group and story), and a config over it.
fn with_stored(articles: &[(&str, &str, Option<&str>)]) -> (Workspace, PathBuf) {
    let ws = Workspace::new();
    let config = ws.path("wirewatch.toml");
    std::fs::write(&config, "data_dir = \"data\"\n").unwrap();
    let store = wirewatch::store::Store::open(&ws.path("data")).unwrap();
    for (n, (title, text, lang)) in articles.iter().enumerate() {
        let url = format!("https://news.example/{n}");
        let article = Article {
            url: url.clone(),
            final_url: url.clone(),
            canonical_url: url,
            title: title.to_string(),
            text: text.to_string(),
            published: None,
            modified: None,
            feed: "https://news.example/feed".into(),
            feed_name: None,
            group: GroupId(n as u64),
            story: StoryId(n as u64),
            byline: None,
            lang: lang.map(str::to_string),
            site_name: None,
            source: TextSource::Page,
            first_seen: now_rfc3339(),
            last_seen: now_rfc3339(),
        };
        store.put_article(&article).unwrap();
    }
    (ws, config)
}

#[test]
fn topics_test_backtests_a_query_against_stored_articles() {
    let (ws, config) = with_stored(&[
        ("Kim Jong Un writes to Trump", TUESDAY, Some("en")),
        ("Markets rally", TUESDAY, Some("en")),
    ]);
    let out = wirewatch(&[
        "topics",
        "test",
        "--config",
        config.to_str().unwrap(),
        "--query",
        "title:Trump",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("Kim Jong Un writes to [[Trump]]"),
        "{stdout}"
    );
    assert!(!stdout.contains("Markets rally"), "{stdout}");
    assert!(stdout.contains("1 of 2 articles"), "{stdout}");

    // The same through `search`, with and without a feed filter.
    let config = config.to_str().unwrap();
    let out = wirewatch(&["search", "--config", config, "title:Trump OR markets"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("2 of 2 articles"), "{stdout}");
    let out = wirewatch(&[
        "search",
        "--config",
        config,
        "--feed",
        "https://other.example/feed",
        "title:Trump",
    ]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("0 of 0 articles"), "{stdout}");

    // Export, whole and filtered.
    let exported = |args: &[&str]| {
        let out = wirewatch(args);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    let lines = |args: &[&str]| exported(args).lines().count();
    assert_eq!(lines(&["export", "--config", config]), 2);
    assert_eq!(lines(&["export", "--config", config, "--since", "1h"]), 2);
    assert_eq!(
        lines(&[
            "export",
            "--config",
            config,
            "--feed",
            "https://other.example/feed"
        ]),
        0
    );
    assert_eq!(
        lines(&[
            "export",
            "--config",
            config,
            "--feed",
            "https://news.example/feed"
        ]),
        2
    );

    let topic_config = ws.path("topics.toml");
    std::fs::write(
        &topic_config,
        "data_dir = \"data\"\n[[topic]]\nname = \"kim\"\nquery = 'title:\"Kim Jong Un\"'\n",
    )
    .unwrap();
    let topic_config = topic_config.to_str().unwrap();
    let by_topic = exported(&["export", "--config", topic_config, "--topic", "kim"]);
    assert_eq!(by_topic.lines().count(), 1, "{by_topic}");
    assert!(by_topic.contains("Kim Jong Un writes to Trump"));
    let by_group = exported(&["export", "--config", config, "--group", "g0000000000000001"]);
    assert_eq!(by_group.lines().count(), 1, "{by_group}");
    assert!(by_group.contains("Markets rally"));
    let by_story = exported(&[
        "export",
        "--config",
        config,
        "--story",
        "s0000000000000000",
        "--group",
        "g0000000000000001",
    ]);
    assert_eq!(by_story.lines().count(), 0, "filters combine: {by_story}");
    let unknown = wirewatch(&["export", "--config", config, "--topic", "nope"]);
    assert!(!unknown.status.success());
    let stderr = String::from_utf8_lossy(&unknown.stderr);
    assert!(stderr.contains("no topic named `nope`"), "{stderr}");
    let bad = wirewatch(&["export", "--config", config, "--group", "g1"]);
    assert!(!bad.status.success(), "a malformed group id is an error");
    let stderr = String::from_utf8_lossy(&bad.stderr);
    assert!(stderr.contains("16 hex digits"), "{stderr}");

    let out = wirewatch(&["stats", "--config", config, "--json"]);
    let stats: serde_json::Value = serde_json::from_slice(&out.stdout).expect("stats JSON");
    assert_eq!(
        (stats["articles"].as_u64(), stats["dead_letters"].as_u64()),
        (Some(2), Some(0))
    );
    let out = wirewatch(&["stats", "--config", config]);
    let table = String::from_utf8_lossy(&out.stdout);
    assert!(
        table
            .lines()
            .any(|l| l.starts_with("articles") && l.ends_with(" 2")),
        "{table}"
    );
}

#[test]
fn topics_test_highlights_terms_in_scripts_without_word_spaces() {
    let (_ws, config) = with_stored(&[
        (
            "朝鲜领导人Kim Jong Un视察工厂",
            "今天北京下雨了，上海晴。",
            None,
        ),
        ("วันนี้กรุงเทพมีฝนตก", "ข่าวสภาพอากาศ", None),
    ]);
    let config = config.to_str().unwrap();
    let query = "title:领导人 \"Kim Jong Un\" 北京 NOT 台北";
    let out = wirewatch(&["topics", "test", "--config", config, "--query", query]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("1 of 2 articles"), "{stdout}");
    assert!(
        stdout.contains("朝鲜[[领导人Kim Jong Un]]视察工厂"),
        "{stdout}"
    );
    assert!(stdout.contains("今天[[北京]]下雨了，上海晴。"), "{stdout}");
    let out = wirewatch(&["search", "--config", config, "กรุงเทพ"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("วันนี้[[กรุงเทพ]]มีฝนตก"), "{stdout}");
    assert!(stdout.contains("1 of 2 articles"), "{stdout}");
}
