"""The search query language: words (all required), "quoted phrases", `OR`, `NOT word` or
`-word`, parentheses, `word*` (prefix), and filters `speaker:NAME`, `topic:NAME`,
`feed:TITLE|URL`, `feedtag:TAG` (a tag of the feed in feeds.toml), `tag:NAME` (an article
tag), `title:WORDS`, `text:WORDS` (the body only), `author:NAME`, `since:YYYY-MM-DD` or
`since:7d` (also `h`, `w`), `is:unread|read|starred|matching|hidden`.

Hidden articles (hidden by a rule) are left out of every search unless the query names
`is:hidden` (`names_hidden`). The same parser and validator serve search, rules, bulk
actions (`natoread mark`) and saved searches.

Filter values may be quoted (`speaker:"Mark Rutte"`). Anything else, including stray quotes,
`*`, `-` and `:`, is searched for as plain text. Parsing raises `QueryError` only for a query
that is too long or a filter with no value (`speaker:`); `check_query` also rejects filter
values that cannot match (an unknown topic or feed, `is:foo`, `since:soon`), so the reader,
`natoread search`, `natoread list` and saved searches share one grammar of errors. This
module only parses and validates (pure); `storage/search.py` compiles a query to SQL and
runs it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

MAX_ATOMS = 64
"""Words, phrases and filters allowed in one query."""
MAX_DEPTH = 16
"""Deepest nesting of parentheses that is honoured."""
FIELD_EXAMPLES = {
    "speaker": 'speaker:Rutte or speaker:"Mark Rutte"',
    "topic": "topic:accession",
    "feed": 'feed:"Kyiv Independent"',
    "since": "since:7d or since:2026-11-01",
    "is": "is:unread",
    "title": 'title:summit or title:"air defence"',
    "text": 'text:drone or text:"air defence"',
    "author": 'author:Smith or author:"Jane Smith"',
    "tag": "tag:later",
    "feedtag": "feedtag:baltic",
}
TEXT_FIELDS = {"title": "title", "text": "body"}
"""Filters searched in the full-text index, and the column each one searches."""
FIELDS = frozenset(FIELD_EXAMPLES)
IS_VALUES = ("unread", "read", "starred", "matching", "hidden")
"""The values of `is:`."""
SINCE_AGE = re.compile(r"^(\d{1,5})([hdw])$")
"""`since:` as an age: 24h, 7d, 2w."""
_FIELD = re.compile(r"^([A-Za-z]+):(.*)$", re.DOTALL)
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")


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
                # An empty value is kept so that parsing can reject it (`speaker:` alone
                # would otherwise search for the word "speaker").
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
    for item in filters(node):
        if not item.value:
            raise QueryError(f"{item.field}: needs a value, e.g. {FIELD_EXAMPLES[item.field]}")
    return node


def sought_terms(node: Node | None) -> tuple[Term, ...]:
    """The terms a query looks for (not the excluded ones), once each, in query order."""
    found: list[Term] = []

    def walk(item: Node) -> None:
        if isinstance(item, Term):
            found.append(item)
        elif isinstance(item, AllOf | AnyOf):
            for child in item.children:
                walk(child)

    if node is not None:
        walk(node)
    return tuple(dict.fromkeys(found))


def highlight_terms(node: Node | None) -> tuple[str, ...]:
    """Words and phrases the user is looking for (not the excluded ones)."""
    return tuple(dict.fromkeys(term.text for term in sought_terms(node)))


# -- validation ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class KnownNames:
    """The names a query's filters may use; None leaves that filter unchecked."""

    topics: Sequence[str] | None = None
    feeds: Callable[[], Sequence[str]] | None = None
    """Feed titles and URLs, asked for only when a query has a `feed:` filter."""
    feed_tags: Sequence[str] | None = None
    """The tags of the configured feeds (`feedtag:`)."""
    tags: Callable[[], Sequence[str]] | None = None
    """Article tags in the store (`tag:`); rules and bulk actions leave it None, since a
    rule may name a tag that another rule or a later `mark --tag` gives."""


def filters(node: Node | None) -> Iterator[Filter]:
    """Every filter in a query, excluded ones too, in query order."""
    if isinstance(node, Filter):
        yield node
    elif isinstance(node, Not):
        yield from filters(node.child)
    elif isinstance(node, AllOf | AnyOf):
        for child in node.children:
            yield from filters(child)


_AGE_UNITS = {"h": 3600, "d": 86400, "w": 7 * 86400}


def since_epoch(value: str, now: float) -> int:
    """A `since:` value (an age such as 7d, or a date) as epoch seconds at `now`; raises
    QueryError naming the value when it is neither."""
    from datetime import UTC, datetime

    text = value.strip().lower()
    if match := SINCE_AGE.match(text):
        return int(now) - int(match.group(1)) * _AGE_UNITS[match.group(2)]
    try:
        day = datetime.strptime(text, "%Y-%m-%d").replace(tzinfo=UTC)
    except ValueError:
        raise QueryError(
            f"since:{shown(value)}: expected a date (2025-06-24) or an age such as 7d, 24h or 2w"
        ) from None
    return int(day.timestamp())


def since_problem(value: str) -> str | None:
    """Why a `since:` value is not a date or an age, or None when it is one."""
    try:
        since_epoch(value, 0)
    except QueryError as problem:
        return str(problem)
    return None


def unknown_name(kind: str, value: str, known: Sequence[str], *, shown_at_most: int = 12) -> str:
    """ "unknown topic; did you mean 'x'? known: a, b, c" — one line, however many are known."""
    import difflib  # only for the message

    if not known:
        return f"unknown {kind}; none is known yet"
    by_folded = {name.casefold(): name for name in known}
    close = difflib.get_close_matches(value.casefold(), list(by_folded), n=1, cutoff=0.6)
    hint = f"did you mean '{shown(by_folded[close[0]])}'? " if close else ""
    names = ", ".join(shown(name) for name in known[:shown_at_most])
    more = f" and {len(known) - shown_at_most} more" if len(known) > shown_at_most else ""
    return f"unknown {kind}; {hint}known: {names}{more}"


def shown(value: str, limit: int = 80) -> str:
    """A user's or a feed's text as it may appear in a one-line message."""
    from natoread.core.text.sanitize import clean_line

    return clean_line(value, limit)


def titles_of(feed_names: Sequence[str]) -> list[str]:
    """The feed names worth listing in a message: titles, or the URLs when no feed has one."""
    return [name for name in feed_names if "://" not in name] or list(feed_names)


def filter_problem(item: Filter, known: KnownNames) -> str | None:
    """Why a filter cannot match anything, or None."""
    value = item.value
    if item.field == "is" and value.lower() not in IS_VALUES:
        return f"is:{shown(value)}: expected one of {', '.join(IS_VALUES)}"
    if item.field == "since":
        return since_problem(value)
    topics = known.topics
    if item.field == "topic" and topics is not None and not _names(value, topics, exact=True):
        return f"topic:{shown(value)}: {unknown_name('topic', value, topics)}"
    if item.field in TEXT_FIELDS and _term(value, phrase=True) is None:
        return f"{item.field}:{shown(value)}: needs a letter or digit to search for"
    feed_tags = known.feed_tags
    tagged = item.field == "feedtag" and feed_tags is not None
    if tagged and feed_tags is not None and not _names(value, feed_tags, exact=True):
        return f"feedtag:{shown(value)}: {unknown_name('feed tag', value, feed_tags)}"
    if item.field == "tag" and known.tags is not None:
        tags = known.tags()
        if not _names(value, tags, exact=True):
            return f"tag:{shown(value)}: {unknown_name('tag', value, tags)}"
    if item.field == "feed" and known.feeds is not None:
        # As the search matches: the whole URL, or a part of the title (any case).
        feeds = known.feeds()
        if value not in feeds and not _names(value, feeds, exact=False):
            return f"feed:{shown(value)}: {unknown_name('feed', value, titles_of(feeds))}"
    return None


def _names(value: str, names: Sequence[str], *, exact: bool) -> bool:
    """Whether `value` is one of `names` (exact) or a part of one, in any case."""
    folded = value.casefold()
    if exact:
        return any(folded == name.casefold() for name in names)
    return any(folded in name.casefold() for name in names)


def names_hidden(node: Node | None) -> bool:
    """Whether a query asks about hidden articles (`is:hidden`, or excludes them)."""
    return any(f.field == "is" and f.value.lower() == "hidden" for f in filters(node))


def field_term(item: Filter) -> Term | None:
    """The words a `title:` or `text:` filter looks for: a phrase, or a prefix (`title:nat*`)."""
    prefix = item.value.endswith("*") and " " not in item.value.strip()
    term = _term(item.value.rstrip("*") if prefix else item.value, phrase=True)
    return None if term is None else Term(term.text, prefix)


def check_query(text: str, known: KnownNames) -> Node | None:
    """Parse a query and check its filters; raises QueryError with the first problem."""
    node = parse_query(text)
    for item in filters(node):
        problem = filter_problem(item, known)
        if problem is not None:
            raise QueryError(problem)
    return node
