//! `wirewatch topics match`: matches articles read as JSON lines against a
//! topic file, with no daemon; `wirewatch topics test`: backtests one topic
//! (or a query) against the stored articles, with the matched terms
//! highlighted and counts per day.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;
use std::time::{Duration, SystemTime};

use anyhow::Context;
use wirewatch::config::{self, Config};
use wirewatch::control::{self, Request};
use wirewatch::model::Article;
use wirewatch::topics::{Document, Query, TopicSet, TopicSpec};

#[derive(serde::Deserialize)]
struct Input {
    id: serde_json::Value,
    #[serde(default)]
    title: String,
    #[serde(default)]
    text: String,
    site: Option<String>,
    feed: Option<String>,
    lang: Option<String>,
}

/// Match every stdin article against the topics of `file`.
pub fn match_stdin(file: &Path) -> anyhow::Result<()> {
    let topics = config::load_topic_file(file)?;
    let set = TopicSet::from_specs(topics.into_iter().map(|t| t.into_spec()).collect());
    let mut matcher = set.matcher();
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    super::jsonl::each_stdin_line(r#"{"id", "title", "text"}"#, |_, input: Input| {
        let mut doc = Document::new(&input.title, &input.text);
        if let Some(site) = &input.site {
            doc = doc.with_site(site);
        }
        if let Some(feed) = &input.feed {
            doc = doc.with_feed(feed);
        }
        if let Some(lang) = &input.lang {
            doc = doc.with_lang(lang);
        }
        let names: Vec<&str> = matcher.matches(&doc).iter().map(|m| m.topic()).collect();
        serde_json::to_writer(
            &mut out,
            &serde_json::json!({"id": input.id, "topics": names}),
        )?;
        Ok(out.write_all(b"\n")?)
    })?;
    out.flush().context("writing stdout")
}

/// What `topics test` tries.
pub enum Subject {
    Topic(String),
    Query(String),
}

/// Backtest a topic or query against the articles stored by `config`'s
/// daemon (through it when it runs) first seen within `since`.
pub async fn test(config: &Config, subject: Subject, since: Duration) -> anyhow::Result<()> {
    search(config, subject, since, None).await
}

/// [`test`], limited to the articles of one feed when `feed` is given.
pub async fn search(
    config: &Config,
    subject: Subject,
    since: Duration,
    feed: Option<String>,
) -> anyhow::Result<()> {
    let spec = match subject {
        Subject::Topic(name) => configured(config, &name)?,
        Subject::Query(query) => {
            let parsed = Query::parse(&query).map_err(|e| anyhow::anyhow!("bad query: {e}"))?;
            TopicSpec::new("query", parsed)
        }
    };
    let mut raw = Vec::new();
    control::run(config, &Request::Export, &mut raw).await?;
    let cutoff = humantime::format_rfc3339_seconds(SystemTime::now() - since).to_string();
    let mut per_day: BTreeMap<String, usize> = BTreeMap::new();
    let (mut tested, mut matched) = (0, 0);
    let mut out = std::io::stdout().lock();
    let text = String::from_utf8_lossy(&raw);
    let bar = super::progress(text.lines().count(), "searching");
    for line in text.lines() {
        bar.inc(1);
        let article: Article = serde_json::from_str(line).context("reading a stored article")?;
        if article.first_seen < cutoff || feed.as_ref().is_some_and(|f| *f != article.feed) {
            continue;
        }
        tested += 1;
        let Some(terms) = spec.matches(&Document::of_article(&article)) else {
            continue;
        };
        matched += 1;
        *per_day
            .entry(article.first_seen.chars().take(10).collect())
            .or_default() += 1;
        // Printed with the bar lifted, so that it is not torn apart.
        bar.suspend(|| {
            writeln!(
                out,
                "{}  {}\n  {}\n  matched: {}\n  {}\n",
                &article.first_seen[..10.min(article.first_seen.len())],
                article.title,
                article.url,
                terms.join(", "),
                highlight(&article.text, &terms)
            )
        })?;
    }
    bar.finish_and_clear();
    writeln!(out, "{matched} of {tested} articles since {cutoff} match")?;
    for (day, n) in per_day {
        writeln!(out, "  {day}  {n:>5}  {}", "█".repeat(n.min(60)))?;
    }
    Ok(())
}

/// The matcher of the topic named `name` in `config`.
pub fn configured(config: &Config, name: &str) -> anyhow::Result<TopicSpec> {
    config
        .topics
        .iter()
        .find(|t| t.name == name)
        .map(|t| t.spec())
        .with_context(|| format!("no topic named `{name}` in {}", config.path.display()))
}

/// The sentence around the first matched term, with every term of the
/// query marked `[[like this]]` (case-insensitively, as words appear).
fn highlight(text: &str, terms: &[String]) -> String {
    let words: Vec<String> = terms
        .iter()
        .flat_map(|t| {
            t.trim_matches('"')
                .split_whitespace()
                .map(str::to_lowercase)
                .collect::<Vec<_>>()
        })
        .map(|w| {
            w.trim_end_matches('*')
                .trim_start_matches("title:")
                .to_string()
        })
        .filter(|w| !w.is_empty())
        .collect();
    let flat: Vec<&str> = text.split_whitespace().collect();
    let first = flat
        .iter()
        .position(|w| words.iter().any(|t| w.to_lowercase().contains(t.as_str())))
        .unwrap_or(0);
    let start = first.saturating_sub(12);
    let shown: Vec<String> = flat[start..(first + 18).min(flat.len())]
        .iter()
        .map(|w| {
            let lower = w.to_lowercase();
            if words.iter().any(|t| lower.contains(t.as_str())) {
                format!("[[{w}]]")
            } else {
                w.to_string()
            }
        })
        .collect();
    format!("…{}…", shown.join(" "))
}
