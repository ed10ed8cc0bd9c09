"""Writing articles: de-duplication against stored ones, insert or update, topics, quotes.

An entry is the same article as a stored one when it has the same GUID, else the same link,
else the same content hash (`text/normalise.py`). Everything of a row that needs no database
is computed by `prepare_entries`, before a writer takes the write lock.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from natoread.core.feeds.records import to_epoch
from natoread.core.storage.connection import StoreConnection
from natoread.core.text.normalise import content_hash

if TYPE_CHECKING:
    from natoread.core.analysis.records import Analysis, Quote, TopicResult
    from natoread.core.feeds.documents import ParsedEntry
    from natoread.core.storage.records import PreparedEntry, SaveResult

_NO_TOPICS = '{"scores":[],"spans":[]}'
"""`encode_topics` of a verdict without scores (most articles), written without `json`."""
PRUNED_KEPT_S = 365 * 86400
"""How long the server id of a synced entry deleted by retention is remembered."""


def encode_topics(result: TopicResult) -> str:
    """A topic verdict as the compact JSON kept in `article.analysis`."""
    if not result.scores and not result.spans:
        return _NO_TOPICS
    return json.dumps(
        {
            "scores": [[s.topic, round(s.score, 3), s.matched] for s in result.scores],
            "spans": [[s.start, s.end, s.term, s.topic] for s in result.spans],
        },
        separators=(",", ":"),
    )


def speaker_keys(quotes: Sequence[Quote]) -> tuple[str | None, ...]:
    """The speaker key of each quote (None for unattributed quotes)."""
    from natoread.core.analysis.quotes import speaker_key

    return tuple(speaker_key(q.speaker) if q.speaker else None for q in quotes)


def prepare_entries(entries: Sequence[tuple[ParsedEntry, Analysis]]) -> list[PreparedEntry]:
    """Compute the database-free parts of the entries' rows (see `PreparedEntry`)."""
    from natoread.core.storage.records import PreparedEntry

    return [
        PreparedEntry(
            entry,
            analysis,
            content_hash(entry.title, entry.body),
            json.dumps(entry.links) if entry.links else "[]",
            encode_topics(analysis.topics),
            speaker_keys(analysis.quotes),
        )
        for entry, analysis in entries
    ]


_Match = tuple[int, str, str | None]


class _KnownArticles:
    """A feed's stored articles that a batch of entries may update: by GUID, link and hash.

    An entry is the same article as a stored one when it has the same GUID. Without a GUID
    the link identifies it. With an unknown GUID, unchanged content does (feeds that rotate
    GUIDs); the link alone does not, since many feeds give every item the same link.
    """

    def __init__(self) -> None:
        self.by_guid: dict[str, _Match] = {}
        self.by_link: dict[str, _Match] = {}
        self.by_hash: dict[str, _Match] = {}

    @classmethod
    def load(
        cls,
        db: sqlite3.Connection,
        feed_id: int,
        entries: Sequence[ParsedEntry],
        digests: Sequence[str],
    ) -> _KnownArticles:
        """Look up every candidate match of the batch in three indexed queries."""
        known = cls()
        sql = (
            "SELECT id, content_hash, guid, link FROM article WHERE feed_id=? AND {} IN"
            " (SELECT value FROM json_each(?))"
        )
        guids = [e.guid for e in entries if e.guid]
        links = [e.link for e in entries if e.link and not e.guid]
        for column, values in (("guid", guids), ("link", links), ("content_hash", digests)):
            if values:
                for row in db.execute(sql.format(column), (feed_id, json.dumps(values))):
                    known.remember(int(row[0]), row[1], row[2], row[3])
        return known

    def remember(self, article_id: int, digest: str, guid: str | None, link: str | None) -> None:
        """Index one stored article."""
        record = (article_id, digest, guid)
        if guid:
            self.by_guid.setdefault(guid, record)
        if link:
            self.by_link.setdefault(link, record)
        self.by_hash.setdefault(digest, record)

    def add(self, article_id: int, entry: ParsedEntry, digest: str) -> None:
        """Index an article this batch inserted (duplicate entries in one document)."""
        self.remember(article_id, digest, entry.guid, entry.link)

    def find(self, entry: ParsedEntry, digest: str) -> _Match | None:
        """(id, content hash, GUID) of the stored article this entry updates, if any."""
        if entry.guid and entry.guid in self.by_guid:
            return self.by_guid[entry.guid]
        if not entry.guid and entry.link and entry.link in self.by_link:
            return self.by_link[entry.link]
        return self.by_hash.get(digest)


def index_pending_rows(db: sqlite3.Connection) -> int:
    """Index every pending article for search (inside the caller's transaction)."""
    count = db.execute(
        "INSERT INTO article_fts(rowid, title, body) SELECT a.id, a.title, a.body"
        " FROM fts_pending p JOIN article a ON a.id = p.article_id ORDER BY p.article_id"
    ).rowcount
    db.execute("DELETE FROM fts_pending")
    return int(count)


def published_epoch(entry: ParsedEntry, now: int) -> int:
    """The publication time stored for an entry: its date, before `now` (the fetch time), or
    `now` itself when it has none, which lists it after the dated ones (`LISTING_ORDER`)."""
    return min(to_epoch(entry.published), now - 1) if entry.published else now


class ArticleWrites(StoreConnection):
    """Writes to the `article`, `article_topic`, `quote` and search tables (a part of `Store`)."""

    def index_pending(self) -> int:
        """Add the articles saved since the last call to the search index; returns how many.

        One statement for all of them: FTS5 then writes large segments once instead of a
        small one (and its merges) per feed. Poll passes call this for every INDEX_BATCH
        articles and when they end.
        """
        count = 0

        def run(db: sqlite3.Connection) -> None:
            nonlocal count
            count = index_pending_rows(db)

        if self._db.execute("SELECT 1 FROM fts_pending LIMIT 1").fetchone() is not None:
            self.write(run)
        return count

    def pending_count(self) -> int:
        """Articles waiting for `index_pending`."""
        return int(self._db.execute("SELECT COUNT(*) FROM fts_pending").fetchone()[0])

    def save_entries(
        self,
        feed_id: int,
        entries: Sequence[tuple[ParsedEntry, Analysis]],
        *,
        now: int,
        rules_hash: str = "",
        index_now: bool = True,
    ) -> SaveResult:
        """Insert new entries and update changed ones in place, in one transaction.

        An entry is the same article as a stored one when it has the same GUID, else the same
        link, else the same content hash (feeds that rotate GUIDs do not grow the store).
        With `index_now` False, new articles wait for `index_pending` to become searchable.
        """
        return self.save_prepared(
            feed_id, prepare_entries(entries), now=now, rules_hash=rules_hash, index_now=index_now
        )

    def new_entries(self, feed_id: int, entries: Sequence[PreparedEntry]) -> list[int]:
        """Indexes of the entries no stored article matches (what `save_prepared` would
        insert now; a read, so another writer may still change the answer)."""
        known = self.read(
            lambda db: _KnownArticles.load(
                db, feed_id, [p.entry for p in entries], [p.digest for p in entries]
            )
        )
        return [i for i, p in enumerate(entries) if known.find(p.entry, p.digest) is None]

    def save_prepared(
        self,
        feed_id: int,
        entries: Sequence[PreparedEntry],
        *,
        now: int,
        rules_hash: str = "",
        index_now: bool = True,
    ) -> SaveResult:
        """`save_entries` for entries prepared by `prepare_entries`."""
        from natoread.core.storage.records import SaveResult

        new_ids: list[int] = []
        new_index: list[int] = []
        updated = 0

        def run(db: sqlite3.Connection) -> None:
            nonlocal updated
            known = _KnownArticles.load(
                db, feed_id, [p.entry for p in entries], [p.digest for p in entries]
            )
            for index, prepared in enumerate(entries):
                entry, digest = prepared.entry, prepared.digest
                existing = known.find(entry, digest)
                if existing is None:
                    article_id = self._insert_article(db, feed_id, prepared, now, rules_hash)
                    new_ids.append(article_id)
                    new_index.append(index)
                    known.add(article_id, entry, digest)
                    continue
                article_id, old_hash, old_guid = existing
                if old_hash == digest and (entry.guid is None or old_guid == entry.guid):
                    continue
                if old_hash == digest:
                    db.execute("UPDATE article SET guid=? WHERE id=?", (entry.guid, article_id))
                    continue
                db.execute(
                    "UPDATE article SET guid=COALESCE(?, guid), link=COALESCE(?, link),"
                    " title=?, author=?, body=?, links=?, content_hash=? WHERE id=?",
                    (
                        entry.guid,
                        entry.link,
                        entry.title,
                        entry.author,
                        entry.body,
                        prepared.links,
                        digest,
                        article_id,
                    ),
                )
                updated += 1
                self._write_analysis(db, article_id, prepared.analysis, rules_hash)
            if index_now and new_ids:
                index_pending_rows(db)

        self.write(run)
        return SaveResult(tuple(new_ids), updated, tuple(new_index))

    def _insert_article(
        self,
        db: sqlite3.Connection,
        feed_id: int,
        prepared: PreparedEntry,
        now: int,
        rules_hash: str,
    ) -> int:
        """Insert a new article with its verdict and quotes; returns its id."""
        entry, analysis = prepared.entry, prepared.analysis
        topics = analysis.topics
        cursor = db.execute(
            "INSERT INTO article(feed_id, guid, link, title, author, body, links, published,"
            " fetched, content_hash, matched, score, topics, analysis, rules_hash, quote_count,"
            " quotes_done) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (
                feed_id,
                entry.guid,
                entry.link,
                entry.title,
                entry.author,
                entry.body,
                prepared.links,
                published_epoch(entry, now),
                now,
                prepared.digest,
                int(topics.matched),
                topics.score,
                ",".join(topics.topics),
                prepared.verdict,
                rules_hash,
                len(analysis.quotes),
                int(analysis.quotes_done),
            ),
        )
        article_id = int(cursor.lastrowid or 0)
        db.execute("INSERT INTO fts_pending(article_id) VALUES (?)", (article_id,))
        if topics.matched:
            db.executemany(
                "INSERT INTO article_topic(topic, article_id, score) VALUES (?,?,?)",
                [(t.topic, article_id, t.score) for t in topics.scores if t.matched],
            )
        if analysis.quotes:
            self._insert_quotes(db, article_id, analysis.quotes, prepared.speaker_keys)
        return article_id

    def _write_analysis(
        self, db: sqlite3.Connection, article_id: int, analysis: Analysis, rules_hash: str
    ) -> None:
        """Replace an article's topic scores, spans and quotes."""
        self._write_topics(db, article_id, analysis.topics, rules_hash)
        db.execute("DELETE FROM quote WHERE article_id=?", (article_id,))
        self._insert_quotes(db, article_id, analysis.quotes, speaker_keys(analysis.quotes))
        db.execute(
            "UPDATE article SET quote_count=?, quotes_done=? WHERE id=?",
            (len(analysis.quotes), int(analysis.quotes_done), article_id),
        )

    @staticmethod
    def _insert_quotes(
        db: sqlite3.Connection,
        article_id: int,
        quotes: Sequence[Quote],
        speaker_keys: Sequence[str | None],
    ) -> None:
        """Insert an article's quotes (the caller deleted the old ones)."""
        db.executemany(
            "INSERT INTO quote(article_id, start, end, text, speaker, speaker_key, speaker_start,"
            " speaker_end, partial) VALUES (?,?,?,?,?,?,?,?,?)",
            [
                (
                    article_id,
                    q.start,
                    q.end,
                    q.text,
                    q.speaker,
                    key,
                    q.speaker_start,
                    q.speaker_end,
                    int(q.partial),
                )
                for q, key in zip(quotes, speaker_keys, strict=True)
            ],
        )

    @staticmethod
    def _write_topics(
        db: sqlite3.Connection, article_id: int, result: TopicResult, rules_hash: str
    ) -> None:
        """Replace an article's topic verdict."""
        encoded = encode_topics(result)
        db.execute(
            "UPDATE article SET matched=?, score=?, topics=?, analysis=?, rules_hash=? WHERE id=?",
            (
                int(result.matched),
                result.score,
                ",".join(result.topics),
                encoded,
                rules_hash,
                article_id,
            ),
        )
        db.execute("DELETE FROM article_topic WHERE article_id=?", (article_id,))
        db.executemany(
            "INSERT INTO article_topic(topic, article_id, score) VALUES (?,?,?)",
            [(s.topic, article_id, s.score) for s in result.scores if s.matched],
        )

    def retopic(
        self,
        classify: Callable[[str, str], TopicResult],
        rules_hash: str,
        *,
        batch: int = 500,
        progress: Callable[[int, int], None] | None = None,
    ) -> int:
        """Recompute topics of every article analysed under other rules; returns the count.

        Batches walk the table in id order from where the last one ended: asking each time
        for "the next rows still under other rules" would re-read every row already done
        (quadratic in the number of articles).
        """
        total = self._db.execute(
            "SELECT COUNT(*) FROM article WHERE rules_hash IS NOT ? ", (rules_hash,)
        ).fetchone()[0]
        done = 0
        last_id = -1
        while True:
            rows = self._db.execute(
                "SELECT id, title, body FROM article WHERE id > ? AND rules_hash IS NOT ?"
                " ORDER BY id LIMIT ?",
                (last_id, rules_hash, batch),
            ).fetchall()
            if not rows:
                break
            last_id = rows[-1][0]

            def run(db: sqlite3.Connection, rows: list[tuple[int, str, str]] = rows) -> None:
                for article_id, title, body in rows:
                    self._write_topics(db, article_id, classify(title, body), rules_hash)

            self.write(run)
            done += len(rows)
            if progress:
                progress(done, total)
        return done

    def set_read(self, article_ids: Sequence[int], read: bool = True) -> None:
        """Mark articles read or unread."""
        self.write(
            lambda db: db.executemany(
                "UPDATE article SET read=? WHERE id=?", [(int(read), i) for i in article_ids]
            )
        )

    def set_starred(self, article_id: int, starred: bool) -> None:
        """Star or unstar an article."""
        self.write(
            lambda db: db.execute(
                "UPDATE article SET starred=? WHERE id=?", (int(starred), article_id)
            )
        )

    def set_body(self, article_id: int, body: str, analysis: Analysis, note: str | None) -> None:
        """Replace an article's text (full-text fetch) and its analysis."""

        def run(db: sqlite3.Connection) -> None:
            db.execute(
                "UPDATE article SET body=?, fulltext_note=? WHERE id=?", (body, note, article_id)
            )
            rules = db.execute(
                "SELECT rules_hash FROM article WHERE id=?", (article_id,)
            ).fetchone()
            self._write_analysis(db, article_id, analysis, rules[0] if rules else "")

        self.write(run)

    def set_fulltext_note(self, article_id: int, note: str) -> None:
        """Record why a full-text fetch fell back to the summary."""
        self.write(
            lambda db: db.execute(
                "UPDATE article SET fulltext_note=? WHERE id=?", (note, article_id)
            )
        )

    def prune(self, retention_days: int, now: int) -> int:
        """Delete unstarred articles older than `retention_days`; returns the count.

        A synced article whose read or star change the server has not been told yet waits
        for the next pass. The server ids of the synced ones deleted are kept for a year
        (`sync_pruned`), so that a sync does not download them again while the server still
        lists them."""
        if retention_days <= 0:
            return 0
        cutoff = now - retention_days * 86400
        deleted = 0
        doomed = "published < ? AND starred=0 AND id NOT IN (SELECT article_id FROM sync_outbox)"

        def run(db: sqlite3.Connection) -> None:
            nonlocal deleted
            db.execute(
                "INSERT OR REPLACE INTO sync_pruned(remote_id, pruned) SELECT remote_id, ? "
                f"FROM sync_entry WHERE article_id IN (SELECT id FROM article WHERE {doomed})",
                (now, cutoff),
            )
            db.execute("DELETE FROM sync_pruned WHERE pruned < ?", (now - PRUNED_KEPT_S,))
            deleted = db.execute(f"DELETE FROM article WHERE {doomed}", (cutoff,)).rowcount

        self.write(run)
        return deleted

    def save_quotes(
        self, article_id: int, quotes: Sequence[Quote], keys: Sequence[str | None]
    ) -> None:
        """Replace an article's quotes with a new extraction and mark it done."""

        def run(db: sqlite3.Connection) -> None:
            db.execute("DELETE FROM quote WHERE article_id=?", (article_id,))
            self._insert_quotes(db, article_id, quotes, keys)
            db.execute(
                "UPDATE article SET quote_count=?, quotes_done=1 WHERE id=?",
                (len(quotes), article_id),
            )

        self.write(run)
