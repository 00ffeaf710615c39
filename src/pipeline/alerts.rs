//! Matching a stored article against the topics and raising alerts: each
//! match becomes one alert per (topic, group), written with its outbox
//! entries in one step, then the delivery workers are woken.

use crate::config::Config;
use crate::model::{Alert, AlertId, Article, now_rfc3339};
use crate::store::StoreError;
use crate::topics::{Document, TopicSet};

use super::Context;

/// Snippets are about this many characters, cut at a word boundary.
const SNIPPET_CHARS: usize = 280;

/// Compile the topics of a configuration.
pub(super) fn topic_set(config: &Config) -> TopicSet {
    TopicSet::new(
        config
            .topics
            .iter()
            .map(|t| (t.name.clone(), t.query.clone()))
            .collect(),
    )
}

/// Raise the alerts an article deserves; returns how many were new.
pub(super) fn raise(ctx: &Context, article: &Article) -> Result<usize, StoreError> {
    let topics = ctx.topics.borrow().clone();
    let doc = Document::new(&article.title, &article.text);
    let mut raised = 0;
    for found in topics.matches(&doc) {
        let alert = Alert {
            id: AlertId::for_firing(&found.topic, &article.group),
            topic: found.topic,
            url: article.url.clone(),
            canonical_url: article.canonical_url.clone(),
            title: article.title.clone(),
            published: article.published.clone(),
            feed: article.feed.clone(),
            group: article.group.clone(),
            snippet: snippet(&article.text),
            matched: found.matched,
            raised_at: now_rfc3339(),
        };
        if ctx.store.fire(&alert, &ctx.sink_names)? {
            raised += 1;
            tracing::info!(topic = %alert.topic, url = %alert.url, id = %alert.id.0, "alert raised");
        }
    }
    if raised > 0 {
        ctx.outbox_ready.iter().for_each(|n| n.notify_one());
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
