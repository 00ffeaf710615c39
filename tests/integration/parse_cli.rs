//! `wirewatch parse` as a user runs it: one JSON line per input, in the
//! order given, a bad input reported on its own line while the run goes on,
//! and URLs fetched through the guarded client (which refuses loopback).

use std::process::Command;

use axum::Router;
use axum::routing::get;

use crate::support::{self, Workspace};

fn parse(args: &[&str]) -> Vec<serde_json::Value> {
    let out = Command::new(env!("CARGO_BIN_EXE_wirewatch"))
        .arg("parse")
        .args(args)
        .output()
        .expect("running wirewatch");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8(out.stdout).expect("UTF-8 output");
    stdout
        .lines()
        .map(|l| serde_json::from_str(l).expect("a JSON line"))
        .collect()
}

#[test]
fn parse_prints_a_line_per_file_in_order_and_goes_on_after_a_bad_one() {
    let ws = Workspace::new();
    let feed = ws.path("feed.xml");
    std::fs::write(
        &feed,
        "<rss><channel><title>T&eacute;l&eacute;</title><item><title>A &amp; B</title>\
         <link>/a</link><pubDate>Thu, 08 Jul 2004 23:56:58 MET</pubDate></item></channel></rss>",
    )
    .unwrap();
    let page = ws.path("page.html");
    std::fs::write(&page, "<html><body>not a feed</body></html>").unwrap();
    let missing = ws.path("missing.xml");
    let files = [&feed, &page, &missing, &feed].map(|p| p.to_str().unwrap().to_string());
    let mut args = vec!["--base", "http://example.com/feed.xml"];
    args.extend(files.iter().map(String::as_str));
    let lines = parse(&args);
    let oks: Vec<_> = lines.iter().map(|l| l["ok"].as_bool()).collect();
    assert_eq!(oks, [Some(true), Some(false), Some(false), Some(true)]);
    let names: Vec<_> = lines.iter().map(|l| l["file"].as_str().unwrap()).collect();
    assert_eq!(names, files.iter().map(String::as_str).collect::<Vec<_>>());
    assert_eq!(lines[0]["title"], "Télé");
    let entry = &lines[0]["entries"][0];
    assert_eq!(entry["title"], "A & B");
    assert_eq!(entry["link"], "http://example.com/a");
    assert_eq!(entry["published"], "2004-07-08T22:56:58+00:00");
    assert!(lines[1]["error"].as_str().unwrap().contains("<html>"));
    assert!(lines[2]["error"].as_str().unwrap().contains("missing.xml"));
}

#[tokio::test]
async fn parse_fetches_urls_through_the_guarded_client() {
    let app = Router::new().route(
        "/rss.xml",
        get(|| async { support::rss(&[("x", "http://a/x")]) }),
    );
    let addr = support::serve(app).await;
    let url = format!("http://{addr}/rss.xml");
    let lines = tokio::task::spawn_blocking(move || parse(&[&url]))
        .await
        .unwrap();
    // A live feed is fetched as the daemon fetches it: loopback is refused
    // unless the configuration allows it, and parse has no configuration.
    assert_eq!(lines[0]["ok"], false);
    assert!(
        lines[0]["error"].as_str().unwrap().contains("refused"),
        "{}",
        lines[0]
    );
}
