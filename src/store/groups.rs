//! Duplicate groups: which group a body belongs to.

use super::{Store, StoreError, decode};
use crate::model::GroupId;

impl Store {
    /// The group of the first article stored with this body hash; `proposed`
    /// becomes that group when the hash is new. Atomic, so two copies
    /// processed at once still land in one group.
    pub fn group_for_body(&self, hash: &str, proposed: &GroupId) -> Result<GroupId, StoreError> {
        let value = serde_json::to_vec(proposed).map_err(StoreError::encode("bodies"))?;
        let swap = self
            .bodies
            .compare_and_swap(hash, None as Option<&[u8]>, Some(value))
            .map_err(StoreError::sled("bodies"))?;
        match swap {
            Ok(()) => Ok(proposed.clone()),
            Err(current) => match current.current {
                Some(existing) => decode("bodies", hash.as_bytes(), &existing),
                None => Ok(proposed.clone()),
            },
        }
    }
}
