"""The orders an article list can take (`natoread list --sort`, the reader's sort key):
newest or oldest first, by topic score, by how many outlets carry the story, by feed, by title.

Every order ends in "newest first" to break ties, and each one is read from an index rather
than by sorting every article: the date index (undated articles after the dated ones, as
`ArticleReads.article_ids` lists them), the score and title indexes (schema 11), each feed's
date index in turn, or, for sources, the clustered articles of stories with more than one
outlet.
"""

from __future__ import annotations

import json
import sqlite3
from array import array
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from natoread.core.storage.records import ArticleQuery, ArticleRow
    from natoread.core.storage.store import Store

SORT_ORDERS = ("newest", "oldest", "score", "sources", "feed", "title")
"""Every order a list can take; the first is the default."""

NewestIds = Callable[[int], "array[int]"]
"""The matching ids newest first (all of them for -1, else at most that many)."""


def sorted_ids(
    store: Store, query: ArticleQuery | None, sort: str = "newest", limit: int = -1
) -> array[int]:
    """Ids of the articles matching `query` in the order `sort` names (`SORT_ORDERS`): all
    of them (`limit` -1), or the first `limit`. Raises ValueError for an unknown order."""
    if sort == "newest":
        return store.article_ids(query, limit)
    if sort not in SORT_ORDERS:
        raise ValueError(f"unknown sort order {sort!r}; expected one of {', '.join(SORT_ORDERS)}")
    where, params = store.where_clause(query)

    def newest(wanted: int) -> array[int]:
        return store.article_ids(query, wanted)

    return store.read(lambda db: _ordered(db, where, params, sort, limit, newest))


def sorted_rows(
    store: Store, query: ArticleQuery | None, sort: str = "newest", limit: int = 50
) -> list[ArticleRow]:
    """The rows of `sorted_ids` (what `natoread list --sort` prints)."""
    return store.rows_by_ids(sorted_ids(store, query, sort, limit))


def _ordered(
    db: sqlite3.Connection,
    where: str,
    params: list[object],
    sort: str,
    limit: int,
    newest: NewestIds,
) -> array[int]:
    """`sorted_ids` for every order but newest, on one connection."""
    if sort == "oldest":
        return _oldest(db, where, params, limit)
    if sort == "score":
        order = " ORDER BY a.score DESC, a.published DESC, a.id DESC"
        return _read(db, f"SELECT a.id FROM article a{where}{order} LIMIT ?", [*params, limit])
    if sort == "title":
        order = " ORDER BY a.title COLLATE NOCASE, a.published DESC, a.id DESC"
        return _read(db, f"SELECT a.id FROM article a{where}{order} LIMIT ?", [*params, limit])
    if sort == "feed":
        return _by_feed(db, where, params, limit)
    return _by_sources(db, where, params, limit, newest)


def _oldest(db: sqlite3.Connection, where: str, params: list[object], limit: int) -> array[int]:
    """Oldest first, undated articles last (they carry their fetch time as their date: see
    `ArticleReads.article_ids`, which this mirrors in the other direction)."""
    undated = _read(
        db,
        "SELECT a.id FROM (SELECT id FROM article WHERE published = fetched) AS u"
        f" CROSS JOIN article a ON a.id = u.id{where} ORDER BY a.published, a.id",
        params,
    )
    wanted = limit + len(undated) if limit >= 0 else -1
    ids = _read(
        db,
        f"SELECT a.id FROM article a{where} ORDER BY a.published, a.id LIMIT ?",
        [*params, wanted],
    )
    if undated:
        skipped = set(undated)
        ids = array("q", (i for i in ids if i not in skipped))
        ids.extend(undated)
    return ids[:limit] if limit >= 0 else ids


def _read(db: sqlite3.Connection, sql: str, params: list[object]) -> array[int]:
    """The first column of every row, as compact ids."""
    ids: array[int] = array("q")
    cursor = db.execute(sql, params)
    while chunk := cursor.fetchmany(10_000):
        ids.extend(row[0] for row in chunk)
    return ids


def _and(where: str, clause: str) -> str:
    """`where` with one more condition."""
    return f"{where} AND {clause}" if where else f" WHERE {clause}"


def _by_feed(db: sqlite3.Connection, where: str, params: list[object], limit: int) -> array[int]:
    """Feeds by title (any case), each feed's articles newest first with undated ones last.

    One feed at a time through its date index, stopping once `limit` are found: a sort of
    every article by feed title would read every row for the first screen.
    """
    feeds = db.execute(
        "SELECT id FROM feed ORDER BY COALESCE(NULLIF(title,''), url) COLLATE NOCASE, id"
    ).fetchall()
    sql = (
        f"SELECT a.id FROM article a{_and(where, 'a.feed_id=?')}"
        " ORDER BY a.published = a.fetched, a.published DESC, a.id DESC LIMIT ?"
    )
    ids: array[int] = array("q")
    for (feed_id,) in feeds:
        room = -1 if limit < 0 else limit - len(ids)
        if room == 0:
            break
        ids.extend(_read(db, sql, [*params, feed_id, room]))
    return ids


def _by_sources(
    db: sqlite3.Connection, where: str, params: list[object], limit: int, newest: NewestIds
) -> array[int]:
    """Articles of stories carried by the most outlets first, each story's versions together
    (latest story first among equals, its versions newest first), then every other article
    newest first. Only matched articles are clustered into stories, so the first part is
    read from the story table, small beside the article table."""
    stories = db.execute(
        "SELECT s.story_id, COUNT(DISTINCT a.feed_id), MAX(a.published) FROM story s"
        " JOIN article a ON a.id = s.article_id GROUP BY s.story_id"
        " HAVING COUNT(DISTINCT a.feed_id) > 1"
    ).fetchall()
    rank = {int(r[0]): (-int(r[1]), -int(r[2]), -int(r[0])) for r in stories}
    members = db.execute(
        "SELECT a.id, s.story_id, a.published FROM story s JOIN article a ON a.id = s.article_id"
        f"{_and(where, 's.story_id IN (SELECT value FROM json_each(?))')}",
        [*params, json.dumps(list(rank))],
    ).fetchall()
    members.sort(key=lambda r: (*rank[int(r[1])], -int(r[2]), -int(r[0])))
    first = array("q", (int(r[0]) for r in members))
    if 0 <= limit <= len(first):
        return first[:limit]
    seen = set(first)
    rest = newest(-1 if limit < 0 else limit + len(first))
    first.extend(i for i in rest if i not in seen)
    return first[:limit] if limit >= 0 else first
