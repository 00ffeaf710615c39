//! Cutting a body into normalised words, line by line. Copies of one text
//! differ in case, quotes, dashes, spacing and accents; all of these vanish
//! here: letters are lower-cased (Unicode-aware), compatibility-decomposed
//! with their combining marks dropped ("López" = "lopez", "ﬁ" = "fi"), and a
//! word is a run of letters, digits and `_` (the `\w+` of regular
//! expressions), so every quote, dash, apostrophe and kind of space is a
//! word break.

use unicode_normalization::char::{decompose_compatible, is_combining_mark};

/// Characters that end a line. Lines matter because short lines of a body
/// (credits, captions, promos) are treated apart from its paragraphs.
fn is_line_break(c: char) -> bool {
    matches!(
        c,
        '\n' | '\r' | '\u{0b}' | '\u{0c}' | '\u{85}' | '\u{2028}' | '\u{2029}'
    )
}

/// What [`for_each_piece`] reports, in text order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Piece<'a> {
    /// A normalised word, never empty.
    Word(&'a str),
    /// A double quotation mark of any style (straight, curly, low, guillemet).
    Quote,
    /// The end of a line (also reported after the last line).
    LineEnd,
}

/// Double quotation marks. Straight and curly ones are not told apart: the
/// marks only toggle "inside a quotation", and copies swap the styles.
fn is_double_quote(c: char) -> bool {
    matches!(
        c,
        '"' | '\u{201c}' | '\u{201d}' | '\u{201e}' | '\u{201f}' | '\u{ab}' | '\u{bb}' | '\u{ff02}'
    )
}

/// Calls `f` with each normalised word of `text` and each line end.
pub fn for_each_piece(text: &str, mut f: impl FnMut(Piece<'_>)) {
    let bytes = text.as_bytes();
    // Non-ASCII words are built here; ASCII runs are passed as slices.
    let mut word = String::with_capacity(32);
    let mut lower = String::with_capacity(32);
    let flush = |word: &mut String, f: &mut dyn FnMut(Piece<'_>)| {
        if !word.is_empty() {
            f(Piece::Word(word));
            word.clear();
        }
    };
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b.is_ascii_alphanumeric() || b == b'_' {
            // Fast path: a run of ASCII word bytes, lower-cased only if needed.
            let start = i;
            let mut upper = false;
            while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'_') {
                upper |= bytes[i].is_ascii_uppercase();
                i += 1;
            }
            let run = &text[start..i];
            let next_is_word = text[i..]
                .chars()
                .next()
                .is_some_and(|c| !c.is_ascii() && (c.is_alphanumeric() || is_combining_mark(c)));
            if word.is_empty() && !next_is_word {
                if upper {
                    lower.clear();
                    lower.push_str(run);
                    lower.make_ascii_lowercase();
                    f(Piece::Word(&lower));
                } else {
                    f(Piece::Word(run));
                }
            } else {
                // Part of a word with non-ASCII letters: build it.
                word.extend(run.chars().map(|c| c.to_ascii_lowercase()));
            }
            continue;
        }
        if b < 0x80 {
            flush(&mut word, &mut f);
            if is_line_break(b as char) {
                f(Piece::LineEnd);
            } else if b == b'"' {
                f(Piece::Quote);
            }
            i += 1;
            continue;
        }
        let c = text[i..].chars().next().expect("char boundary");
        i += c.len_utf8();
        if ('\u{2000}'..='\u{206f}').contains(&c) {
            // General punctuation (curly quotes, dashes, special spaces):
            // common in news and never part of a word, so skip the slower
            // Unicode property lookups.
            flush(&mut word, &mut f);
            if is_line_break(c) {
                f(Piece::LineEnd);
            } else if is_double_quote(c) {
                f(Piece::Quote);
            }
        } else if c.is_alphanumeric() {
            // Slow path only for non-ASCII letters: decompose, drop accents.
            decompose_compatible(c, |d| {
                if is_combining_mark(d) {
                    return;
                }
                if d.is_alphanumeric() || d == '_' {
                    word.extend(d.to_lowercase());
                } else {
                    flush(&mut word, &mut f);
                }
            });
        } else if is_combining_mark(c) {
            // A mark after its letter (decomposed input) stays inside the word.
        } else {
            flush(&mut word, &mut f);
            if is_line_break(c) {
                f(Piece::LineEnd);
            } else if is_double_quote(c) {
                f(Piece::Quote);
            }
        }
    }
    flush(&mut word, &mut f);
    f(Piece::LineEnd);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(text: &str) -> Vec<Vec<String>> {
        let mut out = vec![Vec::new()];
        for_each_piece(text, |piece| match piece {
            Piece::Word(w) => out.last_mut().unwrap().push(w.to_string()),
            Piece::LineEnd => out.push(Vec::new()),
            Piece::Quote => out.last_mut().unwrap().push("\"".to_string()),
        });
        out.pop();
        out
    }

    #[test]
    fn folds_case_quotes_dashes_spaces_and_accents() {
        assert_eq!(
            lines("It’s “HERE”\u{a0}— López\u{2019}s ﬁle"),
            lines("it's \"here\" - Lopez's file")
        );
        assert_eq!(lines("Café au LAIT"), lines("cafe\u{301} au lait"));
        assert_eq!(lines("naïveTÉ x"), vec![vec!["naivete", "x"]]);
        assert_eq!(lines("Kim Jong-un"), vec![vec!["kim", "jong", "un"]]);
    }

    #[test]
    fn reports_line_ends() {
        assert_eq!(lines("a b\n\nc\r\nd").len(), 5);
        assert_eq!(lines("a b\n\nc")[2], vec!["c"]);
    }
}
