//! A dense bitset over small integer ids that is cleared by listing the
//! ids set, so a large set (one bit per term of a 100,000-topic set) is
//! reset per article in time proportional to what the article touched,
//! not to the size of the set.

/// A fixed-size set of ids `0..len`.
#[derive(Debug, Clone, Default)]
pub(crate) struct Bits {
    words: Vec<u64>,
}

impl Bits {
    /// An empty set able to hold ids below `len`.
    pub(crate) fn new(len: usize) -> Bits {
        Bits {
            words: vec![0; len.div_ceil(64)],
        }
    }

    /// Adds `id`; returns whether it was absent. Ids out of range are
    /// never added.
    #[inline]
    pub(crate) fn insert(&mut self, id: u32) -> bool {
        let Some(word) = self.words.get_mut(id as usize / 64) else {
            return false;
        };
        let bit = 1u64 << (id % 64);
        let absent = *word & bit == 0;
        *word |= bit;
        absent
    }

    /// Whether `id` is in the set.
    #[inline]
    pub(crate) fn contains(&self, id: u32) -> bool {
        self.words
            .get(id as usize / 64)
            .is_some_and(|word| word & (1u64 << (id % 64)) != 0)
    }

    /// Removes the listed ids (which must include every id added).
    pub(crate) fn clear_listed(&mut self, ids: &[u32]) {
        for &id in ids {
            if let Some(word) = self.words.get_mut(id as usize / 64) {
                *word = 0;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inserts_tests_and_clears() {
        let mut bits = Bits::new(128);
        assert!(bits.insert(3));
        assert!(!bits.insert(3));
        assert!(bits.insert(127));
        assert!(!bits.insert(128));
        assert!(bits.contains(3) && bits.contains(127) && !bits.contains(4));
        bits.clear_listed(&[3, 127]);
        assert!(!bits.contains(3) && !bits.contains(127));
    }
}
