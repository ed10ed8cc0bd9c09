"""Feed rows: one per configured feed, with its validators, schedule and health."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from typing import Any

from natoread.core.feeds.records import FeedHealth, FeedState, FetchRecord, from_epoch
from natoread.core.storage.connection import StoreConnection


class FeedRows(StoreConnection):
    """The `feed` table (a part of `Store`)."""

    def sync_feeds(self, feeds: Iterable[tuple[str, str | None, bool]]) -> dict[str, int]:
        """Ensure a row per (url, configured title, show_all); returns url → feed id."""
        rows = [(url, title or "", int(show_all)) for url, title, show_all in feeds]
        ids: dict[str, int] = {}
        if self.read_only:  # nothing can be added: the feeds stored already are the answer
            wanted = {url for url, _, _ in rows}
            stored = self.read(lambda db: db.execute("SELECT url, id FROM feed").fetchall())
            return {url: int(feed_id) for url, feed_id in stored if url in wanted}

        def run(db: sqlite3.Connection) -> None:
            db.executemany(
                "INSERT INTO feed(url, title, show_all) VALUES (?, ?, ?) "
                "ON CONFLICT(url) DO UPDATE SET show_all=excluded.show_all, "
                "title=CASE WHEN excluded.title != '' THEN excluded.title ELSE feed.title END",
                rows,
            )
            wanted = {url for url, _, _ in rows}
            ids.update(
                (url, int(feed_id))
                for url, feed_id in db.execute("SELECT url, id FROM feed")
                if url in wanted
            )

        self.write(run)
        return ids

    _STATE_SQL = (
        "SELECT id, url, etag, last_modified, body_hash, last_fetch, next_fetch, retry_after,"
        " error_count, gone, last_status, moved_to FROM feed"
    )

    def feed_state(self, feed_id: int) -> FeedState:
        """Validators and schedule of one feed."""
        row = self._db.execute(f"{self._STATE_SQL} WHERE id=?", (feed_id,)).fetchone()
        return self._state(row)

    def feed_states(self) -> dict[int, FeedState]:
        """Validators and schedule of every feed, by id (one query, for planning a pass)."""
        return {row[0]: self._state(row) for row in self._db.execute(self._STATE_SQL)}

    @staticmethod
    def _state(row: Sequence[Any]) -> FeedState:
        return FeedState(
            id=row[0],
            url=row[1],
            etag=row[2],
            last_modified=row[3],
            body_hash=row[4],
            last_fetch=row[5],
            next_fetch=row[6],
            retry_after=row[7],
            error_count=row[8],
            gone=bool(row[9]),
            last_status=row[10],
            moved_to=row[11],
        )

    def record_fetches(self, records: Sequence[FetchRecord]) -> None:
        """Write fetch outcomes on their feed rows, all in one transaction."""

        def run(db: sqlite3.Connection) -> None:
            for r in records:
                if r.ok:
                    db.execute(
                        "UPDATE feed SET last_fetch=?, last_success=?, next_fetch=?, error_count=0,"
                        " last_error=CASE WHEN ? AND error_count=0 THEN last_error ELSE ? END,"
                        " last_status=?, retry_after=NULL, gone=0,"
                        " etag=COALESCE(?, etag), last_modified=COALESCE(?, last_modified),"
                        " body_hash=COALESCE(?, body_hash), moved_to=COALESCE(?, moved_to),"
                        " title=CASE WHEN title='' AND ? IS NOT NULL THEN ? ELSE title END,"
                        " site_url=COALESCE(?, site_url) WHERE id=?",
                        (
                            r.now,
                            r.now,
                            r.next_fetch,
                            int(r.unchanged),
                            r.warning,
                            r.status,
                            r.etag,
                            r.last_modified,
                            r.body_hash,
                            r.moved_to,
                            r.title,
                            r.title,
                            r.site_url,
                            r.feed_id,
                        ),
                    )
                else:
                    db.execute(
                        "UPDATE feed SET last_fetch=?, next_fetch=?, error_count=error_count+1,"
                        " last_error=?, last_status=?, retry_after=?, gone=?,"
                        " moved_to=COALESCE(?, moved_to) WHERE id=?",
                        (
                            r.now,
                            r.next_fetch,
                            r.error,
                            r.status,
                            r.retry_after,
                            int(r.gone),
                            r.moved_to,
                            r.feed_id,
                        ),
                    )

        if records:
            self.write(run)

    def feeds_health(self, urls: Sequence[str] | None = None) -> list[FeedHealth]:
        """Health and counts per feed (all feeds, or those in `urls`, in that order)."""
        rows = self._db.execute(
            "SELECT f.id, f.url, f.title, COUNT(a.id), COALESCE(SUM(a.read=0),0),"
            " COALESCE(SUM(a.matched),0), f.last_fetch, f.last_success, f.last_error,"
            " f.last_status, f.error_count, f.etag IS NOT NULL OR f.last_modified IS NOT NULL,"
            " f.gone, f.moved_to, f.retry_after"
            " FROM feed f LEFT JOIN article a ON a.feed_id=f.id GROUP BY f.id ORDER BY f.id"
        ).fetchall()
        health = {
            row[1]: FeedHealth(
                id=row[0],
                url=row[1],
                title=row[2] or row[1],
                articles=row[3],
                unread=row[4],
                matching=row[5],
                last_fetch=from_epoch(row[6]),
                last_success=from_epoch(row[7]),
                last_error=row[8],
                last_status=row[9],
                error_count=row[10],
                has_etag=bool(row[11]),
                gone=bool(row[12]),
                moved_to=row[13],
                retry_after=from_epoch(row[14]),
            )
            for row in rows
        }
        if urls is None:
            return list(health.values())
        return [health[url] for url in urls if url in health]
