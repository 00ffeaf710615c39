//! Cutting a body into normalised words, line by line. Copies of one text
//! differ in case, quotes, dashes, spacing and accents; all of these vanish
//! here: letters are lower-cased (Unicode-aware), compatibility-decomposed
//! with their combining marks dropped ("López" = "lopez", "ﬁ" = "fi"), and a
//! word is a run of letters, digits and `_` (the `\w+` of regular
//! expressions), so every quote, dash, apostrophe and kind of space is a
//! word break.
//!
//! This runs over every byte of every article, so it is built for speed:
//! ASCII bytes are classified by a table and ASCII words are passed on as
//! slices of the text; the Unicode work for other characters (property
//! lookups, decomposition, lower-casing) is done once per character and
//! remembered in [`CharCache`].

use super::charcache::{Action, CharCache};

/// What [`Normalizer::for_each_piece`] reports, in text order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Piece<'a> {
    /// A normalised word, never empty.
    Word(&'a str),
    /// A double quotation mark of any style (straight, curly, low, guillemet).
    Quote,
    /// The end of a line (also reported after the last line).
    LineEnd,
}

/// Classes of ASCII bytes (and one for every byte of a multi-byte char).
/// The word classes have bit 0 set, and the upper-case one bit 1 too, so a
/// run of word bytes is found with one test per byte.
const SEP: u8 = 0;
const LOWER: u8 = 1;
const UPPER: u8 = 3;
const LINE: u8 = 2;
const QUOTE: u8 = 4;
const HIGH: u8 = 6;

/// The class of every byte value: word bytes are `[0-9a-z_]` (LOWER) and
/// `[A-Z]` (UPPER); line breaks are `\n \r \v \f`.
const CLASS: [u8; 256] = {
    let mut t = [SEP; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        t[b] = if c >= 0x80 {
            HIGH
        } else if c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'_' {
            LOWER
        } else if c.is_ascii_uppercase() {
            UPPER
        } else if matches!(c, b'\n' | b'\r' | 0x0b | 0x0c) {
            LINE
        } else if c == b'"' {
            QUOTE
        } else {
            SEP
        };
        b += 1;
    }
    t
};

/// True for the classes of ASCII word bytes.
#[inline]
fn is_word_class(class: u8) -> bool {
    class & LOWER != 0
}

/// Reusable state for normalising many texts: the per-character cache and
/// the buffers that words with non-ASCII letters are built in.
#[derive(Debug, Default)]
pub struct Normalizer {
    cache: CharCache,
    /// A word being built from non-ASCII letters (and ASCII runs next to them).
    word: String,
    /// An ASCII word lower-cased.
    lower: String,
}

impl Normalizer {
    /// A normaliser with an empty cache.
    pub fn new() -> Normalizer {
        Normalizer::default()
    }

    /// Calls `f` with each normalised word of `text`, each double quotation
    /// mark and each line end.
    pub fn for_each_piece(&mut self, text: &str, mut f: impl FnMut(Piece<'_>)) {
        let bytes = text.as_bytes();
        let Normalizer { cache, word, lower } = self;
        word.clear();
        let mut i = 0;
        while i < bytes.len() {
            let class = CLASS[usize::from(bytes[i])];
            if is_word_class(class) {
                // A run of ASCII word bytes, lower-cased only if needed.
                let start = i;
                i += 1 + bytes[i + 1..]
                    .iter()
                    .position(|&b| !is_word_class(CLASS[usize::from(b)]))
                    .unwrap_or(bytes.len() - i - 1);
                let run = &text[start..i];
                let upper = run.bytes().any(|b| b.is_ascii_uppercase());
                // A run directly followed by a non-ASCII letter or mark is
                // the first part of a longer word.
                let next_is_word = i < bytes.len()
                    && bytes[i] >= 0x80
                    && cache.get(char_at(text, i)).starts_word();
                if word.is_empty() && !next_is_word {
                    if upper {
                        lower.clear();
                        lower.push_str(run);
                        lower.make_ascii_lowercase();
                        f(Piece::Word(lower));
                    } else {
                        f(Piece::Word(run));
                    }
                } else {
                    let from = word.len();
                    word.push_str(run);
                    word[from..].make_ascii_lowercase();
                }
                continue;
            }
            if class != HIGH {
                flush(word, &mut f);
                if class == LINE {
                    f(Piece::LineEnd);
                } else if class == QUOTE {
                    f(Piece::Quote);
                }
                i += 1;
                continue;
            }
            let c = char_at(text, i);
            i += c.len_utf8();
            match cache.get(c) {
                Action::Letters(out) => {
                    // Decomposed, lower-cased letters; 0xff marks a break
                    // inside the decomposition ("½" = "1⁄2").
                    for (n, part) in out.split(|&b| b == 0xff).enumerate() {
                        if n > 0 {
                            flush(word, &mut f);
                        }
                        word.push_str(std::str::from_utf8(part).expect("cached UTF-8"));
                    }
                }
                // A mark after its letter (decomposed input) stays inside
                // the word.
                Action::Mark => {}
                Action::Break => flush(word, &mut f),
                Action::LineEnd => {
                    flush(word, &mut f);
                    f(Piece::LineEnd);
                }
                Action::Quote => {
                    flush(word, &mut f);
                    f(Piece::Quote);
                }
                Action::Long => {
                    CharCache::decompose_into(c, word, &mut |w: &mut String| flush(w, &mut f))
                }
            }
        }
        flush(word, &mut f);
        f(Piece::LineEnd);
    }
}

/// The char starting at byte `i` of `text`.
#[inline]
fn char_at(text: &str, i: usize) -> char {
    text[i..].chars().next().expect("char boundary")
}

/// Reports a word built in `word`, if any, and empties it.
#[inline]
fn flush(word: &mut String, f: &mut impl FnMut(Piece<'_>)) {
    if !word.is_empty() {
        f(Piece::Word(word));
        word.clear();
    }
}

/// Calls `f` with each normalised word of `text` and each line end, with a
/// normaliser of its own (see [`Normalizer`] to reuse one).
pub fn for_each_piece(text: &str, f: impl FnMut(Piece<'_>)) {
    Normalizer::new().for_each_piece(text, f);
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
        assert_eq!(lines("AB½cd"), vec![vec!["ab1", "2cd"]]);
        assert_eq!(lines("ÜBER Straße"), vec![vec!["uber", "straße"]]);
    }

    #[test]
    fn reports_line_ends() {
        assert_eq!(lines("a b\n\nc\r\nd").len(), 5);
        assert_eq!(lines("a b\n\nc")[2], vec!["c"]);
        assert_eq!(lines("a\u{2028}b\u{85}c").len(), 3);
    }

    #[test]
    fn a_reused_normalizer_gives_the_same_words() {
        let mut n = Normalizer::new();
        let text = "Déjà vu, “ÉTÉ” and 서울 again; déjà vu.";
        let mut first = Vec::new();
        n.for_each_piece(text, |p| first.push(format!("{p:?}")));
        let mut second = Vec::new();
        n.for_each_piece(text, |p| second.push(format!("{p:?}")));
        assert_eq!(first, second);
    }
}
