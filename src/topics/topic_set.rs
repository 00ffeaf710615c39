//! Many named topics compiled into one matcher. Every distinct term of
//! every topic goes into one table and every distinct token into one
//! vocabulary; each topic is compiled to a flat program (see `program`)
//! and filed under the terms it cannot match without (see `prefilter`).
//! Matching an article (see `matching`) indexes its tokens once against
//! the vocabulary, finds which terms occur (see `presence`), takes the
//! topics filed under those terms plus those that need no term, and runs
//! only those programs; every term question is then a bit test.

use std::collections::HashMap;

use super::ast::{Term, TermId};
use super::csr::Csr;
use super::matching::{MatchRef, Matcher};
use super::prefilter::required_terms;
use super::presence::TermFinder;
use super::program::Programs;
use super::spec::TopicSpec;
use super::vocab::{CompiledTerm, Vocab};
use super::{Document, Query};

/// A topic that matched a document, with the positive terms that occur,
/// as owned strings. `Matcher` reports the same without allocating.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TopicMatch {
    /// The topic's name as given.
    pub topic: String,
    /// Matched positive terms as written (see `Query::matches`), then
    /// matched positive-weight terms of the weighted list.
    pub matched: Vec<String>,
}

impl From<MatchRef<'_>> for TopicMatch {
    fn from(found: MatchRef<'_>) -> TopicMatch {
        TopicMatch {
            topic: found.topic().to_owned(),
            matched: found.matched().map(str::to_owned).collect(),
        }
    }
}

/// Many named topics compiled together. Immutable once built, so one set
/// can serve any number of threads, each with its own `Matcher`.
#[derive(Debug, Clone, Default)]
pub struct TopicSet {
    pub(crate) programs: Programs,
    pub(crate) vocab: Vocab,
    /// Every distinct term of every topic, compiled to atoms.
    pub(crate) terms: Vec<CompiledTerm>,
    pub(crate) finder: TermFinder,
    /// Term → record offsets of the topics that need it (or another
    /// term of their set).
    pub(crate) filed: Csr,
    /// Record offsets of the topics evaluated for every article: they
    /// require no term.
    pub(crate) always: Vec<u32>,
}

impl TopicSet {
    /// Compiles topics given as (name, query), keeping their order.
    pub fn new(topics: Vec<(String, Query)>) -> TopicSet {
        let specs = topics.into_iter().map(|(name, q)| TopicSpec::new(name, q));
        TopicSet::from_specs(specs.collect())
    }

    /// Compiles full topic specifications, keeping their order. Each
    /// spec is compiled and dropped in turn, so that a large set never
    /// holds its specs and their programs at once; every step is linear in
    /// the size of the topics.
    pub fn from_specs(specs: Vec<TopicSpec>) -> TopicSet {
        let mut table = TermTable::default();
        let mut set = TopicSet::default();
        // (term, record offset) for every topic filed under a term.
        let mut pairs: Vec<(u32, u32)> = Vec::new();
        for spec in specs {
            let query_terms = table.intern_all(spec.query.as_ref().map(|q| &q.terms));
            let weighted_terms = table.intern_all(spec.weighted.as_ref().map(|w| &w.terms));
            let record = set.programs.code.len() as u32;
            set.programs.add(&spec, &query_terms, &weighted_terms);
            match required(&spec, &query_terms, &weighted_terms) {
                None => set.always.push(record),
                Some(mut terms) => {
                    terms.sort_unstable();
                    terms.dedup();
                    pairs.extend(terms.into_iter().map(|term| (term, record)));
                }
            }
        }
        let (vocab, terms) = Vocab::compile(&table.terms);
        set.finder = TermFinder::new(&terms, &vocab);
        set.filed = Csr::new(terms.len(), pairs);
        set.vocab = vocab;
        set.terms = terms;
        set
    }

    /// Every topic that matches, in the order given, with its matched
    /// terms, as owned values. Convenient for one-off use; to match many
    /// documents without allocating per match, use `matcher`.
    pub fn matches(&self, doc: &Document) -> Vec<TopicMatch> {
        let mut matcher = self.matcher();
        matcher.matches(doc).iter().map(TopicMatch::from).collect()
    }

    /// A matcher over this set that reuses its working memory from one
    /// document to the next.
    pub fn matcher(&self) -> Matcher<'_> {
        Matcher::new(self)
    }

    /// The name of topic `index` (0-based, in the order given).
    pub fn name(&self, index: usize) -> Option<&str> {
        self.programs.name(index)
    }

    /// Number of topics.
    pub fn len(&self) -> usize {
        self.programs.len()
    }

    /// Whether there are no topics.
    pub fn is_empty(&self) -> bool {
        self.programs.len() == 0
    }
}

/// Global ids of terms one of which every article matching `spec`
/// contains, or `None` when the topic must be evaluated for every article.
/// A topic with neither query nor list never matches: it needs an
/// impossible term, so it is filed nowhere. `query_terms` and
/// `weighted_terms` map the spec's local term ids to global ones.
fn required(spec: &TopicSpec, query_terms: &[u32], weighted_terms: &[u32]) -> Option<Vec<u32>> {
    if spec.query.is_none() && spec.weighted.is_none() {
        return Some(Vec::new());
    }
    let from_query = spec.query.as_ref().and_then(|q| required_terms(&q.root));
    let from_query = from_query.map(|ids| global(query_terms, ids));
    // With a positive threshold some positive weight must be found.
    let from_list = spec
        .weighted
        .as_ref()
        .filter(|w| w.threshold() > 0.0)
        .map(|w| global(weighted_terms, w.positive_ids()));
    // Both parts must hold, so either part's set will do.
    [from_query, from_list]
        .into_iter()
        .flatten()
        .min_by_key(Vec::len)
}

fn global(map: &[u32], ids: impl IntoIterator<Item = TermId>) -> Vec<u32> {
    ids.into_iter().map(|id| map[id]).collect()
}

/// Distinct terms across all topics.
#[derive(Default)]
struct TermTable {
    terms: Vec<Term>,
    ids: HashMap<Term, u32>,
}

impl TermTable {
    /// Interns every term of a local table; returns local → global ids.
    fn intern_all(&mut self, terms: Option<&Vec<Term>>) -> Box<[u32]> {
        let terms = terms.map_or(&[][..], Vec::as_slice);
        terms.iter().map(|term| self.intern(term)).collect()
    }

    fn intern(&mut self, term: &Term) -> u32 {
        if let Some(&id) = self.ids.get(term) {
            return id;
        }
        let id = self.terms.len() as u32;
        self.terms.push(term.clone());
        self.ids.insert(term.clone(), id);
        id
    }
}
