"""Per-stage throughput on one core: parse, topics, quotes, stories, store (items/s).

    python benchmarks/bench_stages.py [--feeds 60] [--runs 3] [--feed-dir DIR]

Uses the farm's realistic feeds (RSS and Atom, 0.5–3 KB HTML bodies, ~30% alliance news), or
with --feed-dir the feed documents saved in DIR (every file, in name order; e.g. feeds saved
from another farm with curl), so figures can be compared on text that is not our own.
"Quotes" is measured twice: on every article, and on the topic matches only (what ingestion
does eagerly; other articles get their quotes on first read).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from farm import make_feed
from machine import speed_line

from natoread.core.analysis.analyser import Analyser
from natoread.core.analysis.quotes import extract_quotes
from natoread.core.analysis.stories import sketch, story_text
from natoread.core.analysis.topics.engine import compile_topics
from natoread.core.config import parse_config
from natoread.core.feeds.parser import parse_feed
from natoread.core.polling.ingest import Ingester
from natoread.core.storage.store import Store

MEDIANS: dict[str, float] = {}
"""Median items/s of each stage measured so far, by label."""


def rate(items: int, func: Callable[[], object], runs: int, label: str = "") -> str:
    """Median items/s over `runs` (min–max); kept in MEDIANS under `label`."""
    speeds = []
    for _ in range(runs):
        started = time.process_time()
        func()
        speeds.append(items / max(time.process_time() - started, 1e-9))
    if label:
        MEDIANS[label] = statistics.median(speeds)
    return f"{statistics.median(speeds):>8,.0f}/s ({min(speeds):,.0f}–{max(speeds):,.0f})"


def ingest_documents(ingester: Ingester, docs: Sequence[bytes]) -> int:
    """Ingest each document as one feed's, then index for search as a poll pass does when
    it ends; returns the number of entries read."""
    urls = [f"https://farm.example/{i}" for i in range(len(docs))]
    ids = ingester.store().sync_feeds([(url, "", False) for url in urls])
    entries = 0
    for url, doc in zip(urls, docs, strict=True):
        entries += ingester.ingest(ids[url], doc, url, 1_800_000_000, False).entries
    ingester.store().index_pending()
    return entries


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--feeds", type=int, default=60)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--feed-dir", type=Path, help="read the feed documents from this directory")
    args = parser.parse_args()
    print(speed_line())
    if args.feed_dir is not None:
        docs = [p.read_bytes() for p in sorted(args.feed_dir.iterdir()) if p.is_file()]
        docs = docs[: args.feeds] if args.feeds else docs
    else:
        docs = [make_feed(i) for i in range(args.feeds)]
    feeds = [parse_feed(d, "https://farm.example/feed.xml") for d in docs]
    entries = [e for f in feeds for e in f.entries]
    n = len(entries)
    topics = parse_config({}, "bench").topics
    engine = compile_topics(topics)
    matched = [e for e in entries if engine.classify(e.title, e.body).matched]
    print(
        f"{n} items from {len(docs)} feeds, avg body {sum(len(e.body) for e in entries) // n} chars, "
        f"{len(matched)} match a topic; CPU time, one core, median (min–max) of {args.runs}"
    )
    print(
        f"  parse + sanitise  {rate(n, lambda: [parse_feed(d, 'https://farm.example/f') for d in docs], args.runs, 'parse')}"
    )
    print(
        f"  topics            {rate(n, lambda: [engine.classify(e.title, e.body) for e in entries], args.runs, 'topics')}"
    )
    all_docs = [e.title + "\n" + e.body for e in entries]
    matched_docs = [e.title + "\n" + e.body for e in matched]
    print(
        f"  quotes (all)      {rate(n, lambda: [extract_quotes(d) for d in all_docs], args.runs)}"
    )
    print(
        f"  quotes (matches)  {rate(len(matched), lambda: [extract_quotes(d) for d in matched_docs], args.runs, 'quotes')}"
    )
    print(
        f"  story sketches    {rate(n, lambda: [sketch(story_text(e.title, e.body[:600])) for e in entries], args.runs)}"
    )

    analyser = Analyser(topics)
    analysed = [[(e, analyser(e.title, e.body)) for e in f.entries] for f in feeds]

    def store_only() -> None:
        with tempfile.TemporaryDirectory() as tmp, Store(Path(tmp) / "bench.sqlite3") as store:
            ids = store.sync_feeds(
                [(f"https://farm.example/{i}", "", False) for i in range(len(docs))]
            )
            for i, batch in enumerate(analysed):
                store.save_entries(
                    ids[f"https://farm.example/{i}"], batch, now=1_800_000_000, index_now=False
                )
            store.index_pending()  # as a poll pass does when it ends

    print(
        f"  store (SQLite+FTS5) {rate(n, store_only, args.runs, 'store')}  (analysed entries, one transaction per feed, indexed for search at the end, as a poll pass does)"
    )

    # The list of stages: the time per article of each, added up (quotes of the
    # topic matches only, as ingestion does; story clustering is not in the list).
    seconds = (
        1 / MEDIANS["parse"]
        + 1 / MEDIANS["topics"]
        + len(matched) / n / MEDIANS["quotes"]
        + 1 / MEDIANS["store"]
    )
    print(
        f"  listed stages     {1 / seconds:>8,.0f}/s  (parse + topics + quotes of matches + store,"
        " added up from the medians above; no story clustering)"
    )

    def full_pipeline() -> None:
        with tempfile.TemporaryDirectory() as tmp:
            ingester = Ingester(Path(tmp) / "bench.sqlite3", Analyser(topics))
            ingest_documents(ingester, docs)
            ingester.close()

    print(
        f"  whole ingest      {rate(n, full_pipeline, args.runs)}  (parse + topics + quotes of matches + store + stories)"
    )


if __name__ == "__main__":
    main()
    print(speed_line("after"))
