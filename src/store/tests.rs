//! Store behaviour on a real sled database in a temporary directory.

use super::*;
use crate::model::{Alert, AlertId, Event, GroupId, StoryId};

fn alert(topic: &str, group: &str) -> Alert {
    Alert {
        id: AlertId::for_firing(topic, group),
        topic: topic.into(),
        url: format!("https://news.example/{group}"),
        canonical_url: format!("https://news.example/{group}"),
        title: "A title".into(),
        published: None,
        feed: "https://news.example/feed.xml".into(),
        group: GroupId(group.into()),
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
            Event::Alert(a) => a.group.0.clone(),
            other => panic!("only alerts were queued, not {other:?}"),
        })
        .collect();
    assert_eq!(groups, ["g2", "g1"], "raised order, not id order");
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
    let groups: Vec<_> = entries
        .iter()
        .map(|e| e.held.alert.group.0.as_str())
        .collect();
    assert_eq!(groups, ["g1", "g2"]);
    let event = Event::Alert(alert("t", "digest-stand-in"));
    store
        .release(entries, &[(event.clone(), "a".into())])
        .unwrap();
    assert_eq!(store.held_len(), 0);
    assert_eq!(store.pending("a", 10).unwrap()[0].delivery.event, event);
}
