"""The SQLite store on a real file: dedupe, updates, state, retention, bad databases."""

from __future__ import annotations

import hashlib
import json
import sqlite3
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from natoread.core.analysis.records import Analysis, Quote, Span, TopicResult, TopicScore
from natoread.core.errors import StoreError
from natoread.core.feeds.documents import ParsedEntry
from natoread.core.reading import article_detail
from natoread.core.storage.records import ArticleQuery, SaveResult
from natoread.core.storage.schema import SCHEMA_VERSION
from natoread.core.storage.store import Store, content_hash, encode_topics, move_aside

NOW = int(datetime(2026, 11, 20, tzinfo=UTC).timestamp())
NO_TOPIC = Analysis(TopicResult(False, 0.0, ()))


def entry(
    n: int, *, guid: str | None = "auto", link: str | None = "auto", body: str = "body"
) -> ParsedEntry:
    return ParsedEntry(
        guid=f"g{n}" if guid == "auto" else guid,
        link=f"https://news.example/{n}" if link == "auto" else link,
        title=f"Title {n}",
        author="",
        body=f"{body} {n}",
        published=datetime.fromtimestamp(NOW - n * 60, UTC),
    )


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    db = Store(tmp_path / "natoread.sqlite3")
    yield db
    db.close()


def feed(store: Store, url: str = "https://news.example/rss") -> int:
    return store.sync_feeds([(url, "News", False)])[url]


def save(
    store: Store, feed_id: int, *entries: ParsedEntry, analysis: Analysis = NO_TOPIC
) -> SaveResult:
    return store.save_entries(feed_id, [(e, analysis) for e in entries], now=NOW)


def test_schema_is_versioned_and_wal(store: Store) -> None:
    assert store.execute("PRAGMA user_version")[0][0] == SCHEMA_VERSION
    assert store.execute("PRAGMA journal_mode")[0][0] == "wal"
    # Search index segments are merged 8 at a time (cheaper indexing of big passes).
    assert store.execute("SELECT v FROM article_fts_config WHERE k='automerge'") == [(8,)]


def test_new_entries_are_stored_once(store: Store) -> None:
    fid = feed(store)
    first = save(store, fid, entry(1), entry(2))
    assert len(first.new_ids) == 2
    again = save(store, fid, entry(1), entry(2))
    assert again.new_ids == () and again.updated == 0
    assert store.count_articles() == 2


def test_update_in_place_keeps_read_and_star(store: Store) -> None:
    fid = feed(store)
    (article_id,) = save(store, fid, entry(1)).new_ids
    store.set_read([article_id])
    store.set_starred(article_id, True)
    result = save(store, fid, entry(1, body="corrected"))
    assert result.new_ids == () and result.updated == 1
    detail = store.get_article(article_id)
    assert detail is not None
    assert detail.body == "corrected 1"
    assert detail.row.read and detail.row.starred


def test_dedupe_without_guid_uses_link(store: Store) -> None:
    fid = feed(store)
    save(store, fid, entry(1, guid=None))
    result = save(store, fid, entry(1, guid=None, body="edited"))
    assert result.updated == 1 and store.count_articles() == 1


def test_rotating_guids_do_not_grow_the_store(store: Store) -> None:
    fid = feed(store)
    for poll in range(5):
        item = entry(1, guid=f"rotating-{poll}")
        save(store, fid, item)
    assert store.count_articles() == 1


def test_same_link_different_items_are_kept_apart(store: Store) -> None:
    fid = feed(store)
    save(store, fid, entry(1, link="https://news.example/"), entry(2, link="https://news.example/"))
    assert store.count_articles() == 2


def test_same_guid_in_two_feeds_are_two_articles(store: Store) -> None:
    a = feed(store, "https://a.example/rss")
    b = feed(store, "https://b.example/rss")
    save(store, a, entry(1))
    save(store, b, entry(1))
    assert store.count_articles() == 2


def test_future_dates_are_clamped_and_missing_dates_use_now(store: Store) -> None:
    fid = feed(store)
    future = ParsedEntry("f", None, "Future", "", "x", datetime(2099, 1, 1, tzinfo=UTC))
    undated = ParsedEntry("u", None, "Undated", "", "y", None)
    save(store, fid, future, undated)
    rows = store.list_articles()
    # A second before the fetch: only an undated article has exactly the fetch time.
    assert [(r.title, r.published.timestamp()) for r in rows] == [
        ("Future", NOW - 1),
        ("Undated", NOW),
    ]


def test_analysis_and_quotes_round_trip(store: Store) -> None:
    fid = feed(store)
    title, body = "Title 1", "“We are ready,” Stubb said."
    analysis = Analysis(
        TopicResult(
            True,
            3.5,
            ("accession",),
            (TopicScore("accession", 3.5, True),),
            (Span(0, 5, "title", "accession"),),
        ),
        (Quote("We are ready,", 9, 22, "Alexander Stubb", False, 24, 29),),
    )
    (article_id,) = store.save_entries(
        fid, [(ParsedEntry("g", None, title, "", body, None), analysis)], now=NOW
    ).new_ids
    detail = store.get_article(article_id)
    assert detail is not None
    assert detail.analysis.spans == analysis.topics.spans
    assert detail.quotes == analysis.quotes
    assert detail.document[9:22] == "We are ready,"
    assert store.count_articles(ArticleQuery(topic="accession")) == 1
    assert store.count_articles(ArticleQuery(matching=True)) == 1
    assert store.speakers()[0][1:] == ("Alexander Stubb", 1)


def test_queries_filter(store: Store) -> None:
    fid = feed(store)
    ids = save(store, fid, entry(1), entry(2), entry(3)).new_ids
    store.set_read([ids[0]])
    store.set_starred(ids[1], True)
    assert store.count_articles(ArticleQuery(unread=True)) == 2
    assert store.count_articles(ArticleQuery(starred=True)) == 1
    assert store.count_articles(ArticleQuery(feed="News")) == 3
    assert store.count_articles(ArticleQuery(feed="https://news.example/rss")) == 3
    assert list(store.article_ids()) == list(ids)
    assert [r.id for r in store.rows_by_ids([ids[2], ids[0]])] == [ids[2], ids[0]]


def test_show_all_feeds_count_as_matching(store: Store) -> None:
    url = "https://nato.example/rss"
    fid = store.sync_feeds([(url, "NATO", True)])[url]
    save(store, fid, entry(1))
    assert store.count_articles(ArticleQuery(matching=True)) == 1


def test_fts_index_follows_updates(store: Store) -> None:
    fid = feed(store)
    save(store, fid, entry(1, body="Ankara ratification"))
    hit = "SELECT rowid FROM article_fts WHERE article_fts MATCH ?"
    assert len(store.execute(hit, ("ankara",))) == 1
    save(store, fid, entry(1, body="Budapest vote"))
    assert store.execute(hit, ("ankara",)) == []
    assert len(store.execute(hit, ("budapest",))) == 1
    # One GUID twice in one batch: the second version replaces the first in the same
    # transaction, and the index follows.
    save(store, fid, entry(2, body="Vilnius summit"), entry(2, body="Madrid summit"))
    assert store.execute(hit, ("vilnius",)) == []
    assert len(store.execute(hit, ("madrid",))) == 1
    store.execute("INSERT INTO article_fts(article_fts, rank) VALUES ('integrity-check', 1)")


def test_pending_articles_are_indexed_later_and_safe_to_edit_or_delete(store: Store) -> None:
    fid = feed(store)
    hit = "SELECT rowid FROM article_fts WHERE article_fts MATCH ?"
    kept, edited, dropped = store.save_entries(
        fid,
        [
            (entry(1, body="Ankara ratification"), NO_TOPIC),
            (entry(2, body="Budapest vote"), NO_TOPIC),
            (entry(3, body="Vilnius summit"), NO_TOPIC),
        ],
        now=NOW,
        index_now=False,
    ).new_ids
    assert store.execute(hit, ("ankara",)) == []  # not searchable yet
    # Editing or deleting an article the index does not hold yet must leave the index whole.
    store.set_body(edited, "Madrid summit", NO_TOPIC, None)
    store.write(lambda db: db.execute("DELETE FROM article WHERE id=?", (dropped,)))
    assert store.index_pending() == 2
    assert [r[0] for r in store.execute(hit, ("ankara",))] == [kept]
    assert [r[0] for r in store.execute(hit, ("madrid",))] == [edited]
    assert store.execute(hit, ("budapest OR vilnius",)) == []
    assert store.index_pending() == 0
    # Indexed articles follow edits and deletions through the triggers.
    store.set_body(kept, "Oslo accord", NO_TOPIC, None)
    store.write(lambda db: db.execute("DELETE FROM article WHERE id=?", (edited,)))
    assert [r[0] for r in store.execute(hit, ("oslo",))] == [kept]
    assert store.execute(hit, ("ankara OR madrid",)) == []
    store.execute("INSERT INTO article_fts(article_fts, rank) VALUES ('integrity-check', 1)")


def test_retention_keeps_starred(store: Store) -> None:
    fid = feed(store)
    ids = save(store, fid, entry(1), entry(2)).new_ids
    store.set_starred(ids[0], True)
    assert store.prune(1, NOW + 3 * 86400) == 1
    assert [r.id for r in store.list_articles()] == [ids[0]]
    assert store.prune(0, NOW + 99 * 86400) == 0


def test_retopic_recomputes_under_new_rules(store: Store) -> None:
    fid = feed(store)
    save(store, fid, entry(1), entry(2))

    def classify(title: str, body: str) -> TopicResult:
        hit = title.endswith("1")
        return TopicResult(
            hit,
            2.0 if hit else 0.0,
            ("alliance",) if hit else (),
            (TopicScore("alliance", 2.0, hit),),
        )

    assert store.retopic(classify, "rules-v2") == 2
    assert store.count_articles(ArticleQuery(topic="alliance")) == 1
    assert store.retopic(classify, "rules-v2") == 0


def test_state_survives_reopen(tmp_path: Path) -> None:
    path = tmp_path / "db.sqlite3"
    with Store(path) as first:
        fid = feed(first)
        (article_id,) = save(first, fid, entry(1)).new_ids
        first.set_starred(article_id, True)
    with Store(path) as second:
        assert second.list_articles()[0].starred


def test_opening_waits_while_another_process_holds_the_new_file(tmp_path: Path) -> None:
    """Switching a new file to WAL needs it to itself, and SQLite does not wait for that by
    itself: a second natoread starting at the same moment must wait, not fail."""
    path = tmp_path / "natoread.sqlite3"
    holder = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    holder.execute("CREATE TABLE early(x)")  # the file exists, still in rollback-journal mode
    holder.execute("BEGIN IMMEDIATE")  # a writer's lock: SQLite fails the switch at once
    release = threading.Timer(0.3, holder.rollback)
    release.start()
    try:
        started = time.monotonic()
        with pytest.raises(StoreError, match="not a natoread database"):
            Store(path)  # it waited for the lock, then looked at the tables
        assert time.monotonic() - started >= 0.25
    finally:
        release.join()
        holder.close()
    holder = sqlite3.connect(path)
    assert holder.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    holder.close()


def test_many_first_opens_at_once_all_succeed(tmp_path: Path) -> None:
    """Eight connections creating one new store together: none sees another's half-made
    schema as foreign, none fails on the WAL switch (each failed a few trials in 40 before)."""
    for trial in range(40):
        path = tmp_path / f"{trial}.sqlite3"
        errors: list[str] = []

        def open_once(path: Path = path, errors: list[str] = errors) -> None:
            try:
                Store(path).close()
            except StoreError as exc:
                errors.append(str(exc))

        threads = [threading.Thread(target=open_once) for _ in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert errors == []


def test_foreign_database_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.sqlite3"
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE customers(id INTEGER)")
    with pytest.raises(StoreError, match="not a natoread database"):
        Store(path)


def test_newer_schema_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "new.sqlite3"
    with sqlite3.connect(path) as db:
        db.execute(f"PRAGMA user_version={SCHEMA_VERSION + 5}")
    with pytest.raises(StoreError, match="newer natoread"):
        Store(path)


def test_corrupt_file_is_reported_and_moved_aside(tmp_path: Path) -> None:
    path = tmp_path / "natoread.sqlite3"
    path.write_bytes(b"this is not sqlite at all" * 100)
    with pytest.raises(StoreError, match="reset-db"):
        Store(path)
    moved = move_aside(path)
    assert moved.exists() and not path.exists()
    assert moved.read_bytes().startswith(b"this is not sqlite")
    with Store(path) as fresh:
        assert fresh.integrity_ok()


def test_read_only_directory_gives_clear_error(tmp_path: Path) -> None:
    import os

    if os.geteuid() == 0:
        pytest.skip("root ignores directory permissions")
    ro = tmp_path / "ro"
    ro.mkdir()
    ro.chmod(0o500)
    with pytest.raises(StoreError):
        Store(ro / "natoread.sqlite3")


def test_deferred_quotes_are_extracted_on_first_read(store: Store) -> None:
    fid = feed(store)
    body = "“We are ready,” Stubb said."
    deferred = Analysis(TopicResult(False, 0.0, ()), (), quotes_done=False)
    (article_id,) = store.save_entries(
        fid, [(ParsedEntry("g", None, "Title", "", body, None), deferred)], now=NOW
    ).new_ids
    assert store.execute("SELECT COUNT(*) FROM quote")[0][0] == 0
    stored = store.get_article(article_id)  # the store only reads: the quotes are pending
    assert stored is not None and stored.quotes_pending and stored.quotes == ()
    detail = article_detail(store, article_id)
    assert detail is not None and not detail.quotes_pending
    assert [q.text for q in detail.quotes] == ["We are ready,"]
    assert detail.row.quote_count == 1
    assert store.execute("SELECT quotes_done FROM article WHERE id=?", (article_id,))[0][0] == 1


def test_retopic_in_small_batches_tags_each_outdated_article_once(store: Store) -> None:
    fid = feed(store)
    save(store, fid, *(entry(n) for n in range(7)))
    ids = [r.id for r in store.list_articles(limit=10)]
    # Two articles are already tagged under the new rules, between outdated ones.
    store.execute("UPDATE article SET rules_hash='v2' WHERE id IN (?, ?)", (ids[1], ids[4]))
    seen: list[str] = []
    reports: list[tuple[int, int]] = []

    def classify(title: str, body: str) -> TopicResult:
        seen.append(title)
        return TopicResult(False, 0.0, ())

    assert store.retopic(classify, "v2", batch=2, progress=lambda *r: reports.append(r)) == 5
    assert sorted(seen) == sorted(set(seen)) and len(seen) == 5
    assert reports == [(2, 5), (4, 5), (5, 5)]
    assert store.execute("SELECT COUNT(*) FROM article WHERE rules_hash IS NOT 'v2'")[0][0] == 0


def test_content_hash_normalises_case_and_spaces_alike_on_ascii_and_other_text() -> None:
    """The ASCII fast path (lower) must give the hash the general path (casefold) gives."""
    ascii_hash = content_hash("NATO  Summit", "Allies\n\n AGREE ")
    assert ascii_hash == content_hash("nato summit", "allies agree")
    expected = hashlib.sha1(b"nato summit allies agree").hexdigest()[:16]
    assert ascii_hash == expected
    # Non-ASCII text goes through casefold: "STRASSE" and "Straße" fold alike.
    assert content_hash("Straße", "x") == content_hash("STRASSE", "X")
    # ASCII with typographic marks (most news text) is lower-cased as UTF-8 bytes.
    marks = content_hash("NATO’s  “Summit”", "Allies —\n\n AGREE … ")
    normal = "nato’s “summit” allies — agree …".encode()
    assert marks == hashlib.sha1(normal).hexdigest()[:16]


_WHITESPACE = "".join(c for c in map(chr, range(0x3001)) if c.isspace())
_LETTERS = "aZß.ſΣς\x00\x7f\u200b" + "  \n\n" + "’“”‘•—–…«»£€·" * 2


@settings(max_examples=1000, deadline=None)
@given(
    st.text(alphabet=st.sampled_from(_WHITESPACE + _LETTERS)),
    st.text(alphabet=st.sampled_from(_WHITESPACE + _LETTERS)),
)
def test_content_hash_equals_the_split_and_join_definition(title: str, body: str) -> None:
    """The replace paths for text spaced only by spaces and newlines (folded as text, or as
    bytes when all but ASCII is typographic marks) must hash what folding, split() and
    join() give, for any whitespace (tab, no-break, ideographic space...)."""
    text = f"{title}\n{body}"
    normal = " ".join(text.casefold().split())
    assert content_hash(title, body) == hashlib.sha1(normal.encode("utf-8")).hexdigest()[:16]


def test_a_verdict_without_scores_is_encoded_like_any_other() -> None:
    empty = TopicResult(matched=False, score=0.0, topics=())
    assert encode_topics(empty) == json.dumps({"scores": [], "spans": []}, separators=(",", ":"))


def test_a_sqlite_failure_leaves_the_store_as_a_store_error(store: Store) -> None:
    """Callers catch StoreError alone: no method lets a sqlite3 error through."""
    save(store, feed(store), entry(1))
    store.execute("DROP TABLE article_topic")
    with pytest.raises(StoreError, match="no such table: article_topic") as failure:
        store.topic_counts()
    assert not isinstance(failure.value, sqlite3.Error)
    with pytest.raises(StoreError, match="no such table"):
        store.list_articles(ArticleQuery(topic="nato"))
