//! One indexed article in compact form, and the containment score of a
//! fingerprint against it. Ranks are quantised to 16 bits (shifted right
//! by as much as the largest one needs), which halves the sketch and costs
//! little accuracy: a shared shingle has equal ranks on both sides, and a
//! sample of one side meets a different sample of the other with the same
//! quantised rank only about once in 500 (128 samples in 65,536 values).

use super::super::sketch::Fingerprint;
use crate::model::GroupId;

/// One indexed article.
#[derive(Debug)]
pub(super) struct Entry {
    pub(super) key: u64,
    pub(super) group: GroupId,
    pub(super) at: u64,
    /// The sketch is complete up to this rank.
    limit: u32,
    /// Ranks are stored as `rank >> shift`, small enough for 16 bits.
    shift: u8,
    ranks: u8,
    /// `ranks` quantised ranks, then each anchor as two 16-bit halves.
    pub(super) data: Box<[u16]>,
}

impl Entry {
    fn ranks(&self) -> &[u16] {
        &self.data[..usize::from(self.ranks)]
    }

    pub(super) fn anchors(&self) -> impl Iterator<Item = u32> + '_ {
        self.data[usize::from(self.ranks)..]
            .chunks_exact(2)
            .map(|pair| u32::from(pair[0]) << 16 | u32::from(pair[1]))
    }
}

/// The result of comparing a fingerprint with an indexed article.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Containment {
    /// Shared samples.
    pub matches: usize,
    /// Samples of the smaller side within the common range.
    pub smaller: usize,
}

impl Containment {
    /// The share of the smaller text found in the larger one (0 to 1).
    pub fn score(&self) -> f64 {
        if self.smaller == 0 {
            0.0
        } else {
            self.matches as f64 / self.smaller as f64
        }
    }
}

/// Compares two fingerprints directly (what the index does with its
/// quantised copy of one of them).
pub fn containment(a: &Fingerprint, b: &Fingerprint) -> Containment {
    let entry = Entry::new(0, GroupId(0), b, 0);
    QueryBits::default().compare(a, &entry)
}

/// Words of a bitmap over all 16-bit quantised ranks.
const WORDS: usize = (1 << 16) / 64;

/// A query's ranks as a bitmap of their quantised values, for one shift at
/// a time (the candidates of a lookup mostly share one or two). Testing
/// each of an entry's ranks against it costs a few independent
/// instructions, where merging two sorted lists makes every step wait for
/// the last and mispredicts its branches.
#[derive(Debug)]
pub(super) struct QueryBits {
    bits: Box<[u64; WORDS]>,
    /// The shift the bitmap holds, if any.
    shift: Option<u32>,
}

impl Default for QueryBits {
    fn default() -> QueryBits {
        QueryBits {
            bits: Box::new([0; WORDS]),
            shift: None,
        }
    }
}

impl QueryBits {
    /// Sets the bitmap to `query`'s ranks shifted right by `shift`; ranks
    /// past 16 bits cannot match and are left out.
    fn load(&mut self, query: &Fingerprint, shift: u32) {
        if self.shift == Some(shift) {
            return;
        }
        if let Some(old) = self.shift {
            // Clear only the words set before: 128 stores, not 8 KB.
            for &r in query.ranks() {
                if let Some(word) = self.bits.get_mut((r >> old) as usize / 64) {
                    *word = 0;
                }
            }
        }
        for &r in query.ranks() {
            if let Some(word) = self.bits.get_mut((r >> shift) as usize / 64) {
                *word |= 1 << ((r >> shift) % 64);
            }
        }
        self.shift = Some(shift);
    }

    /// Forgets the query (before the bitmap serves another one).
    pub(super) fn clear(&mut self, query: &Fingerprint) {
        if let Some(old) = self.shift.take() {
            for &r in query.ranks() {
                if let Some(word) = self.bits.get_mut((r >> old) as usize / 64) {
                    *word = 0;
                }
            }
        }
    }

    /// The containment of `query` and `entry`: within the rank range both
    /// sketches hold completely, how many distinct quantised ranks of the
    /// entry the query shares, against the smaller sample.
    pub(super) fn compare(&mut self, query: &Fingerprint, entry: &Entry) -> Containment {
        // Below `limit` both samples hold every shingle of their text.
        let limit = query.limit().min(entry.limit);
        let shift = u32::from(entry.shift);
        self.load(query, shift);
        let ours = query.ranks().partition_point(|&r| r <= limit);
        let theirs = entry.ranks();
        let top = limit >> shift;
        let theirs = &theirs[..theirs.partition_point(|&q| u32::from(q) <= top)];
        let mut matches = 0;
        let mut previous = None;
        for &q in theirs {
            let hit = self.bits[usize::from(q) / 64] >> (q % 64) & 1;
            // A repeated value (two ranks quantised alike) counts once.
            matches += (hit as usize) * usize::from(previous != Some(q));
            previous = Some(q);
        }
        // The top value may stand for query ranks above `limit` too.
        if theirs.last().is_some_and(|&q| u32::from(q) == top)
            && !query.ranks()[..ours].iter().any(|&r| r >> shift == top)
        {
            matches -= self.bits[top as usize / 64] as usize >> (top % 64) & 1;
        }
        Containment {
            matches,
            smaller: ours.min(theirs.len()),
        }
    }
}

impl Entry {
    /// The containment of two indexed articles, compared at the coarser of
    /// their two quantisations (a rough figure, for deciding whether two
    /// groups are parts of one text).
    pub(super) fn overlap(&self, other: &Entry) -> Containment {
        let shift = self.shift.max(other.shift);
        let top = self.limit.min(other.limit) >> shift;
        let coarse = |e: &Entry| -> Vec<u16> {
            let mut v: Vec<u16> = e
                .ranks()
                .iter()
                .map(|&q| q >> (shift - e.shift))
                .take_while(|&q| u32::from(q) <= top)
                .collect();
            v.dedup();
            v
        };
        let (a, b) = (coarse(self), coarse(other));
        let (mut i, mut j, mut matches) = (0, 0, 0);
        while i < a.len() && j < b.len() {
            match a[i].cmp(&b[j]) {
                std::cmp::Ordering::Less => i += 1,
                std::cmp::Ordering::Greater => j += 1,
                std::cmp::Ordering::Equal => {
                    matches += 1;
                    i += 1;
                    j += 1;
                }
            }
        }
        Containment {
            matches,
            smaller: a.len().min(b.len()),
        }
    }

    pub(super) fn new(key: u64, group: GroupId, fp: &Fingerprint, at: u64) -> Entry {
        let top = fp.ranks().last().copied().unwrap_or(0);
        let shift = (32 - top.leading_zeros()).saturating_sub(16) as u8;
        let mut data = Vec::with_capacity(fp.ranks().len() + 2 * fp.anchors().len());
        data.extend(fp.ranks().iter().map(|&r| (r >> shift) as u16));
        for &a in fp.anchors() {
            data.extend([(a >> 16) as u16, a as u16]);
        }
        Entry {
            key,
            group,
            at,
            limit: fp.limit(),
            shift,
            ranks: fp.ranks().len() as u8,
            data: data.into_boxed_slice(),
        }
    }
}
