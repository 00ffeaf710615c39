//! How group and story ids are derived. A group is named after its
//! first article: `g` and 16 hex digits of a hash of that article's key (the
//! canonical URL), the same shape as the ids of exact-body groups, so stored
//! groups of either kind parse. A story is named after its first group:
//! `s` and 16 hex digits of a hash of the group id. An id never changes once
//! given: later members join it, and a restart rebuilds the same ids from the
//! persisted records.

use super::hash::hash_bytes;
use crate::model::{GroupId, StoryId};

/// Domain tags keep a group and a story made from the same string apart.
const GROUP_TAG: &[u8] = b"wirewatch-group-v1\0";
const STORY_TAG: &[u8] = b"wirewatch-story-v1\0";

fn tagged(tag: &[u8], key: &str) -> u64 {
    let mut bytes = Vec::with_capacity(tag.len() + key.len());
    bytes.extend_from_slice(tag);
    bytes.extend_from_slice(key.as_bytes());
    hash_bytes(&bytes)
}

impl GroupId {
    /// The id of the group that an article founds.
    pub fn for_article(article_key: &str) -> GroupId {
        GroupId(tagged(GROUP_TAG, article_key))
    }
}

impl StoryId {
    /// The id of the story that a group founds.
    pub fn for_group(group: GroupId) -> StoryId {
        StoryId(tagged(STORY_TAG, &group.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_round_trip_and_are_stable() {
        let g = GroupId::for_article("https://news.example/a");
        assert_eq!(g, GroupId::for_article("https://news.example/a"));
        assert_eq!(g.to_string().parse::<GroupId>(), Ok(g));
        let s = StoryId::for_group(g);
        assert_eq!(s.to_string().parse::<StoryId>(), Ok(s));
        assert_ne!(g.0, s.0);
        assert!("g12".parse::<GroupId>().is_err());
        assert!("s0123456789abcdef".parse::<GroupId>().is_err());
    }
}
