//! Text folding and tokenising: the one normal form that both article text
//! and query terms are reduced to before they are compared. Folding is
//! Unicode NFKD, then dropping every code point whose canonical combining
//! class is non-zero (accents, dakuten, …), then full case folding. Tokens
//! are the maximal runs of word characters (letters, digits, `_` and the
//! marks that survived) in the folded text; everything else is a break.
//! Scripts written without spaces between words (Han, kana, Thai, Lao,
//! Khmer, Myanmar: see `is_solo`) are the exception: each of their word
//! characters is a token of its own, so a term in them is a sequence of
//! adjacent one-character tokens and matches wherever its characters occur
//! in a run of text, as a phrase does.
//!
//! Tokenising is the hot path of every article, so it runs over bytes:
//! ASCII (the bulk of most news text) goes through one table lookup per
//! byte, and only other characters pay for the decomposition and
//! case-folding tables. Both paths give exactly the folded result.

mod fast;

use caseless::Caseless;
use unicode_normalization::char::{canonical_combining_class, decompose_compatible};

/// Folds `text`: NFKD, drops combining marks (non-zero canonical combining
/// class), then applies full Unicode case folding.
///
/// `fold("Straße Dräger ﬁ")` is `"strasse drager fi"`.
pub fn fold(text: &str) -> String {
    let mut folded = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_ascii() {
            folded.push(c.to_ascii_lowercase());
        } else {
            fold_non_ascii(c, &mut |d| folded.push(d));
        }
    }
    folded
}

/// Folds `text` and cuts it into word tokens (maximal runs of word
/// characters), so hyphens, apostrophes and all punctuation break words.
///
/// `tokenize("Kim Jong-un’s")` is `["kim", "jong", "un", "s"]`.
pub fn tokenize(text: &str) -> Vec<String> {
    let mut tokens = Tokens::default();
    tokens.push_text(text);
    tokens
        .iter()
        .map(|t| String::from_utf8_lossy(t).into_owned())
        .collect()
}

/// Folded tokens stored back to back in one buffer, with the end offset
/// of each: two allocations for a whole article instead of one per token.
#[derive(Debug, Clone, Default)]
pub(crate) struct Tokens {
    /// The folded tokens, concatenated; always valid UTF-8.
    bytes: Vec<u8>,
    /// End offset in `bytes` of each token, ascending.
    ends: Vec<u32>,
    /// Where the token being built starts in `bytes`.
    start: usize,
}

/// `ASCII_FOLD[b]` is the lower-cased byte for an ASCII word character
/// (letter, digit, `_`) and 0 for a word break.
const ASCII_FOLD: [u8; 128] = {
    let mut table = [0u8; 128];
    let mut b = 0;
    while b < 128 {
        let c = b as u8;
        if c.is_ascii_alphanumeric() || c == b'_' {
            table[b] = c.to_ascii_lowercase();
        }
        b += 1;
    }
    table
};

impl Tokens {
    /// A buffer sized for about `text_len` bytes of text.
    pub(crate) fn with_capacity(text_len: usize) -> Tokens {
        Tokens {
            bytes: Vec::with_capacity(text_len),
            // Typical prose averages about six bytes per token.
            ends: Vec::with_capacity(text_len / 6 + 1),
            start: 0,
        }
    }

    /// Number of tokens.
    pub(crate) fn len(&self) -> usize {
        self.ends.len()
    }

    /// The folded bytes of token `i`; empty when out of range.
    pub(crate) fn get(&self, i: usize) -> &[u8] {
        let Some(&end) = self.ends.get(i) else {
            return &[];
        };
        let start = if i == 0 { 0 } else { self.ends[i - 1] };
        &self.bytes[start as usize..end as usize]
    }

    /// Every token in order.
    pub(crate) fn iter(&self) -> impl Iterator<Item = &[u8]> + '_ {
        (0..self.len()).map(|i| self.get(i))
    }

    /// Folds `text` and appends its tokens. Text that starts after a
    /// call never joins a token of the previous call, as if a newline
    /// separated them.
    pub(crate) fn push_text(&mut self, text: &str) {
        let written = self.bytes.len();
        let mut cut = Cutter {
            bytes: &mut self.bytes,
            written,
            ends: &mut self.ends,
            start: self.start,
        };
        cut.text(text);
        cut.end_token();
        self.start = cut.start;
        let written = cut.written;
        self.bytes.truncate(written);
    }
}

/// The tokeniser's working state, as separate borrows so that the hot
/// loop keeps its positions in registers instead of reloading them
/// through `&mut self` after every write.
///
/// `bytes` is kept longer than the folded text (`written` bytes) by at
/// least the ASCII text still to come, so ASCII bytes are stored by index
/// with no capacity check; ASCII folds byte for byte, and the rare chars
/// that fold to more bytes than they take grow the buffer as they go.
struct Cutter<'a> {
    bytes: &'a mut Vec<u8>,
    /// Length of the folded text in `bytes`; the rest is slack.
    written: usize,
    ends: &'a mut Vec<u32>,
    /// Where the token being built starts in `bytes`.
    start: usize,
}

impl Cutter<'_> {
    fn text(&mut self, text: &str) {
        let bytes = text.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            i = self.ascii_run(bytes, i);
            let Some(c) = text.get(i..).and_then(|rest| rest.chars().next()) else {
                break;
            };
            i += c.len_utf8();
            self.non_ascii(c);
        }
    }

    /// Folds the ASCII bytes from `i` on, stopping at the first other
    /// byte; returns where it stopped. One table lookup and one store per
    /// byte, which is what makes the bulk of news text cheap.
    #[inline]
    fn ascii_run(&mut self, bytes: &[u8], i: usize) -> usize {
        let rest = bytes.get(i..).unwrap_or_default();
        let need = self.written + rest.len();
        if self.bytes.len() < need {
            self.bytes.resize(need, 0);
        }
        let out = &mut self.bytes[..];
        let (mut written, mut start) = (self.written, self.start);
        let mut stop = rest.len();
        for (k, &b) in rest.iter().enumerate() {
            if !b.is_ascii() {
                stop = k;
                break;
            }
            let folded = ASCII_FOLD[usize::from(b)];
            out[written] = folded;
            if folded != 0 {
                written += 1;
            } else if written != start {
                // A break closes the token (offsets past u32 drop it,
                // as in `end_token`).
                match u32::try_from(written) {
                    Ok(end) => {
                        self.ends.push(end);
                        start = written;
                    }
                    Err(_) => written = start,
                }
            }
        }
        (self.written, self.start) = (written, start);
        i + stop
    }

    /// Folds one non-ASCII char into the current token or a break, using
    /// the precomputed table or arithmetic for the common scripts.
    fn non_ascii(&mut self, c: char) {
        match fast::fold(c) {
            fast::Folded::Break => self.end_token(),
            fast::Folded::Solo(c) => self.solo_char(c),
            fast::Folded::Hangul(jamo) => {
                jamo.into_iter().flatten().for_each(|j| self.word_char(j))
            }
            fast::Folded::Table(folded) => {
                for &b in folded {
                    if b == fast::BREAK {
                        self.end_token();
                    } else {
                        self.put(b);
                    }
                }
            }
            fast::Folded::Slow => fold_non_ascii(c, &mut |d| self.folded(d)),
        }
    }

    /// Adds one folded char: a word char extends the token, others end it.
    fn folded(&mut self, d: char) {
        if d.is_ascii() && ASCII_FOLD[d as usize] != 0 {
            self.put(ASCII_FOLD[d as usize]);
        } else if is_solo(d) {
            self.solo_char(d);
        } else if !d.is_ascii() && is_word_char(d) {
            self.word_char(d);
        } else {
            self.end_token();
        }
    }

    #[inline]
    fn word_char(&mut self, c: char) {
        let mut utf8 = [0; 4];
        for &b in c.encode_utf8(&mut utf8).as_bytes() {
            self.put(b);
        }
    }

    /// Adds a char of a script without word spaces as a token of its own.
    #[inline]
    fn solo_char(&mut self, c: char) {
        self.end_token();
        self.word_char(c);
        self.end_token();
    }

    /// Appends one folded byte, into the slack if there is any.
    #[inline]
    fn put(&mut self, b: u8) {
        match self.bytes.get_mut(self.written) {
            Some(slot) => *slot = b,
            None => self.bytes.push(b),
        }
        self.written += 1;
    }

    /// Closes the current token, if it has any bytes.
    #[inline]
    fn end_token(&mut self) {
        let len = self.written;
        if len == self.start {
            return;
        }
        // Offsets are u32 to halve memory; past 4 GiB of folded text the
        // tail is dropped rather than wrapping offsets.
        match u32::try_from(len) {
            Ok(end) => {
                self.ends.push(end);
                self.start = len;
            }
            Err(_) => self.written = self.start,
        }
    }
}

/// Folds one non-ASCII char, emitting its folded chars in order. Folding
/// char by char equals folding the whole string: NFKD's canonical
/// reordering only permutes runs of non-zero-class marks, which are all
/// dropped, so each char's contribution is independent of its neighbours.
pub(crate) fn fold_non_ascii(c: char, emit: &mut impl FnMut(char)) {
    decompose_compatible(c, |d| {
        if d.is_ascii() {
            // `é` → `e`: skip the case-folding table search.
            emit(d.to_ascii_lowercase());
        } else if canonical_combining_class(d) == 0 {
            // Marks are dropped before case folding.
            std::iter::once(d).default_case_fold().for_each(&mut *emit);
        }
    });
}

/// Whether `c` belongs inside a word: the equivalent of a Unicode-aware
/// regex `\w` (alphabetic, numeric, or `_`).
pub(crate) fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// Whether folded char `c` is a word char of a script written without
/// spaces between words, and so a token of its own: Han (with its
/// radicals and iteration marks), Hiragana and Katakana (with the
/// prolonged sound mark), Thai, Lao, Khmer and Myanmar. Korean puts spaces
/// between words and keeps whole-word tokens. Half-width kana and
/// compatibility ideographs need no entry: folding maps them to these.
pub(crate) fn is_solo(c: char) -> bool {
    let cp = c as u32;
    let solo = matches!(
        cp,
        0x0E00..=0x0EFF         // Thai, Lao
            | 0x1000..=0x109F   // Myanmar
            | 0x1780..=0x17FF   // Khmer
            | 0x19E0..=0x19FF   // Khmer symbols
            | 0x2E80..=0x2FDF   // CJK and Kangxi radicals
            | 0x3005..=0x3007   // 々 〆 〇
            | 0x3021..=0x3029   // Hangzhou numerals
            | 0x3031..=0x3035   // kana repeat marks
            | 0x3038..=0x303C   // Han numerals, masu mark
            | 0x3040..=0x30FF   // Hiragana, Katakana
            | 0x31F0..=0x31FF   // Katakana phonetic extensions
            | 0x3400..=0x4DBF   // Han extension A
            | 0x4E00..=0x9FFF   // Han
            | 0xA9E0..=0xA9FF   // Myanmar extended B
            | 0xAA60..=0xAA7F   // Myanmar extended A
            | 0xF900..=0xFAFF   // CJK compatibility ideographs
            | 0x1B000..=0x1B16F // kana supplement and extensions
            | 0x20000..=0x3FFFF // Han extensions B and later
    );
    solo && is_word_char(c)
}

#[cfg(test)]
mod tests;
