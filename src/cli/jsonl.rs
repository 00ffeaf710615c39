//! Reading JSON lines from stdin for the commands that work on a stream of
//! articles, with errors that name the line.

use std::io::{BufRead, IsTerminal};

use anyhow::Context;
use serde::de::DeserializeOwned;

/// Call `each` with every non-blank stdin line parsed as `T` and its
/// 0-based line number; `expected` describes the record shape in errors.
pub fn each_stdin_line<T: DeserializeOwned>(
    expected: &str,
    mut each: impl FnMut(usize, T) -> anyhow::Result<()>,
) -> anyhow::Result<()> {
    let stdin = std::io::stdin();
    let bar = counter(stdin.is_terminal());
    for (n, line) in stdin.lock().lines().enumerate() {
        let line = line.context("reading stdin")?;
        bar.inc(1);
        if line.trim().is_empty() {
            continue;
        }
        let record: T = serde_json::from_str(&line)
            .with_context(|| format!("stdin line {}: expected {expected}", n + 1))?;
        each(n, record)?;
    }
    bar.finish_and_clear();
    Ok(())
}

/// A running count of lines read on stderr (a stream has no known length);
/// none while someone types the lines in.
fn counter(typed: bool) -> indicatif::ProgressBar {
    if typed {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::new_spinner();
    let style = indicatif::ProgressStyle::with_template("{spinner} {pos} lines read ({per_sec})")
        .unwrap_or_else(|_| indicatif::ProgressStyle::default_spinner());
    bar.set_style(style);
    bar
}
