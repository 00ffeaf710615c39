//! `wirewatch dedupe --jsonl`: groups articles read as JSON lines on stdin
//! (`{"id", "title", "text"}`, optional `"at"` in unix seconds; or the
//! records of `wirewatch export`, sorted by `first_seen`) with the daemon's
//! grouping engine, no daemon and no network, and writes
//! `{"id", "group", "story"}` per line (plus `"score"` for a copy, and
//! `"merged"` listing earlier groups this article bridged into its own).

use std::io::Write;

use anyhow::Context;
use wirewatch::dedupe::{Deduper, NearConfig, StoryConfig};
use wirewatch::model::rfc3339_secs;

/// A line of input: `{"id","title","text"}` with `at`, or an export
/// record, keyed by its `canonical_url` and timed by its `first_seen`.
#[derive(serde::Deserialize)]
struct Input {
    #[serde(alias = "canonical_url")]
    id: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    text: String,
    at: Option<u64>,
    first_seen: Option<String>,
}

#[derive(serde::Serialize)]
struct Output<'a> {
    id: &'a str,
    group: String,
    story: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    score: Option<f64>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    merged: Vec<String>,
}

pub fn run(window_secs: u64) -> anyhow::Result<()> {
    let near = NearConfig {
        window_secs,
        ..NearConfig::default()
    };
    let stories = StoryConfig::default();
    let mut deduper = Deduper::new(near, stories);
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    super::jsonl::each_stdin_line(r#"{"id", "title", "text"}"#, |n, input: Input| {
        // Without times, articles arrive a second apart: all within the window.
        let at = input
            .at
            .or_else(|| input.first_seen.as_deref().and_then(rfc3339_secs))
            .unwrap_or(n as u64);
        let placed = deduper.place(&input.id, &input.title, &input.text, at);
        let output = Output {
            id: &input.id,
            group: placed.group.to_string(),
            story: placed.story.to_string(),
            score: placed.score,
            merged: placed.merged.iter().map(ToString::to_string).collect(),
        };
        serde_json::to_writer(&mut out, &output)?;
        Ok(out.write_all(b"\n")?)
    })?;
    out.flush().context("writing stdout")
}
