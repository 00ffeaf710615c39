//! `wirewatch export` with filters: the stored articles, through the
//! running daemon when there is one, limited by first-seen time, feed,
//! duplicate group, story, or a configured topic's query.

use std::io::Write;
use std::time::{Duration, SystemTime};

use anyhow::Context;
use wirewatch::config::Config;
use wirewatch::control::{self, Request};
use wirewatch::model::{Article, GroupId, StoryId};
use wirewatch::topics::{Document, TopicSpec};

/// Which articles to print: those that pass every filter given.
#[derive(Debug, Default)]
pub struct Filter {
    /// First seen within this long.
    pub since: Option<Duration>,
    /// Listed by this feed (its configured URL).
    pub feed: Option<String>,
    pub group: Option<GroupId>,
    pub story: Option<StoryId>,
    /// Matched by the query of this configured topic.
    pub topic: Option<String>,
}

/// Prints the stored articles that pass `filter`, one JSON object per line.
pub async fn filtered(config: &Config, filter: &Filter) -> anyhow::Result<()> {
    // A topic that is not configured is an error before anything is read.
    let topic: Option<TopicSpec> = filter
        .topic
        .as_deref()
        .map(|name| super::topics::configured(config, name))
        .transpose()?;
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
        let of_group = filter.group.as_ref().is_none_or(|g| *g == article.group);
        let of_story = filter.story.as_ref().is_none_or(|s| *s == article.story);
        if !(recent && of_feed && of_group && of_story) {
            continue;
        }
        if topic
            .as_ref()
            .is_none_or(|t| t.matches(&Document::of_article(&article)).is_some())
        {
            writeln!(out, "{line}")?;
        }
    }
    Ok(out.flush()?)
}
