#!/usr/bin/env python3
"""Time to alert, measured as a user meets it: the newsroom simulator's public
profile released at 4 articles a second with updates 10 s after their
articles, for 110 s, under the config a user writes (sim_run.py: OPML,
topics, webhook, allow_hosts, per-domain caps lifted, [poll] min_interval =
"2s"; nothing else tuned). Prints the simulator's scores, whose "time to
alert" line gives p50, p95 and max from a group's first release to its
first accepted alert.

    python3 scripts/time_to_alert.py [--outage] [--keep DIR]

--outage instead runs 540 s with the webhook answering 503 for the first
480 s, and prints how long after its return the last alert was accepted.
Needs ../shared/sim beside this repository (sim_run.py says so when absent).
"""
import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import sim_run  # noqa: E402


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--outage", action="store_true")
    p.add_argument("--keep", default=None)
    args = p.parse_args()
    run = ["--pace", "4"]
    run += ["--webhook-down", "480", "--run-for", "540"] if args.outage else ["--update-delay", "10", "--run-for", "110"]
    if args.keep:
        run += ["--keep", args.keep]
    sys.argv = [sys.argv[0]] + run
    return sim_run.main()


if __name__ == "__main__":
    sys.exit(main())
