"""The `/` search and saved searches (`natoread.core.storage.search`), and where its terms are.

The query language (phrases, OR, NOT, `speaker:`, `topic:`, `feed:`, `since:`, `is:`) lives
in the core; this module runs it for the list and finds the searched words in an article so
the reader can highlight them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import NamedTuple

from natoread.core.config import Config
from natoread.core.query import KnownNames, QueryError, Term, check_query, parse_query, sought_terms
from natoread.core.storage.search import SearchResult
from natoread.core.storage.search import search as core_search
from natoread.core.storage.store import Store
from natoread.core.triage.rules import feed_tags_of

SEARCH_LIMIT = 2000
"""Most articles one search lists (best matches first, then shown newest first)."""


class ActiveSearch(NamedTuple):
    """The search behind the list: what was typed, the ids found, the terms to highlight."""

    text: str
    ids: tuple[int, ...]
    terms: tuple[Term, ...]


def run_search(
    store: Store, text: str, config: Config | None = None, limit: int = SEARCH_LIMIT
) -> SearchResult:
    """Run a query through the core search; errors come back in `SearchResult.error`.

    With the config, the query is first checked as `natoread search` checks it: an unknown
    topic or feed is an error naming the known ones, not an empty list.
    """
    if config is not None:
        try:
            check_query(text, known_names(config, store))
        except QueryError as exc:
            return SearchResult(error=str(exc))
    tags = None if config is None else feed_tags_of(config.feeds)
    return core_search(store, text, limit=limit, feed_tags=tags)


def known_names(config: Config, store: Store) -> KnownNames:
    """The topics of the config and the feeds of the config and the store."""

    def feeds() -> list[str]:
        names = [name for f in config.feeds for name in (f.title or f.url, f.url)]
        names.extend(name for h in store.feeds_health() for name in (h.title, h.url))
        return list(dict.fromkeys(names))

    return KnownNames(
        topics=[t.name for t in config.topics],
        feeds=feeds,
        feed_tags=sorted({tag for feed in config.feeds for tag in feed.tags}),
        tags=store.tag_names,
    )


def highlight_terms(text: str) -> tuple[Term, ...]:
    """The words and phrases a query looks for (not the excluded ones), with prefix flags."""
    try:
        return sought_terms(parse_query(text))
    except QueryError:
        return ()


def term_pattern(term: Term) -> re.Pattern[str]:
    """A case-insensitive pattern for a term as FTS5 matches it: whole words, any punctuation
    between the words of a phrase, and any word ending after a prefix (`weath*`)."""
    words = re.findall(r"\w+", term.text)
    body = r"[\W_]+".join(re.escape(word) for word in words)
    tail = r"\w*" if term.prefix else r"(?!\w)"
    return re.compile(rf"(?<!\w){body}{tail}", re.IGNORECASE)


def term_spans(text: str, terms: Sequence[Term]) -> list[tuple[int, int]]:
    """(start, end) of every occurrence of the terms in `text`, in order, not overlapping."""
    spans: list[tuple[int, int]] = []
    for term in terms:
        if not re.search(r"\w", term.text):
            continue
        spans.extend(match.span() for match in term_pattern(term).finditer(text))
    spans.sort()
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        elif end > start:
            merged.append((start, end))
    return merged
