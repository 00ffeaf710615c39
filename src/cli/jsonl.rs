//! Reading JSON lines from stdin for the commands that work on a stream of
//! articles, with errors that name the line.

use std::io::BufRead;

use anyhow::Context;
use serde::de::DeserializeOwned;

/// Call `each` with every non-blank stdin line parsed as `T` and its
/// 0-based line number; `expected` describes the record shape in errors.
pub fn each_stdin_line<T: DeserializeOwned>(
    expected: &str,
    mut each: impl FnMut(usize, T) -> anyhow::Result<()>,
) -> anyhow::Result<()> {
    for (n, line) in std::io::stdin().lock().lines().enumerate() {
        let line = line.context("reading stdin")?;
        if line.trim().is_empty() {
            continue;
        }
        let record: T = serde_json::from_str(&line)
            .with_context(|| format!("stdin line {}: expected {expected}", n + 1))?;
        each(n, record)?;
    }
    Ok(())
}
