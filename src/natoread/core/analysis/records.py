"""Frozen records shared by the core, the CLI and the UI."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True, slots=True)
class Span:
    """A topic term found in an article document (offsets into `title + "\\n" + body`)."""

    start: int
    end: int
    term: str
    topic: str


@dataclass(frozen=True, slots=True)
class TopicScore:
    """How strongly one topic matched an article, and the spans that made it match."""

    topic: str
    score: float
    matched: bool
    spans: tuple[Span, ...] = ()


@dataclass(frozen=True, slots=True)
class TopicResult:
    """The topic engine's verdict on one article."""

    matched: bool
    score: float
    topics: tuple[str, ...]
    scores: tuple[TopicScore, ...] = ()
    spans: tuple[Span, ...] = ()


@dataclass(frozen=True, slots=True)
class Quote:
    """One direct quotation; offsets cut the quoted words (without marks) out of the document."""

    text: str
    start: int
    end: int
    speaker: str | None
    partial: bool
    speaker_start: int | None = None
    speaker_end: int | None = None


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


@dataclass(frozen=True, slots=True)
class Analysis:
    """Topics and quotes computed for one article document."""

    topics: TopicResult
    quotes: tuple[Quote, ...] = ()
    quotes_done: bool = True
    """False when quote extraction was deferred (articles that match no topic)."""


@dataclass(frozen=True, slots=True)
class FetchLimits:
    """Politeness and safety limits for one poll pass."""

    concurrency: int = 16
    per_host: int = 4
    timeout_s: float = 20.0
    max_bytes: int = 10 * 2**20
    user_agent: str = "natoread"
