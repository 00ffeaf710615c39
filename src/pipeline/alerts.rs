//! Matching a stored article against the topics and raising alerts: each
//! match becomes one alert per (topic, group) — or per (topic, story) for
//! topics that fire per story — written with its outbox entries in one
//! step, then the delivery workers are woken. A copy joining a group a topic
//! already fired on becomes a follow-up event when follow-ups are on.

use std::collections::HashMap;

use crate::config::{Config, Per};
use crate::model::{Alert, AlertId, Article, ArticleRef, Event, FollowUp, now_rfc3339};
use crate::store::StoreError;
use crate::topics::{Document, TopicMatch, TopicSet};

use super::Context;

/// Snippets are about this many characters, cut at a word boundary.
const SNIPPET_CHARS: usize = 280;

/// The topics in force and how each fires; swapped whole on reload.
#[derive(Debug, Default)]
pub struct ActiveTopics {
    set: TopicSet,
    per: HashMap<String, Per>,
    follow_ups: bool,
}

impl ActiveTopics {
    /// Compile the topics of a configuration.
    pub fn new(config: &Config) -> ActiveTopics {
        let set = TopicSet::new(
            config
                .topics
                .iter()
                .map(|t| (t.name.clone(), t.query.clone()))
                .collect(),
        );
        let per = config
            .topics
            .iter()
            .map(|t| (t.name.clone(), t.per.unwrap_or(config.alerts.per)))
            .collect();
        ActiveTopics {
            set,
            per,
            follow_ups: config.alerts.follow_ups,
        }
    }

    /// The group or story id a topic fires once on, for this article.
    fn fired_on<'a>(&self, topic: &str, article: &'a Article) -> &'a str {
        match self.per.get(topic).copied().unwrap_or_default() {
            Per::Group => &article.group.0,
            Per::Story => &article.story.0,
        }
    }
}

/// Raise the alerts an article deserves; `joined` says the article just
/// joined an existing group (a new copy, not an update). Returns how many
/// alerts were new.
pub(super) fn raise(ctx: &Context, article: &Article, joined: bool) -> Result<usize, StoreError> {
    let topics = ctx.topics.borrow().clone();
    let doc = Document::new(&article.title, &article.text);
    let mut raised = 0;
    let mut queued = false;
    for found in topics.set.matches(&doc) {
        let key = topics.fired_on(&found.topic, article);
        let alert = alert(article, key, found);
        if ctx.store.fire(&alert, key, &ctx.sink_names)? {
            raised += 1;
            queued = true;
            tracing::info!(topic = %alert.topic, url = %alert.url, id = %alert.id.0, "alert raised");
        } else if joined && topics.follow_ups {
            queued |= follow_up(ctx, article, &alert.topic, key)?;
        }
    }
    if queued {
        ctx.outbox_ready.iter().for_each(|n| n.notify_one());
    }
    Ok(raised)
}

fn alert(article: &Article, fired_on: &str, found: TopicMatch) -> Alert {
    Alert {
        id: AlertId::for_firing(&found.topic, fired_on),
        topic: found.topic,
        url: article.url.clone(),
        canonical_url: article.canonical_url.clone(),
        title: article.title.clone(),
        published: article.published.clone(),
        feed: article.feed.clone(),
        group: article.group.clone(),
        story: article.story.clone(),
        snippet: snippet(&article.text),
        matched: found.matched,
        raised_at: now_rfc3339(),
    }
}

/// Queue a follow-up naming the alert `topic` raised on `key`, unless the
/// article is the one that alerted. Returns whether one was queued.
fn follow_up(ctx: &Context, article: &Article, topic: &str, key: &str) -> Result<bool, StoreError> {
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
        group: article.group.clone(),
        article: ArticleRef {
            url: article.url.clone(),
            canonical_url: article.canonical_url.clone(),
            title: article.title.clone(),
            feed: article.feed.clone(),
            published: article.published.clone(),
        },
        raised_at: now_rfc3339(),
    });
    ctx.store.queue(&event, &ctx.sink_names)?;
    tracing::info!(topic, url = %article.url, alert = %event.id().0, "follow-up queued");
    Ok(true)
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
