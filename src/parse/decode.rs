//! Feed bytes → text. The character encoding is found as XML readers do
//! (a byte order mark, else the shape of the first bytes, else the XML
//! declaration), and when nothing declares it, UTF-8 is tried and then the
//! encoding that the bytes look like. Bytes that do not decode become U+FFFD:
//! one bad byte never costs the feed.

use encoding_rs::{Encoding, UTF_8, UTF_16BE, UTF_16LE};

/// The document as text, without byte order mark or XML declaration.
pub fn to_text(bytes: &[u8]) -> String {
    let text = match utf32(bytes) {
        Some(text) => text,
        None => decode(bytes),
    };
    strip_prolog(&text).to_string()
}

fn decode(bytes: &[u8]) -> String {
    if let Some((encoding, bom)) = Encoding::for_bom(bytes) {
        return encoding
            .decode_without_bom_handling(&bytes[bom..])
            .0
            .into_owned();
    }
    let encoding = match bytes {
        [0x3C, 0, 0x3F, 0, ..] | [0x3C, 0, _, 0, ..] => UTF_16LE,
        [0, 0x3C, 0, 0x3F, ..] | [0, 0x3C, 0, _, ..] => UTF_16BE,
        _ => declared(bytes).unwrap_or_else(|| undeclared(bytes)),
    };
    encoding.decode_without_bom_handling(bytes).0.into_owned()
}

/// The encoding the XML declaration names, when it is one that fits bytes
/// already known to be ASCII-compatible.
fn declared(bytes: &[u8]) -> Option<&'static Encoding> {
    let head = &bytes[..bytes.len().min(512)];
    let head = std::str::from_utf8(head)
        .unwrap_or_else(|e| std::str::from_utf8(&head[..e.valid_up_to()]).unwrap_or_default());
    let decl = head.trim_start().strip_prefix("<?xml")?;
    let decl = &decl[..decl.find("?>")?];
    let value = decl
        .split_once("encoding")?
        .1
        .trim_start()
        .strip_prefix('=')?;
    let value = value.trim_start();
    let quote = value.chars().next().filter(|c| *c == '"' || *c == '\'')?;
    let label = value[1..].split(quote).next()?;
    let encoding = Encoding::for_label(label.trim().as_bytes())?;
    let ascii_compatible = encoding != UTF_16LE && encoding != UTF_16BE;
    // A UTF-8 declaration over bytes that are not UTF-8 is a lie; guess.
    let honest = encoding != UTF_8 || std::str::from_utf8(bytes).is_ok();
    (ascii_compatible && honest).then_some(encoding)
}

/// UTF-8 when the bytes are UTF-8, else what they look like.
fn undeclared(bytes: &[u8]) -> &'static Encoding {
    if std::str::from_utf8(bytes).is_ok() {
        return UTF_8;
    }
    let mut detector = chardetng::EncodingDetector::new();
    detector.feed(bytes, true);
    detector.guess(None, true)
}

/// UTF-32 (with or without its byte order mark), which encoding_rs leaves
/// out because the web never uses it; feeds occasionally do.
fn utf32(bytes: &[u8]) -> Option<String> {
    let (big, skip) = match bytes {
        [0, 0, 0xFE, 0xFF, ..] => (true, 4),
        [0xFF, 0xFE, 0, 0, ..] => (false, 4),
        [0, 0, 0, 0x3C, ..] => (true, 0),
        [0x3C, 0, 0, 0, ..] => (false, 0),
        _ => return None,
    };
    let chars = bytes[skip..].chunks_exact(4).map(|c| {
        let word = [c[0], c[1], c[2], c[3]];
        let code = if big {
            u32::from_be_bytes(word)
        } else {
            u32::from_le_bytes(word)
        };
        char::from_u32(code).unwrap_or('\u{FFFD}')
    });
    Some(chars.collect())
}

/// The text after a byte order mark, leading blanks and the XML
/// declaration: the declaration's encoding no longer holds for the text.
fn strip_prolog(text: &str) -> &str {
    let text = text.trim_start_matches(['\u{FEFF}', ' ', '\t', '\r', '\n']);
    match text.strip_prefix("<?xml") {
        Some(rest) if rest.starts_with(|c: char| c.is_whitespace()) => {
            rest.find("?>").map_or(text, |end| &rest[end + 2..])
        }
        _ => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utf16le_with_bom(s: &str) -> Vec<u8> {
        let mut bytes = vec![0xFF, 0xFE];
        bytes.extend(s.encode_utf16().flat_map(u16::to_le_bytes));
        bytes
    }

    #[test]
    fn utf16_with_a_bom_decodes_and_loses_its_declaration() {
        let bytes = utf16le_with_bom(r#"<?xml version="1.0" encoding="utf-16"?><rss>é</rss>"#);
        assert_eq!(to_text(&bytes), "<rss>é</rss>");
    }

    #[test]
    fn declared_legacy_encodings_and_undeclared_latin1_decode() {
        let declared = b"<?xml version=\"1.0\" encoding=\"iso-8859-1\"?><t>\xe9</t>";
        assert_eq!(to_text(declared), "<t>é</t>");
        assert_eq!(to_text(b"<t>caf\xe9</t>"), "<t>café</t>");
        let lying = b"<?xml version=\"1.0\" encoding=\"utf-8\"?><t>caf\xe9</t>";
        assert_eq!(to_text(lying), "<t>café</t>");
    }

    #[test]
    fn utf32_without_a_bom_is_recognised() {
        let bytes: Vec<u8> = "<a>é</a>"
            .chars()
            .flat_map(|c| (c as u32).to_be_bytes())
            .collect();
        assert_eq!(to_text(&bytes), "<a>é</a>");
    }
}
