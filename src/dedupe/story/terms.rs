//! Reading a title and lead into terms. A term is a normalised word of at
//! least three letters, or a number of at least two digits, with a plural
//! `s` dropped so that "plague" and "plagues" meet. Besides the terms, the
//! *names* of the lead are collected: words capitalised inside a sentence,
//! runs of two such words ("kim kye", "kye gwan"), numbers, and words of
//! scripts without case. Names are what distinguishes one event from
//! another on the same topic, and function words of any language with case
//! are never among them.

use super::super::hash::{hash_bytes, hash_seq};
use super::super::normalize::{Normalizer, Piece};
use rustc_hash::FxHashMap;

/// The terms of a document: weighted counts, and its names.
#[derive(Debug, Default)]
pub struct DocTerms {
    /// Term → weighted count (title words weigh more).
    pub counts: FxHashMap<u32, f32>,
    /// Distinct names, sorted.
    pub names: Vec<u32>,
    /// Distinct shingles of quotations (runs of [`QUOTE_WORDS`] words
    /// inside quotation marks anywhere in the body), sorted.
    pub quotes: Vec<u32>,
}

/// Words per quotation shingle: long enough that two texts share one only
/// by quoting the same words.
pub const QUOTE_WORDS: usize = 4;

/// Words of a body read for quotations at most.
const QUOTE_BODY_WORDS: usize = 3000;

/// The shingles of the quotations in `text`: write-ups of one statement
/// quote the same sentences of it, while a later statement on the same
/// topic is quoted in other words.
fn quotations(normalizer: &mut Normalizer, text: &str) -> Vec<u32> {
    let mut out = Vec::new();
    let mut run: Vec<u64> = Vec::with_capacity(64);
    let mut inside = false;
    let mut words = 0;
    let shingle = |run: &mut Vec<u64>, out: &mut Vec<u32>| {
        out.extend(run.windows(QUOTE_WORDS).map(|w| hash_seq(w) as u32));
        run.clear();
    };
    normalizer.for_each_piece(text, |piece| match piece {
        Piece::Word(w) => {
            words += 1;
            if inside && words <= QUOTE_BODY_WORDS {
                run.push(hash_bytes(w.as_bytes()));
            }
        }
        Piece::Quote => {
            shingle(&mut run, &mut out);
            inside = !inside;
        }
        // A quotation that runs to the end of its paragraph (the style
        // that reopens the marks on the next one) counts as closed there.
        Piece::LineEnd => {
            shingle(&mut run, &mut out);
            inside = false;
        }
    });
    out.sort_unstable();
    out.dedup();
    out
}

/// The hash of a normalised word as a term, or None when it is too short.
fn term_of(word: &str) -> Option<u32> {
    let digits = word.bytes().any(|b| b.is_ascii_digit());
    if word.chars().count() < 3 && !(digits && word.len() >= 2) {
        return None;
    }
    let stem = match word.strip_suffix('s') {
        Some(s) if s.len() >= 4 && !s.ends_with('s') && !s.ends_with('u') && !s.ends_with('i') => s,
        _ => word,
    };
    Some(hash_bytes(stem.as_bytes()) as u32)
}

/// A raw word of the text with what its surroundings say about it.
struct RawWord<'a> {
    text: &'a str,
    /// First of a sentence (or line), where every language capitalises.
    starts_sentence: bool,
    /// Directly after the previous word (only spaces or a hyphen between).
    joined: bool,
}

/// Calls `f` with each raw word (letters, digits, marks) of `text`.
fn raw_words(text: &str, mut f: impl FnMut(RawWord<'_>)) {
    let mut start = None;
    let mut sentence = true;
    let mut joined = false;
    for (i, c) in text.char_indices().chain([(text.len(), '\n')]) {
        let word_char = c.is_alphanumeric() || c == '_' || is_mark(c);
        match (word_char, start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                f(RawWord {
                    text: &text[s..i],
                    starts_sentence: sentence,
                    joined,
                });
                start = None;
                sentence = false;
                joined = true;
            }
            _ => {}
        }
        if !word_char {
            match c {
                '.' | '!' | '?' | ':' | ';' | '\n' | '\r' | '\u{2028}' | '\u{2029}' => {
                    sentence = true;
                    joined = false;
                }
                ' ' | '-' | '\u{a0}' => {}
                _ => joined = false,
            }
        }
    }
}

fn is_mark(c: char) -> bool {
    unicode_normalization::char::is_combining_mark(c)
}

/// True for a word that names something: capitalised inside a sentence, a
/// number, or in a script without case.
fn is_name(word: &RawWord<'_>) -> bool {
    let Some(first) = word.text.chars().next() else {
        return false;
    };
    if word.text.chars().any(|c| c.is_ascii_digit()) {
        return true;
    }
    if first.is_alphabetic() && !first.is_uppercase() && !first.is_lowercase() {
        return true;
    }
    first.is_uppercase() && !word.starts_sentence
}

/// Reads a title and the first `lead_words` words of a body.
pub fn read(
    normalizer: &mut Normalizer,
    title: &str,
    text: &str,
    lead_words: usize,
    title_weight: f32,
    name_weight: f32,
) -> DocTerms {
    let mut doc = DocTerms::default();
    normalizer.for_each_piece(title, |piece| {
        if let Piece::Word(w) = piece
            && let Some(t) = term_of(w)
        {
            *doc.counts.entry(t).or_default() += title_weight;
        }
    });
    let mut words = 0;
    let mut previous_name: Option<u64> = None;
    raw_words(text, |raw| {
        words += 1;
        if words > lead_words {
            return;
        }
        let name = is_name(&raw);
        // Normalise the raw word the way copies are compared (one raw word
        // may give more than one, e.g. "½").
        let mut last = None;
        normalizer.for_each_piece(raw.text, |piece| {
            if let Piece::Word(w) = piece {
                let h = term_of(w);
                if let Some(t) = h {
                    *doc.counts.entry(t).or_default() += if name { name_weight } else { 1.0 };
                    if name {
                        doc.names.push(t);
                    }
                }
                last = Some(hash_bytes(w.as_bytes()));
            }
        });
        // Runs of names: "Kim Kye Gwan" gives "kim kye" and "kye gwan",
        // more telling than any of its words.
        match (name, last, previous_name) {
            (true, Some(h), Some(p)) if raw.joined => {
                doc.names.push(hash_seq(&[p, h]) as u32);
                previous_name = Some(h);
            }
            (true, Some(h), _) => previous_name = Some(h),
            _ => previous_name = None,
        }
    });
    doc.names.sort_unstable();
    doc.names.dedup();
    doc.quotes = quotations(normalizer, text);
    doc
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names_of(text: &str) -> usize {
        read(&mut Normalizer::new(), "", text, 100, 3.0, 2.0)
            .names
            .len()
    }

    #[test]
    fn names_are_capitalised_inside_sentences_or_numbers() {
        // "The" starts a sentence; "Kim Kye Gwan" gives three words and
        // two pairs; 2019 is a number.
        assert_eq!(names_of("The adviser Kim Kye Gwan spoke in 2019."), 6);
        // German function words are lower case; nouns are capitalised.
        assert_eq!(names_of("Die Regierung und der Rat."), 2);
        assert_eq!(names_of("und der die das mit von"), 0);
    }
}
