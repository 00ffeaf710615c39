#!/usr/bin/env python3
"""Crash test: no alert is lost and none is sent under two ids across kill -9.

    python3 scripts/crash_test.py [--kills 5] [--gap 5 20] [--pace 4] [--fail-first 20]
                                  [--webhook-secret S] [--settle 120] [--keep DIR]

Runs the newsroom simulator (../shared/sim beside this repository) on the
public profile with a webhook that answers 500 to its first --fail-first
deliveries and checks signatures, with the config a user would write (see
sim_run.py; nothing about delivery is tuned). Runs the release build of
`wirewatch run` against it, kills the daemon with SIGKILL --kills times at
random moments --gap seconds apart, restarting it each time, and lets the
last one run for --settle seconds. Then it checks the webhook log:

- every expected (topic, group) was accepted at least once;
- no (topic, group) was accepted under two different alert ids;

and prints the simulator's scores (time to alert among them). Exits 0 when
both checks hold.
"""
import argparse
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
    sim_run.ensure_binary()
    run_dir = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="wirewatch-crash-"))
    run_dir.mkdir(parents=True, exist_ok=True)
    sim_out = run_dir / "sim"
    sim_args = argparse.Namespace(profile="public", all_at_once=False, pace=args.pace, update_delay=None,
                                  webhook_secret=args.webhook_secret, webhook_fail_first=args.fail_first,
                                  webhook_down=None, sim_arg=[])
    sim = sim_run.start_sim(sim_args, sim_out)
    try:
        ready = sim_run.wait_ready(sim_out / "ready.json", sim)
        config = sim_run.write_config(run_dir, ready, sim_out, args.webhook_secret)
        kills = run_with_kills(config, run_dir, ready, args)
        export = run_dir / "export.jsonl"
        with open(export, "w") as out:
            subprocess.run([str(sim_run.BIN), "export", "--config", str(config), "--jsonl"], stdout=out, check=True)
    finally:
        sim_run.stop(sim)
    score = subprocess.run([sys.executable, str(sim_run.SIM), "score", "--out", str(sim_out), "--export", str(export)],
                           capture_output=True, text=True)
    print(score.stdout + score.stderr)
    return report(sim_out, kills)


def parse_args():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--kills", type=int, default=5)
    p.add_argument("--gap", type=float, nargs=2, default=[5.0, 20.0], help="seconds between kills (min max)")
    p.add_argument("--pace", type=float, default=4.0)
    p.add_argument("--fail-first", type=int, default=20)
    p.add_argument("--webhook-secret", default="S")
    p.add_argument("--settle", type=float, default=120.0, help="seconds to run after the last restart")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--keep", default=None)
    return p.parse_args()


def start_daemon(config, log):
    return subprocess.Popen([str(sim_run.BIN), "--log-format", "json", "run", "--config", str(config)],
                            stdout=log, stderr=log)


def run_with_kills(config, run_dir, ready, args):
    """Kill -9 and restart at random moments --gap apart; then settle."""
    rng = random.Random(args.seed)
    log = open(run_dir / "daemon.log", "w")
    daemon = start_daemon(config, log)
    for _ in range(args.kills):
        time.sleep(rng.uniform(*args.gap))
        daemon.send_signal(signal.SIGKILL)
        daemon.wait()
        daemon = start_daemon(config, log)
    last_restart = time.time()
    time.sleep(args.settle)
    alive = daemon.poll() is None
    sim_run.stop(daemon)
    released_after = ready["all_released_at"] - last_restart
    print(f"daemon killed {args.kills} times, restarted each time; ran {args.settle:.0f} s after the last "
          f"restart (all articles released {released_after:+.0f} s from it); up at the end: {alive}")
    return args.kills


def report(sim_out, kills):
    truth, pairs, refused = sim_run.accepted_alerts(sim_out)
    expected = {(e["topic"], e["group"]) for e in truth["expected_alerts"]}
    missed = sorted(expected - set(pairs))
    twice = sorted(k for k, ids in pairs.items() if len(ids) > 1)
    print(f"deliveries refused by the webhook: {refused}; expected alerts: {len(expected)}; "
          f"accepted (topic, group) pairs: {len(pairs)}")
    print(f"missed: {len(missed)} {missed[:5]}")
    print(f"(topic, group) accepted under two ids: {len(twice)} {twice[:5]}")
    ok = not missed and not twice
    print("crash test " + ("passed" if ok else "FAILED") + f" after {kills} kills")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
