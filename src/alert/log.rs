//! The log sink: one structured tracing event per alert, target
//! `wirewatch::alert`, so log shippers can route alerts apart from the rest.

use crate::model::Alert;

pub fn deliver(sink: &str, alert: &Alert) {
    tracing::info!(
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
    );
}
