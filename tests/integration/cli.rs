//! The `wirewatch` binary as a user runs it: `check` reports problems at
//! `file:line:column` and fails; `extract` turns an HTML file into JSON.

use std::path::Path;
use std::process::Command;

use crate::support::Workspace;

pub(crate) fn wirewatch(args: &[&str]) -> std::process::Output {
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

/// Run `wirewatch` with `input` on stdin.
fn wirewatch_with_stdin(args: &[&str], input: &str) -> std::process::Output {
    use std::io::Write;
    let mut child = Command::new(env!("CARGO_BIN_EXE_wirewatch"))
        .args(args)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("running wirewatch");
    let mut stdin = child.stdin.take().expect("stdin");
    stdin.write_all(input.as_bytes()).expect("writing stdin");
    drop(stdin);
    child.wait_with_output().expect("waiting for wirewatch")
}

#[test]
fn dedupe_keeps_the_seed_write_ups_apart_but_in_one_story_and_groups_a_copy() {
    let seeds = wirewatch::demo::seeds();
    let mut input = String::new();
    for seed in &seeds {
        let line = serde_json::json!({"id": seed.id, "title": seed.title, "text": seed.text()});
        input.push_str(&format!("{line}\n"));
    }
    // A reprint of seed 002 with a dateline and its tail cut.
    let text = seeds[2].text();
    let paragraphs: Vec<&str> = text.split("\n\n").collect();
    let copy = format!(
        "TOKYO (Wirestream) - {}",
        paragraphs[..paragraphs.len() / 2].join("\n\n")
    );
    let line =
        serde_json::json!({"id": "copy", "title": "Kim and Trump ties special", "text": copy});
    input.push_str(&format!("{line}\n"));

    let out = wirewatch_with_stdin(&["dedupe", "--jsonl"], &input);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let rows: Vec<serde_json::Value> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).expect("json line"))
        .collect();
    assert_eq!(rows.len(), 6);
    let group = |i: usize| rows[i]["group"].as_str().unwrap().to_string();
    let story = |i: usize| rows[i]["story"].as_str().unwrap().to_string();
    assert_ne!(group(0), group(1));
    assert_ne!(group(1), group(2));
    assert_ne!(group(0), group(2));
    assert_eq!(
        story(0),
        story(1),
        "seed write-ups 000 and 001 report one statement"
    );
    assert_eq!(
        story(1),
        story(2),
        "seed write-ups 001 and 002 report one statement"
    );
    assert_ne!(
        story(3),
        story(0),
        "seed 003 is a later, different statement"
    );
    assert_ne!(
        story(4),
        story(0),
        "seed 004 is a later, different statement"
    );
    assert_eq!(
        group(5),
        group(2),
        "the cut reprint did not join its original"
    );
    assert!(rows[5]["score"].as_f64().is_some());
}

#[test]
fn dedupe_names_the_bad_line() {
    let out = wirewatch_with_stdin(
        &["dedupe", "--jsonl"],
        "{\"id\": \"a\", \"text\": \"x\"}\nnot json\n",
    );
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("stdin line 2"), "{stderr}");
}

#[test]
fn topics_match_reads_articles_and_names_the_matching_topics() {
    let ws = Workspace::new();
    let topics = ws.path("topics.toml");
    std::fs::write(
        &topics,
        "[[topic]]\nname = \"korea\"\nquery = '\"Kim Jong Un\" NEAR/3 Trump'\n\n\
         [[topic]]\nname = \"german\"\nquery = 'title:Kim'\nlanguages = [\"de\"]\n",
    )
    .unwrap();
    let input = concat!(
        r#"{"id": 1, "title": "Kim Jong-un meets Trump", "text": "Kim Jong Un and Donald Trump met."}"#,
        "\n",
        r#"{"id": 2, "title": "Kim Jong-un reist", "text": "Nichts", "lang": "de"}"#,
        "\n"
    );
    let out = wirewatch_with_stdin(
        &["topics", "match", "--topics", topics.to_str().unwrap()],
        input,
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let lines: Vec<serde_json::Value> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines[0], serde_json::json!({"id": 1, "topics": ["korea"]}));
    assert_eq!(lines[1], serde_json::json!({"id": 2, "topics": ["german"]}));
}

#[test]
fn topics_match_reports_a_bad_topic_file_with_its_place() {
    let ws = Workspace::new();
    let topics = ws.path("topics.toml");
    std::fs::write(&topics, "[[topic]]\nname = \"bad\"\nquery = 'a NEAR b'\n").unwrap();
    let out = wirewatch_with_stdin(
        &["topics", "match", "--topics", topics.to_str().unwrap()],
        "",
    );
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(&format!("{}:3:", topics.display())),
        "{stderr}"
    );
}

#[test]
fn completions_and_the_manual_page_are_generated() {
    let bash = wirewatch(&["completions", "bash"]);
    assert!(String::from_utf8_lossy(&bash.stdout).contains("_wirewatch()"));
    let man = wirewatch(&["man"]);
    let page = String::from_utf8_lossy(&man.stdout);
    assert!(
        page.contains(".TH wirewatch 1") && page.contains("search"),
        "{page:.300}"
    );
}

/// The systemd unit's ExecStart, run as written (binary and config path
/// swapped for this build and a copy of the example config in a temporary
/// directory): the daemon starts, logs JSON, and stops cleanly on SIGTERM.
#[cfg(unix)]
#[test]
fn the_units_exec_start_runs_against_the_example_config() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let unit = std::fs::read_to_string(root.join("deploy/wirewatch.service")).expect("unit");
    let exec = unit
        .lines()
        .find_map(|l| l.strip_prefix("ExecStart="))
        .expect("an ExecStart line");
    let dir = tempfile::tempdir().expect("temp dir");
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("free port")
        .port();
    let example = std::fs::read_to_string(root.join("config/wirewatch.example.toml"))
        .expect("example config")
        .replace(
            "/var/lib/wirewatch",
            &dir.path().join("data").display().to_string(),
        )
        .replace("127.0.0.1:9187", &format!("127.0.0.1:{port}"));
    let config = dir.path().join("wirewatch.toml");
    std::fs::write(&config, example).expect("config copy");
    std::fs::copy(
        root.join("config/topics.example.toml"),
        dir.path().join("topics.example.toml"),
    )
    .expect("topics copy");
    let args: Vec<String> = exec
        .split_whitespace()
        .skip(1)
        .map(|a| match a {
            "/etc/wirewatch/wirewatch.toml" => config.display().to_string(),
            other => other.to_string(),
        })
        .collect();
    let mut child = Command::new(env!("CARGO_BIN_EXE_wirewatch"))
        .args(&args)
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("spawning the daemon");
    let stderr = child.stderr.take().expect("stderr");
    let mut lines = std::io::BufRead::lines(std::io::BufReader::new(stderr));
    let started = lines
        .by_ref()
        .map_while(Result::ok)
        .find(|l| l.contains("wirewatch started"))
        .expect("the daemon logs that it started");
    let event: serde_json::Value = serde_json::from_str(&started).expect("JSON log lines");
    assert_eq!(event["level"], "INFO");
    let killed = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .expect("kill");
    assert!(killed.success());
    let status = child.wait().expect("exit status");
    assert!(status.success(), "exit {status:?}");
}

#[test]
fn feeds_go_from_opml_to_the_config_and_back() {
    let ws = Workspace::new();
    let opml = ws.path("subscriptions.opml");
    std::fs::write(
        &opml,
        r#"<?xml version="1.0"?><opml version="2.0"><head/><body>
        <outline text="World"><outline text="Wire &amp; Co &quot;Live&quot;" xmlUrl="https://wire.example/rss.xml"/></outline>
        <outline xmlUrl="https://other.example/atom.xml"/></body></opml>"#,
    )
    .unwrap();
    let imported = wirewatch(&["feeds", "import", opml.to_str().unwrap()]);
    assert!(
        imported.status.success(),
        "{}",
        String::from_utf8_lossy(&imported.stderr)
    );
    let tables = String::from_utf8_lossy(&imported.stdout).into_owned();
    let config = ws.path("wirewatch.toml");
    std::fs::write(&config, format!("data_dir = \"data\"\n{tables}")).unwrap();
    let checked = wirewatch(&["check", "--config", config.to_str().unwrap()]);
    assert!(
        checked.status.success(),
        "{tables}\n{}",
        String::from_utf8_lossy(&checked.stderr)
    );
    let exported = wirewatch(&["feeds", "export", "--config", config.to_str().unwrap()]);
    let xml = String::from_utf8_lossy(&exported.stdout);
    assert!(
        xml.contains(r#"xmlUrl="https://wire.example/rss.xml""#),
        "{xml}"
    );
    assert!(xml.contains("Wire &amp; Co &quot;Live&quot;"), "{xml}");
    // What export writes, import reads back.
    std::fs::write(&opml, xml.as_bytes()).unwrap();
    let again = wirewatch(&["feeds", "import", opml.to_str().unwrap()]);
    assert_eq!(
        String::from_utf8_lossy(&again.stdout)
            .matches("[[feed]]")
            .count(),
        2
    );
}
