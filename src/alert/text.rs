//! What the chat and push presets say about an event, apart from how each
//! service wants it wrapped: the articles it names, the line that heads it,
//! and cutting text to a service's limits without splitting a character.

use std::borrow::Cow;

use crate::model::{Alert, ArticleRef, Breaking, Digest, Event, Silence};

/// An article as a message names it.
#[derive(Debug, Clone, PartialEq)]
pub struct Item<'a> {
    pub title: &'a str,
    pub url: &'a str,
    /// The site's host name, without `www.`.
    pub site: String,
    pub published: Option<&'a str>,
}

impl<'a> Item<'a> {
    pub fn of_alert(alert: &'a Alert) -> Item<'a> {
        Item {
            title: title_or_url(&alert.title, &alert.url),
            url: &alert.url,
            site: site_of(&alert.url),
            published: alert.published.as_deref(),
        }
    }

    pub fn of_ref(article: &'a ArticleRef) -> Item<'a> {
        Item {
            title: title_or_url(&article.title, &article.url),
            url: &article.url,
            site: site_of(&article.url),
            published: article.published.as_deref(),
        }
    }

    /// "topic · site · published", leaving out what is unknown.
    pub fn context(&self, topic: &str) -> String {
        let mut parts = vec![topic, self.site.as_str()];
        parts.extend(self.published);
        parts.retain(|p| !p.is_empty());
        parts.join(" · ")
    }
}

fn title_or_url<'a>(title: &'a str, url: &'a str) -> &'a str {
    if title.trim().is_empty() { url } else { title }
}

/// The host of an article URL without a leading `www.`, standing for the
/// site that published it.
pub fn site_of(url: &str) -> String {
    let host = url::Url::parse(url)
        .ok()
        .and_then(|u| u.host_str().map(str::to_string))
        .unwrap_or_default();
    host.strip_prefix("www.")
        .map_or(host.clone(), str::to_string)
}

/// The opening line of a message about `event`.
pub fn headline(event: &Event) -> String {
    match event {
        Event::Alert(alert) => format!("New on {}", alert.topic),
        Event::FollowUp(follow) => {
            format!("Also reported by {}", Item::of_ref(&follow.article).site)
        }
        Event::Digest(digest) => {
            let n = digest.alerts.len();
            let stories = if n == 1 { "story" } else { "stories" };
            format!("{n} new {stories} on {}", digest.topic)
        }
        Event::Silence(silence) => format!(
            "Feed silent: {}",
            silence.feed_name.as_deref().unwrap_or(&silence.feed)
        ),
        Event::Breaking(breaking) => {
            format!("Breaking: {}", title_or_url(&breaking.title, &breaking.url))
        }
    }
}

/// A digest's stories as Markdown list items: `- [title](url) — site`.
pub fn md_digest_lines(digest: &Digest) -> Vec<String> {
    digest
        .alerts
        .iter()
        .map(|a| {
            let item = Item::of_alert(a);
            format!("- {} — {}", md_link(item.title, item.url), item.site)
        })
        .collect()
}

/// The body of a message about a breaking story.
pub fn breaking_detail(breaking: &Breaking) -> String {
    let sites: Vec<String> = breaking.feeds.iter().map(|f| site_of(f)).collect();
    let texts = match breaking.groups {
        0 | 1 => String::new(),
        n => format!(" in {n} versions"),
    };
    format!(
        "Carried by {} outlets{texts} within {}: {}",
        breaking.feeds.len(),
        humantime::format_duration(std::time::Duration::from_secs(breaking.within_secs)),
        sites.join(", ")
    )
}

/// The body of a message about a silent feed.
pub fn silence_detail(silence: &Silence) -> String {
    format!(
        "No new item since {}; it usually publishes within {}. Feed: {}",
        silence.last_item_at,
        humantime::format_duration(std::time::Duration::from_secs(silence.expected_within_secs)),
        silence.feed
    )
}

/// At most `max` characters: longer text is cut and ends with `…`.
/// Services count characters, so a cut never splits one.
pub fn truncate(text: &str, max: usize) -> Cow<'_, str> {
    if text.chars().count() <= max {
        return Cow::Borrowed(text);
    }
    let keep = max.saturating_sub(1);
    let mut cut: String = text.chars().take(keep).collect();
    if max > 0 {
        cut.push('…');
    }
    Cow::Owned(cut)
}

/// Lines joined by newlines, as many as fit in `max` characters; when some
/// do not fit, a last line says how many were left out.
pub fn fit_lines(lines: &[String], max: usize) -> String {
    let mut out = String::new();
    let mut used = 0;
    for (i, line) in lines.iter().enumerate() {
        let len = line.chars().count() + usize::from(i > 0);
        let rest = lines.len() - i - 1;
        // Keep room for the "and n more" line unless this is the last line.
        let reserve = if rest == 0 { 0 } else { 24 };
        if used + len + reserve > max {
            let more = format!("…and {} more", lines.len() - i);
            if !out.is_empty() {
                out.push('\n');
            }
            out.push_str(&more);
            return truncate(&out, max).into_owned();
        }
        if i > 0 {
            out.push('\n');
        }
        out.push_str(line);
        used += len;
    }
    out
}

/// A Markdown link `[title](url)` that survives brackets in the title and
/// parentheses in the URL (CommonMark, as Discord and Mattermost read it).
pub fn md_link(title: &str, url: &str) -> String {
    let mut label = String::with_capacity(title.len());
    for c in title.chars() {
        if matches!(c, '[' | ']' | '\\' | '*' | '_' | '`' | '~') {
            label.push('\\');
        }
        label.push(c);
    }
    let url = url
        .replace('(', "%28")
        .replace(')', "%29")
        .replace(' ', "%20");
    format!("[{label}]({url})")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn truncation_keeps_whole_characters_and_marks_the_cut() {
        assert_eq!(truncate("short", 10), "short");
        assert_eq!(truncate("exactly", 7), "exactly");
        let cut = truncate("héllo wörld", 5);
        assert_eq!(cut, "héll…");
        assert_eq!(cut.chars().count(), 5);
        // Four-byte characters are counted as one each, never split.
        let emoji = "🦀".repeat(300);
        let cut = truncate(&emoji, 256);
        assert_eq!(cut.chars().count(), 256);
        assert!(cut.ends_with('…'));
    }

    #[test]
    fn lines_that_do_not_fit_are_counted() {
        let lines: Vec<String> = (0..100).map(|i| format!("line number {i}")).collect();
        let text = fit_lines(&lines, 200);
        assert!(text.chars().count() <= 200, "{text}");
        assert!(text.starts_with("line number 0\nline number 1"));
        let last = text.lines().last().unwrap();
        let shown = text.lines().count() - 1;
        assert_eq!(last, format!("…and {} more", 100 - shown));
        assert_eq!(fit_lines(&lines[..2], 200), "line number 0\nline number 1");
    }

    #[test]
    fn sites_and_links() {
        assert_eq!(site_of("https://www.example.org/a"), "example.org");
        assert_eq!(site_of("https://news.example.org/a"), "news.example.org");
        assert_eq!(site_of("not a url"), "");
        assert_eq!(
            md_link("A [big] day", "https://x.example/a_(b)"),
            "[A \\[big\\] day](https://x.example/a_%28b%29)"
        );
    }
}
