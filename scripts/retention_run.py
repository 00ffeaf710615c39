#!/usr/bin/env python3
"""Long run: does the database stay bounded under steady load with retention on?

    python3 scripts/retention_run.py [--minutes 45] [--rate 2] [--feeds 20]
                                     [--retention 10m] [--window 5m] [--keep DIR]

Serves its own news web on loopback: --feeds RSS feeds, together publishing
--rate new articles a second without end (one in ten a reprint of a recent
article on another feed, under a dateline), each on an HTML page with
navigation, a related-stories box and a footer. Texts are random draws from
the vocabulary of the seed articles in seeds/, so no two stories share a
phrase by chance. Nothing outside this repository is needed.

Runs the release build of `wirewatch run` with `retention` and the duplicate
`window` given, a topic that fires on many articles (alerts go to the log
sink), every feed polled every 30 s and the admin endpoint on. Every 30 s it
samples the database's size on disk (`wirewatch_store_bytes`), the articles
stored so far and held now, and the daemon's RSS. At the end it prints the
samples each minute and whether size and held articles level off once twice
the retention period has passed.
"""
import argparse
import html
import http.server
import random
import re
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from load_run import free_port, samples  # noqa: E402
from sim_run import BIN, REPO, rss_kib, stop  # noqa: E402

SAMPLE_EVERY = 30
FEED_ITEMS = 30
REPRINT_SHARE = 0.1


def main():
    args = parse_args()
    subprocess.run(["cargo", "build", "--release", "-q"], cwd=REPO, check=True)
    run_dir = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="wirewatch-retention-"))
    run_dir.mkdir(parents=True, exist_ok=True)
    web = NewsWeb(args.feeds, vocabulary(REPO / "seeds"))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), web.handler())
    threading.Thread(target=server.serve_forever, daemon=True).start()
    releasing = threading.Event()
    threading.Thread(target=web.release, args=(args.rate, releasing), daemon=True).start()
    port = free_port()
    config = write_config(run_dir, server.server_address[1], args, port)
    log = open(run_dir / "daemon.log", "w")
    daemon = subprocess.Popen([str(BIN), "--log-format", "json", "run", "--config", str(config)],
                              stderr=log, stdout=log)
    started = time.time()
    rows = []
    try:
        end = started + args.minutes * 60
        next_sample = started + SAMPLE_EVERY
        while time.time() < end and daemon.poll() is None:
            time.sleep(1)
            if time.time() >= next_sample:
                next_sample += SAMPLE_EVERY
                rows.append(sample(started, port, daemon.pid, config, web))
        alive = daemon.poll() is None
    finally:
        releasing.set()
        stop(daemon)
        server.shutdown()
    report(args, rows, alive, run_dir, log_summary(run_dir / "daemon.log"))
    return 0 if alive else 1


def parse_args():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--minutes", type=float, default=45)
    p.add_argument("--rate", type=float, default=2.0, help="new articles a second, over all feeds")
    p.add_argument("--feeds", type=int, default=20)
    p.add_argument("--retention", default="10m")
    p.add_argument("--window", default="5m", help="the duplicate window, at most the retention")
    p.add_argument("--keep", default=None, help="run directory to keep (default: a temp dir)")
    return p.parse_args()


def vocabulary(seeds):
    """Words of the seed articles, with their frequencies (a unigram model)."""
    words = []
    for path in sorted(seeds.glob("*.txt")):
        words += re.findall(r"[A-Za-z][A-Za-z'-]+", path.read_text(encoding="utf-8"))
    if not words:
        sys.exit(f"retention_run: no seed articles in {seeds}")
    return words


class NewsWeb:
    """Feeds and article pages, released one after another at a steady rate."""

    def __init__(self, feeds, words):
        self.feeds = feeds
        self.words = words
        self.random = random.Random(7)
        self.lock = threading.Lock()
        self.pages = {}  # id -> html
        self.items = [[] for _ in range(feeds)]  # newest first: (id, title, released)
        self.released = 0

    def text(self):
        paragraphs = []
        for _ in range(self.random.randint(5, 9)):
            sentences = []
            for _ in range(self.random.randint(3, 5)):
                s = self.random.choices(self.words, k=self.random.randint(12, 24))
                sentences.append(" ".join(s).capitalize() + ".")
            paragraphs.append(" ".join(sentences))
        return paragraphs

    def release(self, rate, stopping):
        recent = []  # (title, paragraphs) of the last minute or so
        while not stopping.wait(1 / rate):
            n = self.released
            feed = n % self.feeds
            if recent and self.random.random() < REPRINT_SHARE:
                title, body = self.random.choice(recent)
                body = [f"SEOUL (Wire) - {body[0]}"] + body[1:]
            else:
                title = " ".join(self.random.choices(self.words, k=8)).capitalize()
                body = self.text()
                recent = (recent + [(title, body)])[-int(rate * 60) - 1:]
            page = render_page(n, title, body, self.items[feed][:5])
            with self.lock:
                self.pages[n] = page
                self.items[feed].insert(0, (n, title, time.time()))
                for gone, _, _ in self.items[feed][FEED_ITEMS:]:
                    del self.pages[gone]
                del self.items[feed][FEED_ITEMS:]
                self.released += 1

    def handler(self):
        web = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self):
                m = re.fullmatch(r"/feed/(\d+)\.xml|/a/(\d+)\.html", self.path)
                body = None
                with web.lock:
                    if m and m.group(1) is not None and int(m.group(1)) < web.feeds:
                        body, kind = render_feed(self.headers["Host"], int(m.group(1)),
                                                 web.items[int(m.group(1))]), "application/rss+xml"
                    elif m and m.group(2) is not None:
                        body, kind = web.pages.get(int(m.group(2))), "text/html; charset=utf-8"
                if body is None:
                    self.send_error(404)
                    return
                data = body.encode()
                self.send_response(200)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *_):
                pass

        return Handler


def render_page(n, title, body, related):
    links = "".join(f'<li><a href="/a/{i}.html">{html.escape(t)}</a></li>' for i, t, _ in related)
    paragraphs = "".join(f"<p>{html.escape(p)}</p>" for p in body)
    return f"""<!doctype html><html><head><title>{html.escape(title)}</title></head><body>
<nav><a href="/">Home</a> <a href="/world">World</a> <a href="/business">Business</a></nav>
<article><h1>{html.escape(title)}</h1>{paragraphs}</article>
<aside><h2>Related</h2><ul>{links}</ul></aside>
<footer><p>Subscribe to our newsletter.</p><p>&copy; Steady News</p></footer></body></html>"""


def render_feed(host, feed, items):
    entries = "".join(
        f"<item><title>{html.escape(t)}</title><link>http://{host}/a/{i}.html</link>"
        f"<guid>http://{host}/a/{i}.html</guid>"
        f"<pubDate>{time.strftime('%a, %d %b %Y %H:%M:%S +0000', time.gmtime(at))}</pubDate></item>"
        for i, t, at in items)
    return (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
            f"<title>Steady {feed}</title><link>http://{host}/</link><description>steady load</description>"
            f"{entries}</channel></rss>")


def write_config(run_dir, web_port, args, admin_port):
    feeds = "".join(f'[[feed]]\nurl = "http://127.0.0.1:{web_port}/feed/{i}.xml"\n\n'
                    for i in range(args.feeds))
    config = run_dir / "wirewatch.toml"
    config.write_text(f"""data_dir = "{run_dir / 'data'}"
log_level = "info"
retention = "{args.retention}"

[fetch]
allow_hosts = ["127.0.0.1"]
robots = false
per_domain_concurrency = 8
per_domain_rate = 1000.0

[poll]
min_interval = "30s"
max_interval = "30s"

[dedupe]
window = "{args.window}"

[[topic]]
name = "korea"
query = "Korea OR Trump"

[[sink]]
type = "log"

[admin]
listen = "127.0.0.1:{admin_port}"

{feeds}""")
    return config


def sample(started, port, pid, config, web):
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=10) as r:
            metrics = r.read().decode()
    except OSError:
        metrics = ""
    stats = subprocess.run([str(BIN), "stats", "--json", "--config", str(config)],
                           capture_output=True, text=True).stdout
    held = re.search(r'"articles":\s*(\d+)', stats)
    return {
        "minute": (time.time() - started) / 60,
        "released": web.released,
        "stored": sum(samples(metrics, "wirewatch_articles_stored_total").values()),
        "held": int(held.group(1)) if held else -1,
        "removed": sum(samples(metrics, "wirewatch_retention_removed_total").values()),
        "bytes": sum(samples(metrics, "wirewatch_store_bytes").values()),
        "rss_kib": rss_kib(pid),
    }


def log_summary(path):
    text = path.read_text(errors="replace")
    return {
        "sweeps": text.count("retention sweep done"),
        "errors": sum(1 for line in text.splitlines() if '"level":"ERROR"' in line),
    }


def seconds(duration):
    n, unit = re.fullmatch(r"(\d+)([smhd])", duration).groups()
    return int(n) * {"s": 1, "m": 60, "h": 3600, "d": 86400}[unit]


def report(args, rows, alive, run_dir, logs):
    print(f"retention run: {args.minutes:g} min, {args.rate:g} articles/s over {args.feeds} feeds, "
          f"retention {args.retention}, window {args.window}; run dir {run_dir}")
    print(f"  daemon stayed up: {alive}; sweeps logged: {logs['sweeps']}; ERROR lines: {logs['errors']}")
    print("  minute  released   stored  held now  swept away  on disk MB  RSS MB")
    for r in rows[1::2]:
        print(f"  {r['minute']:6.1f}  {r['released']:8d} {r['stored']:8.0f}  {r['held']:8d}  "
              f"{r['removed']:10.0f}  {r['bytes'] / 1e6:10.1f}  {r['rss_kib'] / 1024:6.0f}")
    settled = [r for r in rows if r["minute"] * 60 >= 2 * seconds(args.retention)]
    if len(settled) < 2:
        print("  too short to judge: run for more than twice the retention period")
        return
    for key, label, scale in (("bytes", "on disk MB", 1e6), ("held", "articles held", 1),
                              ("rss_kib", "RSS MB", 1024)):
        values = [r[key] / scale for r in settled]
        first, last = values[0], values[-1]
        print(f"  after {settled[0]['minute']:.0f} min: {label} min {min(values):.1f}, max {max(values):.1f}, "
              f"first {first:.1f}, last {last:.1f} ({(last / first - 1) * 100 if first else 0:+.0f}%)")
    stored = settled[-1]["stored"] - settled[0]["stored"]
    print(f"  meanwhile {stored:.0f} more articles were stored")


if __name__ == "__main__":
    sys.exit(main())
