//! `/topics/<name>.atom`: a topic's alerts as an Atom 1.0 feed (RFC 4287),
//! so that a topic can be followed in any feed reader. Each entry is one
//! alert: its id (as a URN), the article's title and link, the time it was
//! raised and its snippet.

use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use super::view;
use super::{Web, WebError};
use crate::config::TopicConfig;
use crate::model::now_rfc3339;

/// Entries in the feed at most (the newest).
const ENTRIES: usize = 100;

#[derive(Debug, Serialize)]
struct Entry {
    id: String,
    title: String,
    link: Option<String>,
    updated: String,
    summary: String,
    story: String,
}

pub(super) fn atom(
    web: &Web,
    topic: &TopicConfig,
    headers: &HeaderMap,
) -> Result<Response, WebError> {
    let alerts = super::topics::newest_first(web, &topic.name)?;
    let base = format!("http://{}", host(headers));
    let name = url::form_urlencoded::byte_serialize(topic.name.as_bytes()).collect::<String>();
    let entries: Vec<Entry> = alerts
        .iter()
        .take(ENTRIES)
        .map(|a| Entry {
            id: a.id.0.clone(),
            title: a.title.clone(),
            link: view::link(&a.url),
            updated: a.raised_at.clone(),
            summary: a.snippet.clone(),
            story: a.story.to_string(),
        })
        .collect();
    let updated = alerts
        .first()
        .map_or_else(now_rfc3339, |a| a.raised_at.clone());
    let body = web.render(
        "topic.atom.xml",
        minijinja::context! { topic => topic.name.clone(), name, base, entries => super::ser(&entries), updated },
    )?;
    let mut response = body.into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/atom+xml; charset=utf-8"),
    );
    Ok(response)
}

/// The host the request named, for the feed's absolute self link; only
/// characters a host and port can hold.
fn host(headers: &HeaderMap) -> String {
    let named = headers
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("localhost");
    let clean = named
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']'));
    match clean && !named.is_empty() {
        true => named.to_string(),
        false => "localhost".to_string(),
    }
}
