"""A small store for the triage tests: a few articles of two feeds in a real SQLite file."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from natoread.core.analysis.records import Analysis, TopicResult, TopicScore
from natoread.core.feeds.documents import ParsedEntry
from natoread.core.storage.store import Store

NOW = datetime(2026, 11, 20, 12, tzinfo=UTC)
ARTICLES = {
    "sweden": ("wire", "Sweden joins NATO", "Sweden became the 32nd member.", "Ann Lee", 2, True),
    "storm": ("wire", "Storm hits the coast", "Heavy rain; no alliance news.", "", 5, False),
    "drones": ("bbc", "Poland shoots down drones", "Polish jets over Rzeszów.", "Bo Kim", 30, True),
    "budget": ("bbc", "Défense budget rises", "Ministers agreed to spend more.", "", 400, False),
}
FEEDS = {"wire": "https://wire.example/rss", "bbc": "https://bbc.example/rss"}


def build(path: Path) -> tuple[Store, dict[str, int]]:
    """The ARTICLES in a store at `path`, indexed for search; returns it and the ids."""
    store = Store(path)
    feed_ids = store.sync_feeds([(FEEDS["wire"], "Wire", False), (FEEDS["bbc"], "BBC", False)])
    ids: dict[str, int] = {}
    for name, (feed, title, body, author, hours, matched) in ARTICLES.items():
        topics = ("accession",) if matched else ()
        scores = (TopicScore("accession", 1.0, True),) if matched else ()
        analysis = Analysis(TopicResult(matched, 1.0, topics, scores))
        entry = ParsedEntry(
            name, f"{FEEDS[feed]}/{name}", title, author, body, NOW - timedelta(hours=hours)
        )
        saved = store.save_entries(
            feed_ids[FEEDS[feed]], [(entry, analysis)], now=int(NOW.timestamp())
        )
        ids[name] = saved.new_ids[0]
    store.index_pending()
    return store, ids
