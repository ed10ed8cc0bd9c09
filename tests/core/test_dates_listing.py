"""Dates in list columns (the year when it is not this one) and undated articles listed after
the dated ones, in a real store."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest

from natoread.core.analysis.records import Analysis, TopicResult
from natoread.core.feeds.documents import ParsedEntry
from natoread.core.storage.schema import MIGRATIONS
from natoread.core.storage.store import Store
from natoread.core.text.dates import compact_date

NOW = datetime(2026, 12, 7, 12, 0, tzinfo=UTC)
NO_TOPIC = Analysis(TopicResult(False, 0.0, ()))


@pytest.fixture(autouse=True)
def utc(monkeypatch: pytest.MonkeyPatch) -> None:
    import time

    monkeypatch.setenv("TZ", "UTC")
    time.tzset()


@pytest.mark.parametrize(
    ("value", "short", "long"),
    [
        (datetime(2026, 11, 20, 9, 5, tzinfo=UTC), "Nov 20", "Nov 20 09:05"),
        (datetime(2017, 12, 7, 9, 5, tzinfo=UTC), "Dec'17", "Dec 07  2017"),
        (datetime(2003, 6, 3, tzinfo=UTC), "Jun'03", "Jun 03  2003"),
        (datetime(2027, 1, 2, tzinfo=UTC), "Jan'27", "Jan 02  2027"),
    ],
)
def test_compact_dates_show_the_year_when_it_is_not_this_one(
    value: datetime, short: str, long: str
) -> None:
    assert compact_date(value, NOW, with_time=False) == short
    assert compact_date(value, NOW, with_time=True) == long
    assert len(short) == 6 and len(long) == 12  # fixed columns


def _entry(guid: str, hours_ago: float | None) -> ParsedEntry:
    published = (
        None
        if hours_ago is None
        else datetime.fromtimestamp(NOW.timestamp() - hours_ago * 3600, UTC)
    )
    return ParsedEntry(guid, None, f"Title {guid}", "", f"body {guid}", published)


def test_undated_articles_are_listed_after_the_dated_ones(tmp_path: Path) -> None:
    with Store(tmp_path / "s.sqlite3") as store:
        feed_id = store.sync_feeds([("https://a.example/rss", "A", True)])["https://a.example/rss"]
        first_poll = int(NOW.timestamp())
        store.save_entries(
            feed_id, [(_entry("old", 48), NO_TOPIC), (_entry("u1", None), NO_TOPIC)], now=first_poll
        )
        # A later poll: a dated article from before either poll, one from the future, and
        # another undated one.
        later = first_poll + 3600
        entries = [_entry("new", 1), _entry("future", -500), _entry("u2", None)]
        store.save_entries(feed_id, [(e, NO_TOPIC) for e in entries], now=later)
        titles = {row.id: row.title for row in store.list_articles(limit=100)}
        listed = [titles[i] for i in store.article_ids()]
        # Newest dated first (a future date counts as the fetch time, just before it), then
        # the undated ones, newest fetch first.
        assert listed == ["Title future", "Title new", "Title old", "Title u2", "Title u1"]
        assert [row.title for row in store.list_articles(limit=100)] == listed
        assert [titles[i] for i in store.article_ids(limit=2)] == listed[:2]
        assert [titles[i] for i in store.article_ids(limit=4)] == listed[:4]
        assert [row.title for row in store.list_articles(limit=2, offset=3)] == listed[3:5]


def test_a_store_from_before_the_undated_index_lists_them_last(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    first_poll = int(NOW.timestamp())
    # A store as the schema before the undated index left it, with an undated article (its
    # fetch time as its date) fetched before a dated one.
    before = next(n for n, sql in enumerate(MIGRATIONS) if "article_undated" in sql)
    with sqlite3.connect(path) as db:
        for sql in MIGRATIONS[:before]:
            db.executescript(sql)
        db.execute(f"PRAGMA user_version={before}")
        db.execute("INSERT INTO feed(id, url, title) VALUES (1, 'https://a.example/rss', 'A')")
        for title, published, fetched in (
            ("Undated", first_poll, first_poll),
            ("Dated", first_poll - 30 * 3600, first_poll + 60),
        ):
            db.execute(
                "INSERT INTO article(feed_id, guid, title, published, fetched, content_hash)"
                " VALUES (1, ?, ?, ?, ?, ?)",
                (title, title, published, fetched, title),
            )
    with Store(path) as store:
        assert [row.title for row in store.list_articles()] == ["Dated", "Undated"]
        plan = store.execute("EXPLAIN QUERY PLAN SELECT id FROM article WHERE published = fetched")
        assert "article_undated" in str(plan)
