#!/usr/bin/env python3
"""Run wirewatch end to end against the newsroom simulator and score it.

    python3 scripts/sim_run.py [--profile public|reliability] [--all-at-once | --pace 2]
                               [--update-delay 20] [--settle 30 | --run-for 110]
                               [--webhook-secret S] [--webhook-fail-first N] [--webhook-down S]
                               [--keep DIR] [--sim-arg=... ...]

Starts `newsroom_sim.py serve` (from ../shared/sim beside this repository),
writes the config a user would write for it and nothing more: its OPML, its
topics, its webhook, allow_hosts = ["127.0.0.1"], the per-domain caps lifted
(every simulated site shares one host:port) and [poll] min_interval = "2s".
Runs the release build of `wirewatch run` (built first only when a source
file is newer than the binary), waits until every article is released plus
--settle seconds (or --run-for seconds after the simulator started), exports
while the daemon still runs, checks that the daemon stayed up, stops both,
and prints the simulator's scores (time to alert among them), the daemon's
peak RSS, how many (topic, group) pairs were accepted under two alert ids,
and with --webhook-down, how long after the receiver's return the last
alert was accepted.
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
    ensure_binary()
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
        peak_rss = watch(daemon, run_until(args, sim_out, ready))
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
    print_alert_checks(sim_out, args.webhook_down)
    return 0 if alive else 1


def ensure_binary():
    """Build the release binary only when a source file is newer than it, so a
    long run does not hold the build lock for nothing."""
    sources = [REPO / "Cargo.toml", REPO / "Cargo.lock"] + list((REPO / "src").rglob("*.rs"))
    newest = max(p.stat().st_mtime for p in sources if p.exists())
    if BIN.exists() and BIN.stat().st_mtime >= newest:
        return
    subprocess.run(["cargo", "build", "--release", "-q"], cwd=REPO, check=True)


def run_until(args, sim_out, ready):
    """Epoch time at which the run ends."""
    if args.run_for is not None:
        truth = json.loads((sim_out / "truth.json").read_text())
        return truth["started_at"] + args.run_for
    return ready["all_released_at"] + args.settle


def accepted_alerts(sim_out):
    """(topic, group) -> {alert id: first received_at} over the accepted alerts,
    and how many deliveries the webhook refused."""
    sys.path.insert(0, str(SIM.parent))
    import newsroom_sim  # the simulator's own URL matching, read at run time

    truth = json.loads((sim_out / "truth.json").read_text())
    index = newsroom_sim.truth_url_index(truth)
    pairs, refused = {}, 0
    for line in (sim_out / "alerts.jsonl").read_text().splitlines():
        record = json.loads(line)
        alert = record.get("alert")
        if record.get("status") != 200 or not isinstance(alert, dict) or alert.get("event") != "alert":
            refused += record.get("status") != 200
            continue
        hit = index.get(newsroom_sim.url_key(alert.get("url", "")))
        if not hit or hit[0] != "article":
            continue
        key = (alert["topic"], truth["articles"][hit[1]]["group_id"])
        pairs.setdefault(key, {}).setdefault(alert["id"], record["received_at"])
    return truth, pairs, refused


def print_alert_checks(sim_out, webhook_down):
    if not (sim_out / "alerts.jsonl").exists():
        print("no webhook deliveries at all")
        return
    truth, pairs, refused = accepted_alerts(sim_out)
    twice = sorted(k for k, ids in pairs.items() if len(ids) > 1)
    print(f"deliveries refused by the webhook: {refused}; (topic, group) accepted under two ids: "
          f"{len(twice)} {twice[:5]}")
    if webhook_down:
        back = truth["started_at"] + webhook_down
        last = max((min(ids.values()) for ids in pairs.values()), default=None)
        after = "n/a" if last is None else f"{last - back:+.1f} s"
        print(f"receiver back {webhook_down:.0f} s after the start; last first-accepted alert {after} after that")


def parse_args():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--profile", default="public")
    p.add_argument("--all-at-once", action="store_true")
    p.add_argument("--pace", type=float, default=2.0)
    p.add_argument("--update-delay", type=float, default=None, help="the simulator's --update-delay")
    p.add_argument("--settle", type=float, default=30.0, help="seconds to run after the last release")
    p.add_argument("--run-for", type=float, default=None,
                   help="seconds to run after the simulator started (instead of --settle)")
    p.add_argument("--webhook-secret", default=None)
    p.add_argument("--webhook-fail-first", type=int, default=None)
    p.add_argument("--webhook-down", type=float, default=None, help="an outage of S seconds at the start")
    p.add_argument("--keep", default=None, help="run directory to keep (default: a temp dir)")
    p.add_argument("--sim-arg", action="append", default=[], help="extra argument for newsroom_sim.py serve")
    return p.parse_args()


def start_sim(args, out):
    cmd = [sys.executable, str(SIM), "serve", "--profile", args.profile, "--port", "0", "--out", str(out)]
    cmd += ["--all-at-once"] if args.all_at_once else ["--pace", str(args.pace)]
    for flag, value in (("--webhook-secret", args.webhook_secret), ("--update-delay", args.update_delay),
                        ("--webhook-fail-first", args.webhook_fail_first), ("--webhook-down", args.webhook_down)):
        if value is not None:
            cmd += [flag, str(value)]
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
