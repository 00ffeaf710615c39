//! `/`: the stories active in the last day (or `?since=`), ranked by how
//! many outlets carry them, with each story's headline (its most complete
//! copy's), outlets and copies, who saw it first, the topics it fired and a
//! breaking mark; `?topic=` and `?feed=` narrow the list.

use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;

use axum::extract::{Query, State};
use axum::response::{Html, IntoResponse, Response};
use serde::{Deserialize, Serialize};

use super::view::{self, SINCE_CHOICES};
use super::{Web, WebError, blocking, ser};
use crate::config::Config;
use crate::model::StoryId;
use crate::store::{GroupRecord, Store};

/// Groups read from the activity index at most (the most recently active),
/// which keeps the page within about 50 ms; the page says when it stopped.
const GROUP_CAP: usize = 8_000;
/// Stories listed at most.
const SHOWN: usize = 100;

#[derive(Debug, Default, Deserialize)]
pub(super) struct Params {
    since: Option<String>,
    topic: Option<String>,
    feed: Option<String>,
}

/// One line of the list.
#[derive(Debug, Serialize)]
pub(super) struct StoryLine {
    pub id: String,
    pub headline: String,
    pub outlets: usize,
    pub copies: usize,
    pub texts: usize,
    pub first_seen: String,
    pub first_ago: String,
    pub first_by: String,
    pub topics: Vec<String>,
    pub breaking: bool,
}

pub(super) async fn page(State(web): State<Arc<Web>>, Query(params): Query<Params>) -> Response {
    blocking(web, move |web| render(web, &params)).await
}

fn render(web: &Web, params: &Params) -> Result<Response, WebError> {
    let config = web.config();
    let (since, from) = view::since(params.since.as_deref(), "24h", 90 * 86_400);
    let topic = params.topic.as_deref().filter(|t| !t.is_empty());
    let feed = params.feed.as_deref().filter(|f| !f.is_empty());
    let (mut stories, read) = candidates(&web.store, from)?;
    stories.retain(|_, groups| feed.is_none_or(|f| carried_by(groups, f)));
    let mut ranked: Vec<(StoryId, Vec<GroupRecord>)> = stories.into_iter().collect();
    ranked.sort_by_cached_key(|(id, groups)| (std::cmp::Reverse(outlets(groups)), *id));
    let mut lines = Vec::new();
    for (id, _) in ranked {
        if lines.len() >= SHOWN {
            break;
        }
        let groups = web.store.story_groups(&id)?;
        let fired = fired_topics(&web.store, &config, &id, &groups)?;
        if topic.is_some_and(|t| !fired.iter().any(|f| f == t)) {
            continue;
        }
        lines.push(line(&web.store, &config, &id, &groups, fired)?);
    }
    let feeds: Vec<(String, String)> = super::ops::feed_urls(&web.store)?
        .into_iter()
        .map(|url| (view::outlet(&config, &url), url))
        .collect();
    let topics: Vec<String> = config.topics.iter().map(|t| t.name.clone()).collect();
    let body = web.render(
        "now.html",
        minijinja::context! {
            page => "now", stories => ser(&lines), since, since_choices => SINCE_CHOICES,
            topic, feed, topics, feeds, capped => (read >= GROUP_CAP).then_some(GROUP_CAP),
        },
    )?;
    Ok(Html(body).into_response())
}

/// The stories with a group active since `from`, each with those groups.
/// Also returns how many groups were read.
fn candidates(
    store: &Store,
    from: u64,
) -> Result<(HashMap<StoryId, Vec<GroupRecord>>, usize), WebError> {
    let mut stories: HashMap<StoryId, Vec<GroupRecord>> = HashMap::new();
    let groups = store.active_groups(from, GROUP_CAP)?;
    let read = groups.len();
    for group in groups {
        stories.entry(group.story).or_default().push(group);
    }
    Ok((stories, read))
}

fn carried_by(groups: &[GroupRecord], feed: &str) -> bool {
    groups
        .iter()
        .flat_map(|g| &g.members)
        .any(|m| m.feed == feed)
}

/// Distinct feeds that carried a copy.
pub(super) fn outlets(groups: &[GroupRecord]) -> usize {
    let feeds: BTreeSet<&str> = groups
        .iter()
        .flat_map(|g| &g.members)
        .map(|m| m.feed.as_str())
        .collect();
    feeds.len()
}

/// The configured topics that fired on the story or one of its groups.
pub(super) fn fired_topics(
    store: &Store,
    config: &Config,
    story: &StoryId,
    groups: &[GroupRecord],
) -> Result<Vec<String>, WebError> {
    let mut fired = Vec::new();
    for topic in &config.topics {
        let keys =
            std::iter::once(story.to_string()).chain(groups.iter().map(|g| g.id.to_string()));
        for key in keys {
            if store.fired_on(&topic.name, &key)?.is_some() {
                fired.push(topic.name.clone());
                break;
            }
        }
    }
    Ok(fired)
}

/// The group carried by the most outlets (the story's lead text).
pub(super) fn lead(groups: &[GroupRecord]) -> Option<&GroupRecord> {
    groups
        .iter()
        .max_by_key(|g| (outlets(std::slice::from_ref(*g)), std::cmp::Reverse(g.id)))
}

fn line(
    store: &Store,
    config: &Config,
    id: &StoryId,
    groups: &[GroupRecord],
    topics: Vec<String>,
) -> Result<StoryLine, WebError> {
    let headline = match lead(groups) {
        Some(g) => store.article(&g.representative)?.map(|a| a.title),
        None => None,
    };
    let first = groups
        .iter()
        .flat_map(|g| &g.members)
        .min_by(|a, b| a.first_seen.cmp(&b.first_seen));
    Ok(StoryLine {
        id: id.to_string(),
        headline: headline
            .filter(|h| !h.trim().is_empty())
            .unwrap_or_else(|| "(untitled)".into()),
        outlets: outlets(groups),
        copies: groups.iter().map(|g| g.members.len()).sum(),
        texts: groups.len(),
        first_seen: first.map(|m| view::when(&m.first_seen)).unwrap_or_default(),
        first_ago: first.map(|m| view::ago(&m.first_seen)).unwrap_or_default(),
        first_by: match first {
            Some(m) => {
                let name = store.article(&m.canonical_url)?.and_then(|a| a.feed_name);
                view::outlet_named(config, &m.feed, name.as_deref())
            }
            None => String::new(),
        },
        topics,
        breaking: groups.iter().any(|g| g.breaking_reported),
    })
}
