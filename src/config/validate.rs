//! Raw configuration → `Config`: key check, typed parse, then a check of every
//! URL, duration and query, collecting all problems before giving up.

use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::de::DeserializeOwned;
use toml::de::DeTable;
use url::Url;

use super::raw::{RawConfig, RawTopicFile, SpannedStr};
use super::report::{Problem, Problems, line_column};
use super::schema::{self, Shape};
use super::topic;
use super::*;

/// Feeds are polled at most once a second, whatever the config says.
const FLOOR: Duration = Duration::from_secs(1);

/// Validate a main configuration; `read` loads its topic files.
pub fn config(
    path: &Path,
    source: &str,
    read: impl Fn(&Path) -> Result<String, ConfigError>,
) -> Result<Config, ConfigError> {
    let mut all = Vec::new();
    let raw: Option<RawConfig> = parse(path, source, schema::MAIN, &mut all);
    let Some(raw) = raw else {
        return Err(ConfigError::Invalid(all));
    };
    let base = path.parent().unwrap_or(Path::new("."));
    let mut problems = Problems::new(path, source);
    let mut config = resolve(path, base, raw, &mut problems);
    all.extend(problems.into_vec());

    for file in config.topic_files.clone() {
        match read(&file) {
            Ok(text) => config.topics.extend(topic_file(&file, &text, &mut all)),
            Err(err) => all.push(Problem {
                file: path.to_path_buf(),
                line: 1,
                column: 1,
                message: err.to_string(),
            }),
        }
    }
    topic::check_all(&config.topics, Some(&config.sinks), &mut all);
    all.sort_by(|a, b| (&a.file, a.line, a.column).cmp(&(&b.file, b.line, b.column)));
    if all.is_empty() {
        Ok(config)
    } else {
        Err(ConfigError::Invalid(all))
    }
}

/// Syntax, unknown keys and types; `None` when the file cannot be used at all.
fn parse<T: DeserializeOwned>(
    path: &Path,
    source: &str,
    keys: &[(&str, Shape)],
    all: &mut Vec<Problem>,
) -> Option<T> {
    let mut problems = Problems::new(path, source);
    let table = match DeTable::parse(source) {
        Ok(table) => table,
        Err(err) => {
            problems.push(err.span().unwrap_or(0..0), err.message().to_string());
            all.extend(problems.into_vec());
            return None;
        }
    };
    schema::check_keys(table.get_ref(), keys, "", &mut problems);
    all.extend(problems.into_vec());
    // The document tree is as large as the file many times over: free it
    // before the typed parse.
    drop(table);
    match toml::from_str::<T>(source) {
        Ok(value) => Some(value),
        Err(err) => {
            let (line, column) = line_column(source, err.span().map_or(0, |s| s.start));
            let message = err.message().trim().to_string();
            all.push(Problem {
                file: path.to_path_buf(),
                line,
                column,
                message,
            });
            None
        }
    }
}

fn resolve(path: &Path, base: &Path, raw: RawConfig, p: &mut Problems) -> Config {
    let data_dir = match &raw.data_dir {
        Some(dir) => base.join(dir.get_ref()),
        None => {
            p.push_at(0, "missing key `data_dir` (the directory of the database)");
            PathBuf::new()
        }
    };
    let topic_files = raw
        .topic_files
        .iter()
        .map(|f| base.join(f.get_ref()))
        .collect();
    let topics = raw
        .topic
        .iter()
        .filter_map(|t| topic::topic(path, t, p))
        .collect();
    Config {
        path: path.to_path_buf(),
        data_dir,
        topic_files,
        log_level: raw.log_level.as_ref().map(|l| l.get_ref().clone()),
        fetch: fetch(&raw.fetch, p),
        poll: poll(&raw.poll, p),
        feeds: feeds(&raw, p),
        opml: raw
            .opml
            .iter()
            .filter_map(|o| opml(base, &o.source, p))
            .collect(),
        topics,
        sinks: super::sink::sinks(base, &raw.sink, p),
        dedupe: DedupeConfig {
            window: duration(raw.dedupe.window.as_ref(), DEFAULT_WINDOW, p),
        },
        alerts: AlertsConfig {
            per: raw
                .alerts
                .per
                .as_ref()
                .and_then(|v| per(v, p))
                .unwrap_or_default(),
            follow_ups: raw.alerts.follow_ups.unwrap_or(false),
            silence: raw
                .alerts
                .silence
                .as_ref()
                .map_or(SilencePolicy::Off, |v| silence(v, p)),
            breaking: raw
                .alerts
                .breaking_outlets
                .filter(|&n| n > 0)
                .map(|outlets| BreakingRule {
                    outlets,
                    within: duration(raw.alerts.breaking_within.as_ref(), BREAKING_WITHIN, p),
                }),
        },
        delivery: DeliveryConfig {
            retry_for: duration(raw.delivery.retry_for.as_ref(), RETRY_FOR, p),
            max_backoff: duration(raw.delivery.max_backoff.as_ref(), MAX_BACKOFF, p),
        },
        admin: AdminConfig {
            listen: raw.admin.listen.as_ref().and_then(|l| socket_addr(l, p)),
        },
        web: super::web::web(&raw.web, p),
        retention: raw.retention.as_ref().and_then(|r| retention(r, &raw, p)),
    }
}

/// The retention period; it may not be shorter than the duplicate window,
/// whose articles must stay to attract their copies.
fn retention(value: &SpannedStr, raw: &RawConfig, p: &mut Problems) -> Option<Duration> {
    let period = duration(Some(value), Duration::ZERO, p);
    // A bad window is reported where it is written.
    let window = raw
        .dedupe
        .window
        .as_ref()
        .and_then(|w| humantime::parse_duration(w.get_ref()).ok())
        .unwrap_or(DEFAULT_WINDOW);
    if period < window {
        p.push(
            value.span(),
            format!(
                "retention {} is shorter than the duplicate window ({}); articles must be kept at least that long",
                value.get_ref(),
                humantime::format_duration(window)
            ),
        );
        return None;
    }
    Some(period)
}

/// `off`, `auto` or a duration.
fn silence(value: &SpannedStr, p: &mut Problems) -> SilencePolicy {
    match value.get_ref().as_str() {
        "off" => SilencePolicy::Off,
        "auto" => SilencePolicy::Auto,
        _ if humantime::parse_duration(value.get_ref()).is_ok() => {
            SilencePolicy::After(duration(Some(value), Duration::ZERO, p))
        }
        other => {
            p.push(
                value.span(),
                format!("silence `{other}`: expected \"off\", \"auto\" or a duration like \"12h\""),
            );
            SilencePolicy::Off
        }
    }
}

/// An `address:port` to listen on.
pub(super) fn socket_addr(value: &SpannedStr, p: &mut Problems) -> Option<std::net::SocketAddr> {
    match value.get_ref().parse() {
        Ok(addr) => Some(addr),
        Err(_) => {
            p.push(
                value.span(),
                format!(
                    "`{}` is not an address to listen on; expected IP:port, e.g. \"127.0.0.1:9187\"",
                    value.get_ref()
                ),
            );
            None
        }
    }
}

/// A wire story picked up by many outlets spreads within the hour.
const BREAKING_WITHIN: Duration = Duration::from_secs(3600);

/// About the span Standard Webhooks senders retry for.
const RETRY_FOR: Duration = Duration::from_secs(3 * 24 * 3600);
const MAX_BACKOFF: Duration = Duration::from_secs(2 * 3600);

/// Wire copies are reprinted within hours to a few days of the original.
const DEFAULT_WINDOW: Duration = Duration::from_secs(3 * 24 * 3600);

pub(super) fn per(value: &SpannedStr, p: &mut Problems) -> Option<Per> {
    match value.get_ref().as_str() {
        "group" => Some(Per::Group),
        "story" => Some(Per::Story),
        other => {
            p.push(
                value.span(),
                format!("`per` must be \"group\" or \"story\", not \"{other}\""),
            );
            None
        }
    }
}

fn fetch(raw: &super::raw::RawFetch, p: &mut Problems) -> FetchConfig {
    FetchConfig {
        allow_hosts: raw
            .allow_hosts
            .iter()
            .map(|h| h.get_ref().to_ascii_lowercase())
            .collect(),
        timeout: duration(raw.timeout.as_ref(), Duration::from_secs(20), p),
        connect_timeout: duration(raw.connect_timeout.as_ref(), Duration::from_secs(10), p),
        max_body_bytes: raw.max_body_bytes.unwrap_or(10 * 1024 * 1024),
        max_redirects: raw.max_redirects.unwrap_or(5),
        concurrency: raw.concurrency.unwrap_or(16).max(1),
        per_domain_concurrency: raw.per_domain_concurrency.unwrap_or(2).max(1),
        per_domain_rate: raw
            .per_domain_rate
            .filter(|r| r.is_finite() && *r > 0.0)
            .unwrap_or(1.0),
        user_agent: raw.user_agent.clone().unwrap_or_else(default_user_agent),
        robots: raw.robots.unwrap_or(true),
    }
}

/// The fetch settings of a config that sets none.
pub(super) fn default_fetch() -> FetchConfig {
    fetch(
        &super::raw::RawFetch::default(),
        &mut Problems::new(Path::new(""), ""),
    )
}

fn default_user_agent() -> String {
    format!(
        "wirewatch/{} (+https://github.com/wirewatch/wirewatch)",
        env!("CARGO_PKG_VERSION")
    )
}

fn poll(raw: &super::raw::RawPoll, p: &mut Problems) -> PollConfig {
    let min_interval = duration(raw.min_interval.as_ref(), Duration::from_secs(60), p);
    if raw.interval.is_some() {
        // Older configs set it: accepted so they still load, but said once.
        tracing::warn!(
            "[poll] interval is ignored: feeds are polled every min_interval until they are known to be quiet"
        );
    }
    let max_interval = duration(raw.max_interval.as_ref(), Duration::from_secs(3600), p);
    PollConfig {
        min_interval,
        max_interval: max_interval.max(min_interval),
    }
}

fn feeds(raw: &RawConfig, p: &mut Problems) -> Vec<FeedConfig> {
    let mut feeds = Vec::new();
    for feed in &raw.feed {
        let Some(url) = http_url(&feed.url, p) else {
            continue;
        };
        let interval = feed.interval.as_ref().map(|i| duration(Some(i), FLOOR, p));
        feeds.push(FeedConfig {
            url,
            name: feed.name.clone(),
            interval,
            robots: feed.robots,
        });
    }
    feeds
}

fn opml(base: &Path, source: &SpannedStr, p: &mut Problems) -> Option<OpmlSource> {
    let text = source.get_ref();
    if text.starts_with("http://") || text.starts_with("https://") {
        return http_url(source, p).map(OpmlSource::Url);
    }
    if text.is_empty() {
        p.push(
            source.span(),
            "empty OPML source: give a path or an http(s) URL",
        );
        return None;
    }
    Some(OpmlSource::Path(base.join(text)))
}

fn topic_file(path: &Path, source: &str, all: &mut Vec<Problem>) -> Vec<TopicConfig> {
    let Some(raw) = parse::<RawTopicFile>(path, source, schema::TOPIC_FILE, all) else {
        return Vec::new();
    };
    let mut problems = Problems::new(path, source);
    // Each raw topic is freed once validated.
    let topics = raw
        .topic
        .into_iter()
        .filter_map(|t| topic::topic(path, &t, &mut problems))
        .collect();
    all.extend(problems.into_vec());
    topics
}

/// A topic file on its own: its topics, or every problem in it.
pub fn topic_file_alone(path: &Path, source: &str) -> Result<Vec<TopicConfig>, ConfigError> {
    let mut all = Vec::new();
    let topics = topic_file(path, source, &mut all);
    topic::check_all(&topics, None, &mut all);
    if all.is_empty() {
        Ok(topics)
    } else {
        Err(ConfigError::Invalid(all))
    }
}

/// A humantime duration ("90s", "5m", "1h 30m") of at least one second.
pub(super) fn duration(
    value: Option<&SpannedStr>,
    default: Duration,
    p: &mut Problems,
) -> Duration {
    let Some(value) = value else { return default };
    match humantime::parse_duration(value.get_ref()) {
        Ok(d) if d >= FLOOR => d,
        Ok(_) => {
            p.push(
                value.span(),
                format!("duration `{}` is below the 1s minimum", value.get_ref()),
            );
            default
        }
        Err(err) => {
            p.push(
                value.span(),
                format!(
                    "bad duration `{}`: {err} (use e.g. \"90s\", \"5m\", \"1h\")",
                    value.get_ref()
                ),
            );
            default
        }
    }
}

pub(super) fn http_url(value: &SpannedStr, p: &mut Problems) -> Option<Url> {
    match Url::parse(value.get_ref()) {
        Ok(url) if matches!(url.scheme(), "http" | "https") && url.host().is_some() => Some(url),
        Ok(url) => {
            p.push(
                value.span(),
                format!("URL `{url}` must be http or https with a host"),
            );
            None
        }
        Err(err) => {
            p.push(
                value.span(),
                format!("bad URL `{}`: {err}", value.get_ref()),
            );
            None
        }
    }
}
