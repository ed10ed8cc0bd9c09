"""The reader's writes (star, read marks): kept as pending changes and written by a thread.

A key press changes the screen at once and records the change here; a thread worker writes the
pending changes with a short busy timeout and a few attempts. A change that cannot be written
(another process holds the write lock, the disk is full, the store is read-only) stays pending
and is written by a later attempt, so nothing the user did is lost and no key waits on a lock.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from natoread.core.errors import StoreError
from natoread.core.storage.records import ArticleRow
from natoread.core.storage.store import Store
from natoread.core.storage.storefile import file_identity
from natoread.core.text.sanitize import clean_line

READER_BUSY_MS = 100
"""Busy timeout of the reader's own connection: its writes are incidental (deferred quote
extraction, syncing the feed list) and may fail; a key must not wait on another writer."""
WRITE_BUSY_MS = 250
"""Busy timeout of each write attempt of the pending changes (on a thread)."""
WRITE_ATTEMPTS = 3
STORE_FAILURES: tuple[type[Exception], ...] = (StoreError,)
"""What a store read or write can raise (the store turns every SQLite error into a
StoreError): a message on the status line, never a crash."""


def failure_text(exc: BaseException, db_path: Path) -> str:
    """One line on a store failure, without the long database path in front."""
    text = str(exc) or type(exc).__name__
    prefix = f"{db_path}: "
    if text.startswith(prefix):
        text = text[len(prefix) :]
    return clean_line(text, 160)


@dataclass
class PendingChanges:
    """Star and read marks not yet written: article id → the value the user chose last."""

    starred: dict[int, bool] = field(default_factory=dict)
    read: dict[int, bool] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(self.starred or self.read)

    def __len__(self) -> int:
        return len(self.starred) + len(self.read)

    def star(self, article_id: int, starred: bool) -> None:
        """Record a star or unstar."""
        self.starred[article_id] = starred

    def mark_read(self, article_ids: Sequence[int], read: bool) -> None:
        """Record read (or unread) marks."""
        self.read.update(dict.fromkeys(article_ids, read))

    def take(self) -> PendingChanges:
        """Hand over every pending change (for a write attempt), leaving none here."""
        batch = PendingChanges(self.starred, self.read)
        self.starred, self.read = {}, {}
        return batch

    def restore(self, batch: PendingChanges) -> None:
        """Take back a batch that could not be written; changes made since it left win."""
        for article_id, starred in batch.starred.items():
            self.starred.setdefault(article_id, starred)
        for article_id, read in batch.read.items():
            self.read.setdefault(article_id, read)

    def clear(self) -> None:
        """Forget every pending change (their articles are gone with a replaced store)."""
        self.starred.clear()
        self.read.clear()

    def overlay(self, rows: list[ArticleRow]) -> list[ArticleRow]:
        """`rows` as the user sees them: pending changes applied over what is stored."""
        if not self:
            return rows
        shown: list[ArticleRow] = []
        for row in rows:
            starred = self.starred.get(row.id, row.starred)
            read = self.read.get(row.id, row.read)
            changed = starred != row.starred or read != row.read
            shown.append(replace(row, starred=starred, read=read) if changed else row)
        return shown

    def unread_view(self, unread: set[int]) -> set[int]:
        """The stored unread ids as the user sees them (pending read marks applied)."""
        if not self.read:
            return unread
        marked = {i for i, read in self.read.items() if read}
        unmarked = {i for i, read in self.read.items() if not read}
        return (unread - marked) | unmarked


@dataclass(frozen=True, slots=True)
class WriteOutcome:
    """How a write attempt of a batch ended: written, failed (error), or store replaced."""

    error: str | None = None
    replaced: bool = False


def write_changes(
    db_path: Path, identity: tuple[int, int] | None, batch: PendingChanges
) -> WriteOutcome:
    """Write a batch of changes in one transaction, on the calling (worker) thread.

    Nothing is written when the file at `db_path` is no longer the one the reader opened
    (`reset-db` moved it aside): the ids of the batch mean other articles, or none, there.
    """
    error = ""
    for _ in range(WRITE_ATTEMPTS):
        if identity is not None and file_identity(db_path) != identity:
            return WriteOutcome(replaced=True)
        try:
            with Store(db_path, busy_timeout_ms=WRITE_BUSY_MS) as store, store.transaction():
                for article_id, starred in batch.starred.items():
                    store.set_starred(article_id, starred)
                for value in (True, False):
                    ids = [i for i, read in batch.read.items() if read is value]
                    if ids:
                        store.set_read(ids, value)
            return WriteOutcome()
        except (StoreError, OSError) as exc:
            error = failure_text(exc, db_path)
    return WriteOutcome(error=error)
