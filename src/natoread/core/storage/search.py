"""Full-text search: a small query language compiled to one FTS5 MATCH plus SQL filters.

Syntax: words (all required), "quoted phrases", `OR`, `NOT word` or `-word`, parentheses,
`word*` (prefix), and filters `speaker:NAME`, `topic:NAME`, `feed:TITLE|URL`,
`since:YYYY-MM-DD` or `since:7d` (also `h`, `w`), `is:unread|read|starred|matching`.
Filter values may be quoted (`speaker:"Mark Rutte"`). Anything else, including stray
quotes, `*`, `-` and `:`, is searched for as plain text; user input never raises.
"""

from __future__ import annotations

import re
import sqlite3
import time
from dataclasses import dataclass
from datetime import UTC, datetime

from natoread.core.storage.store import Store

MAX_ATOMS = 64
"""Words, phrases and filters allowed in one query."""
MAX_DEPTH = 16
"""Deepest nesting of parentheses that is honoured."""
RANK_WINDOWS = (5_000, 40_000)
"""Newest-article windows tried in turn before ranking over the whole store (see _run)."""
FIELDS = frozenset({"speaker", "topic", "feed", "since", "is"})
_IS = {
    "unread": "a.read=0",
    "read": "a.read=1",
    "starred": "a.starred=1",
    "matching": "a.matched=1",
}
_DURATION = re.compile(r"^(\d{1,5})([hdw])$")
_UNITS = {"h": 3600, "d": 86400, "w": 7 * 86400}
_FIELD = re.compile(r"^([A-Za-z]+):(.*)$", re.DOTALL)
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")


@dataclass(frozen=True, slots=True)
class SearchResult:
    """Article ids, best match first, and the words and phrases to highlight."""

    ids: tuple[int, ...] = ()
    terms: tuple[str, ...] = ()
    error: str | None = None
    """Why nothing was searched (empty query, bad filter value); None on success."""


@dataclass(frozen=True, slots=True)
class Term:
    """A word or phrase to find in titles and bodies."""

    text: str
    prefix: bool = False


@dataclass(frozen=True, slots=True)
class Filter:
    """A `field:value` restriction."""

    field: str
    value: str


@dataclass(frozen=True, slots=True)
class Not:
    """Articles that do not match `child`."""

    child: Node


@dataclass(frozen=True, slots=True)
class AllOf:
    """Articles matching every child."""

    children: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class AnyOf:
    """Articles matching at least one child."""

    children: tuple[Node, ...]


Node = Term | Filter | Not | AllOf | AnyOf


class QueryError(Exception):
    """A query that cannot be run (its message is shown to the user)."""


# -- parsing -------------------------------------------------------------------------------


def tokenize(text: str) -> list[tuple[str, str]]:
    """Split a query into (kind, value) tokens: ( ) OR NOT - word phrase field."""
    text = _CONTROL.sub(" ", text)  # FTS5 strings end at NUL; no control belongs in a query
    tokens: list[tuple[str, str]] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch.isspace():
            i += 1
        elif ch in "()":
            tokens.append((ch, ch))
            i += 1
        elif ch == '"':
            end = text.find('"', i + 1)
            end = n if end < 0 else end
            tokens.append(("phrase", text[i + 1 : end]))
            i = end + 1
        elif ch == "-" and i + 1 < n and not text[i + 1].isspace() and text[i + 1] not in "-)":
            tokens.append(("-", "-"))
            i += 1
        else:
            start = i
            while i < n and not text[i].isspace() and text[i] not in '()"':
                i += 1
            word = text[start:i]
            field = _FIELD.match(word)
            if field and field.group(1).lower() in FIELDS:
                value = field.group(2)
                if not value and i < n and text[i] == '"':
                    end = text.find('"', i + 1)
                    end = n if end < 0 else end
                    value, i = text[i + 1 : end], end + 1
                if value.strip():
                    tokens.append(("field", f"{field.group(1).lower()}:{value.strip()}"))
                    continue
            kind = word if word in ("OR", "AND", "NOT") else "word"
            tokens.append((kind, word))
    return tokens


class _Parser:
    """Recursive descent over tokens; malformed input degrades to something sensible."""

    def __init__(self, tokens: list[tuple[str, str]]) -> None:
        self.tokens = tokens
        self.pos = 0
        self.atoms = 0

    def peek(self) -> str | None:
        return self.tokens[self.pos][0] if self.pos < len(self.tokens) else None

    def parse(self) -> Node | None:
        """The whole query (stray closing parentheses are ignored)."""
        parts: list[Node] = []
        while self.pos < len(self.tokens):
            node = self.any_of(0)
            if node is not None:
                parts.append(node)
            if self.peek() == ")":
                self.pos += 1
        return _combine(AllOf, parts)

    def any_of(self, depth: int) -> Node | None:
        branches = [self.all_of(depth)]
        while self.peek() == "OR":
            self.pos += 1
            branches.append(self.all_of(depth))
        return _combine(AnyOf, [b for b in branches if b is not None])

    def all_of(self, depth: int) -> Node | None:
        items: list[Node] = []
        while self.peek() not in (None, ")", "OR"):
            item = self.unary(depth)
            if item is not None:
                items.append(item)
        return _combine(AllOf, items)

    def unary(self, depth: int) -> Node | None:
        negate = False
        while self.peek() in ("NOT", "-"):
            negate = not negate
            self.pos += 1
        if self.peek() in (None, ")", "OR"):
            return None
        kind, value = self.tokens[self.pos]
        self.pos += 1
        node: Node | None
        if kind == "(":
            node = self.any_of(depth + 1) if depth < MAX_DEPTH else None
            if self.peek() == ")":
                self.pos += 1
        elif kind == "AND":
            node = None
        elif kind == "field":
            name, _, argument = value.partition(":")
            node = Filter(name, argument)
        else:
            node = _term(value, phrase=kind == "phrase")
        if node is not None and not isinstance(node, AllOf | AnyOf):
            self.atoms += 1
        return Not(node) if negate and node is not None else node


def _combine(kind: type[AllOf] | type[AnyOf], nodes: list[Node]) -> Node | None:
    """One node for a list of nodes (None when empty)."""
    if not nodes:
        return None
    return nodes[0] if len(nodes) == 1 else kind(tuple(nodes))


def _term(text: str, *, phrase: bool) -> Term | None:
    """A searchable term, or None when it has no letters or digits (FTS5 would find nothing)."""
    prefix = not phrase and text.endswith("*")
    text = text.rstrip("*") if prefix else text
    text = " ".join(text.split())
    if not any(ch.isalnum() for ch in text):
        return None
    return Term(text, prefix)


def parse_query(text: str) -> Node | None:
    """The query's syntax tree (None when it holds nothing to search for)."""
    parser = _Parser(tokenize(text))
    node = parser.parse()
    if parser.atoms > MAX_ATOMS:
        raise QueryError(f"query too long: at most {MAX_ATOMS} words, phrases and filters")
    return node


# -- compiling -----------------------------------------------------------------------------


def _quote(term: Term) -> str:
    """An FTS5 string literal (any characters are safe inside double quotes)."""
    literal = '"' + term.text.replace('"', '""') + '"'
    return literal + " *" if term.prefix else literal


def fts_expression(node: Node) -> str | None:
    """The FTS5 MATCH expression for a node made only of terms, or None."""
    if isinstance(node, Term):
        return _quote(node)
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


def _since(value: str, now: float) -> int:
    """since: value → epoch seconds."""
    value = value.strip().lower()
    if match := _DURATION.match(value):
        return int(now) - int(match.group(1)) * _UNITS[match.group(2)]
    try:
        day = datetime.strptime(value, "%Y-%m-%d").replace(tzinfo=UTC)
    except ValueError:
        raise QueryError(
            f"since:{value}: expected a date (2025-06-24) or an age such as 7d, 24h or 2w"
        ) from None
    return int(day.timestamp())


def _speaker_sql(name: str, params: list[object], ids: str) -> str:
    """Quotes by a speaker: the full name's key, or any first name with that surname."""
    from natoread.core.analysis.quotes.extract import speaker_key

    surname = name.split()[-1].title()
    # Surname keys are transliterated ("rute m"); a bare surname is kept as written ("rutte").
    stem = speaker_key(f"Zed {surname}").split(" ")[0]
    keys = {speaker_key(name), speaker_key(surname), stem}
    params.extend([*sorted(keys), f"{stem} ", f"{stem}!"])
    marks = ",".join("?" * len(keys))
    any_initial = "" if len(name.split()) > 1 else " OR (speaker_key >= ? AND speaker_key < ?)"
    if not any_initial:
        params[-2:] = []
    return f"{ids} IN (SELECT article_id FROM quote WHERE speaker_key IN ({marks}){any_initial})"


def _filter_sql(node: Filter, params: list[object], now: float, ids: str) -> str:
    """SQL condition on `a` (article) for a filter (`ids`: see `_sql`)."""
    if node.field == "speaker":
        return _speaker_sql(node.value, params, ids)
    if node.field == "topic":
        params.append(node.value)
        return f"{ids} IN (SELECT article_id FROM article_topic WHERE topic=? COLLATE NOCASE)"
    if node.field == "feed":
        like = node.value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        params.extend([node.value, f"%{like}%"])
        return (
            "a.feed_id IN (SELECT id FROM feed WHERE url=?"
            " OR COALESCE(NULLIF(title,''), url) LIKE ? ESCAPE '\\')"
        )
    if node.field == "since":
        params.append(_since(node.value, now))
        return "a.published>=?"
    condition = _IS.get(node.value.lower())
    if condition is None:
        raise QueryError(f"is:{node.value}: expected one of {', '.join(_IS)}")
    return condition


def _sql(node: Node, params: list[object], now: float, ids: str = "a.id") -> str:
    """A SQL condition on `a` for any node (terms become FTS sub-queries).

    `ids` is how conditions on a set of article ids name the article's id: "+a.id" keeps
    SQLite from reading the articles through such a set (see `compile_query`).
    """
    fts = fts_expression(node)
    if fts is not None:
        params.append(fts)
        return f"{ids} IN (SELECT rowid FROM article_fts WHERE article_fts MATCH ?)"
    if isinstance(node, Filter):
        return _filter_sql(node, params, now, ids)
    if isinstance(node, Not):
        return f"NOT ({_sql(node.child, params, now, ids)})"
    if isinstance(node, AllOf | AnyOf):
        joiner = " AND " if isinstance(node, AllOf) else " OR "
        return "(" + joiner.join(_sql(c, params, now, ids) for c in node.children) + ")"
    raise AssertionError(node)  # pragma: no cover


def highlight_terms(node: Node | None) -> tuple[str, ...]:
    """Words and phrases the user is looking for (not the excluded ones)."""
    found: list[str] = []

    def walk(item: Node) -> None:
        if isinstance(item, Term):
            found.append(item.text)
        elif isinstance(item, AllOf | AnyOf):
            for child in item.children:
                walk(child)

    if node is not None:
        walk(node)
    return tuple(dict.fromkeys(found))


@dataclass(frozen=True, slots=True)
class CompiledQuery:
    """SQL for a query; its last two parameters (lowest rowid, limit) are added when run."""

    sql: str
    params: tuple[object, ...]
    ranked: bool
    """True: ordered by bm25 (and restricted to rowid >= ?); False: newest first."""


def compile_query(node: Node, now: float) -> CompiledQuery:
    """SQL returning matching article ids: best bm25 rank first, or newest first."""
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
        where = "".join(f" AND {_sql(item, params, now)}" for item in rest)
        join = " JOIN article a ON a.id=article_fts.rowid" if rest else ""
        sql = (
            f"SELECT article_fts.rowid FROM article_fts{join} WHERE article_fts MATCH ?{where}"
            " AND article_fts.rowid >= ? ORDER BY article_fts.rank LIMIT ?"
        )
        return CompiledQuery(sql, tuple(params), ranked=True)
    # Newest first without ranking: SQLite would otherwise read every article of an id set
    # (14,000 quotes by one speaker: ~60 ms at 100,000 articles) and sort them; with "+a.id"
    # it walks the publication index and stops at the limit (~15 ms; at worst, when the set
    # is small and old, one pass over that index: ~7 ms).
    conditions = [_sql(item, params, now, ids="+a.id") for item in rest]
    if negative:
        conditions.append("a.id NOT IN (SELECT rowid FROM article_fts WHERE article_fts MATCH ?)")
        params.append(" OR ".join(negative))
    sql = (
        f"SELECT a.id FROM article a WHERE {' AND '.join(conditions)} AND a.id >= ?"
        " ORDER BY a.published DESC, a.id DESC LIMIT ?"
    )
    return CompiledQuery(sql, tuple(params), ranked=False)


def _run(store: Store, query: CompiledQuery, limit: int) -> list[int]:
    """Matching ids; ranked queries are ranked within the newest articles first.

    bm25 costs time for every match, so a query matching most of 100,000 articles is ranked
    over the newest RANK_WINDOWS[0] articles (news search favours recent stories); the window
    grows until it holds `limit` matches or covers the whole store.
    """
    if not query.ranked:
        return [int(r[0]) for r in store.execute(query.sql, (*query.params, 0, limit))]  # type: ignore[call-overload]
    newest = int(store.execute("SELECT COALESCE(MAX(id), 0) FROM article")[0][0])  # type: ignore[call-overload]
    for window in (*RANK_WINDOWS, newest + 1):
        lowest = max(0, newest - window + 1)
        rows = store.execute(query.sql, (*query.params, lowest, limit))
        if len(rows) >= limit or lowest == 0:
            return [int(r[0]) for r in rows]  # type: ignore[call-overload]
    return []  # pragma: no cover


def search(
    store: Store, query_text: str, limit: int = 50, now: float | None = None
) -> SearchResult:
    """Run a query; problems come back as `SearchResult.error`, never as exceptions."""
    try:
        node = parse_query(query_text)
        if node is None:
            return SearchResult(error='empty query: give words, "a phrase" or a filter')
        ids = _run(store, compile_query(node, time.time() if now is None else now), limit)
    except QueryError as exc:
        return SearchResult(error=str(exc))
    except sqlite3.Error as exc:
        return SearchResult(error=f"search failed: {exc}")
    return SearchResult(ids=tuple(ids), terms=highlight_terms(node))
