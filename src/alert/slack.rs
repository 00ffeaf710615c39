//! Slack incoming webhooks: a JSON body with `text` (the notification and
//! fallback text) and Block Kit `blocks`. An article is a section block with
//! a bold mrkdwn link `*<url|title>*` and a context block with the topic,
//! site and publication time; a digest lists its articles in as many
//! section blocks as Slack's limits need.

use serde_json::{Value, json};

use super::text::{Item, breaking_detail, headline, silence_detail};
use crate::model::Event;

/// Slack refuses section text longer than this.
const SECTION_CHARS: usize = 3000;
/// ... and messages with more blocks than this.
const MAX_BLOCKS: usize = 50;

/// The JSON body for `event`.
pub fn payload(event: &Event) -> Value {
    match event {
        Event::Alert(alert) => {
            let item = Item::of_alert(alert);
            article(
                format!("{}: {}", escape(&alert.topic), link(&item)),
                format!("*{}*", link(&item)),
                item.context(&alert.topic),
            )
        }
        Event::FollowUp(follow) => {
            let item = Item::of_ref(&follow.article);
            let head = escape(&headline(event));
            article(
                format!("{head}: {}", link(&item)),
                format!("{head}: *{}*", link(&item)),
                item.context(&follow.topic),
            )
        }
        Event::Digest(digest) => {
            let lines: Vec<String> = digest
                .alerts
                .iter()
                .map(|a| {
                    let item = Item::of_alert(a);
                    format!("• *{}* — {}", link(&item), escape(&item.site))
                })
                .collect();
            let head = escape(&headline(event));
            let mut blocks = vec![section(format!("*{head}*"))];
            blocks.extend(sections(&lines, MAX_BLOCKS - 2));
            blocks.push(context(format!("{} – {}", digest.from, digest.until)));
            json!({ "text": head, "blocks": blocks })
        }
        Event::Breaking(breaking) => {
            let head = escape(&headline(event));
            json!({
                "text": head,
                "blocks": [
                    section(format!("*<{}|{head}>*", escape(&breaking.url))),
                    context(escape(&breaking_detail(breaking))),
                ],
            })
        }
        Event::Silence(silence) => {
            let head = escape(&headline(event));
            json!({
                "text": head,
                "blocks": [section(format!("*{head}*")), context(escape(&silence_detail(silence)))],
            })
        }
    }
}

fn article(text: String, section_text: String, context_text: String) -> Value {
    json!({
        "text": text,
        "blocks": [section(section_text), context(escape(&context_text))],
    })
}

fn section(text: String) -> Value {
    json!({ "type": "section", "text": { "type": "mrkdwn", "text": text } })
}

fn context(text: String) -> Value {
    json!({ "type": "context", "elements": [{ "type": "mrkdwn", "text": text }] })
}

/// Lines packed into section blocks of at most `SECTION_CHARS`, at most
/// `max` blocks; lines that do not fit are counted in a last line.
fn sections(lines: &[String], max: usize) -> Vec<Value> {
    // Packing leaves room for the "and n more" line.
    let room = SECTION_CHARS - 32;
    let mut blocks = Vec::new();
    let mut current = String::new();
    for (i, line) in lines.iter().enumerate() {
        let line = super::text::truncate(line, room).into_owned();
        if current.chars().count() + line.chars().count() + 1 > room {
            if blocks.len() + 1 == max {
                current.push_str(&format!("\n…and {} more", lines.len() - i));
                break;
            }
            blocks.push(section(std::mem::take(&mut current)));
        }
        if !current.is_empty() {
            current.push('\n');
        }
        current.push_str(&line);
    }
    if !current.is_empty() {
        blocks.push(section(current));
    }
    blocks
}

/// `<url|title>`: Slack's link syntax, with the title escaped and the URL
/// kept free of the characters that would end the link early.
fn link(item: &Item) -> String {
    let url = item
        .url
        .replace('|', "%7C")
        .replace('>', "%3E")
        .replace('<', "%3C");
    let title = escape(item.title).replace('|', "¦");
    format!("<{url}|{title}>")
}

/// Slack reads `&`, `<` and `>` as control characters in mrkdwn and asks
/// for them as HTML entities.
fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_escape_control_characters() {
        let item = Item {
            title: "A <b> & c|d",
            url: "https://x.example/a?b=1|2",
            site: "x.example".into(),
            published: None,
        };
        assert_eq!(
            link(&item),
            "<https://x.example/a?b=1%7C2|A &lt;b&gt; &amp; c¦d>"
        );
    }

    #[test]
    fn long_lists_respect_section_and_block_limits() {
        let lines: Vec<String> = (0..2000)
            .map(|i| format!("• line {i} {}", "x".repeat(80)))
            .collect();
        let blocks = sections(&lines, 10);
        assert_eq!(blocks.len(), 10);
        for block in &blocks {
            let text = block["text"]["text"].as_str().unwrap();
            assert!(text.chars().count() <= SECTION_CHARS);
        }
        let last = blocks[9]["text"]["text"].as_str().unwrap();
        assert!(last.lines().last().unwrap().contains("more"), "{last}");
    }
}
