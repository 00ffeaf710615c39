//! Configuration: a strict TOML file (plus topic files) turned into ready,
//! validated settings. Loading happens in two steps, as typed (`raw`) and
//! resolved (`Config`); every problem is reported at once with its file, line
//! and column (`report`). Reload takes the same path as start-up.

mod raw;
mod report;
mod schema;
mod sink;
mod topic;
mod validate;
pub mod watch;
mod web;

use std::path::{Path, PathBuf};
use std::time::Duration;

use url::Url;

use crate::topics::{Query, Weighted};

pub use report::Problem;

/// A loaded and validated configuration.
#[derive(Debug, Clone)]
pub struct Config {
    /// The file this configuration was read from.
    pub path: PathBuf,
    pub data_dir: PathBuf,
    pub topic_files: Vec<PathBuf>,
    /// Default log filter when `RUST_LOG` is not set.
    pub log_level: Option<String>,
    pub fetch: FetchConfig,
    pub poll: PollConfig,
    pub feeds: Vec<FeedConfig>,
    pub opml: Vec<OpmlSource>,
    /// Topics from the main file followed by those of each topic file.
    pub topics: Vec<TopicConfig>,
    pub sinks: Vec<SinkConfig>,
    pub dedupe: DedupeConfig,
    pub alerts: AlertsConfig,
    pub delivery: DeliveryConfig,
    pub admin: AdminConfig,
    pub web: WebConfig,
    /// Articles, groups and alerts older than this are pruned; None keeps all.
    pub retention: Option<Duration>,
}

/// The admin HTTP endpoint (health, readiness, metrics).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AdminConfig {
    /// Where it listens; off when unset.
    pub listen: Option<std::net::SocketAddr>,
}

/// The read-only web page and topic feeds.
#[derive(Clone, Default, PartialEq)]
pub struct WebConfig {
    /// Where it listens; off when unset.
    pub listen: Option<std::net::SocketAddr>,
    /// The access token (bearer, or the password of basic auth); required
    /// when `listen` is not a loopback address.
    pub token: Option<String>,
}

impl std::fmt::Debug for WebConfig {
    // The token stays out of logs and error reports.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WebConfig")
            .field("listen", &self.listen)
            .field("token", &self.token.as_ref().map(|_| "…"))
            .finish()
    }
}

/// How alerts are retried.
#[derive(Debug, Clone, PartialEq)]
pub struct DeliveryConfig {
    /// How long a failing delivery is retried before it becomes a dead letter.
    pub retry_for: Duration,
    /// The longest wait between two attempts.
    pub max_backoff: Duration,
}

/// Near-duplicate grouping.
#[derive(Debug, Clone, PartialEq)]
pub struct DedupeConfig {
    /// Copies first seen longer ago than this no longer attract new members.
    pub window: Duration,
}

/// How topics fire.
#[derive(Debug, Clone, PartialEq)]
pub struct AlertsConfig {
    /// What a topic fires once on, unless the topic says otherwise.
    pub per: Per,
    /// Send a `follow_up` event when a copy joins a group a topic fired on.
    pub follow_ups: bool,
    /// When a quiet feed raises a `silence` event.
    pub silence: SilencePolicy,
    /// When a fast-growing group raises a `breaking` event (None: never).
    pub breaking: Option<BreakingRule>,
}

/// A group is breaking when copies from this many distinct feeds appear
/// within `within` (`[alerts] breaking_outlets`, `breaking_within`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BreakingRule {
    pub outlets: usize,
    pub within: Duration,
}

/// When a feed counts as silent (`[alerts] silence`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SilencePolicy {
    /// Never.
    #[default]
    Off,
    /// When quiet for four times its usual gap between new items (at
    /// least an hour), once that gap is known.
    Auto,
    /// When quiet for this long.
    After(Duration),
}

/// What a topic fires at most once on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Per {
    /// One alert per duplicate group (the copies of one text).
    #[default]
    Group,
    /// One alert per story (the groups that report one event).
    Story,
}

/// How pages and feeds are fetched.
#[derive(Debug, Clone, PartialEq)]
pub struct FetchConfig {
    /// Hosts that may resolve to private addresses (the guard's exceptions).
    pub allow_hosts: Vec<String>,
    pub timeout: Duration,
    pub connect_timeout: Duration,
    /// Cap on a response body after decompression.
    pub max_body_bytes: u64,
    pub max_redirects: usize,
    /// How many fetches run at once.
    pub concurrency: usize,
    /// HTTP requests in flight at once to one registrable domain.
    pub per_domain_concurrency: usize,
    /// Request starts per second to one registrable domain.
    pub per_domain_rate: f64,
    pub user_agent: String,
    /// Fetch article pages only where the site's robots.txt allows.
    pub robots: bool,
}

impl Default for FetchConfig {
    /// The defaults a config without a `[fetch]` table gets.
    fn default() -> Self {
        validate::default_fetch()
    }
}

/// How often feeds are polled.
#[derive(Debug, Clone)]
pub struct PollConfig {
    /// No feed is polled more often than this.
    pub min_interval: Duration,
    /// The longest wait, also the cap of a failing feed's backoff.
    pub max_interval: Duration,
}

/// One feed to poll.
#[derive(Debug, Clone, PartialEq)]
pub struct FeedConfig {
    pub url: Url,
    pub name: Option<String>,
    pub interval: Option<Duration>,
    /// Overrides `[fetch] robots` for this feed's pages.
    pub robots: Option<bool>,
}

/// Where an OPML feed list comes from.
#[derive(Debug, Clone, PartialEq)]
pub enum OpmlSource {
    Path(PathBuf),
    Url(Url),
}

/// One topic, with its compiled query or weighted terms (or both: then
/// both must hold) and where it was defined.
#[derive(Debug, Clone)]
pub struct TopicConfig {
    pub name: String,
    pub query_text: Option<String>,
    pub query: Option<Query>,
    pub weighted: Option<Weighted>,
    /// Only articles in these languages (ISO 639-1); empty means any.
    pub languages: Vec<String>,
    /// The sinks its alerts go to; None means every sink.
    pub sinks: Option<Vec<String>>,
    /// Overrides `[alerts] per` for this topic.
    pub per: Option<Per>,
    /// When the topic is added while running, match it against articles
    /// stored this far back.
    pub backfill: Option<Duration>,
    /// Hold the topic's alerts and send them as one digest per window.
    pub digest: Option<Duration>,
    pub file: PathBuf,
    pub line: usize,
}

/// One alert destination.
#[derive(Debug, Clone, PartialEq)]
pub struct SinkConfig {
    pub name: String,
    pub kind: SinkKind,
}

#[derive(Debug, Clone, PartialEq)]
pub enum SinkKind {
    /// POST one JSON object (or a templated body) per event, signed when a
    /// secret is set.
    Webhook(WebhookConfig),
    /// A chat or push service's own incoming-webhook format.
    Preset(PresetConfig),
    /// One structured log event per alert.
    Log,
}

/// A generic webhook.
#[derive(Debug, Clone, PartialEq)]
pub struct WebhookConfig {
    pub url: Url,
    pub secret: Option<String>,
    /// A minijinja template for the body instead of the event's JSON;
    /// its syntax was checked when the config was loaded.
    pub template: Option<String>,
    /// The `Content-Type` of a templated body.
    pub content_type: String,
}

/// The services whose message format wirewatch speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Service {
    Slack,
    Discord,
    Mattermost,
    Ntfy,
}

impl Service {
    /// The `type` that selects it.
    pub fn name(self) -> &'static str {
        match self {
            Service::Slack => "slack",
            Service::Discord => "discord",
            Service::Mattermost => "mattermost",
            Service::Ntfy => "ntfy",
        }
    }
}

/// A sink for one service; settings a service has no use for stay None.
#[derive(Debug, Clone, PartialEq)]
pub struct PresetConfig {
    pub service: Service,
    /// The incoming-webhook URL (ntfy: the topic URL).
    pub url: Url,
    /// Discord, Mattermost: the name the message is posted under.
    pub username: Option<String>,
    /// Mattermost: the channel instead of the webhook's own.
    pub channel: Option<String>,
    /// ntfy: an access token, sent as `Authorization: Bearer`.
    pub token: Option<String>,
    /// ntfy: priority 1 (min) to 5 (max).
    pub priority: Option<u8>,
    /// ntfy: tags (emoji short codes become emoji).
    pub tags: Vec<String>,
}

/// Why a configuration could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{}", render(.0))]
    Invalid(Vec<Problem>),
}

fn render(problems: &[Problem]) -> String {
    let lines: Vec<String> = problems.iter().map(Problem::to_string).collect();
    lines.join("\n")
}

impl Config {
    /// Read, parse and validate a configuration file and its topic files.
    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        let source = read(path)?;
        validate::config(path, &source, read)
    }

    /// Validate a configuration given as text; `path` names it in errors and
    /// anchors relative paths.
    pub fn from_source(path: &Path, source: &str) -> Result<Config, ConfigError> {
        validate::config(path, source, read)
    }

    /// Every file whose change should reload the configuration.
    pub fn watched_files(&self) -> Vec<PathBuf> {
        let mut files = vec![self.path.clone()];
        files.extend(self.topic_files.iter().cloned());
        files
    }
}

/// Read and validate a file of `[[topic]]` tables on its own (sink names
/// are not checked: no sinks are known).
pub fn load_topic_file(path: &Path) -> Result<Vec<TopicConfig>, ConfigError> {
    let source = read(path)?;
    validate::topic_file_alone(path, &source)
}

fn read(path: &Path) -> Result<String, ConfigError> {
    std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
        path: path.to_path_buf(),
        source,
    })
}
