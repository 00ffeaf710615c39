//! Plain shared types that the stages exchange: feed entries, stored articles
//! and alerts. This module depends on nothing else in the crate, so every stage
//! can use it without pulling in another stage.

use serde::{Deserialize, Serialize};
use sha2::{Digest as _, Sha256};

mod ids;
pub use ids::{BadId, GroupId, StoryId};

/// One item of a feed, as the feed described it (before its page is fetched).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Entry {
    /// The feed's own id for the item (GUID / Atom id / JSON Feed id), if any.
    pub guid: Option<String>,
    /// The item's link, resolved against the feed URL.
    pub link: Option<String>,
    pub title: Option<String>,
    /// Publication time, RFC 3339.
    pub published: Option<String>,
    /// Last modification time, RFC 3339; a change means the article was updated.
    pub updated: Option<String>,
    /// The feed's own HTML content or summary, used when the page cannot be fetched.
    pub content_html: Option<String>,
}

impl Entry {
    /// The key under which a feed's item is remembered: its GUID, else its link.
    pub fn key(&self) -> Option<&str> {
        self.guid.as_deref().or(self.link.as_deref())
    }
}

/// Validators of an earlier HTTP response (RFC 9110 §13.1), sent back so
/// that an unchanged resource costs a 304.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Validators {
    pub etag: Option<String>,
    pub last_modified: Option<String>,
}

/// Where an article's text came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TextSource {
    /// Extracted from the fetched article page.
    Page,
    /// The feed's own content, because the page could not be fetched or was empty.
    Feed,
}

/// An article as stored: the feed's facts plus the extracted page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Article {
    /// The link as the feed gave it.
    pub url: String,
    /// The URL after redirects.
    pub final_url: String,
    /// The key the article is stored under (see `dedupe::canonical_url`).
    pub canonical_url: String,
    pub title: String,
    pub text: String,
    pub published: Option<String>,
    pub modified: Option<String>,
    /// The URL of the feed that listed it.
    pub feed: String,
    /// The feed's name (from the config or its OPML outline), if it has one.
    #[serde(default)]
    pub feed_name: Option<String>,
    /// The duplicate group: articles with the same group are copies of one text.
    pub group: GroupId,
    /// The story: groups that report one event in different words.
    #[serde(default)]
    pub story: StoryId,
    pub byline: Option<String>,
    pub lang: Option<String>,
    pub site_name: Option<String>,
    pub source: TextSource,
    /// When wirewatch first stored it, RFC 3339.
    pub first_seen: String,
    /// When wirewatch last changed it, RFC 3339.
    pub last_seen: String,
}

/// The stable id of an alert: one topic firing on one group.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct AlertId(pub String);

impl AlertId {
    /// Derived from (topic, group or story id) so that the same firing
    /// always has the same id, across retries and restarts.
    pub fn for_firing(topic: &str, fired_on: &str) -> AlertId {
        let mut hash = Sha256::new();
        hash.update(topic.as_bytes());
        hash.update([0]);
        hash.update(fired_on.as_bytes());
        AlertId(hex::encode(&hash.finalize()[..12]))
    }
}

/// What a sink receives: one topic matched one article.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Alert {
    pub id: AlertId,
    pub topic: String,
    pub url: String,
    pub canonical_url: String,
    pub title: String,
    pub published: Option<String>,
    pub feed: String,
    pub group: GroupId,
    #[serde(default)]
    pub story: StoryId,
    pub snippet: String,
    /// The query terms that occur in the article.
    pub matched: Vec<String>,
    /// When the alert was raised, RFC 3339.
    pub raised_at: String,
}

/// A later copy of a story that already alerted: it joined the group (or
/// story) the topic fired on. Sent only when follow-ups are configured, as
/// its own event type, never as a second alert.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FollowUp {
    /// Stable per (original alert, copy), across retries and restarts.
    pub id: AlertId,
    /// The alert this copy follows.
    pub alert_id: AlertId,
    pub topic: String,
    pub group: GroupId,
    /// The copy that joined.
    pub article: ArticleRef,
    pub raised_at: String,
}

impl FollowUp {
    /// The id of the follow-up for one copy of an alerted group.
    pub fn id_for(alert: &AlertId, canonical_url: &str) -> AlertId {
        let mut hash = Sha256::new();
        hash.update(alert.0.as_bytes());
        hash.update([0]);
        hash.update(canonical_url.as_bytes());
        AlertId(hex::encode(&hash.finalize()[..12]))
    }
}

/// The facts about an article that an event names.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ArticleRef {
    pub url: String,
    pub canonical_url: String,
    pub title: String,
    pub feed: String,
    pub published: Option<String>,
}

/// The alerts one digest topic raised within one window, sent together
/// when the window ends instead of one message each.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Digest {
    /// Derived from the topic and the alerts it lists, so a retry (or a
    /// resend after a crash) carries the same id.
    pub id: AlertId,
    pub topic: String,
    /// When the first alert of the window was held, RFC 3339.
    pub from: String,
    /// When the window ended and the digest was made, RFC 3339.
    pub until: String,
    /// In the order they were raised; one per group (or story) that fired.
    pub alerts: Vec<Alert>,
}

impl Digest {
    /// The id of the digest of `topic` listing exactly these alerts.
    pub fn id_for<'a>(topic: &str, alerts: impl IntoIterator<Item = &'a AlertId>) -> AlertId {
        let mut hash = Sha256::new();
        hash.update(b"digest\0");
        hash.update(topic.as_bytes());
        for id in alerts {
            hash.update([0]);
            hash.update(id.0.as_bytes());
        }
        AlertId(hex::encode(&hash.finalize()[..12]))
    }
}

/// An operational alert: a feed that publishes regularly has been quiet
/// for longer than it usually is (a broken feed that still answers 200, a
/// site that moved its feed, a paywall). One per quiet spell.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Silence {
    /// Derived from the feed and its last item's time: the same spell has
    /// the same id across retries and restarts.
    pub id: AlertId,
    pub feed: String,
    pub feed_name: Option<String>,
    /// When its newest item appeared, RFC 3339.
    pub last_item_at: String,
    /// How long a quiet spell may last before it counts, in seconds.
    pub expected_within_secs: u64,
    pub raised_at: String,
}

impl Silence {
    /// The topic-like label presets show and routing uses for silences.
    pub const LABEL: &'static str = "feed-silence";
}

/// A story breaking: one story (copies of one text, or write-ups of one
/// event) appearing in many outlets within a short time, the signal news
/// monitors call breaking news. One per story.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Breaking {
    /// Derived from the story: one event per story, across retries.
    pub id: AlertId,
    /// The group carried by the most outlets.
    pub group: GroupId,
    pub story: StoryId,
    /// How many groups (distinct texts) the story had.
    #[serde(default = "one")]
    pub groups: usize,
    /// The title and URL of the leading group's most complete copy.
    pub title: String,
    pub url: String,
    /// Distinct feeds that carried a copy within `within_secs`.
    pub feeds: Vec<String>,
    pub within_secs: u64,
    pub raised_at: String,
}

fn one() -> usize {
    1
}

impl Breaking {
    /// The topic-like label presets show and routing uses.
    pub const LABEL: &'static str = "breaking";
}

/// What the outbox holds and sinks deliver; serialised with its type in
/// the `event` field (`"alert"`, `"follow_up"`, `"digest"`, `"silence"`,
/// `"breaking"`), which receivers switch on.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum Event {
    Alert(Alert),
    FollowUp(FollowUp),
    Digest(Digest),
    Silence(Silence),
    Breaking(Breaking),
}

impl Event {
    /// The id a sink sees; stable across retries.
    pub fn id(&self) -> &AlertId {
        match self {
            Event::Alert(a) => &a.id,
            Event::FollowUp(f) => &f.id,
            Event::Digest(d) => &d.id,
            Event::Silence(s) => &s.id,
            Event::Breaking(b) => &b.id,
        }
    }

    /// The topic the event belongs to.
    pub fn topic(&self) -> &str {
        match self {
            Event::Alert(a) => &a.topic,
            Event::FollowUp(f) => &f.topic,
            Event::Digest(d) => &d.topic,
            Event::Silence(_) => Silence::LABEL,
            Event::Breaking(_) => Breaking::LABEL,
        }
    }
}

/// The current time as seconds since the Unix epoch.
pub fn unix_now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

/// The current time as milliseconds since the Unix epoch.
pub fn unix_now_ms() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
}

/// Unix seconds of an RFC 3339 time (None when unreadable or before 1970).
pub fn rfc3339_secs(text: &str) -> Option<u64> {
    let at = humantime::parse_rfc3339_weak(text).ok()?;
    at.duration_since(std::time::UNIX_EPOCH)
        .ok()
        .map(|d| d.as_secs())
}

/// The time now as RFC 3339 (UTC) with milliseconds: when articles are
/// first seen, so that their order survives in exports.
pub fn now_rfc3339_millis() -> String {
    humantime::format_rfc3339_millis(std::time::SystemTime::now()).to_string()
}

/// Unix seconds as RFC 3339 (UTC, seconds).
pub fn secs_rfc3339(secs: u64) -> String {
    humantime::format_rfc3339_seconds(std::time::UNIX_EPOCH + std::time::Duration::from_secs(secs))
        .to_string()
}

/// The current time as RFC 3339 (UTC, seconds).
pub fn now_rfc3339() -> String {
    humantime::format_rfc3339_seconds(std::time::SystemTime::now()).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn alert_id_is_stable_and_distinguishes_topic_and_group() {
        assert_eq!(
            AlertId::for_firing("t", "g1"),
            AlertId::for_firing("t", "g1")
        );
        assert_ne!(
            AlertId::for_firing("t", "g1"),
            AlertId::for_firing("u", "g1")
        );
        assert_ne!(
            AlertId::for_firing("t", "g1"),
            AlertId::for_firing("t", "g2")
        );
    }

    #[test]
    fn digest_id_depends_on_topic_and_listed_alerts() {
        let a = AlertId("a".into());
        let b = AlertId("b".into());
        assert_eq!(Digest::id_for("t", [&a, &b]), Digest::id_for("t", [&a, &b]));
        assert_ne!(Digest::id_for("t", [&a, &b]), Digest::id_for("t", [&a]));
        assert_ne!(Digest::id_for("t", [&a]), Digest::id_for("u", [&a]));
    }
}
