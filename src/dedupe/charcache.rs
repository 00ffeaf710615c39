//! What normalisation does with one non-ASCII character, remembered. The
//! Unicode property lookups and the compatibility decomposition cost
//! hundreds to thousands of instructions per character, while a text uses
//! few distinct ones (the accented letters of its language, curly quotes,
//! dashes), so each answer is computed once and kept in a small
//! direct-mapped table indexed by the code point.

use unicode_normalization::char::{decompose_compatible, is_combining_mark};

/// Bytes of decomposed output a cache entry holds; longer decompositions
/// (a few ligatures and squared words) are recomputed each time.
const OUT: usize = 22;

/// Entries of the table (a power of two).
const SLOTS: usize = 4096;

/// What a character does to the word being built.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action<'a> {
    /// Appends these lower-cased letters (UTF-8; a 0xff byte ends the word
    /// there and starts a new one).
    Letters(&'a [u8]),
    /// A combining mark: dropped, the word goes on.
    Mark,
    /// Ends the word.
    Break,
    /// Ends the word and the line.
    LineEnd,
    /// Ends the word; a double quotation mark.
    Quote,
    /// A letter whose decomposition is too long to keep: see
    /// [`CharCache::decompose_into`].
    Long,
}

#[derive(Debug, Clone, Copy)]
struct Entry {
    /// The character, or u32::MAX for an empty slot.
    ch: u32,
    kind: u8,
    len: u8,
    out: [u8; OUT],
}

const LETTERS: u8 = 0;
const MARK: u8 = 1;
const BREAK: u8 = 2;
const LINE_END: u8 = 3;
const QUOTE: u8 = 4;
const LONG: u8 = 5;

const EMPTY: Entry = Entry {
    ch: u32::MAX,
    kind: BREAK,
    len: 0,
    out: [0; OUT],
};

/// The table; see the module docs.
#[derive(Debug)]
pub struct CharCache {
    slots: Box<[Entry]>,
}

impl Default for CharCache {
    fn default() -> CharCache {
        CharCache {
            slots: vec![EMPTY; SLOTS].into_boxed_slice(),
        }
    }
}

/// Characters that end a line. Lines matter because short lines of a body
/// (credits, captions, promos) are treated apart from its paragraphs.
fn is_line_break(c: char) -> bool {
    matches!(
        c,
        '\n' | '\r' | '\u{0b}' | '\u{0c}' | '\u{85}' | '\u{2028}' | '\u{2029}'
    )
}

/// Double quotation marks. Straight and curly ones are not told apart: the
/// marks only toggle "inside a quotation", and copies swap the styles.
fn is_double_quote(c: char) -> bool {
    matches!(
        c,
        '"' | '\u{201c}' | '\u{201d}' | '\u{201e}' | '\u{201f}' | '\u{ab}' | '\u{bb}' | '\u{ff02}'
    )
}

/// The break kind of a character that is not part of a word.
fn break_kind(c: char) -> u8 {
    if is_line_break(c) {
        LINE_END
    } else if is_double_quote(c) {
        QUOTE
    } else {
        BREAK
    }
}

impl CharCache {
    /// What `c` (not ASCII) does; computed on first use.
    #[inline]
    pub fn get(&mut self, c: char) -> Action<'_> {
        let slot = (c as usize).wrapping_mul(0x9e37_79b9) >> 22 & (SLOTS - 1);
        if self.slots[slot].ch != c as u32 {
            self.slots[slot] = CharCache::compute(c);
        }
        let e = &self.slots[slot];
        match e.kind {
            LETTERS => Action::Letters(&e.out[..usize::from(e.len)]),
            MARK => Action::Mark,
            LINE_END => Action::LineEnd,
            QUOTE => Action::Quote,
            LONG => Action::Long,
            _ => Action::Break,
        }
    }

    fn compute(c: char) -> Entry {
        let mut e = Entry {
            ch: c as u32,
            ..EMPTY
        };
        // General punctuation (curly quotes, dashes, special spaces) is
        // never part of a word.
        if ('\u{2000}'..='\u{206f}').contains(&c) {
            e.kind = break_kind(c);
        } else if c.is_alphanumeric() {
            let mut out = Vec::with_capacity(OUT);
            decompose_compatible(c, |d| {
                if is_combining_mark(d) {
                    return;
                }
                if d.is_alphanumeric() || d == '_' {
                    for l in d.to_lowercase() {
                        let mut buf = [0; 4];
                        out.extend_from_slice(l.encode_utf8(&mut buf).as_bytes());
                    }
                } else {
                    out.push(0xff);
                }
            });
            if out.len() <= OUT {
                e.kind = LETTERS;
                e.len = out.len() as u8;
                e.out[..out.len()].copy_from_slice(&out);
            } else {
                e.kind = LONG;
            }
        } else if is_combining_mark(c) {
            e.kind = MARK;
        } else {
            e.kind = break_kind(c);
        }
        e
    }

    /// Appends the decomposed, lower-cased letters of `c` to `word`, calling
    /// `flush` where the decomposition holds a non-letter (the uncached path
    /// for [`Action::Long`]).
    pub fn decompose_into(c: char, word: &mut Vec<u8>, flush: &mut dyn FnMut(&mut Vec<u8>)) {
        decompose_compatible(c, |d| {
            if is_combining_mark(d) {
                return;
            }
            if d.is_alphanumeric() || d == '_' {
                for l in d.to_lowercase() {
                    let mut buf = [0; 4];
                    word.extend_from_slice(l.encode_utf8(&mut buf).as_bytes());
                }
            } else {
                flush(word);
            }
        });
    }
}

impl Action<'_> {
    /// True when the character (a letter, digit or combining mark)
    /// continues a word that ASCII letters began.
    pub fn starts_word(&self) -> bool {
        !matches!(self, Action::Break | Action::LineEnd | Action::Quote)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn actions_are_cached_and_correct() {
        let mut cache = CharCache::default();
        for _ in 0..2 {
            assert_eq!(cache.get('É'), Action::Letters(b"e"));
            assert_eq!(cache.get('\u{301}'), Action::Mark);
            assert_eq!(cache.get('\u{201c}'), Action::Quote);
            assert_eq!(cache.get('\u{2028}'), Action::LineEnd);
            assert_eq!(cache.get('—'), Action::Break);
            assert_eq!(cache.get('½'), Action::Letters(b"1\xff2"));
            assert_eq!(cache.get('\u{fdfa}'), Action::Long);
        }
        // General punctuation is taken as breaks without property lookups:
        // none of it is a letter, digit or mark.
        for c in '\u{2000}'..='\u{206f}' {
            assert!(!c.is_alphanumeric() && !is_combining_mark(c), "{c:?}");
        }
    }
}
