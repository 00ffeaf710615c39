//! `wirewatch parse`: runs the feed parser on files or live feed URLs and
//! prints what wirewatch reads from each, one JSON line per input, in order.
//! It answers "why does this feed not work?" and is the contract the feed
//! parsing checks read. A bad input gets an `"ok": false` line with the
//! reason and the run goes on.

use std::io::Write;

use anyhow::Context;
use serde_json::{Value, json};
use url::Url;
use wirewatch::config::FetchConfig;
use wirewatch::fetch::{self, FeedResponse};
use wirewatch::model::Entry;
use wirewatch::net::HttpClient;
use wirewatch::parse::{self, ParsedFeed};

/// Parses every input (a path, or an http(s) URL fetched through the
/// guarded client) and prints one line per input to stdout.
pub async fn run(inputs: &[String], base: Option<&Url>) -> anyhow::Result<()> {
    let mut client = None;
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    for input in inputs {
        let line = match web_url(input) {
            Some(url) => {
                let client = match &mut client {
                    Some(client) => client,
                    None => client.insert(HttpClient::new(&FetchConfig::default())?),
                };
                from_web(client, &url, base).await
            }
            None => from_file(input, base),
        };
        let record = record(input, line);
        writeln!(out, "{record}").context("writing stdout")?;
    }
    out.flush().context("writing stdout")
}

/// An input that names an http(s) URL rather than a file.
fn web_url(input: &str) -> Option<Url> {
    let url = Url::parse(input).ok()?;
    matches!(url.scheme(), "http" | "https").then_some(url)
}

fn from_file(path: &str, base: Option<&Url>) -> Result<ParsedFeed, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("cannot read {path}: {e}"))?;
    let fallback;
    let base = match base {
        Some(base) => base,
        None => {
            fallback = file_url(path)?;
            &fallback
        }
    };
    parse::parse_feed(base, &bytes).map_err(|e| e.to_string())
}

/// A file's own `file://` URL, the base of its relative links when no
/// `--base` is given.
fn file_url(path: &str) -> Result<Url, String> {
    let absolute = std::path::absolute(path).map_err(|e| format!("{path}: {e}"))?;
    Url::from_file_path(&absolute).map_err(|()| format!("{path}: not a usable path"))
}

async fn from_web(
    client: &HttpClient,
    url: &Url,
    base: Option<&Url>,
) -> Result<ParsedFeed, String> {
    match fetch::feed(client, url, None, None).await {
        Ok(FeedResponse::Fresh {
            body, final_url, ..
        }) => parse::parse_feed(base.unwrap_or(&final_url), &body).map_err(|e| e.to_string()),
        Ok(FeedResponse::NotModified { .. }) => Err(format!("{url}: 304 to an unconditional GET")),
        Err(err) => Err(err.to_string()),
    }
}

fn record(input: &str, parsed: Result<ParsedFeed, String>) -> Value {
    match parsed {
        Ok(feed) => json!({
            "file": input,
            "ok": true,
            "title": feed.title,
            "skipped": feed.skipped,
            "entries": feed.entries.iter().map(entry).collect::<Vec<_>>(),
        }),
        Err(error) => json!({
            "file": input,
            "ok": false,
            "error": error,
            "title": null,
            "entries": [],
        }),
    }
}

fn entry(e: &Entry) -> Value {
    json!({
        "id": e.guid,
        "link": e.link,
        "title": e.title,
        "published": e.published,
        "updated": e.updated,
    })
}
