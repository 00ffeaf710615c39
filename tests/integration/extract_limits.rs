//! The extractor on pathological pages: it must return (no panic, no hang,
//! no stack overflow) and give no boilerplate or script text as a body.

use wirewatch::extract::{Kind, decode_html, extract};

#[test]
fn hundred_thousand_nested_divs() {
    let depth = 100_000;
    let html = format!(
        "<html><body>{}<p>Deep text here.</p>{}</body></html>",
        "<div>".repeat(depth),
        "</div>".repeat(depth)
    );
    let article = extract(&html, None);
    assert!(article.text.len() < 1000);
}

#[test]
fn twenty_megabyte_single_line_page() {
    let para = "<p>The council met on Tuesday, and the mayor said the budget would pass, officials said.</p>";
    let mut html = String::from("<html><head><title>Long</title></head><body><article>");
    while html.len() < 20 << 20 {
        html.push_str(para);
    }
    html.push_str("</article></body></html>");
    assert!(!html.contains('\n'));
    let article = extract(&html, None);
    assert!(article.text.starts_with("The council met on Tuesday"));
    assert_eq!(article.kind, Kind::Article);
}

#[test]
fn page_without_a_body() {
    for html in [
        "",
        "<html><head><title>Only a head</title></head></html>",
        "<!DOCTYPE html>",
        "just some words",
    ] {
        let article = extract(html, None);
        assert!(
            matches!(article.kind, Kind::Empty | Kind::Short | Kind::Unclear),
            "{html:?}"
        );
    }
}

#[test]
fn page_of_only_scripts_and_styles() {
    let block = "<script>var story = 'The council met on Tuesday and said so, many times, at length.';</script>\
                 <style>p { color: red; }</style><noscript>Please enable JavaScript to read this.</noscript>";
    let html = format!("<html><body>{}</body></html>", block.repeat(2000));
    let article = extract(&html, None);
    assert_eq!(article.kind, Kind::Empty, "got {:?}", article.text);
}

#[test]
fn invalid_bytes_in_every_declared_charset() {
    let junk: Vec<u8> = (0..=255u8).cycle().take(64 << 10).collect();
    for charset in [
        "utf-8",
        "windows-1252",
        "shift_jis",
        "gb18030",
        "windows-1251",
        "bogus",
    ] {
        let mut page = format!("<meta charset=\"{charset}\"><p>").into_bytes();
        page.extend_from_slice(&junk);
        let html = decode_html(&page, None);
        extract(&html, None);
        let html = decode_html(&junk, Some(&format!("text/html; charset={charset}")));
        extract(&html, None);
    }
}
