//! Fingerprinting many bodies fast: a [`Fingerprinter`] keeps its buffers
//! and its character cache from one text to the next, and picks the
//! bottom-k sample without sorting every shingle. The result is exactly
//! [`Fingerprint::from_shingle_hashes`] of all shingles; only the work
//! differs.
//!
//! Shingle hashes are uniform, so of `n` shingles about `k` fall below
//! `k / n` of the hash range. Only those below a somewhat higher cut-off
//! are kept and sorted; when repeats or chance leave fewer than `k`
//! distinct ones below it, the sample is taken again from all shingles.

use super::shingle::{Words, for_each_shingle};
use super::sketch::{Fingerprint, SKETCH_SIZE};
use std::cell::RefCell;

/// Reusable state for fingerprinting; see the module docs.
#[derive(Debug, Default)]
pub struct Fingerprinter {
    words: Words,
    sample: Vec<u64>,
}

/// The cut-off keeps this many shingles on average, so that fewer than
/// [`SKETCH_SIZE`] fall below it only about once in 10^5 texts (4.6
/// standard deviations).
const EXPECTED_KEPT: u64 = (SKETCH_SIZE + SKETCH_SIZE / 2) as u64;

impl Fingerprinter {
    /// A fingerprinter with empty buffers.
    pub fn new() -> Fingerprinter {
        Fingerprinter::default()
    }

    /// Fingerprints an article body (the extracted text, never the raw page).
    pub fn fingerprint(&mut self, text: &str) -> Fingerprint {
        let words = self.words.content_words(text);
        let sample = &mut self.sample;
        sample.clear();
        let shingles = words
            .len()
            .saturating_sub(super::shingle::SHINGLE_WORDS - 1);
        if shingles as u64 > 2 * EXPECTED_KEPT {
            let cut = u64::MAX / shingles as u64 * EXPECTED_KEPT;
            for_each_shingle(words, |h| {
                if h <= cut {
                    sample.push(h);
                }
            });
            sample.sort_unstable();
            sample.dedup();
            if sample.len() >= SKETCH_SIZE {
                sample.truncate(SKETCH_SIZE);
                return Fingerprint::from_sorted(sample, shingles);
            }
            sample.clear();
        }
        let total = for_each_shingle(words, |h| sample.push(h));
        sample.sort_unstable();
        sample.dedup();
        sample.truncate(SKETCH_SIZE);
        Fingerprint::from_sorted(sample, total)
    }
}

thread_local! {
    static SHARED: RefCell<Fingerprinter> = RefCell::new(Fingerprinter::new());
}

/// Fingerprints an article body (the extracted text, never the raw page),
/// reusing a per-thread [`Fingerprinter`].
pub fn fingerprint(text: &str) -> Fingerprint {
    SHARED.with(|f| match f.try_borrow_mut() {
        Ok(mut f) => f.fingerprint(text),
        // Only reachable from inside a fingerprint call; stay correct.
        Err(_) => Fingerprinter::new().fingerprint(text),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dedupe::shingle::{content_words, shingles};

    fn reference(text: &str) -> Fingerprint {
        let mut hashes = Vec::new();
        shingles(&content_words(text), &mut hashes);
        Fingerprint::from_shingle_hashes(hashes)
    }

    /// Fingerprints are persisted: the same text must give the same bytes
    /// from one release to the next (or come with a new format version).
    #[test]
    fn fingerprints_do_not_change() {
        let seed = include_str!("../../seeds/003_70b5c2bd2ece4fed.txt");
        let mixed =
            "Déjà vu: “ÉTÉ” in Straße, Łódź and 서울; Кремль заявил, что ﬁnal ½ of it. ".repeat(40);
        let digest = [seed, mixed.as_str()]
            .map(|t| crate::dedupe::hash::hash_bytes(&fingerprint(t).to_bytes()));
        assert_eq!(
            digest,
            [0xd90e_15fa_1a8b_dbba, 0xd8aa_5e06_ef97_a8b6],
            "{digest:x?}"
        );
    }

    #[test]
    fn same_as_sketching_every_shingle() {
        let long: String = (0..900).map(|i| format!("w{} ", i * 7919 % 1000)).collect();
        // Repeats: fewer distinct shingles than the cut-off expects.
        let repeated = "one two three four five six seven eight nine ten ".repeat(80);
        let mut f = Fingerprinter::new();
        for text in [
            long.as_str(),
            repeated.as_str(),
            "short text",
            "",
            "Ünïcödé wörds",
        ] {
            assert_eq!(f.fingerprint(text), reference(text), "{text:.40}");
            assert_eq!(fingerprint(text), reference(text));
        }
    }
}
