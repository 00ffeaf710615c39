//! Tree-shape tests of the parser: precedence, flattening, NEAR and field
//! binding, and resistance to hostile nesting.

use super::*;

/// Renders the tree as an s-expression of written terms.
fn show(src: &str) -> String {
    fn render(node: &Node) -> String {
        let list = |op: &str, items: &[Node]| {
            let inner: Vec<String> = items.iter().map(render).collect();
            format!("({op} {})", inner.join(" "))
        };
        match node {
            Node::Term(t) => t.written.clone(),
            Node::Near {
                left,
                right,
                distance,
            } => format!("(NEAR/{distance} {} {})", left.written, right.written),
            Node::Filter(f) => format!("{f:?}"),
            Node::Not(inner) => format!("(NOT {})", render(inner)),
            Node::And(items) => list("AND", items),
            Node::Or(items) => list("OR", items),
        }
    }
    render(&parse(src).unwrap().root)
}

fn error(src: &str) -> (usize, String) {
    let err = parse(src).unwrap_err();
    (err.column, err.message)
}

#[test]
fn precedence_is_near_then_not_then_and_then_or() {
    assert_eq!(show("a OR b AND c"), "(OR a (AND b c))");
    assert_eq!(show("NOT a AND b"), "(AND (NOT a) b)");
    assert_eq!(show("a b OR c"), "(OR (AND a b) c)");
    assert_eq!(show("a NOT b"), "(AND a (NOT b))");
    assert_eq!(show("(a OR b) c"), "(AND (OR a b) c)");
    assert_eq!(show("NOT (a OR b)"), "(NOT (OR a b))");
    assert_eq!(show("NOT a NEAR/2 b"), "(NOT (NEAR/2 a b))");
    assert_eq!(
        show("x a NEAR/2 \"b c\" OR d"),
        "(OR (AND x (NEAR/2 a \"b c\")) d)"
    );
}

#[test]
fn chains_stay_flat_and_double_negation_cancels() {
    assert_eq!(show("a AND b c AND d"), "(AND a b c d)");
    assert_eq!(show("a OR b OR c"), "(OR a b c)");
    assert_eq!(show("NOT NOT a"), "a");
    assert_eq!(show("NOT NOT NOT a"), "(NOT a)");
}

#[test]
fn title_applies_to_the_next_term_or_group() {
    assert_eq!(show("title:a b"), "(AND title:a b)");
    assert_eq!(show("title:(a OR b) c"), "(AND (OR title:a title:b) c)");
    assert_eq!(show("title:\"a b\""), "title:\"a b\"");
    assert_eq!(show("title:(a NEAR/1 b*)"), "(NEAR/1 title:a title:b*)");
    assert_eq!(show("a NEAR/1 title:b"), "(NEAR/1 a title:b)");
    assert_eq!(show("title:title:a"), "title:a");
}

#[test]
fn filters_are_leaves() {
    assert_eq!(show("lang:EN a"), "(AND Lang(\"en\") a)");
    assert_eq!(show("NOT site:x.com"), "(NOT Site(\"x.com\"))");
}

#[test]
fn near_operands_must_be_plain_terms() {
    assert_eq!(error("(a) NEAR/1 b").0, 5);
    assert_eq!(error("a NEAR/1 (b)").0, 3);
    assert_eq!(error("a NEAR/1 NOT b").0, 3);
    assert_eq!(error("a NEAR/1 title:(b)").0, 3);
    assert_eq!(error("a NEAR/1 site:b").0, 3);
    assert_eq!(error("a NEAR/1").0, 3);
    assert_eq!(error("NEAR/1 a").0, 1);
    assert_eq!(error("a NEAR/1 b NEAR/1 c").0, 12);
    assert_eq!(error("a AND NEAR/1 b").0, 3);
}

#[test]
fn filters_take_one_value_outside_title() {
    assert_eq!(error("title:site:x").0, 7);
    assert_eq!(error("site:(x)").0, 1);
    assert_eq!(error("a lang:1").0, 3);
}

#[test]
fn repeated_terms_share_one_table_entry() {
    let parsed = parse("Trump OR trump OR \"TRUMP\" OR Biden OR title:Trump OR trump*").unwrap();
    assert_eq!(parsed.terms.len(), 4);
}

#[test]
fn single_terms_for_weighted_lists() {
    assert_eq!(
        parse_term("title:sanction*").unwrap().written,
        "title:sanction*"
    );
    assert_eq!(parse_term("a b").unwrap_err().column, 1);
    assert_eq!(parse_term("a)").unwrap_err().column, 2);
}

#[test]
fn deep_nesting_is_an_error_not_a_stack_overflow() {
    let deep = "(".repeat(100_000) + "a" + &")".repeat(100_000);
    let err = parse(&deep).unwrap_err();
    assert_eq!(err.column, MAX_DEPTH + 1);
    let ok = "(".repeat(MAX_DEPTH) + "a" + &")".repeat(MAX_DEPTH);
    assert!(parse(&ok).is_ok());
    let nots = "NOT ".repeat(100_000) + "a";
    assert_eq!(show(&nots), "a");
    let titles = "title:".repeat(100_000) + "a";
    assert_eq!(show(&titles), "title:a");
    let scoped = "title:(".repeat(100_000) + "a";
    assert!(parse(&scoped).is_err());
}
