//! Mattermost incoming webhooks: a JSON body whose `text` is Markdown, with
//! the optional `username` and `channel` overrides from the config.

use serde_json::{Value, json};

use super::text::{
    Item, breaking_detail, fit_lines, headline, md_digest_lines, md_link, silence_detail, truncate,
};
use crate::model::Event;

/// Mattermost's post length limit (servers since 5.0), in characters.
const TEXT_MAX: usize = 16383;

/// The JSON body for `event`.
pub fn payload(event: &Event, username: Option<&str>, channel: Option<&str>) -> Value {
    let head = headline(event);
    let text = match event {
        Event::Alert(alert) => {
            let item = Item::of_alert(alert);
            let mut text = format!("**{head}:** {}", md_link(item.title, item.url));
            if !alert.snippet.is_empty() {
                text.push_str(&format!("\n> {}", alert.snippet));
            }
            text.push_str(&format!("\n_{}_", item.context(&alert.topic)));
            text
        }
        Event::FollowUp(follow) => {
            let item = Item::of_ref(&follow.article);
            format!(
                "**{head}:** {}\n_{}_",
                md_link(item.title, item.url),
                item.context(&follow.topic)
            )
        }
        Event::Digest(digest) => {
            let lines = md_digest_lines(digest);
            let top = format!("**{head}** ({} – {})\n", digest.from, digest.until);
            let list = fit_lines(&lines, TEXT_MAX - top.chars().count());
            format!("{top}{list}")
        }
        Event::Silence(silence) => format!("**{head}**\n{}", silence_detail(silence)),
        Event::Breaking(breaking) => format!(
            "**{}**\n{}",
            md_link(&head, &breaking.url),
            breaking_detail(breaking)
        ),
    };
    let mut body = json!({ "text": truncate(&text, TEXT_MAX) });
    if let Some(name) = username {
        body["username"] = json!(name);
    }
    if let Some(channel) = channel {
        body["channel"] = json!(channel);
    }
    body
}
