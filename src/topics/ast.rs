//! The query syntax tree. Leaves do not hold text to compare: they point
//! at an entry of the query's term table, where each distinct term is
//! stored once in folded, tokenised form. Matching then evaluates every
//! distinct term at most once per document, and a set of many queries can
//! share one global term table (the future Aho-Corasick prefilter works on
//! exactly that table).
//!
//! Planned growth: `TermKind` gains a prefix variant for `word*`, `Term`
//! gains a field scope for `title:`, and `Node` gains `Near` (two terms
//! within n tokens, using `Document::phrase_starts`) and metadata filters.

/// Index of a term in its query's term table.
pub(crate) type TermId = usize;

/// One distinct searchable term.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct Term {
    pub(crate) kind: TermKind,
}

/// How a term matches the token stream.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) enum TermKind {
    /// Folded tokens that must occur consecutively; a bare word is a
    /// one-token phrase (or several, for `Jong-un`).
    Phrase(Vec<String>),
}

/// A use of a term in the query, with the text as the user wrote it
/// (quotes included for phrases) for reporting matched terms.
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
    Not(Box<Node>),
    And(Vec<Node>),
    Or(Vec<Node>),
}

/// Collects the terms used with positive polarity (under an even number
/// of `NOT`s), once each, in query order, with the first positive spelling.
pub(crate) fn positive_terms(root: &Node) -> Vec<TermRef> {
    let mut out: Vec<TermRef> = Vec::new();
    collect_positive(root, true, &mut out);
    out
}

fn collect_positive(node: &Node, positive: bool, out: &mut Vec<TermRef>) {
    match node {
        Node::Term(term) => {
            if positive && !out.iter().any(|seen| seen.id == term.id) {
                out.push(term.clone());
            }
        }
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

    fn term(id: TermId, written: &str) -> Node {
        Node::Term(TermRef {
            id,
            written: written.into(),
        })
    }

    #[test]
    fn positive_terms_skip_negated_and_repeat_terms() {
        let root = Node::And(vec![
            term(0, "a"),
            Node::Not(Box::new(term(1, "b"))),
            Node::Not(Box::new(Node::Not(Box::new(term(2, "c"))))),
            term(0, "A"),
        ]);
        let written: Vec<_> = positive_terms(&root)
            .into_iter()
            .map(|t| t.written)
            .collect();
        assert_eq!(written, ["a", "c"]);
    }
}
