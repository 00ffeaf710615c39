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
const WEB: &[(&str, Shape)] = &[("listen", Leaf), ("token", Leaf)];
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
    ("web", Table(WEB)),
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Every key of `keys`, with the top-level table it sits in ("" at the
    /// top level itself).
    fn keys<'a>(keys: &[(&'a str, Shape)], table: &'a str, out: &mut Vec<(&'a str, &'a str)>) {
        for (name, shape) in keys {
            out.push((table, name));
            if let Table(inner) | Tables(inner) = shape {
                self::keys(inner, if table.is_empty() { name } else { table }, out);
            }
        }
    }

    fn has_word(line: &str, word: &str) -> bool {
        line.split(|c: char| !(c.is_alphanumeric() || c == '_'))
            .any(|w| w == word)
    }

    /// The README's reference names a key of a table on a line that names
    /// the table (`[fetch] timeout`); the example config shows each key set.
    #[test]
    fn the_readme_and_the_example_config_show_every_key() {
        let readme = include_str!("../../README.md");
        let example = include_str!("../../config/wirewatch.example.toml");
        let mut all = Vec::new();
        keys(MAIN, "", &mut all);
        let undocumented: Vec<String> = all
            .iter()
            .filter(|(table, key)| {
                // A top-level key stands as `key`, `[key]` or `[[key]]`.
                let named = if table.is_empty() { key } else { table };
                let forms = [
                    format!("`{key}"),
                    format!("[{named}]"),
                    format!("[[{named}]]"),
                ];
                let on_its_line = |line: &&str| {
                    has_word(line, key)
                        && forms[usize::from(!table.is_empty())..]
                            .iter()
                            .any(|form| line.contains(form.as_str()))
                };
                !readme.lines().any(|line| on_its_line(&line))
            })
            .map(|(table, key)| format!("{table}.{key}"))
            .collect();
        assert!(undocumented.is_empty(), "README lacks {undocumented:?}");
        let unshown: Vec<String> = all
            .iter()
            .filter(|(_, key)| {
                ![format!("{key} ="), format!("[{key}]"), format!("[[{key}]]")]
                    .iter()
                    .any(|form| example.contains(form.as_str()))
            })
            .map(|(table, key)| format!("{table}.{key}"))
            .collect();
        assert!(unshown.is_empty(), "the example config lacks {unshown:?}");
    }
}
