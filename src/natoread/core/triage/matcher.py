"""A query evaluated on one article in memory: how rules judge a new article at ingest,
before anything is stored (a dropped article is never written).

It reads words as the search index does (SQLite FTS5's unicode61 tokenizer with diacritics
removed: letters and digits, any case), so a rule matches at ingest what `natoread rules
test` finds in the store.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field

from natoread.core.query import (
    TEXT_FIELDS,
    AllOf,
    AnyOf,
    Filter,
    Node,
    Not,
    Term,
    field_term,
    since_epoch,
)


def words(text: str) -> tuple[str, ...]:
    """The index's tokens of a text: runs of letters and digits, folded, without accents."""
    # lower(), not casefold(): the index keeps ß as ß; NFD, not NFKD: it keeps ligatures.
    folded = unicodedata.normalize("NFD", text.lower())
    plain = "".join(ch for ch in folded if not unicodedata.combining(ch))
    out: list[str] = []
    current: list[str] = []
    for ch in plain:
        if ch.isalnum():
            current.append(ch)
        elif current:
            out.append("".join(current))
            current = []
    if current:
        out.append("".join(current))
    return tuple(out)


@dataclass(slots=True)
class ArticleFacts:
    """What a query may ask about one article."""

    title: str
    body: str
    author: str = ""
    feed_url: str = ""
    feed_titles: tuple[str, ...] = ()
    feed_tags: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()
    matched: bool = False
    speaker_keys: tuple[str, ...] = ()
    published: int = 0
    read: bool = False
    starred: bool = False
    hidden: bool = False
    tags: set[str] = field(default_factory=set)
    _tokens: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def tokens(self, column: str) -> tuple[str, ...]:
        """The tokens of the title or the body (once each)."""
        if column not in self._tokens:
            self._tokens[column] = words(self.title if column == "title" else self.body)
        return self._tokens[column]


def _has(tokens: Sequence[str], term: Term) -> bool:
    """Whether the tokens hold the term's words in a row (the last as a prefix, if asked)."""
    wanted = words(term.text)
    if not wanted:
        return False
    size = len(wanted)
    for start in range(len(tokens) - size + 1):
        if tokens[start] != wanted[0] and not (size == 1 and term.prefix):
            continue
        window = tokens[start : start + size]
        head_ok = all(a == b for a, b in zip(window[:-1], wanted[:-1], strict=True))
        last = window[-1]
        if head_ok and (last == wanted[-1] or (term.prefix and last.startswith(wanted[-1]))):
            return True
    return False


def _speaker(value: str, keys: Sequence[str]) -> bool:
    from natoread.core.analysis.quotes import speaker_key

    key = speaker_key(value.title() if value.islower() else value)
    surname, _, initial = key.rpartition(" ")
    if surname and " " not in surname and len(initial) == 1:
        return any(k in (key, surname) for k in keys)
    if " " in key:
        return key in keys
    return any(k == key or (k.startswith(key + " ") and len(k) == len(key) + 2) for k in keys)


def _filter(item: Filter, facts: ArticleFacts, now: float) -> bool:
    value = item.value
    folded = value.casefold()
    if item.field in TEXT_FIELDS:
        term = field_term(item)
        return term is not None and _has(facts.tokens(TEXT_FIELDS[item.field]), term)
    if item.field == "author":
        return folded in facts.author.casefold()
    if item.field == "feed":
        # As search: the whole URL, or a part of the title (of the URL when it has none).
        names = facts.feed_titles or (facts.feed_url,)
        return value == facts.feed_url or any(folded in name.casefold() for name in names)
    if item.field == "feedtag":
        return folded in {t.casefold() for t in facts.feed_tags}
    if item.field == "tag":
        return folded in {t.casefold() for t in facts.tags}
    if item.field == "topic":
        return folded in {t.casefold() for t in facts.topics}
    if item.field == "speaker":
        return _speaker(value, facts.speaker_keys)
    if item.field == "since":
        return facts.published >= since_epoch(value, now)
    state = {
        "unread": not facts.read,
        "read": facts.read,
        "starred": facts.starred,
        "matching": facts.matched,
        "hidden": facts.hidden,
    }
    return state.get(folded, False)


def matches(node: Node, facts: ArticleFacts, now: float) -> bool:
    """Whether an article matches a query."""
    if isinstance(node, Term):
        return _has(facts.tokens("title"), node) or _has(facts.tokens("body"), node)
    if isinstance(node, Filter):
        return _filter(node, facts, now)
    if isinstance(node, Not):
        return not matches(node.child, facts, now)
    if isinstance(node, AllOf):
        return all(matches(child, facts, now) for child in node.children)
    if isinstance(node, AnyOf):
        return any(matches(child, facts, now) for child in node.children)
    raise AssertionError(node)  # pragma: no cover
