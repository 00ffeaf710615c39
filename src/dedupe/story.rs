//! Story clustering: different write-ups of one event (three outlets each
//! writing their own article on one statement) are not copies, but belong
//! to one story. Each group is described by a TF-IDF vector of its title and
//! lead (the first [`StoryConfig::lead_words`] words), keeping its
//! [`StoryConfig::terms`] heaviest terms; a new group joins the story of the
//! most similar recent group when the cosine of their vectors reaches
//! [`StoryConfig::threshold`], else it founds a story.
//!
//! Document frequencies live in a fixed table of hashed counters that is
//! halved whenever its document count reaches [`StoryConfig::df_horizon`],
//! so memory stays constant and old vocabulary fades. Candidate groups come
//! from an inverted index over each group's heaviest terms, with capped
//! lists, and groups older than [`StoryConfig::window_secs`] are ignored and
//! expire, so a lookup does not grow with the history.

use super::hash::hash_bytes;
use super::ids::{GroupKey, StoryKey};
use super::normalize::{Piece, for_each_piece};
use rustc_hash::FxHashMap;

/// Tunables of story clustering.
#[derive(Debug, Clone, PartialEq)]
pub struct StoryConfig {
    /// Seconds during which a group attracts write-ups of its event (default 3 days).
    pub window_secs: u64,
    /// Minimal cosine between two groups of one story (default 0.33).
    pub threshold: f32,
    /// Terms kept per group (default 40).
    pub terms: usize,
    /// Terms per group entered in the inverted index (default 12).
    pub index_terms: usize,
    /// Words of the body read after the title (default 150).
    pub lead_words: usize,
    /// Weight of a title word relative to a body word (default 3).
    pub title_weight: f32,
    /// Groups a term may index before it is skipped as too common (default 256).
    pub posting_cap: usize,
    /// Document count at which the frequency table is halved (default 100,000).
    pub df_horizon: u32,
}

impl Default for StoryConfig {
    fn default() -> StoryConfig {
        StoryConfig {
            window_secs: 3 * 24 * 3600,
            threshold: 0.33,
            terms: 40,
            index_terms: 12,
            lead_words: 150,
            title_weight: 3.0,
            posting_cap: 256,
            df_horizon: 100_000,
        }
    }
}

/// Counters in the document-frequency table (2^18 × 4 bytes = 1 MiB).
const DF_BITS: u32 = 18;

/// English function words and newsroom verbs: frequent in every story, so
/// they never say which event a text is about, and ignoring them keeps the
/// vectors meaningful while the frequency table is still nearly empty.
const STOPWORDS: &[&str] = &[
    "about",
    "above",
    "according",
    "across",
    "added",
    "after",
    "again",
    "against",
    "ago",
    "all",
    "almost",
    "along",
    "already",
    "also",
    "although",
    "always",
    "among",
    "and",
    "another",
    "any",
    "are",
    "around",
    "asked",
    "back",
    "because",
    "been",
    "before",
    "being",
    "between",
    "both",
    "but",
    "can",
    "could",
    "did",
    "does",
    "doing",
    "down",
    "during",
    "each",
    "either",
    "even",
    "ever",
    "every",
    "few",
    "first",
    "for",
    "from",
    "further",
    "get",
    "got",
    "had",
    "has",
    "have",
    "having",
    "her",
    "here",
    "hers",
    "him",
    "his",
    "how",
    "however",
    "into",
    "its",
    "itself",
    "just",
    "last",
    "later",
    "least",
    "less",
    "like",
    "made",
    "make",
    "many",
    "may",
    "might",
    "more",
    "most",
    "much",
    "must",
    "near",
    "never",
    "new",
    "next",
    "nor",
    "not",
    "now",
    "off",
    "often",
    "once",
    "one",
    "only",
    "other",
    "others",
    "our",
    "ours",
    "out",
    "over",
    "own",
    "per",
    "said",
    "same",
    "say",
    "says",
    "see",
    "she",
    "should",
    "since",
    "some",
    "still",
    "such",
    "than",
    "that",
    "the",
    "their",
    "theirs",
    "them",
    "then",
    "there",
    "these",
    "they",
    "this",
    "those",
    "though",
    "three",
    "through",
    "time",
    "told",
    "too",
    "two",
    "under",
    "until",
    "upon",
    "very",
    "was",
    "way",
    "week",
    "well",
    "were",
    "what",
    "when",
    "where",
    "whether",
    "which",
    "while",
    "who",
    "whom",
    "whose",
    "why",
    "will",
    "with",
    "within",
    "without",
    "would",
    "year",
    "years",
    "yet",
    "you",
    "your",
    "yours",
    "today",
    "yesterday",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "news",
    "reported",
    "report",
    "reporting",
    "editing",
    "via",
    "read",
    "more",
    "photo",
    "image",
    "getty",
    "images",
    "reuters",
    "associated",
    "press",
    "copyright",
    "rights",
    "reserved",
    "people",
    "going",
    "want",
    "know",
    "think",
    "including",
    "because",
    "where",
    "take",
    "took",
    "come",
    "came",
    "used",
    "use",
    "well",
    "set",
    "part",
    "including",
    "who",
    "did",
    "don",
    "isn",
    "wasn",
    "didn",
    "doesn",
];

/// A group's weighted terms: `(term hash, weight)` sorted by term, with unit
/// length, so that the cosine of two vectors is the sum of products over
/// shared terms.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct TermVector {
    terms: Vec<(u32, f32)>,
}

impl TermVector {
    /// Cosine similarity of two unit vectors.
    pub fn cosine(&self, other: &TermVector) -> f32 {
        let (a, b) = (&self.terms, &other.terms);
        let (mut i, mut j, mut sum) = (0, 0, 0.0);
        while i < a.len() && j < b.len() {
            match a[i].0.cmp(&b[j].0) {
                std::cmp::Ordering::Less => i += 1,
                std::cmp::Ordering::Greater => j += 1,
                std::cmp::Ordering::Equal => {
                    sum += a[i].1 * b[j].1;
                    i += 1;
                    j += 1;
                }
            }
        }
        sum
    }

    /// True when no term was kept.
    pub fn is_empty(&self) -> bool {
        self.terms.is_empty()
    }
}

/// One indexed group.
#[derive(Debug)]
struct GroupEntry {
    story: StoryKey,
    at: u64,
    vector: TermVector,
    /// The terms entered in the inverted index (to remove them again).
    indexed: Box<[u32]>,
}

/// The windowed story index; see the module docs.
#[derive(Debug)]
pub struct StoryIndex {
    config: StoryConfig,
    df: Vec<u32>,
    docs: u32,
    stop: rustc_hash::FxHashSet<u32>,
    groups: FxHashMap<GroupKey, GroupEntry>,
    postings: FxHashMap<u32, Vec<GroupKey>>,
}

/// Turns a word into a term, or None for words that carry no topic:
/// numbers, words under three letters, stopwords. A trailing plural `s` is
/// dropped so that "plague" and "plagues" meet.
fn term_of(word: &str, stop: &rustc_hash::FxHashSet<u32>) -> Option<u32> {
    if word.len() < 3 || word.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let h = hash_bytes(word.as_bytes()) as u32;
    if stop.contains(&h) {
        return None;
    }
    let stem = match word.strip_suffix('s') {
        Some(s) if s.len() >= 4 && !s.ends_with('s') && !s.ends_with('u') && !s.ends_with('i') => s,
        _ => word,
    };
    Some(hash_bytes(stem.as_bytes()) as u32)
}

impl StoryIndex {
    /// An empty index.
    pub fn new(config: StoryConfig) -> StoryIndex {
        StoryIndex {
            config,
            df: vec![0; 1 << DF_BITS],
            docs: 0,
            stop: STOPWORDS
                .iter()
                .map(|w| hash_bytes(w.as_bytes()) as u32)
                .collect(),
            groups: FxHashMap::default(),
            postings: FxHashMap::default(),
        }
    }

    /// Groups in the index.
    pub fn len(&self) -> usize {
        self.groups.len()
    }

    /// True when no group is indexed.
    pub fn is_empty(&self) -> bool {
        self.groups.is_empty()
    }

    /// The story of an indexed group.
    pub fn story_of(&self, group: GroupKey) -> Option<StoryKey> {
        self.groups.get(&group).map(|g| g.story)
    }

    /// Term counts of a title and lead, title words weighted.
    fn term_counts(&self, title: &str, text: &str) -> FxHashMap<u32, f32> {
        let mut counts: FxHashMap<u32, f32> = FxHashMap::default();
        for_each_piece(title, |piece| {
            if let Piece::Word(w) = piece
                && let Some(t) = term_of(w, &self.stop)
            {
                *counts.entry(t).or_default() += self.config.title_weight;
            }
        });
        let mut words = 0;
        for_each_piece(text, |piece| {
            if let Piece::Word(w) = piece {
                words += 1;
                if words <= self.config.lead_words
                    && let Some(t) = term_of(w, &self.stop)
                {
                    *counts.entry(t).or_default() += 1.0;
                }
            }
        });
        counts
    }

    fn df_slot(term: u32) -> usize {
        (term.wrapping_mul(0x9e37_79b9) >> (32 - DF_BITS)) as usize
    }

    /// Counts a document's distinct terms into the frequency table.
    fn learn(&mut self, counts: &FxHashMap<u32, f32>) {
        if self.docs >= self.config.df_horizon {
            self.df.iter_mut().for_each(|c| *c /= 2);
            self.docs /= 2;
        }
        self.docs += 1;
        for &t in counts.keys() {
            let slot = StoryIndex::df_slot(t);
            self.df[slot] = self.df[slot].saturating_add(1);
        }
    }

    /// The unit TF-IDF vector of the heaviest terms.
    fn vector(&self, counts: &FxHashMap<u32, f32>) -> TermVector {
        let n = self.docs as f32;
        let mut weighted: Vec<(u32, f32)> = counts
            .iter()
            .map(|(&t, &c)| {
                let df = self.df[StoryIndex::df_slot(t)] as f32;
                let idf = ((n + 1.0) / (df + 1.0)).ln() + 1.0;
                (t, (1.0 + c.ln()) * idf)
            })
            .collect();
        weighted.sort_unstable_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        weighted.truncate(self.config.terms);
        let norm = weighted.iter().map(|(_, w)| w * w).sum::<f32>().sqrt();
        if norm > 0.0 {
            weighted.iter_mut().for_each(|(_, w)| *w /= norm);
        }
        weighted.sort_unstable_by_key(|&(t, _)| t);
        TermVector { terms: weighted }
    }

    /// The story a new group belongs to: the story of the most similar group
    /// within the window before `at` when similar enough, else a new story
    /// named after this group. The group is then indexed. A group already
    /// indexed keeps its story.
    pub fn assign(&mut self, group: GroupKey, title: &str, text: &str, at: u64) -> StoryKey {
        if let Some(story) = self.story_of(group) {
            return story;
        }
        let counts = self.term_counts(title, text);
        // Learn first: the document counts toward its own frequencies, as
        // every later document's does.
        self.learn(&counts);
        let vector = self.vector(&counts);
        let story = self
            .best_match(&vector, at)
            .map_or_else(|| StoryKey::for_group(group), |(story, _)| story);
        self.index(group, story, vector, at);
        story
    }

    /// Re-enters a group with its known story (rebuilding the index from
    /// persisted groups at start).
    pub fn restore(&mut self, group: GroupKey, story: StoryKey, title: &str, text: &str, at: u64) {
        let counts = self.term_counts(title, text);
        self.learn(&counts);
        let vector = self.vector(&counts);
        self.remove(group);
        self.index(group, story, vector, at);
    }

    /// The most similar indexed group's story and the cosine, if it reaches
    /// the threshold.
    fn best_match(&self, vector: &TermVector, at: u64) -> Option<(StoryKey, f32)> {
        let oldest = at.saturating_sub(self.config.window_secs);
        let mut candidates: Vec<GroupKey> = Vec::new();
        for &(t, _) in &vector.terms {
            if let Some(list) = self.postings.get(&t)
                && list.len() < self.config.posting_cap
            {
                candidates.extend_from_slice(list);
            }
        }
        candidates.sort_unstable();
        candidates.dedup();
        let mut best: Option<(StoryKey, f32)> = None;
        for g in candidates {
            let Some(entry) = self.groups.get(&g) else {
                continue;
            };
            if entry.at < oldest {
                continue;
            }
            let cos = vector.cosine(&entry.vector);
            if cos >= self.config.threshold && best.is_none_or(|(_, b)| cos > b) {
                best = Some((entry.story, cos));
            }
        }
        best
    }

    fn index(&mut self, group: GroupKey, story: StoryKey, vector: TermVector, at: u64) {
        let mut heaviest = vector.terms.clone();
        heaviest.sort_unstable_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        let indexed: Box<[u32]> = heaviest
            .iter()
            .take(self.config.index_terms)
            .map(|&(t, _)| t)
            .collect();
        for &t in indexed.iter() {
            self.postings.entry(t).or_default().push(group);
        }
        self.groups.insert(
            group,
            GroupEntry {
                story,
                at,
                vector,
                indexed,
            },
        );
    }

    /// Drops a group.
    pub fn remove(&mut self, group: GroupKey) -> bool {
        let Some(entry) = self.groups.remove(&group) else {
            return false;
        };
        for t in entry.indexed.iter() {
            if let Some(list) = self.postings.get_mut(t) {
                list.retain(|&g| g != group);
                if list.is_empty() {
                    self.postings.remove(t);
                }
            }
        }
        true
    }

    /// Drops every group indexed before `older_than`; returns how many.
    pub fn expire(&mut self, older_than: u64) -> usize {
        let old: Vec<GroupKey> = self
            .groups
            .iter()
            .filter(|(_, e)| e.at < older_than)
            .map(|(&g, _)| g)
            .collect();
        for &g in &old {
            self.remove(g);
        }
        old.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn write_ups_of_one_event_share_a_story_and_others_do_not() {
        let mut index = StoryIndex::new(StoryConfig::default());
        let filler = [
            (
                "Council approves budget for new library",
                "The town council approved the budget for a new public library on Elm Street after months of debate over parking and costs.",
            ),
            (
                "Local bakery wins regional bread award",
                "A family bakery in Millbrook won the regional sourdough prize, beating forty entrants with a rye loaf baked in a wood oven.",
            ),
            (
                "Storm closes mountain pass for two days",
                "Heavy snow closed the Brenner mountain pass, stranding lorries and forcing skiers to wait in valley hotels until ploughs cleared it.",
            ),
        ];
        for (i, (title, text)) in filler.iter().enumerate() {
            index.assign(GroupKey(100 + i as u64), title, text, 10);
        }
        let a = index.assign(
            GroupKey(1),
            "Google Stadia launches to mixed reviews",
            "Google's Stadia game streaming service launched on Tuesday. Reviewers praised Stadia's controller but said streaming quality and the game library fell short of Google's promises.",
            100,
        );
        let b = index.assign(
            GroupKey(2),
            "Stadia launch: Google streaming falls short of 4K promise",
            "At launch, Google Stadia streams Destiny 2 below 4K, and early reviewers of the Stadia game streaming service report a thin library.",
            200,
        );
        let c = index.assign(
            GroupKey(3),
            "Plague cases confirmed in Inner Mongolia",
            "Health officials in Beijing confirmed two cases of pneumonic plague in patients from Inner Mongolia and said the risk of spread was low.",
            300,
        );
        assert_eq!(a, StoryKey::for_group(GroupKey(1)));
        assert_eq!(b, a);
        assert_ne!(c, a);
        assert_eq!(index.story_of(GroupKey(2)), Some(a));
        assert_eq!(index.expire(150), 4);
        assert_eq!(index.len(), 2);
    }
}
