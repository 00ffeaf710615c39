//! ntfy: the message is the plain-text body POSTed to the topic URL; the
//! title, click URL, tags and priority travel in headers (`Title`, `Click`,
//! `Tags`, `Priority`), an access token in `Authorization: Bearer`. HTTP
//! header values are ASCII, so a title or tag with other characters is sent
//! as RFC 2047 encoded words (`=?UTF-8?B?…?=`), which ntfy decodes.

use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;

use super::text::{Item, breaking_detail, headline, silence_detail};
use crate::config::PresetConfig;
use crate::model::Event;

/// ntfy turns longer messages into attachments; a message is cut to fit.
const MESSAGE_BYTES: usize = 4096;
/// RFC 2047 §2: an encoded word is at most 75 characters. `=?UTF-8?B?` and
/// `?=` take 12, leaving 63 for base64, which holds 45 bytes (4 chars per 3).
const WORD_BYTES: usize = 45;

/// The headers (already encoded) and body of the request for `event`.
pub fn request(event: &Event, config: &PresetConfig) -> (Vec<(&'static str, String)>, String) {
    let (title, click, body) = match event {
        Event::Alert(alert) => {
            let item = Item::of_alert(alert);
            let mut body = alert.snippet.clone();
            if body.is_empty() {
                body = item.title.to_string();
            }
            body.push_str(&format!("\n\n{}", item.context(&alert.topic)));
            (item.title.to_string(), Some(item.url), body)
        }
        Event::FollowUp(follow) => {
            let item = Item::of_ref(&follow.article);
            let body = format!("{}\n\n{}", item.title, item.context(&follow.topic));
            (headline(event), Some(item.url), body)
        }
        Event::Digest(digest) => {
            let lines: Vec<String> = digest
                .alerts
                .iter()
                .map(|a| {
                    let item = Item::of_alert(a);
                    format!("• {} ({})\n  {}", item.title, item.site, item.url)
                })
                .collect();
            (headline(event), None, lines.join("\n"))
        }
        Event::Silence(silence) => (headline(event), None, silence_detail(silence)),
        Event::Breaking(breaking) => (
            headline(event),
            Some(breaking.url.as_str()),
            breaking_detail(breaking),
        ),
    };
    let mut headers = vec![("title", encode_word(&title))];
    if let Some(url) = click {
        headers.push(("click", url.to_string()));
    }
    let mut tags = config.tags.clone();
    tags.push(event.topic().to_string());
    let tags: Vec<String> = tags.iter().map(|t| t.replace(',', " ")).collect();
    headers.push(("tags", encode_word(&tags.join(","))));
    if let Some(priority) = config.priority {
        headers.push(("priority", priority.to_string()));
    }
    if let Some(token) = &config.token {
        headers.push(("authorization", format!("Bearer {token}")));
    }
    (headers, cut_bytes(&body, MESSAGE_BYTES).to_string())
}

/// `value` as an HTTP header value: unchanged when it is printable ASCII,
/// else RFC 2047 "B" encoded words of UTF-8, each at most 75 characters and
/// holding whole characters, separated by spaces (which decoders drop
/// between encoded words, RFC 2047 §6.2). Line breaks become spaces first.
pub fn encode_word(value: &str) -> String {
    let flat: String = value
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    if flat.bytes().all(|b| (0x20..0x7f).contains(&b)) && !flat.contains("=?") {
        return flat;
    }
    let mut words = Vec::new();
    let mut rest = flat.as_str();
    while !rest.is_empty() {
        let chunk = cut_bytes(rest, WORD_BYTES);
        // A character longer than the budget cannot happen (UTF-8 is at
        // most 4 bytes), so every chunk makes progress.
        words.push(format!("=?UTF-8?B?{}?=", BASE64.encode(chunk)));
        rest = &rest[chunk.len()..];
    }
    words.join(" ")
}

/// The longest prefix of `text` of at most `max` bytes that ends on a
/// character boundary.
fn cut_bytes(text: &str, max: usize) -> &str {
    if text.len() <= max {
        return text;
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode(encoded: &str) -> String {
        let mut bytes = Vec::new();
        for word in encoded.split(' ') {
            let b64 = word
                .strip_prefix("=?UTF-8?B?")
                .and_then(|w| w.strip_suffix("?="))
                .unwrap_or_else(|| panic!("not an encoded word: {word}"));
            assert!(word.len() <= 75, "{word} is longer than RFC 2047 allows");
            let part = BASE64.decode(b64).expect("base64");
            assert!(
                std::str::from_utf8(&part).is_ok(),
                "a word split a character"
            );
            bytes.extend(part);
        }
        String::from_utf8(bytes).expect("utf-8")
    }

    #[test]
    fn ascii_passes_unchanged() {
        assert_eq!(
            encode_word("Council votes: bridge"),
            "Council votes: bridge"
        );
        assert_eq!(encode_word("two\nlines"), "two lines");
    }

    #[test]
    fn non_ascii_becomes_encoded_words() {
        assert_eq!(encode_word("Grüße"), "=?UTF-8?B?R3LDvMOfZQ==?=");
        let long = "Überschwemmung in Köln: 東京 🦀 ".repeat(8);
        let encoded = encode_word(&long);
        assert!(encoded.is_ascii());
        assert!(encoded.split(' ').count() > 1);
        assert_eq!(decode(&encoded), long);
    }

    #[test]
    fn text_that_looks_encoded_is_encoded() {
        let encoded = encode_word("=?UTF-8?B?x?=");
        assert_eq!(decode(&encoded), "=?UTF-8?B?x?=");
    }

    #[test]
    fn cuts_keep_whole_characters() {
        assert_eq!(cut_bytes("aé", 2), "a");
        assert_eq!(cut_bytes("aé", 3), "aé");
        assert_eq!(cut_bytes("🦀🦀", 5), "🦀");
    }
}
