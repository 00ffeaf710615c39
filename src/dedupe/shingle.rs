//! Turning a body into the set of its word shingles (hashes of every run of
//! [`SHINGLE_WORDS`] consecutive words). Two copies of one text share almost
//! all of their shingles; two different texts share only the few that common
//! phrases and boilerplate sentences make.
//!
//! Short lines (fewer than [`MIN_LINE_WORDS`] words) are left out: they are
//! where copies differ most (credit lines, "Via …", editor's notes, photo
//! captions, "Read more: <headline>" promos, datelines on their own line),
//! while the text that makes a copy a copy sits in full paragraphs. The
//! remaining lines form one stream, so shingles run across line breaks and
//! an extractor that splits or joins paragraphs differently changes little.
//! A body made only of short lines (or quotations) is taken whole.
//!
//! Quotations (words between double quotation marks on one line) are left
//! out too: different write-ups of one event quote the same statement at
//! length, while copies of one text also share its own narrative. Without
//! the quotes, a copy is still almost contained in its original, but a
//! separate article on the same statement shares much less of its text.

use super::hash::hash_seq;
use super::normalize::{Normalizer, Token};

/// Words per shingle. Five words make a phrase specific enough that two
/// unrelated articles rarely share it, while an edit (a changed spelling, a
/// dateline) spoils only the five shingles that contain the edited word.
pub const SHINGLE_WORDS: usize = 5;

/// Lines shorter than this many words do not contribute shingles (see the
/// module docs). News paragraphs are mostly 20–60 words; inserted furniture
/// is mostly under 16.
pub const MIN_LINE_WORDS: usize = 16;

/// When the long lines of a body hold fewer words than this, the whole body
/// is used instead, so that a short text still has a fingerprint.
pub const MIN_KEPT_WORDS: usize = 40;

/// The hashes of the words of `text` that count for copy detection, in order.
pub fn content_words(text: &str) -> Vec<u64> {
    Words::default().content_words(text).to_vec()
}

/// Reusable buffers for [`Words::content_words`].
#[derive(Debug, Default)]
pub struct Words {
    normalizer: Normalizer,
    kept: Vec<u64>,
    line: Vec<u64>,
    quoted: Vec<u64>,
}

impl Words {
    /// The hashes of the words of `text` that count for copy detection, in
    /// order: those of the long lines outside quotations, or all of them
    /// when those are too few.
    pub fn content_words(&mut self, text: &str) -> &[u64] {
        self.collect(text, true);
        if self.kept.len() < MIN_KEPT_WORDS {
            self.collect(text, false);
        }
        &self.kept
    }

    /// Word hashes of the long lines outside quotations (`filtered`), or of
    /// all words, into `kept`.
    fn collect(&mut self, text: &str, filtered: bool) {
        let Words {
            normalizer,
            kept,
            line,
            quoted,
        } = self;
        kept.clear();
        if !filtered {
            normalizer.for_each_hash(text, |token| {
                if let Token::Word(h) = token {
                    kept.push(h);
                }
            });
            return;
        }
        line.clear();
        // Words of the line outside quotations, and from the last opening mark.
        quoted.clear();
        let mut inside = false;
        normalizer.for_each_hash(text, |token| match token {
            Token::Word(h) => {
                if inside {
                    quoted.push(h);
                } else {
                    line.push(h);
                }
            }
            Token::Quote => {
                inside = !inside;
                quoted.clear();
            }
            Token::LineEnd => {
                // An unclosed quotation (a stray mark) counts as text.
                line.append(quoted);
                inside = false;
                if line.len() >= MIN_LINE_WORDS {
                    kept.extend_from_slice(line);
                }
                line.clear();
            }
        });
    }
}

/// Calls `f` with the hash of every shingle of a word-hash stream (with
/// repeats; the sketch keeps a set), and returns how many. A stream shorter
/// than one shingle gives a single shingle of all its words; an empty one
/// gives none.
#[inline]
pub fn for_each_shingle(words: &[u64], mut f: impl FnMut(u64)) -> usize {
    if words.is_empty() {
        return 0;
    }
    if words.len() < SHINGLE_WORDS {
        f(hash_seq(words));
        return 1;
    }
    words.windows(SHINGLE_WORDS).for_each(|w| f(hash_seq(w)));
    words.len() + 1 - SHINGLE_WORDS
}

/// Appends the shingle hashes of a word-hash stream to `out` (with repeats;
/// the sketch keeps a set). A stream shorter than one shingle gives a single
/// shingle of all its words; an empty one gives none.
pub fn shingles(words: &[u64], out: &mut Vec<u64>) {
    for_each_shingle(words, |h| out.push(h));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_lines_are_left_out_unless_nothing_else_remains() {
        let para = "one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen twenty twentyone twentytwo twentythree twentyfour twentyfive twentysix twentyseven twentyeight twentynine thirty thirtyone thirtytwo thirtythree thirtyfour thirtyfive thirtysix thirtyseven thirtyeight thirtynine forty";
        let with_credit = format!("{para}\n\nReporting by Jane Roe; Editing by John Doe");
        assert_eq!(content_words(para), content_words(&with_credit));
        assert_eq!(content_words("Via Wirestream").len(), 2);
    }

    #[test]
    fn shingle_count() {
        let mut out = Vec::new();
        shingles(&[1, 2, 3, 4, 5, 6], &mut out);
        assert_eq!(out.len(), 2);
        out.clear();
        shingles(&[1, 2], &mut out);
        assert_eq!(out.len(), 1);
    }
}
