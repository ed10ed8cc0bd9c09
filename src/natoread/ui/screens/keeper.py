"""The main screen's hold on its store: writes off the event loop, kept until written, and
a store file moved aside (`reset-db`) noticed and replaced by a new one."""

from __future__ import annotations

from array import array
from collections.abc import Sequence
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from natoread.core.storage.records import ArticleRow
from natoread.core.storage.store import Store
from natoread.ui.messages import ChangesWritten
from natoread.ui.store_writes import (
    READER_BUSY_MS,
    STORE_FAILURES,
    PendingChanges,
    WriteOutcome,
    failure_text,
    write_changes,
)

if TYPE_CHECKING:
    from natoread.ui.screens.main import MainScreen

TEND_S = 2.0
"""Seconds between checks that the store file is still the one open, and retries of pending
changes."""
NOT_SAVED = "not saved yet"
"""Marks the status-line message of changes waiting to be written."""
SIDEBAR_RECOUNT_S = 0.5
"""Seconds of quiet after a change before the sidebar counts are read again."""


class StoreKeeper:
    """Star and read marks: shown at once, written by a thread worker, retried until written."""

    def __init__(self, screen: MainScreen, db_path: Path) -> None:
        self.screen = screen
        self.db_path = db_path
        self.pending = PendingChanges()
        """Star and read marks shown but not yet written."""
        self.writing = False
        """A thread worker is writing a batch of the pending changes."""
        self.in_flight: PendingChanges | None = None
        """The batch being written, shown until its outcome is in."""

    def start(self) -> None:
        """Check the store, and retry what is pending, every `TEND_S` seconds."""
        self.screen.set_interval(TEND_S, self.tend_store)

    def flush_on_exit(self) -> None:
        """Quitting: one last attempt at the changes not yet written (waiting briefly)."""
        store = self.screen.store
        if self.pending and not store.replaced():
            write_changes(self.db_path, store.identity, self.pending.take())

    def overlay(self, rows: list[ArticleRow]) -> list[ArticleRow]:
        """`rows` as the user sees them: the batch being written and the pending changes
        applied over what is stored (a row read before the batch commits shows it too)."""
        if self.in_flight is not None:
            rows = self.in_flight.overlay(rows)
        return self.pending.overlay(rows)

    def unread_view(self, unread: set[int]) -> set[int]:
        """The stored unread ids as the user sees them (marks not yet written applied)."""
        if self.in_flight is not None:
            unread = self.in_flight.unread_view(unread)
        return self.pending.unread_view(unread)

    def change_starred(self, article_id: int, starred: bool) -> None:
        """Star or unstar an article: shown now, written in the background."""
        self.pending.star(article_id, starred)
        self.write_pending()

    def change_read(self, article_ids: Sequence[int], read: bool) -> None:
        """Mark articles read or unread: shown now, written in the background."""
        self.pending.mark_read(article_ids, read)
        self.write_pending()

    def write_pending(self) -> None:
        """Start writing the pending changes, unless a write is under way (it starts the next)."""
        if self.writing or not self.pending or self.store_replaced():
            return
        batch = self.pending.take()
        self.writing = True
        self.in_flight = batch
        self.screen.run_worker(
            partial(self._write_batch, batch, self.screen.store.identity),
            name="write changes",
            group="writes",
            thread=True,
            exit_on_error=False,
        )

    def _write_batch(self, batch: PendingChanges, identity: tuple[int, int] | None) -> None:
        """On the worker thread: write, and report how it went."""
        try:
            outcome = write_changes(self.db_path, identity, batch)
        except Exception as exc:  # an unforeseen failure must not lose the batch
            outcome = WriteOutcome(error=failure_text(exc, self.db_path))
        self.screen.post_message(ChangesWritten(batch, outcome))

    def changes_written(self, message: ChangesWritten) -> None:
        """A write attempt ended: retry later on failure, else write what came meanwhile."""
        screen = self.screen
        self.writing = False
        self.in_flight = None
        outcome = message.outcome
        if outcome.replaced:
            self.store_replaced()
            return
        if outcome.error is not None:
            self.pending.restore(message.batch)
            count = len(self.pending)
            noun = "change" if count == 1 else "changes"
            screen.update_status(error=f"{count} {noun} {NOT_SAVED} (retrying): {outcome.error}")
            return
        if NOT_SAVED in screen.status.error:
            screen.update_status(error="")
        screen.debounce.later("sidebar", SIDEBAR_RECOUNT_S, screen.listing.refresh_sidebar)
        self.write_pending()

    def tend_store(self) -> None:
        """Timer: notice a store moved aside; retry the changes not yet written."""
        if not self.store_replaced():
            self.write_pending()

    def store_replaced(self) -> bool:
        """When the store's file is no longer at its path (moved aside by `reset-db`), open
        the new one there and show it; True when that happened."""
        if not self.screen.store.replaced():
            return False
        try:
            store = Store(self.db_path, busy_timeout_ms=READER_BUSY_MS)
        except STORE_FAILURES as exc:
            reason = failure_text(exc, self.db_path)
            self.screen.update_status(error=f"the database was replaced: {reason}")
            return True
        self.replace_store(store)
        return True

    def replace_store(self, store: Store) -> None:
        """Show `store` instead of the current one (which screens still open may go on using)."""
        from natoread.ui.app import NatoreadApp

        screen = self.screen
        screen.store = store
        if isinstance(screen.app, NatoreadApp):
            screen.app.store = store
        # The ids of the changes not written, and of the article shown, name nothing here.
        self.pending.clear()
        self.in_flight = None
        screen.listing.feeds_synced = False
        screen.view.search = None
        screen.article_list.set_ids(array("q"))
        screen.call_later(screen.reader.show, None)
        screen.panes.set_pane("list")
        screen.listing.reload()
        screen.listing.refresh_sidebar()
        message = f"the database was moved aside; started a new one at {self.db_path}"
        screen.update_status(error=message)
        screen.notify(message, severity="warning", markup=False)
