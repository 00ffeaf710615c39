//! Cutting a body into normalised words, line by line. Copies of one text
//! differ in case, quotes, dashes, spacing and accents; all of these vanish
//! here: letters are lower-cased (Unicode-aware), compatibility-decomposed
//! with their combining marks dropped ("López" = "lopez", "ﬁ" = "fi"), and a
//! word is a run of letters, digits and `_` (the `\w+` of regular
//! expressions), so every quote, dash, apostrophe and kind of space is a
//! word break.
//!
//! This runs over every byte of every article, so it is built for speed:
//! runs of plain ASCII words are found eight bytes at a time (see `swar`)
//! and passed on as slices of the text (or hashed where they stand); the Unicode work for other characters (property
//! lookups, decomposition, lower-casing) is done once per character and
//! remembered in [`CharCache`].

use super::charcache::{Action, CharCache};
use super::hash::{hash_ascii_lower, hash_bytes};
use super::swar;
use std::ops::Range;

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

/// What a byte does: belong to an ASCII word (`[0-9A-Za-z_]`), separate
/// words, end a line, open or close a quotation, or begin or continue a
/// multi-byte character.
const SEP: u8 = 0;
const WORD: u8 = 1;
const LINE: u8 = 2;
const QUOTE: u8 = 3;
const HIGH: u8 = 4;

/// The class of every byte value; line breaks are `\n \r \v \f`.
const CLASS: [u8; 256] = {
    let mut t = [SEP; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        t[b] = if c >= 0x80 {
            HIGH
        } else if c.is_ascii_alphanumeric() || c == b'_' {
            WORD
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

/// Receives what [`Normalizer::scan`] finds, in text order.
pub trait Tokens {
    /// The run `text[run]` of ASCII word bytes, not yet lower-cased.
    fn ascii(&mut self, text: &str, run: Range<usize>);
    /// A normalised word with non-ASCII letters: lower-cased UTF-8.
    fn built(&mut self, word: &[u8]);
    /// A double quotation mark of any style.
    fn quote(&mut self);
    /// The end of a line (also reported after the last line).
    fn line_end(&mut self);
}

/// What [`Normalizer::for_each_hash`] reports, in text order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Token {
    /// The [`hash_bytes`] of a normalised word.
    Word(u64),
    /// A double quotation mark of any style.
    Quote,
    /// The end of a line (also reported after the last line).
    LineEnd,
}

/// Reusable state for normalising many texts: the per-character cache and
/// the buffer that words with non-ASCII letters are built in.
#[derive(Debug, Default)]
pub struct Normalizer {
    cache: CharCache,
    /// A word being built from non-ASCII letters (and ASCII runs next to
    /// them); always UTF-8 between characters.
    word: Vec<u8>,
    /// An ASCII word lower-cased, for [`Normalizer::for_each_piece`].
    lower: String,
}

impl Normalizer {
    /// A normaliser with an empty cache.
    pub fn new() -> Normalizer {
        Normalizer::default()
    }

    /// Calls `f` with each normalised word of `text`, each double quotation
    /// mark and each line end.
    pub fn for_each_piece(&mut self, text: &str, f: impl FnMut(Piece<'_>)) {
        let mut lower = std::mem::take(&mut self.lower);
        self.scan(
            text,
            &mut PieceTokens {
                f,
                lower: &mut lower,
            },
        );
        self.lower = lower;
    }

    /// Calls `f` with the hash of each normalised word of `text` (the
    /// [`hash_bytes`] of the word [`Normalizer::for_each_piece`] gives),
    /// each double quotation mark and each line end. ASCII words are hashed
    /// where they stand, without being copied.
    pub fn for_each_hash(&mut self, text: &str, f: impl FnMut(Token)) {
        self.scan(text, &mut HashTokens(f));
    }

    /// Reports the words, quotation marks and line ends of `text` to `out`.
    pub fn scan(&mut self, text: &str, out: &mut impl Tokens) {
        let bytes = text.as_bytes();
        let Normalizer { cache, word, .. } = self;
        word.clear();
        let mut i = 0;
        while i < bytes.len() {
            let class = CLASS[usize::from(bytes[i])];
            if class == WORD {
                if word.is_empty() {
                    let done = plain_words(text, i, out);
                    if done > i {
                        i = done;
                        continue;
                    }
                }
                let start = i;
                i = swar::word_end(bytes, i);
                // A run directly followed by a non-ASCII letter or mark is
                // the first part of a longer word.
                let joins = i < bytes.len()
                    && bytes[i] >= 0x80
                    && cache.get(char_at(text, i)).starts_word();
                if word.is_empty() && !joins {
                    out.ascii(text, start..i);
                } else {
                    let from = word.len();
                    word.extend_from_slice(&bytes[start..i]);
                    word[from..].make_ascii_lowercase();
                }
                continue;
            }
            if class != HIGH {
                flush(word, out);
                if class == LINE {
                    out.line_end();
                } else if class == QUOTE {
                    out.quote();
                }
                i += 1;
                continue;
            }
            let c = char_at(text, i);
            i += c.len_utf8();
            non_ascii(cache, word, c, out);
        }
        flush(word, out);
        out.line_end();
    }
}

/// Reports the ASCII words from `i` (the start of one) up to the first
/// byte that needs a closer look (see [`swar::plain_window`]), all found
/// with a few operations per eight bytes; returns where the last reported
/// word ends (`i` when there is none).
#[inline]
fn plain_words(text: &str, i: usize, out: &mut impl Tokens) -> usize {
    let bytes = text.as_bytes();
    let (mut words, covered) = swar::plain_window(bytes, i);
    // A word touching the window's far edge may go on past it (more word
    // bytes, or a non-ASCII letter); the general path takes that one.
    let edge_is_open = i + covered < bytes.len() && (covered == 64 || bytes[i + covered] >= 0x80);
    let mut done = 0;
    while words != 0 {
        let start = words.trailing_zeros() as usize;
        let end = start + (!(words >> start)).trailing_zeros() as usize;
        if end == covered && edge_is_open {
            break;
        }
        out.ascii(text, i + start..i + end);
        done = end;
        // end < 64 here: a word reaching bit 63 touches the edge.
        words &= u64::MAX.checked_shl(end as u32).unwrap_or(0);
    }
    i + done
}

/// What a non-ASCII character does to the word being built (see
/// [`CharCache`]).
#[inline]
fn non_ascii(cache: &mut CharCache, word: &mut Vec<u8>, c: char, out: &mut impl Tokens) {
    match cache.get(c) {
        Action::Letters(letters) => {
            // Decomposed, lower-cased letters; 0xff marks a break
            // inside the decomposition ("½" = "1⁄2").
            for (n, part) in letters.split(|&b| b == 0xff).enumerate() {
                if n > 0 {
                    flush(word, out);
                }
                word.extend_from_slice(part);
            }
        }
        // A mark after its letter (decomposed input) stays inside
        // the word.
        Action::Mark => {}
        Action::Break => flush(word, out),
        Action::LineEnd => {
            flush(word, out);
            out.line_end();
        }
        Action::Quote => {
            flush(word, out);
            out.quote();
        }
        Action::Long => CharCache::decompose_into(c, word, &mut |w: &mut Vec<u8>| flush(w, out)),
    }
}

/// The char starting at byte `i` of `text`.
#[inline]
fn char_at(text: &str, i: usize) -> char {
    text[i..].chars().next().expect("char boundary")
}

/// Reports a word built in `word`, if any, and empties it.
#[inline]
fn flush(word: &mut Vec<u8>, out: &mut impl Tokens) {
    if !word.is_empty() {
        out.built(word);
        word.clear();
    }
}

/// [`Tokens`] as [`Piece`]s with lower-cased words.
struct PieceTokens<'a, F> {
    f: F,
    lower: &'a mut String,
}

impl<F: FnMut(Piece<'_>)> Tokens for PieceTokens<'_, F> {
    #[inline]
    fn ascii(&mut self, text: &str, run: Range<usize>) {
        let run = &text[run];
        if run.bytes().any(|b| b.is_ascii_uppercase()) {
            self.lower.clear();
            self.lower.push_str(run);
            self.lower.make_ascii_lowercase();
            (self.f)(Piece::Word(self.lower));
        } else {
            (self.f)(Piece::Word(run));
        }
    }
    fn built(&mut self, word: &[u8]) {
        (self.f)(Piece::Word(
            std::str::from_utf8(word).expect("built from whole characters"),
        ));
    }
    fn quote(&mut self) {
        (self.f)(Piece::Quote);
    }
    fn line_end(&mut self) {
        (self.f)(Piece::LineEnd);
    }
}

/// [`Tokens`] as [`Token`]s: words hashed.
struct HashTokens<F>(F);

impl<F: FnMut(Token)> Tokens for HashTokens<F> {
    // Once per word: inlined into the scan, like the hash itself.
    #[inline(always)]
    fn ascii(&mut self, text: &str, run: Range<usize>) {
        (self.0)(Token::Word(hash_ascii_lower(text.as_bytes(), run)));
    }
    fn built(&mut self, word: &[u8]) {
        (self.0)(Token::Word(hash_bytes(word)));
    }
    fn quote(&mut self) {
        (self.0)(Token::Quote);
    }
    fn line_end(&mut self) {
        (self.0)(Token::LineEnd);
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
