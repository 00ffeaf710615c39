#!/usr/bin/env python3
"""Load test: wirewatch polling 2,000 simulated feeds every minute.

    python3 scripts/load_run.py [--sites 2000] [--minutes 10] [--interval 60] [--keep DIR]

Starts `newsroom_sim.py serve --sites N --pace 0` (from ../shared/sim beside
this repository), runs the release build of `wirewatch run` with every feed
polled every --interval seconds (min_interval = max_interval) and the admin
endpoint on, for --minutes, then reports from the daemon's own metrics and
/proc:

  * polls: how many, by result, against the number the schedule asks for;
  * missed polls: polls that started more than one interval late (from the
    poll-lag histogram), and feeds without a successful poll;
  * CPU: the daemon's user+system time over the run, as a share of one core,
    over the whole run and after the first interval (initial ingestion);
  * peak RSS (VmHWM).
"""
import argparse
import json
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from sim_run import BIN, SIM, ensure_binary, rss_kib, stop, wait_ready  # noqa: E402

TICKS = 100  # clock ticks per second in /proc/<pid>/stat (USER_HZ)


def main():
    args = parse_args()
    if not SIM.exists():
        sys.exit(f"load_run: the simulator is not at {SIM}; this script needs ../shared/sim beside the repository")
    ensure_binary()
    run_dir = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="wirewatch-load-"))
    run_dir.mkdir(parents=True, exist_ok=True)
    sim_out = run_dir / "sim"
    sim = subprocess.Popen(
        [sys.executable, str(SIM), "serve", "--profile", "public", "--sites", str(args.sites),
         "--pace", "0", "--port", "0", "--out", str(sim_out)],
        stdout=subprocess.DEVNULL, stderr=open(run_dir / "sim.log", "w"))
    try:
        ready = wait_ready(sim_out / "ready.json", sim, timeout=300)
        port = free_port()
        config = write_config(run_dir, ready, sim_out, args.interval, port)
        log = open(run_dir / "daemon.log", "w")
        daemon = subprocess.Popen([str(BIN), "--log-format", "json", "run", "--config", str(config)],
                                  stderr=log, stdout=log)
        started = time.time()
        cpu = [(started, cpu_ticks(daemon.pid))]
        peak = 0
        end = started + args.minutes * 60
        while time.time() < end and daemon.poll() is None:
            time.sleep(1)
            peak = max(peak, rss_kib(daemon.pid))
            if len(cpu) == 1 and time.time() >= started + args.interval:
                cpu.append((time.time(), cpu_ticks(daemon.pid)))
        cpu.append((time.time(), cpu_ticks(daemon.pid)))
        alive = daemon.poll() is None
        metrics = scrape(port) if alive else ""
        feeds = subprocess.run([str(BIN), "feeds", "--config", str(config), "--jsonl"],
                               capture_output=True, text=True).stdout
        stop(daemon)
    finally:
        stop(sim)
    report(args, metrics, feeds, cpu, peak, alive, run_dir)
    return 0 if alive else 1


def parse_args():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--sites", type=int, default=2000)
    p.add_argument("--minutes", type=float, default=10)
    p.add_argument("--interval", type=int, default=60, help="seconds between polls of each feed")
    p.add_argument("--keep", default=None, help="run directory to keep (default: a temp dir)")
    return p.parse_args()


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def write_config(run_dir, ready, sim_out, interval, port):
    config = run_dir / "wirewatch.toml"
    config.write_text(f"""data_dir = "{run_dir / 'data'}"
topic_files = ["{sim_out / 'topics.toml'}"]
log_level = "warn"

[fetch]
allow_hosts = ["127.0.0.1"]
# Every simulated site shares one host: lift the per-domain politeness caps.
per_domain_concurrency = 16
per_domain_rate = 1000.0

[poll]
min_interval = "{interval}s"
max_interval = "{interval}s"

[[opml]]
source = "{ready['opml_url']}"

[[sink]]
type = "webhook"
url = "{ready['webhook_url']}"

[admin]
listen = "127.0.0.1:{port}"
""")
    return config


def cpu_ticks(pid):
    """User plus system clock ticks of a process (fields 14 and 15 of stat)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])


def scrape(port):
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=10) as r:
        return r.read().decode()


def samples(text, name):
    """{labels: value} of every sample of `name`."""
    out = {}
    for line in text.splitlines():
        m = re.match(rf"^{re.escape(name)}(\{{[^}}]*\}})? (\S+)$", line)
        if m:
            out[m.group(1) or ""] = float(m.group(2))
    return out


def report(args, metrics, feeds, cpu, peak, alive, run_dir):
    polls = samples(metrics, "wirewatch_polls_total")
    total = sum(polls.values())
    expected = args.sites * int(args.minutes * 60 // args.interval)
    lag = samples(metrics, "wirewatch_poll_lag_seconds_bucket")
    lag_count = sum(samples(metrics, "wirewatch_poll_lag_seconds_count").values())
    within = {float(re.search(r'le="([^"]+)"', k).group(1)): v for k, v in lag.items()}
    # The smallest bucket holding a lag of one interval.
    bound = min((le for le in within if le >= args.interval), default=float("inf"))
    on_time = within.get(bound, lag_count)
    rows = [json.loads(line) for line in feeds.splitlines() if line.strip()]
    never = sum(1 for r in rows if not r.get("last_success"))
    failing = sum(1 for r in rows if r.get("consecutive_errors", 0) > 0)
    (t0, c0), (t1, c1), (t2, c2) = cpu[0], cpu[1] if len(cpu) > 2 else cpu[0], cpu[-1]
    whole = (c2 - c0) / TICKS / (t2 - t0) * 100
    steady = (c2 - c1) / TICKS / (t2 - t1) * 100 if t2 > t1 else float("nan")
    print(f"load run: {args.sites} feeds, every {args.interval} s, {args.minutes:g} min; run dir {run_dir}")
    print(f"  daemon stayed up: {alive}")
    print(f"  polls: {total:.0f} (schedule asks for about {expected}); by result "
          + ", ".join(f"{k[9:-2]} {v:.0f}" for k, v in sorted(polls.items())))
    print(f"  poll lag: {lag_count:.0f} polls timed; started within 1 s of due: {within.get(1.0, 0):.0f}; "
          f"within 5 s: {within.get(5.0, 0):.0f}; more than {bound:g} s late (missed): {lag_count - on_time:.0f}")
    print(f"  feeds: {len(rows)} known to the daemon, {never} never polled successfully, {failing} failing now")
    print(f"  CPU: {whole:.1f}% of one core over the run, {steady:.1f}% after the first {args.interval} s")
    print(f"  peak RSS: {peak / 1024:.0f} MB")


if __name__ == "__main__":
    sys.exit(main())
