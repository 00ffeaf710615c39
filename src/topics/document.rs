//! The matchable form of an article: its title and body folded and
//! tokenised once into a single token stream (title first), with every
//! distinct token interned to a document-local id and a posting list of
//! the positions where it occurs. Queries then look terms up by id, so a
//! phrase check costs one hash lookup per query token plus a scan of the
//! rarest token's postings, however many queries are run.

use std::collections::HashMap;

use super::fold::for_each_token;

/// A folded, tokenised article ready for matching many queries.
///
/// Title and body form one token stream, title first, exactly as if the
/// document text were `title + "\n" + body`; the document remembers where
/// the title ends so that title-scoped terms can be added later.
#[derive(Debug, Clone, Default)]
pub struct Document {
    /// Token text → document-local id.
    ids: HashMap<Box<str>, u32>,
    /// The token id at every position of the stream.
    stream: Vec<u32>,
    /// For each id, the ascending positions where it occurs.
    postings: Vec<Vec<u32>>,
    /// Number of title tokens: positions `0..title_len` are the title.
    #[allow(
        dead_code,
        reason = "read by title: scoping in the next grammar version"
    )]
    title_len: usize,
}

impl Document {
    /// Folds and tokenises `title` and `body` in one pass each.
    ///
    /// Folding the two separately gives the same tokens as folding
    /// `title + "\n" + body`: the newline is a word break and no folding
    /// step looks across it.
    pub fn new(title: &str, body: &str) -> Document {
        // Typical prose averages about six bytes per token; reserving
        // avoids most regrowth of the stream.
        let mut doc = Document {
            stream: Vec::with_capacity((title.len() + body.len()) / 6),
            ..Document::default()
        };
        for_each_token(title, |token| doc.push(token));
        doc.title_len = doc.stream.len();
        for_each_token(body, |token| doc.push(token));
        doc
    }

    /// Appends one token to the stream, interning it on first sight.
    fn push(&mut self, token: &str) {
        // Positions are u32 to halve memory; an article would need more
        // than four billion tokens (gigabytes of text) to overflow, and
        // then further tokens are simply not indexed rather than wrapping.
        let Ok(pos) = u32::try_from(self.stream.len()) else {
            return;
        };
        let id = match self.ids.get(token) {
            Some(&id) => id,
            None => {
                let id = self.postings.len() as u32;
                self.ids.insert(token.into(), id);
                self.postings.push(Vec::new());
                id
            }
        };
        self.stream.push(id);
        self.postings[id as usize].push(pos);
    }

    /// Whether the folded tokens of a phrase occur consecutively.
    pub(crate) fn contains_phrase(&self, tokens: &[String]) -> bool {
        self.phrase_starts(tokens).next().is_some()
    }

    /// The ascending start positions of every occurrence of the phrase.
    ///
    /// This is the primitive that `NEAR/n` and title scoping will build
    /// on: both need positions, not just a yes/no.
    pub(crate) fn phrase_starts<'a>(
        &'a self,
        tokens: &[String],
    ) -> impl Iterator<Item = usize> + use<'a> {
        self.resolve(tokens).into_iter().flat_map(move |ids| {
            // Scan the postings of the rarest token and verify the rest of
            // the phrase around each of its positions.
            let anchor = self.rarest(&ids);
            let len = ids.len();
            self.postings[ids[anchor] as usize]
                .iter()
                .filter_map(move |&pos| {
                    let start = (pos as usize).checked_sub(anchor)?;
                    let window = self.stream.get(start..start + len)?;
                    (window == ids.as_slice()).then_some(start)
                })
        })
    }

    /// Maps phrase tokens to ids; `None` if any token is absent (so the
    /// phrase cannot occur) or the phrase is empty.
    fn resolve(&self, tokens: &[String]) -> Option<Vec<u32>> {
        if tokens.is_empty() {
            return None;
        }
        tokens
            .iter()
            .map(|token| self.ids.get(token.as_str()).copied())
            .collect()
    }

    /// Index within `ids` of the token with the fewest occurrences.
    fn rarest(&self, ids: &[u32]) -> usize {
        (0..ids.len())
            .min_by_key(|&i| self.postings[ids[i] as usize].len())
            .unwrap_or(0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn phrase(words: &[&str]) -> Vec<String> {
        words.iter().map(|w| w.to_string()).collect()
    }

    #[test]
    fn finds_every_phrase_occurrence() {
        // "b" is rarer than "a", so it anchors the scan from index 1.
        let doc = Document::new("a b a", "c a b");
        assert_eq!(
            doc.phrase_starts(&phrase(&["a", "b"])).collect::<Vec<_>>(),
            [0, 4]
        );
        assert_eq!(
            doc.phrase_starts(&phrase(&["b", "a"])).collect::<Vec<_>>(),
            [1]
        );
        assert!(!doc.contains_phrase(&phrase(&["a", "a"])));
        assert!(doc.contains_phrase(&phrase(&["c"])));
        assert!(!doc.contains_phrase(&phrase(&["d"])));
        assert!(!doc.contains_phrase(&[]));
    }

    #[test]
    fn title_and_body_are_one_stream() {
        let doc = Document::new("Kim Jong", "Un said");
        assert_eq!(doc.title_len, 2);
        assert!(doc.contains_phrase(&phrase(&["jong", "un"])));
    }

    #[test]
    fn phrase_longer_than_the_document_does_not_match() {
        let doc = Document::new("", "x y");
        assert!(!doc.contains_phrase(&phrase(&["x", "y", "z"])));
        assert!(!doc.contains_phrase(&phrase(&["w", "x", "y"])));
    }
}
