//! The configuration as the user typed it: serde structures that mirror the
//! TOML file one to one. Values that need checking beyond their TOML type
//! (URLs, durations, queries) stay strings with their source span, so that
//! `validate` can report each problem at its line and column. Unknown keys
//! are found by `schema` before serde runs, all of them at once, so these
//! structures accept them and validation goes on to the other problems.

use serde::Deserialize;
use toml::Spanned;

/// A string value together with its byte range in the file.
pub type SpannedStr = Spanned<String>;

/// The main configuration file.
#[derive(Debug, Default, Deserialize)]
pub struct RawConfig {
    pub data_dir: Option<SpannedStr>,
    #[serde(default)]
    pub topic_files: Vec<SpannedStr>,
    pub log_level: Option<SpannedStr>,
    pub retention: Option<SpannedStr>,
    #[serde(default)]
    pub fetch: RawFetch,
    #[serde(default)]
    pub poll: RawPoll,
    #[serde(default)]
    pub feed: Vec<RawFeed>,
    #[serde(default)]
    pub opml: Vec<RawOpml>,
    #[serde(default)]
    pub topic: Vec<RawTopic>,
    #[serde(default)]
    pub sink: Vec<RawSink>,
    #[serde(default)]
    pub dedupe: RawDedupe,
    #[serde(default)]
    pub alerts: RawAlerts,
    #[serde(default)]
    pub delivery: RawDelivery,
    #[serde(default)]
    pub admin: RawAdmin,
    #[serde(default)]
    pub web: RawWeb,
}

#[derive(Debug, Default, Deserialize)]
pub struct RawWeb {
    pub listen: Option<SpannedStr>,
    pub token: Option<SpannedStr>,
}

#[derive(Debug, Default, Deserialize)]
pub struct RawAdmin {
    pub listen: Option<SpannedStr>,
}

#[derive(Debug, Default, Deserialize)]
pub struct RawDelivery {
    pub retry_for: Option<SpannedStr>,
    pub max_backoff: Option<SpannedStr>,
}

#[derive(Debug, Default, Deserialize)]
pub struct RawDedupe {
    pub window: Option<SpannedStr>,
}

#[derive(Debug, Default, Deserialize)]
pub struct RawAlerts {
    pub per: Option<SpannedStr>,
    pub follow_ups: Option<bool>,
    pub silence: Option<SpannedStr>,
    pub breaking_outlets: Option<usize>,
    pub breaking_within: Option<SpannedStr>,
}

#[derive(Debug, Default, Deserialize)]
pub struct RawFetch {
    #[serde(default)]
    pub allow_hosts: Vec<SpannedStr>,
    pub timeout: Option<SpannedStr>,
    pub connect_timeout: Option<SpannedStr>,
    pub max_body_bytes: Option<u64>,
    pub max_redirects: Option<usize>,
    pub concurrency: Option<usize>,
    pub per_domain_concurrency: Option<usize>,
    pub per_domain_rate: Option<f64>,
    pub user_agent: Option<String>,
    pub robots: Option<bool>,
}

#[derive(Debug, Default, Deserialize)]
pub struct RawPoll {
    pub min_interval: Option<SpannedStr>,
    pub interval: Option<SpannedStr>,
    pub max_interval: Option<SpannedStr>,
}

#[derive(Debug, Deserialize)]
pub struct RawFeed {
    pub url: SpannedStr,
    pub name: Option<String>,
    pub interval: Option<SpannedStr>,
    pub robots: Option<bool>,
}

#[derive(Debug, Deserialize)]
pub struct RawOpml {
    pub source: SpannedStr,
}

#[derive(Debug, Deserialize)]
pub struct RawTopic {
    pub name: SpannedStr,
    pub query: Option<SpannedStr>,
    pub per: Option<SpannedStr>,
    #[serde(default)]
    pub sinks: Vec<SpannedStr>,
    #[serde(default)]
    pub languages: Vec<SpannedStr>,
    #[serde(default)]
    pub weights: Vec<RawWeight>,
    pub threshold: Option<f64>,
    pub backfill: Option<SpannedStr>,
    pub digest: Option<SpannedStr>,
}

/// One term of a weighted topic.
#[derive(Debug, Deserialize)]
pub struct RawWeight {
    pub term: SpannedStr,
    pub weight: f64,
}

#[derive(Debug, Deserialize)]
pub struct RawSink {
    #[serde(rename = "type")]
    pub kind: SpannedStr,
    pub name: Option<SpannedStr>,
    pub url: Option<SpannedStr>,
    pub secret: Option<SpannedStr>,
    pub template: Option<SpannedStr>,
    pub template_file: Option<SpannedStr>,
    pub content_type: Option<SpannedStr>,
    pub username: Option<SpannedStr>,
    pub channel: Option<SpannedStr>,
    pub token: Option<SpannedStr>,
    /// ntfy's 1–5 or its names (min, low, default, high, max/urgent).
    pub priority: Option<Spanned<toml::Value>>,
    pub tags: Option<Spanned<Vec<String>>>,
}

/// A topic file: only `[[topic]]` tables.
#[derive(Debug, Default, Deserialize)]
pub struct RawTopicFile {
    #[serde(default)]
    pub topic: Vec<RawTopic>,
}
