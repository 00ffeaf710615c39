//! `wirewatch feeds`: each feed's health as a table (or JSON lines), read
//! through the daemon when it runs.

use std::io::Write;

use anyhow::Context;
use wirewatch::config::Config;
use wirewatch::control::{self, FeedHealth, Request};

/// Print the health of every polled feed of `config`.
pub async fn health(config: &Config, jsonl: bool) -> anyhow::Result<()> {
    let mut raw = Vec::new();
    control::run(config, &Request::Feeds, &mut raw).await?;
    let mut out = std::io::stdout().lock();
    if jsonl {
        out.write_all(&raw)?;
        return Ok(out.flush()?);
    }
    let rows = String::from_utf8_lossy(&raw)
        .lines()
        .map(|l| serde_json::from_str::<FeedHealth>(l).context("reading a feed record"))
        .collect::<anyhow::Result<Vec<_>>>()?;
    writeln!(
        out,
        "{:<6} {:>6} {:>9} {:>9}  {:<20}  {:<12}  URL",
        "STATE", "ERRORS", "ITEMS/DAY", "NEXT POLL", "LAST SUCCESS", "LAST ERROR"
    )?;
    for row in rows {
        let state = if row.consecutive_errors == 0 {
            "ok"
        } else {
            "FAIL"
        };
        let per_day = row
            .items_per_day
            .map_or("-".to_string(), |n| format!("{n:.1}"));
        let next = row.next_poll_in_secs.map_or("-".to_string(), |s| {
            humantime::format_duration(std::time::Duration::from_secs(s)).to_string()
        });
        writeln!(
            out,
            "{state:<6} {:>6} {per_day:>9} {next:>9}  {:<20}  {:<12}  {}",
            row.consecutive_errors,
            row.last_success.as_deref().unwrap_or("never"),
            row.last_error_kind.as_deref().unwrap_or("-"),
            row.url
        )?;
        if row.consecutive_errors > 0
            && let Some(error) = &row.last_error
        {
            writeln!(out, "       └ {error}")?;
        }
        if let Some(since) = &row.silent_since {
            writeln!(out, "       └ silent: no new item since {since}")?;
        }
        if let Some(new) = &row.moved_to {
            writeln!(
                out,
                "       └ moved permanently to {new} (polled there; update the config)"
            )?;
        }
    }
    Ok(out.flush()?)
}
