//! `wirewatch export` with filters: the stored articles, through the
//! running daemon when there is one, limited by first-seen time or feed.

use std::io::Write;
use std::time::{Duration, SystemTime};

use anyhow::Context;
use wirewatch::config::Config;
use wirewatch::control::{self, Request};
use wirewatch::model::Article;

/// Which articles to print.
#[derive(Debug, Default)]
pub struct Filter {
    /// First seen within this long.
    pub since: Option<Duration>,
    /// Listed by this feed (its configured URL).
    pub feed: Option<String>,
}

/// Prints the stored articles that pass `filter`, one JSON object per line.
pub async fn filtered(config: &Config, filter: &Filter) -> anyhow::Result<()> {
    let mut raw = Vec::new();
    control::run(config, &Request::Export, &mut raw).await?;
    // RFC 3339 times in UTC compare in time order as text.
    let cutoff = filter
        .since
        .map(|d| humantime::format_rfc3339_seconds(SystemTime::now() - d).to_string());
    let mut out = std::io::stdout().lock();
    for line in String::from_utf8_lossy(&raw).lines() {
        let article: Article = serde_json::from_str(line).context("reading a stored article")?;
        let recent = cutoff.as_ref().is_none_or(|c| article.first_seen >= *c);
        let of_feed = filter.feed.as_ref().is_none_or(|f| *f == article.feed);
        if recent && of_feed {
            writeln!(out, "{line}")?;
        }
    }
    Ok(out.flush()?)
}
