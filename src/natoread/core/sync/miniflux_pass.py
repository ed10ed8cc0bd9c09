"""The sync pass's view of Miniflux: cursors are the last entry id stored and the latest
change time the server reported (its own clock, so the two machines' clocks never meet)."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence

from natoread.core.storage.sync import PendingChange, RemoteState
from natoread.core.sync.config import Credentials
from natoread.core.sync.miniflux import MinifluxClient
from natoread.core.sync.remote import RemoteEntry, RemoteFeed, Session


class MinifluxSync:
    """Miniflux through its REST API."""

    def __init__(self, session: Session, creds: Credentials) -> None:
        self.api = MinifluxClient(session, creds)
        self._last_id = 0
        self._latest_change = 0

    def feeds(self) -> list[RemoteFeed]:
        """The account's subscriptions."""
        return self.api.feeds()

    def changed_states(self, cursor: str | None) -> tuple[list[RemoteState], str | None]:
        """Flags of known entries changed since the cursor ("last id:change time")."""
        if cursor is None:
            return [], None
        last_id, _, since = cursor.partition(":")
        self._last_id = int(last_id or 0)
        self._latest_change = int(since or 0)
        states: list[RemoteState] = []
        # The cursor is whole seconds and the server's times are finer: `changed_after`
        # the cursor's second still returns the changes later in that second (applied
        # again, which is harmless) rather than missing them.
        for page in self.api.changed_after(self._latest_change, self._last_id):
            for entry in page:
                states.append(
                    RemoteState(entry.remote_id, entry.read, entry.starred, entry.changed)
                )
                self._latest_change = max(self._latest_change, entry.changed or 0)
        return states, f"{self._last_id}:{self._latest_change}"

    def new_entries(
        self, cursor: str | None, known: Callable[[], set[str]]
    ) -> Iterator[tuple[list[RemoteEntry], str]]:
        """Pages of entries after the last id stored, each with the cursor to save after it
        (`known` is not needed: the cursor says what is stored)."""
        if cursor is not None:
            last_id, _, since = cursor.partition(":")
            self._last_id = int(last_id or 0)
            self._latest_change = max(self._latest_change, int(since or 0))
        for page in self.api.entries_after(self._last_id):
            self._last_id = max(self._last_id, *(int(e.remote_id) for e in page))
            for entry in page:
                self._latest_change = max(self._latest_change, entry.changed or 0)
            yield page, f"{self._last_id}:{self._latest_change}"

    def edited_entries(self, feed: RemoteFeed) -> list[RemoteEntry]:
        """The stored entries of a feed whose document changed on the server (their content
        may have been rewritten), newest first."""
        return self.api.newest_entries(feed.remote_id, self._last_id)

    def send(self, changes: Sequence[PendingChange]) -> None:
        """Tell the server the flags changed here."""
        for value in (True, False):
            ids = [c.remote_id for c in changes if c.kind == "read" and c.value == value]
            if ids:
                self.api.set_read(ids, value)
        for change in changes:
            if change.kind == "starred":
                self.api.set_starred(change.remote_id, change.value)
