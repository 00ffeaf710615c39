//! The per-article index a `TopicSet` matches against: one pass maps every
//! token of the document to the atoms of the set's vocabulary (one hash
//! lookup, plus a prefix-trie walk when the set has prefix terms), and a
//! sort groups the hits into posting lists. The distinct atoms and the
//! pairs of adjacent known tokens let `presence` find the terms that
//! occur; the postings verify phrases, prefixes, scopes and `NEAR`. The
//! index's buffers are handed back after each article (`IndexBuffers`)
//! so that a `Matcher` indexes article after article without allocating.

use super::Document;
use super::ast::Scope;
use super::vocab::{Atom, CompiledTerm, Vocab};

/// Marks a position whose token is not an exact vocabulary token.
const NO_ATOM: Atom = Atom::MAX;

/// A document's tokens, as atoms of one vocabulary.
pub(crate) struct DocIndex<'a> {
    doc: &'a Document,
    vocab: &'a Vocab,
    /// The exact-token atom at each position, or `NO_ATOM`.
    stream: Vec<Atom>,
    /// `atom << 32 | position` for every hit, sorted: grouped by atom,
    /// positions ascending within a group.
    hits: Vec<u64>,
    /// The distinct atoms present, ascending.
    atoms: Vec<Atom>,
    /// For `atoms[i]`, the end of its group in `hits`.
    ends: Vec<u32>,
    /// Open-addressing table from atom to `1 + its index in atoms` (0 is
    /// empty): candidate evaluation looks atoms up constantly, and a
    /// hash probe beats a binary search over hundreds of atoms.
    slots: Vec<u32>,
}

/// The buffers of a `DocIndex`, kept between articles so that indexing
/// one allocates nothing once they have grown.
#[derive(Debug, Default)]
pub(crate) struct IndexBuffers {
    stream: Vec<Atom>,
    hits: Vec<u64>,
    atoms: Vec<Atom>,
    ends: Vec<u32>,
    slots: Vec<u32>,
}

impl<'a> DocIndex<'a> {
    /// Maps `doc`'s tokens to `vocab`'s atoms.
    #[cfg(test)]
    pub(crate) fn new(doc: &'a Document, vocab: &'a Vocab) -> DocIndex<'a> {
        DocIndex::build(doc, vocab, IndexBuffers::default())
    }

    /// Maps `doc`'s tokens to `vocab`'s atoms, in `buffers`.
    pub(crate) fn build(
        doc: &'a Document,
        vocab: &'a Vocab,
        buffers: IndexBuffers,
    ) -> DocIndex<'a> {
        let IndexBuffers {
            mut stream,
            mut hits,
            mut atoms,
            mut ends,
            mut slots,
        } = buffers;
        stream.clear();
        hits.clear();
        for (pos, token) in doc.tokens().enumerate() {
            let pos = pos as u64;
            let exact = vocab.exact(token);
            if let Some(atom) = exact {
                hits.push(u64::from(atom) << 32 | pos);
            }
            stream.push(exact.unwrap_or(NO_ATOM));
            vocab.for_each_prefix(token, |atom| hits.push(u64::from(atom) << 32 | pos));
        }
        hits.sort_unstable();
        group(&hits, &mut atoms, &mut ends);
        slot_table(&atoms, &mut slots);
        DocIndex {
            doc,
            vocab,
            stream,
            hits,
            slots,
            atoms,
            ends,
        }
    }

    /// Gives back the buffers for the next article.
    pub(crate) fn into_buffers(self) -> IndexBuffers {
        IndexBuffers {
            stream: self.stream,
            hits: self.hits,
            atoms: self.atoms,
            ends: self.ends,
            slots: self.slots,
        }
    }

    /// The document indexed.
    pub(crate) fn document(&self) -> &'a Document {
        self.doc
    }

    /// The distinct atoms that occur, ascending.
    pub(crate) fn atoms(&self) -> &[Atom] {
        &self.atoms
    }

    /// The hits of `atom` (position in the low 32 bits), ascending.
    fn postings(&self, atom: Atom) -> &[u64] {
        let Some(i) = self.find(atom) else {
            return &[];
        };
        let start = if i == 0 { 0 } else { self.ends[i - 1] };
        &self.hits[start as usize..self.ends[i] as usize]
    }

    /// Index of `atom` in `atoms`, if it occurs.
    #[inline]
    fn find(&self, atom: Atom) -> Option<usize> {
        let mask = self.slots.len().checked_sub(1)?;
        let mut slot = slot_of(atom, mask);
        loop {
            let index = (*self.slots.get(slot)? as usize).checked_sub(1)?;
            if self.atoms.get(index) == Some(&atom) {
                return Some(index);
            }
            slot = (slot + 1) & mask;
        }
    }

    /// Start positions of `term`, ascending: scans the postings of its
    /// rarest atom in this document and checks the other tokens around
    /// each hit. A term with an absent atom costs one probe per atom.
    pub(crate) fn starts<'t>(&'t self, term: &'t CompiledTerm) -> impl Iterator<Item = u32> + 't {
        let mut rarest = 0;
        let mut fewest = usize::MAX;
        for (k, &atom) in term.atoms.iter().enumerate() {
            let count = self.postings(atom).len();
            if count < fewest {
                (rarest, fewest) = (k, count);
            }
            if count == 0 {
                break;
            }
        }
        let limit = match term.scope {
            Scope::All => self.stream.len(),
            Scope::Title => self.doc.title_len(),
        };
        let len = term.atoms.len();
        self.postings(term.atoms[rarest])
            .iter()
            .filter_map(move |&hit| {
                let start = (hit as u32 as usize).checked_sub(rarest)?;
                let fits = start + len <= limit;
                (fits && self.holds_at(term, start, rarest)).then_some(start as u32)
            })
    }

    /// Calls `f(position, first, second)` for every two adjacent tokens
    /// that are both exact vocabulary tokens.
    pub(crate) fn for_each_known_pair(&self, mut f: impl FnMut(usize, Atom, Atom)) {
        for (start, window) in self.stream.windows(2).enumerate() {
            if let [first, second] = *window
                && first != NO_ATOM
                && second != NO_ATOM
            {
                f(start, first, second);
            }
        }
    }

    /// Whether `term` occurs starting at position `start`.
    pub(crate) fn occurs_at(&self, term: &CompiledTerm, start: usize) -> bool {
        let limit = match term.scope {
            Scope::All => self.stream.len(),
            Scope::Title => self.doc.title_len(),
        };
        start + term.atoms.len() <= limit && self.holds_at(term, start, usize::MAX)
    }

    /// Whether every token of `term` but `skip` matches from `start`.
    fn holds_at(&self, term: &CompiledTerm, start: usize, skip: usize) -> bool {
        term.atoms.iter().enumerate().all(|(k, &atom)| {
            k == skip
                || match self.vocab.prefix(atom) {
                    None => self.stream[start + k] == atom,
                    Some(prefix) => self.doc.token(start + k).starts_with(prefix),
                }
        })
    }
}

/// Slot of `atom` in a table of `mask + 1` slots (a power of two).
#[inline]
fn slot_of(atom: Atom, mask: usize) -> usize {
    (atom.wrapping_mul(0x9e37_79b1) as usize ^ (atom as usize >> 7)) & mask
}

/// Fills `slots` with the open-addressing table of `atoms`, at most half
/// full.
fn slot_table(atoms: &[Atom], slots: &mut Vec<u32>) {
    slots.clear();
    slots.resize((atoms.len() * 2).next_power_of_two().max(2), 0);
    let mask = slots.len() - 1;
    for (index, &atom) in atoms.iter().enumerate() {
        let mut slot = slot_of(atom, mask);
        while slots[slot] != 0 {
            slot = (slot + 1) & mask;
        }
        slots[slot] = index as u32 + 1;
    }
}

/// Fills `atoms` with the distinct atoms of sorted `hits` and `ends` with
/// the end of each one's group.
fn group(hits: &[u64], atoms: &mut Vec<Atom>, ends: &mut Vec<u32>) {
    atoms.clear();
    ends.clear();
    for (i, &hit) in hits.iter().enumerate() {
        let atom = (hit >> 32) as Atom;
        if atoms.last() != Some(&atom) {
            // A new group starts here, so the previous one ends here.
            if !atoms.is_empty() {
                ends.push(i as u32);
            }
            atoms.push(atom);
        }
    }
    if !atoms.is_empty() {
        ends.push(hits.len() as u32);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::topics::ast::Term;

    fn term(words: &[&str], prefix: bool, scope: Scope) -> Term {
        Term {
            tokens: words.iter().map(|w| w.to_string()).collect(),
            prefix,
            scope,
        }
    }

    #[test]
    fn finds_phrases_prefixes_and_title_terms() {
        let terms = [
            term(&["a", "b"], false, Scope::All),
            term(&["a", "b"], true, Scope::All),
            term(&["a"], false, Scope::Title),
            term(&["a", "c"], false, Scope::Title),
            term(&["zz"], false, Scope::All),
        ];
        let (vocab, compiled) = Vocab::compile(&terms);
        let doc = Document::new("a b a", "c a bc");
        let index = DocIndex::new(&doc, &vocab);
        let starts = |i: usize| index.starts(&compiled[i]).collect::<Vec<_>>();
        assert_eq!(starts(0), [0]);
        assert_eq!(starts(1), [0, 4]);
        assert_eq!(starts(2), [0, 2]);
        assert!(starts(3).is_empty());
        assert!(starts(4).is_empty());
        assert_eq!(index.atoms().len(), 4);
    }

    #[test]
    fn groups_hits_by_atom() {
        let (mut atoms, mut ends) = (vec![9], vec![9]);
        group(&[1 << 32, 1 << 32 | 5, 3 << 32], &mut atoms, &mut ends);
        assert_eq!(
            (atoms.as_slice(), ends.as_slice()),
            ([1, 3].as_slice(), [2, 3].as_slice())
        );
        group(&[], &mut atoms, &mut ends);
        assert!(atoms.is_empty() && ends.is_empty());
    }
}
