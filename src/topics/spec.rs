//! One topic as configured: a name, a boolean query and/or a weighted
//! term list, and the languages it applies to. `TopicSpec::matches`
//! evaluates it directly against a document; `TopicSet` compiles many
//! specs together but decides each candidate with the same `evaluate`.

use super::document::primary_language;
use super::matcher::{Oracle, ScanOracle, matched_terms};
use super::{Document, Query, Weighted};

/// A topic: what an article must contain, and in which languages.
///
/// When both `query` and `weighted` are set, both must hold and the
/// matched terms of both are reported. A spec with neither never matches
/// (configuration should reject it).
#[derive(Debug, Clone)]
pub struct TopicSpec {
    /// The topic's name, reported with each match.
    pub name: String,
    /// A boolean query the article must match.
    pub query: Option<Query>,
    /// A weighted term list whose threshold the article must reach.
    pub weighted: Option<Weighted>,
    /// Language codes (`en`, `de`, …); when non-empty the topic applies
    /// only to articles whose language is one of them, so an article of
    /// unknown language is skipped.
    pub languages: Vec<String>,
}

impl TopicSpec {
    /// A topic defined by a query alone, for every language.
    pub fn new(name: impl Into<String>, query: Query) -> TopicSpec {
        TopicSpec {
            name: name.into(),
            query: Some(query),
            weighted: None,
            languages: Vec::new(),
        }
    }

    /// Adds (or replaces) the weighted term list.
    pub fn with_weighted(mut self, weighted: Weighted) -> TopicSpec {
        self.weighted = Some(weighted);
        self
    }

    /// Restricts the topic to articles in these languages.
    pub fn with_languages<S: Into<String>>(
        mut self,
        codes: impl IntoIterator<Item = S>,
    ) -> TopicSpec {
        self.languages = codes.into_iter().map(Into::into).collect();
        self
    }

    /// `Some(matched terms)` when the topic matches `doc`, evaluated on
    /// its own by scanning the document (no shared index).
    pub fn matches(&self, doc: &Document) -> Option<Vec<String>> {
        let query_terms = self.query.as_ref().map_or(&[][..], |q| &q.terms);
        let weighted_terms = self.weighted.as_ref().map_or(&[][..], |w| &w.terms);
        evaluate(
            self,
            doc,
            &mut ScanOracle::new(query_terms, doc),
            &mut ScanOracle::new(weighted_terms, doc),
        )
    }

    /// Whether the topic applies to an article in `doc`'s language.
    pub(crate) fn accepts_language(&self, doc: &Document) -> bool {
        self.languages.is_empty()
            || doc.lang().is_some_and(|lang| {
                self.languages
                    .iter()
                    .any(|code| primary_language(code).eq_ignore_ascii_case(lang))
            })
    }
}

/// Decides `spec` for `doc` given oracles for its query's and its
/// weighted list's terms; matched terms are reported once each.
pub(crate) fn evaluate(
    spec: &TopicSpec,
    doc: &Document,
    query_oracle: &mut impl Oracle,
    weighted_oracle: &mut impl Oracle,
) -> Option<Vec<String>> {
    if (spec.query.is_none() && spec.weighted.is_none()) || !spec.accepts_language(doc) {
        return None;
    }
    let mut matched = match &spec.query {
        Some(q) => matched_terms(&q.root, &q.terms, &q.positive, query_oracle)?,
        None => Vec::new(),
    };
    if let Some(weighted) = &spec.weighted {
        for term in weighted.matched(weighted_oracle)? {
            if !matched.contains(&term) {
                matched.push(term);
            }
        }
    }
    Some(matched)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec() -> TopicSpec {
        TopicSpec::new("t", Query::parse("Kim").unwrap())
    }

    #[test]
    fn languages_restrict_by_primary_subtag() {
        let doc = Document::new("Kim", "");
        let only_en = spec().with_languages(["EN-gb"]);
        assert_eq!(
            only_en.matches(&doc.clone().with_lang("en")),
            Some(vec!["Kim".into()])
        );
        assert_eq!(only_en.matches(&doc.clone().with_lang("de")), None);
        assert_eq!(only_en.matches(&doc), None);
        assert!(spec().matches(&doc).is_some());
    }

    #[test]
    fn query_and_weighted_list_must_both_hold() {
        let weighted = Weighted::new([("Kim", 1.0), ("Jong", 1.0)], 2.0).unwrap();
        let both = spec().with_weighted(weighted.clone());
        assert_eq!(
            both.matches(&Document::new("Kim Jong", "")),
            Some(vec!["Kim".into(), "Jong".into()])
        );
        assert_eq!(both.matches(&Document::new("Kim", "")), None);
        let only_weighted = TopicSpec {
            query: None,
            ..spec().with_weighted(weighted)
        };
        assert!(
            only_weighted
                .matches(&Document::new("jong kim", ""))
                .is_some()
        );
        let neither = TopicSpec {
            query: None,
            ..spec()
        };
        assert_eq!(neither.matches(&Document::new("Kim", "")), None);
    }
}
