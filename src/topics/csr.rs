//! A compact one-to-many table from dense keys to `u32` values, stored as
//! one offset array and one value array (compressed sparse rows): the
//! engine's lookups from atoms and terms to terms and topics all scan a
//! contiguous slice, which keeps candidate selection cache-friendly.

/// Values grouped by dense key `0..keys`.
#[derive(Debug, Clone, Default)]
pub(crate) struct Csr {
    /// Values of key `k` are `values[offsets[k]..offsets[k + 1]]`.
    offsets: Vec<u32>,
    values: Vec<u32>,
}

impl Csr {
    /// Groups `(key, value)` pairs, keys below `keys`; values keep their
    /// relative order within a key.
    pub(crate) fn new(keys: usize, mut pairs: Vec<(u32, u32)>) -> Csr {
        pairs.sort_by_key(|&(key, _)| key);
        let mut offsets = vec![0u32; keys + 1];
        for &(key, _) in &pairs {
            offsets[key as usize + 1] += 1;
        }
        for i in 1..offsets.len() {
            offsets[i] += offsets[i - 1];
        }
        let values = pairs.into_iter().map(|(_, value)| value).collect();
        Csr { offsets, values }
    }

    /// The values of `key`; empty for an unknown key.
    #[inline]
    pub(crate) fn get(&self, key: u32) -> &[u32] {
        let key = key as usize;
        match (self.offsets.get(key), self.offsets.get(key + 1)) {
            (Some(&from), Some(&to)) => &self.values[from as usize..to as usize],
            _ => &[],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_values_by_key() {
        let csr = Csr::new(4, vec![(2, 7), (0, 1), (2, 5), (3, 9)]);
        assert_eq!(csr.get(0), [1]);
        assert_eq!(csr.get(1), [] as [u32; 0]);
        assert_eq!(csr.get(2), [7, 5]);
        assert_eq!(csr.get(3), [9]);
        assert_eq!(csr.get(4), [] as [u32; 0]);
    }
}
