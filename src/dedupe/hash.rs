//! Stable 64-bit hashing of bytes and of short sequences of hashes. The
//! values are persisted (fingerprints, group and story ids), so the functions
//! here are fixed: changing them changes every stored fingerprint and must
//! come with a new fingerprint version.

use super::swar::{load, to_lower};

const K0: u64 = 0xa076_1d64_78bd_642f;
const K1: u64 = 0xe703_7ed1_a0b4_28db;
const K2: u64 = 0x8ebc_6af0_9c88_c6e3;

/// Multiplies as 128 bits and folds the halves: one round of mixing that
/// spreads every input bit over the whole output.
#[inline]
fn fold_mul(a: u64, b: u64) -> u64 {
    let r = u128::from(a) * u128::from(b);
    (r as u64) ^ ((r >> 64) as u64)
}

/// A final avalanche (splitmix64's finaliser), so that the low and the high
/// half of a result are each uniformly distributed.
#[inline]
pub fn finish(mut x: u64) -> u64 {
    x ^= x >> 30;
    x = x.wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x ^= x >> 27;
    x = x.wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^ (x >> 31)
}

/// Hashes a byte string (a token, an id). Eight bytes per round; the length
/// enters the seed so that zero padding cannot make two strings collide.
pub fn hash_bytes(bytes: &[u8]) -> u64 {
    let mut h = K0 ^ (bytes.len() as u64).wrapping_mul(K1);
    let mut chunks = bytes.chunks_exact(8);
    for chunk in &mut chunks {
        let v = u64::from_le_bytes(chunk.try_into().expect("8 bytes"));
        h = fold_mul(h ^ v, K1);
    }
    let rest = chunks.remainder();
    if !rest.is_empty() {
        let mut buf = [0u8; 8];
        buf[..rest.len()].copy_from_slice(rest);
        h = fold_mul(h ^ u64::from_le_bytes(buf), K2);
    }
    finish(h)
}

/// [`hash_bytes`] of `bytes[run]` with its ASCII letters lower-cased,
/// without copying them: each eight-byte chunk is loaded from `bytes`
/// (which may go on past the run) and lower-cased in a register. Always
/// inlined: it runs once per word, and a call costs as much as the hash.
#[inline(always)]
pub fn hash_ascii_lower(bytes: &[u8], run: std::ops::Range<usize>) -> u64 {
    let mut h = K0 ^ (run.len() as u64).wrapping_mul(K1);
    let mut i = run.start;
    while i + 8 <= run.end {
        h = fold_mul(h ^ to_lower(load(bytes, i)), K1);
        i += 8;
    }
    if i < run.end {
        // Zero the bytes past the run, as hash_bytes pads with zeros.
        let keep = (run.end - i) * 8;
        h = fold_mul(h ^ to_lower(load(bytes, i) & ((1u64 << keep) - 1)), K2);
    }
    finish(h)
}

/// Position weights for [`hash_seq`]: distinct odd constants.
const POSITION: [u64; 8] = [
    0x9e37_79b9_7f4a_7c15,
    0xc2b2_ae3d_27d4_eb4f,
    0x1656_67b1_9e37_79f9,
    0xd6e8_feb8_6659_fd93,
    0xff51_afd7_ed55_8ccd,
    0xc4ce_b9fe_1a85_ec53,
    0x8cb9_2ba7_2f3d_8dd7,
    0xa076_1d64_78bd_642f,
];

/// Hashes an ordered sequence of up to eight hashes (the words of a
/// shingle): order matters, so "a b" and "b a" differ. The items are
/// already well mixed, so a weighted sum and one final avalanche suffice,
/// and the multiplications do not wait on each other.
#[inline]
pub fn hash_seq(items: &[u64]) -> u64 {
    debug_assert!(items.len() <= POSITION.len());
    let sum = items
        .iter()
        .zip(POSITION)
        .fold(items.len() as u64, |acc, (&item, k)| {
            acc.wrapping_add(item.wrapping_mul(k))
        });
    finish(sum)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_are_fixed_and_order_sensitive() {
        // Persisted values depend on these: a change here is a format change.
        assert_eq!(hash_bytes(b"wire"), hash_bytes(b"wire"));
        assert_ne!(hash_bytes(b"wire"), hash_bytes(b"wire\0"));
        assert_ne!(hash_seq(&[1, 2]), hash_seq(&[2, 1]));
        assert_ne!(hash_bytes(b""), hash_bytes(b"\0"));
    }

    #[test]
    fn lower_casing_hash_equals_hashing_the_lower_cased_bytes() {
        let text = b"Kim_JONG-un SAID 2019 \xc3\x89t\xc3\xa9 AbCdEfGhIjKlMnOpQrStUvWxYz[@`{";
        for start in 0..text.len() {
            for end in start..=text.len() {
                let part = &text[start..end];
                assert_eq!(
                    hash_ascii_lower(text, start..end),
                    hash_bytes(&part.to_ascii_lowercase()),
                    "{part:?}"
                );
            }
        }
    }
}
