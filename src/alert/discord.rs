//! Discord webhooks: a JSON body with `content` and one embed (`title`,
//! `url`, `description`, `timestamp`, `footer.text`). Discord refuses a
//! message over its limits outright, so every field is cut to fit (on
//! character boundaries); mentions are disabled, so a headline that happens
//! to contain `@everyone` pings nobody.

use serde_json::{Value, json};

use super::text::{
    Item, breaking_detail, fit_lines, headline, md_digest_lines, silence_detail, truncate,
};
use crate::model::{Breaking, Event, Silence};

/// Discord's documented limits, in characters.
pub const CONTENT_MAX: usize = 2000;
pub const TITLE_MAX: usize = 256;
pub const DESCRIPTION_MAX: usize = 4096;
pub const FOOTER_MAX: usize = 2048;
/// All text of one embed together.
pub const EMBED_MAX: usize = 6000;

/// The JSON body for `event`, posted under `username` when given.
pub fn payload(event: &Event, username: Option<&str>) -> Value {
    let head = headline(event);
    let embed = match event {
        Event::Alert(alert) => {
            let item = Item::of_alert(alert);
            embed(
                item.title,
                Some(item.url),
                &alert.snippet,
                item.published.unwrap_or(&alert.raised_at),
                &item.context(&alert.topic),
            )
        }
        Event::FollowUp(follow) => {
            let item = Item::of_ref(&follow.article);
            embed(
                item.title,
                Some(item.url),
                "",
                item.published.unwrap_or(&follow.raised_at),
                &item.context(&follow.topic),
            )
        }
        Event::Digest(digest) => {
            let lines = md_digest_lines(digest);
            embed(
                &head,
                None,
                &fit_lines(&lines, DESCRIPTION_MAX),
                &digest.until,
                &format!("{} · {} – {}", digest.topic, digest.from, digest.until),
            )
        }
        Event::Silence(silence) => embed(
            &head,
            None,
            &silence_detail(silence),
            &silence.raised_at,
            Silence::LABEL,
        ),
        Event::Breaking(breaking) => embed(
            &head,
            Some(&breaking.url),
            &breaking_detail(breaking),
            &breaking.raised_at,
            Breaking::LABEL,
        ),
    };
    let mut body = json!({
        "content": truncate(&head, CONTENT_MAX),
        "embeds": [embed],
        "allowed_mentions": { "parse": [] },
    });
    if let Some(name) = username {
        // Discord's own limit on a webhook's username.
        body["username"] = json!(truncate(name, 80));
    }
    body
}

fn embed(
    title: &str,
    url: Option<&str>,
    description: &str,
    timestamp: &str,
    footer: &str,
) -> Value {
    let mut embed = json!({
        "title": truncate(title, TITLE_MAX),
        "timestamp": timestamp,
        // Title and description at their caps leave this much of the
        // embed's total for the footer.
        "footer": { "text": truncate(footer, FOOTER_MAX.min(EMBED_MAX - TITLE_MAX - DESCRIPTION_MAX)) },
    });
    if let Some(url) = url {
        embed["url"] = json!(url);
    }
    if !description.is_empty() {
        embed["description"] = json!(truncate(description, DESCRIPTION_MAX));
    }
    embed
}
