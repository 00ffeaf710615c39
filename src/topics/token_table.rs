//! The table from exact query tokens to their atoms, probed once for
//! every token of every article. A general hash map keeps each key behind
//! a pointer, so every probe that finds a candidate costs a second cache
//! miss to compare bytes. Here a slot holds the token's length and first
//! eight bytes inline, which settles most tokens in one miss; only the
//! bytes of longer tokens beyond the eighth are compared out of line.
//! Most article tokens are in no query, and with a hundred thousand topics
//! the slots no longer fit in cache, so a small filter (8 bits per slot,
//! one bit tested) turns most absent tokens away before any slot is read.

use std::hash::BuildHasher;

use super::hash::SeededState;

/// A set of distinct tokens, each with a `u32` value.
#[derive(Debug, Clone, Default)]
pub(crate) struct TokenTable {
    /// Open addressing with linear probing, at most half full; a slot
    /// with length 0 is empty (tokens are never empty).
    slots: Vec<Slot>,
    /// For each value, where the token's bytes after the eighth start in
    /// `tails` (values are dense: `0..len`).
    tail_starts: Vec<u32>,
    tails: Vec<u8>,
    /// Random per table, so that which tokens share a probe sequence
    /// differs between deployments.
    seed: u64,
    /// log2 of the slot count.
    bits: u32,
    /// Bit `h` is set for the filter hash `h` of every token (see
    /// `hash`); the slot is that hash less its low `FILTER_EXTRA` bits.
    filter: Vec<u64>,
}

/// The filter has 2^FILTER_EXTRA bits per slot.
const FILTER_EXTRA: u32 = 3;

/// Odd multipliers with well-mixed bits.
const K1: u64 = 0xf135_7aea_2e62_a9c5;
const K2: u64 = 0x9e37_79b9_7f4a_7c15;

#[derive(Debug, Clone, Copy, Default)]
struct Slot {
    /// The token's first eight bytes, zero-padded, little-endian.
    head: u64,
    len: u32,
    value: u32,
}

impl TokenTable {
    /// Builds the table; `tokens[v]` gets value `v`. Tokens must be
    /// distinct and non-empty.
    pub(crate) fn new(tokens: &[&[u8]]) -> TokenTable {
        let size = (tokens.len() * 2).next_power_of_two().max(2);
        let mut table = TokenTable {
            slots: vec![Slot::default(); size],
            tail_starts: Vec::with_capacity(tokens.len()),
            tails: Vec::new(),
            seed: SeededState::default().hash_one(size),
            bits: size.trailing_zeros(),
            filter: vec![0; (size << FILTER_EXTRA).div_ceil(64)],
        };
        for (value, token) in tokens.iter().enumerate() {
            table.tail_starts.push(table.tails.len() as u32);
            table
                .tails
                .extend_from_slice(token.get(8..).unwrap_or_default());
            let mask = size - 1;
            let hash = table.hash(head(token), token);
            table.filter[hash / 64] |= 1 << (hash % 64);
            let mut i = (hash >> FILTER_EXTRA) & mask;
            while table.slots[i].len != 0 {
                i = (i + 1) & mask;
            }
            table.slots[i] = Slot {
                head: head(token),
                len: token.len() as u32,
                value: value as u32,
            };
        }
        table
    }

    /// Number of tokens.
    pub(crate) fn len(&self) -> usize {
        self.tail_starts.len()
    }

    /// The value of `token`, if it is in the table.
    #[inline]
    pub(crate) fn get(&self, token: &[u8]) -> Option<u32> {
        let mask = self.slots.len().checked_sub(1)?;
        let (head, len) = (head(token), token.len() as u32);
        let hash = self.hash(head, token);
        if self.filter.get(hash / 64)? & (1 << (hash % 64)) == 0 {
            return None;
        }
        let mut i = (hash >> FILTER_EXTRA) & mask;
        loop {
            let slot = self.slots[i];
            if slot.len == 0 {
                return None;
            }
            if slot.head == head && slot.len == len && self.tail_matches(slot.value, token) {
                return Some(slot.value);
            }
            i = (i + 1) & mask;
        }
    }

    /// The filter hash of a token whose first eight bytes are `first`:
    /// one multiply per eight bytes, seeded per table, the high
    /// `bits + FILTER_EXTRA` bits taken.
    #[inline]
    fn hash(&self, first: u64, token: &[u8]) -> usize {
        let mut h = (first ^ self.seed).wrapping_mul(K1) ^ token.len() as u64;
        if let Some(tail) = token.get(8..) {
            for chunk in tail.chunks(8) {
                h = (h.rotate_left(23) ^ head(chunk)).wrapping_mul(K1);
            }
        }
        (h.wrapping_mul(K2) >> (64 - self.bits - FILTER_EXTRA)) as usize
    }

    /// Whether the bytes of `token` after the eighth equal those stored
    /// for `value`, whose length is known to equal the token's.
    #[inline]
    fn tail_matches(&self, value: u32, token: &[u8]) -> bool {
        let Some(tail) = token.get(8..) else {
            return true;
        };
        let start = self.tail_starts[value as usize] as usize;
        self.tails.get(start..start + tail.len()) == Some(tail)
    }
}

/// The first eight bytes of `token`, zero-padded, little-endian.
#[inline]
pub(crate) fn head(token: &[u8]) -> u64 {
    if let Some(word) = token.first_chunk::<8>() {
        return u64::from_le_bytes(*word);
    }
    // Shorter tokens: two overlapping reads cover every byte without a
    // variable-length copy (which would be a call to memcpy).
    let n = token.len();
    let read4 = |at: usize| {
        u64::from(u32::from_le_bytes([
            token[at],
            token[at + 1],
            token[at + 2],
            token[at + 3],
        ]))
    };
    let read2 = |at: usize| u64::from(u16::from_le_bytes([token[at], token[at + 1]]));
    match n {
        4.. => read4(0) | read4(n - 4) << (8 * (n - 4)),
        2.. => read2(0) | read2(n - 2) << (8 * (n - 2)),
        1 => u64::from(token[0]),
        0 => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_short_and_long_tokens_only() {
        let tokens: [&[u8]; 4] = [b"kim", b"sanctions", b"sanctioned", b"a\0"];
        let table = TokenTable::new(&tokens);
        assert_eq!(table.len(), 4);
        for (value, token) in tokens.iter().enumerate() {
            assert_eq!(table.get(token), Some(value as u32));
        }
        assert_eq!(table.get(b"a"), None);
        assert_eq!(table.get(b"sanctionsx"), None);
        assert_eq!(table.get(b"sanctionez"), None);
        assert_eq!(table.get(b""), None);
        assert_eq!(TokenTable::new(&[]).get(b"kim"), None);
    }
}
