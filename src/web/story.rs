//! `/stories/<id>`: one story (a group id leads to its story too): its
//! groups, one per distinct text, and in each every copy with its outlet,
//! link, first sighting on a timeline and what it changed against the
//! group's most complete copy; then the alerts raised on the story and
//! where each went.

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::response::{Html, IntoResponse, Response};
use serde::Serialize;

use super::diff::{self, Changes};
use super::now::{fired_topics, outlets};
use super::ops::{Fate, fates};
use super::view;
use super::{Web, WebError, blocking, ser};
use crate::config::Config;
use crate::model::{GroupId, StoryId, rfc3339_secs};
use crate::store::{GroupRecord, Store};

/// Copies shown per group at most (the earliest).
const COPIES: usize = 200;

#[derive(Debug, Serialize)]
struct Copy {
    outlet: String,
    title: String,
    url: String,
    link: Option<String>,
    first_seen: String,
    /// After the story's first copy, e.g. `+12 min`.
    after: String,
    /// Place on the story's timeline, 0 to 100.
    at: u32,
    words: usize,
    most_complete: bool,
    changes: Option<Changes>,
}

#[derive(Debug, Serialize)]
struct Text {
    id: String,
    headline: String,
    outlets: usize,
    copies: Vec<Copy>,
    more: usize,
}

#[derive(Debug, Serialize)]
struct Raised {
    id: String,
    topic: String,
    raised: String,
    title: String,
    fates: Vec<Fate>,
}

pub(super) async fn page(State(web): State<Arc<Web>>, Path(id): Path<String>) -> Response {
    blocking(web, move |web| render(web, &id)).await
}

fn render(web: &Web, id: &str) -> Result<Response, WebError> {
    let config = web.config();
    let story = resolve(&web.store, id)?;
    let mut groups = web.store.story_groups(&story)?;
    if groups.is_empty() {
        return Err(WebError::NotFound(format!("story {id}")));
    }
    groups.sort_by_key(|g| std::cmp::Reverse(outlets(std::slice::from_ref(g))));
    let span = Span::of(&groups);
    let texts = groups
        .iter()
        .map(|g| text(&web.store, &config, g, &span))
        .collect::<Result<Vec<_>, _>>()?;
    let headline = texts
        .first()
        .map(|t| t.headline.clone())
        .unwrap_or_default();
    let alerts = raised(web, &config, &story, &groups)?;
    let body = web.render(
        "story.html",
        minijinja::context! {
            page => "story", id => story.to_string(), headline, texts => ser(&texts), alerts => ser(&alerts),
            topics => fired_topics(&web.store, &config, &story, &groups)?,
            outlets => outlets(&groups),
            copies => groups.iter().map(|g| g.members.len()).sum::<usize>(),
            breaking => groups.iter().any(|g| g.breaking_reported),
            first_seen => view::when(&span.first_text), last_seen => view::when(&span.last_text),
        },
    )?;
    Ok(Html(body).into_response())
}

/// The story an id names: a story id, or a group id (its story).
fn resolve(store: &Store, id: &str) -> Result<StoryId, WebError> {
    if let Ok(group) = id.parse::<GroupId>()
        && let Some(group) = store.group(&group)?
    {
        return Ok(group.story);
    }
    id.parse::<StoryId>()
        .map_err(|_| WebError::NotFound(format!("story {id}")))
}

/// The first and last sighting of a story, for its timeline.
struct Span {
    first: u64,
    last: u64,
    first_text: String,
    last_text: String,
    /// The copy seen first (the lowest URL among copies seen at once).
    first_url: String,
}

impl Span {
    fn of(groups: &[GroupRecord]) -> Span {
        let seen = || {
            groups
                .iter()
                .flat_map(|g| &g.members)
                .map(|m| m.first_seen.as_str())
        };
        let first_text = seen().min().unwrap_or_default().to_string();
        let first_url = groups
            .iter()
            .flat_map(|g| &g.members)
            .filter(|m| m.first_seen == first_text)
            .map(|m| m.canonical_url.clone())
            .min()
            .unwrap_or_default();
        let last_text = seen().max().unwrap_or_default().to_string();
        Span {
            first: rfc3339_secs(&first_text).unwrap_or(0),
            last: rfc3339_secs(&last_text).unwrap_or(0),
            first_text,
            last_text,
            first_url,
        }
    }

    fn place(&self, time: &str, url: &str) -> (u32, String) {
        let at = rfc3339_secs(time)
            .unwrap_or(self.first)
            .saturating_sub(self.first);
        let whole = self.last.saturating_sub(self.first).max(1);
        let share = u32::try_from(at * 100 / whole).unwrap_or(100);
        let after = match at {
            0 if url == self.first_url => "first".to_string(),
            0..60 => format!("+{at} s"),
            60..3600 => format!("+{} min", at / 60),
            _ => format!("+{:.1} h", at as f64 / 3600.0),
        };
        (share, after)
    }
}

fn text(
    store: &Store,
    config: &Config,
    group: &GroupRecord,
    span: &Span,
) -> Result<Text, WebError> {
    let original = store.article(&group.representative)?;
    let mut members: Vec<_> = group.members.iter().collect();
    members.sort_by(|a, b| a.first_seen.cmp(&b.first_seen));
    let mut copies = Vec::new();
    for member in members.iter().take(COPIES) {
        let Some(article) = store.article(&member.canonical_url)? else {
            continue;
        };
        let most_complete = member.canonical_url == group.representative;
        let changes = match (&original, most_complete) {
            (Some(o), false) => Some(diff::words(&o.text, &article.text)),
            _ => None,
        };
        let (at, after) = span.place(&member.first_seen, &member.canonical_url);
        copies.push(Copy {
            outlet: view::outlet_named(config, &member.feed, article.feed_name.as_deref()),
            link: view::link(&article.url),
            title: article.title,
            url: article.url,
            first_seen: view::when(&member.first_seen),
            after,
            at,
            words: member.words,
            most_complete,
            changes,
        });
    }
    Ok(Text {
        id: group.id.to_string(),
        headline: original.map(|a| a.title).unwrap_or_default(),
        outlets: outlets(std::slice::from_ref(group)),
        more: members.len().saturating_sub(COPIES),
        copies,
    })
}

/// The alerts raised on the story or its groups, with their deliveries.
fn raised(
    web: &Web,
    config: &Config,
    story: &StoryId,
    groups: &[GroupRecord],
) -> Result<Vec<Raised>, WebError> {
    let mut found = Vec::new();
    for topic in &config.topics {
        let keys =
            std::iter::once(story.to_string()).chain(groups.iter().map(|g| g.id.to_string()));
        for key in keys {
            if let Some(alert) = web.store.fired_on(&topic.name, &key)? {
                let sinks = topic
                    .sinks
                    .clone()
                    .unwrap_or_else(|| config.sinks.iter().map(|s| s.name.clone()).collect());
                found.push(Raised {
                    fates: fates(&web.store, &alert.id, &sinks)?,
                    id: alert.id.0,
                    topic: alert.topic,
                    raised: view::when(&alert.raised_at),
                    title: alert.title,
                });
            }
        }
    }
    found.sort_by(|a, b| b.raised.cmp(&a.raised));
    Ok(found)
}
