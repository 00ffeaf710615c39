//! Topics compiled for matching many at once. Each topic becomes one
//! record of `u32` words in a single arena: its index, flags, its query as
//! a postfix program over global term ids, and the ids of the terms it
//! reports. Topics are filed under their record's offset, so deciding a
//! candidate usually reads one or two cache lines instead of chasing the
//! pointers of a separately allocated tree. What only some topics need
//! (weighted lists, languages) and what only a match needs (names and
//! spellings) lies in separate, colder arrays. Evaluation is in `run`.

use super::ast::Node;
use super::document::primary_language;
use super::filter::Filter;
use super::spec::TopicSpec;

/// "None" for optional ids.
pub(crate) const NONE: u32 = u32::MAX;

/// A range of one of the arenas.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Span {
    pub(crate) start: u32,
    pub(crate) end: u32,
}

impl Span {
    pub(crate) fn new(start: usize, end: usize) -> Span {
        Span {
            start: start as u32,
            end: end as u32,
        }
    }

    pub(crate) fn range(self) -> std::ops::Range<usize> {
        self.start as usize..self.end as usize
    }
}

/// Record layout: `[topic, flags, op words, reported terms, first
/// spelling id, ops…, term ids…]`: everything deciding a plain query
/// topic and naming its matched terms needs, in one place.
pub(crate) const HEADER: usize = 5;

/// Record flags.
pub(crate) const NEVER: u32 = 1;
pub(crate) const WEIGHTED: u32 = 2;
pub(crate) const LANGUAGES: u32 = 4;

/// Op words carry their kind in the top three bits and an operand (a
/// term id, filter index or operand count) in the rest; `NEAR` is
/// followed by two more words, the right term and the distance.
pub(crate) const KIND_SHIFT: u32 = 29;
pub(crate) const OPERAND: u32 = (1 << KIND_SHIFT) - 1;
pub(crate) const TERM: u32 = 0;
pub(crate) const NEAR: u32 = 1;
pub(crate) const FILTER: u32 = 2;
pub(crate) const NOT: u32 = 3;
pub(crate) const AND: u32 = 4;
pub(crate) const OR: u32 = 5;

/// One entry of a weighted list.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Weight {
    pub(crate) term: u32,
    pub(crate) weight: f64,
    /// Spelling id reported when the weight is positive, else `NONE`.
    pub(crate) spelling: u32,
    /// A positive query term with the same spelling, or `NONE`: when it
    /// occurs the spelling is already reported and is not repeated.
    pub(crate) shadowed_by: u32,
}

/// The parts of a topic that few evaluations or only matches read.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Cold {
    pub(crate) name: Span,
    /// Weighted-list entries, in list order.
    pub(crate) weights: Span,
    pub(crate) threshold: f64,
    /// Spans of accepted primary language codes.
    pub(crate) languages: Span,
}

/// Every topic of a set, compiled.
#[derive(Debug, Clone, Default)]
pub(crate) struct Programs {
    /// All records, back to back, in topic order.
    pub(crate) code: Vec<u32>,
    /// Record offset of each topic.
    pub(crate) offsets: Vec<u32>,
    pub(crate) cold: Vec<Cold>,
    /// Names, spellings and language codes, back to back.
    text: String,
    /// Spans of `text` holding reported spellings; matched terms are
    /// indexes into this.
    spellings: Vec<Span>,
    pub(crate) weights: Vec<Weight>,
    pub(crate) languages: Vec<Span>,
    pub(crate) filters: Vec<Filter>,
}

impl Programs {
    /// Compiles `spec`; `query_terms` and `weighted_terms` map its query's
    /// and its list's local term ids to global ones.
    pub(crate) fn add(&mut self, spec: &TopicSpec, query_terms: &[u32], weighted_terms: &[u32]) {
        let topic = self.offsets.len() as u32;
        let record = self.code.len();
        self.offsets.push(record as u32);
        let mut flags = 0;
        if spec.query.is_none() && spec.weighted.is_none() {
            flags |= NEVER;
        }
        if spec.weighted.is_some() {
            flags |= WEIGHTED;
        }
        if !spec.languages.is_empty() {
            flags |= LANGUAGES;
        }
        let first_spelling = self.spellings.len() as u32;
        self.code.extend([topic, flags, 0, 0, first_spelling]);
        let mut reported: Vec<(u32, &str)> = Vec::new();
        if let Some(query) = &spec.query {
            self.compile_tree(&query.root, query_terms);
            reported = query
                .positive
                .iter()
                .map(|term| (query_terms[term.id], term.written.as_str()))
                .collect();
        }
        self.code[record + 2] = (self.code.len() - record - HEADER) as u32;
        self.code[record + 3] = reported.len() as u32;
        for &(term, written) in &reported {
            self.code.push(term);
            let span = self.push_text(written);
            self.spellings.push(span);
        }
        let weights_start = self.weights.len();
        let mut threshold = 0.0;
        if let Some(list) = &spec.weighted {
            threshold = list.threshold();
            for (id, written, weight) in list.entries() {
                self.add_weight(&reported, weighted_terms[id], written, weight);
            }
        }
        let languages_start = self.languages.len();
        for code in &spec.languages {
            let span = self.push_text(primary_language(code));
            self.languages.push(span);
        }
        let name = self.push_text(&spec.name);
        self.cold.push(Cold {
            name,
            weights: Span::new(weights_start, self.weights.len()),
            threshold,
            languages: Span::new(languages_start, self.languages.len()),
        });
    }

    fn add_weight(&mut self, reported: &[(u32, &str)], term: u32, written: &str, weight: f64) {
        let (mut spelling, mut shadowed_by) = (NONE, NONE);
        if weight > 0.0 {
            // Matched terms are reported once per spelling.
            shadowed_by = reported
                .iter()
                .find(|&&(_, text)| text == written)
                .map_or(NONE, |&(term, _)| term);
            spelling = self.spellings.len() as u32;
            let span = self.push_text(written);
            self.spellings.push(span);
        }
        self.weights.push(Weight {
            term,
            weight,
            spelling,
            shadowed_by,
        });
    }

    /// Appends the postfix program of `root`, children before their
    /// operator, with an explicit stack rather than recursion.
    fn compile_tree(&mut self, root: &Node, terms: &[u32]) {
        let word = |kind: u32, operand: usize| kind << KIND_SHIFT | (operand as u32 & OPERAND);
        let mut stack: Vec<(&Node, bool)> = vec![(root, false)];
        while let Some((node, children_done)) = stack.pop() {
            match node {
                Node::Term(term) => self.code.push(word(TERM, terms[term.id] as usize)),
                Node::Near {
                    left,
                    right,
                    distance,
                } => self.code.extend([
                    word(NEAR, terms[left.id] as usize),
                    terms[right.id],
                    *distance,
                ]),
                Node::Filter(filter) => {
                    self.code.push(word(FILTER, self.filters.len()));
                    self.filters.push(filter.clone());
                }
                Node::Not(_) | Node::And(_) | Node::Or(_) if !children_done => {
                    stack.push((node, true));
                    match node {
                        Node::Not(inner) => stack.push((inner, false)),
                        Node::And(items) | Node::Or(items) => {
                            stack.extend(items.iter().rev().map(|item| (item, false)));
                        }
                        _ => {}
                    }
                }
                Node::Not(_) => self.code.push(word(NOT, 0)),
                Node::And(items) => self.code.push(word(AND, items.len())),
                Node::Or(items) => self.code.push(word(OR, items.len())),
            }
        }
    }

    fn push_text(&mut self, text: &str) -> Span {
        let start = self.text.len();
        self.text.push_str(text);
        Span::new(start, self.text.len())
    }

    /// The text of a span of the text arena.
    #[inline]
    pub(crate) fn text(&self, span: Span) -> &str {
        self.text.get(span.range()).unwrap_or_default()
    }

    /// A reported spelling by id.
    pub(crate) fn spelling(&self, id: u32) -> &str {
        self.spellings
            .get(id as usize)
            .map_or("", |&span| self.text(span))
    }

    /// The name of topic `topic`.
    pub(crate) fn name(&self, topic: usize) -> Option<&str> {
        Some(self.text(self.cold.get(topic)?.name))
    }

    /// Number of topics.
    pub(crate) fn len(&self) -> usize {
        self.offsets.len()
    }
}
