//! The vocabulary of a topic set: every distinct folded query token gets
//! an id (an "atom"), and every prefix term's last token gets one too,
//! numbered after the exact tokens. A term then compiles to a list of
//! atoms, and an article token is mapped to its atoms with one hash lookup
//! plus, when the set has prefix terms, one walk of the prefix trie.

use std::collections::HashMap;

use super::ast::{Scope, Term};
use super::hash::SeededState;
use super::token_table::TokenTable;
use super::trie::PrefixTrie;

/// Atom id of one exact token or one prefix.
pub(crate) type Atom = u32;

/// Every token and prefix of a topic set's terms.
#[derive(Debug, Clone, Default)]
pub(crate) struct Vocab {
    /// Exact token → its atom.
    exact: TokenTable,
    /// Prefix bytes; prefix `i` is atom `exact.len() + i`.
    prefixes: Vec<Box<[u8]>>,
    trie: Option<PrefixTrie>,
}

/// A term as a sequence of atoms, one per token.
#[derive(Debug, Clone)]
pub(crate) struct CompiledTerm {
    pub(crate) atoms: Box<[Atom]>,
    pub(crate) scope: Scope,
    /// The atom expected to be rarest in articles; terms that cannot be
    /// found by their atom or first word pair are checked only when this
    /// atom occurs.
    pub(crate) anchor: Atom,
}

/// Interns tokens during compilation, counting how many terms use each.
#[derive(Default)]
struct Interner {
    ids: HashMap<Box<[u8]>, u32, SeededState>,
    uses: Vec<u32>,
}

impl Interner {
    fn intern(&mut self, token: &str) -> u32 {
        let next = self.ids.len() as u32;
        let id = *self.ids.entry(token.as_bytes().into()).or_insert(next);
        if id == next {
            self.uses.push(0);
        }
        self.uses[id as usize] += 1;
        id
    }
}

impl Vocab {
    /// Builds the vocabulary of `terms` and compiles each of them.
    pub(crate) fn compile(terms: &[Term]) -> (Vocab, Vec<CompiledTerm>) {
        let mut exact = Interner::default();
        let mut prefix = Interner::default();
        // Local ids first; prefixes are renumbered once the exact count
        // is known.
        let local: Vec<Vec<(bool, u32)>> = terms
            .iter()
            .map(|term| {
                let last = term.len() - 1;
                let is_prefix = |k: usize| term.prefix && k == last;
                term.tokens
                    .iter()
                    .enumerate()
                    .map(|(k, t)| match is_prefix(k) {
                        true => (true, prefix.intern(t)),
                        false => (false, exact.intern(t)),
                    })
                    .collect()
            })
            .collect();
        let vocab = Vocab::from_interners(exact.ids, prefix.ids);
        let compiled = terms
            .iter()
            .zip(local)
            .map(|(term, ids)| vocab.compile_term(term, &ids, &exact.uses, &prefix.uses))
            .collect();
        (vocab, compiled)
    }

    fn from_interners(
        exact_ids: HashMap<Box<[u8]>, u32, SeededState>,
        prefix_ids: HashMap<Box<[u8]>, u32, SeededState>,
    ) -> Vocab {
        let mut exact: Vec<&[u8]> = vec![&[]; exact_ids.len()];
        for (bytes, &id) in &exact_ids {
            exact[id as usize] = bytes;
        }
        let exact = TokenTable::new(&exact);
        let mut prefixes: Vec<Box<[u8]>> = vec![Box::default(); prefix_ids.len()];
        for (bytes, id) in prefix_ids {
            prefixes[id as usize] = bytes;
        }
        let trie = (!prefixes.is_empty()).then(|| PrefixTrie::new(&prefixes));
        Vocab {
            exact,
            prefixes,
            trie,
        }
    }

    fn compile_term(
        &self,
        term: &Term,
        ids: &[(bool, u32)],
        exact_uses: &[u32],
        prefix_uses: &[u32],
    ) -> CompiledTerm {
        let offset = self.exact.len() as u32;
        let atoms: Box<[Atom]> = ids
            .iter()
            .map(|&(is_prefix, id)| if is_prefix { offset + id } else { id })
            .collect();
        // Rarest guess: avoid tokens of three bytes or fewer ("of",
        // "the"), then tokens many terms share, then prefer longer ones.
        let rank = |k: usize| {
            let (is_prefix, id) = ids[k];
            let uses = if is_prefix { prefix_uses } else { exact_uses };
            let len = term.tokens[k].len();
            (len <= 3, uses[id as usize], usize::MAX - len)
        };
        let best = (0..ids.len()).min_by_key(|&k| rank(k)).unwrap_or(0);
        CompiledTerm {
            anchor: atoms[best],
            atoms,
            scope: term.scope,
        }
    }

    /// Number of atoms (exact tokens plus prefixes).
    pub(crate) fn atom_count(&self) -> usize {
        self.exact.len() + self.prefixes.len()
    }

    /// The atom of an exact token, if any term uses it.
    #[inline]
    pub(crate) fn exact(&self, token: &[u8]) -> Option<Atom> {
        self.exact.get(token)
    }

    /// Calls `found` with the atom of every prefix `token` starts with.
    #[inline]
    pub(crate) fn for_each_prefix(&self, token: &[u8], mut found: impl FnMut(Atom)) {
        if let Some(trie) = &self.trie {
            let offset = self.exact.len() as u32;
            trie.for_each_prefix_of(token, |id| found(offset + id));
        }
    }

    /// The bytes of a prefix atom; `None` for an exact-token atom.
    #[inline]
    pub(crate) fn prefix(&self, atom: Atom) -> Option<&[u8]> {
        let index = (atom as usize).checked_sub(self.exact.len())?;
        self.prefixes.get(index).map(|p| &p[..])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn term(words: &[&str], prefix: bool) -> Term {
        Term {
            tokens: words.iter().map(|w| w.to_string()).collect(),
            prefix,
            scope: Scope::All,
        }
    }

    #[test]
    fn numbers_exact_tokens_then_prefixes() {
        let terms = [
            term(&["bank", "of", "england"], false),
            term(&["sanction"], true),
            term(&["bank"], false),
        ];
        let (vocab, compiled) = Vocab::compile(&terms);
        assert_eq!(vocab.atom_count(), 4);
        assert_eq!(&*compiled[0].atoms, &[0, 1, 2]);
        assert_eq!(&*compiled[1].atoms, &[3]);
        // "bank" is shared and "of" is short, so "england" anchors.
        assert_eq!(compiled[0].anchor, 2);
        assert_eq!(vocab.exact(b"of"), Some(1));
        assert_eq!(vocab.exact(b"sanction"), None);
        assert_eq!(vocab.prefix(3), Some(&b"sanction"[..]));
        assert_eq!(vocab.prefix(2), None);
        let mut found = Vec::new();
        vocab.for_each_prefix(b"sanctions", |a| found.push(a));
        assert_eq!(found, [3]);
    }
}
