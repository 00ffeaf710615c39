#!/usr/bin/env python3
"""Run wirewatch end to end against the newsroom simulator and score it.

    python3 scripts/sim_run.py [--profile public|reliability] [--all-at-once | --pace 2]
                               [--settle 30] [--keep DIR] [--sim-arg=--webhook-secret=S ...]

Starts `newsroom_sim.py serve` (from ../shared/sim beside this repository),
writes a wirewatch config for it (its OPML, its topics, its webhook,
allow_hosts = ["127.0.0.1"], per-domain caps lifted, polls every 2-10 s), runs the release build of
`wirewatch run`, waits until every article is released plus --settle seconds,
exports while the daemon still runs, checks that the daemon stayed up, stops
both, and prints the simulator's scores plus the daemon's peak RSS.
"""
import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SIM = REPO.parent / "shared" / "sim" / "newsroom_sim.py"
BIN = REPO / "target" / "release" / "wirewatch"


def main():
    args = parse_args()
    if not SIM.exists():
        sys.exit(f"sim_run: the simulator is not at {SIM}; this script needs ../shared/sim beside the repository")
    subprocess.run(["cargo", "build", "--release", "-q"], cwd=REPO, check=True)
    run_dir = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="wirewatch-sim-"))
    run_dir.mkdir(parents=True, exist_ok=True)
    sim_out = run_dir / "sim"
    sim = start_sim(args, sim_out)
    try:
        ready = wait_ready(sim_out / "ready.json", sim)
        config = write_config(run_dir, ready, sim_out, args.webhook_secret)
        log = open(run_dir / "daemon.log", "w")
        daemon = subprocess.Popen([str(BIN), "--log-format", "json", "run", "--config", str(config)],
                                  stderr=log, stdout=log)
        peak_rss = watch(daemon, ready["all_released_at"] + args.settle)
        alive = daemon.poll() is None
        export = run_dir / "export.jsonl"
        with open(export, "w") as out:
            subprocess.run([str(BIN), "export", "--config", str(config), "--jsonl"], stdout=out, check=True)
        stop(daemon)
    finally:
        stop(sim)
    score = subprocess.run([sys.executable, str(SIM), "score", "--out", str(sim_out), "--export", str(export)],
                           capture_output=True, text=True)
    print(score.stdout + score.stderr)
    canary = sim_out / "canary.jsonl"
    hits = len(canary.read_text().splitlines()) if canary.exists() else 0
    print(f"daemon stayed up: {alive}; exit status after SIGTERM: {daemon.returncode}; "
          f"peak RSS: {peak_rss / 1024:.0f} MB; canary hits: {hits}; run dir: {run_dir}")
    return 0 if alive else 1


def parse_args():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--profile", default="public")
    p.add_argument("--all-at-once", action="store_true")
    p.add_argument("--pace", type=float, default=2.0)
    p.add_argument("--settle", type=float, default=30.0, help="seconds to run after the last release")
    p.add_argument("--webhook-secret", default=None)
    p.add_argument("--keep", default=None, help="run directory to keep (default: a temp dir)")
    p.add_argument("--sim-arg", action="append", default=[], help="extra argument for newsroom_sim.py serve")
    return p.parse_args()


def start_sim(args, out):
    cmd = [sys.executable, str(SIM), "serve", "--profile", args.profile, "--port", "0", "--out", str(out)]
    cmd += ["--all-at-once"] if args.all_at_once else ["--pace", str(args.pace)]
    if args.webhook_secret:
        cmd += ["--webhook-secret", args.webhook_secret]
    cmd += args.sim_arg
    return subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=open(out.parent / "sim.log", "w"))


def wait_ready(path, sim, timeout=60):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if path.exists():
            try:
                return json.loads(path.read_text())
            except json.JSONDecodeError:
                pass
        if sim.poll() is not None:
            sys.exit(f"sim_run: the simulator exited with {sim.returncode}")
        time.sleep(0.2)
    sys.exit("sim_run: the simulator did not become ready")


def write_config(run_dir, ready, sim_out, secret):
    config = run_dir / "wirewatch.toml"
    sink_secret = f'secret = "{secret}"\n' if secret else ""
    config.write_text(f"""data_dir = "{run_dir / 'data'}"
topic_files = ["{sim_out / 'topics.toml'}"]

[fetch]
allow_hosts = ["127.0.0.1"]
# Every simulated site shares one host: lift the per-domain politeness caps.
per_domain_concurrency = 16
per_domain_rate = 1000.0

[poll]
min_interval = "2s"
# The simulated feeds say <ttl>5</ttl> (minutes); a run lasts a few minutes.
max_interval = "10s"

[[opml]]
source = "{ready['opml_url']}"

[[sink]]
type = "webhook"
url = "{ready['webhook_url']}"
{sink_secret}""")
    return config


def watch(daemon, until):
    """Wait until the epoch time `until` (or the daemon's exit); return peak RSS in KiB."""
    peak = 0
    while time.time() < until and daemon.poll() is None:
        peak = max(peak, rss_kib(daemon.pid))
        time.sleep(0.5)
    return peak


def rss_kib(pid):
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def stop(proc):
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


if __name__ == "__main__":
    sys.exit(main())
