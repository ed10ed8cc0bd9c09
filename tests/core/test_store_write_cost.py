"""What every article write pays for: the indexes an insert maintains and the sync queue.

The store stage of ingest inserts each new article into every index of `article`; an index
added for one reader feature is paid by every poll pass, so the set is pinned here and a new
one is a conscious choice. The sync triggers (schema 13) cover every writer of `read` and
`starred`, so they must queue nothing for articles no server knows.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from natoread.core.analysis.records import Analysis, TopicResult
from natoread.core.feeds.documents import ParsedEntry
from natoread.core.storage.sync import SyncStore

NOW = int(datetime(2026, 11, 20, tzinfo=UTC).timestamp())
NO_TOPIC = Analysis(TopicResult(False, 0.0, ()))

FULL_ARTICLE_INDEXES = {
    "article_feed_link",
    "article_feed_hash",
    "article_published",
    "article_matched",
    "article_feed_published",
    "article_feed_state",
    "article_author",  # author: finds the few distinct authors
    "article_score",  # list --sort score
    "article_title",  # list --sort title
}
"""Indexes of `article` every insert updates (besides the partial ones)."""

PARTIAL_ARTICLE_INDEXES = {
    "article_feed_guid": "guid IS NOT NULL",
    "article_undated": "published = fetched",
    "article_hidden": "hidden=1",
    "article_starred": "starred=1",
}
"""Partial indexes: an insert updates them only when their condition holds."""


def entry(n: int) -> ParsedEntry:
    return ParsedEntry(
        guid=f"g{n}",
        link=f"https://news.example/{n}",
        title=f"Title {n}",
        author="",
        body=f"body {n}",
        published=datetime.fromtimestamp(NOW - n * 60, UTC),
    )


@pytest.fixture
def store(tmp_path: Path) -> Iterator[SyncStore]:
    db = SyncStore(tmp_path / "natoread.sqlite3")
    yield db
    db.close()


def saved_ids(store: SyncStore, count: int) -> list[int]:
    url = "https://news.example/rss"
    feed_id = store.sync_feeds([(url, "News", False)])[url]
    saved = store.save_entries(
        feed_id, [(entry(n), NO_TOPIC) for n in range(count)], now=NOW, index_now=False
    )
    return list(saved.new_ids)


def test_inserts_maintain_only_the_pinned_indexes(store: SyncStore) -> None:
    rows = store.execute(
        "SELECT name, sql FROM sqlite_master WHERE type='index' AND tbl_name='article'"
        " AND sql IS NOT NULL"
    )
    partial = {name: sql.split(" WHERE ", 1)[1].strip() for name, sql in rows if " WHERE " in sql}
    full = {name for name, sql in rows if " WHERE " not in sql}
    assert full == FULL_ARTICLE_INDEXES
    assert partial == PARTIAL_ARTICLE_INDEXES


def test_new_articles_queue_nothing_for_a_server(store: SyncStore) -> None:
    saved_ids(store, 5)
    assert store.queued_count() == 0
    assert store.execute("SELECT COUNT(*) FROM undo_change") == [(0,)]


def test_read_and_star_changes_are_queued_only_for_synced_articles(store: SyncStore) -> None:
    ids = saved_ids(store, 3)
    url = "https://news.example/rss"
    feed_id = store.sync_feeds([(url, "News", False)])[url]
    assert store.link_entries(feed_id, {"remote-1": "g1"}) == {"remote-1": ids[1]}
    store.set_read(ids)
    store.set_starred(ids[0], True)
    assert store.queued_count() == 1  # the read of the synced article only
    store.set_starred(ids[1], True)
    store.set_read(ids)  # no change: nothing more to send
    assert store.queued_count() == 2
    queued = store.execute("SELECT article_id, kind, value FROM sync_outbox ORDER BY id")
    assert queued == [(ids[1], "read", 1), (ids[1], "starred", 1)]
