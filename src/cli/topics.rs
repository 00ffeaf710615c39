//! `wirewatch topics match`: matches articles read as JSON lines against a
//! topic file, with no daemon; `wirewatch topics test`: backtests one topic
//! (or a query) against the stored articles, with the matched terms
//! highlighted and counts per day.

use std::io::Write;
use std::path::Path;
use std::time::{Duration, SystemTime};

use anyhow::Context;
use wirewatch::config::{self, Config};
use wirewatch::control::{self, Request};
use wirewatch::model::Article;
use wirewatch::topics::backtest::{Backtest, day, snippet};
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
    let mut backtest = Backtest::new(cutoff.clone(), feed);
    let mut out = std::io::stdout().lock();
    let text = String::from_utf8_lossy(&raw);
    let bar = super::progress(text.lines().count(), "searching");
    for line in text.lines() {
        bar.inc(1);
        let article: Article = serde_json::from_str(line).context("reading a stored article")?;
        let Some(terms) = backtest.test(&spec, &article) else {
            continue;
        };
        // Printed with the bar lifted, so that it is not torn apart.
        bar.suspend(|| {
            writeln!(
                out,
                "{}  {}\n  {}\n  matched: {}\n  {}\n",
                day(&article.first_seen),
                highlight(&article.title, &terms),
                article.url,
                terms.join(", "),
                highlight(&article.text, &terms)
            )
        })?;
    }
    bar.finish_and_clear();
    writeln!(
        out,
        "{} of {} articles since {cutoff} match",
        backtest.matched, backtest.tested
    )?;
    for (day, n) in backtest.per_day {
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

/// The passage around the first matched term (see `backtest::snippet`),
/// with every matched term marked `[[like this]]`.
fn highlight(text: &str, terms: &[String]) -> String {
    snippet(text, terms)
        .into_iter()
        .map(|m| match m.hit {
            true => format!("[[{}]]", m.text),
            false => m.text,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::highlight;

    fn terms(list: &[&str]) -> Vec<String> {
        list.iter().map(|t| t.to_string()).collect()
    }

    #[test]
    fn marks_terms_in_any_script() {
        assert_eq!(
            highlight("今天北京下雨了。", &terms(&["北京"])),
            "今天[[北京]]下雨了。"
        );
        assert_eq!(
            highlight(
                "Kim Jong-un met  Dräger.",
                &terms(&["\"Kim Jong Un\"", "Drager"])
            ),
            "[[Kim Jong-un]] met [[Dräger]]."
        );
    }

    #[test]
    fn long_text_is_cut_around_the_first_match() {
        let text = format!("{} needle {}", "word ".repeat(100), "tail ".repeat(100));
        let shown = highlight(&text, &terms(&["needle"]));
        assert!(
            shown.starts_with("…word") && shown.ends_with("tail…"),
            "{shown}"
        );
        assert!(shown.contains("[[needle]]"), "{shown}");
        assert!(shown.chars().count() < 300, "{shown}");
    }
}
