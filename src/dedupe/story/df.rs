//! Document frequencies of terms in a fixed table of hashed counters. The
//! table is halved whenever its document count reaches the horizon, so
//! memory stays constant and old vocabulary fades. Frequencies decide both
//! the weight of a term (rare terms say more about the event) and which
//! terms are function words, in any language: a term in a large share of
//! all documents is one.

/// Counters in the table (2^18 × 4 bytes = 1 MiB).
const DF_BITS: u32 = 18;

/// The table; see the module docs.
#[derive(Debug, Clone)]
pub struct DocFreq {
    counts: Vec<u32>,
    docs: u32,
    horizon: u32,
}

impl DocFreq {
    /// An empty table halved at `horizon` documents.
    pub fn new(horizon: u32) -> DocFreq {
        DocFreq {
            counts: vec![0; 1 << DF_BITS],
            docs: 0,
            horizon: horizon.max(2),
        }
    }

    fn slot(term: u32) -> usize {
        (term.wrapping_mul(0x9e37_79b9) >> (32 - DF_BITS)) as usize
    }

    /// Counts one document with these distinct terms.
    pub fn learn(&mut self, terms: impl IntoIterator<Item = u32>) {
        if self.docs >= self.horizon {
            self.counts.iter_mut().for_each(|c| *c /= 2);
            self.docs /= 2;
        }
        self.docs += 1;
        for t in terms {
            let slot = DocFreq::slot(t);
            self.counts[slot] = self.counts[slot].saturating_add(1);
        }
    }

    /// Documents counted (after halvings).
    pub fn docs(&self) -> u32 {
        self.docs
    }

    /// Documents containing `term` (an upper bound: terms may share a counter).
    pub fn df(&self, term: u32) -> u32 {
        self.counts[DocFreq::slot(term)]
    }

    /// Inverse document frequency, at least 1.
    pub fn idf(&self, term: u32) -> f32 {
        ((self.docs as f32 + 1.0) / (self.df(term) as f32 + 1.0)).ln() + 1.0
    }
}
