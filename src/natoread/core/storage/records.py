"""Article records the store returns and takes: rows become these frozen dataclasses.

Feed records are in `feeds/records.py`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from natoread.core.analysis.records import Analysis, Quote, TopicResult
from natoread.core.feeds.documents import ParsedEntry


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
    tags: tuple[str, ...] = ()
    """The article's tags, by name."""


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
    quotes_pending: bool = False
    """True while the article's quote extraction is deferred (see `core/reading.py`)."""

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
    hidden: bool = False
    """Only the articles rules hid (otherwise they are left out)."""
    tag: str | None = None
    """Only articles with this tag."""


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
    """The topic verdict as JSON (`encode_topics`)."""
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
    beside: tuple[str, str] = ("", "")
    """The characters the article printed just before and after the quote: its marks, if any."""
