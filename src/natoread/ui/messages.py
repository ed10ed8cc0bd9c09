"""Messages the poll and full-text workers post to the main screen; handlers there own all state."""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message

from natoread.ui.store_writes import PendingChanges, WriteOutcome


@dataclass
class PollStarted(Message):
    """A poll pass began with `total` due feeds."""

    total: int


@dataclass
class _Progress(Message):
    """`done` of `total`; bursts of one kind coalesce into the latest."""

    done: int
    total: int

    def can_replace(self, message: Message) -> bool:
        """A newer progress report of the same kind makes an older pending one pointless."""
        return type(message) is type(self)


@dataclass
class PollProgress(_Progress):
    """`done` of `total` feeds have been polled."""


@dataclass
class RetagProgress(_Progress):
    """Before a poll: `done` of `total` stored articles re-tagged under changed topic rules."""


@dataclass
class ArticlesArrived(Message):
    """New articles were stored for one feed."""

    feed_url: str
    feed_title: str
    new_ids: tuple[int, ...]


@dataclass
class FeedFailed(Message):
    """One feed could not be polled."""

    feed_url: str
    feed_title: str
    error: str


@dataclass
class PollFinished(Message):
    """A poll pass ended (or had nothing to do)."""

    new_articles: int
    failed: int


@dataclass
class FulltextFetched(Message):
    """A full-text fetch ended for one article; `note` says what happened."""

    article_id: int
    note: str


@dataclass
class ChangesWritten(Message):
    """A write attempt of pending star/read changes ended (see `natoread.ui.store_writes`)."""

    batch: PendingChanges
    outcome: WriteOutcome
