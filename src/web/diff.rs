//! What one copy changed against its group's most complete copy, word by
//! word: runs of words kept, added (`<ins>`) and cut (`<del>`); a
//! replacement is a cut followed by an addition. Myers' algorithm with a
//! deadline, so a long hostile text cannot hold a page up.

use std::time::{Duration, Instant};

use similar::{Algorithm, DiffTag, capture_diff_slices_deadline};

/// Longest a diff may take before the rest is shown as cut and added.
const DEADLINE: Duration = Duration::from_millis(20);

/// A run of words in a diff.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub(super) struct Run {
    /// `same`, `ins` or `del`.
    pub kind: &'static str,
    pub text: String,
}

/// How much a copy changed.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub(super) struct Changes {
    pub added: usize,
    pub cut: usize,
    /// Places where words were replaced (a cut next to an addition).
    pub replaced: usize,
    pub runs: Vec<Run>,
}

/// The changes that turn `original` into `copy`.
pub(super) fn words(original: &str, copy: &str) -> Changes {
    let old: Vec<&str> = original.split_whitespace().collect();
    let new: Vec<&str> = copy.split_whitespace().collect();
    let deadline = Instant::now() + DEADLINE;
    let ops = capture_diff_slices_deadline(Algorithm::Myers, &old, &new, Some(deadline));
    let mut changes = Changes::default();
    for op in ops {
        let (tag, from, to) = op.as_tag_tuple();
        let cut = old.get(from).unwrap_or_default();
        let added = new.get(to).unwrap_or_default();
        match tag {
            DiffTag::Equal => push(&mut changes.runs, "same", cut),
            DiffTag::Delete => push(&mut changes.runs, "del", cut),
            DiffTag::Insert => push(&mut changes.runs, "ins", added),
            DiffTag::Replace => {
                changes.replaced += 1;
                push(&mut changes.runs, "del", cut);
                push(&mut changes.runs, "ins", added);
            }
        }
        changes.cut += if matches!(tag, DiffTag::Delete | DiffTag::Replace) {
            cut.len()
        } else {
            0
        };
        changes.added += if matches!(tag, DiffTag::Insert | DiffTag::Replace) {
            added.len()
        } else {
            0
        };
    }
    changes
}

fn push(runs: &mut Vec<Run>, kind: &'static str, words: &[&str]) {
    if words.is_empty() {
        return;
    }
    match runs.last_mut() {
        Some(last) if last.kind == kind => {
            last.text.push(' ');
            last.text.push_str(&words.join(" "));
        }
        _ => runs.push(Run {
            kind,
            text: words.join(" "),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_dateline_added_a_spelling_replaced_and_a_tail_cut() {
        let original =
            "Leaders met on Monday to discuss the harbour plan. The talks will resume next week.";
        let copy = "SEOUL (AP) — Leaders met on Monday to discuss the harbor plan.";
        let changes = words(original, copy);
        assert_eq!(changes.added, 4, "{changes:?}");
        assert_eq!(changes.replaced, 1, "{changes:?}");
        let kinds: Vec<(&str, &str)> = changes
            .runs
            .iter()
            .map(|r| (r.kind, r.text.as_str()))
            .collect();
        assert_eq!(kinds[0], ("ins", "SEOUL (AP) —"));
        assert!(
            kinds.contains(&("del", "harbour plan. The talks will resume next week."))
                || kinds
                    .iter()
                    .any(|(k, t)| *k == "del" && t.contains("resume next week.")),
            "{kinds:?}"
        );
        assert_eq!(words(original, original).runs.len(), 1);
    }
}
