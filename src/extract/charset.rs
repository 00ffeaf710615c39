//! Byte-to-text decoding of HTML pages, in the order browsers use: BOM, HTTP
//! charset, `<meta>` prescan, then statistical detection (chardetng) when
//! nothing is declared. One exception to the order: bytes that are valid
//! UTF-8 and carry multi-byte sequences are UTF-8 even when a legacy charset
//! is declared (a CMS template that still says iso-8859-1 or gb2312 around
//! UTF-8 text); real legacy text is almost never valid UTF-8. Invalid bytes
//! become U+FFFD.

use encoding_rs::{Encoding, UTF_8, UTF_16BE, UTF_16LE, WINDOWS_1252};

/// How many leading bytes the `<meta charset>` prescan looks at.
const PRESCAN: usize = 4096;
/// How many bytes the detector is fed (bounded cost on huge pages).
const DETECT: usize = 256 * 1024;

/// Decodes page bytes; see the crate-level docs for the order of sources.
pub fn decode_html(bytes: &[u8], content_type: Option<&str>) -> String {
    if let Some((enc, bom_len)) = Encoding::for_bom(bytes) {
        return decode(enc, &bytes[bom_len..]);
    }
    let declared = content_type
        .and_then(charset_param)
        .or_else(|| meta_charset(&bytes[..bytes.len().min(PRESCAN)]));
    if let Some(enc) = declared {
        if enc != UTF_8 && is_utf8_with_multibyte(bytes) {
            return decode(UTF_8, bytes);
        }
        return decode(enc, bytes);
    }
    if std::str::from_utf8(bytes).is_ok() {
        return decode(UTF_8, bytes);
    }
    decode(detect(bytes), bytes)
}

/// Whether `bytes` hold at least one non-ASCII character and are valid UTF-8
/// throughout.
fn is_utf8_with_multibyte(bytes: &[u8]) -> bool {
    !bytes.is_ascii() && std::str::from_utf8(bytes).is_ok()
}

/// Decodes without BOM sniffing, replacing malformed sequences.
fn decode(enc: &'static Encoding, bytes: &[u8]) -> String {
    let (text, _) = enc.decode_without_bom_handling(bytes);
    text.into_owned()
}

/// Guesses the encoding of bytes that are not valid UTF-8.
fn detect(bytes: &[u8]) -> &'static Encoding {
    let mut det = chardetng::EncodingDetector::new();
    let slice = &bytes[..bytes.len().min(DETECT)];
    det.feed(slice, slice.len() == bytes.len());
    det.guess(None, true)
}

/// Maps a label to an encoding, applying the HTML rules for odd labels.
fn label(l: &str) -> Option<&'static Encoding> {
    let enc = Encoding::for_label(l.trim().as_bytes())?;
    // A page that declares UTF-16 in ASCII-compatible bytes is not UTF-16.
    if enc == UTF_16LE || enc == UTF_16BE {
        return Some(UTF_8);
    }
    if enc.name() == "x-user-defined" {
        return Some(WINDOWS_1252);
    }
    Some(enc)
}

/// The `charset=` parameter of a Content-Type value.
fn charset_param(ct: &str) -> Option<&'static Encoding> {
    let lower = ct.to_ascii_lowercase();
    let at = lower.find("charset=")? + "charset=".len();
    let value = ct[at..].trim_start().trim_start_matches(['"', '\'']);
    let end = value
        .find(['"', '\'', ';', ' ', ','])
        .unwrap_or(value.len());
    label(&value[..end])
}

/// `<meta charset=…>` or `<meta http-equiv content="…; charset=…">` in `head`.
fn meta_charset(head: &[u8]) -> Option<&'static Encoding> {
    let mut pos = 0;
    while let Some(off) = find_ci(&head[pos..], b"<meta") {
        let start = pos + off + 5;
        let end = head[start..]
            .iter()
            .position(|&c| c == b'>')
            .map_or(head.len(), |e| start + e);
        if let Some(enc) = charset_in_tag(&head[start..end]) {
            return Some(enc);
        }
        pos = end;
    }
    None
}

/// The charset named inside one meta tag's attribute bytes.
fn charset_in_tag(tag: &[u8]) -> Option<&'static Encoding> {
    let at = find_ci(tag, b"charset")? + 7;
    let rest = &tag[at..];
    let rest = rest
        .trim_ascii_start()
        .strip_prefix(b"=")?
        .trim_ascii_start();
    let rest = rest
        .strip_prefix(b"\"")
        .or_else(|| rest.strip_prefix(b"'"))
        .unwrap_or(rest);
    let end = rest
        .iter()
        .position(|&c| matches!(c, b'"' | b'\'' | b';' | b' ' | b'/' | b'>'))
        .unwrap_or(rest.len());
    label(std::str::from_utf8(&rest[..end]).ok()?)
}

/// Case-insensitive ASCII search.
fn find_ci(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len())
        .position(|w| w.eq_ignore_ascii_case(needle))
}
