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
