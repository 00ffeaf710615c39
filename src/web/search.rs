//! `/search?q=`: the query playground. It runs a query of the topic
//! language against the stored articles first seen within `since` (and of
//! one feed, if chosen), exactly as `wirewatch search` does, and shows how
//! many match, the counts per day and the newest matches with their
//! matched terms highlighted, so a topic can be tried before it is written
//! into the configuration.

use std::sync::Arc;

use axum::extract::{Query, State};
use axum::response::{Html, IntoResponse, Response};
use serde::{Deserialize, Serialize};

use super::chart::{self, Chart};
use super::view::{self, SINCE_CHOICES};
use super::{Web, WebError, blocking, ser};
use crate::model::secs_rfc3339;
use crate::topics::backtest::{Backtest, Marked, snippet};
use crate::topics::{Query as TopicQuery, TopicSpec};

/// Articles read at most (the newest), which keeps the page within about
/// 50 ms; a wider search says where it stopped (`wirewatch search` has no
/// such limit).
const TESTED: usize = 6_000;
/// Matches listed at most (the newest).
const LISTED: usize = 100;
/// Longest query accepted.
const MAX_QUERY: usize = 2_000;

#[derive(Debug, Default, Deserialize)]
pub(super) struct Params {
    q: Option<String>,
    since: Option<String>,
    feed: Option<String>,
}

#[derive(Debug, Serialize)]
struct Hit {
    title: String,
    link: Option<String>,
    url: String,
    outlet: String,
    first_seen: String,
    matched: Vec<String>,
    snippet: Vec<Marked>,
    story: String,
}

#[derive(Debug, Serialize)]
struct Outcome {
    matched: usize,
    tested: usize,
    cutoff: String,
    stopped: bool,
    limit: usize,
    hits: Vec<Hit>,
    chart: Chart,
}

pub(super) async fn page(State(web): State<Arc<Web>>, Query(params): Query<Params>) -> Response {
    blocking(web, move |web| render(web, &params)).await
}

fn render(web: &Web, params: &Params) -> Result<Response, WebError> {
    let config = web.config();
    let q = params.q.clone().unwrap_or_default();
    let (since, from) = view::since(params.since.as_deref(), "24h", 366 * 86_400);
    let feed = params.feed.clone().filter(|f| !f.is_empty());
    let (outcome, error) = match q.trim() {
        "" => (None, None),
        _ if q.len() > MAX_QUERY => (
            None,
            Some(format!("the query is longer than {MAX_QUERY} characters")),
        ),
        text => match TopicQuery::parse(text) {
            Ok(query) => (
                Some(run(
                    web,
                    &TopicSpec::new("query", query),
                    from,
                    feed.clone(),
                )?),
                None,
            ),
            Err(err) => (None, Some(format!("bad query: {err}"))),
        },
    };
    let feeds: Vec<(String, String)> = super::ops::feed_urls(&web.store)?
        .into_iter()
        .map(|url| (view::outlet(&config, &url), url))
        .collect();
    let body = web.render(
        "search.html",
        minijinja::context! {
            page => "search", q, since, since_choices => SINCE_CHOICES, feed, feeds, outcome => ser(&outcome), error,
        },
    )?;
    Ok(Html(body).into_response())
}

fn run(web: &Web, spec: &TopicSpec, from: u64, feed: Option<String>) -> Result<Outcome, WebError> {
    let config = web.config();
    let cutoff = secs_rfc3339(from);
    let mut backtest = Backtest::new(cutoff.clone(), feed);
    let mut hits = Vec::new();
    let mut read = 0;
    for article in web.store.articles_since(from) {
        let article = article?;
        read += 1;
        if read > TESTED {
            break;
        }
        let Some(terms) = backtest.test(spec, &article) else {
            continue;
        };
        if hits.len() < LISTED {
            hits.push(Hit {
                snippet: snippet(&article.text, &terms),
                matched: terms,
                link: view::link(&article.url),
                outlet: view::outlet_named(&config, &article.feed, article.feed_name.as_deref()),
                first_seen: view::when(&article.first_seen),
                story: article.story.to_string(),
                title: article.title,
                url: article.url,
            });
        }
    }
    let days = (crate::model::unix_now().saturating_sub(from) / 86_400 + 1).clamp(7, 60);
    Ok(Outcome {
        matched: backtest.matched,
        tested: backtest.tested,
        cutoff,
        stopped: read > TESTED,
        limit: TESTED,
        chart: chart::daily(&backtest.per_day, days),
        hits,
    })
}
