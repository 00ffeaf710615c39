//! Stable ids of duplicate groups and stories. A group is named after its
//! first article: `g` and 16 hex digits of a hash of that article's key (the
//! canonical URL), the same shape as the ids of exact-body groups, so stored
//! groups of either kind parse. A story is named after its first group:
//! `s` and 16 hex digits of a hash of the group id. An id never changes once
//! given: later members join it, and a restart rebuilds the same ids from the
//! persisted records.

use super::hash::hash_bytes;
use std::fmt;
use std::str::FromStr;

/// A duplicate group id (`g` + 16 hex digits); see the module docs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct GroupKey(pub u64);

/// A story id (`s` + 16 hex digits); see the module docs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct StoryKey(pub u64);

/// Domain tags keep a group and a story made from the same string apart.
const GROUP_TAG: &[u8] = b"wirewatch-group-v1\0";
const STORY_TAG: &[u8] = b"wirewatch-story-v1\0";

fn tagged(tag: &[u8], key: &str) -> u64 {
    let mut bytes = Vec::with_capacity(tag.len() + key.len());
    bytes.extend_from_slice(tag);
    bytes.extend_from_slice(key.as_bytes());
    hash_bytes(&bytes)
}

impl GroupKey {
    /// The id of the group that an article founds.
    pub fn for_article(article_key: &str) -> GroupKey {
        GroupKey(tagged(GROUP_TAG, article_key))
    }
}

impl StoryKey {
    /// The id of the story that a group founds.
    pub fn for_group(group: GroupKey) -> StoryKey {
        StoryKey(tagged(STORY_TAG, &group.to_string()))
    }
}

/// Why a string is not an id of the expected shape.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadId;

impl fmt::Display for BadId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("not a prefix letter followed by 16 hex digits")
    }
}

impl std::error::Error for BadId {}

fn parse(s: &str, prefix: char) -> Result<u64, BadId> {
    let hex = s.strip_prefix(prefix).ok_or(BadId)?;
    if hex.len() != 16 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(BadId);
    }
    u64::from_str_radix(hex, 16).map_err(|_| BadId)
}

impl fmt::Display for GroupKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "g{:016x}", self.0)
    }
}

impl fmt::Display for StoryKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "s{:016x}", self.0)
    }
}

impl FromStr for GroupKey {
    type Err = BadId;
    fn from_str(s: &str) -> Result<GroupKey, BadId> {
        parse(s, 'g').map(GroupKey)
    }
}

impl FromStr for StoryKey {
    type Err = BadId;
    fn from_str(s: &str) -> Result<StoryKey, BadId> {
        parse(s, 's').map(StoryKey)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_round_trip_and_are_stable() {
        let g = GroupKey::for_article("https://news.example/a");
        assert_eq!(g, GroupKey::for_article("https://news.example/a"));
        assert_eq!(g.to_string().parse::<GroupKey>(), Ok(g));
        let s = StoryKey::for_group(g);
        assert_eq!(s.to_string().parse::<StoryKey>(), Ok(s));
        assert_ne!(g.0, s.0);
        assert!("g12".parse::<GroupKey>().is_err());
        assert!("s0123456789abcdef".parse::<GroupKey>().is_err());
    }
}
