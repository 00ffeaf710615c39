#!/usr/bin/env python3
"""Reload a large topic book while the daemon runs: does any poll start late?

    python3 scripts/reload_run.py [--topics 100000] [--before 60] [--after 60] [--keep DIR]

Needs the newsroom simulator (../shared/sim) and the topics benchmark's
corpus (../shared/bench/extraction) beside this repository, and says so when
either is absent: the topic book is written by
`cargo bench --bench topics -- --write-topics N FILE`, the topics the
benchmark matches (names, rare words and prefixes of that corpus, mostly
recombined so that few match).

Starts the simulator (public profile, two releases a second) and the
release build of `wirewatch run` with the simulator's topics plus a second
topic file, `book.toml`, holding one topic; the admin endpoint is on and
feeds are polled every 2-10 s. After --before seconds it renames the book
of --topics topics over `book.toml` (as an editor saves), waits for the
daemon's "configuration applied" log line, and runs --after seconds more.
Prints how long the reload took (file saved to topics applied), the
daemon's peak RSS, and for the time before and after the save the polls
started, how many started a second or more after they were due (the first
bucket of wirewatch_poll_lag_seconds is 1 s) and their mean lag.
"""
import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from load_run import free_port, samples  # noqa: E402
from sim_run import BIN, REPO, SIM, rss_kib, stop, wait_ready  # noqa: E402
from sim_run import write_config as user_config  # noqa: E402

CORPUS = REPO.parent / "shared" / "bench" / "extraction" / "ground-truth.json"


def main():
    args = parse_args()
    for needed, what in [(SIM, "the simulator"), (CORPUS, "the topics benchmark's corpus")]:
        if not needed.exists():
            sys.exit(f"reload_run: {what} is not at {needed}; this script needs ../shared beside the repository")
    run_dir = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="wirewatch-reload-"))
    run_dir.mkdir(parents=True, exist_ok=True)
    subprocess.run(["cargo", "build", "--release", "-q"], cwd=REPO, check=True)
    big = run_dir / "book-big.toml"
    subprocess.run(["cargo", "bench", "-q", "--bench", "topics", "--", "--write-topics",
                    str(args.topics), str(big)], cwd=REPO, check=True, stdout=subprocess.DEVNULL)
    book = run_dir / "book.toml"
    book.write_text('[[topic]]\nname = "seed"\nquery = \'"Kim Jong Un"\'\n')
    sim_out = run_dir / "sim"
    sim = subprocess.Popen([sys.executable, str(SIM), "serve", "--profile", "public", "--port", "0",
                            "--out", str(sim_out), "--pace", "2"],
                           stdout=subprocess.DEVNULL, stderr=open(run_dir / "sim.log", "w"))
    daemon = None
    try:
        ready = wait_ready(sim_out / "ready.json", sim)
        port = free_port()
        config = write_config(run_dir, ready, sim_out, book, port)
        log_path = run_dir / "daemon.log"
        daemon = subprocess.Popen([str(BIN), "--log-format", "json", "run", "--config", str(config)],
                                  stderr=open(log_path, "w"), stdout=subprocess.DEVNULL)
        peak = wait(daemon, time.time() + args.before, 0)
        before = scrape(port)
        saved_at = time.time()
        swap = run_dir / "book.swp"
        swap.write_bytes(big.read_bytes())
        os.replace(swap, book)
        applied_at, peak = wait_applied(daemon, log_path, saved_at, peak)
        peak = wait(daemon, saved_at + args.after, peak)
        after = scrape(port)
        alive = daemon.poll() is None
    finally:
        if daemon is not None:
            stop(daemon)
        stop(sim)
    report(args, before, after, saved_at, applied_at, peak, alive, run_dir)
    return 0 if alive and applied_at else 1


def parse_args():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--topics", type=int, default=100_000, help="topics in the book loaded on reload")
    p.add_argument("--before", type=float, default=60.0, help="seconds of running before the reload")
    p.add_argument("--after", type=float, default=60.0, help="seconds of running after the file is saved")
    p.add_argument("--keep", default=None, help="run directory to keep (default: a temp dir)")
    return p.parse_args()


def write_config(run_dir, ready, sim_out, book, port):
    """sim_run.py's user config, plus the topic book and the admin endpoint the poll lag is read from."""
    config = user_config(run_dir, ready, sim_out, None)
    sim_topics = sim_out / "topics.toml"
    text = config.read_text().replace(f'topic_files = ["{sim_topics}"]',
                                      f'topic_files = ["{sim_topics}", "{book}"]')
    config.write_text(text + f'\n[admin]\nlisten = "127.0.0.1:{port}"\n')
    return config


def wait(daemon, until, peak):
    """Run until the epoch time `until` (or the daemon's exit); the peak RSS in KiB."""
    while time.time() < until and daemon.poll() is None:
        peak = max(peak, rss_kib(daemon.pid))
        time.sleep(0.2)
    return peak


def wait_applied(daemon, log_path, since, peak, timeout=600):
    """The epoch time the daemon logged "configuration applied" after `since`."""
    deadline = time.time() + timeout
    with open(log_path) as log:
        while time.time() < deadline and daemon.poll() is None:
            peak = max(peak, rss_kib(daemon.pid))
            line = log.readline()
            if not line:
                time.sleep(0.05)
                continue
            if "configuration applied" in line and logged_at(line) >= since:
                return time.time(), peak
    return None, peak


def logged_at(line):
    """The epoch seconds of a JSON log line (0 when it has none)."""
    try:
        stamp = json.loads(line).get("timestamp", "")
    except json.JSONDecodeError:
        return 0
    try:
        return datetime.fromisoformat(stamp.replace("Z", "+00:00")).timestamp()
    except ValueError:
        return 0


def scrape(port):
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=10) as r:
        return r.read().decode()


def lag(metrics):
    """(polls, polls started within 1 s of due, summed lag in seconds)."""
    count = sum(samples(metrics, "wirewatch_poll_lag_seconds_count").values())
    buckets = samples(metrics, "wirewatch_poll_lag_seconds_bucket")
    within = sum(v for k, v in buckets.items() if float(re.search(r'le="([^"]+)"', k).group(1)) == 1.0)
    total = sum(samples(metrics, "wirewatch_poll_lag_seconds_sum").values())
    return count, within, total


def report(args, before, after, saved_at, applied_at, peak, alive, run_dir):
    (c0, w0, s0), (c1, w1, s1) = lag(before), lag(after)
    took = f"{applied_at - saved_at:.1f} s" if applied_at else "never applied"
    print(f"reload of {args.topics} topics: file saved -> topics applied in {took}; "
          f"peak RSS {peak / 1024:.0f} MB; daemon stayed up: {alive}")
    for name, count, late, total in [
        (f"before the save ({args.before:.0f} s)", c0, c0 - w0, s0),
        (f"after the save ({args.after:.0f} s)", c1 - c0, (c1 - w1) - (c0 - w0), s1 - s0),
    ]:
        mean = total / count if count else float("nan")
        print(f"  {name}: {count:.0f} polls, {late:.0f} started >= 1 s late, mean lag {mean * 1000:.0f} ms")
    print(f"run dir: {run_dir}")


if __name__ == "__main__":
    sys.exit(main())
