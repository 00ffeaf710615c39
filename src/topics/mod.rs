//! Topic queries: a small boolean search language over news articles,
//! and the engine that matches many topics against each article.
//!
//! A query such as `"Kim Jong Un" OR (title:Trump NOT golf)` is parsed
//! once into a `Query`; an article is folded and tokenised once into a
//! `Document`; `Query::matches`, `TopicSpec::matches` and
//! `TopicSet::matches` then test it. To match a stream of articles
//! against many topics, keep one `Matcher` (from `TopicSet::matcher`):
//! it reuses its working memory, and its results borrow names and
//! matched terms from the set instead of allocating them. Text and query terms are compared
//! after the same folding (see `fold`): whole words, consecutive tokens
//! for phrases, title and body as one token stream (a phrase may run from
//! the title into the body), no stemming.
//!
//! Layout: `fold` (normal form and tokens), `document` (folded article),
//! `lexer` → `parser` (with `term`) → `ast` (query syntax), `filter`
//! (metadata tests), `weighted` (weighted term lists), `matcher`
//! (evaluation), `spec` (one topic), and the engine: `vocab`,
//! `token_table` and `trie` (atoms), `index` (per-article postings),
//! `presence` (which terms occur), `prefilter` (which terms a topic
//! needs), `program` and `run` (topics compiled to flat programs, and
//! their evaluation), `csr` and `bits` (compact tables and sets),
//! `topic_set` (all of it together), `matching` (the reusable matcher and
//! its borrowed results), `hash` (token hashing); `highlight` finds where
//! matched terms occur, to show them.

mod article;
mod ast;
pub mod backtest;
mod bits;
mod csr;
mod document;
mod filter;
mod fold;
mod hash;
mod highlight;
mod index;
mod lexer;
mod matcher;
mod matching;
mod parser;
mod prefilter;
mod presence;
mod program;
mod run;
mod spec;
mod term;
mod token_table;
mod topic_set;
mod trie;
mod vocab;
mod weighted;

#[cfg(test)]
mod tests;

pub use document::Document;
pub use fold::{fold, tokenize};
pub use highlight::highlights;
pub use matching::{MatchRef, Matcher, Matches};
pub use spec::TopicSpec;
pub use topic_set::{TopicMatch, TopicSet};
pub use weighted::{Weighted, WeightedError};

use ast::{Node, Term, TermRef};
use matcher::{ScanOracle, matched_terms};

/// A parsed query.
///
/// Grammar: quoted phrases (`"…"`, ASCII quote only), bare words, `word*`
/// (prefix of the word's last token), the upper-case operators `AND`,
/// `OR`, `NOT` and `NEAR/n`, parentheses, and the field prefixes
/// `title:` (scopes a term, phrase or group to the title), `site:`,
/// `feed:` and `lang:` (metadata filters). Juxtaposition means `AND`;
/// precedence is `NEAR` > `NOT` > `AND` > `OR`; `NOT` is unary, so
/// `a NOT b` is `a AND NOT b` and a purely negative query is allowed.
/// `a NEAR/n b` holds when both occur, in either order, without
/// overlapping and with at most n tokens between them; its operands are
/// words or phrases, and NEARs do not chain.
#[derive(Debug, Clone)]
pub struct Query {
    root: Node,
    /// Distinct terms; leaves of `root` index into this.
    terms: Vec<Term>,
    /// Terms used positively, once each, in query order.
    positive: Vec<TermRef>,
}

impl Query {
    /// Parses `src`; errors carry the 1-based char column of the problem.
    pub fn parse(src: &str) -> Result<Query, QueryError> {
        let parsed = parser::parse(src)?;
        let positive = ast::positive_terms(&parsed.root);
        Ok(Query {
            root: parsed.root,
            terms: parsed.terms,
            positive,
        })
    }

    /// Some(matched terms) when the query matches: the positive terms as
    /// written in the query (e.g. `"\"Kim Jong Un\""`, `"sanction*"`,
    /// `"title:Trump"`) that occur in the document; None otherwise. A
    /// purely negative query that matches yields `Some(vec![])`.
    pub fn matches(&self, doc: &Document) -> Option<Vec<String>> {
        let mut oracle = ScanOracle::new(&self.terms, doc);
        matched_terms(&self.root, &self.terms, &self.positive, &mut oracle)
    }
}

/// Why a query failed to parse, and where.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("column {column}: {message}")]
pub struct QueryError {
    /// 1-based column, in chars, of the offending part of the query.
    pub column: usize,
    /// Human-readable description of the problem.
    pub message: String,
}

impl QueryError {
    pub(crate) fn new(column: usize, message: impl Into<String>) -> QueryError {
        QueryError {
            column,
            message: message.into(),
        }
    }
}
