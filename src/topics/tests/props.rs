//! Property test: on random topic sets over a tiny vocabulary (so that
//! phrases, prefixes, NEAR windows and title boundaries collide often),
//! the compiled `TopicSet` must report exactly what evaluating each
//! `TopicSpec` on its own reports, matched terms included, both through
//! one `Matcher` reused across documents (so stale per-article state
//! would show) and through the owned `TopicSet::matches`. Han and Thai
//! words, glued to Latin ones by the generator's separators, exercise
//! single-character tokens in mixed text.

use super::super::*;

/// xorshift64*: deterministic, dependency-free randomness.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }

    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }
}

/// Latin words, and Han and Thai ones whose characters are tokens each
/// (`北京` is the phrase 北 京, and `京` occurs inside it).
const WORDS: [&str; 11] = [
    "a",
    "ab",
    "abc",
    "b",
    "Bé",
    "c",
    "dd",
    "ee",
    "北京",
    "京",
    "กรุง",
];

/// A word, prefix, phrase or hyphenated word, maybe title-scoped.
fn term(rng: &mut Rng) -> String {
    let word = rng.pick(&WORDS);
    let text = match rng.below(5) {
        0 => format!("{word}*"),
        1 => format!("\"{word} {}\"", rng.pick(&WORDS)),
        2 => format!("{word}-{}", rng.pick(&WORDS)),
        _ => word.to_owned(),
    };
    if rng.chance(20) {
        format!("title:{text}")
    } else {
        text
    }
}

/// A random valid query; `depth` bounds the nesting.
fn query(rng: &mut Rng, depth: usize) -> String {
    if depth == 0 || rng.chance(35) {
        return match rng.below(10) {
            0 | 1 => format!("{} NEAR/{} {}", term(rng), rng.below(4), term(rng)),
            2 => rng
                .pick(&["lang:en", "lang:de", "site:x.com", "feed:news"])
                .to_owned(),
            _ => term(rng),
        };
    }
    let (a, b) = (query(rng, depth - 1), query(rng, depth - 1));
    match rng.below(4) {
        0 => format!("({a} OR {b})"),
        1 => format!("({a} AND {b})"),
        2 => format!("({a} {b})"),
        _ => format!("NOT ({a})"),
    }
}

fn weighted(rng: &mut Rng) -> Weighted {
    let count = 1 + rng.below(3);
    let terms: Vec<(String, f64)> = (0..count)
        .map(|_| (term(rng), [-2.0, -1.0, 1.0, 1.5, 3.0][rng.below(5)]))
        .collect();
    let threshold = [-1.0, 0.0, 1.0, 2.5, 3.0][rng.below(5)];
    Weighted::new(terms, threshold).expect("generated list is valid")
}

fn spec(rng: &mut Rng, index: usize) -> TopicSpec {
    let src = query(rng, 3);
    let q = Query::parse(&src).unwrap_or_else(|e| panic!("{src}: {e}"));
    let mut spec = TopicSpec::new(format!("t{index}"), q);
    match rng.below(6) {
        0 => spec.query = None,
        1 => {}
        _ => return spec.with_languages(langs(rng)),
    }
    spec.with_weighted(weighted(rng)).with_languages(langs(rng))
}

fn langs(rng: &mut Rng) -> Vec<String> {
    match rng.below(5) {
        0 => vec!["en".into()],
        1 => vec!["de".into(), "EN".into()],
        _ => Vec::new(),
    }
}

fn text(rng: &mut Rng, max_words: usize) -> String {
    let mut out = String::new();
    for _ in 0..rng.below(max_words + 1) {
        out.push_str(rng.pick(&WORDS));
        out.push_str(rng.pick(&[" ", " ", "-", ", ", "'", ""]));
    }
    out
}

fn document(rng: &mut Rng) -> Document {
    let mut doc = Document::new(&text(rng, 4), &text(rng, 14));
    if let Some(lang) = [Some("en"), Some("de-AT"), None][rng.below(3)] {
        doc = doc.with_lang(lang);
    }
    if let Some(host) = [Some("www.x.com"), Some("y.com"), None][rng.below(3)] {
        doc = doc.with_site(host).with_feed("Daily News");
    }
    doc
}

#[test]
fn topic_set_matches_direct_evaluation_on_random_sets() {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let mut matched = 0;
    for _ in 0..400 {
        let specs: Vec<TopicSpec> = (0..1 + rng.below(15)).map(|i| spec(&mut rng, i)).collect();
        let set = TopicSet::from_specs(specs.clone());
        let mut matcher = set.matcher();
        for _ in 0..20 {
            let doc = document(&mut rng);
            let want: Vec<TopicMatch> = specs
                .iter()
                .filter_map(|s| {
                    Some(TopicMatch {
                        topic: s.name.clone(),
                        matched: s.matches(&doc)?,
                    })
                })
                .collect();
            assert_eq!(set.matches(&doc), want, "{specs:#?}\n{doc:?}");
            let found = matcher.matches(&doc);
            let reused: Vec<TopicMatch> = found.iter().map(TopicMatch::from).collect();
            assert_eq!(reused, want, "{specs:#?}\n{doc:?}");
            for (i, hit) in found.iter().enumerate() {
                assert_eq!(set.name(hit.index()), Some(hit.topic()));
                assert_eq!(found.get(i).map(|h| h.index()), Some(hit.index()));
            }
            matched += want.len();
        }
    }
    // The generator must produce matches often enough to test anything.
    assert!(matched > 10_000, "only {matched} matches");
}
