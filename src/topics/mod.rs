//! Topic queries: a small boolean search language over news articles.
//!
//! A query such as `"Kim Jong Un" OR (Trump NOT golf)` is parsed once into
//! a `Query`; an article is folded and tokenised once into a `Document`;
//! `Query::matches` and `TopicSet::matches` then test queries against it.
//! Text and query terms are compared after the same folding (see `fold`):
//! whole words, consecutive tokens for phrases, title and body as one
//! token stream, no stemming.
//!
//! Layout: `fold` (normal form and tokens), `document` (indexed article),
//! `lexer` → `parser` → `ast` (query syntax), `matcher` (evaluation),
//! `topic_set` (many topics sharing one term table).

mod ast;
mod document;
mod fold;
mod lexer;
mod matcher;
mod parser;
mod topic_set;

#[cfg(test)]
mod tests;

pub use document::Document;
pub use fold::{fold, tokenize};
pub use topic_set::{TopicMatch, TopicSet};

use ast::{Node, Term, TermRef};
use matcher::{TermCache, matched_terms};

/// A parsed query.
///
/// Grammar: quoted phrases (`"…"`, ASCII quote only), bare words, the
/// upper-case operators `AND`, `OR`, `NOT`, and parentheses. Juxtaposition
/// means `AND`; precedence is `NOT` > `AND` > `OR`; `NOT` is unary, so
/// `a NOT b` is `a AND NOT b` and a purely negative query is allowed.
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

    /// Some(matched terms) when the query matches: the positive terms
    /// (words/phrases as written in the query, e.g. `"\"Kim Jong Un\""` or
    /// `"Trump"`) that occur in the document; None otherwise. A purely
    /// negative query that matches yields `Some(vec![])`.
    pub fn matches(&self, doc: &Document) -> Option<Vec<String>> {
        let mut cache = TermCache::new(self.terms.len());
        let mut occurs = |id| cache.occurs(&self.terms, id, doc);
        matched_terms(&self.root, &self.positive, &mut occurs)
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
