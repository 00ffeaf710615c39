//! The log sink: one structured tracing event per alert, follow-up or digest, target
//! `wirewatch::alert`, so log shippers can route alerts apart from the rest.

use crate::model::Event;

pub fn deliver(sink: &str, event: &Event) {
    match event {
        Event::Alert(alert) => tracing::info!(
            target: "wirewatch::alert",
            sink,
            id = %alert.id.0,
            topic = %alert.topic,
            url = %alert.url,
            title = %alert.title,
            published = alert.published.as_deref().unwrap_or(""),
            feed = %alert.feed,
            group = %alert.group.0,
            matched = %alert.matched.join(", "),
            "alert"
        ),
        Event::FollowUp(follow) => tracing::info!(
            target: "wirewatch::alert",
            sink,
            id = %follow.id.0,
            alert_id = %follow.alert_id.0,
            topic = %follow.topic,
            copy_url = %follow.article.url,
            title = %follow.article.title,
            feed = %follow.article.feed,
            group = %follow.group,
            "follow_up"
        ),
        Event::Digest(digest) => {
            let groups: Vec<String> = digest.alerts.iter().map(|a| a.group.to_string()).collect();
            let urls: Vec<&str> = digest.alerts.iter().map(|a| a.url.as_str()).collect();
            tracing::info!(
                target: "wirewatch::alert",
                sink,
                id = %digest.id.0,
                topic = %digest.topic,
                from = %digest.from,
                until = %digest.until,
                count = digest.alerts.len(),
                groups = %groups.join(", "),
                urls = %urls.join(" "),
                "digest"
            )
        }
        Event::Breaking(breaking) => tracing::info!(
            target: "wirewatch::alert",
            sink,
            id = %breaking.id.0,
            group = %breaking.group.0,
            title = %breaking.title,
            url = %breaking.url,
            outlets = breaking.feeds.len(),
            within_secs = breaking.within_secs,
            "breaking"
        ),
        Event::Silence(silence) => tracing::warn!(
            target: "wirewatch::alert",
            sink,
            id = %silence.id.0,
            feed = %silence.feed,
            last_item_at = %silence.last_item_at,
            expected_within_secs = silence.expected_within_secs,
            "feed silent"
        ),
    }
}
