//! Validating `[[topic]]` tables (in the main file or a topic file): the
//! query or the weighted term list, each error placed at its column inside
//! the string; the per-topic settings; and the checks across topics (unique
//! names, sinks that exist).

use std::collections::HashSet;
use std::path::Path;
use std::time::Duration;

use super::raw::{RawTopic, RawWeight};
use super::report::{Problem, Problems};
use super::{Per, SinkConfig, TopicConfig};
use crate::topics::{Query, TopicSpec, Weighted, WeightedError};

/// One topic, or None (with the problems recorded) when it cannot be used.
pub(super) fn topic(path: &Path, raw: &RawTopic, p: &mut Problems) -> Option<TopicConfig> {
    let name = raw.name.get_ref().trim();
    if name.is_empty() {
        p.push(raw.name.span(), "a topic needs a non-empty `name`");
        return None;
    }
    if raw.query.is_none() && raw.weights.is_empty() {
        p.push(
            raw.name.span(),
            format!("topic `{name}` needs a `query`, `weights`, or both"),
        );
        return None;
    }
    let query = match &raw.query {
        Some(src) => Some(query(name, src, p)?),
        None => None,
    };
    let weighted = match raw.weights.is_empty() {
        true => None,
        false => Some(weighted(name, &raw.weights, raw.threshold, p)?),
    };
    Some(TopicConfig {
        name: name.to_string(),
        query_text: raw.query.as_ref().map(|q| q.get_ref().clone()),
        query,
        weighted,
        languages: raw
            .languages
            .iter()
            .map(|l| l.get_ref().trim().to_ascii_lowercase())
            .collect(),
        sinks: (!raw.sinks.is_empty())
            .then(|| raw.sinks.iter().map(|s| s.get_ref().clone()).collect()),
        per: raw.per.as_ref().and_then(|v| super::validate::per(v, p)),
        backfill: raw
            .backfill
            .as_ref()
            .map(|b| super::validate::duration(Some(b), Duration::ZERO, p)),
        digest: raw
            .digest
            .as_ref()
            .map(|d| super::validate::duration(Some(d), Duration::from_secs(3600), p)),
        file: path.to_path_buf(),
        line: p.line_of(raw.name.span().start),
    })
}

fn query(name: &str, src: &toml::Spanned<String>, p: &mut Problems) -> Option<Query> {
    Query::parse(src.get_ref())
        .map_err(|err| {
            let offset = p.offset_in_string(src.span().start, err.column);
            p.push_at(offset, format!("topic `{name}`: bad query: {err}"));
        })
        .ok()
}

fn weighted(
    name: &str,
    weights: &[RawWeight],
    threshold: Option<f64>,
    p: &mut Problems,
) -> Option<Weighted> {
    let terms = weights
        .iter()
        .map(|w| (w.term.get_ref().as_str(), w.weight));
    let Some(threshold) = threshold else {
        p.push(
            weights[0].term.span(),
            format!("topic `{name}` has `weights` but no `threshold` for their sum"),
        );
        return None;
    };
    Weighted::new(terms, threshold)
        .map_err(|err| match err {
            WeightedError::Term { index, source } => {
                let span = weights[index].term.span();
                let offset = p.offset_in_string(span.start, source.column);
                p.push_at(
                    offset,
                    format!("topic `{name}`: bad weighted term: {source}"),
                );
            }
            WeightedError::Weight { index } => {
                p.push(weights[index].term.span(), format!("topic `{name}`: {err}"))
            }
            _ => p.push(weights[0].term.span(), format!("topic `{name}`: {err}")),
        })
        .ok()
}

/// Problems across topics: a name defined twice, a sink that does not
/// exist (when the sinks are known).
pub(super) fn check_all(
    topics: &[TopicConfig],
    sinks: Option<&[SinkConfig]>,
    all: &mut Vec<Problem>,
) {
    let mut seen = HashSet::new();
    let mut problem = |topic: &TopicConfig, message: String| {
        all.push(Problem {
            file: topic.file.clone(),
            line: topic.line,
            column: 1,
            message,
        })
    };
    for topic in topics {
        if !seen.insert(topic.name.as_str()) {
            problem(topic, format!("topic `{}` is defined twice", topic.name));
        }
        let Some(sinks) = sinks else { continue };
        for sink in topic.sinks.iter().flatten() {
            if !sinks.iter().any(|s| &s.name == sink) {
                let known: Vec<&str> = sinks.iter().map(|s| s.name.as_str()).collect();
                problem(
                    topic,
                    format!(
                        "topic `{}` routes to sink `{sink}`, which is not configured (sinks: {})",
                        topic.name,
                        known.join(", ")
                    ),
                );
            }
        }
    }
}

impl TopicConfig {
    /// The matching engine's view of the topic.
    pub fn spec(&self) -> TopicSpec {
        TopicSpec {
            name: self.name.clone(),
            query: self.query.clone(),
            weighted: self.weighted.clone(),
            languages: self.languages.clone(),
        }
    }

    /// The matching engine's view of the topic, without copying it.
    pub fn into_spec(self) -> TopicSpec {
        TopicSpec {
            name: self.name,
            query: self.query,
            weighted: self.weighted,
            languages: self.languages,
        }
    }

    /// What a topic fires once on, given the global default.
    pub fn per_or(&self, default: Per) -> Per {
        self.per.unwrap_or(default)
    }
}
