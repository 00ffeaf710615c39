//! Many named topics compiled together. Terms are interned into one global
//! table so a term shared by many topics is looked up once per document.
//! This is where the Aho-Corasick prefilter over distinct terms will go:
//! it will pick candidate topics, and only those get evaluated.

use std::collections::HashMap;

use super::ast::Term;
use super::matcher::{TermCache, matched_terms};
use super::{Document, Query};

/// A topic that matched a document, with the positive terms that occur.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TopicMatch {
    /// The topic's name as given to `TopicSet::new`.
    pub topic: String,
    /// Matched positive terms as written in the query (see `Query::matches`).
    pub matched: Vec<String>,
}

/// Many named topics compiled together.
#[derive(Debug, Clone, Default)]
pub struct TopicSet {
    topics: Vec<Topic>,
    /// Every distinct term of every topic.
    terms: Vec<Term>,
}

#[derive(Debug, Clone)]
struct Topic {
    name: String,
    query: Query,
    /// Query-local term id → index in `TopicSet::terms`.
    global: Vec<usize>,
}

impl TopicSet {
    /// Compiles the topics, keeping their order.
    pub fn new(topics: Vec<(String, Query)>) -> TopicSet {
        let mut set = TopicSet::default();
        let mut ids: HashMap<Term, usize> = HashMap::new();
        for (name, query) in topics {
            let global = query
                .terms
                .iter()
                .map(|term| {
                    *ids.entry(term.clone()).or_insert_with(|| {
                        set.terms.push(term.clone());
                        set.terms.len() - 1
                    })
                })
                .collect();
            set.topics.push(Topic {
                name,
                query,
                global,
            });
        }
        set
    }

    /// Every topic that matches, in the order given, with its matched terms.
    pub fn matches(&self, doc: &Document) -> Vec<TopicMatch> {
        let mut cache = TermCache::new(self.terms.len());
        let mut out = Vec::new();
        for topic in &self.topics {
            let mut occurs = |id: usize| match topic.global.get(id) {
                Some(&global) => cache.occurs(&self.terms, global, doc),
                None => false,
            };
            let query = &topic.query;
            if let Some(matched) = matched_terms(&query.root, &query.positive, &mut occurs) {
                out.push(TopicMatch {
                    topic: topic.name.clone(),
                    matched,
                });
            }
        }
        out
    }

    /// Number of topics.
    pub fn len(&self) -> usize {
        self.topics.len()
    }

    /// Whether there are no topics.
    pub fn is_empty(&self) -> bool {
        self.topics.is_empty()
    }
}
