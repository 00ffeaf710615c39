//! The hasher for token lookups. Every article token is hashed once per
//! topic set, so SipHash (std's default) would cost as much as folding;
//! this multiply-rotate hash takes 8 bytes per step. It is seeded per
//! table from std's random state, so article text cannot be crafted to
//! collide with a deployment's query tokens.

use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};

/// Odd 64-bit multipliers with well-mixed bits.
const K1: u64 = 0xf135_7aea_2e62_a9c5;
const K2: u64 = 0x9e37_79b9_7f4a_7c15;

/// Builds `TokenHasher`s sharing one random seed.
#[derive(Debug, Clone)]
pub(crate) struct SeededState {
    seed: u64,
}

impl Default for SeededState {
    fn default() -> SeededState {
        SeededState {
            seed: RandomState::new().hash_one(K2),
        }
    }
}

impl BuildHasher for SeededState {
    type Hasher = TokenHasher;

    fn build_hasher(&self) -> TokenHasher {
        TokenHasher { hash: self.seed }
    }
}

/// A fast, non-cryptographic hasher for short byte strings.
#[derive(Debug, Clone)]
pub(crate) struct TokenHasher {
    hash: u64,
}

impl TokenHasher {
    #[inline]
    fn add(&mut self, word: u64) {
        self.hash = (self.hash.rotate_left(23) ^ word).wrapping_mul(K1);
    }
}

impl Hasher for TokenHasher {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            let mut word = [0; 8];
            word.copy_from_slice(chunk);
            self.add(u64::from_le_bytes(word));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut word = [0; 8];
            word[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(word));
        }
    }

    #[inline]
    fn write_usize(&mut self, n: usize) {
        self.add(n as u64);
    }

    #[inline]
    fn write_u32(&mut self, n: u32) {
        self.add(u64::from(n));
    }

    /// Folds a full 128-bit product so both the low bits (bucket index)
    /// and the high bits (control byte) depend on every input bit.
    #[inline]
    fn finish(&self) -> u64 {
        let full = u128::from(self.hash) * u128::from(K2);
        (full as u64) ^ ((full >> 64) as u64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_inputs_hash_equal_and_lengths_matter() {
        let state = SeededState::default();
        assert_eq!(
            state.hash_one(b"sanctions".as_slice()),
            state.hash_one(b"sanctions".as_slice())
        );
        assert_ne!(
            state.hash_one(b"a".as_slice()),
            state.hash_one(b"a\0".as_slice())
        );
        assert_ne!(
            state.hash_one(b"ab".as_slice()),
            state.hash_one(b"ba".as_slice())
        );
    }
}
