//! The README's command table names every command and long option.

use clap::CommandFactory;

use crate::Cli;

/// Every command and subcommand, and every long option of each, on
/// the README's command table rows for it.
#[test]
fn the_readme_lists_every_command_and_option() {
    let readme = include_str!("../../README.md");
    let mut missing = Vec::new();
    let mut check = |path: String, cmd: &clap::Command| {
        let rows: String = readme
            .lines()
            .filter(|l| {
                l.starts_with(&format!("| `{path} ")) || l.starts_with(&format!("| `{path}`"))
            })
            .collect();
        if rows.is_empty() {
            missing.push(path.clone());
        }
        let longs = cmd.get_arguments().filter_map(|a| a.get_long());
        for long in longs.filter(|l| !["help", "version", "config", "jsonl"].contains(l)) {
            if !rows.contains(&format!("--{long}")) {
                missing.push(format!("{path} --{long}"));
            }
        }
    };
    for cmd in Cli::command().get_subcommands() {
        let path = format!("wirewatch {}", cmd.get_name());
        for sub in cmd.get_subcommands() {
            check(format!("{path} {}", sub.get_name()), sub);
        }
        check(path, cmd);
    }
    assert!(missing.is_empty(), "README lacks {missing:?}");
}
