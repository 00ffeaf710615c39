//! TF-IDF vectors of groups and their cosine. A group keeps only its
//! heaviest terms, with unit length, so that the cosine of two groups is a
//! sum of products over their shared terms.

use super::config::StoryConfig;
use super::df::DocFreq;
use super::terms::DocTerms;

/// A group's weighted terms: `(term, weight)` sorted by term, unit length.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct TermVector {
    terms: Vec<(u32, f32)>,
}

impl TermVector {
    /// The unit TF-IDF vector of the [`StoryConfig::terms`] heaviest terms of a document,
    /// leaving out function words (see [`is_function_word`]).
    pub fn new(doc: &DocTerms, df: &DocFreq, c: &StoryConfig) -> TermVector {
        let mut weighted: Vec<(u32, f32)> = doc
            .counts
            .iter()
            .filter(|&(&t, _)| !is_function_word(t, df, c))
            .map(|(&t, &c)| (t, (1.0 + c.ln()) * df.idf(t)))
            .collect();
        weighted.sort_unstable_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        weighted.truncate(c.terms);
        let norm = weighted.iter().map(|(_, w)| w * w).sum::<f32>().sqrt();
        if norm > 0.0 {
            weighted.iter_mut().for_each(|(_, w)| *w /= norm);
        }
        weighted.sort_unstable_by_key(|&(t, _)| t);
        TermVector { terms: weighted }
    }

    /// Cosine similarity of two unit vectors.
    pub fn cosine(&self, other: &TermVector) -> f32 {
        let (a, b) = (&self.terms, &other.terms);
        let (mut i, mut j, mut sum) = (0, 0, 0.0);
        while i < a.len() && j < b.len() {
            match a[i].0.cmp(&b[j].0) {
                std::cmp::Ordering::Less => i += 1,
                std::cmp::Ordering::Greater => j += 1,
                std::cmp::Ordering::Equal => {
                    sum += a[i].1 * b[j].1;
                    i += 1;
                    j += 1;
                }
            }
        }
        sum
    }

    /// The `n` heaviest terms.
    pub fn heaviest(&self, n: usize) -> Vec<u32> {
        let mut terms = self.terms.clone();
        terms.sort_unstable_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        terms.iter().take(n).map(|&(t, _)| t).collect()
    }

    /// The terms, sorted.
    pub fn terms(&self) -> impl Iterator<Item = u32> + '_ {
        self.terms.iter().map(|&(t, _)| t)
    }

    /// True when no term was kept.
    pub fn is_empty(&self) -> bool {
        self.terms.is_empty()
    }
}

/// True for a term in more than [`StoryConfig::stop_share`] of the
/// documents and in more than [`StoryConfig::stop_min_df`], once
/// [`StoryConfig::df_min_docs`] are counted: a function word of some
/// language (or a word that every story uses), whatever the language. The
/// floor keeps a cold index (a few dozen documents) from taking the words
/// of one topic for function words, while the function words of its main
/// language are already in nearly every document.
pub fn is_function_word(term: u32, df: &DocFreq, c: &StoryConfig) -> bool {
    let docs = df.docs();
    docs >= c.df_min_docs
        && df.df(term) as f32 > (c.stop_share * docs as f32).max(c.stop_min_df as f32)
}

/// How many of two sorted lists' items they share.
pub fn shared(a: &[u32], b: &[u32]) -> usize {
    let (mut i, mut j, mut n) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                n += 1;
                i += 1;
                j += 1;
            }
        }
    }
    n
}
