"""Records about feeds that the store keeps and the poll pass reads: fetch state, fetch
outcomes, health. (What a document holds once parsed is in `documents.py`: a pass in which
nothing changed never defines it.)

They are named tuples, not dataclasses: a cron pass reads and writes them, and would
otherwise import `dataclasses` (and `inspect`) to define them. Their annotations are
evaluated (no `from __future__ import annotations` here): `NamedTuple` compiles each one
that is a string, which costs more than the rest of defining the class.
"""

from datetime import UTC, datetime
from typing import NamedTuple


class FeedState(NamedTuple):
    """What the poller needs to know about a feed before fetching it."""

    id: int
    url: str
    etag: str | None
    last_modified: str | None
    body_hash: str | None
    last_fetch: int | None
    next_fetch: int | None
    retry_after: int | None
    error_count: int
    gone: bool
    last_status: int | None = None
    """The HTTP status of the last fetch that got an answer."""
    moved_to: str | None = None
    """Where the feed said it moved permanently (301/308), if it did."""


class FetchRecord(NamedTuple):
    """The outcome of one fetch, to be written on the feed row.

    `warning` notes a document that was broken but read; an `unchanged` (304) fetch keeps it.
    """

    feed_id: int
    now: int
    next_fetch: int
    ok: bool
    status: int | None = None
    error: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    body_hash: str | None = None
    retry_after: int | None = None
    gone: bool = False
    moved_to: str | None = None
    title: str | None = None
    site_url: str | None = None
    warning: str | None = None
    unchanged: bool = False


class FeedHealth(NamedTuple):
    """A feed's health for `natoread feeds` and the TUI sidebar."""

    id: int
    url: str
    title: str
    articles: int
    unread: int
    matching: int
    last_fetch: datetime | None
    last_success: datetime | None
    last_error: str | None
    last_status: int | None
    error_count: int
    has_etag: bool
    gone: bool
    moved_to: str | None
    retry_after: datetime | None

    @property
    def failing(self) -> bool:
        """True when the last attempt failed."""
        return self.error_count > 0 or self.gone


def to_epoch(value: datetime) -> int:
    """Aware datetime → integer seconds."""
    return int(value.timestamp())


def from_epoch(value: int | None) -> datetime | None:
    """Integer seconds → aware UTC datetime."""
    return None if value is None else datetime.fromtimestamp(value, UTC)
