//! Query evaluation. Evaluation is split from term lookup: the tree is
//! evaluated against an `Oracle` that answers "does term N occur, and
//! where?", so a single query scans the document directly while a
//! `TopicSet` answers from its per-document index. Both share this code,
//! which is what makes comparing them a meaningful test.

use super::Document;
use super::ast::{Node, Scope, Term, TermId, TermRef};

/// Answers term questions about one document, by query-local term id.
pub(crate) trait Oracle {
    /// Whether the term occurs (within its scope).
    fn occurs(&mut self, id: TermId) -> bool;
    /// Ascending start positions of every occurrence of the term.
    fn starts(&mut self, id: TermId) -> Vec<u32>;
    /// The document, for metadata filters.
    fn document(&self) -> &Document;
}

/// Evaluates a query tree over `terms` (its term table); the oracle is
/// asked only as often as short-circuiting requires.
pub(crate) fn eval(node: &Node, terms: &[Term], oracle: &mut impl Oracle) -> bool {
    match node {
        Node::Term(term) => oracle.occurs(term.id),
        Node::Near {
            left,
            right,
            distance,
        } => near(left, right, *distance, terms, oracle),
        Node::Filter(filter) => filter.accepts(oracle.document()),
        Node::Not(inner) => !eval(inner, terms, oracle),
        Node::And(items) => items.iter().all(|item| eval(item, terms, oracle)),
        Node::Or(items) => items.iter().any(|item| eval(item, terms, oracle)),
    }
}

/// `Some(positive terms that occur, as written)` when the tree matches,
/// `None` otherwise.
pub(crate) fn matched_terms(
    root: &Node,
    terms: &[Term],
    positive: &[TermRef],
    oracle: &mut impl Oracle,
) -> Option<Vec<String>> {
    if !eval(root, terms, oracle) {
        return None;
    }
    let found = positive.iter().filter(|term| oracle.occurs(term.id));
    Some(found.map(|term| term.written.clone()).collect())
}

/// Whether the two terms occur with at most `distance` tokens between
/// two non-overlapping occurrences, in either order.
fn near(
    left: &TermRef,
    right: &TermRef,
    distance: u32,
    terms: &[Term],
    oracle: &mut impl Oracle,
) -> bool {
    if !oracle.occurs(left.id) || !oracle.occurs(right.id) {
        return false;
    }
    let (Some(left_term), Some(right_term)) = (terms.get(left.id), terms.get(right.id)) else {
        return false;
    };
    let a = oracle.starts(left.id);
    let b = oracle.starts(right.id);
    followed_within(&a, left_term.len(), &b, distance)
        || followed_within(&b, right_term.len(), &a, distance)
}

/// Whether some occurrence in `seconds` starts 0 to `distance` tokens
/// after the end of an occurrence (of `len` tokens) in `firsts`.
pub(crate) fn followed_within(firsts: &[u32], len: usize, seconds: &[u32], distance: u32) -> bool {
    firsts.iter().any(|&start| {
        // u64 so that huge distances cannot overflow.
        let low = u64::from(start) + len as u64;
        let high = low + u64::from(distance);
        let i = seconds.partition_point(|&s| u64::from(s) < low);
        seconds.get(i).is_some_and(|&s| u64::from(s) <= high)
    })
}

/// Whether `token` (folded document bytes) matches query token `want`.
pub(crate) fn token_matches(token: &[u8], want: &str, prefix: bool) -> bool {
    if prefix {
        token.starts_with(want.as_bytes())
    } else {
        token == want.as_bytes()
    }
}

/// Start positions of `term` found by scanning the whole stream: the
/// reference method, with no index.
pub(crate) fn scan_starts(term: &Term, doc: &Document) -> Vec<u32> {
    let limit = match term.scope {
        Scope::All => doc.len(),
        Scope::Title => doc.title_len(),
    };
    let last = term.len() - 1;
    (0..(limit + 1).saturating_sub(term.len()))
        .filter(|&start| {
            term.tokens.iter().enumerate().all(|(k, want)| {
                token_matches(doc.token(start + k), want, term.prefix && k == last)
            })
        })
        .filter_map(|start| u32::try_from(start).ok())
        .collect()
}

/// The reference oracle: scans the document for each term, remembering
/// results so each term is scanned at most once.
pub(crate) struct ScanOracle<'a> {
    terms: &'a [Term],
    doc: &'a Document,
    starts: Vec<Option<Vec<u32>>>,
}

impl<'a> ScanOracle<'a> {
    pub(crate) fn new(terms: &'a [Term], doc: &'a Document) -> ScanOracle<'a> {
        ScanOracle {
            terms,
            doc,
            starts: vec![None; terms.len()],
        }
    }

    fn lookup(&mut self, id: TermId) -> &[u32] {
        let (Some(slot), Some(term)) = (self.starts.get_mut(id), self.terms.get(id)) else {
            // Ids come from the same table; an unknown one does not occur.
            return &[];
        };
        slot.get_or_insert_with(|| scan_starts(term, self.doc))
    }
}

impl Oracle for ScanOracle<'_> {
    fn occurs(&mut self, id: TermId) -> bool {
        !self.lookup(id).is_empty()
    }

    fn starts(&mut self, id: TermId) -> Vec<u32> {
        self.lookup(id).to_vec()
    }

    fn document(&self) -> &Document {
        self.doc
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn term(words: &[&str], prefix: bool, scope: Scope) -> Term {
        Term {
            tokens: words.iter().map(|w| w.to_string()).collect(),
            prefix,
            scope,
        }
    }

    #[test]
    fn scans_phrases_prefixes_and_title_scope() {
        let doc = Document::new("a b a", "c a bc");
        assert_eq!(
            scan_starts(&term(&["a", "b"], false, Scope::All), &doc),
            [0]
        );
        assert_eq!(
            scan_starts(&term(&["a", "b"], true, Scope::All), &doc),
            [0, 4]
        );
        assert_eq!(
            scan_starts(&term(&["a"], false, Scope::Title), &doc),
            [0, 2]
        );
        assert!(scan_starts(&term(&["a", "c"], false, Scope::Title), &doc).is_empty());
        assert_eq!(
            scan_starts(&term(&["a", "c"], false, Scope::All), &doc),
            [2]
        );
        assert!(scan_starts(&term(&["x", "y", "z"], false, Scope::All), &doc).is_empty());
    }

    #[test]
    fn near_counts_tokens_between_non_overlapping_occurrences() {
        // Occurrences at 0 (length 2) and 4: tokens 2 and 3 lie between.
        assert!(followed_within(&[0], 2, &[4], 2));
        assert!(!followed_within(&[0], 2, &[4], 1));
        assert!(followed_within(&[0], 2, &[2], 0));
        assert!(!followed_within(&[0], 2, &[1], 5));
        assert!(followed_within(&[7], 1, &[1, 8], u32::MAX));
    }
}
