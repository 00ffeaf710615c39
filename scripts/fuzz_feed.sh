#!/bin/sh
# Fuzzes the feed parser (`fuzz/fuzz_targets/feed.rs`) for SECONDS (default
# 600), seeded with the repository's golden feeds and, when it is present,
# feedparser's test suite in ../shared/bench/feeds/feedparser. Needs nightly
# and cargo-fuzz. Crashes land in fuzz/artifacts/feed/.
set -eu
cd "$(dirname "$0")/.."
seconds="${1:-600}"
corpus=fuzz/corpus/feed
mkdir -p "$corpus"
find src/parse/testdata -name '*.xml' -exec cp {} "$corpus/" \;
suite=../shared/bench/feeds/feedparser
if [ -d "$suite" ]; then
    # Flattened names: the suite reuses file names across folders.
    find "$suite" -type f \( -name '*.xml' -o -name '*.json' \) | while read -r f; do
        cp "$f" "$corpus/$(echo "${f#"$suite"/}" | tr / _)"
    done
else
    echo "note: $suite is absent; seeding with the repository's golden feeds only" >&2
fi
echo "seed corpus: $(ls "$corpus" | wc -l) files" >&2
cargo +nightly fuzz build feed
fuzz/target/x86_64-unknown-linux-gnu/release/feed "$corpus" \
    -max_total_time="$seconds" -max_len=65536 -print_final_stats=1
