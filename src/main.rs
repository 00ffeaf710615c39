//! The `wirewatch` command line: parses arguments, sets up logging, runs a
//! library entry point and turns its outcome into an exit code.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use clap::{Parser, Subcommand};
use wirewatch::config::Config;
use wirewatch::telemetry::{self, LogFormat};
use wirewatch::{export, extract};

#[derive(Parser)]
#[command(
    name = "wirewatch",
    version,
    about = "Watch news feeds for topics; alert by webhook or log."
)]
struct Cli {
    /// Log output format.
    #[arg(long, global = true, value_enum, default_value = "text")]
    log_format: LogFormat,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run the daemon until SIGINT or SIGTERM.
    #[command(after_help = "Example:\n  wirewatch run --config /etc/wirewatch/wirewatch.toml")]
    Run {
        #[arg(long, short)]
        config: PathBuf,
    },
    /// Validate a configuration and its topic files; exits non-zero on any problem.
    Check {
        #[arg(long, short)]
        config: PathBuf,
    },
    /// Print every stored article as one JSON object per line.
    Export {
        #[arg(long, short)]
        config: PathBuf,
        /// JSON lines (the only format for now).
        #[arg(long, default_value_t = true)]
        jsonl: bool,
    },
    /// Extract articles from HTML files (or stdin) with no network and no database.
    #[command(after_help = "Example:\n  wirewatch extract page1.html page2.html > articles.jsonl")]
    Extract {
        files: Vec<PathBuf>,
        #[arg(long, value_enum, default_value = "json")]
        format: ExtractFormat,
    },
    /// Run the daemon against built-in seed articles served on loopback.
    Demo,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum ExtractFormat {
    Json,
    Text,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match execute(cli) {
        Ok(code) => code,
        Err(err) => {
            eprintln!("wirewatch: {err:#}");
            ExitCode::FAILURE
        }
    }
}

fn execute(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Command::Run { config } => {
            let config = load(&config)?;
            telemetry::init(
                cli.log_format,
                config.log_level.as_deref().unwrap_or("info"),
            );
            runtime()?.block_on(wirewatch::run(config, shutdown_signal()))?;
        }
        Command::Check { config } => {
            let config = load(&config)?;
            println!(
                "{}: ok ({} feeds, {} OPML lists, {} topics, {} sinks)",
                config.path.display(),
                config.feeds.len(),
                config.opml.len(),
                config.topics.len(),
                config.sinks.len()
            );
        }
        Command::Export { config, jsonl: _ } => {
            let config = load(&config)?;
            let stdout = std::io::stdout().lock();
            runtime()?.block_on(export::articles(&config, stdout))?;
        }
        Command::Extract { files, format } => extract_files(&files, format)?,
        Command::Demo => {
            telemetry::init(cli.log_format, "warn");
            runtime()?.block_on(wirewatch::demo::run())?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn load(path: &Path) -> anyhow::Result<Config> {
    Ok(Config::load(path)?)
}

fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("starting the async runtime")
}

/// Completes on SIGINT or SIGTERM.
async fn shutdown_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = tokio::signal::ctrl_c() => {}
                    _ = term.recv() => {}
                }
            }
            Err(err) => {
                tracing::warn!(error = %err, "cannot listen for SIGTERM; only SIGINT stops the daemon");
                ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    ctrl_c().await;
}

async fn ctrl_c() {
    if let Err(err) = tokio::signal::ctrl_c().await {
        tracing::error!(error = %err, "cannot listen for SIGINT");
        std::future::pending::<()>().await;
    }
}

fn extract_files(files: &[PathBuf], format: ExtractFormat) -> anyhow::Result<()> {
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    if files.is_empty() {
        let mut bytes = Vec::new();
        std::io::stdin()
            .read_to_end(&mut bytes)
            .context("reading stdin")?;
        write_extracted(&mut out, "stdin", &bytes, format)?;
    }
    for file in files {
        let bytes = std::fs::read(file).with_context(|| format!("reading {}", file.display()))?;
        let id = file
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        write_extracted(&mut out, &id, &bytes, format)?;
    }
    out.flush().context("writing stdout")
}

fn write_extracted(
    out: &mut impl Write,
    id: &str,
    bytes: &[u8],
    format: ExtractFormat,
) -> anyhow::Result<()> {
    let html = extract::decode_html(bytes, None);
    let article = extract::extract(&html, None);
    match format {
        ExtractFormat::Json => {
            let mut record = serde_json::to_value(&article)?;
            record["id"] = serde_json::Value::String(id.to_string());
            writeln!(out, "{record}")?;
        }
        ExtractFormat::Text => {
            writeln!(
                out,
                "# {}\n\n{}\n",
                article.meta.title.as_deref().unwrap_or(id),
                article.text
            )?;
        }
    }
    Ok(())
}
