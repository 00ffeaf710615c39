//! Throughput benchmark of topic matching: builds topic sets of 1,000,
//! 10,000 and 100,000 topics from the vocabulary of the extraction
//! benchmark's articles, then matches the 2–8 KB articles of the same file
//! on one thread through one reused `Matcher`, folding included. Prints
//! the speed of folding alone, then per size articles/s, MB/s,
//! µs/article, matches per article, build time and the heap the set holds.
//!
//! Usage: `cargo bench --bench topics -- [ground-truth.json] [seconds per
//! size] [sizes,…] [real-term percent]`; the corpus defaults to
//! `../shared/bench/extraction/ground-truth.json` beside this repository.
//! `cargo bench --bench topics -- --write-topics N FILE [ground-truth.json]`
//! instead writes the N topics of that size as a topic file (`[[topic]]`
//! tables), to time `wirewatch topics match --topics FILE < /dev/null`,
//! the whole process, or a reload of the daemon.
//!
//! Construction. The file holds 181 articles; the 113 with 2–8 KB bodies
//! are matched, titled by their URL slug. From all 181 the vocabulary is:
//! names, runs of two or three capitalised words within a sentence, minus
//! runs with a word that occurs in lower case in 20 or more articles
//! (sentence starts and phrases: "The July", "But Trump", "New Features");
//! rare words, lower-case words of six letters or more in at most three
//! articles; common words, lower-case words of four letters or more in at
//! least 20 articles (for NOT clauses). Topics: 65% are one to three terms
//! ORed; 12% `(A OR B) AND C`; 8% `(A OR B) NOT common`; 5% `A NEAR/5 B`;
//! 5% `stem* OR A`; 5% `title:A OR B`. A term is a watched entity: with
//! the real share (last argument, default 3: half real names, half rare
//! words, verbatim) it is taken from the corpus, otherwise it is a name
//! recombined from the first word of one real name and the last word of
//! another ("Kentucky Clinton"), which is absent from almost every
//! article, as most of a newsroom's watched entities are from any one
//! article. Prefix stems are six or more letters of a rare word, kept long
//! enough that the words they begin occur in at most five articles; but
//! for the real share their first three letters are swapped for another
//! rare word's until no corpus word starts with them. The real share
//! therefore sets how many topics an article matches: with the default,
//! about 0.3, 3 and 31 per article at the three sizes (0.03% of the
//! topics); with 15, about 1.5, 15 and 146.
//!
//! Timing. Each pass over the articles is timed with the thread's CPU
//! clock and the median pass is reported, so other processes sharing the
//! cores distort the figures little; overall wall-clock speed is printed
//! beside it.

use std::alloc::{GlobalAlloc, Layout, System};
use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use wirewatch::topics::{Document, Query, TopicSet};

/// Counts live heap bytes, to report what a topic set holds.
struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);

// SAFETY: delegates to the system allocator and only adds counting.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        LIVE.fetch_add(layout.size(), Ordering::Relaxed);
        // SAFETY: same contract as the caller's.
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
        // SAFETY: same contract as the caller's.
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// The extraction benchmark's truth file, beside this repository.
const DEFAULT_CORPUS: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../shared/bench/extraction/ground-truth.json"
);

#[derive(serde::Deserialize)]
struct Entry {
    #[serde(rename = "articleBody", default)]
    body: String,
    #[serde(default)]
    url: String,
}

/// A benchmark article: a title made from its URL slug, and its body.
struct Article {
    title: String,
    body: String,
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    // `cargo bench` passes `--bench`; the rest are ours.
    let mut args = std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .peekable();
    if args.next_if(|a| a == "--write-topics").is_some() {
        let count: usize = args.next().ok_or("--write-topics N FILE")?.parse()?;
        let file = args.next().ok_or("--write-topics N FILE")?;
        let path = args.next().unwrap_or_else(|| DEFAULT_CORPUS.to_owned());
        let entries: HashMap<String, Entry> =
            serde_json::from_str(&std::fs::read_to_string(&path)?)?;
        let mut entries: Vec<Entry> = entries.into_values().collect();
        entries.sort_by(|a, b| a.url.cmp(&b.url));
        let vocab = Vocabulary::from_texts(entries.iter().map(|e| e.body.as_str()));
        let mut out = String::new();
        for (name, src) in topic_sources(count, &vocab) {
            let query = toml::Value::String(src);
            out.push_str(&format!(
                "[[topic]]\nname = \"{name}\"\nquery = {query}\n\n"
            ));
        }
        std::fs::write(&file, out)?;
        println!("wrote {count} topics to {file}");
        return Ok(());
    }
    let path = args
        .next()
        .filter(|p| !p.is_empty())
        .unwrap_or_else(|| DEFAULT_CORPUS.to_owned());
    if !std::path::Path::new(&path).exists() {
        println!(
            "no corpus at {path}: this benchmark needs ../shared/bench/extraction beside the repository (or a path argument)"
        );
        return Ok(());
    }
    let seconds: f64 = args.next().map_or(Ok(3.0), |s| s.parse())?;
    let counts: Vec<usize> = match args.next() {
        Some(list) => list.split(',').map(str::parse).collect::<Result<_, _>>()?,
        None => vec![1_000, 10_000, 100_000],
    };
    let real_percent: usize = args.next().map_or(Ok(3), |s| s.parse())?;
    let entries: HashMap<String, Entry> = serde_json::from_str(&std::fs::read_to_string(&path)?)?;
    let mut entries: Vec<Entry> = entries.into_values().collect();
    entries.sort_by(|a, b| a.url.cmp(&b.url));
    let mut vocab = Vocabulary::from_texts(entries.iter().map(|e| e.body.as_str()));
    vocab.real_percent = real_percent;
    let articles: Vec<Article> = entries
        .iter()
        .filter(|e| (2000..=8000).contains(&e.body.len()))
        .map(|e| Article {
            title: slug_title(&e.url),
            body: e.body.clone(),
        })
        .collect();
    let bytes: usize = articles.iter().map(|a| a.title.len() + a.body.len()).sum();
    println!(
        "{} articles of 2-8 KB, {:.0} bytes on average; vocabulary: {} names, {} rare words; {real_percent}% of terms real",
        articles.len(),
        bytes as f64 / articles.len() as f64,
        vocab.names.len(),
        vocab.rare.len()
    );
    fold_only(&articles, Duration::from_secs_f64(seconds.min(1.0)));
    for count in counts {
        run(count, &vocab, &articles, Duration::from_secs_f64(seconds));
    }
    Ok(())
}

/// Builds `count` topics and matches the articles for about `budget`.
fn run(count: usize, vocab: &Vocabulary, articles: &[Article], budget: Duration) {
    let sources = topic_sources(count, vocab);
    let before = LIVE.load(Ordering::Relaxed);
    let started = Instant::now();
    let topics: Vec<(String, Query)> = sources
        .into_iter()
        .map(|(name, src)| {
            let query = Query::parse(&src).unwrap_or_else(|e| panic!("{src}: {e}"));
            (name, query)
        })
        .collect();
    let parsed = started.elapsed();
    let set = TopicSet::new(topics);
    let build = started.elapsed();
    let held = LIVE.load(Ordering::Relaxed).saturating_sub(before);
    let mut matcher = set.matcher();
    let per_pass: usize = articles.iter().map(|a| a.title.len() + a.body.len()).sum();
    // One pass matches every article once; each pass is timed on its own
    // and the median pass is reported, so that a pass slowed by other
    // processes sharing the cores does not distort the figures.
    let mut passes: Vec<f64> = Vec::new();
    let (mut docs, mut matches) = (0usize, 0usize);
    let started = Instant::now();
    while started.elapsed() < budget || passes.len() < 3 {
        let pass_started = cpu_time();
        for article in articles {
            let doc = Document::new(&article.title, &article.body);
            matches += matcher.matches(&doc).len();
        }
        docs += articles.len();
        if let (Some(from), Some(to)) = (pass_started, cpu_time()) {
            passes.push(to - from);
        }
    }
    let wall = started.elapsed().as_secs_f64();
    passes.sort_by(f64::total_cmp);
    // CPU time of this thread; wall time when it is unavailable.
    let secs = passes
        .get(passes.len() / 2)
        .copied()
        .unwrap_or(wall * articles.len() as f64 / docs as f64);
    let n = articles.len() as f64;
    println!(
        "{count:>7} topics: {:>8.0} articles/s {:>6.1} MB/s {:>6.1} µs/article (median pass, CPU; wall overall {:.0} articles/s), {:.1} matches/article; parsed in {:.2} s, compiled in {:.2} s, set holds {:.1} MiB",
        n / secs,
        per_pass as f64 / secs / 1e6,
        secs * 1e6 / n,
        docs as f64 / wall,
        matches as f64 / docs as f64,
        parsed.as_secs_f64(),
        (build - parsed).as_secs_f64(),
        held as f64 / (1 << 20) as f64,
    );
}

/// The `count` topics of that size, as (name, query source): the same
/// for the benchmark and for `--write-topics`.
fn topic_sources(count: usize, vocab: &Vocabulary) -> Vec<(String, String)> {
    let mut rng = Rng(0x2545_f491_4f6c_dd1d ^ count as u64);
    (0..count)
        .map(|i| (format!("topic-{i}"), vocab.topic(&mut rng)))
        .collect()
}

/// Times folding and tokenising alone (building each `Document`), the
/// floor under every topic-set size.
fn fold_only(articles: &[Article], budget: Duration) {
    let per_pass: usize = articles.iter().map(|a| a.title.len() + a.body.len()).sum();
    let mut passes: Vec<f64> = Vec::new();
    let (started, mut tokens) = (Instant::now(), 0usize);
    while started.elapsed() < budget || passes.len() < 3 {
        let pass_started = cpu_time();
        for article in articles {
            tokens += Document::new(&article.title, &article.body).token_count();
        }
        if let (Some(from), Some(to)) = (pass_started, cpu_time()) {
            passes.push(to - from);
        }
    }
    passes.sort_by(f64::total_cmp);
    let secs = passes.get(passes.len() / 2).copied().unwrap_or(f64::NAN);
    println!(
        "folding alone: {:.1} µs/article, {:.0} MB/s (median pass, CPU), {:.0} tokens/article",
        secs * 1e6 / articles.len() as f64,
        per_pass as f64 / secs / 1e6,
        tokens as f64 / (passes.len() * articles.len()) as f64,
    );
}

/// Seconds this thread has run on a CPU, from the kernel's thread clock
/// (which, unlike /proc's schedstat, is exact between scheduler ticks).
fn cpu_time() -> Option<f64> {
    #[repr(C)]
    struct Timespec {
        seconds: i64,
        nanos: i64,
    }
    unsafe extern "C" {
        fn clock_gettime(clock: i32, time: *mut Timespec) -> i32;
    }
    /// Linux's CLOCK_THREAD_CPUTIME_ID.
    const THREAD_CPU_CLOCK: i32 = 3;
    let mut time = Timespec {
        seconds: 0,
        nanos: 0,
    };
    // SAFETY: `time` is a valid, writable timespec (two C longs on the
    // 64-bit Linux targets this benchmark runs on).
    let status = unsafe { clock_gettime(THREAD_CPU_CLOCK, &mut time) };
    (status == 0).then(|| time.seconds as f64 + time.nanos as f64 / 1e9)
}

/// A title from the last meaningful URL path segment: `/a/b/us-china-talks-123` → "us china talks".
fn slug_title(url: &str) -> String {
    let path = url.split(['?', '#']).next().unwrap_or(url);
    let segment = path
        .trim_end_matches('/')
        .rsplit('/')
        .next()
        .unwrap_or("")
        .trim_end_matches(".html");
    let words: Vec<&str> = segment
        .split(['-', '_'])
        .filter(|w| !w.is_empty() && !w.bytes().all(|b| b.is_ascii_digit()))
        .collect();
    words.join(" ")
}

/// Names and words seen in the corpus, to build topics from.
struct Vocabulary {
    /// Runs of two or three capitalised words, e.g. "Xi Jinping".
    names: Vec<Vec<String>>,
    /// Lower-case words of six letters or more found in at most three articles.
    rare: Vec<String>,
    /// Words found in many articles, for NOT clauses.
    common: Vec<String>,
    /// Every word, lower-cased, with the number of articles it occurs
    /// in, sorted, to see how many articles a prefix reaches.
    words: Vec<(String, usize)>,
    /// Percentage of terms that are real names or rare words verbatim.
    real_percent: usize,
}

impl Vocabulary {
    fn from_texts<'a>(texts: impl Iterator<Item = &'a str>) -> Vocabulary {
        let mut names = Vec::new();
        let mut df: HashMap<String, usize> = HashMap::new();
        // Document frequency of every word in any case, lower-cased:
        // matching ignores case, so this is what a prefix reaches.
        let mut folded_df: HashMap<String, usize> = HashMap::new();
        let texts: Vec<&str> = texts.collect();
        for text in &texts {
            let mut seen: Vec<String> = text
                .split(|c: char| !c.is_alphabetic())
                .filter(|w| !w.is_empty())
                .map(str::to_lowercase)
                .collect();
            seen.sort();
            seen.dedup();
            for word in seen {
                *folded_df.entry(word).or_default() += 1;
            }
        }
        for text in &texts {
            let mut seen: Vec<String> = text
                .split(|c: char| !c.is_alphabetic())
                .filter(|w| !w.is_empty() && w.chars().all(|c| c.is_lowercase()))
                .map(str::to_owned)
                .collect();
            seen.sort();
            seen.dedup();
            for word in seen {
                *df.entry(word).or_default() += 1;
            }
        }
        // Words of any length seen in lower case in many articles.
        let frequent: HashSet<&str> = df
            .iter()
            .filter(|&(_, &n)| n >= 20)
            .map(|(w, _)| w.as_str())
            .collect();
        // Runs with a frequent word ("The White House", "But Trump", "In
        // July", "New Features") are sentence starts or phrases, not names.
        for text in &texts {
            names.extend(capitalised_runs(text).into_iter().filter(|run| {
                !run.iter()
                    .any(|w| frequent.contains(w.to_lowercase().as_str()))
            }));
        }
        let common: Vec<String> = frequent
            .iter()
            .filter(|w| w.len() >= 4)
            .map(|w| w.to_string())
            .collect();
        names.sort();
        names.dedup();
        let mut rare: Vec<String> = df
            .iter()
            .filter(|&(w, &n)| n <= 3 && w.len() >= 6)
            .map(|(w, _)| w.clone())
            .collect();
        let mut common = common;
        rare.sort();
        common.sort();
        let mut words: Vec<(String, usize)> = folded_df.into_iter().collect();
        words.sort();
        Vocabulary {
            names,
            rare,
            common,
            words,
            real_percent: 3,
        }
    }

    /// One random topic query, in the proportions a newsroom might use.
    fn topic(&self, rng: &mut Rng) -> String {
        match rng.below(100) {
            0..65 => {
                let n = 1 + rng.below(3);
                self.alternatives(rng, n)
            }
            65..77 => format!("({}) AND {}", self.alternatives(rng, 2), self.term(rng)),
            77..85 => format!(
                "({}) NOT {}",
                self.alternatives(rng, 2),
                rng.pick(&self.common)
            ),
            85..90 => format!("{} NEAR/5 {}", self.term(rng), self.term(rng)),
            90..95 => format!("{}* OR {}", self.prefix(rng), self.term(rng)),
            _ => format!("title:{} OR {}", self.term(rng), self.term(rng)),
        }
    }

    fn alternatives(&self, rng: &mut Rng, n: usize) -> String {
        let terms: Vec<String> = (0..n).map(|_| self.term(rng)).collect();
        terms.join(" OR ")
    }

    /// A watched entity: mostly a name recombined from the first and last
    /// words of two real names (most watched entities are absent from any
    /// given article), sometimes a real name or a rare word. With every
    /// term drawn from the benchmark articles themselves, a larger real
    /// share would make each article match a fixed fraction of all
    /// topics, which no newsroom watchlist does.
    fn term(&self, rng: &mut Rng) -> String {
        let roll = rng.below(200);
        match roll {
            _ if roll < self.real_percent => format!("\"{}\"", rng.pick(&self.names).join(" ")),
            _ if roll < self.real_percent * 2 => rng.pick(&self.rare).clone(),
            _ => {
                let first = &rng.pick(&self.names)[0];
                let last = rng.pick(&self.names).last().cloned().unwrap_or_default();
                format!("\"{first} {last}\"")
            }
        }
    }

    /// The stem of a rare word, as in `sanction*`: the word less one to
    /// three final letters, at least six letters long, and lengthened
    /// again while the words it begins occur in more than five articles
    /// in all, since a stem of "importantly" such as `import*` watches
    /// nothing in particular. A word that is itself the start of common
    /// words ("departmen") is passed over. Like names, most watched stems
    /// are absent from any given article: except for the real share, the
    /// stem's first three letters are swapped for another rare word's
    /// until no word of the corpus starts with it.
    fn prefix(&self, rng: &mut Rng) -> String {
        if rng.below(200) < self.real_percent * 2 {
            return self.real_stem(rng);
        }
        loop {
            let stem: Vec<char> = self.real_stem(rng).chars().collect();
            let other: Vec<char> = rng.pick(&self.rare).chars().collect();
            let mixed: String = other.iter().take(3).chain(stem.iter().skip(3)).collect();
            if self.reach(&mixed) == 0 {
                return mixed;
            }
        }
    }

    /// A stem as written in the corpus (see `prefix`).
    fn real_stem(&self, rng: &mut Rng) -> String {
        loop {
            let word: Vec<char> = rng.pick(&self.rare).chars().collect();
            let mut keep = word.len().saturating_sub(1 + rng.below(3)).max(6);
            while keep <= word.len() {
                let stem: String = word.iter().take(keep).collect();
                if self.reach(&stem) <= 5 {
                    return stem;
                }
                keep += 1;
            }
        }
    }

    /// Articles containing words that start with `stem`, summed per word
    /// (an upper bound on the articles the prefix matches).
    fn reach(&self, stem: &str) -> usize {
        let from = self.words.partition_point(|(w, _)| w.as_str() < stem);
        self.words[from..]
            .iter()
            .take_while(|(w, _)| w.starts_with(stem))
            .map(|&(_, n)| n)
            .sum()
    }
}

/// Runs of two or three capitalised words within a sentence.
fn capitalised_runs(text: &str) -> Vec<Vec<String>> {
    let mut runs = Vec::new();
    let mut run: Vec<String> = Vec::new();
    for raw in text.split_whitespace() {
        let word = raw.trim_matches(|c: char| !c.is_alphanumeric());
        let capitalised = word.chars().next().is_some_and(char::is_uppercase)
            && word.chars().all(char::is_alphabetic)
            && word.len() > 1;
        if capitalised {
            run.push(word.to_owned());
        }
        let ends = !capitalised || raw.ends_with(|c: char| !c.is_alphanumeric());
        if ends {
            if (2..=3).contains(&run.len()) {
                runs.push(std::mem::take(&mut run));
            }
            run.clear();
        }
    }
    runs
}

/// xorshift64*: deterministic topic generation without dependencies.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}
