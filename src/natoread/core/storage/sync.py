"""What a sync with a feed server keeps: the server's ids of feeds and entries, the cursors,
and the queue of read/star changes made here that the server has not been told yet.

The queue is filled by triggers on `article` (schema 13) for articles that came from the
server, so the reader, `natoread mark`, rules and undo are all covered without knowing about
sync. Applying the server's state writes `read`/`starred` too: those rows are removed from
the queue in the same transaction.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Mapping, Sequence
from typing import NamedTuple

from natoread.core.storage.connection import guard_sqlite_errors
from natoread.core.storage.store import Store

KINDS = ("read", "starred")


class RemoteState(NamedTuple):
    """An entry's read and starred flags as the server has them, and when it last changed
    them (None when the server does not say: then a change queued here wins)."""

    remote_id: str
    read: bool
    starred: bool
    changed: int | None = None


class PendingChange(NamedTuple):
    """The latest queued change of one flag of one entry."""

    remote_id: str
    kind: str
    value: bool
    upto: int
    """The queue row id up to which this change covers (older rows are superseded)."""


@guard_sqlite_errors
class SyncStore(Store):
    """A `Store` with the sync tables."""

    def cursor(self, account: str, name: str) -> str | None:
        """A sync cursor of `account` (None before the first sync of that account)."""
        return self.get_meta(f"sync:{name}:{account}")

    def set_cursor(self, account: str, name: str, value: str) -> None:
        """Remember a sync cursor."""
        self.set_meta(f"sync:{name}:{account}", value)

    def map_feeds(self, feeds: Sequence[tuple[str, str, str]]) -> dict[str, int]:
        """Ensure a feed row per server feed (remote id, url, title); remote id → feed id."""
        ids = self.sync_feeds((url, title, False) for _, url, title in feeds)

        def run(db: sqlite3.Connection) -> None:
            # A feed unsubscribed on the server leaves the list (its articles stay).
            kept = {remote_id for remote_id, _, _ in feeds}
            for (remote_id,) in db.execute("SELECT remote_id FROM sync_feed").fetchall():
                if remote_id not in kept:
                    db.execute("DELETE FROM sync_feed WHERE remote_id=?", (remote_id,))
            for remote_id, url, _ in feeds:
                db.execute(
                    "DELETE FROM sync_feed WHERE feed_id=? AND remote_id!=?", (ids[url], remote_id)
                )
                db.execute(
                    "INSERT INTO sync_feed(remote_id, feed_id) VALUES (?, ?) "
                    "ON CONFLICT(remote_id) DO UPDATE SET feed_id=excluded.feed_id",
                    (remote_id, ids[url]),
                )

        self.write(run)
        return {remote_id: ids[url] for remote_id, url, _ in feeds}

    def synced_feed_ids(self) -> dict[str, int]:
        """The server's feeds as last synced: remote id → feed id."""
        rows = self.read(
            lambda db: db.execute("SELECT remote_id, feed_id FROM sync_feed").fetchall()
        )
        return {str(remote_id): int(feed_id) for remote_id, feed_id in rows}

    def synced_feeds(self) -> list[tuple[str, str]]:
        """The URL and title of each of the server's feeds, as last synced."""
        rows = self.read(
            lambda db: db.execute(
                "SELECT feed.url, feed.title FROM sync_feed "
                "JOIN feed ON feed.id = sync_feed.feed_id "
                "ORDER BY feed.title COLLATE NOCASE, feed.url"
            ).fetchall()
        )
        return [(str(url), str(title)) for url, title in rows]

    def synced_feed_urls(self) -> list[str]:
        """The URLs of the server's feeds, as last synced."""
        return [url for url, _ in self.synced_feeds()]

    def link_entries(self, feed_id: int, guids: Mapping[str, str]) -> dict[str, int]:
        """Record which stored article each server entry (remote id → guid) became."""
        found: dict[str, int] = {}

        def run(db: sqlite3.Connection) -> None:
            by_guid = {guid: remote_id for remote_id, guid in guids.items()}
            wanted = list(by_guid)
            for start in range(0, len(wanted), 500):
                chunk = wanted[start : start + 500]
                marks = ",".join("?" * len(chunk))
                for article_id, guid in db.execute(
                    f"SELECT id, guid FROM article WHERE feed_id=? AND guid IN ({marks})",
                    (feed_id, *chunk),
                ):
                    found[by_guid[guid]] = int(article_id)
            db.executemany(
                "INSERT INTO sync_entry(remote_id, article_id) VALUES (?, ?) "
                "ON CONFLICT DO NOTHING",
                list(found.items()),
            )

        self.write(run)
        return found

    def apply_remote(
        self, states: Iterable[RemoteState], ruled: frozenset[int] = frozenset(), now: int = 0
    ) -> int:
        """Take the server's flags, except where a change queued here is later than the
        server's (the later change wins; a server that gives no time loses to a queued
        change). `ruled`: articles stored just now, whose read or star set by `[[rules]]`
        at ingest is kept and queued for the server (rules only ever set flags). Returns
        the articles whose flags changed."""
        changed = 0
        queue_rows: list[tuple[int, str, int]] = []

        def run(db: sqlite3.Connection) -> None:
            nonlocal changed
            (mark,) = db.execute("SELECT COALESCE(MAX(id), 0) FROM sync_outbox").fetchone()
            for state in states:
                row = db.execute(
                    "SELECT article_id FROM sync_entry WHERE remote_id=?", (state.remote_id,)
                ).fetchone()
                if row is None:
                    continue
                article_id = int(row[0])
                local = None
                if article_id in ruled:
                    local = db.execute(
                        "SELECT read, starred FROM article WHERE id=?", (article_id,)
                    ).fetchone()
                for kind, value in (("read", state.read), ("starred", state.starred)):
                    if local is not None and not value and local[KINDS.index(kind)]:
                        queue_rows.append((article_id, kind, now))
                        continue
                    queued = db.execute(
                        "SELECT MAX(made) FROM sync_outbox WHERE article_id=? AND kind=? AND id<=?",
                        (article_id, kind, mark),
                    ).fetchone()[0]
                    if queued is not None and (state.changed is None or queued >= state.changed):
                        continue  # the change made here is later: it is sent, not undone
                    if queued is not None:  # the server's change is later: ours is dropped
                        db.execute(
                            "DELETE FROM sync_outbox WHERE article_id=? AND kind=?",
                            (article_id, kind),
                        )
                    done = db.execute(
                        f"UPDATE article SET {kind}=? WHERE id=? AND {kind}!=?",
                        (int(value), article_id, int(value)),
                    )
                    changed += done.rowcount
            # Writing the server's state fired the queue's triggers: those rows are no change.
            db.execute("DELETE FROM sync_outbox WHERE id>?", (mark,))
            db.executemany(
                "INSERT INTO sync_outbox(article_id, kind, value, made) VALUES (?, ?, 1, ?)",
                queue_rows,
            )

        self.write(run)
        return changed

    def pending_changes(self) -> list[PendingChange]:
        """The queued changes, the latest per entry and flag, oldest first."""
        rows = self.read(
            lambda db: db.execute(
                "SELECT sync_entry.remote_id, o.kind, o.value, o.id FROM sync_outbox AS o "
                "JOIN sync_entry ON sync_entry.article_id = o.article_id "
                "WHERE o.id = (SELECT MAX(id) FROM sync_outbox "
                "              WHERE article_id = o.article_id AND kind = o.kind) "
                "ORDER BY o.id"
            ).fetchall()
        )
        return [PendingChange(str(r), str(k), bool(v), int(i)) for r, k, v, i in rows]

    def clear_sent(self, sent: Sequence[PendingChange]) -> None:
        """Forget the queued changes the server has taken (rows made since stay queued)."""

        def run(db: sqlite3.Connection) -> None:
            for change in sent:
                db.execute(
                    "DELETE FROM sync_outbox WHERE id<=? AND kind=? AND article_id="
                    "(SELECT article_id FROM sync_entry WHERE remote_id=?)",
                    (change.upto, change.kind, change.remote_id),
                )

        self.write(run)

    def content_hashes(self, feed_id: int, guids: Sequence[str]) -> dict[str, str]:
        """The stored `content_hash` of the articles of `feed_id` with these GUIDs."""
        rows = self.read(
            lambda db: db.execute(
                "SELECT guid, content_hash FROM article WHERE feed_id=? AND guid IN "
                "(SELECT value FROM json_each(?))",
                (feed_id, json.dumps(list(guids))),
            ).fetchall()
        )
        return {str(guid): str(digest) for guid, digest in rows}

    def feed_revisions(self, account: str) -> dict[str, str] | None:
        """Each server feed's revision at the last pass (None before the first)."""
        saved = self.cursor(account, "revisions")
        return None if saved is None else dict(json.loads(saved))

    def set_feed_revisions(self, account: str, revisions: Mapping[str, str]) -> None:
        """Remember the server feeds' revisions."""
        self.set_cursor(account, "revisions", json.dumps(dict(revisions), sort_keys=True))

    def forget_pruned(self, remote_ids: Iterable[str]) -> None:
        """Want these entries again although retention deleted them here (starred on the
        server since: the user keeps them)."""
        wanted = set(remote_ids)
        if not wanted:
            return
        rows = self.read(lambda db: db.execute("SELECT remote_id FROM sync_pruned").fetchall())
        again = [(r,) for (r,) in rows if str(r) in wanted]
        if again:
            self.write(
                lambda db: db.executemany("DELETE FROM sync_pruned WHERE remote_id=?", again)
            )

    def known_remote_ids(self) -> set[str]:
        """The server ids of the entries stored here, or deleted here by retention."""
        rows = self.read(
            lambda db: db.execute(
                "SELECT remote_id FROM sync_entry UNION ALL SELECT remote_id FROM sync_pruned"
            ).fetchall()
        )
        return {str(r) for (r,) in rows}

    def queued_count(self) -> int:
        """Rows in the queue (for tests and the summary line)."""
        return int(self._db.execute("SELECT COUNT(*) FROM sync_outbox").fetchone()[0])
