//! Configuration problems as the user sees them: every problem of a file in
//! one report, each at its file, line and column; and the shipped example
//! configuration loads.

use std::path::Path;

use wirewatch::config::{Config, ConfigError, Problem};

use crate::support::Workspace;

/// The problems of an invalid config, or a panic when it loaded.
fn problems(result: Result<Config, ConfigError>) -> Vec<Problem> {
    match result {
        Err(ConfigError::Invalid(problems)) => problems,
        Err(other) => panic!("expected ConfigError::Invalid, got {other}"),
        Ok(_) => panic!("an invalid config loaded"),
    }
}

/// The problem whose message contains `needle`.
fn find<'a>(problems: &'a [Problem], needle: &str) -> &'a Problem {
    problems
        .iter()
        .find(|p| p.message.contains(needle))
        .unwrap_or_else(|| panic!("no problem mentions {needle:?} in:\n{problems:#?}"))
}

/// The 1-based character column of `needle` in line `line` of `source`.
fn column_of(source: &str, line: usize, needle: &str) -> usize {
    let text = source.lines().nth(line - 1).expect("line exists");
    let byte = text.find(needle).expect("needle on the line");
    text[..byte].chars().count() + 1
}

const FOUR_PROBLEMS: &str = r#"data_dir = "data"

[fetch]
allow_hosts = ["127.0.0.1"]
  retries = 3

[poll]
min_interval = "soon"

[[feed]]
url = "not a url"

[[topic]]
name = "broken"
query = '"unclosed'
"#;

#[test]
fn every_problem_is_reported_with_its_place() {
    let path = Path::new("/etc/wirewatch/wirewatch.toml");
    let found = problems(Config::from_source(path, FOUR_PROBLEMS));
    assert_eq!(found.len(), 4, "{found:#?}");
    assert!(found.iter().all(|p| p.file == path), "{found:#?}");

    let unknown = find(&found, "retries");
    assert_eq!((unknown.line, unknown.column), (5, 3), "{unknown}");

    let duration = find(&found, "soon");
    assert_eq!(duration.line, 8, "{duration}");
    assert_eq!(duration.column, column_of(FOUR_PROBLEMS, 8, "\"soon\""));

    let url = find(&found, "not a url");
    assert_eq!(url.line, 11, "{url}");
    assert_eq!(url.column, column_of(FOUR_PROBLEMS, 11, "\"not a url\""));

    let query = find(&found, "broken");
    assert_eq!(query.line, 15, "{query}");
    // At the unclosed quote inside the query string, not at the TOML string.
    assert_eq!(query.column, column_of(FOUR_PROBLEMS, 15, "\"unclosed"));
    // The rendered report is one `file:line:column: message` line each.
    let rendered = ConfigError::Invalid(found).to_string();
    assert!(
        rendered.contains("/etc/wirewatch/wirewatch.toml:5:3: "),
        "{rendered}"
    );
    assert_eq!(rendered.lines().count(), 4, "{rendered}");
}

#[test]
fn a_bad_query_in_a_topic_file_names_that_file_and_line() {
    let ws = Workspace::new();
    let topics = "# Topics\n\n[[topic]]\nname = \"fine\"\nquery = 'Trump'\n\n\
                  [[topic]]\nname = \"dangling\"\nquery = 'Kim AND'\n";
    std::fs::write(ws.path("topics.toml"), topics).unwrap();
    let main = "data_dir = \"data\"\ntopic_files = [\"topics.toml\"]\n";
    let found = problems(Config::from_source(&ws.config_path(), main));
    assert_eq!(found.len(), 1, "{found:#?}");
    let problem = &found[0];
    assert_eq!(problem.file, ws.path("topics.toml"), "{problem}");
    assert_eq!(problem.line, 9, "{problem}");
    assert!(problem.message.contains("dangling"), "{problem}");
    assert!(problem.column > "query = '".len(), "{problem}");
}

#[test]
fn the_example_config_loads() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("config/wirewatch.example.toml");
    let config = Config::load(&path).unwrap_or_else(|e| panic!("{e}"));
    assert!(!config.feeds.is_empty());
    assert!(!config.topics.is_empty());
    assert!(!config.sinks.is_empty());
}

const TOPIC_SETTINGS: &str = r#"data_dir = "data"

[[sink]]
type = "log"
name = "ops-log"

[[topic]]
name = "plague"
threshold = 5
weights = [
  { term = '"bubonic plague"', weight = 4 },
  { term = 'plague NEAR/3', weight = 2 },
]

[[topic]]
name = "routed"
query = "Trump"
sinks = ["ops-log", "pager"]
per = "cluster"

[[topic]]
name = "empty"
languages = ["en"]
"#;

#[test]
fn topic_settings_are_checked_with_their_places() {
    let path = Path::new("/etc/wirewatch/wirewatch.toml");
    let found = problems(Config::from_source(path, TOPIC_SETTINGS));
    let weighted = find(&found, "bad weighted term");
    assert_eq!(weighted.line, 12, "{weighted}");
    assert!(weighted.message.contains("plague"), "{weighted}");
    let sink = find(&found, "sink `pager`");
    assert!(
        sink.message.contains("ops-log"),
        "lists the sinks that exist: {sink}"
    );
    let per = find(&found, "`per` must be");
    assert_eq!(per.line, 19, "{per}");
    let empty = find(&found, "needs a `query`, `weights`, or both");
    assert_eq!(empty.line, 22, "{empty}");
}

#[test]
fn a_weighted_topic_with_languages_and_routing_loads() {
    let source = r#"data_dir = "data"

[[sink]]
type = "log"
name = "ops-log"

[[topic]]
name = "plague"
threshold = 5
weights = [{ term = '"bubonic plague"', weight = 5 }, { term = "vaccine*", weight = -2 }]
languages = ["en", "DE"]
sinks = ["ops-log"]
per = "story"
backfill = "24h"
"#;
    let config = Config::from_source(Path::new("w.toml"), source).expect("valid");
    let topic = &config.topics[0];
    assert!(topic.query.is_none() && topic.weighted.is_some());
    assert_eq!(topic.languages, ["en", "de"]);
    assert_eq!(topic.sinks.as_deref(), Some(&["ops-log".to_string()][..]));
    assert_eq!(topic.backfill, Some(std::time::Duration::from_secs(86_400)));
}

const SINK_PROBLEMS: &str = r#"data_dir = "data"

[[sink]]
type = "webhook"
url = "https://hooks.example.org/in"
template = '''
{"title": {{ title|tojson }},
 "oops": {{ title | }} }
'''

[[sink]]
type = "webhook"
url = "https://hooks.example.org/other"
template_file = "body.j2"

[[sink]]
type = "slack"
url = "https://hooks.slack.example/services/x"
token = "not-for-slack"

[[sink]]
type = "ntfy"
url = "https://ntfy.example/alerts"
priority = 9

[[sink]]
type = "teams"

[[topic]]
name = "late"
query = "x"
digest = "soon"
"#;

#[test]
fn sink_settings_and_template_syntax_are_checked_at_load_with_their_places() {
    let ws = Workspace::new();
    std::fs::write(
        ws.path("body.j2"),
        "{\"ok\": true,\n \"bad\": {% if %}\n}\n",
    )
    .unwrap();
    let found = problems(Config::from_source(&ws.config_path(), SINK_PROBLEMS));
    let inline = find(&found, "bad template (its line 2)");
    assert_eq!(inline.file, ws.config_path());
    assert_eq!(inline.line, 8, "{inline}");
    let file = find(&found, "bad template:");
    assert_eq!(file.file, ws.path("body.j2"), "{file}");
    assert_eq!(file.line, 2, "{file}");
    let token = find(&found, "`token` does not apply to a slack sink");
    assert_eq!(token.line, 19, "{token}");
    let priority = find(&found, "`priority` must be 1 to 5");
    assert_eq!(priority.line, 24, "{priority}");
    let unknown = find(&found, "unknown sink type `teams`");
    assert!(unknown.message.contains("ntfy"), "{unknown}");
    let digest = find(&found, "bad duration `soon`");
    assert_eq!(digest.line, 32, "{digest}");
    assert_eq!(found.len(), 6, "{found:#?}");
}

#[test]
fn presets_and_templates_load_with_their_settings() {
    let source = r#"data_dir = "data"

[[sink]]
type = "ntfy"
name = "phone"
url = "https://ntfy.example/alerts"
token = "tk_abc"
priority = 5
tags = ["rotating_light"]

[[sink]]
type = "mattermost"
url = "https://chat.example/hooks/abc"
username = "wirewatch"
channel = "newsdesk"

[[sink]]
type = "webhook"
url = "https://hooks.example.org/in"
template = "{{ title }}"
content_type = "text/plain"

[[topic]]
name = "slow"
query = "x"
digest = "1h"
"#;
    let config = Config::from_source(Path::new("w.toml"), source).unwrap_or_else(|e| panic!("{e}"));
    use wirewatch::config::{Service, SinkKind};
    let SinkKind::Preset(ntfy) = &config.sinks[0].kind else {
        panic!("ntfy is a preset")
    };
    assert_eq!(ntfy.service, Service::Ntfy);
    assert_eq!(ntfy.priority, Some(5));
    assert_eq!(ntfy.tags, ["rotating_light"]);
    assert_eq!(config.sinks[1].name, "mattermost-2");
    let SinkKind::Webhook(hook) = &config.sinks[2].kind else {
        panic!("a webhook")
    };
    assert_eq!(hook.template.as_deref(), Some("{{ title }}"));
    assert_eq!(hook.content_type, "text/plain");
    assert_eq!(
        config.topics[0].digest,
        Some(std::time::Duration::from_secs(3600))
    );
}
