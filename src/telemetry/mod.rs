//! Logging set-up: structured tracing events to stderr, as text or JSON
//! lines, filtered by `RUST_LOG` or else the configured level; metrics
//! (`metrics`) and the service manager's notifications (`systemd`).

pub mod metrics;
pub mod systemd;

use tracing_subscriber::EnvFilter;

/// The output format of log events.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum LogFormat {
    Text,
    Json,
}

/// Install the global subscriber; `default_level` applies when `RUST_LOG` is unset.
pub fn init(format: LogFormat, default_level: &str) {
    let filter =
        EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(default_level));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    let installed = match format {
        LogFormat::Text => builder.try_init(),
        LogFormat::Json => builder.json().flatten_event(true).try_init(),
    };
    if let Err(err) = installed {
        eprintln!("wirewatch: logging already set up: {err}");
    }
}
