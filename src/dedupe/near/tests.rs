use super::*;
use crate::dedupe::sketch::fingerprint;

const ORIGINAL: [&str; 10] = [
    "North Korea said on Friday that the personal relationship between leader Kim Jong Un and U.S. President Donald Trump remained special, but warned that Washington's hostile policy was pushing the two countries toward a dangerous confrontation in the months ahead.",
    "The statement, carried by the official Korean Central News Agency, came days after working-level talks in Stockholm broke down without any agreement on denuclearization or the lifting of sanctions that have crippled the isolated country's economy.",
    "A spokesman for the foreign ministry said the United States had brought nothing new to the negotiating table and accused officials in Washington of clinging to an outdated Cold War mindset that favored pressure over genuine dialogue.",
    "Analysts in Seoul said the message appeared designed to separate Trump from his advisers, whom Pyongyang has repeatedly criticized, while keeping the door open to another summit before the year-end deadline that Kim set for a change of approach.",
    "The two leaders have met three times since June 2018, including a brief encounter at the demilitarized zone, but the meetings have produced few concrete steps and satellite imagery suggests work continues at several missile facilities.",
    "South Korea's unification ministry said it was closely watching the situation and urged both sides to resume negotiations as soon as possible, adding that the hard-won momentum for peace on the peninsula must not be lost to mutual distrust.",
    "Officials in Tokyo said they would coordinate with Washington and Seoul, and called on Pyongyang to abandon its weapons programs in a complete and verifiable manner, as required by a series of resolutions of the United Nations Security Council.",
    "The statement did not mention the recent tests of short-range ballistic missiles, which Trump has played down as small and routine, even though Japanese officials said they violated the resolutions and threatened the security of the whole region.",
    "Diplomats at the United Nations said a meeting of the council on human rights in North Korea, usually held in December, could be postponed for a second year because members were divided over whether it would harm the chances of new talks.",
    "The foreign ministry spokesman said the country would not beg for talks and would find a new way to defend its sovereignty if the United States failed to change its calculations by the end of the year, repeating a warning first issued in April.",
];

const OTHER: [&str; 6] = [
    "A proposal to build a new stadium on the northern edge of the city cleared its first hurdle on Tuesday when the planning committee voted to allow developers to submit detailed designs for a venue that could seat up to forty thousand fans.",
    "Supporters of the plan say the stadium would bring thousands of jobs and millions of dollars in tax revenue, while opponents warn that traffic on the ring road is already unbearable during rush hour and that the land should remain parkland.",
    "The committee chairwoman said residents would be consulted at a series of public meetings over the winter, and that no final decision would be taken before an independent study of the effects on air quality and local wildlife had been published.",
    "Developers declined to say how much the project would cost, but documents seen by reporters put the figure at more than two hundred million dollars, most of it to be raised from private investors and a naming rights agreement with a bank.",
    "The club that would play at the stadium has shared a cramped ground with a rugby team for nearly a decade and has said repeatedly that it cannot compete for the league title without a larger home and the revenue that comes with it.",
    "A final vote by the full council is expected in the spring, after the study is published and the consultation has closed, and officials said construction could begin the following year if the council approves the designs and the financing.",
];

const BOILERPLATE: [&str; 2] = [
    "Sign up for our morning newsletter to receive the most important stories of the day from our newsroom delivered directly to your inbox every morning.",
    "Our journalism depends on readers like you, so please consider supporting the newsroom with a subscription today and help us keep reporting the news that matters.",
];

fn body(paragraphs: &[&str]) -> String {
    paragraphs.join("\n\n")
}

fn index_with(key: &str, text: &str, at: u64) -> NearIndex {
    let mut index = NearIndex::new(NearConfig::default());
    index.insert(key, GroupId::for_article(key), &fingerprint(text), at);
    index
}

#[test]
fn a_copy_truncated_to_forty_percent_joins() {
    let mut index = index_with("wire/1", &body(&ORIGINAL), 1000);
    let copy = body(&ORIGINAL[..4]);
    let (group, score) = index.find(&fingerprint(&copy), 1100).expect("copy found");
    assert_eq!(group, GroupId::for_article("wire/1"));
    assert!(score > 0.9, "{score}");
    // The other way round: the truncated copy came first.
    let mut index = index_with("copy/1", &copy, 1000);
    assert!(index.find(&fingerprint(&body(&ORIGINAL)), 1100).is_some());
}

#[test]
fn a_copy_with_dateline_credit_uk_spelling_and_curly_quotes_joins() {
    let mut index = index_with("wire/1", &body(&ORIGINAL), 1000);
    let mut paragraphs: Vec<String> = ORIGINAL.iter().map(|p| p.to_string()).collect();
    paragraphs[0] = format!("SEOUL, Nov 22 (Wirestream) \u{2014} {}", paragraphs[0]);
    paragraphs.remove(5);
    let mut copy = paragraphs.join("\n\n");
    for (us, uk) in [
        ("denuclearization", "denuclearisation"),
        ("criticized", "criticised"),
        ("favored", "favoured"),
        ("programs", "programmes"),
    ] {
        copy = copy.replace(us, uk);
    }
    copy = copy.replace('\'', "\u{2019}").replace(". ", ".\u{a0} ");
    copy.insert_str(0, "Editor\u{2019}s note: This story is republished from Wirestream under a content-sharing agreement.\n\n");
    copy.push_str("\n\nReporting by Jane Roe in Seoul; Editing by John Doe");
    let (group, score) = index.find(&fingerprint(&copy), 1100).expect("copy found");
    assert_eq!(group, GroupId::for_article("wire/1"));
    assert!(score > 0.8, "{score}");
}

#[test]
fn different_stories_sharing_site_boilerplate_do_not_group() {
    let mut a: Vec<&str> = ORIGINAL[..6].to_vec();
    let mut b: Vec<&str> = OTHER.to_vec();
    for p in BOILERPLATE {
        a.push(p);
        b.push(p);
    }
    let mut index = index_with("site/a", &body(&a), 1000);
    assert_eq!(index.find(&fingerprint(&body(&b)), 1100), None);
    let c = containment(&fingerprint(&body(&a)), &fingerprint(&body(&b)));
    assert!(c.score() < 0.3, "{c:?}");
}

#[test]
fn the_window_expires() {
    let day = 24 * 3600;
    let mut index = index_with("wire/1", &body(&ORIGINAL), 10 * day);
    let copy = fingerprint(&body(&ORIGINAL[..7]));
    assert!(index.find(&copy, 12 * day).is_some());
    // Outside the window the entry no longer attracts copies…
    assert!(index.find(&copy, 14 * day).is_none());
    // …and expiry frees it.
    assert_eq!(index.expire(11 * day), 1);
    assert!(index.is_empty());
    assert!(index.find(&copy, 12 * day).is_none());
}

#[test]
fn assign_founds_groups_joins_copies_and_keeps_updates_in_place() {
    let mut index = NearIndex::new(NearConfig::default());
    let (g1, s1) = index.assign("wire/1", &fingerprint(&body(&ORIGINAL[..8])), 100);
    assert_eq!((g1, s1), (GroupId::for_article("wire/1"), None));
    let (g2, s2) = index.assign("copy/1", &fingerprint(&body(&ORIGINAL[..5])), 200);
    assert_eq!(g2, g1);
    assert!(s2.is_some());
    let (g3, _) = index.assign("site/b", &fingerprint(&body(&OTHER)), 300);
    assert_ne!(g3, g1);
    // An update of the original keeps its group and does not add an entry.
    let (g4, s4) = index.assign("wire/1", &fingerprint(&body(&ORIGINAL)), 400);
    assert_eq!((g4, s4), (g1, None));
    assert_eq!(index.len(), 3);
    assert!(index.remove("copy/1"));
    assert_eq!(index.len(), 2);
}

#[test]
fn a_copy_holding_two_parts_of_one_text_merges_their_groups() {
    let mut index = NearIndex::new(NearConfig::default());
    // One copy without its tail, one without its lead: they share only two
    // paragraphs of six, too little to call either a copy of the other.
    let head = index.assign_merging("a/head", &fingerprint(&body(&ORIGINAL[..6])), 100);
    let tail = index.assign_merging("b/tail", &fingerprint(&body(&ORIGINAL[4..])), 200);
    assert_ne!(head.group, tail.group);
    assert_eq!(tail.score, None);
    let whole = index.assign_merging("wire/1", &fingerprint(&body(&ORIGINAL)), 300);
    assert!(whole.score.is_some());
    assert_eq!(whole.merged.len(), 1, "{whole:?}");
    let (kept, gone) = match whole.group == head.group {
        true => (head.group, tail.group),
        false => (tail.group, head.group),
    };
    assert_eq!(whole.merged, [gone]);
    for key in ["a/head", "b/tail", "wire/1"] {
        assert_eq!(index.group_of(key), Some(kept), "{key}");
    }
}

#[test]
fn a_long_article_quoting_two_texts_does_not_merge_them() {
    let mut index = NearIndex::new(NearConfig::default());
    let korea = index.assign_merging("a/korea", &fingerprint(&body(&ORIGINAL[..4])), 100);
    let stadium = index.assign_merging("b/stadium", &fingerprint(&body(&OTHER[..4])), 200);
    assert_ne!(korea.group, stadium.group);
    let both: Vec<&str> = ORIGINAL[..4].iter().chain(&OTHER[..4]).copied().collect();
    let roundup = index.assign_merging("c/roundup", &fingerprint(&body(&both)), 300);
    assert!(roundup.merged.is_empty(), "{roundup:?}");
    assert_ne!(index.group_of("a/korea"), index.group_of("b/stadium"));
}

/// The plain merge of two sorted samples, counting each shared value once.
fn merged(a: &Fingerprint, b: &Fingerprint) -> Containment {
    let limit = a.limit().min(b.limit());
    let top = b.ranks().last().copied().unwrap_or(0);
    let shift = (32 - top.leading_zeros()).saturating_sub(16);
    let ours: Vec<u32> = a
        .ranks()
        .iter()
        .filter(|&&r| r <= limit)
        .map(|&r| r >> shift)
        .collect();
    let mut theirs: Vec<u32> = b
        .ranks()
        .iter()
        .map(|&r| r >> shift)
        .filter(|&q| q <= limit >> shift)
        .collect();
    let smaller = ours.len().min(theirs.len());
    theirs.dedup();
    let matches = theirs.iter().filter(|q| ours.contains(q)).count();
    Containment { matches, smaller }
}

#[test]
fn bitmap_comparison_equals_the_merge() {
    // Copies cut at every length, other stories, with and without
    // boilerplate: texts whose samples are complete, partial, or both.
    let mut texts: Vec<String> = (1..=ORIGINAL.len()).map(|n| body(&ORIGINAL[..n])).collect();
    texts.extend((1..=OTHER.len()).map(|n| body(&OTHER[..n])));
    texts.push(format!(
        "{}\n\n{}",
        body(&ORIGINAL[3..]),
        body(&BOILERPLATE)
    ));
    texts.push(format!("{}\n\n{}", body(&OTHER), body(&BOILERPLATE)));
    let fps: Vec<Fingerprint> = texts.iter().map(|t| fingerprint(t)).collect();
    let mut bits = QueryBits::default();
    for a in &fps {
        for b in &fps {
            let entry = Entry::new(0, GroupId(0), b, 0);
            assert_eq!(bits.compare(a, &entry), merged(a, b));
        }
        bits.clear(a);
    }
}
