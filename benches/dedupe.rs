//! Throughput and memory of copy detection with a large index.
//!
//! `cargo bench --bench dedupe -- [CORPUS.json] [--index N] [--articles M]`
//! learns a word-bigram model from the texts of the extraction benchmark's
//! ground truth (the default, beside this repository), of a newsroom
//! simulator `truth.json`, or of any JSON with an `articles` map of objects
//! with `text`; generates ~600-word
//! articles from it (so common phrases recur across articles, as in real
//! news), fills an index with N of them (default 1,000,000), then times
//! fingerprint + lookup + insert of M more (default 50,000) on one thread.
//! One in ten measured articles is an edited copy of an indexed one, and
//! every article carries one of 50 site boilerplate paragraphs. Prints
//! articles/s, heap bytes per indexed article (counted by the allocator)
//! and the persisted fingerprint size.

use wirewatch::dedupe::{GroupId, NearConfig, NearIndex, fingerprint};

/// The extraction benchmark's truth file, beside this repository.
const DEFAULT_CORPUS: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../shared/bench/extraction/ground-truth.json"
);
use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicIsize, Ordering};
use std::time::Instant;

struct Counting;

static ALLOCATED: AtomicIsize = AtomicIsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCATED.fetch_add(layout.size() as isize, Ordering::Relaxed);
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        ALLOCATED.fetch_sub(layout.size() as isize, Ordering::Relaxed);
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        ALLOCATED.fetch_add(
            new_size as isize - layout.size() as isize,
            Ordering::Relaxed,
        );
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

/// xorshift64*: a small deterministic generator.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// A word-bigram model: for each word, the words that followed it; new
/// sentences start at a random position of the corpus, so words come with
/// their corpus frequencies.
struct Model {
    words: Vec<String>,
    next: Vec<Vec<u32>>,
    corpus: Vec<u32>,
}

impl Model {
    fn learn(texts: &[String]) -> Model {
        let mut ids = std::collections::HashMap::new();
        let mut words = Vec::new();
        let mut next: Vec<Vec<u32>> = Vec::new();
        let mut corpus = Vec::new();
        for text in texts {
            let mut previous: Option<u32> = None;
            for w in text.split_whitespace() {
                let id = *ids.entry(w.to_string()).or_insert_with(|| {
                    words.push(w.to_string());
                    next.push(Vec::new());
                    (words.len() - 1) as u32
                });
                if let Some(p) = previous {
                    next[p as usize].push(id);
                }
                corpus.push(id);
                previous = Some(id);
            }
        }
        Model {
            words,
            next,
            corpus,
        }
    }

    fn start(&self, rng: &mut Rng) -> usize {
        self.corpus[rng.below(self.corpus.len())] as usize
    }

    fn paragraph(&self, rng: &mut Rng, len: usize, out: &mut String) {
        let mut w = self.start(rng);
        for i in 0..len {
            if i > 0 {
                out.push(' ');
            }
            out.push_str(&self.words[w]);
            let followers = &self.next[w];
            // Restart at a random word now and then, as a new sentence would.
            w = if followers.is_empty() || rng.below(12) == 0 {
                self.start(rng)
            } else {
                followers[rng.below(followers.len())] as usize
            };
        }
    }

    fn article(&self, rng: &mut Rng, boilerplate: &[String]) -> String {
        let mut text = String::with_capacity(4000);
        let mut words = 0;
        while words < 600 {
            let len = 20 + rng.below(30);
            self.paragraph(rng, len, &mut text);
            text.push_str("\n\n");
            words += len;
        }
        text.push_str(&boilerplate[rng.below(boilerplate.len())]);
        text
    }
}

/// An edited copy: first 40–90% of the paragraphs, a dateline, a credit.
fn edited_copy(rng: &mut Rng, original: &str) -> String {
    let paragraphs: Vec<&str> = original.split("\n\n").collect();
    let keep = (paragraphs.len() * (40 + rng.below(51)) / 100).max(2);
    let mut text = format!("SEOUL (Wirestream) - {}", paragraphs[..keep].join("\n\n"));
    text.push_str("\n\nReporting by Jane Roe; Editing by John Doe");
    text
}

fn arg(args: &[String], name: &str, default: usize) -> usize {
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .and_then(|v| v.replace('_', "").parse().ok())
        .unwrap_or(default)
}

fn rss_bytes() -> usize {
    std::fs::read_to_string("/proc/self/statm")
        .ok()
        .and_then(|s| {
            s.split_whitespace()
                .nth(1)
                .and_then(|v| v.parse::<usize>().ok())
        })
        .map_or(0, |pages| pages * 4096)
}

/// Nanoseconds this process has run on a CPU (the machine may be shared,
/// so wall time alone would understate the throughput).
fn cpu_ns() -> u64 {
    std::fs::read_to_string("/proc/self/schedstat")
        .ok()
        .and_then(|s| s.split_whitespace().next().and_then(|v| v.parse().ok()))
        .unwrap_or(0)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    // `cargo bench` passes `--bench`; the rest are ours.
    let args: Vec<String> = std::env::args().filter(|a| a != "--bench").collect();
    let corpus = args
        .get(1)
        .filter(|a| !a.starts_with("--"))
        .cloned()
        .unwrap_or_else(|| DEFAULT_CORPUS.to_string());
    if !std::path::Path::new(&corpus).exists() {
        println!(
            "no corpus at {corpus}: this benchmark needs ../shared/bench/extraction beside the repository (or a path argument)"
        );
        return Ok(());
    }
    let index_size = arg(&args, "--index", 1_000_000);
    let measured = arg(&args, "--articles", 50_000);

    let json: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&corpus)?)?;
    // A simulator truth.json (`articles` → `text`) or the extraction
    // benchmark's ground truth (id → `articleBody`).
    let texts: Vec<String> = json
        .get("articles")
        .unwrap_or(&json)
        .as_object()
        .ok_or("expected a JSON object of articles")?
        .values()
        .filter_map(|a| {
            a.get("text")
                .or(a.get("articleBody"))?
                .as_str()
                .map(str::to_string)
        })
        .collect();
    let model = Model::learn(&texts);
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let boilerplate: Vec<String> = (0..50)
        .map(|_| {
            let mut p = String::new();
            model.paragraph(&mut rng, 30, &mut p);
            p
        })
        .collect();
    println!(
        "vocabulary {} words from {} texts",
        model.words.len(),
        texts.len()
    );

    let mut index = NearIndex::new(NearConfig::default());
    let heap_before = ALLOCATED.load(Ordering::Relaxed);
    let rss_before = rss_bytes();
    let mut record_bytes = 0usize;
    let mut kept = Vec::new();
    let fill_start = Instant::now();
    for i in 0..index_size {
        let text = model.article(&mut rng, &boilerplate);
        let fp = fingerprint(&text);
        record_bytes += fp.to_bytes().len();
        let key = format!("https://site{}.example/a/{i}", i % 50);
        index.insert(&key, GroupId::for_article(&key), &fp, (i / 10) as u64);
        if i % (index_size / 1000).max(1) == 0 {
            kept.push(text);
        }
    }
    let heap = ALLOCATED.load(Ordering::Relaxed)
        - heap_before
        - kept.iter().map(|t| t.capacity() as isize).sum::<isize>();
    let rss = rss_bytes().saturating_sub(rss_before);
    println!(
        "filled {} articles in {:.1} s; heap {:.0} bytes/article (allocator count), RSS delta {:.0} bytes/article; persisted fingerprint {:.0} bytes/article",
        index.len(),
        fill_start.elapsed().as_secs_f64(),
        heap as f64 / index_size as f64,
        rss as f64 / index_size as f64,
        record_bytes as f64 / index_size as f64
    );

    // Pre-generate the measured articles so that only dedupe work is timed.
    let batch: Vec<String> = (0..measured)
        .map(|i| {
            if i % 10 == 0 {
                let original = &kept[rng.below(kept.len())];
                edited_copy(&mut rng, original)
            } else {
                model.article(&mut rng, &boilerplate)
            }
        })
        .collect();
    let words: usize = batch.iter().map(|t| t.split_whitespace().count()).sum();
    let now = (index_size / 10) as u64;
    let base_cpu = cpu_ns();
    let mut letters = 0usize;
    for text in &batch {
        letters += text.split_whitespace().map(|w| w.len() & 1).sum::<usize>();
    }
    println!(
        "reference (split_whitespace over the text): {:.1} µs of CPU per article ({letters})",
        (cpu_ns() - base_cpu) as f64 / 1e3 / measured as f64
    );
    let fp_cpu = cpu_ns();
    let mut samples = 0usize;
    for text in &batch {
        samples += fingerprint(text).ranks().len();
    }
    let fp_secs = (cpu_ns() - fp_cpu) as f64 / 1e9;
    println!(
        "fingerprint alone: {:.1} µs of CPU per article ({samples} samples)",
        fp_secs * 1e6 / measured as f64
    );
    let start = Instant::now();
    let cpu_start = cpu_ns();
    let mut copies = 0;
    let mut lookup = std::time::Duration::ZERO;
    for (i, text) in batch.iter().enumerate() {
        let key = format!("https://new.example/a/{i}");
        let fp = fingerprint(text);
        let t = Instant::now();
        let (_, score) = index.assign(&key, &fp, now);
        lookup += t.elapsed();
        copies += usize::from(score.is_some());
    }
    let secs = start.elapsed().as_secs_f64();
    println!(
        "of which lookup + insert: {:.1} µs per article",
        lookup.as_secs_f64() * 1e6 / measured as f64
    );
    let cpu_secs = (cpu_ns() - cpu_start) as f64 / 1e9;
    println!(
        "on-CPU time {cpu_secs:.2} s of {secs:.2} s wall: {:.0} articles/s per CPU-second ({:.1} µs each)",
        measured as f64 / cpu_secs,
        cpu_secs * 1e6 / measured as f64
    );
    println!(
        "measured {measured} articles ({:.0} words avg) against an index of {}: {:.0} articles/s ({:.1} µs each); {copies} found as copies ({} edited copies generated)",
        words as f64 / measured as f64,
        index_size,
        measured as f64 / secs,
        secs * 1e6 / measured as f64,
        measured.div_ceil(10)
    );
    Ok(())
}
