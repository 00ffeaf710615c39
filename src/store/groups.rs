//! Duplicate groups and what rebuilds the in-memory grouping at start:
//! exact-body groups (`bodies`), one fingerprint record per article
//! (`fingerprints`) and one record per group with its members and story
//! (`groups`).

use serde::{Deserialize, Serialize};
use sled::Transactional;
use sled::transaction::ConflictableTransactionError;

use super::{Store, StoreError, decode, get, put};
use crate::dedupe::{Fingerprint, Ledger, Placement};
use crate::model::{Article, GroupId, StoryId};

/// A group's members and its place in a story.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct GroupRecord {
    pub id: GroupId,
    pub story: StoryId,
    /// In the order they joined.
    pub members: Vec<Member>,
    /// The canonical URL of the most complete copy (most words; the
    /// earliest on a tie).
    pub representative: String,
    /// A `breaking` event was queued for it.
    #[serde(default)]
    pub breaking_reported: bool,
}

/// One copy in a group.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Member {
    pub canonical_url: String,
    pub feed: String,
    /// RFC 3339.
    pub first_seen: String,
    pub words: usize,
}

impl GroupRecord {
    /// Add a member, or refresh it (an update), and re-pick the representative.
    pub fn join(&mut self, member: Member) {
        match self
            .members
            .iter_mut()
            .find(|m| m.canonical_url == member.canonical_url)
        {
            Some(existing) => existing.words = member.words,
            None => self.members.push(member),
        }
        let mut best: Option<&Member> = None;
        for m in &self.members {
            if best.is_none_or(|b| m.words > b.words) {
                best = Some(m);
            }
        }
        self.representative = best.map(|m| m.canonical_url.clone()).unwrap_or_default();
    }
}

/// A persisted fingerprint: what the near-duplicate index needs per article.
#[derive(Debug, Clone, PartialEq)]
pub struct FingerprintRecord {
    pub group: GroupId,
    /// Unix seconds when the article was indexed.
    pub at: u64,
    /// `dedupe::Fingerprint::to_bytes`.
    pub fingerprint: Vec<u8>,
}

impl FingerprintRecord {
    /// `at` (8 bytes, big endian), group id length (1 byte), group id, fingerprint.
    fn encode(&self) -> Vec<u8> {
        let group = self.group.to_string();
        let group = group.as_bytes();
        let len = u8::try_from(group.len()).unwrap_or(u8::MAX);
        let mut out = Vec::with_capacity(9 + group.len() + self.fingerprint.len());
        out.extend_from_slice(&self.at.to_be_bytes());
        out.push(len);
        out.extend_from_slice(&group[..usize::from(len)]);
        out.extend_from_slice(&self.fingerprint);
        out
    }

    fn decode(bytes: &[u8]) -> Option<FingerprintRecord> {
        let at = u64::from_be_bytes(bytes.get(..8)?.try_into().ok()?);
        let len = usize::from(*bytes.get(8)?);
        let group = std::str::from_utf8(bytes.get(9..9 + len)?).ok()?;
        Some(FingerprintRecord {
            group: group.parse().ok()?,
            at,
            fingerprint: bytes.get(9 + len..)?.to_vec(),
        })
    }
}

impl Store {
    /// The group of the first article stored with this body hash; `proposed`
    /// becomes that group when the hash is new. Atomic, so two copies
    /// processed at once still land in one group.
    pub fn group_for_body(&self, hash: &str, proposed: GroupId) -> Result<GroupId, StoreError> {
        let value = serde_json::to_vec(&proposed).map_err(StoreError::encode("bodies"))?;
        let swap = self
            .bodies
            .compare_and_swap(hash, None as Option<&[u8]>, Some(value))
            .map_err(StoreError::sled("bodies"))?;
        match swap {
            Ok(()) => Ok(proposed),
            Err(current) => match current.current {
                Some(existing) => decode("bodies", hash.as_bytes(), &existing),
                None => Ok(proposed),
            },
        }
    }

    pub fn put_fingerprint(
        &self,
        canonical_url: &str,
        record: &FingerprintRecord,
    ) -> Result<(), StoreError> {
        self.fingerprints
            .insert(canonical_url, record.encode())
            .map_err(StoreError::sled("fingerprints"))?;
        Ok(())
    }

    /// Every fingerprint record indexed at or after `since` (unix seconds),
    /// with its article's canonical URL.
    pub fn fingerprints_since(
        &self,
        since: u64,
    ) -> impl Iterator<Item = Result<(String, FingerprintRecord), StoreError>> + '_ {
        self.fingerprints.iter().filter_map(move |entry| {
            let (key, value) = match entry {
                Ok(kv) => kv,
                Err(source) => return Some(Err(StoreError::sled("fingerprints")(source))),
            };
            let url = String::from_utf8_lossy(&key).into_owned();
            match FingerprintRecord::decode(&value) {
                Some(record) if record.at >= since => Some(Ok((url, record))),
                Some(_) => None,
                None => Some(Err(StoreError::Malformed {
                    tree: "fingerprints",
                    key: url,
                })),
            }
        })
    }

    pub fn group(&self, id: &GroupId) -> Result<Option<GroupRecord>, StoreError> {
        get(&self.groups, "groups", id.to_string().as_bytes())
    }

    pub fn put_group(&self, record: &GroupRecord) -> Result<(), StoreError> {
        let old = self.group(&record.id)?;
        self.index_group(old.as_ref(), record)?;
        put(
            &self.groups,
            "groups",
            record.id.to_string().as_bytes(),
            record,
        )
    }

    /// Every group record, in id order.
    pub fn groups(&self) -> impl Iterator<Item = Result<GroupRecord, StoreError>> + '_ {
        self.groups.iter().map(|entry| {
            let (key, value) = entry.map_err(StoreError::sled("groups"))?;
            decode("groups", &key, &value)
        })
    }

    pub fn group_count(&self) -> usize {
        self.groups.len()
    }

    /// Merges group `from` into group `into` (one text that reached the
    /// index in parts): `from`'s members join `into`'s record and story,
    /// their articles and fingerprint records name `into`, and `from`'s
    /// record goes, all in one transaction. Returns how many members moved.
    pub fn merge_groups(&self, from: GroupId, into: GroupId) -> Result<usize, StoreError> {
        let (Some(gone), Some(mut kept)) = (self.group(&from)?, self.group(&into)?) else {
            return Ok(0);
        };
        let moved = gone.members.len();
        let mut articles = Vec::with_capacity(moved);
        let mut fingerprints = Vec::with_capacity(moved);
        for member in &gone.members {
            let url = member.canonical_url.as_str();
            if let Some(mut article) = self.article(url)? {
                article.group = into;
                article.story = kept.story;
                let value = serde_json::to_vec(&article).map_err(StoreError::encode("articles"))?;
                articles.push((url, value));
            }
            let found = self
                .fingerprints
                .get(url)
                .map_err(StoreError::sled("fingerprints"))?;
            if let Some(mut record) = found.as_deref().and_then(FingerprintRecord::decode) {
                record.group = into;
                fingerprints.push((url, record.encode()));
            }
        }
        let before = kept.clone();
        for member in &gone.members {
            kept.join(member.clone());
        }
        kept.breaking_reported |= gone.breaking_reported;
        self.unindex_group(&gone)?;
        self.index_group(Some(&before), &kept)?;
        let kept = serde_json::to_vec(&kept).map_err(StoreError::encode("groups"))?;
        let (from, into) = (from.to_string(), into.to_string());
        let result = (&self.articles, &self.fingerprints, &self.groups).transaction(
            |(articles_tx, fingerprints_tx, groups_tx)| {
                for (url, value) in &articles {
                    articles_tx.insert(url.as_bytes(), value.as_slice())?;
                }
                for (url, value) in &fingerprints {
                    fingerprints_tx.insert(url.as_bytes(), value.as_slice())?;
                }
                groups_tx.insert(into.as_bytes(), kept.as_slice())?;
                groups_tx.remove(from.as_bytes())?;
                Ok::<(), ConflictableTransactionError<()>>(())
            },
        );
        result.map_err(|e| StoreError::Transaction(format!("{e:?}")))?;
        Ok(moved)
    }
}

/// The grouping engine's ledger over the store, for placing one article:
/// placing it records its fingerprint and its membership of its group.
pub struct GroupLedger<'a> {
    pub store: &'a Store,
    pub article: &'a Article,
    pub fingerprint: &'a Fingerprint,
    /// Unix seconds when it was placed.
    pub at: u64,
}

impl Ledger for GroupLedger<'_> {
    type Error = StoreError;

    fn body_group(&mut self, hash: &str, proposed: GroupId) -> Result<GroupId, StoreError> {
        self.store.group_for_body(hash, proposed)
    }

    fn recorded_story(&mut self, group: GroupId) -> Result<Option<StoryId>, StoreError> {
        Ok(self.store.group(&group)?.map(|r| r.story))
    }

    fn merge(&mut self, from: GroupId, into: GroupId) -> Result<usize, StoreError> {
        let members = self.store.merge_groups(from, into)?;
        tracing::info!(%from, %into, members, "groups merged: a copy holds both texts");
        Ok(members)
    }

    fn placed(&mut self, key: &str, placement: &Placement) -> Result<(), StoreError> {
        if !self.fingerprint.is_empty() {
            let record = FingerprintRecord {
                group: placement.group,
                at: self.at,
                fingerprint: self.fingerprint.to_bytes(),
            };
            self.store.put_fingerprint(key, &record)?;
        }
        let mut record = self
            .store
            .group(&placement.group)?
            .unwrap_or_else(|| GroupRecord {
                id: placement.group,
                story: placement.story,
                ..GroupRecord::default()
            });
        record.join(Member {
            canonical_url: key.to_string(),
            feed: self.article.feed.clone(),
            first_seen: self.article.first_seen.clone(),
            words: self.article.text.split_whitespace().count(),
        });
        self.store.put_group(&record)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprint_records_round_trip() {
        let record = FingerprintRecord {
            group: GroupId(0x0123_4567_89ab_cdef),
            at: 1_700_000_000,
            fingerprint: vec![1, 2, 3, 250],
        };
        assert_eq!(FingerprintRecord::decode(&record.encode()), Some(record));
        assert_eq!(FingerprintRecord::decode(&[1, 2]), None);
    }

    #[test]
    fn the_representative_is_the_longest_copy() {
        let member = |url: &str, words| Member {
            canonical_url: url.into(),
            feed: "f".into(),
            first_seen: "t".into(),
            words,
        };
        let mut group = GroupRecord::default();
        group.join(member("a", 300));
        group.join(member("b", 500));
        group.join(member("c", 500));
        assert_eq!(group.representative, "b");
        group.join(member("a", 900));
        assert_eq!(
            group.representative, "a",
            "an update can make a copy the longest"
        );
        assert_eq!(group.members.len(), 3);
    }
}
