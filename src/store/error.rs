//! Storage errors, each naming the tree (and key) involved.

use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("cannot open the database at {path}: {source}")]
    Open { path: PathBuf, source: sled::Error },
    #[error(
        "the database at {path} is in use by another process (is another wirewatch running with this data_dir?)"
    )]
    Locked { path: PathBuf },
    #[error("database at {path} has schema version {found}, this wirewatch reads 1 to 3")]
    Schema { path: PathBuf, found: String },
    #[error("database error in {tree}: {source}")]
    Sled {
        tree: &'static str,
        source: sled::Error,
    },
    #[error("cannot encode a record for {tree}: {source}")]
    Encode {
        tree: &'static str,
        source: serde_json::Error,
    },
    #[error("corrupt record in {tree} at {key}: {source}")]
    Corrupt {
        tree: &'static str,
        key: String,
        source: serde_json::Error,
    },
    #[error("malformed record in {tree} at {key}")]
    Malformed { tree: &'static str, key: String },
    #[error("transaction failed: {0}")]
    Transaction(String),
}

impl StoreError {
    /// A `map_err` adapter that names the tree.
    pub(super) fn sled(tree: &'static str) -> impl Fn(sled::Error) -> StoreError {
        move |source| StoreError::Sled { tree, source }
    }

    pub(super) fn encode(tree: &'static str) -> impl Fn(serde_json::Error) -> StoreError {
        move |source| StoreError::Encode { tree, source }
    }
}
