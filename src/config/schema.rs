//! The set of keys each table of a config or topic file may hold.
//!
//! serde's `deny_unknown_fields` stops at the first unknown key; walking the
//! parsed document against this schema first lets `check` report every
//! misspelt key at once, each at its own line and column. The lists mirror the
//! structures in `raw.rs`; the example-config test keeps the two in step.

use toml::de::{DeTable, DeValue};

use super::report::Problems;

/// The shape of a key's value, as far as key checking cares.
pub enum Shape {
    /// A value whose keys are not checked (string, number, array of strings).
    Leaf,
    /// A `[table]` with these keys.
    Table(&'static [(&'static str, Shape)]),
    /// An array of `[[tables]]`, each with these keys.
    Tables(&'static [(&'static str, Shape)]),
}

use Shape::{Leaf, Table, Tables};

const FETCH: &[(&str, Shape)] = &[
    ("allow_hosts", Leaf),
    ("timeout", Leaf),
    ("connect_timeout", Leaf),
    ("max_body_bytes", Leaf),
    ("max_redirects", Leaf),
    ("concurrency", Leaf),
    ("per_domain_concurrency", Leaf),
    ("per_domain_rate", Leaf),
    ("user_agent", Leaf),
    ("robots", Leaf),
];
const POLL: &[(&str, Shape)] = &[
    ("min_interval", Leaf),
    ("interval", Leaf),
    ("max_interval", Leaf),
];
const FEED: &[(&str, Shape)] = &[
    ("url", Leaf),
    ("name", Leaf),
    ("interval", Leaf),
    ("robots", Leaf),
];
const OPML: &[(&str, Shape)] = &[("source", Leaf)];
const TOPIC: &[(&str, Shape)] = &[
    ("name", Leaf),
    ("query", Leaf),
    ("per", Leaf),
    ("sinks", Leaf),
    ("languages", Leaf),
    ("weights", Tables(WEIGHT)),
    ("threshold", Leaf),
    ("backfill", Leaf),
    ("digest", Leaf),
];
const WEIGHT: &[(&str, Shape)] = &[("term", Leaf), ("weight", Leaf)];
const DEDUPE: &[(&str, Shape)] = &[("window", Leaf)];
const ALERTS: &[(&str, Shape)] = &[
    ("per", Leaf),
    ("follow_ups", Leaf),
    ("silence", Leaf),
    ("breaking_outlets", Leaf),
    ("breaking_within", Leaf),
];
const DELIVERY: &[(&str, Shape)] = &[("retry_for", Leaf), ("max_backoff", Leaf)];
const ADMIN: &[(&str, Shape)] = &[("listen", Leaf)];
const SINK: &[(&str, Shape)] = &[
    ("type", Leaf),
    ("name", Leaf),
    ("url", Leaf),
    ("secret", Leaf),
    ("template", Leaf),
    ("template_file", Leaf),
    ("content_type", Leaf),
    ("username", Leaf),
    ("channel", Leaf),
    ("token", Leaf),
    ("priority", Leaf),
    ("tags", Leaf),
];

/// The keys of the main configuration file.
pub const MAIN: &[(&str, Shape)] = &[
    ("data_dir", Leaf),
    ("topic_files", Leaf),
    ("log_level", Leaf),
    ("retention", Leaf),
    ("fetch", Table(FETCH)),
    ("poll", Table(POLL)),
    ("feed", Tables(FEED)),
    ("opml", Tables(OPML)),
    ("topic", Tables(TOPIC)),
    ("sink", Tables(SINK)),
    ("dedupe", Table(DEDUPE)),
    ("alerts", Table(ALERTS)),
    ("delivery", Table(DELIVERY)),
    ("admin", Table(ADMIN)),
];

/// The keys of a topic file.
pub const TOPIC_FILE: &[(&str, Shape)] = &[("topic", Tables(TOPIC))];

/// Report every key of `table` (recursively) that `allowed` does not list.
pub fn check_keys(
    table: &DeTable<'_>,
    allowed: &[(&str, Shape)],
    path: &str,
    problems: &mut Problems,
) {
    for (key, value) in table {
        let Some((_, shape)) = allowed.iter().find(|(name, _)| *name == key.get_ref()) else {
            let names: Vec<&str> = allowed.iter().map(|(name, _)| *name).collect();
            let place = if path.is_empty() {
                "the top level".to_string()
            } else {
                format!("[{path}]")
            };
            problems.push(
                key.span(),
                format!(
                    "unknown key `{}` in {place}; expected one of: {}",
                    key.get_ref(),
                    names.join(", ")
                ),
            );
            continue;
        };
        let child = join(path, key.get_ref());
        match (shape, value.get_ref()) {
            (Table(keys), DeValue::Table(inner)) => check_keys(inner, keys, &child, problems),
            (Tables(keys), DeValue::Array(items)) => {
                for item in items.iter() {
                    if let DeValue::Table(inner) = item.get_ref() {
                        check_keys(inner, keys, &child, problems);
                    }
                }
            }
            _ => {}
        }
    }
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}
