"""Full-text search: a parsed query (`natoread.core.query`) compiled to one FTS5 MATCH plus
SQL filters, and run newest-window first.

The query language's names are re-exported here, so `search` and what it takes come from one
place.
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass

from natoread.core.query import (
    MAX_ATOMS,
    MAX_DEPTH,
    TEXT_FIELDS,
    AllOf,
    AnyOf,
    Filter,
    Node,
    Not,
    QueryError,
    Term,
    field_term,
    highlight_terms,
    names_hidden,
    parse_query,
    since_epoch,
    tokenize,
)
from natoread.core.storage.store import Store

__all__ = [
    "MAX_ATOMS",
    "MAX_DEPTH",
    "RANK_WINDOWS",
    "AllOf",
    "AnyOf",
    "CompiledQuery",
    "Filter",
    "Node",
    "Not",
    "QueryError",
    "SearchResult",
    "Term",
    "compile_query",
    "fts_expression",
    "highlight_terms",
    "matching_ids",
    "parse_query",
    "search",
    "tokenize",
]

RANK_WINDOWS = (5_000, 40_000)
"""Newest-article windows tried in turn before ranking over the whole store (see _run)."""
_IS = {
    "unread": "a.read=0",
    "read": "a.read=1",
    "starred": "a.starred=1",
    "matching": "a.matched=1",
    "hidden": "a.hidden=1",
}
FeedTags = Mapping[str, Sequence[str]]
"""A feed tag (folded with `str.casefold`) → the URLs of the feeds that carry it (`feedtag:`)."""
SMALL_SET = 1_000
"""A filtered query whose filters leave at most this many articles is ranked over them alone
(see `_run`)."""


@dataclass(frozen=True, slots=True)
class SearchResult:
    """Article ids, best match first, and the words and phrases to highlight."""

    ids: tuple[int, ...] = ()
    terms: tuple[str, ...] = ()
    error: str | None = None
    """Why nothing was searched (empty query, bad filter value); None on success."""


# -- compiling -----------------------------------------------------------------------------


def _quote(term: Term) -> str:
    """An FTS5 string literal (any characters are safe inside double quotes)."""
    literal = '"' + term.text.replace('"', '""') + '"'
    return literal + " *" if term.prefix else literal


def fts_expression(node: Node) -> str | None:
    """The FTS5 MATCH expression for a node made only of terms, or None."""
    if isinstance(node, Term):
        return _quote(node)
    if isinstance(node, Filter) and node.field in TEXT_FIELDS:
        term = field_term(node)
        return None if term is None else f"{TEXT_FIELDS[node.field]} : {_quote(term)}"
    if isinstance(node, AnyOf):
        parts = [fts_expression(c) for c in node.children]
        return None if None in parts else "(" + " OR ".join(str(p) for p in parts) + ")"
    if isinstance(node, AllOf):
        positive = [fts_expression(c) for c in node.children if not isinstance(c, Not)]
        negative = [fts_expression(c.child) for c in node.children if isinstance(c, Not)]
        if not positive or None in positive or None in negative:
            return None
        text = "(" + " AND ".join(str(p) for p in positive) + ")"
        return text + (" NOT (" + " OR ".join(str(n) for n in negative) + ")" if negative else "")
    return None


def _speaker_sql(name: str, params: list[object], ids: str) -> str:
    """Articles quoting a person: the keys `quotes --speaker` and the ledger match too."""
    from natoread.core.storage.speakers import query_key, speaker_match_sql

    match = speaker_match_sql(query_key(name), params, "s.speaker_key", any_first_name=True)
    return f"{ids} IN (SELECT s.article_id FROM quote s WHERE {match})"


@dataclass(frozen=True, slots=True)
class _Scope:
    """What compiling a filter needs besides the filter: the time and the feeds' tags."""

    now: float
    feed_tags: FeedTags


def _like(value: str) -> str:
    """A LIKE pattern finding `value` anywhere (its own % and _ taken literally)."""
    return "%" + value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _filter_sql(node: Filter, params: list[object], scope: _Scope, ids: str) -> str:
    """SQL condition on `a` (article) for a filter (`ids`: see `_sql`)."""
    if node.field == "speaker":
        return _speaker_sql(node.value, params, ids)
    if node.field == "topic":
        params.append(node.value)
        return f"{ids} IN (SELECT article_id FROM article_topic WHERE topic=? COLLATE NOCASE)"
    if node.field == "tag":
        params.append(node.value)
        return f"{ids} IN (SELECT article_id FROM article_tag WHERE tag=?)"
    if node.field == "feed":
        params.extend([node.value, _like(node.value)])
        return (
            "a.feed_id IN (SELECT id FROM feed WHERE url=?"
            " OR COALESCE(NULLIF(title,''), url) LIKE ? ESCAPE '\\')"
        )
    if node.field == "feedtag":
        urls = scope.feed_tags.get(node.value.casefold(), ())
        if not urls:
            return "0"
        params.append(json.dumps(list(urls)))
        return "a.feed_id IN (SELECT id FROM feed WHERE url IN (SELECT value FROM json_each(?)))"
    if node.field == "author":
        # Authors are few: the distinct ones are found in their index, then their articles.
        params.append(_like(node.value))
        return (
            f"{ids} IN (SELECT id FROM article WHERE author IN (SELECT DISTINCT author"
            " FROM article WHERE author LIKE ? ESCAPE '\\'))"
        )
    if node.field in TEXT_FIELDS:  # only when it has nothing to search for
        return "0"
    if node.field == "since":
        params.append(since_epoch(node.value, scope.now))
        return "a.published>=?"
    condition = _IS.get(node.value.lower())
    if condition is None:
        raise QueryError(f"is:{node.value}: expected one of {', '.join(_IS)}")
    return condition


def _sql(node: Node, params: list[object], scope: _Scope, ids: str = "a.id") -> str:
    """A SQL condition on `a` for any node (terms become FTS sub-queries).

    `ids` is how conditions on a set of article ids name the article's id: "+a.id" keeps
    SQLite from reading the articles through such a set (see `compile_query`).
    """
    fts = fts_expression(node)
    if fts is not None:
        params.append(fts)
        return f"{ids} IN (SELECT rowid FROM article_fts WHERE article_fts MATCH ?)"
    if isinstance(node, Filter):
        return _filter_sql(node, params, scope, ids)
    if isinstance(node, Not):
        return f"NOT ({_sql(node.child, params, scope, ids)})"
    if isinstance(node, AllOf | AnyOf):
        joiner = " AND " if isinstance(node, AllOf) else " OR "
        return "(" + joiner.join(_sql(c, params, scope, ids) for c in node.children) + ")"
    raise AssertionError(node)  # pragma: no cover


_NOT_HIDDEN = "NOT IN (SELECT id FROM article WHERE hidden=1)"
"""Hidden articles are few and have their own index: excluded as a set, this costs no lookup
of each matching article."""


@dataclass(frozen=True, slots=True)
class CompiledQuery:
    """SQL for a query; its last parameters (the rowid range when ranked, the lowest rowid
    otherwise, and the limit) are added when run."""

    sql: str
    params: tuple[object, ...]
    ranked: bool
    """True: ordered by bm25 (and restricted to a rowid range); False: newest first."""
    filters: tuple[str, tuple[object, ...]] | None = None
    """For a ranked query with filters: SQL of the ids its filters alone leave (its limit
    parameter added when run; see `_run`)."""
    match: str = ""
    """The ranked query's FTS5 MATCH expression."""
    needs: tuple[tuple[str, tuple[object, ...]], ...] = ()
    """SQL that must find a row for the query to match anything (a topic or a speaker that
    has articles), each answered from an index (see `_run`)."""


_INDEXED = frozenset({"since", "feed", "feedtag", "tag", "author"})
"""Filters read from an index, cheaply however many articles they leave."""


def _probe(
    rest: Sequence[Node], scope: _Scope, hidden: bool
) -> tuple[str, tuple[object, ...]] | None:
    """SQL of the ids the indexed filters of a ranked query leave (its limit parameter added
    when run), or None when it has none. Topic and speaker sets are left out: reading all of
    a common topic's articles costs more than ranking with them."""
    chosen = [
        item
        for item in rest
        if isinstance(item, Filter)
        and (item.field in _INDEXED or (item.field == "is" and item.value.lower() in _CHEAP_IS))
    ]
    if not chosen:
        return None
    params: list[object] = []
    conditions = [_sql(item, params, scope) for item in chosen]
    if not hidden:
        conditions.append(f"a.id {_NOT_HIDDEN}")
    return f"SELECT a.id FROM article a WHERE {' AND '.join(conditions)} LIMIT ?", tuple(params)


_CHEAP_IS = frozenset({"hidden", "starred"})
"""`is:` values with an index of their own (few articles have them)."""


def _needs(rest: Sequence[Node]) -> Iterator[tuple[str, tuple[object, ...]]]:
    """Existence checks of the topic and speaker filters a ranked query requires: a topic or
    a speaker without articles makes the query match nothing, known at once."""
    from natoread.core.storage.speakers import query_key, speaker_match_sql

    for item in rest:
        if isinstance(item, Filter) and item.field == "topic":
            yield "SELECT 1 FROM article_topic WHERE topic=? COLLATE NOCASE LIMIT 1", (item.value,)
        elif isinstance(item, Filter) and item.field == "speaker":
            params: list[object] = []
            match = speaker_match_sql(
                query_key(item.value), params, "s.speaker_key", any_first_name=True
            )
            yield f"SELECT 1 FROM quote s WHERE {match} LIMIT 1", tuple(params)


def compile_query(node: Node, now: float, feed_tags: FeedTags | None = None) -> CompiledQuery:
    """SQL returning matching article ids: best bm25 rank first, or newest first.

    Hidden articles are left out unless the query names `is:hidden`.
    """
    scope = _Scope(now, feed_tags or {})
    hidden = names_hidden(node)
    items = list(node.children) if isinstance(node, AllOf) else [node]
    positive: list[str] = []
    negative: list[str] = []
    rest: list[Node] = []
    for item in items:
        if isinstance(item, Not) and (fts := fts_expression(item.child)) is not None:
            negative.append(fts)
        elif not isinstance(item, Not) and (fts := fts_expression(item)) is not None:
            positive.append(fts)
        else:
            rest.append(item)
    params: list[object] = []
    if positive:
        match = " AND ".join(positive)
        if negative:
            match = f"({match}) NOT ({' OR '.join(negative)})"
        params.append(match)
        where = "".join(f" AND {_sql(item, params, scope)}" for item in rest)
        if not hidden:
            where += f" AND article_fts.rowid {_NOT_HIDDEN}"
        join = " JOIN article a ON a.id=article_fts.rowid" if rest else ""
        sql = (
            f"SELECT article_fts.rowid FROM article_fts{join} WHERE article_fts MATCH ?{where}"
            " AND article_fts.rowid BETWEEN ? AND ? ORDER BY article_fts.rank LIMIT ?"
        )
        return CompiledQuery(
            sql,
            tuple(params),
            ranked=True,
            filters=_probe(rest, scope, hidden),
            match=match,
            needs=tuple(_needs(rest)),
        )
    # Newest first without ranking: SQLite would otherwise read every article of an id set
    # (all the quotes of a much-quoted speaker) and sort them; with "+a.id" it walks the
    # publication index and stops at the limit (at worst, when the set is small and old,
    # one pass over that index).
    conditions = [_sql(item, params, scope, ids="+a.id") for item in rest]
    if negative:
        conditions.append("a.id NOT IN (SELECT rowid FROM article_fts WHERE article_fts MATCH ?)")
        params.append(" OR ".join(negative))
    if not hidden:
        conditions.append(f"+a.id {_NOT_HIDDEN}")
    sql = (
        f"SELECT a.id FROM article a WHERE {' AND '.join(conditions)} AND a.id >= ?"
        " ORDER BY a.published DESC, a.id DESC LIMIT ?"
    )
    return CompiledQuery(sql, tuple(params), ranked=False)


def _matched_range(db: sqlite3.Connection, query: CompiledQuery) -> tuple[int, int] | None:
    """For a ranked query with filters, the rowids that can hold a match: None when nothing
    matches, else the lowest and highest.

    The filters alone are read first, from their indexes, capped: when they leave at most
    SMALL_SET articles (a `since:`, `feed:` or `tag:` that leaves few, or none), the words
    are matched among those alone (unranked, as a set), so words that match much under
    filters that match nothing cost no more than the filters.
    """
    newest = int(db.execute("SELECT COALESCE(MAX(id), 0) FROM article").fetchone()[0])
    if query.filters is None:
        return (0, newest)
    sql, params = query.filters
    found = [int(r[0]) for r in db.execute(sql, (*params, SMALL_SET + 1))]
    if not found:
        return None
    if len(found) > SMALL_SET:
        return (0, newest)
    low, high = min(found), max(found)
    matched = db.execute(
        "SELECT MIN(value), MAX(value) FROM json_each(?) WHERE value IN (SELECT rowid FROM"
        " article_fts WHERE article_fts MATCH ? AND rowid BETWEEN ? AND ?)",
        (json.dumps(found), query.match, low, high),
    ).fetchone()
    return None if matched[0] is None else (int(matched[0]), int(matched[1]))


def _run(db: sqlite3.Connection, query: CompiledQuery, limit: int) -> list[int]:
    """Matching ids; ranked queries are ranked within the newest articles first.

    bm25 costs time for every match, so a query matching most of 100,000 articles is ranked
    over the newest RANK_WINDOWS[0] articles (news search favours recent stories); the window
    grows until it holds `limit` matches or covers every article that can match
    (`_matched_range`).
    """
    if not query.ranked:
        return [int(r[0]) for r in db.execute(query.sql, (*query.params, 0, limit))]
    if any(db.execute(sql, params).fetchone() is None for sql, params in query.needs):
        return []
    bounds = _matched_range(db, query)
    if bounds is None:
        return []
    least, newest = bounds
    for window in (*RANK_WINDOWS, newest + 1):
        lowest = max(least, newest - window + 1)
        rows = db.execute(query.sql, (*query.params, lowest, newest, limit)).fetchall()
        if len(rows) >= limit or lowest == least:
            return [int(r[0]) for r in rows]
    return []  # pragma: no cover


def search(
    store: Store,
    query_text: str,
    limit: int = 50,
    now: float | None = None,
    feed_tags: FeedTags | None = None,
) -> SearchResult:
    """Run a query; problems come back as `SearchResult.error`, never as exceptions.

    `feed_tags` (`feedtag:`) comes from the config (`core.triage.rules.feed_tags_of`).
    """
    try:
        node = parse_query(query_text)
        if node is None:
            return SearchResult(error='empty query: give words, "a phrase" or a filter')
        compiled = compile_query(node, time.time() if now is None else now, feed_tags)
        # The raw connection: a SQLite error (an FTS5 limit) is reported in the result.
        ids = _run(store.sqlite_connection(), compiled, limit)
    except QueryError as exc:
        return SearchResult(error=str(exc))
    except sqlite3.Error as exc:
        return SearchResult(error=f"search failed: {exc}")
    return SearchResult(ids=tuple(ids), terms=highlight_terms(node))


def matching_ids(
    store: Store, node: Node, now: float, feed_tags: FeedTags | None = None
) -> list[int]:
    """Every article matching a query, unranked (rules and bulk actions), read in one
    snapshot."""
    scope = _Scope(now, feed_tags or {})
    params: list[object] = []
    conditions = [_sql(node, params, scope)]
    if not names_hidden(node):
        conditions.append(f"a.id {_NOT_HIDDEN}")
    sql = f"SELECT a.id FROM article a WHERE {' AND '.join(conditions)}"
    return store.read(lambda db: [int(r[0]) for r in db.execute(sql, params)])
