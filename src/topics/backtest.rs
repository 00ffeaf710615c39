//! Trying a topic (or a bare query) against stored articles, as
//! `wirewatch search`, `topics test` and the web page's playground do: which
//! articles since a cut-off it matches, with the matched terms, counts per
//! day, and a snippet of the text around the first matched term.

use std::collections::BTreeMap;

use super::{Document, TopicSpec};
use crate::model::Article;

/// The running tally of one backtest.
#[derive(Debug, Clone, Default)]
pub struct Backtest {
    /// Articles first seen before this RFC 3339 time are not tested.
    cutoff: String,
    /// Only articles of this feed, when given.
    feed: Option<String>,
    pub tested: usize,
    pub matched: usize,
    /// Matches per day of first sighting (`YYYY-MM-DD`).
    pub per_day: BTreeMap<String, usize>,
}

impl Backtest {
    pub fn new(cutoff: String, feed: Option<String>) -> Backtest {
        Backtest {
            cutoff,
            feed,
            ..Backtest::default()
        }
    }

    /// The matched terms when `article` is tested and matches.
    pub fn test(&mut self, spec: &TopicSpec, article: &Article) -> Option<Vec<String>> {
        // RFC 3339 times in UTC compare in time order as text.
        if article.first_seen < self.cutoff
            || self.feed.as_ref().is_some_and(|f| *f != article.feed)
        {
            return None;
        }
        self.tested += 1;
        let terms = spec.matches(&Document::of_article(article))?;
        self.matched += 1;
        *self.per_day.entry(day(&article.first_seen)).or_default() += 1;
        Some(terms)
    }
}

/// The day (`YYYY-MM-DD`) of an RFC 3339 time.
pub fn day(time: &str) -> String {
    time.chars().take(10).collect()
}

/// A word of a snippet, and whether it is a matched term.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Marked {
    pub word: String,
    pub hit: bool,
}

/// The words around the first matched term of `text` (a dozen before,
/// some eighteen from it on), each marked when a query term occurs in it
/// (case-insensitively, as words appear).
pub fn snippet(text: &str, terms: &[String]) -> Vec<Marked> {
    let words = term_words(terms);
    let is_hit = |w: &str| {
        let lower = w.to_lowercase();
        words.iter().any(|t| lower.contains(t.as_str()))
    };
    let flat: Vec<&str> = text.split_whitespace().collect();
    let first = flat.iter().position(|w| is_hit(w)).unwrap_or(0);
    let start = first.saturating_sub(12);
    let end = (first + 18).min(flat.len());
    flat.get(start..end)
        .unwrap_or_default()
        .iter()
        .map(|w| Marked {
            word: w.to_string(),
            hit: is_hit(w),
        })
        .collect()
}

/// The plain words of matched terms: quotes, prefix stars and field names off.
fn term_words(terms: &[String]) -> Vec<String> {
    terms
        .iter()
        .flat_map(|t| {
            t.trim_matches('"')
                .split_whitespace()
                .map(str::to_lowercase)
                .collect::<Vec<_>>()
        })
        .map(|w| {
            w.trim_end_matches('*')
                .trim_start_matches("title:")
                .to_string()
        })
        .filter(|w| !w.is_empty())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snippets_mark_the_words_that_hold_a_term() {
        let text = "Officials in Seoul said the summit with Kim Jong Un would go ahead.";
        let marked = snippet(text, &["\"Kim Jong Un\"".into(), "summit*".into()]);
        let hits: Vec<&str> = marked
            .iter()
            .filter(|m| m.hit)
            .map(|m| m.word.as_str())
            .collect();
        assert_eq!(hits, ["summit", "Kim", "Jong", "Un"]);
        assert_eq!(marked.first().map(|m| m.word.as_str()), Some("Officials"));
    }
}
