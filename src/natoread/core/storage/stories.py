"""Story listings: stories by recency, an article's versions, a story's merged quotes."""

from __future__ import annotations

import json
from array import array
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from natoread.core.analysis.stories.quotes import MergedQuote, QuoteRow, merge_quotes
from natoread.core.analysis.stories.similarity import clean_title
from natoread.core.storage.records import ArticleQuery, ArticleRow
from natoread.core.storage.store import Store

__all__ = [
    "Story",
    "list_stories",
    "one_per_story",
    "source_counts",
    "story_id_of",
    "story_of",
    "story_quotes",
]


@dataclass(frozen=True, slots=True)
class Story:
    """One event as reported by one or more outlets."""

    story_id: int
    title: str
    article_ids: tuple[int, ...]
    """Every version, earliest first."""
    feeds: tuple[str, ...]
    """Titles of the feeds that carried it, in order of first report."""
    first_published: datetime
    latest_published: datetime
    sources: int
    """Number of distinct feeds."""


def _epoch(value: object) -> datetime:
    """Epoch seconds from SQLite → aware UTC datetime."""
    return datetime.fromtimestamp(int(value), UTC)  # type: ignore[call-overload]


def _rows(store: Store, sql: str, params: Sequence[object] = ()) -> list[tuple[Any, ...]]:
    """The rows of one query, read in one snapshot."""
    return store.read(lambda db: [tuple(r) for r in db.execute(sql, params)])


def list_stories(
    store: Store,
    min_sources: int = 1,
    limit: int = 50,
    query: ArticleQuery | None = None,
) -> list[Story]:
    """Stories with at least `min_sources` feeds, most recently updated first.

    With `query`, only stories with at least one article matching it are listed.
    """
    params: list[object] = []
    where = ""
    if query is not None and query != ArticleQuery():
        ids = list(store.article_ids(query))
        where = (
            " WHERE s.story_id IN (SELECT story_id FROM story"
            " WHERE article_id IN (SELECT value FROM json_each(?)))"
        )
        params.append(json.dumps(ids))
    heads = _rows(
        store,
        "SELECT s.story_id FROM story s JOIN article a ON a.id=s.article_id"
        f"{where} GROUP BY s.story_id HAVING COUNT(DISTINCT a.feed_id) >= ?"
        " ORDER BY MAX(a.published) DESC, s.story_id DESC LIMIT ?",
        (*params, min_sources, limit),
    )
    order = [int(r[0]) for r in heads]
    members: dict[int, list[tuple[Any, ...]]] = {i: [] for i in order}
    for row in _rows(
        store,
        "SELECT s.story_id, a.id, a.title, a.published, COALESCE(NULLIF(f.title,''), f.url),"
        " a.feed_id FROM story s JOIN article a ON a.id=s.article_id JOIN feed f ON f.id=a.feed_id"
        " WHERE s.story_id IN (SELECT value FROM json_each(?)) ORDER BY a.published, a.id",
        (json.dumps(order),),
    ):
        members[int(row[0])].append(row)
    stories = []
    for story_id in order:
        rows = members[story_id]
        stories.append(
            Story(
                story_id=story_id,
                title=clean_title(str(rows[0][2])),
                article_ids=tuple(int(r[1]) for r in rows),
                feeds=tuple(dict.fromkeys(str(r[4]) for r in rows)),
                first_published=_epoch(rows[0][3]),
                latest_published=_epoch(rows[-1][3]),
                sources=len({r[5] for r in rows}),
            )
        )
    return stories


def story_id_of(store: Store, article_id: int) -> int | None:
    """The story an article belongs to (None: not clustered yet, or no such article)."""
    rows = _rows(store, "SELECT story_id FROM story WHERE article_id=?", (article_id,))
    return int(rows[0][0]) if rows else None


def _member_ids(store: Store, story_id: int) -> list[int]:
    """Article ids of a story, earliest first."""
    rows = _rows(
        store,
        "SELECT a.id FROM story s JOIN article a ON a.id=s.article_id WHERE s.story_id=?"
        " ORDER BY a.published, a.id",
        (story_id,),
    )
    return [int(r[0]) for r in rows]


def story_of(store: Store, article_id: int) -> list[ArticleRow]:
    """Every outlet's version of the article's story, earliest first (just it if unclustered)."""
    story_id = story_id_of(store, article_id)
    ids = [article_id] if story_id is None else _member_ids(store, story_id)
    return store.rows_by_ids(ids)


def story_quotes(store: Store, story_id: int) -> list[MergedQuote]:
    """The story's quotes, each distinct quote once with every outlet that printed it."""
    ids = _member_ids(store, story_id)
    rows = _rows(
        store,
        "SELECT q.text, q.speaker, q.speaker_key, q.partial, a.id,"
        " COALESCE(NULLIF(f.title,''), f.url), a.published"
        " FROM quote q JOIN article a ON a.id=q.article_id JOIN feed f ON f.id=a.feed_id"
        " WHERE a.id IN (SELECT value FROM json_each(?)) ORDER BY a.published, a.id, q.start",
        (json.dumps(ids),),
    )
    quotes: list[QuoteRow] = [
        (str(r[0]), r[1], r[2], bool(r[3]), int(r[4]), str(r[5]), int(r[6])) for r in rows
    ]
    return merge_quotes(quotes)


def source_counts(store: Store, article_ids: Sequence[int]) -> dict[int, int]:
    """Article id → number of distinct feeds in its story, for the ids whose story has 2+."""
    if not article_ids:
        return {}
    rows = _rows(
        store,
        "SELECT s.article_id, COUNT(DISTINCT a.feed_id) FROM story s"
        " JOIN story m ON m.story_id = s.story_id JOIN article a ON a.id = m.article_id"
        " WHERE s.article_id IN (SELECT value FROM json_each(?))"
        " GROUP BY s.article_id HAVING COUNT(DISTINCT a.feed_id) > 1",
        (json.dumps(list(article_ids)),),
    )
    return {int(r[0]): int(r[1]) for r in rows}


def one_per_story(store: Store, ids: array[int]) -> array[int]:
    """`ids` with every story after its first (newest) listed version left out.

    Only stories with more than one article are read, so this costs one query over the
    clustered articles plus one pass over the ids.
    """
    rows = _rows(
        store,
        "SELECT article_id, story_id FROM story WHERE story_id IN"
        " (SELECT story_id FROM story GROUP BY story_id HAVING COUNT(*) > 1)",
    )
    story = {int(r[0]): int(r[1]) for r in rows}
    if not story:
        return ids
    seen: set[int] = set()
    kept: array[int] = array("q")
    for article_id in ids:
        key = story.get(article_id)
        if key is None:
            kept.append(article_id)
        elif key not in seen:
            seen.add(key)
            kept.append(article_id)
    return kept
