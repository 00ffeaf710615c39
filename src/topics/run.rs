//! Evaluating compiled topics (see `program`) against one article. Term
//! questions are answered from a bitset of the terms that occur; only
//! `NEAR` consults the article's postings. Programs are postfix and run
//! on a value stack without short-circuiting: every operand but `NEAR` is
//! a bit test, and `NEAR` reads postings only when both terms occur. The
//! stack and position buffers are reused from article to article.

use super::Document;
use super::bits::Bits;
use super::index::DocIndex;
use super::matcher::followed_within;
use super::program::{
    AND, Cold, FILTER, HEADER, KIND_SHIFT, LANGUAGES, NEAR, NEVER, NONE, NOT, OPERAND, OR,
    Programs, TERM, WEIGHTED,
};
use super::vocab::CompiledTerm;

/// What is known about one article: which terms occur, and its index.
pub(crate) struct Facts<'a> {
    pub(crate) present: &'a Bits,
    pub(crate) index: &'a DocIndex<'a>,
    pub(crate) terms: &'a [CompiledTerm],
}

impl Facts<'_> {
    #[inline]
    fn occurs(&self, term: u32) -> bool {
        self.present.contains(term)
    }

    fn document(&self) -> &Document {
        self.index.document()
    }
}

/// Buffers reused by every evaluation.
#[derive(Debug, Default)]
pub(crate) struct Evaluator {
    stack: Vec<bool>,
    left: Vec<u32>,
    right: Vec<u32>,
}

impl Programs {
    /// Decides the topic whose record starts at `record`. When it matches,
    /// returns its index and appends the spelling ids of its matched terms
    /// to `out` (query terms in query order, then positive weighted terms
    /// not already reported); otherwise leaves `out` as it was.
    pub(crate) fn run(
        &self,
        record: u32,
        facts: &Facts,
        evaluator: &mut Evaluator,
        out: &mut Vec<u32>,
    ) -> Option<u32> {
        let record = self.code.get(record as usize..)?;
        let [topic, flags, op_words, reported, spellings] = *record.first_chunk::<HEADER>()?;
        let ops_end = HEADER + op_words as usize;
        let ops = record.get(HEADER..ops_end)?;
        let terms = record.get(ops_end..ops_end + reported as usize)?;
        if flags & NEVER != 0 {
            return None;
        }
        // Only topics with languages or a weighted list read their cold
        // part, which lies elsewhere in memory.
        let cold = || self.cold.get(topic as usize);
        if flags & LANGUAGES != 0 && !self.accepts_language(cold()?, facts) {
            return None;
        }
        if !ops.is_empty() && !self.holds(ops, facts, evaluator) {
            return None;
        }
        let mark = out.len();
        for (k, &term) in terms.iter().enumerate() {
            if facts.occurs(term) {
                out.push(spellings + k as u32);
            }
        }
        if flags & WEIGHTED != 0 && !self.weights_reach(cold()?, facts, out) {
            out.truncate(mark);
            return None;
        }
        Some(topic)
    }

    /// Whether the weighted list reaches its threshold; appends the
    /// spellings of its positive terms that occur and are not reported yet.
    fn weights_reach(&self, cold: &Cold, facts: &Facts, out: &mut Vec<u32>) -> bool {
        let mut sum = 0.0;
        for entry in &self.weights[cold.weights.range()] {
            if !facts.occurs(entry.term) {
                continue;
            }
            sum += entry.weight;
            let shadowed = entry.shadowed_by != NONE && facts.occurs(entry.shadowed_by);
            if entry.spelling != NONE && !shadowed {
                out.push(entry.spelling);
            }
        }
        sum >= cold.threshold
    }

    /// Whether the article's language is one the topic accepts.
    fn accepts_language(&self, cold: &Cold, facts: &Facts) -> bool {
        facts.document().lang().is_some_and(|lang| {
            self.languages[cold.languages.range()]
                .iter()
                .any(|&code| self.text(code).eq_ignore_ascii_case(lang))
        })
    }

    /// Runs one postfix program.
    fn holds(&self, ops: &[u32], facts: &Facts, evaluator: &mut Evaluator) -> bool {
        let Evaluator {
            stack,
            left: a,
            right: b,
        } = evaluator;
        stack.clear();
        let mut words = ops.iter();
        while let Some(&word) = words.next() {
            let operand = word & OPERAND;
            match word >> KIND_SHIFT {
                TERM => stack.push(facts.occurs(operand)),
                NEAR => {
                    let (Some(&right), Some(&distance)) = (words.next(), words.next()) else {
                        return false;
                    };
                    stack.push(near(operand, right, distance, facts, a, b));
                }
                FILTER => {
                    let filter = &self.filters[operand as usize];
                    stack.push(filter.accepts(facts.document()));
                }
                NOT => {
                    if let Some(top) = stack.last_mut() {
                        *top = !*top;
                    }
                }
                kind @ (AND | OR) => {
                    let from = stack.len().saturating_sub(operand as usize);
                    let value = match kind {
                        AND => stack[from..].iter().all(|&v| v),
                        _ => stack[from..].iter().any(|&v| v),
                    };
                    stack.truncate(from);
                    stack.push(value);
                }
                _ => return false,
            }
        }
        stack.pop().unwrap_or(false)
    }
}

/// `left NEAR/distance right`: both occur, and some two non-overlapping
/// occurrences have at most `distance` tokens between them.
fn near(
    left: u32,
    right: u32,
    distance: u32,
    facts: &Facts,
    a: &mut Vec<u32>,
    b: &mut Vec<u32>,
) -> bool {
    if !facts.occurs(left) || !facts.occurs(right) {
        return false;
    }
    let (Some(left), Some(right)) = (
        facts.terms.get(left as usize),
        facts.terms.get(right as usize),
    ) else {
        return false;
    };
    a.clear();
    a.extend(facts.index.starts(left));
    b.clear();
    b.extend(facts.index.starts(right));
    followed_within(a, left.atoms.len(), b, distance)
        || followed_within(b, right.atoms.len(), a, distance)
}
