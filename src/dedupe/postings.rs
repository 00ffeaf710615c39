//! A compact multimap from 32-bit keys to 32-bit values (anchor → slot of an
//! indexed article): one open-addressing table of packed `u64` pairs with
//! linear probing, about 11–21 bytes per posting and no allocation per key.
//! Lists are capped: a key that already has [`Postings::cap`] values takes no
//! more and is skipped by lookups, because a shingle shared by that many
//! articles is boilerplate, not evidence of copying.

use super::prefetch::prefetch;

/// The multimap; see the module docs.
#[derive(Debug, Clone)]
pub struct Postings {
    /// `key << 32 | value`, 0 = empty (key 0 is stored as 1).
    table: Vec<u64>,
    len: usize,
    bits: u32,
    cap: usize,
}

const MIN_BITS: u32 = 10;

/// The largest list cap (lookups collect a list on the stack).
pub const MAX_CAP: usize = 64;

impl Postings {
    /// An empty map whose lists hold at most `cap` values (1 to [`MAX_CAP`]).
    pub fn new(cap: usize) -> Postings {
        Postings {
            table: vec![0; 1 << MIN_BITS],
            len: 0,
            bits: MIN_BITS,
            cap: cap.clamp(1, MAX_CAP),
        }
    }

    /// The number of stored (key, value) pairs.
    pub fn len(&self) -> usize {
        self.len
    }

    /// True when no pair is stored.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The longest list a key may have.
    pub fn cap(&self) -> usize {
        self.cap
    }

    /// Bytes held by the table.
    pub fn heap_bytes(&self) -> usize {
        self.table.len() * 8
    }

    #[inline]
    fn mask(&self) -> usize {
        (1 << self.bits) - 1
    }

    #[inline]
    fn home(&self, key: u32) -> usize {
        // Fibonacci hashing: keys are hashes already, this only picks bits.
        ((u64::from(key).wrapping_mul(0x9e37_79b9_7f4a_7c15)) >> (64 - self.bits)) as usize
    }

    #[inline]
    fn fix(key: u32) -> u32 {
        key.max(1)
    }

    /// Starts loading the slot where the list of `key` begins (see
    /// [`prefetch`]), before a batch of lookups.
    #[inline]
    pub fn prefetch(&self, key: u32) {
        prefetch(&self.table[self.home(Postings::fix(key))]);
    }

    /// Adds `value` under `key`; false when the key's list is full.
    pub fn insert(&mut self, key: u32, value: u32) -> bool {
        if (self.len + 1) * 4 > self.table.len() * 3 {
            self.grow();
        }
        let key = Postings::fix(key);
        let mask = self.mask();
        let mut i = self.home(key);
        let mut same = 0;
        loop {
            let slot = self.table[i];
            if slot == 0 {
                if same >= self.cap {
                    return false;
                }
                self.table[i] = (u64::from(key) << 32) | u64::from(value);
                self.len += 1;
                return true;
            }
            if (slot >> 32) as u32 == key {
                same += 1;
            }
            i = (i + 1) & mask;
        }
    }

    /// Calls `f` with every value under `key`, unless the list is full (a
    /// ubiquitous key), in which case nothing is reported. Returns the
    /// number of values reported.
    pub fn for_each(&self, key: u32, mut f: impl FnMut(u32)) -> usize {
        let key = Postings::fix(key);
        let mask = self.mask();
        let mut i = self.home(key);
        let mut found = [0u32; MAX_CAP];
        let mut n = 0;
        loop {
            let slot = self.table[i];
            if slot == 0 {
                break;
            }
            if (slot >> 32) as u32 == key {
                if n >= self.cap {
                    return 0;
                }
                found[n] = slot as u32;
                n += 1;
            }
            i = (i + 1) & mask;
        }
        if n >= self.cap {
            return 0;
        }
        found[..n].iter().for_each(|&v| f(v));
        n
    }

    /// Removes one (key, value) pair if present.
    pub fn remove(&mut self, key: u32, value: u32) -> bool {
        let key = Postings::fix(key);
        let wanted = (u64::from(key) << 32) | u64::from(value);
        let mask = self.mask();
        let mut i = self.home(key);
        loop {
            match self.table[i] {
                0 => return false,
                slot if slot == wanted => break,
                _ => i = (i + 1) & mask,
            }
        }
        // Backward-shift deletion: pull later members of the probe run into
        // the hole so that lookups never need tombstones.
        self.table[i] = 0;
        self.len -= 1;
        let mut hole = i;
        let mut j = i;
        loop {
            j = (j + 1) & mask;
            let slot = self.table[j];
            if slot == 0 {
                return true;
            }
            let home = self.home((slot >> 32) as u32);
            // Movable when its home is not in the cyclic range (hole, j].
            let in_range = if hole <= j {
                hole < home && home <= j
            } else {
                hole < home || home <= j
            };
            if !in_range {
                self.table[hole] = slot;
                self.table[j] = 0;
                hole = j;
            }
        }
    }

    fn grow(&mut self) {
        let old = std::mem::take(&mut self.table);
        self.bits += 1;
        self.table = vec![0; 1 << self.bits];
        let mask = self.mask();
        for slot in old.into_iter().filter(|&s| s != 0) {
            let mut i = self.home((slot >> 32) as u32);
            while self.table[i] != 0 {
                i = (i + 1) & mask;
            }
            self.table[i] = slot;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values(p: &Postings, key: u32) -> Vec<u32> {
        let mut v = Vec::new();
        p.for_each(key, |x| v.push(x));
        v.sort();
        v
    }

    #[test]
    fn insert_lookup_remove_and_grow() {
        let mut p = Postings::new(8);
        for i in 0..5000u32 {
            assert!(p.insert(i % 1000 + 1, i));
        }
        assert_eq!(p.len(), 5000);
        assert_eq!(values(&p, 8), vec![7, 1007, 2007, 3007, 4007]);
        for i in (0..5000u32).step_by(2) {
            assert!(p.remove(i % 1000 + 1, i));
        }
        assert!(!p.remove(8, 7_000_000));
        assert_eq!(p.len(), 2500);
        assert_eq!(values(&p, 8), vec![7, 1007, 2007, 3007, 4007]);
        assert!(values(&p, 7).is_empty());
        for i in (1..5000u32).step_by(2) {
            assert!(values(&p, i % 1000 + 1).contains(&i));
        }
    }

    #[test]
    fn full_lists_take_no_more_and_are_skipped() {
        let mut p = Postings::new(3);
        assert!(p.insert(5, 1) && p.insert(5, 2));
        assert_eq!(values(&p, 5), vec![1, 2]);
        assert!(p.insert(5, 3));
        assert!(!p.insert(5, 4));
        assert!(values(&p, 5).is_empty());
    }
}
