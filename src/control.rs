//! Commands that read or change the store from outside the daemon (`export`,
//! `alerts list`, `alerts replay`). sled lets one process open a database,
//! so while the daemon runs such a command sends its request line to the
//! daemon's control socket in the data directory and prints the answer;
//! when no daemon answers there, it opens the store itself. Both paths run
//! the same `answer`.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::config::Config;
use crate::store::{Store, StoreError};

/// The control socket's file name inside the data directory.
pub const SOCKET: &str = "wirewatch.sock";

/// Why a control command failed.
#[derive(Debug, thiserror::Error)]
pub enum ControlError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("cannot write the answer: {0}")]
    Write(#[from] std::io::Error),
    #[error("cannot encode a record: {0}")]
    Encode(#[from] serde_json::Error),
    #[error("unknown control request `{0}`")]
    Unknown(String),
}

/// One request; on the socket, one line of text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Request {
    /// Every stored article, as JSON lines.
    Export,
    /// Every alert raised, as JSON lines.
    Alerts,
    /// Every dead letter with its sink and last error, as JSON lines.
    DeadLetters,
    /// Put dead letters (of one sink, or all) back in the outbox.
    Replay { sink: Option<String> },
    /// Every polled feed's health, as JSON lines.
    Feeds,
    /// What the database holds, as one JSON object.
    Stats,
}

impl Request {
    /// The request as sent on the socket (without the newline).
    pub fn line(&self) -> String {
        match self {
            Request::Export => "export".into(),
            Request::Alerts => "alerts".into(),
            Request::DeadLetters => "dead".into(),
            Request::Feeds => "feeds".into(),
            Request::Stats => "stats".into(),
            Request::Replay { sink: None } => "replay".into(),
            Request::Replay { sink: Some(s) } => format!("replay {s}"),
        }
    }

    /// Parse a request line.
    pub fn parse(line: &str) -> Result<Request, ControlError> {
        let line = line.trim();
        Ok(match line.split_once(' ') {
            None if line == "export" => Request::Export,
            None if line == "alerts" => Request::Alerts,
            None if line == "dead" => Request::DeadLetters,
            None if line == "feeds" => Request::Feeds,
            None if line == "stats" => Request::Stats,
            None if line == "replay" => Request::Replay { sink: None },
            Some(("replay", sink)) => Request::Replay {
                sink: Some(sink.to_string()),
            },
            _ => return Err(ControlError::Unknown(line.chars().take(80).collect())),
        })
    }

    /// Whether the answer changed the outbox (the daemon then wakes its
    /// delivery workers).
    pub fn fills_outbox(&self) -> bool {
        matches!(self, Request::Replay { .. })
    }
}

/// One line of `wirewatch feeds`.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct FeedHealth {
    pub url: String,
    pub last_success: Option<String>,
    pub last_error: Option<String>,
    pub last_error_kind: Option<String>,
    pub consecutive_errors: u32,
    pub items_per_day: Option<f64>,
    /// Seconds until the next poll (0 when due).
    pub next_poll_in_secs: Option<u64>,
    /// Where the feed moved permanently; it is polled there.
    #[serde(default)]
    pub moved_to: Option<String>,
    /// When its last item appeared, if it was reported silent since.
    #[serde(default)]
    pub silent_since: Option<String>,
}

/// What the database holds (`wirewatch stats`).
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Stats {
    pub articles: usize,
    /// Duplicate groups (distinct texts).
    pub groups: usize,
    pub alerts_raised: usize,
    /// Events waiting for delivery, over all sinks.
    pub outbox: usize,
    pub held_for_digests: usize,
    pub dead_letters: usize,
    pub feeds: usize,
    pub failing_feeds: usize,
    pub bytes_on_disk: u64,
}

/// The control socket of the daemon using `data_dir`.
pub fn socket_path(data_dir: &Path) -> PathBuf {
    data_dir.join(SOCKET)
}

/// Run `request` against `config`'s database, through the daemon when one
/// runs, and write the answer to `out`.
pub async fn run(
    config: &Config,
    request: &Request,
    mut out: impl Write,
) -> Result<(), ControlError> {
    #[cfg(unix)]
    if let Some(bytes) = ask_daemon(&socket_path(&config.data_dir), request).await {
        out.write_all(&bytes)?;
        return Ok(out.flush()?);
    }
    let store = Store::open(&config.data_dir)?;
    answer(&store, request, &mut out)?;
    Ok(out.flush()?)
}

/// Answer a request from the store.
pub fn answer(store: &Store, request: &Request, out: &mut impl Write) -> Result<(), ControlError> {
    match request {
        Request::Export => json_lines(store.articles(), out),
        Request::Alerts => json_lines(store.fired(), out),
        Request::DeadLetters => {
            for queued in store.dead(None)? {
                let mut record = serde_json::to_value(&queued.delivery)?;
                record["sink"] = serde_json::Value::String(queued.sink());
                serde_json::to_writer(&mut *out, &record)?;
                out.write_all(b"\n")?;
            }
            Ok(())
        }
        Request::Feeds => {
            for health in feed_health(store)? {
                serde_json::to_writer(&mut *out, &health)?;
                out.write_all(b"\n")?;
            }
            Ok(())
        }
        Request::Stats => {
            let stats = Stats {
                articles: store.article_count(),
                groups: store.group_count(),
                alerts_raised: store.fired().count(),
                outbox: store.outbox_len(),
                held_for_digests: store.held_len(),
                dead_letters: store.dead(None)?.len(),
                feeds: store.feed_states().count(),
                failing_feeds: store
                    .feed_states()
                    .filter_map(Result::ok)
                    .filter(|(_, s)| s.consecutive_errors > 0)
                    .count(),
                bytes_on_disk: store.size_on_disk()?,
            };
            serde_json::to_writer(&mut *out, &stats)?;
            out.write_all(b"\n")?;
            Ok(())
        }
        Request::Replay { sink } => {
            let replayed = store.replay(sink.as_deref())?;
            writeln!(out, "{replayed} dead letters queued again")?;
            Ok(())
        }
    }
}

/// Every polled feed's health, in URL order (`wirewatch feeds`, `/feeds`).
pub fn feed_health(store: &Store) -> Result<Vec<FeedHealth>, StoreError> {
    let now = crate::model::unix_now();
    store
        .feed_states()
        .map(|entry| {
            let (url, state) = entry?;
            Ok(FeedHealth {
                url,
                last_success: state.last_success.clone(),
                last_error: state.last_error.clone(),
                last_error_kind: state.last_error_kind.clone(),
                consecutive_errors: state.consecutive_errors,
                items_per_day: state.items_per_day(now),
                next_poll_in_secs: state.next_poll.map(|t| t.saturating_sub(now)),
                moved_to: state.moved_to.clone(),
                silent_since: silent_since(&state),
            })
        })
        .collect()
}

/// A feed is silent while no item arrived after the one its silence was
/// reported for.
fn silent_since(state: &crate::store::FeedState) -> Option<String> {
    let reported = state.silence_reported?;
    let newest = state.arrivals.iter().max().copied().unwrap_or(0);
    (newest <= reported).then(|| crate::model::secs_rfc3339(reported))
}

fn json_lines<T: serde::Serialize>(
    records: impl Iterator<Item = Result<T, StoreError>>,
    out: &mut impl Write,
) -> Result<(), ControlError> {
    for record in records {
        serde_json::to_writer(&mut *out, &record?)?;
        out.write_all(b"\n")?;
    }
    Ok(())
}

/// The daemon's answer, or None when no daemon listens.
#[cfg(unix)]
async fn ask_daemon(socket: &Path, request: &Request) -> Option<Vec<u8>> {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut stream = tokio::net::UnixStream::connect(socket).await.ok()?;
    let line = format!("{}\n", request.line());
    stream.write_all(line.as_bytes()).await.ok()?;
    let mut bytes = Vec::new();
    stream.read_to_end(&mut bytes).await.ok()?;
    Some(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_round_trip_through_their_line() {
        for request in [
            Request::Export,
            Request::Alerts,
            Request::DeadLetters,
            Request::Feeds,
            Request::Replay { sink: None },
            Request::Replay {
                sink: Some("hook".into()),
            },
        ] {
            assert_eq!(Request::parse(&request.line()).unwrap(), request);
        }
        assert!(Request::parse("drop tables").is_err());
    }

    #[test]
    fn a_feed_is_silent_until_a_new_item_arrives() {
        let mut state = crate::store::FeedState {
            arrivals: vec![50, 100],
            silence_reported: Some(100),
            ..Default::default()
        };
        assert_eq!(silent_since(&state), Some(crate::model::secs_rfc3339(100)));
        state.arrivals.push(200);
        assert_eq!(silent_since(&state), None);
    }
}
