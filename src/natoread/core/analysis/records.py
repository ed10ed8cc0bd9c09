"""What analysis makes of an article: topic scores and spans, quotes, and both together."""

from __future__ import annotations

from dataclasses import dataclass


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
class Analysis:
    """Topics and quotes computed for one article document."""

    topics: TopicResult
    quotes: tuple[Quote, ...] = ()
    quotes_done: bool = True
    """False when quote extraction was deferred (articles that match no topic)."""
