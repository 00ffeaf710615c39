//! Which terms a topic cannot match without. For each query tree this
//! finds a set of terms such that every matching article contains at
//! least one of them; the topic is then only evaluated for articles where
//! one of those terms' anchor atoms occurs. A tree with no such set (`NOT
//! x`, `a OR NOT b`, a bare filter) yields `None`: always evaluate it.

use super::ast::{Node, TermId};

/// Terms (query-local ids) one of which occurs in every article the tree
/// matches, or `None` when the tree can match without any term.
pub(crate) fn required_terms(node: &Node) -> Option<Vec<TermId>> {
    match node {
        Node::Term(term) => Some(vec![term.id]),
        // Both sides must occur; either one will do.
        Node::Near { left, .. } => Some(vec![left.id]),
        Node::Filter(_) | Node::Not(_) => None,
        // Any one child's set suffices; the smallest selects the fewest
        // articles.
        Node::And(items) => items.iter().filter_map(required_terms).min_by_key(Vec::len),
        // Every alternative must be covered.
        Node::Or(items) => {
            let mut all = Vec::new();
            for item in items {
                all.extend(required_terms(item)?);
            }
            Some(all)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::topics::parser::parse;

    fn required(src: &str) -> Option<Vec<TermId>> {
        required_terms(&parse(src).unwrap().root)
    }

    #[test]
    fn picks_one_term_per_alternative() {
        assert_eq!(required("a"), Some(vec![0]));
        assert_eq!(required("a OR b"), Some(vec![0, 1]));
        assert_eq!(required("(a OR b) c"), Some(vec![2]));
        assert_eq!(required("a NOT b"), Some(vec![0]));
        assert_eq!(required("a NEAR/2 b OR c"), Some(vec![0, 2]));
        assert_eq!(required("lang:en a"), Some(vec![0]));
    }

    #[test]
    fn negations_and_filters_alone_require_nothing() {
        assert_eq!(required("NOT a"), None);
        assert_eq!(required("a OR NOT b"), None);
        assert_eq!(required("site:x.com"), None);
        assert_eq!(required("NOT (a OR b) OR c"), None);
    }
}
