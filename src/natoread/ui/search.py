"""Full-text search over titles and bodies through the store's FTS5 index."""

from __future__ import annotations

import sqlite3

from natoread.core.store import Store

SEARCH_LIMIT = 500


def fts_query(text: str) -> str | None:
    """User input → an FTS5 query of quoted phrases (AND-ed, last one a prefix), or None if empty.

    Every word becomes a phrase with its double quotes doubled, so operators, stray quotes and
    column filters in the input are matched as text and never parsed as FTS5 syntax.
    """
    words = text.split()
    if not words:
        return None
    phrases = ['"' + word.replace('"', '""') + '"' for word in words]
    if any(ch.isalnum() for ch in words[-1]):
        phrases[-1] += "*"
    return " ".join(phrases)


def search_ids(store: Store, text: str, limit: int = SEARCH_LIMIT) -> tuple[int, ...]:
    """Ids of the articles whose title or text match `text`, best first (at most `limit`)."""
    query = fts_query(text)
    if query is None:
        return ()
    try:
        rows = store.execute(
            "SELECT rowid FROM article_fts WHERE article_fts MATCH ? ORDER BY rank LIMIT ?",
            (query, limit),
        )
    except sqlite3.Error:
        return ()
    return tuple(int(row[0]) for row in rows)  # type: ignore[call-overload]
