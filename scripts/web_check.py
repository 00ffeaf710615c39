#!/usr/bin/env python3
"""Check the web page against the newsroom simulator (public profile, all at once).

    python3 scripts/web_check.py [--settle 40] [--keep DIR] [--shots /tmp/wirewatch-shots/sim]

Starts `newsroom_sim.py serve` (from ../shared/sim beside this repository)
and the release build of `wirewatch run` with the config of sim_run.py plus
`[web] listen`, waits until every article is released plus --settle seconds,
then reads the pages while the daemon runs and checks them against the
simulator's truth and the daemon's own answers:
  /                 the stories with their outlet counts
  /stories/<id>     the stories of the truth's events (one per event, several
                    groups: the three seed write-ups among them) and a wire
                    story's reprints with their diffs
  /topics/<n>.atom  exactly the alerts the webhook received for each topic
  /feeds            every feed of the simulator
  /search?q=        the same counts as `wirewatch search` for each topic's query
Prints each finding and the time each page took; with --shots, saves
Chromium screenshots of the pages (outside the repository).
"""
import argparse
import json
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import sim_run  # noqa: E402

BIN = sim_run.BIN


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(base, path):
    started = time.perf_counter()
    with urllib.request.urlopen(base + path, timeout=30) as r:
        body = r.read().decode()
    return body, (time.perf_counter() - started) * 1000


def unescape(text):
    return (text.replace("&#x2f;", "/").replace("&quot;", '"').replace("&#x27;", "'")
            .replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&"))


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--settle", type=float, default=40.0)
    p.add_argument("--keep", default=None)
    p.add_argument("--shots", default=None)
    args = p.parse_args()
    if not sim_run.SIM.exists():
        sys.exit(f"web_check: the simulator is not at {sim_run.SIM}; this script needs ../shared/sim beside the repository")
    subprocess.run(["cargo", "build", "--release", "-q"], cwd=sim_run.REPO, check=True)
    run_dir = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="wirewatch-web-"))
    run_dir.mkdir(parents=True, exist_ok=True)
    sim_out = run_dir / "sim"
    sim_args = argparse.Namespace(profile="public", all_at_once=True, pace=0, webhook_secret=None, sim_arg=[])
    sim = sim_run.start_sim(sim_args, sim_out)
    daemon = None
    try:
        ready = sim_run.wait_ready(sim_out / "ready.json", sim)
        config = sim_run.write_config(run_dir, ready, sim_out, None)
        port = free_port()
        with open(config, "a") as f:
            f.write(f'\n[web]\nlisten = "127.0.0.1:{port}"\n')
        log = open(run_dir / "daemon.log", "w")
        daemon = subprocess.Popen([str(BIN), "--log-format", "json", "run", "--config", str(config)],
                                  stderr=log, stdout=log)
        sim_run.watch(daemon, ready["all_released_at"] + args.settle)
        return check(f"http://127.0.0.1:{port}", config, sim_out, args.shots)
    finally:
        if daemon:
            sim_run.stop(daemon)
        sim_run.stop(sim)
        print(f"run dir: {run_dir}")


def check(base, config, sim_out, shots):
    truth = json.loads((sim_out / "truth.json").read_text())
    export = subprocess.run([str(BIN), "export", "--config", str(config), "--jsonl"],
                            capture_output=True, text=True, check=True).stdout
    stored = [json.loads(line) for line in export.splitlines()]
    by_path = {urllib.parse.urlsplit(a["url"]).path: a for a in stored}
    times = {}
    ok = True

    body, times["/"] = fetch(base, "/")
    listed = re.findall(r'<strong>(\d+)</strong><span>outlets?</span></div>\s*<div class="what">\s*<h2>(?:<span class="breaking">Breaking</span> )?<a href="/stories/(s[0-9a-f]+)">([^<]*)</a>', body)
    stories = {a["story"] for a in stored}
    print(f"/: {len(listed)} stories listed (of {len(stories)} the daemon stored, at most 100 shown); top 5:")
    for outlets, story, title in listed[:5]:
        print(f"   {outlets:>2} outlets  {story}  {unescape(title)[:70]}")
    ok &= len(listed) == min(100, len(stories))

    print("events of several write-ups (truth) → their story page:")
    for event, groups in truth["events"].items():
        urls = [u for u, a in truth["articles"].items() if a["group_id"] in groups]
        daemon_stories = {by_path[urllib.parse.urlsplit(u).path]["story"] for u in urls if urllib.parse.urlsplit(u).path in by_path}
        seeds = sorted({truth["articles"][u]["article_id"] for u in urls if str(truth["articles"][u]["article_id"]).startswith("seed")})
        for story in sorted(daemon_stories):
            page, times[f"/stories/{story}"] = fetch(base, f"/stories/{story}")
            texts = len(re.findall(r'<section class="group"', page))
            copies = len(re.findall(r'<tr(?: class="original")?>\s*<td><b>', page))
            print(f"   {event}: {len(groups)} groups in truth; story {story}: {texts} texts, {copies} copies {seeds or ''}")

    wire = [a for a in truth["articles"].values() if a["is_reprint"]]
    shown = 0
    for reprint in wire:
        path = urllib.parse.urlsplit(reprint["feed_link"]).path if reprint.get("feed_link") else None
        article = by_path.get(path) or next((a for p, a in by_path.items() if p.split("?")[0] == urllib.parse.urlsplit(next(u for u, t in truth["articles"].items() if t is reprint)).path), None)
        if not article:
            continue
        page, _ = fetch(base, f"/stories/{article['story']}")
        ins = [unescape(x) for x in re.findall(r"<ins>([^<]*)</ins>", page)]
        dels = re.findall(r"<del>([^<]*)</del>", page)
        if shown < 2 and any("Wirestream" in x or "–" in x for x in ins):
            names = [t["name"] for t in reprint["transformations"]]
            print(f"wire story {article['story']} ({article['title'][:50]}): {len(ins)} <ins> runs, {len(dels)} <del> runs; "
                  f"a reprint's transformations: {names}; first insertions: {ins[:3]}")
            shown += 1
    ok &= shown > 0

    alerts = [json.loads(line) for line in (sim_out / "alerts.jsonl").read_text().splitlines()]
    received = {}
    for record in alerts:
        alert = record.get("alert") or {}
        if alert.get("event") == "alert" and 200 <= record.get("status", 0) < 300:
            received.setdefault(alert["topic"], set()).add(alert["id"])
    topics = truth["topics"]
    names = [t["name"] for t in topics] if isinstance(topics, list) else list(topics)
    for name in names:
        atom, times[f"/topics/{name}.atom"] = fetch(base, f"/topics/{urllib.parse.quote(name)}.atom")
        ids = set(re.findall(r"<id>urn:wirewatch:alert:([0-9a-f]+)</id>", atom))
        same = ids == received.get(name, set())
        ok &= same or len(ids) == 100
        print(f"/topics/{name}.atom: {len(ids)} entries; webhook received {len(received.get(name, set()))}; same ids: {same}")

    feeds_page, times["/feeds"] = fetch(base, "/feeds")
    feeds_page = unescape(feeds_page)
    missing = [s["feed_url"] for s in truth["sites"] if s["feed_url"] not in feeds_page]
    print(f"/feeds: {len(truth['sites'])} feeds in the simulator, missing from the page: {missing}")
    ok &= not missing

    for topic in (topics if isinstance(topics, list) else [{"name": k, **v} for k, v in topics.items()]):
        query = topic.get("query")
        if not query:
            continue
        page, times[f"/search ({topic['name']})"] = fetch(base, "/search?" + urllib.parse.urlencode({"q": query, "since": "30d"}))
        web = re.search(r"(\d+) of (\d+) articles since", page)
        cli = subprocess.run([str(BIN), "search", "--config", str(config), "--since", "30d", query],
                             capture_output=True, text=True).stdout
        cli_count = re.search(r"(\d+) of (\d+) articles since", cli)
        same = bool(web and cli_count and web.groups() == cli_count.groups())
        ok &= same
        print(f"/search {topic['name']}: web {web.groups() if web else None}, wirewatch search {cli_count.groups() if cli_count else None}: same {same}")

    for page in ["/topics", "/deliveries", "/search?q=police&since=30d"]:
        _, times[page] = fetch(base, page)
    print("page times (ms): " + ", ".join(f"{k} {v:.1f}" for k, v in times.items() if not k.startswith("/stories/") or k == list(times)[1]))
    print(f"story pages: {sum(1 for k in times if k.startswith('/stories/'))}, slowest {max((v for k, v in times.items() if k.startswith('/stories/')), default=0):.1f} ms")
    if shots:
        screenshots(base, shots, listed)
    print("ALL CHECKS PASSED" if ok else "SOME CHECKS FAILED")
    return 0 if ok else 1


def screenshots(base, shots, listed):
    Path(shots).mkdir(parents=True, exist_ok=True)
    pages = {"now": "/", "topics": "/topics", "feeds": "/feeds", "deliveries": "/deliveries",
             "search": "/search?q=police&since=30d"}
    if listed:
        pages["story"] = f"/stories/{listed[0][1]}"
    for name, path in pages.items():
        with tempfile.TemporaryDirectory() as profile:
            subprocess.run(["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                            "--no-first-run", "--disable-background-networking", "--disable-component-update",
                            "--disable-sync", f"--user-data-dir={profile}", f"--screenshot={shots}/{name}.png",
                            "--window-size=1280,1600", "--hide-scrollbars", base + path],
                           capture_output=True, check=False)


if __name__ == "__main__":
    sys.exit(main())
