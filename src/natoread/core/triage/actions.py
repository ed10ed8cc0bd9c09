"""Bulk actions on articles and undo, shared by `natoread mark`/`natoread undo` and the
reader: pick the articles (a query, ids, or both), apply one mark, report how many changed.

Each call is one undo step in the store (`storage/triage.py`), so `undo_last` takes back a
whole bulk action at once.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from natoread.core.query import KnownNames, QueryError, check_query
from natoread.core.text.sanitize import clean_text

if TYPE_CHECKING:
    from natoread.core.storage.search import FeedTags
    from natoread.core.storage.store import Store
    from natoread.core.storage.triage import UndoStep

MARKS = ("read", "unread", "star", "unstar", "tag", "untag")
"""What a bulk action can do."""
TAG_MAX = 40
"""Longest tag name, in characters."""


@dataclass(frozen=True, slots=True)
class Mark:
    """One bulk action: a mark from MARKS, and for tag/untag the tag's name."""

    kind: str
    tag: str = ""

    def label(self) -> str:
        """How the undo log names it ("{n}" becomes the number changed): "tag {n} 'later'"."""
        if self.kind in ("read", "unread"):
            return "mark {n} " + self.kind
        return f"{self.kind} {{n}}" + (f" '{self.tag}'" if self.tag else "")


def tag_problem(name: str) -> str | None:
    """Why a tag name cannot be used, or None."""
    if not name.strip():
        return "a tag needs a name"
    if len(name) > TAG_MAX:
        return f"a tag name has at most {TAG_MAX} characters"
    if any(ord(ch) < 32 or 0x7F <= ord(ch) < 0xA0 or ch in ',"' for ch in name):
        return "a tag name is one line without commas or double quotes"
    if clean_text(name) != name:
        # Bidi overrides and invisible characters would make one tag look like another.
        return "a tag name has no invisible or direction-changing characters"
    if name != name.strip():
        return "a tag name does not start or end with a space"
    return None


def select_articles(
    store: Store,
    query_text: str | None,
    article_ids: Sequence[int] = (),
    known: KnownNames | None = None,
    feed_tags: FeedTags | None = None,
    now: float | None = None,
) -> list[int]:
    """The articles a bulk action applies to: those matching the query (hidden ones only
    when it says `is:hidden`), limited to `article_ids` when both are given.

    Raises QueryError for a query that cannot run (the same checks as search).
    """
    from natoread.core.storage.search import matching_ids

    ids = list(dict.fromkeys(int(i) for i in article_ids))
    if query_text is None or not query_text.strip():
        stored = store.feed_ids_of(ids)  # ids of articles that are not stored are left out
        return [i for i in ids if i in stored]
    node = check_query(query_text, known or KnownNames())
    if node is None:
        raise QueryError('empty query: give words, "a phrase" or a filter')
    found = matching_ids(store, node, time.time() if now is None else now, feed_tags)
    if ids:
        wanted = set(found)
        return [i for i in ids if i in wanted]
    return found


def apply_mark(
    store: Store, article_ids: Sequence[int], mark: Mark, *, dry_run: bool = False
) -> int:
    """Apply a mark to articles as one undo step; returns how many articles it changed
    (with `dry_run`, would change)."""
    if mark.kind in ("tag", "untag"):
        problem = tag_problem(mark.tag)
        if problem is not None:
            raise ValueError(problem)
        add = mark.kind == "tag"
        return store.change_tag(article_ids, mark.tag, add, mark.label(), dry_run=dry_run)
    flag = "read" if mark.kind in ("read", "unread") else "starred"
    value = mark.kind in ("read", "star")
    return store.change_flag(article_ids, flag, value, mark.label(), dry_run=dry_run)


def undo_last(store: Store) -> UndoStep | None:
    """Undo the newest change (read, star, tag, bulk); None when there is nothing to undo."""
    return store.undo_last()
