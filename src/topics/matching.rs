//! Matching documents against a `TopicSet` without allocating per match.
//! A `Matcher` keeps every per-article buffer (token postings, the bitset
//! of terms found, candidate topics, evaluation stack, results) and reuses
//! them for the next article, so after the first few articles matching
//! allocates nothing. Results are topic indexes and spelling ids; names
//! and matched terms are borrowed from the set only when asked for, so a
//! caller that needs only some of them does not pay for the rest.

use std::fmt;

use super::Document;
use super::bits::Bits;
use super::index::{DocIndex, IndexBuffers};
use super::program::Span;
use super::run::{Evaluator, Facts};
use super::topic_set::TopicSet;

/// Matches documents against one `TopicSet`, reusing working memory.
///
/// ```
/// use wirewatch::topics::{Document, Query, TopicSet};
///
/// let set = TopicSet::new(vec![("korea".into(), Query::parse("\"Kim Jong Un\"").unwrap())]);
/// let mut matcher = set.matcher();
/// for (title, body) in [("Kim Jong-un visits", ""), ("Markets", "")] {
///     for found in matcher.matches(&Document::new(title, body)).iter() {
///         let terms: Vec<&str> = found.matched().collect();
///         println!("{}: {terms:?}", found.topic());
///     }
/// }
/// ```
pub struct Matcher<'s> {
    set: &'s TopicSet,
    index: IndexBuffers,
    /// Terms found in the current article, as bits and as a list.
    present: Bits,
    found: Vec<u32>,
    candidates: Vec<u32>,
    evaluator: Evaluator,
    hits: Vec<Hit>,
    /// Spelling ids of the matched terms of every hit, back to back.
    terms: Vec<u32>,
}

/// One matching topic: its index and its span of `Matcher::terms`.
#[derive(Debug, Clone, Copy)]
struct Hit {
    topic: u32,
    terms: Span,
}

impl<'s> Matcher<'s> {
    /// A matcher for `set`, with empty buffers.
    pub fn new(set: &'s TopicSet) -> Matcher<'s> {
        Matcher {
            set,
            index: IndexBuffers::default(),
            present: Bits::new(set.terms.len()),
            found: Vec::new(),
            candidates: Vec::new(),
            evaluator: Evaluator::default(),
            hits: Vec::new(),
            terms: Vec::new(),
        }
    }

    /// Every topic that matches `doc`, in the set's order. The result
    /// borrows the matcher until the next call.
    pub fn matches(&mut self, doc: &Document) -> Matches<'_> {
        self.hits.clear();
        self.terms.clear();
        let set = self.set;
        if !set.is_empty() {
            let index = DocIndex::build(doc, &set.vocab, std::mem::take(&mut self.index));
            set.finder
                .find(&set.terms, &index, &mut self.present, &mut self.found);
            self.select_candidates();
            let facts = Facts {
                present: &self.present,
                index: &index,
                terms: &set.terms,
            };
            for &record in &self.candidates {
                let start = self.terms.len();
                let found = set
                    .programs
                    .run(record, &facts, &mut self.evaluator, &mut self.terms);
                if let Some(topic) = found {
                    let terms = Span::new(start, self.terms.len());
                    self.hits.push(Hit { topic, terms });
                }
            }
            self.present.clear_listed(&self.found);
            self.found.clear();
            self.index = index.into_buffers();
        }
        Matches {
            set,
            hits: &self.hits,
            terms: &self.terms,
        }
    }

    /// Record offsets of the topics that may match: those filed under a
    /// term found, plus those always evaluated; ascending (which is topic
    /// order), without repeats.
    fn select_candidates(&mut self) {
        let set = self.set;
        self.candidates.clear();
        self.candidates.extend_from_slice(&set.always);
        for &term in &self.found {
            self.candidates.extend_from_slice(set.filed.get(term));
        }
        self.candidates.sort_unstable();
        self.candidates.dedup();
    }
}

impl fmt::Debug for Matcher<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Matcher")
            .field("topics", &self.set.len())
            .finish_non_exhaustive()
    }
}

/// The topics one document matched, borrowed from a `Matcher`.
#[derive(Clone, Copy)]
pub struct Matches<'m> {
    set: &'m TopicSet,
    hits: &'m [Hit],
    terms: &'m [u32],
}

/// One matching topic, borrowed from its set and matcher.
#[derive(Clone, Copy)]
pub struct MatchRef<'a> {
    set: &'a TopicSet,
    topic: u32,
    /// Spelling ids of the matched terms.
    terms: &'a [u32],
}

impl<'a> MatchRef<'a> {
    /// The topic's 0-based index in the order the set was built from.
    pub fn index(&self) -> usize {
        self.topic as usize
    }

    /// The topic's name as given.
    pub fn topic(&self) -> &'a str {
        self.set.name(self.index()).unwrap_or_default()
    }

    /// Matched positive terms as written (see `Query::matches`), then
    /// matched positive-weight terms of the weighted list.
    pub fn matched(&self) -> impl ExactSizeIterator<Item = &'a str> + 'a {
        let programs = &self.set.programs;
        self.terms.iter().map(|&id| programs.spelling(id))
    }
}

impl fmt::Debug for MatchRef<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MatchRef")
            .field("index", &self.index())
            .field("topic", &self.topic())
            .field("matched", &self.matched().collect::<Vec<_>>())
            .finish()
    }
}

impl<'m> Matches<'m> {
    /// Number of matching topics.
    pub fn len(&self) -> usize {
        self.hits.len()
    }

    /// Whether no topic matched.
    pub fn is_empty(&self) -> bool {
        self.hits.is_empty()
    }

    /// The `i`-th matching topic.
    pub fn get(&self, i: usize) -> Option<MatchRef<'m>> {
        self.hits.get(i).map(|hit| self.resolve(hit))
    }

    /// The matching topics, in the set's order.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = MatchRef<'m>> + 'm {
        let this = *self;
        this.hits.iter().map(move |hit| this.resolve(hit))
    }

    fn resolve(&self, hit: &Hit) -> MatchRef<'m> {
        MatchRef {
            set: self.set,
            topic: hit.topic,
            terms: self.terms.get(hit.terms.range()).unwrap_or_default(),
        }
    }
}

impl fmt::Debug for Matches<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}
