//! `wirewatch extract`: runs the extractor on files or stdin, with no network
//! and no database, and its `--bench` mode that times extraction against the
//! bare HTML parse over the same pages.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::Context;
use wirewatch::extract;

/// Output format of extracted articles.
#[derive(Clone, Copy, clap::ValueEnum)]
pub enum Format {
    /// One JSON object per page: `id`, the text, kind and metadata.
    Json,
    /// A `# title` line, a blank line and the body text per page.
    Text,
}

/// Extracts every file (or stdin when there are none) to stdout.
pub fn run(files: &[PathBuf], format: Format) -> anyhow::Result<()> {
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    if files.is_empty() {
        let mut bytes = Vec::new();
        std::io::stdin()
            .read_to_end(&mut bytes)
            .context("reading stdin")?;
        write_article(&mut out, "stdin", &bytes, format)?;
    }
    let bar = super::progress(files.len(), "extracting");
    for file in files {
        let bytes = read(file)?;
        write_article(&mut out, &page_id(file), &bytes, format)?;
        bar.inc(1);
    }
    bar.finish_and_clear();
    out.flush().context("writing stdout")
}

fn read(file: &Path) -> anyhow::Result<Vec<u8>> {
    std::fs::read(file).with_context(|| format!("reading {}", file.display()))
}

/// The file name without its extension: the id the benchmark scorer expects.
fn page_id(file: &Path) -> String {
    file.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}

fn write_article(
    out: &mut impl Write,
    id: &str,
    bytes: &[u8],
    format: Format,
) -> anyhow::Result<()> {
    let html = extract::decode_html(bytes, None);
    let article = extract::extract(&html, None);
    match format {
        Format::Json => {
            let mut record = serde_json::to_value(&article)?;
            record["id"] = serde_json::Value::String(id.to_string());
            writeln!(out, "{record}")?;
        }
        Format::Text => {
            let title = article.meta.title.as_deref().unwrap_or(id);
            writeln!(out, "# {title}\n\n{}\n", article.text)?;
        }
    }
    Ok(())
}

/// Times `reps` rounds over the pages, one thread: the HTML parse alone and
/// full extraction (parse included), alternating so that both see the same
/// machine load, and prints the best round of each in pages/s. Pages are
/// decoded once up front, so neither figure includes file reads or charset
/// detection.
pub fn bench(files: &[PathBuf], reps: usize) -> anyhow::Result<()> {
    anyhow::ensure!(!files.is_empty(), "--bench needs page files");
    let pages = files
        .iter()
        .map(|f| Ok(extract::decode_html(&read(f)?, None)))
        .collect::<anyhow::Result<Vec<String>>>()?;
    let (mut parse, mut full) = (Duration::MAX, Duration::MAX);
    let bar = super::progress(reps.max(1), "rounds");
    for _ in 0..reps.max(1) {
        parse = parse.min(time(&pages, |html| {
            std::hint::black_box(scraper::Html::parse_document(html));
        }));
        full = full.min(time(&pages, |html| {
            std::hint::black_box(extract::extract(html, None));
        }));
        bar.inc(1);
    }
    bar.finish_and_clear();
    let rate = |d: Duration| pages.len() as f64 / d.as_secs_f64();
    let bytes: usize = pages.iter().map(String::len).sum();
    println!(
        "{} pages, {:.1} MB, best of {reps} rounds, one thread",
        pages.len(),
        bytes as f64 / 1e6
    );
    println!("parse only       {:8.1} pages/s", rate(parse));
    println!("full extraction  {:8.1} pages/s", rate(full));
    println!(
        "extraction adds  {:8.0}% to the parse",
        (full.as_secs_f64() / parse.as_secs_f64() - 1.0) * 100.0
    );
    Ok(())
}

/// Wall time of one round over all pages.
fn time(pages: &[String], mut f: impl FnMut(&str)) -> Duration {
    let start = Instant::now();
    pages.iter().for_each(|p| f(p));
    start.elapsed()
}
