//! A byte trie over the prefix terms (`sanction*`) of a topic set: walking
//! an article token down it reports every prefix the token starts with,
//! in one pass over the token's bytes. The root is a direct 256-way table
//! because every walk starts there. Most article tokens begin no prefix at
//! all, yet common beginnings ("con", "pre") lead them several levels
//! deep, so before walking a token is checked against the shortest prefix
//! length and a bitset of the prefixes' first few bytes.

use std::collections::BTreeMap;

use super::token_table::head;

/// Marks "no node" and "no prefix ends here".
const NONE: u32 = u32::MAX;

/// The prefixes of a topic set, as a trie; ids are indexes into the list
/// it was built from.
#[derive(Debug, Clone)]
pub(crate) struct PrefixTrie {
    /// Child node of the root for each first byte.
    root: Vec<u32>,
    nodes: Vec<TrieNode>,
    /// Edges of every node, grouped by node and sorted by byte.
    edges: Vec<(u8, u32)>,
    /// Length of the shortest non-empty prefix.
    min_len: usize,
    /// Bits set at `lead_hash` of every prefix's first `lead_len` bytes.
    leads: Vec<u64>,
}

/// Bits of the lead filter; 2^17 bits keep it at 16 KiB.
const LEAD_BITS: u32 = 17;

/// Hash of a token's first `len` (at most 8) bytes, `LEAD_BITS` wide.
#[inline]
fn lead_hash(token: &[u8], len: usize) -> usize {
    let mixed = head(&token[..len]).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    (mixed >> (64 - LEAD_BITS)) as usize
}

#[derive(Debug, Clone)]
struct TrieNode {
    first_edge: u32,
    edge_count: u32,
    /// Id of the prefix that ends at this node, or `NONE`.
    prefix: u32,
}

impl PrefixTrie {
    /// Builds the trie; `prefixes[i]` gets id `i`. Empty prefixes are
    /// never reported (queries cannot produce them).
    pub(crate) fn new(prefixes: &[Box<[u8]>]) -> PrefixTrie {
        // A map-per-node draft first, then flattened to arrays.
        let mut draft: Vec<(BTreeMap<u8, u32>, u32)> = vec![(BTreeMap::new(), NONE)];
        for (id, prefix) in prefixes.iter().enumerate() {
            let mut node = 0;
            for &byte in prefix.iter() {
                let next = draft.len() as u32;
                let child = *draft[node].0.entry(byte).or_insert(next);
                if child == next {
                    draft.push((BTreeMap::new(), NONE));
                }
                node = child as usize;
            }
            if node != 0 {
                draft[node].1 = id as u32;
            }
        }
        let mut trie = PrefixTrie::flatten(&draft);
        let lengths = prefixes.iter().map(|p| p.len()).filter(|&n| n > 0);
        trie.min_len = lengths.min().unwrap_or(usize::MAX);
        trie.leads = vec![0; (1 << LEAD_BITS) / 64];
        for prefix in prefixes.iter().filter(|p| !p.is_empty()) {
            let bit = lead_hash(prefix, trie.lead_len());
            trie.leads[bit / 64] |= 1 << (bit % 64);
        }
        trie
    }

    /// How many leading bytes the lead filter looks at: all of the
    /// shortest prefix, up to eight, so that a token passes only if it
    /// shares that many bytes with some prefix.
    fn lead_len(&self) -> usize {
        self.min_len.min(8)
    }

    /// Whether `token` may start with some prefix: false means surely not.
    #[inline]
    fn may_start(&self, token: &[u8]) -> bool {
        if token.len() < self.min_len {
            return false;
        }
        let bit = lead_hash(token, self.lead_len());
        self.leads[bit / 64] & (1 << (bit % 64)) != 0
    }

    fn flatten(draft: &[(BTreeMap<u8, u32>, u32)]) -> PrefixTrie {
        let mut root = vec![NONE; 256];
        for (&byte, &child) in &draft[0].0 {
            root[usize::from(byte)] = child;
        }
        let mut nodes = Vec::with_capacity(draft.len());
        let mut edges = Vec::new();
        for (children, prefix) in draft {
            nodes.push(TrieNode {
                first_edge: edges.len() as u32,
                edge_count: children.len() as u32,
                prefix: *prefix,
            });
            edges.extend(children.iter().map(|(&b, &c)| (b, c)));
        }
        PrefixTrie {
            root,
            nodes,
            edges,
            min_len: usize::MAX,
            leads: Vec::new(),
        }
    }

    /// Calls `found` with the id of every prefix that `token` starts
    /// with (the token itself included), shortest first.
    pub(crate) fn for_each_prefix_of(&self, token: &[u8], mut found: impl FnMut(u32)) {
        if !self.may_start(token) {
            return;
        }
        let Some((&first, mut rest)) = token.split_first() else {
            return;
        };
        let mut node = self.root[usize::from(first)];
        while let Some(current) = self.nodes.get(node as usize) {
            if current.prefix != NONE {
                found(current.prefix);
            }
            let Some((&byte, tail)) = rest.split_first() else {
                return;
            };
            rest = tail;
            node = self.child(current, byte);
        }
    }

    fn child(&self, node: &TrieNode, byte: u8) -> u32 {
        let start = node.first_edge as usize;
        let edges = &self.edges[start..start + node.edge_count as usize];
        match edges.binary_search_by_key(&byte, |&(b, _)| b) {
            Ok(i) => edges[i].1,
            Err(_) => NONE,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(trie: &PrefixTrie, token: &str) -> Vec<u32> {
        let mut ids = Vec::new();
        trie.for_each_prefix_of(token.as_bytes(), |id| ids.push(id));
        ids
    }

    #[test]
    fn reports_every_prefix_of_a_token() {
        let list: Vec<Box<[u8]>> = ["sanction", "s", "sanctions", "b", "sand"]
            .iter()
            .map(|p| p.as_bytes().into())
            .collect();
        let trie = PrefixTrie::new(&list);
        assert_eq!(found(&trie, "sanctioned"), [1, 0]);
        assert_eq!(found(&trie, "sanctions"), [1, 0, 2]);
        assert_eq!(found(&trie, "sanction"), [1, 0]);
        assert_eq!(found(&trie, "sanctio"), [1]);
        assert_eq!(found(&trie, "sandy"), [1, 4]);
        assert_eq!(found(&trie, "a"), Vec::<u32>::new());
        assert_eq!(found(&trie, ""), Vec::<u32>::new());
        assert_eq!(found(&PrefixTrie::new(&[]), "a"), Vec::<u32>::new());
        let long: Vec<Box<[u8]>> = ["sanction", "sanctum"]
            .iter()
            .map(|p| p.as_bytes().into())
            .collect();
        let trie = PrefixTrie::new(&long);
        assert_eq!(found(&trie, "sanctioned"), [0]);
        assert_eq!(found(&trie, "sanctums"), [1]);
        assert_eq!(found(&trie, "sanct"), Vec::<u32>::new());
        assert_eq!(found(&trie, "sandwiches"), Vec::<u32>::new());
    }
}
