#!/usr/bin/env python3
"""Scores `wirewatch extract` on the three extraction benchmarks in ../shared.

    python3 scripts/extract_bench.py [--bin PATH] [--keep DIR] [--worst N] [SET...]

Runs the extractor over each set's pages, feeds the JSON lines to that set's
own score.py and prints precision, recall and F1 per set. SET is one of
extraction, extraction-readability, extraction-dragnet (default: all three).
--keep DIR writes each set's predictions to DIR/<set>.jsonl (to compare
runs page by page); --worst N lists each set's N worst pages.

The benchmarks live outside the repository, in ../shared/bench (next to the
checkout); when that directory is absent the script says so and exits 2.
"""
import argparse
import glob
import json
import os
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BENCH = os.path.normpath(os.path.join(ROOT, "..", "shared", "bench"))
SETS = ["extraction", "extraction-readability", "extraction-dragnet"]


def run_set(binary, name, keep, worst):
    d = os.path.join(BENCH, name)
    if not os.path.isdir(d):
        print(f"{name}: not found at {d}; skipped")
        return None
    pages = sorted(glob.glob(os.path.join(d, "pages", "*.html")))
    out_dir = keep or tempfile.mkdtemp(prefix="extract-bench-")
    os.makedirs(out_dir, exist_ok=True)
    pred = os.path.join(out_dir, f"{name}.jsonl")
    with open(pred, "w", encoding="utf-8") as f:
        subprocess.run([binary, "extract", "--format", "json", *pages], stdout=f, check=True)
    cmd = [sys.executable, os.path.join(d, "score.py"), pred, "--json"]
    if worst:
        cmd += ["--worst", str(worst)]
    res = subprocess.run(cmd, capture_output=True, text=True, check=True)
    r = json.loads(res.stdout)
    print(f"{name:24} P {r['precision']:.4f}  R {r['recall']:.4f}  F1 {r['f1']:.4f}"
          f"  ({r['docs']} pages)")
    if worst:
        print(res.stderr, end="")
    return r


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("sets", nargs="*", default=SETS)
    ap.add_argument("--bin", default=os.path.join(ROOT, "target", "release", "wirewatch"))
    ap.add_argument("--keep", metavar="DIR")
    ap.add_argument("--worst", type=int, default=0, metavar="N")
    args = ap.parse_args()
    if not os.path.isdir(BENCH):
        print(f"benchmarks not found: {BENCH} is absent (they live in ../shared/bench); nothing run")
        sys.exit(2)
    if not os.access(args.bin, os.X_OK):
        print(f"no wirewatch binary at {args.bin}: run `cargo build --release` first")
        sys.exit(2)
    for name in args.sets:
        if name not in SETS:
            sys.exit(f"unknown set {name!r}; one of {', '.join(SETS)}")
        run_set(args.bin, name, args.keep, args.worst)


if __name__ == "__main__":
    main()
