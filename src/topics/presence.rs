//! Finding which of a topic set's terms occur in an article, touching only
//! terms that have a real chance. A one-token term occurs exactly when its
//! atom does. A phrase whose first two tokens are exact words is found
//! through that word pair: the article's adjacent known tokens are looked
//! up as pairs, so a phrase made of common words costs nothing unless the
//! pair itself occurs. Other terms (two-token phrases ending in a prefix)
//! are checked when their anchor atom occurs.

use std::collections::HashMap;

use super::ast::Scope;
use super::bits::Bits;
use super::csr::Csr;
use super::hash::SeededState;
use super::index::DocIndex;
use super::vocab::{CompiledTerm, Vocab};

/// How each term of a topic set is looked for.
#[derive(Debug, Clone, Default)]
pub(crate) struct TermFinder {
    /// Atom → the terms it decides or anchors, each tagged with how it
    /// is checked (`tag`), so that one lookup per atom serves all and
    /// most terms are found without reading their compiled form.
    by_atom: Csr,
    /// `first << 32 | second` atom pair → its key in `pair_terms`.
    pairs: HashMap<u64, u32, SeededState>,
    /// Pair key → the phrases that start with that pair.
    pair_terms: Csr,
    /// Atoms that begin some pair: most adjacent known tokens do not, and
    /// this bit test spares them a probe of the larger pair table.
    pair_firsts: Bits,
}

impl TermFinder {
    /// Sorts every term into one of the three lookups.
    pub(crate) fn new(terms: &[CompiledTerm], vocab: &Vocab) -> TermFinder {
        let mut by_atom = Vec::new();
        let mut pairs: HashMap<u64, u32, SeededState> = HashMap::default();
        let mut pair_terms = Vec::new();
        let mut pair_firsts = Bits::new(vocab.atom_count());
        for (id, term) in terms.iter().enumerate() {
            let id = id as u32;
            match *term.atoms {
                [atom] if term.scope == Scope::All => by_atom.push((atom, tag(id, WHOLE))),
                [atom] => by_atom.push((atom, tag(id, CHECK))),
                [a, b, ..] if vocab.prefix(a).is_none() && vocab.prefix(b).is_none() => {
                    let next = pairs.len() as u32;
                    let key = *pairs.entry(pair(a, b)).or_insert(next);
                    pair_terms.push((key, id));
                    pair_firsts.insert(a);
                }
                _ => by_atom.push((term.anchor, tag(id, CHECK))),
            }
        }
        TermFinder {
            by_atom: Csr::new(vocab.atom_count(), by_atom),
            pair_terms: Csr::new(pairs.len(), pair_terms),
            pair_firsts,
            pairs,
        }
    }

    /// Adds the ids of the terms that occur in the indexed article to
    /// `present`, and lists each once in `found`.
    pub(crate) fn find(
        &self,
        terms: &[CompiledTerm],
        index: &DocIndex,
        present: &mut Bits,
        found: &mut Vec<u32>,
    ) {
        let mut add = |id: u32| {
            if present.insert(id) {
                found.push(id);
            }
        };
        for &atom in index.atoms() {
            for &tagged in self.by_atom.get(atom) {
                let id = tagged & !CHECK;
                if tagged & CHECK == WHOLE || index.starts(&terms[id as usize]).next().is_some() {
                    add(id);
                }
            }
        }
        if !self.pairs.is_empty() {
            index.for_each_known_pair(|start, first, second| {
                if !self.pair_firsts.contains(first) {
                    return;
                }
                let Some(&key) = self.pairs.get(&pair(first, second)) else {
                    return;
                };
                for &id in self.pair_terms.get(key) {
                    if index.occurs_at(&terms[id as usize], start) {
                        add(id);
                    }
                }
            });
        }
    }
}

/// Tag of a term that occurs whenever its atom does.
const WHOLE: u32 = 0;
/// Tag of a term that must be checked against the postings.
const CHECK: u32 = 1 << 31;

fn tag(id: u32, how: u32) -> u32 {
    id | how
}

fn pair(first: u32, second: u32) -> u64 {
    u64::from(first) << 32 | u64::from(second)
}
