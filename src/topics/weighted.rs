//! Weighted term lists, for recall-oriented topics in the manner of the
//! Europe Media Monitor's categories: each term (a word, `word*`, phrase
//! or `title:` term, written as in queries) carries a weight, possibly
//! negative, and the topic holds when the weights of the distinct terms
//! that occur add up to at least the threshold. A term counts once however
//! often it occurs, so repeating a word cannot push an article over.

use super::QueryError;
use super::ast::{Term, TermId};
use super::matcher::Oracle;
use super::parser::parse_term;

/// A weighted term list with its threshold.
#[derive(Debug, Clone)]
pub struct Weighted {
    /// Distinct terms; the same term listed twice has its weights added.
    pub(crate) terms: Vec<Term>,
    /// The first spelling of each term, for reporting matches.
    written: Vec<String>,
    weights: Vec<f64>,
    threshold: f64,
}

/// Why a weighted term list was rejected.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum WeightedError {
    /// Term number `index` (0-based) is not a single valid term.
    #[error("term {index}: {source}")]
    Term { index: usize, source: QueryError },
    /// Term number `index` has a weight that is NaN or infinite.
    #[error("term {index}: weight must be a finite number")]
    Weight { index: usize },
    /// The threshold is NaN or infinite.
    #[error("threshold must be a finite number")]
    Threshold,
    /// The list is empty.
    #[error("a weighted topic needs at least one term")]
    Empty,
}

impl Weighted {
    /// Parses each `(term, weight)`; `threshold` is what the summed
    /// weights of the terms that occur must reach.
    pub fn new<S: AsRef<str>>(
        terms: impl IntoIterator<Item = (S, f64)>,
        threshold: f64,
    ) -> Result<Weighted, WeightedError> {
        if !threshold.is_finite() {
            return Err(WeightedError::Threshold);
        }
        let mut list = Weighted {
            terms: Vec::new(),
            written: Vec::new(),
            weights: Vec::new(),
            threshold,
        };
        for (index, (src, weight)) in terms.into_iter().enumerate() {
            if !weight.is_finite() {
                return Err(WeightedError::Weight { index });
            }
            let parsed =
                parse_term(src.as_ref()).map_err(|source| WeightedError::Term { index, source })?;
            list.add(parsed.term, parsed.written, weight);
        }
        if list.terms.is_empty() {
            return Err(WeightedError::Empty);
        }
        Ok(list)
    }

    fn add(&mut self, term: Term, written: String, weight: f64) {
        match self.terms.iter().position(|t| *t == term) {
            Some(i) => self.weights[i] += weight,
            None => {
                self.terms.push(term);
                self.written.push(written);
                self.weights.push(weight);
            }
        }
    }

    /// The threshold the summed weights must reach.
    pub fn threshold(&self) -> f64 {
        self.threshold
    }

    /// Number of distinct terms.
    pub fn len(&self) -> usize {
        self.terms.len()
    }

    /// Whether there are no terms (never true of a built list).
    pub fn is_empty(&self) -> bool {
        self.terms.is_empty()
    }

    /// Ids of the terms with a positive weight: when the threshold is
    /// positive, one of them must occur for the list to hold.
    pub(crate) fn positive_ids(&self) -> impl Iterator<Item = TermId> + '_ {
        (0..self.terms.len()).filter(|&i| self.weights[i] > 0.0)
    }

    /// Every distinct term as (local id, first spelling, summed weight),
    /// in list order.
    pub(crate) fn entries(&self) -> impl Iterator<Item = (TermId, &str, f64)> + '_ {
        (0..self.terms.len()).map(|i| (i, self.written[i].as_str(), self.weights[i]))
    }

    /// `Some(terms with a positive weight that occur)` when the list
    /// holds, `None` otherwise. Terms are summed in list order, so every
    /// evaluator gets the same floating-point total.
    pub(crate) fn matched(&self, oracle: &mut impl Oracle) -> Option<Vec<String>> {
        let mut sum = 0.0;
        let mut found = Vec::new();
        for (id, &weight) in self.weights.iter().enumerate() {
            if oracle.occurs(id) {
                sum += weight;
                if weight > 0.0 {
                    found.push(self.written[id].clone());
                }
            }
        }
        (sum >= self.threshold).then_some(found)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejects_bad_terms_and_numbers() {
        let err = Weighted::new([("a", 1.0), ("b OR c", 1.0)], 1.0).unwrap_err();
        assert!(matches!(err, WeightedError::Term { index: 1, .. }));
        assert_eq!(
            Weighted::new([("a", f64::NAN)], 1.0).unwrap_err(),
            WeightedError::Weight { index: 0 }
        );
        assert_eq!(
            Weighted::new([("a", 1.0)], f64::INFINITY).unwrap_err(),
            WeightedError::Threshold
        );
        assert_eq!(
            Weighted::new(Vec::<(&str, f64)>::new(), 1.0).unwrap_err(),
            WeightedError::Empty
        );
    }

    #[test]
    fn repeated_terms_add_their_weights() {
        let list =
            Weighted::new([("Sanction*", 1.0), ("sanction*", 2.0), ("x", -1.0)], 2.0).unwrap();
        assert_eq!(list.len(), 2);
        assert_eq!(list.weights, [3.0, -1.0]);
        assert_eq!(list.positive_ids().collect::<Vec<_>>(), [0]);
        assert_eq!(list.threshold(), 2.0);
        assert!(!list.is_empty());
    }
}
