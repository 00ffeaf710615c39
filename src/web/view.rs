//! What the templates share: the template set, compiled in, and the small
//! conversions from stored values to what a page shows (links, times,
//! outlet names).

use minijinja::Environment;

use crate::config::Config;
use crate::model::{rfc3339_secs, unix_now};

/// Every template; names ending in `.html` or `.xml` are auto-escaped.
pub(super) fn templates() -> Environment<'static> {
    let mut env = Environment::new();
    let sources = [
        ("base.html", include_str!("templates/base.html")),
        ("now.html", include_str!("templates/now.html")),
        ("story.html", include_str!("templates/story.html")),
        ("topics.html", include_str!("templates/topics.html")),
        ("topic.html", include_str!("templates/topic.html")),
        ("search.html", include_str!("templates/search.html")),
        ("feeds.html", include_str!("templates/feeds.html")),
        ("deliveries.html", include_str!("templates/deliveries.html")),
        ("error.html", include_str!("templates/error.html")),
        ("chart.html", include_str!("templates/chart.html")),
        ("topic.atom.xml", include_str!("templates/topic.atom.xml")),
    ];
    for (name, source) in sources {
        if let Err(err) = env.add_template(name, source) {
            // A broken template is a build defect; the page answers with an error.
            tracing::error!(template = name, error = %err, "template does not compile");
        }
    }
    env
}

/// `url` when it is an http(s) URL, the only kind that becomes a link
/// (a `javascript:` or `data:` URL from a hostile feed stays text).
pub(super) fn link(url: &str) -> Option<String> {
    let parsed = url::Url::parse(url).ok()?;
    matches!(parsed.scheme(), "http" | "https").then(|| parsed.to_string())
}

/// An RFC 3339 time as `YYYY-MM-DD HH:MM` (UTC).
pub(super) fn when(time: &str) -> String {
    let shown: String = time.chars().take(16).collect();
    shown.replace('T', " ")
}

/// How long ago an RFC 3339 time was, roughly (`5 min ago`).
pub(super) fn ago(time: &str) -> String {
    let Some(at) = rfc3339_secs(time) else {
        return String::new();
    };
    let secs = unix_now().saturating_sub(at);
    match secs {
        0..60 => "just now".into(),
        60..3600 => format!("{} min ago", secs / 60),
        3600..86_400 => format!("{} h ago", secs / 3600),
        _ => format!("{} d ago", secs / 86_400),
    }
}

/// A feed's display name: its configured name, else its host.
pub(super) fn outlet(config: &Config, feed: &str) -> String {
    config
        .feeds
        .iter()
        .find(|f| f.url.as_str() == feed)
        .and_then(|f| f.name.clone())
        .or_else(|| host_and_section(feed))
        .unwrap_or_else(|| feed.to_string())
}

/// The name an article's feed goes by: the one stored with the article
/// (from the config or the OPML outline), else as [`outlet`] finds it.
pub(super) fn outlet_named(config: &Config, feed: &str, stored: Option<&str>) -> String {
    match stored.map(str::trim).filter(|n| !n.is_empty()) {
        Some(name) => name.to_string(),
        None => outlet(config, feed),
    }
}

/// `host/first-path-segment` of a feed URL (`127.0.0.1/wire`,
/// `example.org/world`), or its host alone.
fn host_and_section(feed: &str) -> Option<String> {
    let url = url::Url::parse(feed).ok()?;
    let host = url.host_str()?.trim_start_matches("www.");
    let section = url
        .path_segments()
        .and_then(|mut s| s.next())
        .unwrap_or_default();
    let is_file = section.contains('.');
    Some(match section.is_empty() || is_file {
        true => host.to_string(),
        false => format!("{host}/{section}"),
    })
}

/// Unix seconds of "this long ago", from a `since` parameter such as
/// `24h` or `7d` (default `fallback`), capped at `cap`.
pub(super) fn since(value: Option<&str>, fallback: &str, cap: u64) -> (String, u64) {
    let parsed = value.and_then(|v| humantime::parse_duration(v).ok());
    let (text, span) = match parsed {
        Some(d) if d.as_secs() > 0 => (value.unwrap_or(fallback).to_string(), d.as_secs()),
        _ => (
            fallback.to_string(),
            humantime::parse_duration(fallback).map_or(86_400, |d| d.as_secs()),
        ),
    };
    (text, unix_now().saturating_sub(span.min(cap)))
}

/// The choices offered for `since`.
pub(super) const SINCE_CHOICES: [&str; 5] = ["6h", "24h", "3d", "7d", "30d"];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_http_urls_become_links() {
        assert_eq!(
            link("https://a.example/x?y=1").as_deref(),
            Some("https://a.example/x?y=1")
        );
        assert_eq!(link("javascript:alert(1)"), None);
        assert_eq!(link(" JaVaScRiPt:alert(1)"), None);
        assert_eq!(link("data:text/html,<script>"), None);
        assert_eq!(link("/relative"), None);
    }
}
