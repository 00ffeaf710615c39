//! The `wirewatch` binary as a user runs it: `check` reports problems at
//! `file:line:column` and fails; `extract` turns an HTML file into JSON.

use std::process::Command;

use crate::support::Workspace;

fn wirewatch(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_wirewatch"))
        .args(args)
        .output()
        .expect("running wirewatch")
}

#[test]
fn check_fails_on_a_bad_config_and_names_the_place() {
    let ws = Workspace::new();
    let path = ws.path("bad.toml");
    std::fs::write(
        &path,
        "data_dir = \"data\"\n\n[poll]\nmin_interval = \"often\"\n",
    )
    .unwrap();
    let out = wirewatch(&["check", "--config", path.to_str().unwrap()]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "check accepted a bad config");
    let place = format!("{}:4:16", path.display());
    assert!(stderr.contains(&place), "no {place} in stderr:\n{stderr}");
}

#[test]
fn check_accepts_a_good_config() {
    let ws = Workspace::new();
    let path = ws.path("good.toml");
    std::fs::write(&path, "data_dir = \"data\"\n").unwrap();
    let out = wirewatch(&["check", "--config", path.to_str().unwrap()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn extract_prints_one_json_line_per_file() {
    let ws = Workspace::new();
    let page = wirewatch::demo::seeds()[0].page();
    let path = ws.path("story-one.html");
    std::fs::write(&path, page).unwrap();
    let out = wirewatch(&["extract", path.to_str().unwrap()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8(out.stdout).expect("UTF-8 output");
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 1, "{stdout}");
    let record: serde_json::Value = serde_json::from_str(lines[0]).expect("JSON");
    assert_eq!(record["id"], "story-one");
    let text = record["text"].as_str().unwrap_or("");
    assert!(!text.trim().is_empty(), "{record}");
}
