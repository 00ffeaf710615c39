//! Eight ASCII bytes at a time: classifying and lower-casing bytes with
//! plain 64-bit arithmetic (SIMD within a register). The normaliser scans
//! every byte of every article; one test per eight bytes instead of one
//! per byte is what makes its ASCII path cheap.
//!
//! Each function answers per byte with the byte's top bit (0x80) in a mask.
//! Bytes ≥ 0x80 (parts of non-ASCII characters) are never in a class.

const ONES: u64 = 0x0101_0101_0101_0101;
const HIGHS: u64 = 0x8080_8080_8080_8080;

/// Per byte of `y` (every byte < 0x80): 0x80 where the byte is ≥ `c`.
/// Adding `0x80 - c` sets the top bit exactly then and never carries into
/// the next byte, since `y + 0x80 - c` stays below 0x100.
#[inline]
const fn at_least(y: u64, c: u8) -> u64 {
    y.wrapping_add((0x80 - c as u64) * ONES) & HIGHS
}

/// Per byte of `y` (every byte < 0x80): 0x80 where `lo <= byte <= hi`.
#[inline]
const fn within(y: u64, lo: u8, hi: u8) -> u64 {
    at_least(y, lo) & !at_least(y, hi + 1)
}

/// The bytes of `x` that are ASCII word bytes: `[0-9A-Za-z_]`.
#[inline]
pub const fn word_bytes(x: u64) -> u64 {
    let ascii = !x & HIGHS;
    let y = x & !HIGHS;
    let digit = within(y, b'0', b'9');
    // Setting bit 5 maps A-Z onto a-z and moves nothing else into a-z.
    let letter = within(y | (0x20 * ONES), b'a', b'z');
    // A byte equal to '_' is the only one whose xor is 0, which stays
    // below 0x80 after adding 0x7f.
    let underscore = !(y ^ (b'_' as u64 * ONES)).wrapping_add(0x7f * ONES) & HIGHS;
    (digit | letter | underscore) & ascii
}

/// The bytes of `x` that stop a plain run of words: non-ASCII bytes, the
/// double quotation mark and the line breaks `\n \v \f \r` (0x0a–0x0d).
#[inline]
pub const fn special_bytes(x: u64) -> u64 {
    let y = x & !HIGHS;
    let quote = !(y ^ (b'"' as u64 * ONES)).wrapping_add(0x7f * ONES) & HIGHS;
    let line = within(y, b'\n', b'\r');
    (x & HIGHS) | quote | line
}

/// One bit per byte: bit n set when byte n of a class mask is (0x80 set).
/// The multiplier moves each byte's bit to its own place in the top byte;
/// no two partial products meet, so nothing carries.
#[inline]
const fn bits(mask: u64) -> u64 {
    (mask >> 7).wrapping_mul(0x0102_0408_1020_4080) >> 56
}

/// `x` with its ASCII upper-case letters lower-cased.
#[inline]
pub const fn to_lower(x: u64) -> u64 {
    let upper = within(x & !HIGHS, b'A', b'Z') & !x;
    // 0x80 >> 2 is 0x20, the bit that tells the cases apart.
    x | (upper >> 2)
}

/// The eight bytes at `i` as a little-endian word, padded with zero bytes
/// past the end of `bytes`.
#[inline]
pub fn load(bytes: &[u8], i: usize) -> u64 {
    match bytes.get(i..i + 8) {
        Some(eight) => u64::from_le_bytes(eight.try_into().expect("8 bytes")),
        None => {
            let mut buf = [0u8; 8];
            let rest = bytes.get(i..).unwrap_or_default();
            buf[..rest.len()].copy_from_slice(rest);
            u64::from_le_bytes(buf)
        }
    }
}

/// The ASCII word bytes among the (at most 64) bytes from `i` that come
/// before the first special byte (see [`special_bytes`]) or the end of the
/// text: bit n is set when byte `i + n` is a word byte. Also returns how
/// many bytes the mask covers.
#[inline]
pub fn plain_window(bytes: &[u8], i: usize) -> (u64, usize) {
    let mut words = 0u64;
    let mut n = 0;
    while n < 64 {
        let x = load(bytes, i + n);
        let w = bits(word_bytes(x));
        let special = special_bytes(x);
        if special != 0 {
            let k = (special.trailing_zeros() / 8) as usize;
            words |= (w & ((1 << k) - 1)) << n;
            n += k;
            break;
        }
        words |= w << n;
        n += 8;
    }
    (words, n.min(bytes.len().saturating_sub(i)))
}

/// The end of the run of ASCII word bytes that starts at `i`.
#[inline]
pub fn word_end(bytes: &[u8], mut i: usize) -> usize {
    loop {
        // Zero padding past the end is not a word byte, so this stops there.
        let stop = !word_bytes(load(bytes, i)) & HIGHS;
        if stop != 0 {
            return i + (stop.trailing_zeros() / 8) as usize;
        }
        i += 8;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classes_agree_with_the_byte_functions() {
        for b in 0..=255u8 {
            // Each byte in every lane, next to neighbours of all kinds.
            for lane in 0..8 {
                let x = u64::from(b) << (8 * lane)
                    | (0x41_7a_5f_00_c3_20_30_ff & !(0xff << (8 * lane)));
                let word = word_bytes(x) >> (8 * lane) & 0x80 != 0;
                let is_word = b.is_ascii_alphanumeric() || b == b'_';
                assert_eq!(word, is_word, "byte {b:#x} lane {lane}");
                let lowered = (to_lower(x) >> (8 * lane)) as u8;
                assert_eq!(lowered, b.to_ascii_lowercase(), "byte {b:#x} lane {lane}");
            }
        }
    }

    #[test]
    fn special_bytes_are_non_ascii_quotes_and_line_breaks() {
        for b in 0..=255u8 {
            let special = special_bytes(u64::from(b) << 24) != 0;
            assert_eq!(
                special,
                b >= 0x80 || b == b'"' || (0x0a..=0x0d).contains(&b),
                "{b:#x}"
            );
        }
    }

    #[test]
    fn windows_stop_at_special_bytes_and_the_end() {
        let text = b"ab cd_e, 9z \"quoted\"";
        assert_eq!(plain_window(text, 0), (0b110_0111_1011, 12));
        assert_eq!(plain_window(b"x\ny", 0), (1, 1));
        assert_eq!(plain_window("a\u{e9}".as_bytes(), 0), (1, 1));
        assert_eq!(plain_window(b"abc", 0), (0b111, 3));
        let long = [b'a'; 100];
        assert_eq!(plain_window(&long, 0), (u64::MAX, 64));
        assert_eq!(plain_window(&long, 50), ((1 << 50) - 1, 50));
    }

    #[test]
    fn runs_end_at_the_first_other_byte_or_the_end() {
        let text = b"Kim_Jong2 un, a\xc3\xa9 lastword";
        assert_eq!(word_end(text, 0), 9);
        assert_eq!(word_end(text, 10), 12);
        assert_eq!(word_end(text, 14), 15);
        assert_eq!(word_end(text, 18), text.len());
        let long = [b'a'; 37];
        assert_eq!(word_end(&long, 3), 37);
    }
}
