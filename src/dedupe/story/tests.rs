use super::*;

const HOUR: u64 = 3600;

/// Unrelated groups in English, so that document frequencies know the
/// language's function words, as they do in a running daemon.
const FILLER: [(&str, &str); 8] = [
    (
        "Council approves budget for new library",
        "The town council approved the budget for a new public library on Elm Street after months of debate over parking and costs, and the mayor said that work would begin in the spring.",
    ),
    (
        "Local bakery wins regional bread award",
        "A family bakery in Millbrook won the regional sourdough prize, beating forty entrants with a rye loaf that was baked in a wood oven, the judges said on Sunday.",
    ),
    (
        "Storm closes mountain pass for two days",
        "Heavy snow closed the Brenner pass, stranding lorries and forcing skiers to wait in valley hotels until the ploughs had cleared the road, the police said.",
    ),
    (
        "Airline orders thirty jets",
        "Emirates has ordered thirty Boeing jets worth nine billion dollars and said that it would restart its plans to expand the fleet after a difficult year for the industry.",
    ),
    (
        "Teachers protest at statehouse",
        "Thousands of teachers packed the Indiana Statehouse to protest over pay and testing, and they said that the legislature had ignored their concerns for years.",
    ),
    (
        "Oil falls on oversupply fears",
        "Oil prices fell on Monday as traders worried about oversupply, while stocks drifted near record highs and the dollar was little changed against the yen.",
    ),
    (
        "Hikers rescued after night on the mountain",
        "Two hikers were rescued from Mount Hood after a night in the cold, and the rescuers said that the pair had done the right thing by staying where they were.",
    ),
    (
        "Museum returns stolen painting",
        "The museum returned a painting that was stolen from a private collection in the 1970s, after a researcher found it in the archive of a dealer in Vienna.",
    ),
];

fn with_filler() -> StoryIndex {
    let mut index = StoryIndex::new(StoryConfig::default());
    for (i, (title, text)) in FILLER.iter().enumerate() {
        index.assign(GroupId(1000 + i as u64), title, text, 0);
    }
    index
}

#[test]
fn write_ups_of_one_statement_join_and_a_later_statement_does_not() {
    let mut index = with_filler();
    let a = index.assign(
        GroupId(1),
        "North Korea says Kim-Trump relationship remains special",
        "Kim Jong Un and Donald Trump continue to have a special relationship, North Korea's state media said on Thursday. In a statement carried by KCNA, Foreign Ministry adviser Kim Kye Gwan blamed Washington political circles for the Cold War mentality that stalled the talks.",
        HOUR,
    );
    let b = index.assign(
        GroupId(2),
        "Trump and Kim still have 'special' ties, says Pyongyang",
        "North Korean leader Kim Jong Un and President Donald Trump have a special relationship, adviser Kim Kye Gwan said in a statement published by KCNA on Thursday, accusing Washington political circles of a Cold War mentality.",
        2 * HOUR,
    );
    let c = index.assign(
        GroupId(3),
        "North Korea sees little reason to keep Kim-Trump ties",
        "North Korea sees little use in a personal relationship between Kim Jong Un and Donald Trump if Washington keeps hostile policies, Foreign Minister Ri Son Gwon said on Friday in a statement carried by KCNA on the anniversary of the Singapore summit.",
        20 * HOUR,
    );
    assert_eq!(a, StoryId::for_group(GroupId(1)));
    assert_eq!(b, a);
    assert_ne!(c, a);
    assert_eq!(index.story_of(GroupId(2)), Some(a));
}

#[test]
fn texts_in_one_language_do_not_join_by_function_words() {
    // In an index of mostly English texts the German function words are
    // rare, yet two German texts on different events share nothing else.
    let mut index = with_filler();
    let a = index.assign(
        GroupId(1),
        "Die elektronische Patientenakte kommt",
        "Die elektronische Patientenakte soll in der Zukunft die Befunde der Versicherten sammeln, und die Ärzte sind mit dem Zeitplan nicht zufrieden, weil die Software in den Praxen noch nicht funktioniert und es an den Geräten fehlt.",
        HOUR,
    );
    let b = index.assign(
        GroupId(2),
        "Die Bahn erhöht die Preise im Fernverkehr",
        "Die Bahn will die Preise für die Fahrkarten in der Zukunft erhöhen, und die Fahrgäste sind mit dem Plan nicht zufrieden, weil die Züge auf den Strecken noch nicht pünktlich sind und es an den Wagen fehlt.",
        2 * HOUR,
    );
    let c = index.assign(
        GroupId(3),
        "Il museo restituisce il dipinto rubato",
        "Il museo di Firenze ha restituito il dipinto che era stato rubato negli anni settanta, e la famiglia ha detto che non sono state date spiegazioni per il ritardo della polizia.",
        3 * HOUR,
    );
    assert_ne!(a, b);
    assert_ne!(c, a);
    assert_ne!(c, b);
}

#[test]
fn a_story_past_its_window_attracts_no_more() {
    let mut index = with_filler();
    let title = "Google Stadia launches to mixed reviews";
    let text = "Google launched its Stadia game streaming service on Tuesday, and early reviewers of Stadia said that Destiny 2 streamed below 4K and the library was thin.";
    let a = index.assign(GroupId(1), title, text, HOUR);
    let b = index.assign(GroupId(2), title, text, 30 * HOUR);
    assert_eq!(b, a);
    // 48 hours after the newest member (not the first), the story is closed.
    let c = index.assign(GroupId(3), title, text, 30 * HOUR + 49 * HOUR);
    assert_ne!(c, a);
    assert_eq!(index.expire(2 * HOUR), 9);
    assert_eq!(index.len(), 2);
}

/// Indexes the filler and three groups with a short lead (so that the
/// quotations further down count only through the quotation rule) and
/// returns their stories.
fn quotation_case(config: StoryConfig) -> [StoryId; 3] {
    let quote = "\u{201c}Washington political circles and policy makers of the administration are hostile to us for no reason, preoccupied with the Cold War mentality and ideological prejudice,\u{201d}";
    let mut index = StoryIndex::new(config);
    for (i, (title, text)) in FILLER.iter().enumerate() {
        index.assign(GroupId(1000 + i as u64), title, text, 0);
    }
    let a = index.assign(
        GroupId(1),
        "North Korean adviser blames Washington hawks",
        &format!(
            "North Korean adviser Kim Kye Gwan accused Washington of hostility in a statement carried by KCNA on Thursday, after the talks in Sweden broke down.\n\n{quote} adviser Kim Kye Gwan said."
        ),
        HOUR,
    );
    let b = index.assign(
        GroupId(2),
        "Kim adviser praises ties with Trump",
        &format!(
            "Kim Kye Gwan, who advises the Foreign Ministry, told KCNA on Thursday that the leaders still trust each other despite the stalled talks.\n\n{quote} he added."
        ),
        2 * HOUR,
    );
    // The same people and places, other words and other quotes: a later
    // statement.
    let c = index.assign(
        GroupId(3),
        "North Korea rejects talks without concessions",
        "North Korea will not return to talks with Washington without real concessions, the Foreign Ministry told KCNA on Saturday in a new statement.\n\n\u{201c}We have been deceived and will not give the United States another achievement for nothing,\u{201d} the statement said.",
        3 * HOUR,
    );
    [a, b, c]
}

#[test]
fn a_shared_quotation_links_write_ups_in_different_words() {
    let short_lead = StoryConfig {
        lead_words: 25,
        ..StoryConfig::default()
    };
    let [a, b, c] = quotation_case(short_lead.clone());
    assert_eq!(b, a);
    assert_ne!(c, a);
    // Without the quotation rule the wording alone does not link them.
    let [a, b, _] = quotation_case(StoryConfig {
        quote_bonus: 0.0,
        ..short_lead
    });
    assert_ne!(b, a);
}
