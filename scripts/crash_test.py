#!/usr/bin/env python3
"""Crash test: no alert is lost and none is sent twice across kill -9.

    python3 scripts/crash_test.py [--kills 10] [--pace 2] [--fail-first 20] [--settle 60] [--keep DIR]

Runs the newsroom simulator (../shared/sim beside this repository) on the
public profile with a webhook that fails its first --fail-first deliveries
(delivery retries capped at 2 s apart, so the run can get past them),
runs the release build of `wirewatch run` against it, kills the daemon with
SIGKILL at --kills random moments while stories are being released, and
restarts it each time. After the last release plus --settle seconds it
checks the webhook log:

- every expected (topic, group) was accepted at least once;
- no (topic, group) was accepted under two different alert ids.

Exits 0 when both hold.
"""
import argparse
import json
import random
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import sim_run  # noqa: E402  (the runner's helpers: start, config, stop)


def main():
    args = parse_args()
    if not sim_run.SIM.exists():
        sys.exit(f"crash_test: the simulator is not at {sim_run.SIM}; this script needs ../shared/sim beside the repository")
    subprocess.run(["cargo", "build", "--release", "-q"], cwd=sim_run.REPO, check=True)
    run_dir = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="wirewatch-crash-"))
    run_dir.mkdir(parents=True, exist_ok=True)
    sim_out = run_dir / "sim"
    sim_args = argparse.Namespace(profile="public", all_at_once=False, pace=args.pace, webhook_secret=None,
                                  sim_arg=["--webhook-fail-first", str(args.fail_first)])
    sim = sim_run.start_sim(sim_args, sim_out)
    try:
        ready = sim_run.wait_ready(sim_out / "ready.json", sim)
        config = sim_run.write_config(run_dir, ready, sim_out, None)
        # The run lasts minutes, not the days the default schedule spans:
        # retries at most two seconds apart get past the failing deliveries.
        with open(config, "a") as f:
            f.write('\n[delivery]\nmax_backoff = "2s"\n')
        kills = run_with_kills(config, run_dir, ready, args)
    finally:
        sim_run.stop(sim)
    return report(sim_out, kills)


def parse_args():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--kills", type=int, default=10)
    p.add_argument("--pace", type=float, default=2.0)
    p.add_argument("--fail-first", type=int, default=20)
    p.add_argument("--settle", type=float, default=60.0)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--keep", default=None)
    return p.parse_args()


def start_daemon(config, log):
    return subprocess.Popen([str(sim_run.BIN), "--log-format", "json", "run", "--config", str(config)],
                            stdout=log, stderr=log)


def run_with_kills(config, run_dir, ready, args):
    """Kill -9 and restart at random moments before the last release; then settle."""
    rng = random.Random(args.seed)
    start, last = time.time(), ready["all_released_at"]
    moments = sorted(rng.uniform(start + 2, last) for _ in range(args.kills))
    log = open(run_dir / "daemon.log", "w")
    daemon = start_daemon(config, log)
    for moment in moments:
        time.sleep(max(0.0, moment - time.time()))
        daemon.send_signal(signal.SIGKILL)
        daemon.wait()
        daemon = start_daemon(config, log)
    time.sleep(max(0.0, last + args.settle - time.time()))
    alive = daemon.poll() is None
    sim_run.stop(daemon)
    print(f"daemon killed {len(moments)} times, restarted each time; up at the end: {alive}")
    return len(moments)


def report(sim_out, kills):
    sys.path.insert(0, str(sim_run.SIM.parent))
    import newsroom_sim  # the simulator's own URL matching, read at run time

    truth = json.loads((sim_out / "truth.json").read_text())
    index = newsroom_sim.truth_url_index(truth)
    expected = {(e["topic"], e["group"]) for e in truth["expected_alerts"]}
    ids, failed = {}, 0
    for line in (sim_out / "alerts.jsonl").read_text().splitlines():
        record = json.loads(line)
        alert = record.get("alert")
        if record.get("status") != 200 or not isinstance(alert, dict) or alert.get("event") != "alert":
            failed += record.get("status") != 200
            continue
        hit = index.get(newsroom_sim.url_key(alert.get("url", "")))
        if not hit or hit[0] != "article":
            continue
        key = (alert["topic"], truth["articles"][hit[1]]["group_id"])
        ids.setdefault(key, set()).add(alert["id"])
    missed = sorted(expected - set(ids))
    twice = sorted(k for k, v in ids.items() if len(v) > 1)
    print(f"deliveries refused by the webhook: {failed}; expected alerts: {len(expected)}; "
          f"accepted (topic, group) pairs: {len(ids)}")
    print(f"missed: {len(missed)} {missed[:5]}")
    print(f"(topic, group) accepted under two ids: {len(twice)} {twice[:5]}")
    ok = not missed and not twice
    print("crash test " + ("passed" if ok else "FAILED") + f" after {kills} kills")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
