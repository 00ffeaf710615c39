//! Fast paths for folding the non-ASCII characters news text is made of.
//! The general path (decomposition, mark filtering and case-folding
//! tables) costs tens of nanoseconds per char, which dominates Cyrillic,
//! Greek, Korean or Chinese articles. Here the Latin, Greek, Cyrillic,
//! Hebrew, Arabic, Thai, Lao, Myanmar and Khmer blocks and the kana are folded once into a table
//! built on first use, Hangul syllables decompose arithmetically, CJK
//! ideographs and general punctuation fold to themselves or to a break.
//! In the table, a char that is a token of its own (kana) is stored
//! between two breaks.
//! Unit tests check every char of these ranges against the general path.

use std::sync::OnceLock;

use super::{fold_non_ascii, is_solo, is_word_char};

/// In table entries, marks a word break. Folded word chars never contain
/// a zero byte in UTF-8, so it is unambiguous.
pub(crate) const BREAK: u8 = 0;

/// How one char folds.
pub(crate) enum Folded {
    /// Only word breaks.
    Break,
    /// Exactly this word char, a token of its own (see `is_solo`).
    Solo(char),
    /// These conjoining jamo (a Hangul syllable's NFKD).
    Hangul([Option<char>; 3]),
    /// Folded word bytes, with `BREAK` for breaks.
    Table(&'static [u8]),
    /// Not covered: use the general path.
    Slow,
}

/// Code point ranges whose folding the table holds.
const TABLE_RANGES: [(u32, u32); 5] = [
    (0x80, 0x800),
    (0x0E00, 0x0F00),
    (0x1000, 0x10A0),
    (0x1780, 0x1800),
    (0x3000, 0x3100),
];

const HANGUL_FIRST: u32 = 0xAC00;
const HANGUL_LAST: u32 = 0xD7A3;

/// How `c` (not ASCII) folds.
#[inline]
pub(crate) fn fold(c: char) -> Folded {
    let cp = c as u32;
    match cp {
        0x2000..=0x206F => Folded::Break,
        HANGUL_FIRST..=HANGUL_LAST => Folded::Hangul(hangul_jamo(cp)),
        0x4E00..=0x9FFF => Folded::Solo(c),
        _ => table().get(cp).map_or(Folded::Slow, Folded::Table),
    }
}

/// The canonical decomposition of a precomposed Hangul syllable
/// (Unicode §3.12): leading consonant, vowel, optional trailing consonant.
fn hangul_jamo(cp: u32) -> [Option<char>; 3] {
    let s = cp - HANGUL_FIRST;
    let trailing = s % 28;
    [
        char::from_u32(0x1100 + s / 588),
        char::from_u32(0x1161 + (s % 588) / 28),
        (trailing != 0)
            .then(|| char::from_u32(0x11A7 + trailing))
            .flatten(),
    ]
}

/// Folded forms of every char of `TABLE_RANGES`.
struct Table {
    /// Per char, in range order: start and length in `bytes`.
    spans: Vec<(u32, u8)>,
    bytes: Vec<u8>,
}

fn table() -> &'static Table {
    static TABLE: OnceLock<Table> = OnceLock::new();
    TABLE.get_or_init(Table::build)
}

impl Table {
    fn build() -> Table {
        let mut table = Table {
            spans: Vec::new(),
            bytes: Vec::new(),
        };
        for (first, end) in TABLE_RANGES {
            for cp in first..end {
                let start = table.bytes.len();
                if let Some(c) = char::from_u32(cp) {
                    fold_non_ascii(c, &mut |d| table.push(d));
                }
                let len = (table.bytes.len() - start) as u8;
                table.spans.push((start as u32, len));
            }
        }
        table
    }

    fn push(&mut self, d: char) {
        let solo = is_solo(d);
        if solo {
            self.bytes.push(BREAK);
        }
        if is_word_char(d) {
            let mut utf8 = [0; 4];
            self.bytes
                .extend_from_slice(d.encode_utf8(&mut utf8).as_bytes());
        } else {
            self.bytes.push(BREAK);
        }
        if solo {
            self.bytes.push(BREAK);
        }
    }

    /// The folded bytes of `cp`, if the table covers it.
    fn get(&self, cp: u32) -> Option<&[u8]> {
        let mut index = 0;
        for (first, end) in TABLE_RANGES {
            if (first..end).contains(&cp) {
                let (start, len) = *self.spans.get(index + (cp - first) as usize)?;
                return self
                    .bytes
                    .get(start as usize..start as usize + usize::from(len));
            }
            index += (end - first) as usize;
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The general path's result in the table's encoding.
    fn slow(c: char) -> Vec<u8> {
        let mut out = Vec::new();
        fold_non_ascii(c, &mut |d| {
            if is_solo(d) {
                out.push(BREAK);
            }
            if is_word_char(d) {
                out.extend_from_slice(d.to_string().as_bytes());
            } else {
                out.push(BREAK);
            }
            if is_solo(d) {
                out.push(BREAK);
            }
        });
        out
    }

    fn fast(c: char) -> Option<Vec<u8>> {
        match fold(c) {
            Folded::Break => Some(vec![BREAK]),
            Folded::Solo(w) => Some([&[BREAK], w.to_string().as_bytes(), &[BREAK]].concat()),
            Folded::Hangul(jamo) => {
                Some(jamo.into_iter().flatten().collect::<String>().into_bytes())
            }
            Folded::Table(bytes) => Some(bytes.to_vec()),
            Folded::Slow => None,
        }
    }

    /// Equal up to how breaks are counted: any number of breaks is one.
    fn same(a: &[u8], b: &[u8]) -> bool {
        let squeeze = |v: &[u8]| {
            let mut out: Vec<u8> = Vec::new();
            for &x in v {
                if !(x == BREAK && out.last() == Some(&BREAK)) {
                    out.push(x);
                }
            }
            out
        };
        squeeze(a) == squeeze(b)
    }

    #[test]
    fn fast_paths_equal_the_general_path_for_every_covered_char() {
        let ranges = [
            (0x80, 0x800),
            (0x0E00, 0x0F00),
            (0x1000, 0x10A0),
            (0x1780, 0x1800),
            (0x2000, 0x2070),
            (0x3000, 0x3100),
            (0x4E00, 0xA000),
            (0xAC00, 0xD7A4),
        ];
        for (first, end) in ranges {
            for c in (first..end).filter_map(char::from_u32) {
                let fast = fast(c).unwrap_or_else(|| panic!("U+{:04X} not covered", c as u32));
                assert!(same(&fast, &slow(c)), "U+{:04X}", c as u32);
            }
        }
    }

    #[test]
    fn other_chars_take_the_general_path() {
        assert!(matches!(fold('\u{1F600}'), Folded::Slow));
        assert!(matches!(fold('ﬁ'), Folded::Slow));
    }
}
