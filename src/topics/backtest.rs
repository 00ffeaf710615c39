//! Trying a topic (or a bare query) against stored articles, as
//! `wirewatch search`, `topics test` and the web page's playground do: which
//! articles since a cut-off it matches, with the matched terms, counts per
//! day, and a snippet of the text around the first matched term.

use std::collections::BTreeMap;

use super::{Document, TopicSpec, highlights};
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

/// A piece of a snippet, and whether it is a matched term.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Marked {
    pub text: String,
    pub hit: bool,
}

/// Roughly this many characters of text are shown before and after the
/// first matched term.
const BEFORE: usize = 80;
const AFTER: usize = 160;

/// The passage around the first matched term of `text`, whitespace
/// flattened, cut into pieces where a matched term occurs as matching
/// found it (folded, so in any case, width or script); `…` marks a cut.
pub fn snippet(text: &str, terms: &[String]) -> Vec<Marked> {
    let marks = highlights(text, terms);
    let first = marks.first().map_or(0, |m| m.start);
    let (start, end) = window(text, first);
    let mut parts = Vec::new();
    let mut push = |piece: &str, hit: bool| {
        let flat = flatten(piece);
        if !flat.is_empty() {
            parts.push(Marked { text: flat, hit });
        }
    };
    push(if start > 0 { "…" } else { "" }, false);
    let mut at = start;
    for mark in marks.iter().filter(|m| m.end > start && m.start < end) {
        let (from, to) = (mark.start.max(start), mark.end.min(end));
        push(&text[at..from], false);
        push(&text[from..to], true);
        at = to;
    }
    push(&text[at..end], false);
    push(if end < text.len() { "…" } else { "" }, false);
    parts
}

/// Runs of whitespace as one space, kept at the ends (pieces join up).
fn flatten(piece: &str) -> String {
    let mut out = String::with_capacity(piece.len());
    let mut in_space = false;
    for c in piece.chars() {
        if !c.is_whitespace() {
            out.push(c);
        } else if !in_space {
            out.push(' ');
        }
        in_space = c.is_whitespace();
    }
    out
}

/// Byte bounds of about `BEFORE` chars before `at` and `AFTER` after it,
/// cut at a space when one is near (text without spaces is cut anywhere).
fn window(text: &str, at: usize) -> (usize, usize) {
    let before: Vec<(usize, char)> = text[..at].char_indices().rev().take(BEFORE).collect();
    let mut start = before.last().map_or(at, |&(i, _)| i);
    if start > 0
        && let Some(&(i, c)) = before.iter().rev().find(|(_, c)| c.is_whitespace())
    {
        start = i + c.len_utf8();
    }
    let after: Vec<(usize, char)> = text[at..].char_indices().take(AFTER + 1).collect();
    let mut end = after.get(AFTER).map_or(text.len(), |&(i, _)| at + i);
    if end < text.len()
        && let Some(&(i, _)) = after.iter().rev().find(|(_, c)| c.is_whitespace())
    {
        end = at + i;
    }
    (start, end.max(start))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snippets_mark_the_terms_where_matching_found_them() {
        let text = "Officials in Seoul said the summit with Kim Jong-un would go ahead.";
        let marked = snippet(text, &["\"Kim Jong Un\"".into(), "summit*".into()]);
        let hits: Vec<&str> = marked
            .iter()
            .filter(|m| m.hit)
            .map(|m| m.text.as_str())
            .collect();
        assert_eq!(hits, ["summit", "Kim Jong-un"]);
        let whole: String = marked.iter().map(|m| m.text.as_str()).collect();
        assert_eq!(whole, text, "a short text is shown whole");
    }
}
