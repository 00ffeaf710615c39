//! Tests of the public API: the data-driven cases in `cases.tsv` (query,
//! title, body, expected outcome) plus matched-term reporting, topic sets
//! and error formatting.

use super::*;

/// What a case expects.
#[derive(Debug, PartialEq)]
enum Expected {
    Match(bool),
    Error(usize),
}

struct Case {
    line: usize,
    query: String,
    title: String,
    body: String,
    expected: Expected,
}

fn parse_expected(field: &str, line: usize) -> Expected {
    match field.split_once(' ') {
        Some(("error", column)) => Expected::Error(column.parse().expect("error column")),
        _ => Expected::Match(
            field
                .parse()
                .unwrap_or_else(|_| panic!("line {line}: {field}")),
        ),
    }
}

fn load_cases() -> Vec<Case> {
    let mut cases = Vec::new();
    for (index, line) in include_str!("cases.tsv").lines().enumerate() {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let fields: Vec<&str> = line.split('\t').collect();
        assert_eq!(
            fields.len(),
            4,
            "line {}: want 4 tab-separated fields",
            index + 1
        );
        cases.push(Case {
            line: index + 1,
            query: fields[0].to_owned(),
            title: fields[1].to_owned(),
            body: fields[2].to_owned(),
            expected: parse_expected(fields[3], index + 1),
        });
    }
    cases
}

fn outcome(case: &Case) -> Expected {
    match Query::parse(&case.query) {
        Ok(query) => Expected::Match(
            query
                .matches(&Document::new(&case.title, &case.body))
                .is_some(),
        ),
        Err(err) => Expected::Error(err.column),
    }
}

#[test]
fn case_file() {
    let cases = load_cases();
    assert!(cases.len() >= 60, "only {} cases", cases.len());
    let failures: Vec<String> = cases
        .iter()
        .filter(|case| outcome(case) != case.expected)
        .map(|case| {
            format!(
                "line {}: query {:?} title {:?} body {:?}: want {:?}, got {:?}",
                case.line,
                case.query,
                case.title,
                case.body,
                case.expected,
                outcome(case)
            )
        })
        .collect();
    assert!(
        failures.is_empty(),
        "{} failing cases:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

fn matched(query: &str, title: &str, body: &str) -> Option<Vec<String>> {
    Query::parse(query)
        .unwrap()
        .matches(&Document::new(title, body))
}

#[test]
fn reports_positive_terms_as_written() {
    assert_eq!(
        matched(
            "\"Kim Jong Un\" OR Trump OR Biden",
            "Kim Jong-un and Trump",
            ""
        ),
        Some(vec!["\"Kim Jong Un\"".to_owned(), "Trump".to_owned()])
    );
    assert_eq!(
        matched("Jong-un", "KIM JONG UN", ""),
        Some(vec!["Jong-un".to_owned()])
    );
}

#[test]
fn negated_and_repeated_terms_are_not_reported_twice() {
    assert_eq!(
        matched("Trump NOT golf", "Trump", ""),
        Some(vec!["Trump".to_owned()])
    );
    assert_eq!(
        matched("Trump OR trump", "TRUMP", ""),
        Some(vec!["Trump".to_owned()])
    );
    assert_eq!(matched("NOT golf", "Trump", ""), Some(vec![]));
    assert_eq!(
        matched("NOT golf OR golf", "golf", ""),
        Some(vec!["golf".to_owned()])
    );
    assert_eq!(matched("Trump NOT golf", "Trump golf", ""), None);
}

#[test]
fn topic_set_keeps_order_and_shares_terms() {
    let topic = |name: &str, src: &str| (name.to_owned(), Query::parse(src).unwrap());
    let set = TopicSet::new(vec![
        topic("korea", "\"Kim Jong Un\" OR Pyongyang"),
        topic("us", "Trump OR Biden"),
        topic("golf", "Trump golf"),
        topic("quiet", "NOT Pyongyang"),
    ]);
    assert_eq!(set.len(), 4);
    assert!(!set.is_empty());
    let got = set.matches(&Document::new("Trump meets Kim Jong-un", "No golf."));
    let want = [
        TopicMatch {
            topic: "korea".into(),
            matched: vec!["\"Kim Jong Un\"".into()],
        },
        TopicMatch {
            topic: "us".into(),
            matched: vec!["Trump".into()],
        },
        TopicMatch {
            topic: "golf".into(),
            matched: vec!["Trump".into(), "golf".into()],
        },
        TopicMatch {
            topic: "quiet".into(),
            matched: vec![],
        },
    ];
    assert_eq!(got, want);
    assert!(TopicSet::new(Vec::new()).is_empty());
}

#[test]
fn topic_set_agrees_with_single_queries() {
    let cases = load_cases();
    let queries: Vec<(String, Query)> = cases
        .iter()
        .filter_map(|case| Some((case.query.clone(), Query::parse(&case.query).ok()?)))
        .collect();
    let set = TopicSet::new(queries.clone());
    for case in &cases {
        let doc = Document::new(&case.title, &case.body);
        let want: Vec<TopicMatch> = queries
            .iter()
            .filter_map(|(name, q)| {
                Some(TopicMatch {
                    topic: name.clone(),
                    matched: q.matches(&doc)?,
                })
            })
            .collect();
        assert_eq!(set.matches(&doc), want, "line {}", case.line);
    }
}

#[test]
fn errors_display_column_and_message() {
    let err = Query::parse("a AND").unwrap_err();
    assert_eq!(err.to_string(), "column 3: AND has no term after it");
    let err = Query::parse("a \"b").unwrap_err();
    assert_eq!(
        err.to_string(),
        "column 3: unterminated quote: missing closing '\"'"
    );
    assert_eq!(Query::parse("\"\"").unwrap_err().message, "empty phrase");
    assert_eq!(Query::parse("()").unwrap_err().message, "empty parentheses");
    assert_eq!(
        Query::parse("(a").unwrap_err().message,
        "unclosed '(': missing ')'"
    );
    assert_eq!(Query::parse("a)").unwrap_err().message, "unmatched ')'");
    assert_eq!(Query::parse(" ").unwrap_err().message, "empty query");
}

#[test]
fn hostile_queries_return_errors_without_panicking() {
    let inputs = [
        "(".repeat(10_000),
        ")".repeat(10_000),
        "NOT ".repeat(10_000),
        "a AND ".repeat(10_000),
        "\"".repeat(10_001),
        "\u{0301}\u{0308}".to_owned(),
        "\0 \u{FEFF} \u{200B}".to_owned(),
    ];
    for input in &inputs {
        if let Ok(query) = Query::parse(input) {
            let _ = query.matches(&Document::new(input, input));
        }
    }
}
