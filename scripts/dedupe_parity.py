#!/usr/bin/env python3
"""Check that `wirewatch dedupe` groups a daemon's articles exactly as the daemon did.

    python3 scripts/dedupe_parity.py [EXPORT.jsonl] [--seconds 60]

EXPORT.jsonl is `wirewatch export` of a run. Without it, the script makes
one with `scripts/sim_run.py --all-at-once --update-delay 100000 --run-for
SECONDS` (the simulator's public profile all at once, with no updates; it
needs ../shared/sim beside this repository). The articles are
replayed in first-seen order through the release build of
`wirewatch dedupe --jsonl`; merges it reports are applied to the earlier
lines; then its groups are compared with the daemon's as pairwise
precision, recall and F1 over pairs of articles in one group. With no
updates during the run (an update keeps its group whatever its new text)
the two must agree exactly: F1 1.000.
"""
import argparse
import itertools
import json
import subprocess
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
BIN = REPO / "target" / "release" / "wirewatch"


def pairs(groups):
    members = defaultdict(list)
    for key, group in groups.items():
        members[group].append(key)
    return {tuple(sorted(p)) for m in members.values() for p in itertools.combinations(m, 2)}


def replay(records):
    lines = "".join(json.dumps(r) + "\n" for r in records)
    out = subprocess.run([str(BIN), "dedupe", "--jsonl"], input=lines, capture_output=True,
                         text=True, check=True).stdout
    group_of, into = {}, {}
    for line in out.splitlines():
        placed = json.loads(line)
        group_of[placed["id"]] = placed["group"]
        for gone in placed.get("merged", []):
            into[gone] = placed["group"]

    def final(g):
        while g in into:
            g = into[g]
        return g
    return {key: final(g) for key, g in group_of.items()}


def simulated_run(seconds):
    """Runs scripts/sim_run.py (all at once, no updates); returns the export's path."""
    run = Path(tempfile.mkdtemp(prefix="wirewatch-parity-"))
    subprocess.run([sys.executable, str(REPO / "scripts" / "sim_run.py"), "--all-at-once",
                    "--update-delay", "100000", "--run-for", str(seconds), "--keep", str(run)], check=True)
    return run / "export.jsonl"


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("export", nargs="?")
    p.add_argument("--seconds", type=float, default=60.0)
    args = p.parse_args()
    if not BIN.exists():
        sys.exit(f"dedupe_parity: build first: cargo build --release ({BIN} is missing)")
    export = Path(args.export) if args.export else simulated_run(args.seconds)
    records = [json.loads(l) for l in export.read_text().splitlines() if l.strip()]
    records.sort(key=lambda r: r["first_seen"])
    daemon = {r["canonical_url"]: r["group"] for r in records}
    cli = replay(records)
    want, got = pairs(daemon), pairs(cli)
    both = len(want & got)
    p = both / len(got) if got else 1.0
    r = both / len(want) if want else 1.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    same_ids = sum(daemon[k] == cli[k] for k in daemon)
    print(f"articles {len(records)}  daemon pairs {len(want)}  dedupe pairs {len(got)}")
    print(f"pairwise F1 {f1:.3f}  P {p:.3f}  R {r:.3f}  same group id {same_ids}/{len(daemon)}")
    return 0 if f1 == 1.0 else 1


if __name__ == "__main__":
    sys.exit(main())
