//! Subcommands of the `wirewatch` binary that do more than call one library
//! entry point; each file holds one command's I/O and formatting.

pub mod dedupe;
pub mod export;
pub mod extract;
pub mod feeds;
pub mod healthcheck;
pub mod jsonl;
pub mod opml;
pub mod stats;
pub mod topics;
