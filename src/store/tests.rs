//! Store behaviour on a real sled database in a temporary directory.

use super::*;
use crate::model::{Alert, AlertId, Event, GroupId, StoryId, rfc3339_secs};

/// A group id from a short name such as `g2` (the number after the letter).
fn gid(name: &str) -> GroupId {
    GroupId(
        name.trim_start_matches(|c: char| !c.is_ascii_digit())
            .parse()
            .unwrap_or(0),
    )
}

fn alert(topic: &str, group: &str) -> Alert {
    Alert {
        id: AlertId::for_firing(topic, group),
        topic: topic.into(),
        url: format!("https://news.example/{group}"),
        canonical_url: format!("https://news.example/{group}"),
        title: "A title".into(),
        published: None,
        feed: "https://news.example/feed.xml".into(),
        group: gid(group),
        story: StoryId::default(),
        snippet: String::new(),
        matched: vec![],
        raised_at: "2026-01-01T00:00:00Z".into(),
    }
}

#[test]
fn a_topic_fires_once_per_key_and_queues_for_every_sink_in_order() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let sinks = ["a".to_string(), "b".to_string()];
    assert!(store.fire(&alert("t", "g2"), "g2", &sinks).unwrap());
    assert!(!store.fire(&alert("t", "g2"), "g2", &sinks).unwrap());
    assert!(store.fire(&alert("t", "g1"), "g1", &sinks).unwrap());
    let queued = store.pending("a", 10).unwrap();
    let groups: Vec<_> = queued
        .iter()
        .map(|q| match &q.delivery.event {
            Event::Alert(a) => a.group,
            other => panic!("only alerts were queued, not {other:?}"),
        })
        .collect();
    assert_eq!(groups, [gid("g2"), gid("g1")], "raised order, not id order");
    store.delivered(&queued[0]).unwrap();
    assert_eq!(store.pending("a", 10).unwrap().len(), 1);
    assert_eq!(store.pending("b", 10).unwrap().len(), 2);
}

#[test]
fn a_version_1_outbox_is_carried_over() {
    let dir = tempfile::tempdir().unwrap();
    {
        let db = sled::open(dir.path()).unwrap();
        db.insert("schema", b"1").unwrap();
        let outbox = db.open_tree("outbox").unwrap();
        let old = alert("t", "g1");
        let value = serde_json::to_vec(&old).unwrap();
        outbox.insert(pair("hook", &old.id.0), value).unwrap();
        db.flush().unwrap();
    }
    let store = Store::open(dir.path()).unwrap();
    let queued = store.pending("hook", 10).unwrap();
    assert_eq!(queued.len(), 1);
    assert_eq!(queued[0].delivery.event, Event::Alert(alert("t", "g1")));
    let schema = store.db.get("schema").unwrap().unwrap();
    assert_eq!(schema.as_ref(), SCHEMA_VERSION);
}

fn article(url: &str, group: &str, last_seen: &str) -> crate::model::Article {
    crate::model::Article {
        url: url.into(),
        final_url: url.into(),
        canonical_url: url.into(),
        title: "A title".into(),
        text: "Some text".into(),
        published: None,
        modified: None,
        feed: "https://news.example/feed.xml".into(),
        feed_name: None,
        group: gid(group),
        story: StoryId::default(),
        byline: None,
        lang: None,
        site_name: None,
        source: crate::model::TextSource::Page,
        first_seen: last_seen.into(),
        last_seen: last_seen.into(),
    }
}

fn member(url: &str, seen: &str) -> Member {
    Member {
        canonical_url: url.into(),
        feed: "https://news.example/feed.xml".into(),
        first_seen: seen.into(),
        words: 10,
    }
}

fn item(url: &str) -> ItemState {
    ItemState {
        canonical_url: url.into(),
        entry: 0,
        page: Default::default(),
        rechecks: 0,
        next_recheck: None,
    }
}

/// Sweeps every tree to the end, small batches so that cursors are used.
fn sweep_all(store: &Store, before: u64, listed: &dyn Fn(&str, &str) -> bool) -> usize {
    let mut removed = 0;
    for what in Sweep::ALL {
        let mut from = None;
        loop {
            let swept = store
                .sweep(what, before, from.as_deref(), 1, listed)
                .unwrap();
            removed += swept.removed;
            from = swept.next;
            if from.is_none() {
                break;
            }
        }
    }
    removed
}

#[test]
fn retention_forgets_old_articles_their_groups_and_alerts_but_keeps_listed_items() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let (old, new) = ("2026-01-01T00:00:00Z", "2026-03-01T00:00:00Z");
    let cut = 1_770_000_000; // 2026-02-02
    // g1: only old copies; g2: an old and a new copy.
    for (url, group, seen) in [("a1", "g1", old), ("a2", "g2", old), ("a3", "g2", new)] {
        store.put_article(&article(url, group, seen)).unwrap();
        let mut record = store.group(&gid(group)).unwrap().unwrap_or(GroupRecord {
            id: gid(group),
            ..GroupRecord::default()
        });
        record.join(member(url, seen));
        store.put_group(&record).unwrap();
        store
            .put_item("feed", &format!("item-{url}"), &item(url))
            .unwrap();
    }
    store.group_for_body("body1", GroupId(1)).unwrap();
    store.fire(&alert("t", "g1"), "g1", &[]).unwrap();
    store.fire(&alert("t", "g2"), "g2", &[]).unwrap();
    // The feed still lists a1's item; a2's is gone from it.
    let listed = |_: &str, key: &str| key == "item-a1";
    let removed = sweep_all(&store, cut, &listed);
    assert_eq!(removed, 5, "a1, a2, the g1 alert, the g1 body, a2's item");
    assert!(store.article("a1").unwrap().is_none() && store.article("a2").unwrap().is_none());
    assert!(store.article("a3").unwrap().is_some());
    assert!(store.group(&GroupId(1)).unwrap().is_none());
    let g2 = store.group(&GroupId(2)).unwrap().unwrap();
    assert_eq!((g2.members.len(), g2.representative.as_str()), (1, "a3"));
    assert!(store.fired_on("t", "g1").unwrap().is_none());
    assert!(
        store.fired_on("t", "g2").unwrap().is_some(),
        "its group lives on"
    );
    assert!(
        store.item("feed", "item-a1").unwrap().is_some(),
        "still listed"
    );
    assert!(store.item("feed", "item-a2").unwrap().is_none());
    assert!(store.item("feed", "item-a3").unwrap().is_some());
    // A second sweep finds nothing more.
    assert_eq!(sweep_all(&store, cut, &listed), 0);
}

#[test]
fn held_alerts_fire_once_survive_a_reopen_and_leave_with_their_digest() {
    let dir = tempfile::tempdir().unwrap();
    let held = |group: &str| Held {
        alert: alert("t", group),
        sinks: vec!["a".into()],
        held_at_ms: 1,
    };
    {
        let store = Store::open(dir.path()).unwrap();
        assert!(store.fire_held(&held("g1"), "g1").unwrap());
        assert!(!store.fire_held(&held("g1"), "g1").unwrap());
        assert!(store.fire_held(&held("g2"), "g2").unwrap());
        assert!(
            store.pending("a", 10).unwrap().is_empty(),
            "held, not queued"
        );
    }
    let store = Store::open(dir.path()).unwrap();
    let topics = store.held().unwrap();
    let entries = &topics["t"];
    let groups: Vec<_> = entries.iter().map(|e| e.held.alert.group).collect();
    assert_eq!(groups, [gid("g1"), gid("g2")]);
    let event = Event::Alert(alert("t", "digest-stand-in"));
    store
        .release(entries, &[(event.clone(), "a".into())])
        .unwrap();
    assert_eq!(store.held_len(), 0);
    assert_eq!(store.pending("a", 10).unwrap()[0].delivery.event, event);
}

#[test]
fn a_database_is_opened_once_its_holder_lets_go_and_reported_if_it_never_does() {
    let dir = tempfile::tempdir().unwrap();
    let holder = Store::open(dir.path()).unwrap();
    let released = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(300));
        drop(holder);
    });
    let store = Store::open(dir.path()).expect("opened once the holder closed");
    released.join().unwrap();

    let err = Store::open(dir.path())
        .err()
        .expect("a second open while held");
    assert!(matches!(err, StoreError::Locked { .. }), "{err}");
    assert!(
        err.to_string().contains("in use by another process"),
        "{err}"
    );
    drop(store);
}

#[test]
fn a_merged_group_hands_its_members_and_alerts_to_the_one_it_joins() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let seen = "2026-01-01T00:00:00Z";
    let record = |id: &str, story: &str, urls: &[&str]| {
        let mut record = GroupRecord {
            id: gid(id),
            story: StoryId(gid(story).0),
            ..GroupRecord::default()
        };
        for url in urls {
            store.put_article(&article(url, id, seen)).unwrap();
            let fingerprint = FingerprintRecord {
                group: gid(id),
                at: 1,
                fingerprint: vec![1, 2, 3],
            };
            store.put_fingerprint(url, &fingerprint).unwrap();
            record.join(member(url, seen));
        }
        store.put_group(&record).unwrap();
    };
    record("g1", "s1", &["https://a.example/1"]);
    record("g2", "s2", &["https://b.example/2", "https://c.example/3"]);
    let (g1, g2) = (gid("g1"), gid("g2"));
    assert!(
        store
            .fire(&alert("harbour", "g2"), &g2.to_string(), &[])
            .unwrap()
    );

    let moved = store.merge_groups(GroupId(2), GroupId(1)).unwrap();
    assert_eq!(moved, 2);
    assert!(store.group(&GroupId(2)).unwrap().is_none());
    let kept = store.group(&GroupId(1)).unwrap().unwrap();
    assert_eq!(kept.members.len(), 3);
    for url in ["https://b.example/2", "https://c.example/3"] {
        let moved = store.article(url).unwrap().unwrap();
        assert_eq!((moved.group, moved.story), (g1, StoryId(1)));
    }
    let groups: Vec<GroupId> = store
        .fingerprints_since(0)
        .map(|r| r.unwrap().1.group)
        .collect();
    assert_eq!(groups, [g1, g1, g1]);

    assert!(store.carry_fired("harbour", g2, g1).unwrap());
    assert!(!store.carry_fired("harbour", g2, g1).unwrap(), "once");
    assert!(!store.carry_fired("other", g2, g1).unwrap());
    let carried = store.fired_on("harbour", &g1.to_string()).unwrap().unwrap();
    assert_eq!(carried.group, g1, "swept with the group it now names");
    assert!(
        !store
            .fire(&alert("harbour", "g1"), &g1.to_string(), &[])
            .unwrap()
    );
}

fn group(id: &str, story: &str, members: &[(&str, &str)]) -> GroupRecord {
    let mut record = GroupRecord {
        id: gid(id),
        story: StoryId(gid(story).0),
        ..GroupRecord::default()
    };
    for (url, seen) in members {
        record.join(member(url, seen));
    }
    record
}

/// The short names (`g2`) of groups made by `group`.
fn ids(groups: Vec<GroupRecord>) -> Vec<String> {
    groups.into_iter().map(|g| format!("g{}", g.id.0)).collect()
}

#[test]
fn groups_are_found_by_activity_and_story_and_merges_keep_the_indexes() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let t0 = "2026-01-01T00:00:00Z";
    let t1 = "2026-01-02T00:00:00Z";
    let t2 = "2026-01-03T00:00:00Z";
    store.put_group(&group("g1", "s1", &[("a", t0)])).unwrap();
    store.put_group(&group("g2", "s1", &[("b", t1)])).unwrap();
    store.put_group(&group("g3", "s3", &[("c", t0)])).unwrap();
    let day2 = rfc3339_secs(t1).unwrap();
    assert_eq!(ids(store.active_groups(day2, 10).unwrap()), ["g2"]);
    // A late copy makes g3 active again, and it is listed once.
    store
        .put_group(&group("g3", "s3", &[("c", t0), ("d", t2)]))
        .unwrap();
    assert_eq!(ids(store.active_groups(day2, 10).unwrap()), ["g3", "g2"]);
    assert_eq!(ids(store.active_groups(0, 1).unwrap()), ["g3"]);
    assert_eq!(ids(store.story_groups(&StoryId(1)).unwrap()), ["g1", "g2"]);
    store.merge_groups(gid("g2"), gid("g1")).unwrap();
    assert_eq!(ids(store.story_groups(&StoryId(1)).unwrap()), ["g1"]);
    assert_eq!(ids(store.active_groups(day2, 10).unwrap()), ["g3", "g1"]);
}

#[test]
fn articles_are_read_newest_first_from_a_time_and_leave_the_index_with_retention() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    for (url, seen) in [
        ("u1", "2026-01-01T00:00:00Z"),
        ("u2", "2026-01-03T00:00:00Z"),
    ] {
        store.put_article(&article(url, "g", seen)).unwrap();
        store.put_article(&article(url, "g", seen)).unwrap();
    }
    let urls = |since| -> Vec<String> {
        let found = store
            .articles_since(since)
            .map(|a| a.unwrap().canonical_url);
        found.collect()
    };
    assert_eq!(urls(0), ["u2", "u1"]);
    assert_eq!(urls(rfc3339_secs("2026-01-02T00:00:00Z").unwrap()), ["u2"]);
    sweep_all(
        &store,
        rfc3339_secs("2026-01-02T00:00:00Z").unwrap(),
        &|_, _| false,
    );
    assert_eq!(urls(0), ["u2"]);
}

#[test]
fn a_version_2_database_gets_its_indexes() {
    let dir = tempfile::tempdir().unwrap();
    {
        let db = sled::open(dir.path()).unwrap();
        db.insert("schema", b"2").unwrap();
        let groups = db.open_tree("groups").unwrap();
        let record = group("g1", "s1", &[("a", "2026-01-01T00:00:00Z")]);
        groups
            .insert(gid("g1").to_string(), serde_json::to_vec(&record).unwrap())
            .unwrap();
        let articles = db.open_tree("articles").unwrap();
        let stored = article("a", "g1", "2026-01-01T00:00:00Z");
        articles
            .insert("a", serde_json::to_vec(&stored).unwrap())
            .unwrap();
        db.flush().unwrap();
    }
    let store = Store::open(dir.path()).unwrap();
    assert_eq!(ids(store.story_groups(&StoryId(1)).unwrap()), ["g1"]);
    assert_eq!(ids(store.active_groups(0, 10).unwrap()), ["g1"]);
    assert_eq!(store.articles_since(0).count(), 1);
}
