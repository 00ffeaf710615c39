//! Golden pages for the extractor (tests/fixtures/extract, written by its
//! generate.py): the seed articles in five page templates and one page per
//! legacy charset, and one hand-written page per failure class (`class-*`,
//! written by its classes.py). Each page must give exactly its true body, and its whole
//! output (text, kind and metadata) must match the reviewed `.expected.json`.
//! `UPDATE_GOLDEN=1 cargo test golden` rewrites the expected files.

use std::path::{Path, PathBuf};

use wirewatch::extract::{decode_html, extract};

fn fixtures() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/extract");
    let mut pages: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("fixture dir")
        .map(|e| e.expect("fixture entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "html"))
        .collect();
    pages.sort();
    assert!(pages.len() >= 10, "fixtures missing in {}", dir.display());
    pages
}

fn sibling(page: &Path, suffix: &str) -> PathBuf {
    let stem = page.file_stem().expect("stem").to_string_lossy();
    page.with_file_name(format!("{stem}{suffix}"))
}

fn output(page: &Path) -> serde_json::Value {
    let bytes = std::fs::read(page).expect("read page");
    let url = url::Url::parse("https://news.example/2019/10/24/story.html").expect("url");
    serde_json::to_value(extract(&decode_html(&bytes, None), Some(&url))).expect("json")
}

/// Paragraphs with whitespace runs (no-break spaces included) collapsed, as
/// the extractor writes them.
fn paragraphs(text: &str) -> Vec<String> {
    text.split("\n\n")
        .map(|p| p.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|p| !p.is_empty())
        .collect()
}

#[test]
fn golden_pages_give_exactly_their_true_body() {
    let mut wrong = Vec::new();
    for page in fixtures() {
        let truth = std::fs::read_to_string(sibling(&page, ".truth.txt")).expect("truth");
        let got = output(&page);
        let got = paragraphs(got["text"].as_str().expect("text"));
        let want = paragraphs(&truth);
        if got != want {
            let extra: Vec<_> = got.iter().filter(|p| !want.contains(p)).collect();
            let missed: Vec<_> = want.iter().filter(|p| !got.contains(p)).collect();
            wrong.push(format!(
                "{}: extra {extra:?}, missed {missed:?}",
                page.display()
            ));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn golden_pages_match_their_reviewed_output() {
    let update = std::env::var_os("UPDATE_GOLDEN").is_some();
    for page in fixtures() {
        let got = output(&page);
        let path = sibling(&page, ".expected.json");
        if update {
            let text = serde_json::to_string_pretty(&got).expect("json") + "\n";
            std::fs::write(&path, text).expect("write expected");
            continue;
        }
        let expected: serde_json::Value = serde_json::from_str(
            &std::fs::read_to_string(&path).expect("expected file; run with UPDATE_GOLDEN=1"),
        )
        .expect("expected json");
        assert_eq!(got, expected, "output of {}", page.display());
    }
}
