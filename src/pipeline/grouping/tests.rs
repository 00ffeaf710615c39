//! The daemon's group stage and `wirewatch dedupe`'s memory ledger are one
//! engine: over the same articles in the same order they give the same
//! groups, stories and merges, id for id.

use super::*;
use crate::dedupe::{Deduper, NearConfig, StoryConfig, fingerprint};
use crate::model::TextSource;

const SEEDS: [&str; 5] = [
    include_str!("../../../seeds/000_492b3f3a1e2b6a54.txt"),
    include_str!("../../../seeds/001_886c5204d1676e86.txt"),
    include_str!("../../../seeds/002_3dea8673548db76d.txt"),
    include_str!("../../../seeds/003_70b5c2bd2ece4fed.txt"),
    include_str!("../../../seeds/004_fd1ccbb12aba344c.txt"),
];

/// Every seed, and copies of it as outlets run wire text: under a
/// dateline, without the tail, without the lead (the last two only
/// bridge once a whole copy arrives), with words changed; and short briefs
/// that only exact-body grouping can place.
fn corpus() -> Vec<(String, String, String)> {
    let mut out = Vec::new();
    for (i, seed) in SEEDS.iter().enumerate() {
        let words: Vec<&str> = seed.split_whitespace().collect();
        let n = words.len();
        let title = words[..8.min(n)].join(" ");
        let variants = [
            words[n / 3..].join(" "),
            words[..n * 2 / 3].join(" "),
            seed.to_string(),
            format!("SEOUL (Wire) — {seed} Reporting by the desk."),
            seed.replace("Trump", "Donald Trump")
                .replace("said", "stated"),
        ];
        for (v, text) in variants.into_iter().enumerate() {
            out.push((
                format!("https://outlet{v}.example/{i}"),
                title.clone(),
                text,
            ));
        }
    }
    for (i, brief) in ["Markets closed higher.", "Markets closed higher.", "Rain."]
        .iter()
        .enumerate()
    {
        out.push((
            format!("https://brief.example/{i}"),
            "Brief".into(),
            brief.to_string(),
        ));
    }
    out
}

fn article(url: &str, title: &str, text: &str) -> Article {
    Article {
        url: url.into(),
        final_url: url.into(),
        canonical_url: url.into(),
        title: title.into(),
        text: text.into(),
        published: None,
        modified: None,
        feed: format!("{url}/feed"),
        feed_name: None,
        group: GroupId::default(),
        story: StoryId::default(),
        byline: None,
        lang: None,
        site_name: None,
        source: TextSource::Page,
        first_seen: "2026-01-01T00:00:00Z".into(),
        last_seen: "2026-01-01T00:00:00Z".into(),
    }
}

/// Places the corpus in `order` through the store-backed stage and through
/// the memory deduper; both must agree on every placement and, after the
/// merges, on every article's final group and story. Returns how many
/// copies joined a group and how many groups were merged.
fn both_agree(order: &[usize]) -> (usize, usize) {
    let corpus = corpus();
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let mut stage = Grouping::rebuild(&store, Duration::from_secs(3 * 86400)).unwrap();
    let mut memory = Deduper::new(NearConfig::default(), StoryConfig::default());
    let (mut joined, mut merged) = (0, 0);
    for &i in order {
        let (url, title, text) = &corpus[i];
        let mut stored = article(url, title, text);
        let placed = stage
            .place(&store, &stored, &fingerprint(text), None)
            .unwrap();
        let expected = memory.place(url, title, text, unix_now());
        assert_eq!(placed, expected, "placing {url}");
        joined += usize::from(placed.joined);
        merged += placed.merged.len();
        (stored.group, stored.story) = (placed.group, placed.story);
        store.put_article(&stored).unwrap();
    }
    for (url, _, _) in &corpus {
        let stored = store.article(url).unwrap().unwrap();
        assert_eq!(
            memory.article(url),
            Some((stored.group, stored.story)),
            "final ids of {url}"
        );
    }
    (joined, merged)
}

#[test]
fn the_daemon_stage_and_the_memory_deduper_place_alike_in_any_order() {
    let n = corpus().len();
    let forward: Vec<usize> = (0..n).collect();
    let backward: Vec<usize> = (0..n).rev().collect();
    // Every fifth, so partial copies arrive before their whole.
    let strided: Vec<usize> = (0..5).flat_map(|s| (s..n).step_by(5)).collect();
    let (joined, _) = both_agree(&forward);
    assert!(joined >= 15, "copies join their seed's group: {joined}");
    both_agree(&backward);
    let (_, merged) = both_agree(&strided);
    assert!(
        merged >= 1,
        "a whole copy bridges the partial ones: {merged}"
    );
}
