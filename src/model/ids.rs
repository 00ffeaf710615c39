//! Ids of duplicate groups and stories: 64-bit values, written as a prefix
//! letter and 16 hex digits (`g…` for a group, `s…` for a story) wherever
//! they leave the process (exports, webhook bodies, URLs, stored records),
//! so ids stored by earlier versions still read. How an id is derived from
//! an article or a group lives with the grouping engine (`dedupe::ids`).

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// The id of a duplicate group; the first article of the group names it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct GroupId(pub u64);

/// The id of a story, a cluster of groups that report one event.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct StoryId(pub u64);

/// Why a string is not an id of the expected shape.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0:?} is not an id: expected `{1}` and 16 hex digits")]
pub struct BadId(pub String, pub char);

fn parse(s: &str, prefix: char) -> Result<u64, BadId> {
    let bad = || BadId(s.to_string(), prefix);
    let hex = s.strip_prefix(prefix).ok_or_else(bad)?;
    if hex.len() != 16 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(bad());
    }
    u64::from_str_radix(hex, 16).map_err(|_| bad())
}

macro_rules! id_text {
    ($id:ident, $prefix:literal) => {
        impl fmt::Display for $id {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, concat!($prefix, "{:016x}"), self.0)
            }
        }

        impl FromStr for $id {
            type Err = BadId;
            fn from_str(s: &str) -> Result<$id, BadId> {
                parse(s, $prefix.chars().next().unwrap_or('?')).map($id)
            }
        }

        impl Serialize for $id {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.collect_str(self)
            }
        }

        /// Reads the text form; an empty string (a record written before
        /// the field was filled) reads as the zero id.
        impl<'de> Deserialize<'de> for $id {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<$id, D::Error> {
                let text = std::borrow::Cow::<'de, str>::deserialize(d)?;
                if text.is_empty() {
                    return Ok($id(0));
                }
                text.parse().map_err(serde::de::Error::custom)
            }
        }
    };
}

id_text!(GroupId, "g");
id_text!(StoryId, "s");

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_read_back_what_they_write() {
        let g = GroupId(0x0123_4567_89ab_cdef);
        assert_eq!(g.to_string(), "g0123456789abcdef");
        assert_eq!(g.to_string().parse::<GroupId>(), Ok(g));
        let json = serde_json::to_string(&g).unwrap();
        assert_eq!(json, "\"g0123456789abcdef\"");
        assert_eq!(serde_json::from_str::<GroupId>(&json).unwrap(), g);
        assert_eq!(serde_json::from_str::<StoryId>("\"\"").unwrap(), StoryId(0));
        assert!("g12".parse::<GroupId>().is_err());
        assert!("s0123456789abcdef".parse::<GroupId>().is_err());
        assert!(serde_json::from_str::<StoryId>("\"g0123456789abcdef\"").is_err());
    }
}
