"""The main screen's hold on its store: writes off the event loop, kept until written, and
a store file moved aside (`reset-db`) noticed and replaced by a new one."""

from __future__ import annotations

from array import array
from collections.abc import Sequence
from functools import partial

from natoread.core.storage.store import Store
from natoread.ui.messages import ChangesWritten
from natoread.ui.screens.base import ReaderBase
from natoread.ui.store_writes import (
    READER_BUSY_MS,
    STORE_FAILURES,
    PendingChanges,
    WriteOutcome,
    failure_text,
    write_changes,
)

TEND_S = 2.0
"""Seconds between checks that the store file is still the one open, and retries of pending
changes."""
NOT_SAVED = "not saved yet"
"""Marks the status-line message of changes waiting to be written."""


class StoreKeeper(ReaderBase):
    """Star and read marks: shown at once, written by a thread worker, retried until written."""

    def on_mount(self) -> None:
        self.set_interval(TEND_S, self.tend_store)

    def on_unmount(self) -> None:
        """Quitting: one last attempt at the changes not yet written (waiting briefly)."""
        if self.pending and not self.store.replaced():
            write_changes(self.db_path, self.store.identity, self.pending.take())

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
        self.run_worker(
            partial(self._write_batch, batch, self.store.identity),
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
        self.post_message(ChangesWritten(batch, outcome))

    def on_changes_written(self, message: ChangesWritten) -> None:
        self.writing = False
        outcome = message.outcome
        if outcome.replaced:
            self.store_replaced()
            return
        if outcome.error is not None:
            self.pending.restore(message.batch)
            count = len(self.pending)
            noun = "change" if count == 1 else "changes"
            self.update_status(error=f"{count} {noun} {NOT_SAVED} (retrying): {outcome.error}")
            return
        if NOT_SAVED in self._status.error:
            self.update_status(error="")
        self.later("sidebar", 0.5, self.refresh_sidebar)
        self.write_pending()

    def tend_store(self) -> None:
        """Timer: notice a store moved aside; retry the changes not yet written."""
        if not self.store_replaced():
            self.write_pending()

    def store_replaced(self) -> bool:
        """When the store's file is no longer at its path (moved aside by `reset-db`), open
        the new one there and show it; True when that happened."""
        if not self.store.replaced():
            return False
        try:
            store = Store(self.db_path, busy_timeout_ms=READER_BUSY_MS)
        except STORE_FAILURES as exc:
            reason = failure_text(exc, self.db_path)
            self.update_status(error=f"the database was replaced: {reason}")
            return True
        self.replace_store(store)
        return True

    def replace_store(self, store: Store) -> None:
        """Show `store` instead of the current one (which screens still open may go on using)."""
        from natoread.ui.app import NatoreadApp

        self.store = store
        if isinstance(self.app, NatoreadApp):
            self.app.store = store
        # The ids of the changes not written, and of the article shown, name nothing here.
        self.pending.clear()
        self._feeds_synced = False
        self.search = None
        self.article_list.set_ids(array("q"))
        self.call_later(self.reader.show, None)
        self.set_pane("list")
        self.reload()
        self.refresh_sidebar()
        message = f"the database was moved aside; started a new one at {self.db_path}"
        self.update_status(error=message)
        self.notify(message, severity="warning", markup=False)
