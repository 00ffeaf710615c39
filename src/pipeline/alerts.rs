//! Matching a stored article against the topics and raising alerts: each
//! match becomes one alert per (topic, group) — or per (topic, story) for
//! topics that fire per story — written with its outbox entries in one
//! step, then the delivery workers are woken. A topic with a digest window
//! holds its alerts instead (`digest`), written in one step with "fired"
//! just the same. A copy joining a group a topic already fired on becomes a
//! follow-up event when follow-ups are on (not for digest topics, whose
//! point is one message per window).

use std::collections::{BTreeMap, HashSet};
use std::time::Duration;

use crate::config::{Config, Per, TopicConfig};
use crate::model::{
    Alert, AlertId, Article, ArticleRef, Event, FollowUp, GroupId, now_rfc3339, unix_now_ms,
};
use crate::store::{Held, StoreError};
use crate::telemetry::metrics;
use crate::topics::{Document, TopicSet};

use super::Context;

/// Snippets are about this many characters, cut at a word boundary.
const SNIPPET_CHARS: usize = 280;

/// The topics in force and how each fires; swapped whole on reload.
#[derive(Debug, Default)]
pub struct ActiveTopics {
    set: TopicSet,
    /// Per topic, in the set's order.
    routes: Vec<Route>,
    follow_ups: bool,
}

/// Where a topic's alerts go and what it fires once on.
#[derive(Debug, Clone)]
struct Route {
    per: Per,
    /// None: every sink.
    sinks: Option<Vec<String>>,
    /// Hold alerts for a digest per window of this length.
    digest: Option<Duration>,
}

impl ActiveTopics {
    /// Compile the topics of a configuration.
    pub fn new(config: &Config) -> ActiveTopics {
        ActiveTopics::of(config, |_| true)
    }

    /// Compile the topics of `config` that `keep` selects.
    fn of(config: &Config, keep: impl Fn(&TopicConfig) -> bool) -> ActiveTopics {
        let topics: Vec<&TopicConfig> = config.topics.iter().filter(|t| keep(t)).collect();
        let set = TopicSet::from_specs(topics.iter().map(|t| t.spec()).collect());
        let routes = topics
            .iter()
            .map(|t| Route {
                per: t.per_or(config.alerts.per),
                sinks: t.sinks.clone(),
                digest: t.digest,
            })
            .collect();
        ActiveTopics {
            set,
            routes,
            follow_ups: config.alerts.follow_ups,
        }
    }

    /// The group or story id topic `index` fires once on, for this article.
    fn fired_on(&self, index: usize, article: &Article) -> String {
        match self.routes.get(index).map_or(Per::Group, |r| r.per) {
            Per::Group => article.group.to_string(),
            Per::Story => article.story.to_string(),
        }
    }

    fn digest(&self, index: usize) -> bool {
        self.routes.get(index).is_some_and(|r| r.digest.is_some())
    }

    fn sinks<'a>(&'a self, index: usize, all: &'a [String]) -> &'a [String] {
        self.routes
            .get(index)
            .and_then(|r| r.sinks.as_deref())
            .unwrap_or(all)
    }
}

/// Raise the alerts an article deserves; `joined` says the article just
/// joined an existing group (a new copy, not an update). Returns how many
/// alerts were new.
/// After group `from` merged into `into`: every topic that fired on `from`
/// counts as fired on `into` too, so the merged group alerts no topic twice.
pub(super) fn carry_over(ctx: &Context, from: GroupId, into: GroupId) -> Result<(), StoreError> {
    let topics = ctx.topics.borrow().clone();
    for name in (0..topics.set.len()).filter_map(|i| topics.set.name(i)) {
        ctx.store.carry_fired(name, from, into)?;
    }
    Ok(())
}

pub(super) fn raise(ctx: &Context, article: &Article, joined: bool) -> Result<usize, StoreError> {
    let topics = ctx.topics.borrow().clone();
    raise_with(ctx, &topics, article, joined)
}

fn raise_with(
    ctx: &Context,
    topics: &ActiveTopics,
    article: &Article,
    joined: bool,
) -> Result<usize, StoreError> {
    let doc = Document::of_article(article);
    let mut matcher = topics.set.matcher();
    let mut raised = 0;
    let mut queued = false;
    let mut held = false;
    for found in matcher.matches(&doc).iter() {
        let key = &topics.fired_on(found.index(), article);
        let matched = found.matched().map(str::to_string).collect();
        let alert = alert(article, key, found.topic(), matched);
        let sinks = topics.sinks(found.index(), &ctx.sink_names);
        let digest = topics.digest(found.index());
        if fire(ctx, &alert, key, sinks, digest)? {
            raised += 1;
            queued |= !digest;
            held |= digest;
            tracing::info!(topic = %alert.topic, url = %alert.url, id = %alert.id.0, digest, "alert raised");
            metrics::alert_raised(&alert.topic, age(article.published.as_deref()));
        } else if joined && topics.follow_ups && !digest {
            queued |= follow_up(ctx, article, &alert.topic, key, sinks)?;
        }
    }
    if queued {
        ctx.outbox_ready.iter().for_each(|n| n.notify_one());
    }
    if held {
        ctx.digest_ready.notify_one();
    }
    Ok(raised)
}

/// How long ago an RFC 3339 time was (None when unknown or in the future).
fn age(published: Option<&str>) -> Option<std::time::Duration> {
    let at = humantime::parse_rfc3339_weak(published?).ok()?;
    std::time::SystemTime::now().duration_since(at).ok()
}

/// Record the firing and queue the alert, or hold it for the topic's digest.
fn fire(
    ctx: &Context,
    alert: &Alert,
    key: &str,
    sinks: &[String],
    digest: bool,
) -> Result<bool, StoreError> {
    if !digest {
        return ctx.store.fire(alert, key, sinks);
    }
    let held = Held {
        alert: alert.clone(),
        sinks: sinks.to_vec(),
        held_at_ms: unix_now_ms(),
    };
    ctx.store.fire_held(&held, key)
}

fn alert(article: &Article, fired_on: &str, topic: &str, matched: Vec<String>) -> Alert {
    Alert {
        id: AlertId::for_firing(topic, fired_on),
        topic: topic.to_string(),
        url: article.url.clone(),
        canonical_url: article.canonical_url.clone(),
        title: article.title.clone(),
        published: article.published.clone(),
        feed: article.feed.clone(),
        group: article.group,
        story: article.story,
        snippet: snippet(&article.text),
        matched,
        raised_at: now_rfc3339(),
    }
}

/// Queue a follow-up naming the alert `topic` raised on `key`, unless the
/// article is the one that alerted. Returns whether one was queued.
fn follow_up(
    ctx: &Context,
    article: &Article,
    topic: &str,
    key: &str,
    sinks: &[String],
) -> Result<bool, StoreError> {
    let Some(original) = ctx.store.fired_on(topic, key)? else {
        return Ok(false);
    };
    if original.canonical_url == article.canonical_url {
        return Ok(false);
    }
    let event = Event::FollowUp(FollowUp {
        id: FollowUp::id_for(&original.id, &article.canonical_url),
        alert_id: original.id,
        topic: topic.to_string(),
        group: article.group,
        article: ArticleRef {
            url: article.url.clone(),
            canonical_url: article.canonical_url.clone(),
            title: article.title.clone(),
            feed: article.feed.clone(),
            published: article.published.clone(),
        },
        raised_at: now_rfc3339(),
    });
    ctx.store.queue(&event, sinks)?;
    tracing::info!(topic, url = %article.url, alert = %event.id().0, "follow-up queued");
    Ok(true)
}

/// Match topics that `config` adds to those in `previous` and that ask
/// for a backfill against the articles first seen within their backfill
/// span. Other added topics see only articles that arrive from now on.
/// Added topics with the same span are compiled and matched together, so
/// a large added book costs one pass over the store per distinct span.
pub(super) fn backfill(
    ctx: &Context,
    config: &Config,
    previous: &ActiveTopics,
) -> Result<usize, StoreError> {
    let known: HashSet<&str> = (0..previous.set.len())
        .filter_map(|i| previous.set.name(i))
        .collect();
    let mut by_span: BTreeMap<Duration, HashSet<&str>> = BTreeMap::new();
    for topic in &config.topics {
        if let Some(span) = topic
            .backfill
            .filter(|_| !known.contains(topic.name.as_str()))
        {
            by_span.entry(span).or_default().insert(&topic.name);
        }
    }
    let mut raised = 0;
    for (span, names) in by_span {
        let only = ActiveTopics::of(config, |t| names.contains(t.name.as_str()));
        let since = std::time::SystemTime::now() - span;
        let since = humantime::format_rfc3339_seconds(since).to_string();
        let mut here = 0;
        for article in ctx.store.articles() {
            let article = article?;
            // RFC 3339 UTC timestamps of one format compare as strings.
            if article.first_seen >= since {
                here += raise_with(ctx, &only, &article, false)?;
            }
        }
        tracing::info!(topics = names.len(), since = %since, raised = here, "backfilled added topics");
        raised += here;
    }
    Ok(raised)
}

/// The start of the text, cut at a word boundary.
fn snippet(text: &str) -> String {
    let flat: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() <= SNIPPET_CHARS {
        return flat;
    }
    let cut: String = flat.chars().take(SNIPPET_CHARS).collect();
    let end = cut.rfind(' ').unwrap_or(cut.len());
    format!("{}…", &cut[..end])
}

#[cfg(test)]
mod tests {
    use super::snippet;

    #[test]
    fn snippet_cuts_long_text_at_a_word() {
        let text = "word ".repeat(100);
        let s = snippet(&text);
        assert!(s.ends_with("word…"));
        assert!(s.chars().count() <= 281);
        assert_eq!(snippet("short\n\ntext"), "short text");
    }
}
