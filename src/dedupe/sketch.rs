//! The fingerprint of a body: a bottom-k sketch of its shingle set, i.e. the
//! [`SKETCH_SIZE`] smallest shingle hashes. A bottom-k sketch is a sample
//! chosen by hash value, so two fingerprints sample the same shingles: below
//! the smaller of their two cut-off values both sketches hold *every*
//! shingle of their text, and comparing them there estimates how much of one
//! text the other contains. That containment, unlike a Jaccard estimate,
//! stays high for a copy truncated to 40% of the original.
//!
//! Each sampled hash is kept as its upper 32 bits (its *rank*, which orders
//! the sample). The lower 32 bits of the first [`ANCHORS`] samples are kept
//! too, as *anchors*: lookup keys of the index, independent of the ranks, so
//! that keys of different shingles do not collide more as the index grows.
//!
//! Fingerprints persist as versioned bytes ([`Fingerprint::to_bytes`]):
//! version 1 is `[1] varint(shingles) varint(k) k×varint(rank delta)
//! varint(a) a×u32le(anchor)`, about 550 bytes for a 600-word article.

pub use super::fingerprinter::fingerprint;

/// Samples per fingerprint. The comparison of a text with one 2.5 times its
/// size (a copy cut to 40%) rests on about `0.4 × SKETCH_SIZE` = 51 samples,
/// which puts a 0.85 containment within ±0.05 (one standard deviation).
pub const SKETCH_SIZE: usize = 128;

/// Samples of a fingerprint that are index keys. A copy and its original
/// share about `ANCHORS × 0.4 × containment` ≈ 8 anchors in the worst case
/// of the edit model, so the chance that the index misses a copy is e^-8.
pub const ANCHORS: usize = 24;

/// The current byte format of [`Fingerprint::to_bytes`].
pub const FORMAT_VERSION: u8 = 1;

/// A bottom-k sketch of a body's shingles; see the module docs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fingerprint {
    shingles: u32,
    ranks: Vec<u32>,
    anchors: Vec<u32>,
}

/// Why bytes could not be read back as a [`Fingerprint`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FingerprintError {
    /// Written by a format this code does not know (the record needs the text
    /// fingerprinted again).
    UnknownVersion(u8),
    /// Cut short or inconsistent.
    Malformed,
}

impl std::fmt::Display for FingerprintError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            FingerprintError::UnknownVersion(v) => write!(f, "unknown fingerprint version {v}"),
            FingerprintError::Malformed => f.write_str("malformed fingerprint bytes"),
        }
    }
}

impl std::error::Error for FingerprintError {}

impl Fingerprint {
    /// The sketch of a multiset of shingle hashes (repeats count once).
    pub fn from_shingle_hashes(mut hashes: Vec<u64>) -> Fingerprint {
        let positions = hashes.len();
        // Select before sorting: only the smallest few need an order. Twice
        // the sketch size leaves room for repeated shingles; with more
        // repeats than that, sort everything.
        let wanted = 2 * SKETCH_SIZE;
        if hashes.len() > wanted {
            hashes.select_nth_unstable(wanted - 1);
            hashes[..wanted].sort_unstable();
            let distinct = 1 + hashes[..wanted].windows(2).filter(|w| w[0] != w[1]).count();
            if distinct >= SKETCH_SIZE {
                hashes.truncate(wanted);
            }
        }
        hashes.sort_unstable();
        hashes.dedup();
        hashes.truncate(SKETCH_SIZE);
        Fingerprint::from_sorted(&hashes, positions)
    }

    /// The sketch of the given sample (ascending, distinct, at most
    /// [`SKETCH_SIZE`]) of `total` shingles.
    pub(super) fn from_sorted(sample: &[u64], total: usize) -> Fingerprint {
        Fingerprint {
            shingles: u32::try_from(total).unwrap_or(u32::MAX),
            ranks: sample.iter().map(|h| (h >> 32) as u32).collect(),
            anchors: sample.iter().take(ANCHORS).map(|&h| h as u32).collect(),
        }
    }

    /// Shingles of the text, repeats included (the sketch holds at most
    /// [`SKETCH_SIZE`] distinct ones).
    pub fn shingles(&self) -> u32 {
        self.shingles
    }

    /// The sampled ranks, ascending.
    pub fn ranks(&self) -> &[u32] {
        &self.ranks
    }

    /// Index keys: the low halves of the first samples.
    pub fn anchors(&self) -> &[u32] {
        &self.anchors
    }

    /// The sketch holds every shingle whose rank is at most this value.
    pub fn limit(&self) -> u32 {
        // A full sketch may have left out larger ranks; a partial one holds
        // the whole set.
        if self.ranks.len() < SKETCH_SIZE {
            u32::MAX
        } else {
            self.ranks[SKETCH_SIZE - 1]
        }
    }

    /// True for a text without a single word.
    pub fn is_empty(&self) -> bool {
        self.ranks.is_empty()
    }

    /// The persisted form (see the module docs for the layout).
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(8 + self.ranks.len() * 4 + self.anchors.len() * 4);
        out.push(FORMAT_VERSION);
        put_varint(&mut out, u64::from(self.shingles));
        put_varint(&mut out, self.ranks.len() as u64);
        let mut previous = 0u32;
        for &rank in &self.ranks {
            put_varint(&mut out, u64::from(rank - previous));
            previous = rank;
        }
        put_varint(&mut out, self.anchors.len() as u64);
        for &anchor in &self.anchors {
            out.extend_from_slice(&anchor.to_le_bytes());
        }
        out
    }

    /// Reads [`Fingerprint::to_bytes`] back.
    pub fn from_bytes(bytes: &[u8]) -> Result<Fingerprint, FingerprintError> {
        let (&version, mut rest) = bytes.split_first().ok_or(FingerprintError::Malformed)?;
        if version != FORMAT_VERSION {
            return Err(FingerprintError::UnknownVersion(version));
        }
        let shingles =
            u32::try_from(get_varint(&mut rest)?).map_err(|_| FingerprintError::Malformed)?;
        let k = get_varint(&mut rest)? as usize;
        if k > SKETCH_SIZE || k > shingles as usize {
            return Err(FingerprintError::Malformed);
        }
        let mut ranks = Vec::with_capacity(k);
        let mut previous = 0u32;
        for _ in 0..k {
            let delta =
                u32::try_from(get_varint(&mut rest)?).map_err(|_| FingerprintError::Malformed)?;
            previous = previous
                .checked_add(delta)
                .ok_or(FingerprintError::Malformed)?;
            ranks.push(previous);
        }
        let a = get_varint(&mut rest)? as usize;
        if a != k.min(ANCHORS) || rest.len() != 4 * a {
            return Err(FingerprintError::Malformed);
        }
        let anchors = rest
            .chunks_exact(4)
            .map(|c| u32::from_le_bytes(c.try_into().expect("4 bytes")))
            .collect();
        Ok(Fingerprint {
            shingles,
            ranks,
            anchors,
        })
    }
}

fn put_varint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

fn get_varint(bytes: &mut &[u8]) -> Result<u64, FingerprintError> {
    let mut v = 0u64;
    for shift in (0..64).step_by(7) {
        let (&b, rest) = bytes.split_first().ok_or(FingerprintError::Malformed)?;
        *bytes = rest;
        v |= u64::from(b & 0x7f) << shift;
        if b < 0x80 {
            return Ok(v);
        }
    }
    Err(FingerprintError::Malformed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bytes_round_trip() {
        let text = (0..700)
            .map(|i| format!("w{}", i * 7919 % 1000))
            .collect::<Vec<_>>()
            .join(" ");
        for text in [text.as_str(), "short text", ""] {
            let fp = fingerprint(text);
            let bytes = fp.to_bytes();
            assert_eq!(Fingerprint::from_bytes(&bytes), Ok(fp.clone()));
            assert!(Fingerprint::from_bytes(&bytes[..bytes.len() - 1]).is_err());
        }
        let fp = fingerprint(&text);
        assert_eq!(fp.ranks().len(), SKETCH_SIZE);
        assert!(fp.shingles() > SKETCH_SIZE as u32);
        assert!(fp.to_bytes().len() < 700);
        let mut bytes = fp.to_bytes();
        bytes[0] = 9;
        assert_eq!(
            Fingerprint::from_bytes(&bytes),
            Err(FingerprintError::UnknownVersion(9))
        );
    }

    #[test]
    fn sketch_is_the_smallest_distinct_hashes() {
        let hashes: Vec<u64> = (0..1000u64)
            .rev()
            .map(|i| (i << 32) | 7)
            .chain([5 << 32 | 7])
            .collect();
        let fp = Fingerprint::from_shingle_hashes(hashes);
        assert_eq!(fp.shingles(), 1001);
        assert_eq!(fp.ranks()[..3], [0, 1, 2]);
        assert_eq!(fp.limit(), SKETCH_SIZE as u32 - 1);
    }
}
