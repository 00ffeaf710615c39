//! Tests of the public API: the data-driven cases in `cases.tsv` (query,
//! title, body, expected outcome, optional metadata) and `topics.tsv`
//! (weighted lists and languages), plus matched-term reporting, topic
//! sets and error formatting. `props` compares the compiled `TopicSet`
//! with direct evaluation on random topic sets.

mod props;

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
    meta: String,
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

/// The data lines of a case file, with their line numbers and fields.
fn data_lines(text: &str) -> impl Iterator<Item = (usize, Vec<&str>)> {
    text.lines()
        .enumerate()
        .filter(|(_, line)| !line.starts_with('#') && !line.trim().is_empty())
        .map(|(index, line)| (index + 1, line.split('\t').collect()))
}

fn load_cases() -> Vec<Case> {
    data_lines(include_str!("../../tests/fixtures/topics/cases.tsv"))
        .map(|(line, fields)| {
            assert!(
                matches!(fields.len(), 4 | 5),
                "line {line}: want 4 or 5 tab-separated fields"
            );
            Case {
                line,
                query: fields[0].to_owned(),
                title: fields[1].to_owned(),
                body: fields[2].to_owned(),
                expected: parse_expected(fields[3], line),
                meta: fields.get(4).copied().unwrap_or("").to_owned(),
            }
        })
        .collect()
}

/// Builds the document of a case; `meta` is `key=value` pairs separated
/// by `;`, keys `site`, `feed` and `lang`, or `-` / empty for none.
fn document(title: &str, body: &str, meta: &str) -> Document {
    let mut doc = Document::new(title, body);
    for pair in meta.split(';').filter(|p| !p.is_empty() && *p != "-") {
        doc = match pair.split_once('=') {
            Some(("site", v)) => doc.with_site(v),
            Some(("feed", v)) => doc.with_feed(v),
            Some(("lang", v)) => doc.with_lang(v),
            _ => panic!("bad metadata {pair:?}"),
        };
    }
    doc
}

fn outcome(case: &Case) -> Expected {
    match Query::parse(&case.query) {
        Ok(query) => Expected::Match(
            query
                .matches(&document(&case.title, &case.body, &case.meta))
                .is_some(),
        ),
        Err(err) => Expected::Error(err.column),
    }
}

#[test]
fn case_file() {
    let cases = load_cases();
    assert!(cases.len() >= 160, "only {} cases", cases.len());
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

/// A `topics.tsv` line: a topic spec, a document and the expected result.
struct TopicCase {
    line: usize,
    spec: TopicSpec,
    doc: Document,
    expected: bool,
}

fn load_topic_cases() -> Vec<TopicCase> {
    data_lines(include_str!("../../tests/fixtures/topics/topics.tsv"))
        .map(|(line, f)| {
            assert_eq!(f.len(), 8, "line {line}: want 8 tab-separated fields");
            TopicCase {
                line,
                spec: topic_spec(line, f[0], f[1], f[2], f[3]),
                doc: document(f[4], f[5], f[6]),
                expected: f[7].parse().expect("true or false"),
            }
        })
        .collect()
}

fn topic_spec(line: usize, query: &str, terms: &str, threshold: &str, langs: &str) -> TopicSpec {
    let weighted = (terms != "-").then(|| {
        let pairs = terms.split("; ").map(|pair| {
            let (term, weight) = pair.rsplit_once('=').expect("term=weight");
            (term, weight.parse::<f64>().expect("weight"))
        });
        Weighted::new(pairs, threshold.parse().expect("threshold")).expect("weighted list")
    });
    TopicSpec {
        name: format!("line {line}"),
        query: (query != "-").then(|| Query::parse(query).expect("query")),
        weighted,
        languages: match langs {
            "-" => Vec::new(),
            list => list.split(',').map(str::to_owned).collect(),
        },
    }
}

#[test]
fn topic_case_file() {
    let cases = load_topic_cases();
    let set = TopicSet::from_specs(cases.iter().map(|c| c.spec.clone()).collect());
    for case in &cases {
        let direct = case.spec.matches(&case.doc).is_some();
        assert_eq!(direct, case.expected, "line {}", case.line);
        let compiled = set.matches(&case.doc);
        let found = compiled.iter().any(|m| m.topic == case.spec.name);
        assert_eq!(found, case.expected, "line {} (topic set)", case.line);
    }
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
    assert_eq!(
        matched("sanction* NEAR/2 title:Iran", "Iran", "sanctioned"),
        Some(vec!["sanction*".to_owned(), "title:Iran".to_owned()])
    );
}

#[test]
fn terms_in_scripts_without_spaces_are_reported_as_written() {
    assert_eq!(
        matched("北京 OR 上海", "今天北京下雨了", ""),
        Some(vec!["北京".into()])
    );
    assert_eq!(
        matched(
            "领导人 \"Kim Jong Un\" title:视察",
            "朝鲜领导人Kim Jong-un视察",
            ""
        ),
        Some(vec![
            "领导人".into(),
            "\"Kim Jong Un\"".into(),
            "title:视察".into()
        ])
    );
    assert_eq!(
        matched("กรุงเทพ NEAR/3 ฝน", "", "วันนี้กรุงเทพมีฝนตก"),
        Some(vec!["กรุงเทพ".into(), "ฝน".into()])
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
        let doc = document(&case.title, &case.body, &case.meta);
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
    assert_eq!(
        Query::parse("a NEAR b").unwrap_err().to_string(),
        "column 3: NEAR needs a distance in tokens, as in NEAR/3"
    );
    assert_eq!(
        Query::parse("x *").unwrap_err().to_string(),
        "column 3: word * contains no letters or digits to search for"
    );
}

#[test]
fn hostile_queries_return_errors_without_panicking() {
    let inputs = [
        "(".repeat(10_000),
        ")".repeat(10_000),
        "NOT ".repeat(10_000),
        "a AND ".repeat(10_000),
        "\"".repeat(10_001),
        "title:".repeat(10_000),
        "title:(".repeat(10_000),
        "a NEAR/4294967295 b".to_owned(),
        "\u{0301}\u{0308}* \u{0301}".to_owned(),
        "\0 \u{FEFF} \u{200B}".to_owned(),
    ];
    for input in &inputs {
        if let Ok(query) = Query::parse(input) {
            let doc = Document::new(input, input);
            let _ = query.matches(&doc);
            let _ = TopicSet::new(vec![("t".into(), query)]).matches(&doc);
        }
    }
}
