//! `/topics`: every configured topic with its query, its alerts and a
//! 30-day chart; `/topics/<name>`: one topic's alerts, newest first, a page
//! at a time; `/topics/<name>.atom`: the same alerts as an Atom feed.

use std::collections::BTreeMap;
use std::sync::Arc;

use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::response::{Html, IntoResponse, Response};
use serde::{Deserialize, Serialize};

use super::chart::{self, Chart};
use super::view;
use super::{Web, WebError, blocking, ser};
use crate::config::{Per, TopicConfig};
use crate::model::Alert;
use crate::topics::backtest::day;

/// Alerts per page.
const PAGE: usize = 50;
/// Days the charts cover.
const DAYS: u64 = 30;

#[derive(Debug, Serialize)]
struct TopicRow {
    name: String,
    query: String,
    per: &'static str,
    sinks: String,
    digest: Option<String>,
    alerts: usize,
    last: String,
    chart: Chart,
}

#[derive(Debug, Serialize)]
struct AlertRow {
    id: String,
    title: String,
    link: Option<String>,
    url: String,
    outlet: String,
    raised: String,
    ago: String,
    snippet: String,
    matched: Vec<String>,
    story: String,
}

#[derive(Debug, Default, Deserialize)]
pub(super) struct Params {
    page: Option<usize>,
}

/// The query as written, or the weighted terms' summary.
fn query_text(topic: &TopicConfig) -> String {
    match (&topic.query_text, &topic.weighted) {
        (Some(q), _) => q.clone(),
        (None, Some(w)) => format!("{} weighted terms, threshold {}", w.len(), w.threshold()),
        (None, None) => String::new(),
    }
}

/// A topic's alerts, newest first.
pub(super) fn newest_first(web: &Web, topic: &str) -> Result<Vec<Alert>, WebError> {
    let mut alerts = web.store.alerts_of(topic)?;
    alerts.sort_by(|a, b| b.raised_at.cmp(&a.raised_at).then_with(|| a.id.cmp(&b.id)));
    Ok(alerts)
}

fn per_day(alerts: &[Alert]) -> BTreeMap<String, usize> {
    let mut days = BTreeMap::new();
    for alert in alerts {
        *days.entry(day(&alert.raised_at)).or_default() += 1;
    }
    days
}

fn row(web: &Web, topic: &TopicConfig, all_sinks: &[String]) -> Result<TopicRow, WebError> {
    let alerts = newest_first(web, &topic.name)?;
    Ok(TopicRow {
        name: topic.name.clone(),
        query: query_text(topic),
        per: match topic.per.unwrap_or(web.config().alerts.per) {
            Per::Group => "group",
            Per::Story => "story",
        },
        sinks: topic
            .sinks
            .clone()
            .unwrap_or_else(|| all_sinks.to_vec())
            .join(", "),
        digest: topic
            .digest
            .map(|d| humantime::format_duration(d).to_string()),
        alerts: alerts.len(),
        last: alerts
            .first()
            .map(|a| view::ago(&a.raised_at))
            .unwrap_or_default(),
        chart: chart::daily(&per_day(&alerts), DAYS),
    })
}

pub(super) async fn list(State(web): State<Arc<Web>>) -> Response {
    blocking(web, |web| {
        let config = web.config();
        let sinks: Vec<String> = config.sinks.iter().map(|s| s.name.clone()).collect();
        let rows = config
            .topics
            .iter()
            .map(|t| row(web, t, &sinks))
            .collect::<Result<Vec<_>, _>>()?;
        let body = web.render(
            "topics.html",
            minijinja::context! { page => "topics", rows => ser(&rows) },
        )?;
        Ok(Html(body).into_response())
    })
    .await
}

pub(super) async fn page(
    State(web): State<Arc<Web>>,
    Path(name): Path<String>,
    Query(params): Query<Params>,
    headers: HeaderMap,
) -> Response {
    blocking(web, move |web| {
        let config = web.config();
        let known = |n: &str| config.topics.iter().find(|t| t.name == n).cloned();
        if let Some(topic) = known(&name) {
            return one(web, &topic, params.page.unwrap_or(1));
        }
        match name.strip_suffix(".atom").and_then(known) {
            Some(topic) => super::feed::atom(web, &topic, &headers),
            None => Err(WebError::NotFound(format!("topic {name}"))),
        }
    })
    .await
}

fn one(web: &Web, topic: &TopicConfig, page: usize) -> Result<Response, WebError> {
    let config = web.config();
    let sinks: Vec<String> = config.sinks.iter().map(|s| s.name.clone()).collect();
    let summary = row(web, topic, &sinks)?;
    let alerts = newest_first(web, &topic.name)?;
    let pages = alerts.len().div_ceil(PAGE).max(1);
    let page = page.clamp(1, pages);
    let shown: Vec<AlertRow> = alerts
        .iter()
        .skip((page - 1) * PAGE)
        .take(PAGE)
        .map(|a| AlertRow {
            id: a.id.0.clone(),
            title: a.title.clone(),
            link: view::link(&a.url),
            url: a.url.clone(),
            outlet: view::outlet(&config, &a.feed),
            raised: view::when(&a.raised_at),
            ago: view::ago(&a.raised_at),
            snippet: a.snippet.clone(),
            matched: a.matched.clone(),
            story: a.story.to_string(),
        })
        .collect();
    let body = web.render(
        "topic.html",
        minijinja::context! { page => "topics", topic => ser(&summary), alerts => ser(&shown), at => page, pages },
    )?;
    Ok(Html(body).into_response())
}
