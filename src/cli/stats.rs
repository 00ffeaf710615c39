//! `wirewatch stats`: what the database holds, through the running daemon
//! when there is one.

use std::io::Write;

use anyhow::Context;
use wirewatch::config::Config;
use wirewatch::control::{self, Request, Stats};

/// Prints the store's counts as a table, or as one JSON object.
pub async fn print(config: &Config, json: bool) -> anyhow::Result<()> {
    let mut raw = Vec::new();
    control::run(config, &Request::Stats, &mut raw).await?;
    let mut out = std::io::stdout().lock();
    if json {
        out.write_all(&raw)?;
        return Ok(out.flush()?);
    }
    let stats: Stats = serde_json::from_slice(&raw).context("reading the statistics")?;
    let rows = [
        ("articles", stats.articles.to_string()),
        ("duplicate groups", stats.groups.to_string()),
        ("alerts raised", stats.alerts_raised.to_string()),
        ("waiting for delivery", stats.outbox.to_string()),
        ("held for digests", stats.held_for_digests.to_string()),
        ("dead letters", stats.dead_letters.to_string()),
        ("feeds", stats.feeds.to_string()),
        ("feeds failing now", stats.failing_feeds.to_string()),
        (
            "database on disk",
            format!("{:.1} MB", stats.bytes_on_disk as f64 / 1e6),
        ),
    ];
    for (name, value) in rows {
        writeln!(out, "{name:<22}{value:>12}")?;
    }
    Ok(out.flush()?)
}
