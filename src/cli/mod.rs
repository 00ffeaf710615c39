//! Subcommands of the `wirewatch` binary that do more than call one library
//! entry point; each file holds one command's I/O and formatting.

pub mod dedupe;
pub mod demo;
pub mod export;
pub mod extract;
pub mod feeds;
pub mod healthcheck;
pub mod jsonl;
pub mod opml;
pub mod parse;
pub mod stats;
pub mod topics;

/// A progress bar on stderr for `len` steps of `what`; drawn only when
/// stderr is a terminal, so pipes and logs stay clean.
pub fn progress(len: usize, what: &'static str) -> indicatif::ProgressBar {
    let bar = indicatif::ProgressBar::new(len as u64);
    let style = indicatif::ProgressStyle::with_template("{msg:>12} {wide_bar} {pos}/{len} {eta}")
        .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar());
    bar.set_style(style);
    bar.set_message(what);
    bar
}

#[cfg(test)]
mod readme;
