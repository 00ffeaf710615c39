//! The `wirewatch` command line: parses arguments, sets up logging, runs a
//! library entry point and turns its outcome into an exit code.

mod cli;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use clap::{CommandFactory, Parser, Subcommand};
use wirewatch::config::Config;
use wirewatch::control::{self, Request};
use wirewatch::model::{GroupId, StoryId};
use wirewatch::telemetry::{self, LogFormat};

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
    #[command(after_help = "Examples:\n  \
        wirewatch export --config wirewatch.toml > all.jsonl\n  \
        wirewatch export --config wirewatch.toml --since 1d --feed https://example.org/rss.xml\n  \
        wirewatch export --config wirewatch.toml --topic dprk-us --since 7d\n  \
        wirewatch export --config wirewatch.toml --group g65df23c5546d843f")]
    Export {
        #[arg(long, short)]
        config: PathBuf,
        /// JSON lines (the only format for now).
        #[arg(long, default_value_t = true)]
        jsonl: bool,
        /// Only articles first seen within this long (e.g. 12h, 7d).
        #[arg(long)]
        since: Option<humantime::Duration>,
        /// Only articles of this feed (its URL as configured).
        #[arg(long)]
        feed: Option<String>,
        /// Only articles that this configured topic's query matches.
        #[arg(long)]
        topic: Option<String>,
        /// Only copies in this duplicate group (its id, as alerts carry it).
        #[arg(long)]
        group: Option<GroupId>,
        /// Only articles of this story (its id, as alerts carry it).
        #[arg(long)]
        story: Option<StoryId>,
    },
    /// Extract articles from HTML files (or stdin) with no network and no database.
    #[command(after_help = "Examples:\n  \
        wirewatch extract page1.html page2.html > articles.jsonl\n  \
        curl -s https://example.com/story | wirewatch extract --format text\n  \
        wirewatch extract --bench --reps 3 pages/*.html")]
    Extract {
        /// HTML files; stdin when none is given.
        files: Vec<PathBuf>,
        #[arg(long, value_enum, default_value = "json")]
        format: cli::extract::Format,
        /// Print extraction speed (pages/s) beside the bare HTML parse instead of articles.
        #[arg(long)]
        bench: bool,
        /// Rounds over the files in --bench mode.
        #[arg(long, default_value_t = 3, requires = "bench")]
        reps: usize,
    },
    /// Parse feed files (or live feed URLs) and print what wirewatch reads
    /// from each: one JSON line per input, in order.
    #[command(
        after_help = "Output, one per line: {\"file\", \"ok\", \"error\" (when not ok), \"title\", \"skipped\",\n\
        \"entries\": [{\"id\", \"link\", \"title\", \"published\", \"updated\"}]}, dates RFC 3339 or null\n\n\
        Examples:\n  \
        wirewatch parse feed.xml\n  \
        wirewatch parse https://example.org/rss.xml | jq '.entries[].title'\n  \
        wirewatch parse --base https://example.org/rss.xml saved/*.xml"
    )]
    Parse {
        /// Feed files, or http(s) URLs to fetch.
        #[arg(required = true)]
        inputs: Vec<String>,
        /// The URL relative links resolve against (default: the file's own
        /// path, or the URL the feed was fetched from).
        #[arg(long)]
        base: Option<url::Url>,
    },
    /// Group articles read as JSON lines on stdin into duplicate groups and stories.
    #[command(
        after_help = "Input, one per line: {\"id\", \"title\", \"text\"} (optional \"at\", unix seconds)\n\
        Output, one per line: {\"id\", \"group\", \"story\"} (and \"score\" for a copy)\n\n\
        Example:\n  wirewatch dedupe --jsonl < articles.jsonl > groups.jsonl"
    )]
    Dedupe {
        /// JSON lines in and out (the only format).
        #[arg(long, default_value_t = true)]
        jsonl: bool,
        /// Copies first seen longer ago than this no longer attract new members.
        #[arg(long, default_value = "3d")]
        window: humantime::Duration,
    },
    /// Each feed's health (last success, last error and its kind, items per
    /// day, next poll); or the feed list to and from OPML.
    #[command(
        args_conflicts_with_subcommands = true,
        after_help = "Examples:\n  \
        wirewatch feeds --config wirewatch.toml\n  \
        wirewatch feeds --config wirewatch.toml --jsonl | jq 'select(.consecutive_errors > 0)'\n  \
        wirewatch feeds import subscriptions.opml >> wirewatch.toml\n  \
        wirewatch feeds export --config wirewatch.toml > feeds.opml"
    )]
    Feeds {
        #[command(subcommand)]
        action: Option<FeedsAction>,
        #[arg(long, short)]
        config: Option<PathBuf>,
        /// JSON lines instead of a table.
        #[arg(long)]
        jsonl: bool,
    },
    /// Alerts raised so far, dead letters, and bringing dead letters back.
    #[command(subcommand)]
    Alerts(AlertsCommand),
    /// Match topics without the daemon, or backtest one against stored articles.
    #[command(subcommand)]
    Topics(TopicsCommand),
    /// Run the daemon against built-in seed articles served on loopback.
    Demo,
    /// Search the stored articles with the topic query language.
    #[command(after_help = "Examples:\n  \
        wirewatch search --config wirewatch.toml '\"Kim Jong Un\" AND (Trump OR summit)'\n  \
        wirewatch search --config wirewatch.toml --since 2d --feed https://example.org/rss.xml 'title:ceasefire'")]
    Search {
        #[arg(long, short)]
        config: PathBuf,
        /// A query: words, "phrases", AND/OR/NOT, NEAR/n, prefix*, title:, site:, feed:, lang:.
        query: String,
        /// Only articles first seen within this long (e.g. 12h, 7d).
        #[arg(long, default_value = "30d")]
        since: humantime::Duration,
        /// Only articles of this feed (its URL as configured).
        #[arg(long)]
        feed: Option<String>,
    },
    /// What the database holds: articles, groups, alerts, queues, feeds, size.
    #[command(after_help = "Example:\n  wirewatch stats --config wirewatch.toml")]
    Stats {
        #[arg(long, short)]
        config: PathBuf,
        /// One JSON object instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// Print a shell completion script.
    #[command(
        after_help = "Example:\n  wirewatch completions bash > /etc/bash_completion.d/wirewatch"
    )]
    Completions { shell: clap_complete::Shell },
    /// Print the manual page (roff).
    #[command(after_help = "Example:\n  wirewatch man > /usr/local/share/man/man1/wirewatch.1")]
    Man,
    /// Ask a running daemon's admin endpoint whether it is alive; exits 0 on a 200.
    #[command(after_help = "Examples:\n  \
        wirewatch healthcheck                       # /healthz on 127.0.0.1:9187\n  \
        wirewatch healthcheck --ready --admin 10.0.0.5:9187")]
    Healthcheck {
        /// The admin endpoint's address (`[admin] listen`).
        #[arg(long, default_value = "127.0.0.1:9187")]
        admin: std::net::SocketAddr,
        /// Ask /readyz (can it do its work) instead of /healthz (is it alive).
        #[arg(long)]
        ready: bool,
    },
}

#[derive(Subcommand)]
enum FeedsAction {
    /// Print an OPML file's feeds as [[feed]] tables to add to the config.
    Import { file: PathBuf },
    /// Print the config's [[feed]]s as an OPML 2.0 document.
    Export {
        #[arg(long, short)]
        config: PathBuf,
    },
}

#[derive(Subcommand)]
enum TopicsCommand {
    /// Match articles read as JSON lines on stdin against a topic file.
    #[command(
        after_help = "Input, one per line: {\"id\", \"title\", \"text\"} (optional \"site\", \"feed\", \"lang\")\n\
        Output, one per line: {\"id\", \"topics\": [names]}\n\n\
        Example:\n  wirewatch topics match --topics topics.toml < articles.jsonl"
    )]
    Match {
        /// A file of [[topic]] tables.
        #[arg(long)]
        topics: PathBuf,
    },
    /// Backtest a configured topic, or a query, against the stored articles.
    #[command(after_help = "Examples:\n  \
        wirewatch topics test --config wirewatch.toml --topic dprk-us --since 7d\n  \
        wirewatch topics test --config wirewatch.toml --query '\"Kim Jong Un\" NEAR/5 Trump'")]
    Test {
        #[arg(long, short)]
        config: PathBuf,
        /// A topic of the configuration.
        #[arg(long, conflicts_with = "query", required_unless_present = "query")]
        topic: Option<String>,
        /// A query to try instead.
        #[arg(long)]
        query: Option<String>,
        /// Only articles first seen this recently.
        #[arg(long, default_value = "7d")]
        since: humantime::Duration,
    },
}

#[derive(Subcommand)]
enum AlertsCommand {
    /// Print every alert raised (or, with --dead, every dead letter) as JSON lines.
    #[command(after_help = "Examples:\n  \
        wirewatch alerts list --config wirewatch.toml\n  \
        wirewatch alerts list --dead --config wirewatch.toml | jq .last_error")]
    List {
        #[arg(long, short)]
        config: PathBuf,
        /// Deliveries that ran out of retries instead of raised alerts.
        #[arg(long)]
        dead: bool,
    },
    /// Queue dead letters again (all sinks', or one sink's), with a fresh retry budget.
    #[command(
        after_help = "Example:\n  wirewatch alerts replay --config wirewatch.toml --sink newsroom-hook"
    )]
    Replay {
        #[arg(long, short)]
        config: PathBuf,
        /// Only this sink's dead letters.
        #[arg(long)]
        sink: Option<String>,
    },
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
            runtime()?.block_on(async {
                let shutdown = shutdown_signal();
                wirewatch::run(config, shutdown).await
            })?;
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
        Command::Export {
            config,
            jsonl: _,
            since: None,
            feed: None,
            topic: None,
            group: None,
            story: None,
        } => control_command(&config, &Request::Export)?,
        Command::Export {
            config,
            jsonl: _,
            since,
            feed,
            topic,
            group,
            story,
        } => {
            let config = load(&config)?;
            let filter = cli::export::Filter {
                since: since.map(Into::into),
                feed,
                group,
                story,
                topic,
            };
            runtime()?.block_on(cli::export::filtered(&config, &filter))?;
        }
        Command::Dedupe { jsonl: _, window } => cli::dedupe::run(window.as_secs())?,
        Command::Feeds {
            action: Some(FeedsAction::Import { file }),
            ..
        } => cli::opml::import(&file)?,
        Command::Feeds {
            action: Some(FeedsAction::Export { config }),
            ..
        } => cli::opml::export(&load(&config)?)?,
        Command::Feeds {
            action: None,
            config,
            jsonl,
        } => {
            let config =
                load(&config.context("give --config FILE (or `feeds import`/`feeds export`)")?)?;
            runtime()?.block_on(cli::feeds::health(&config, jsonl))?;
        }
        Command::Topics(TopicsCommand::Match { topics }) => cli::topics::match_stdin(&topics)?,
        Command::Topics(TopicsCommand::Test {
            config,
            topic,
            query,
            since,
        }) => {
            let config = load(&config)?;
            let subject = match (topic, query) {
                (Some(name), _) => cli::topics::Subject::Topic(name),
                (None, Some(query)) => cli::topics::Subject::Query(query),
                (None, None) => anyhow::bail!("give --topic NAME or --query QUERY"),
            };
            runtime()?.block_on(cli::topics::test(&config, subject, since.into()))?;
        }
        Command::Alerts(AlertsCommand::List { config, dead }) => {
            let request = if dead {
                Request::DeadLetters
            } else {
                Request::Alerts
            };
            control_command(&config, &request)?;
        }
        Command::Alerts(AlertsCommand::Replay { config, sink }) => {
            control_command(&config, &Request::Replay { sink })?;
        }
        Command::Extract {
            files,
            format,
            bench,
            reps,
        } => {
            if bench {
                cli::extract::bench(&files, reps)?
            } else {
                cli::extract::run(&files, format)?
            }
        }
        Command::Parse { inputs, base } => {
            runtime()?.block_on(cli::parse::run(&inputs, base.as_ref()))?;
        }
        Command::Search {
            config,
            query,
            since,
            feed,
        } => {
            let config = load(&config)?;
            let subject = cli::topics::Subject::Query(query);
            runtime()?.block_on(cli::topics::search(&config, subject, since.into(), feed))?;
        }
        Command::Stats { config, json } => {
            let config = load(&config)?;
            runtime()?.block_on(cli::stats::print(&config, json))?;
        }
        Command::Completions { shell } => {
            // Rendered first: the generator panics on a closed pipe.
            let mut script = Vec::new();
            clap_complete::generate(shell, &mut Cli::command(), "wirewatch", &mut script);
            std::io::stdout().write_all(&script)?;
        }
        Command::Man => {
            clap_mangen::Man::new(Cli::command()).render(&mut std::io::stdout())?;
        }
        Command::Healthcheck { admin, ready } => {
            let path = if ready { "/readyz" } else { "/healthz" };
            runtime()?.block_on(cli::healthcheck::check(admin, path))?;
        }
        Command::Demo => {
            telemetry::init(cli.log_format, "warn");
            runtime()?.block_on(cli::demo::run())?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Run a store command through the daemon (or on the store when none runs).
fn control_command(config: &Path, request: &Request) -> anyhow::Result<()> {
    let config = load(config)?;
    let stdout = std::io::stdout().lock();
    runtime()?.block_on(control::run(&config, request, stdout))?;
    Ok(())
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

/// Completes on SIGINT or SIGTERM. The handlers are installed when this is
/// called, not when the future is first polled, so that a signal sent as
/// soon as the daemon reports that it started is never fatal.
fn shutdown_signal() -> impl Future<Output = ()> {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        let term = signal(SignalKind::terminate());
        let interrupt = signal(SignalKind::interrupt());
        async move {
            match (term, interrupt) {
                (Ok(mut term), Ok(mut interrupt)) => {
                    tokio::select! {
                        _ = interrupt.recv() => {}
                        _ = term.recv() => {}
                    }
                }
                (Err(err), _) | (_, Err(err)) => {
                    tracing::warn!(error = %err, "cannot listen for SIGTERM or SIGINT; falling back to Ctrl-C only");
                    ctrl_c().await;
                }
            }
        }
    }
    #[cfg(not(unix))]
    ctrl_c()
}

async fn ctrl_c() {
    if let Err(err) = tokio::signal::ctrl_c().await {
        tracing::error!(error = %err, "cannot listen for SIGINT");
        std::future::pending::<()>().await;
    }
}
