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
        self._latest_change_us = 0

    def feeds(self) -> list[RemoteFeed]:
        """The account's subscriptions."""
        return self.api.feeds()

    def changed_states(self, cursor: str | None) -> tuple[list[RemoteState], str | None]:
        """Flags of known entries changed since the cursor: "last id:change second:change
        microsecond" (older cursors lack the microseconds)."""
        if cursor is None:
            return [], None
        self._read_cursor(cursor)
        states: list[RemoteState] = []
        # `changed_after` takes whole seconds and returns what changed later in the cursor's
        # second too: the microseconds of the latest change read tell those apart.
        seen = self._latest_change_us
        for page in self.api.changed_since(self._latest_change, self._last_id, seen):
            for entry in page:
                states.append(
                    RemoteState(entry.remote_id, entry.read, entry.starred, entry.changed)
                )
                self._saw(entry)
        return states, self._cursor()

    def _read_cursor(self, cursor: str) -> None:
        last_id, _, rest = cursor.partition(":")
        since, _, since_us = rest.partition(":")
        self._last_id = max(self._last_id, int(last_id or 0))
        self._latest_change = max(self._latest_change, int(since or 0))
        self._latest_change_us = max(self._latest_change_us, int(since_us or 0))

    def _saw(self, entry: RemoteEntry) -> None:
        self._latest_change = max(self._latest_change, entry.changed or 0)
        self._latest_change_us = max(self._latest_change_us, entry.changed_us)

    def _cursor(self) -> str:
        return f"{self._last_id}:{self._latest_change}:{self._latest_change_us}"

    def new_entries(
        self, cursor: str | None, known: Callable[[], set[str]]
    ) -> Iterator[tuple[list[RemoteEntry], str]]:
        """Pages of entries after the last id stored, each with the cursor to save after it
        (`known` is not needed: the cursor says what is stored)."""
        if cursor is not None:
            self._read_cursor(cursor)
        for page in self.api.entries_after(self._last_id):
            self._last_id = max(self._last_id, *(int(e.remote_id) for e in page))
            for entry in page:
                self._saw(entry)
            yield page, self._cursor()

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
