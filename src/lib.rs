//! wirewatch: a news-monitoring daemon. It polls RSS, Atom and JSON feeds,
//! extracts each new article's body, recognises copies of one story, stores
//! everything in sled and alerts when an article matches a configured topic.
//!
//! Pure stages (`parse`, `extract`, `dedupe`, `topics`) depend only on
//! `model`; `fetch` and `alert` go through `net`; sled lives in `store`; only
//! `pipeline` wires the stages together.

pub mod alert;
pub mod config;
pub mod control;
pub mod dedupe;
pub mod demo;
pub mod extract;
pub mod fetch;
pub mod model;
pub mod net;
pub mod parse;
pub mod pipeline;
pub mod store;
pub mod telemetry;
pub mod topics;
pub mod web;

pub use pipeline::{Daemon, run};
