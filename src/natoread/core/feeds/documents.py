"""What a feed document holds once parsed and sanitised: the feed and its entries."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True, slots=True)
class ParsedEntry:
    """One item of a parsed feed, already sanitised to plain text."""

    guid: str | None
    link: str | None
    title: str
    author: str
    body: str
    published: datetime | None
    links: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ParsedFeed:
    """A parsed feed document."""

    title: str
    link: str | None
    entries: tuple[ParsedEntry, ...] = field(default_factory=tuple)
    kind: str = "rss"
    warning: str | None = None
    """Set when the document was broken and had to be repaired or recovered."""
