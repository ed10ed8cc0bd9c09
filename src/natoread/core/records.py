"""Records the store returns: rows become these frozen dataclasses before they leave it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from natoread.core.models import Analysis, ParsedEntry, Quote, TopicResult


@dataclass(frozen=True, slots=True)
class FeedState:
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


@dataclass(frozen=True, slots=True)
class FetchRecord:
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


@dataclass(frozen=True, slots=True)
class FeedHealth:
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


@dataclass(frozen=True, slots=True)
class ArticleRow:
    """One row of the article list."""

    id: int
    feed_id: int
    feed_title: str
    title: str
    link: str | None
    published: datetime
    read: bool
    starred: bool
    matched: bool
    score: float
    topics: tuple[str, ...]
    quote_count: int


@dataclass(frozen=True, slots=True)
class ArticleDetail:
    """One article with its text, topic analysis and quotes."""

    row: ArticleRow
    author: str
    body: str
    links: tuple[str, ...]
    analysis: TopicResult
    quotes: tuple[Quote, ...]
    fulltext_note: str | None

    @property
    def document(self) -> str:
        """The analysed text: all spans and quote offsets index into it."""
        return f"{self.row.title}\n{self.body}"


@dataclass(frozen=True, slots=True)
class ArticleQuery:
    """Filters for listing articles; newest first."""

    unread: bool = False
    starred: bool = False
    matching: bool = False
    """Only topic matches (plus feeds configured with show = "all")."""
    feed: str | None = None
    """A feed URL or title."""
    feed_id: int | None = None
    topic: str | None = None
    article_ids: tuple[int, ...] | None = None
    since: int | None = None


@dataclass(frozen=True, slots=True)
class PreparedEntry:
    """A parsed, analysed entry with every value of its rows that needs no database.

    Writers prepare a feed's entries before they take the write lock, so the lock is held
    for SQL only.
    """

    entry: ParsedEntry
    analysis: Analysis
    digest: str
    """`content_hash` of title and body."""
    links: str
    """The entry's links as JSON."""
    verdict: str
    """The topic verdict as JSON (`_encode_topics`)."""
    speaker_keys: tuple[str | None, ...]
    """The speaker key of each quote."""


@dataclass(frozen=True, slots=True)
class SaveResult:
    """What saving one feed's entries changed."""

    new_ids: tuple[int, ...] = ()
    updated: int = 0
    new_index: tuple[int, ...] = ()
    """For each new id, the index of its entry in the saved batch."""


@dataclass(frozen=True, slots=True)
class StoredQuote:
    """A quote with where and when it was published (the quote ledger)."""

    quote: Quote
    article_id: int
    article_title: str
    feed_title: str
    published: datetime


def to_epoch(value: datetime) -> int:
    """Aware datetime → integer seconds."""
    return int(value.timestamp())


def from_epoch(value: int | None) -> datetime | None:
    """Integer seconds → aware UTC datetime."""
    return None if value is None else datetime.fromtimestamp(value, UTC)
