//! Query evaluation against a `Document`. Evaluation is split from term
//! lookup: the tree is evaluated with a caller-supplied oracle answering
//! "does term N occur?", so a single query memoises per query while a
//! `TopicSet` memoises across all topics sharing a term (and can later
//! answer from a prefilter instead of the document).

use super::Document;
use super::ast::{Node, Term, TermId, TermKind, TermRef};

/// Whether `term` occurs in `doc`.
pub(crate) fn term_occurs(term: &Term, doc: &Document) -> bool {
    match &term.kind {
        TermKind::Phrase(tokens) => doc.contains_phrase(tokens),
    }
}

/// Evaluates a query tree; `occurs` answers per term and is called at
/// most as often as short-circuiting requires.
pub(crate) fn eval(node: &Node, occurs: &mut impl FnMut(TermId) -> bool) -> bool {
    match node {
        Node::Term(term) => occurs(term.id),
        Node::Not(inner) => !eval(inner, occurs),
        Node::And(items) => items.iter().all(|item| eval(item, occurs)),
        Node::Or(items) => items.iter().any(|item| eval(item, occurs)),
    }
}

/// `Some(positive terms that occur, as written)` when the tree matches,
/// `None` otherwise.
pub(crate) fn matched_terms(
    root: &Node,
    positive: &[TermRef],
    occurs: &mut impl FnMut(TermId) -> bool,
) -> Option<Vec<String>> {
    if !eval(root, occurs) {
        return None;
    }
    let found = positive.iter().filter(|term| occurs(term.id));
    Some(found.map(|term| term.written.clone()).collect())
}

/// Per-document memo of term results, indexed by term id.
pub(crate) struct TermCache {
    results: Vec<Option<bool>>,
}

impl TermCache {
    /// A cache for a term table of `len` entries.
    pub(crate) fn new(len: usize) -> TermCache {
        TermCache {
            results: vec![None; len],
        }
    }

    /// Whether `terms[id]` occurs in `doc`, computed at most once.
    pub(crate) fn occurs(&mut self, terms: &[Term], id: TermId, doc: &Document) -> bool {
        match (self.results.get_mut(id), terms.get(id)) {
            (Some(slot), Some(term)) => *slot.get_or_insert_with(|| term_occurs(term, doc)),
            // Ids come from the same table, so this is unreachable; an
            // unknown term simply does not occur rather than panicking.
            _ => false,
        }
    }
}
