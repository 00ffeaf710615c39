//! The query syntax tree. Leaves do not hold text to compare: they point
//! at an entry of the query's term table, where each distinct term is
//! stored once in folded, tokenised form with its prefix flag and field
//! scope. Matching then evaluates every distinct term at most once per
//! document, and a set of many topics shares one global term table.

use super::filter::Filter;

/// Index of a term in its query's term table.
pub(crate) type TermId = usize;

/// Which part of the token stream a term may match in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Scope {
    /// Title and body, as one stream.
    All,
    /// Only the title tokens (`title:`).
    Title,
}

/// One distinct searchable term.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct Term {
    /// Folded tokens that must occur consecutively; never empty. A bare
    /// word is a one-token phrase (or several, for `Jong-un`).
    pub(crate) tokens: Vec<String>,
    /// Whether the last token also matches longer tokens it begins
    /// (`sanction*`).
    pub(crate) prefix: bool,
    pub(crate) scope: Scope,
}

impl Term {
    /// Number of tokens an occurrence spans.
    pub(crate) fn len(&self) -> usize {
        self.tokens.len()
    }
}

/// A use of a term in the query, with the text as the user wrote it
/// (quotes, `*` and `title:` included) for reporting matched terms.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct TermRef {
    pub(crate) id: TermId,
    pub(crate) written: String,
}

/// A boolean query tree. `And`/`Or` are n-ary so that long chains stay
/// flat; depth comes only from parentheses, which the parser caps.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Node {
    Term(TermRef),
    /// Both terms occur, either order, with at most `distance` tokens
    /// between the two occurrences, which must not overlap.
    Near {
        left: TermRef,
        right: TermRef,
        distance: u32,
    },
    /// A test of the article's metadata, not of its text.
    Filter(Filter),
    Not(Box<Node>),
    And(Vec<Node>),
    Or(Vec<Node>),
}

/// Collects the terms used with positive polarity (under an even number
/// of `NOT`s, including both sides of a `NEAR`), once each, in query
/// order, with the first positive spelling.
pub(crate) fn positive_terms(root: &Node) -> Vec<TermRef> {
    let mut out: Vec<TermRef> = Vec::new();
    collect_positive(root, true, &mut out);
    out
}

fn collect_positive(node: &Node, positive: bool, out: &mut Vec<TermRef>) {
    let mut add = |term: &TermRef| {
        if positive && !out.iter().any(|seen| seen.id == term.id) {
            out.push(term.clone());
        }
    };
    match node {
        Node::Term(term) => add(term),
        Node::Near { left, right, .. } => {
            add(left);
            add(right);
        }
        Node::Filter(_) => {}
        Node::Not(inner) => collect_positive(inner, !positive, out),
        Node::And(children) | Node::Or(children) => {
            for child in children {
                collect_positive(child, positive, out);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn term_ref(id: TermId, written: &str) -> TermRef {
        TermRef {
            id,
            written: written.into(),
        }
    }

    fn term(id: TermId, written: &str) -> Node {
        Node::Term(term_ref(id, written))
    }

    #[test]
    fn positive_terms_skip_negated_and_repeat_terms() {
        let root = Node::And(vec![
            term(0, "a"),
            Node::Not(Box::new(term(1, "b"))),
            Node::Not(Box::new(Node::Not(Box::new(term(2, "c"))))),
            term(0, "A"),
            Node::Near {
                left: term_ref(3, "d"),
                right: term_ref(2, "C"),
                distance: 1,
            },
            Node::Not(Box::new(Node::Near {
                left: term_ref(4, "e"),
                right: term_ref(5, "f"),
                distance: 1,
            })),
        ]);
        let written: Vec<_> = positive_terms(&root)
            .into_iter()
            .map(|t| t.written)
            .collect();
        assert_eq!(written, ["a", "c", "d"]);
    }
}
