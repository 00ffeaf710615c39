use super::*;

fn deduper() -> Deduper {
    Deduper::new(NearConfig::default(), StoryConfig::default())
}

#[test]
fn short_identical_texts_share_a_group_and_distinct_ones_do_not() {
    let mut d = deduper();
    let a = d.place("a", "Brief", "Markets closed higher.", 0);
    let b = d.place("b", "Brief", "Markets closed higher.", 1);
    let c = d.place("c", "Brief", "Markets closed lower.", 2);
    assert_eq!(a.group, b.group);
    assert!(b.joined && !a.joined);
    assert_ne!(a.group, c.group);
    assert_eq!(a.story, b.story, "a body copy takes its group's story");
    assert_eq!(
        c.story,
        StoryId::for_group(c.group),
        "short texts found their own story"
    );
}

fn wire_text(words: usize) -> String {
    (0..words)
        .map(|i| format!("w{}x{}", i % 97, i % 13))
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn a_copy_joins_and_an_update_keeps_its_group_whatever_its_new_text() {
    let mut d = deduper();
    let text = wire_text(400);
    let first = d.place("a", "Talks resume", &text, 10);
    let copy = d.place("b", "Talks resume", &format!("LONDON (Wire) - {text}"), 11);
    assert_eq!(copy.group, first.group);
    assert!(copy.joined && copy.score.is_some());
    assert_eq!(copy.story, first.story);
    let other = d.place("c", "Other", "entirely different words about a match and a goal scored late in the second half by the visiting side", 12);
    let update = d.place("a", "Talks resume", "entirely different words about a match and a goal scored late in the second half by the visiting side", 13);
    assert_ne!(other.group, first.group);
    assert_eq!(update.group, first.group, "an update keeps its group");
    assert!(!update.joined);
}

#[test]
fn a_changed_window_applies_to_later_copies() {
    let mut d = deduper();
    let text = wire_text(400);
    let first = d.place("a", "T", &text, 0);
    d.set_window(Duration::from_secs(60));
    let late = d.place("b", "T", &text, 3600);
    assert_ne!(
        late.group, first.group,
        "the original is outside the new window"
    );
}
