"""The SQLite store: one file, WAL, numbered migrations, per-feed transactions.

Only this module speaks SQL. Rows become frozen records before they leave it: feed records
(`feedrecords.py`) and article records (`records.py`). The article records and the analysis
models are imported where they are built, so a poll pass in which no feed changed (the
common cron run) never pays for defining them.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import sqlite3
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from natoread.core.errors import StoreError
from natoread.core.feeds.records import FeedHealth, FeedState, FetchRecord, from_epoch, to_epoch
from natoread.core.storage.reads import ArticleReads
from natoread.core.storage.schema import MIGRATIONS, OUR_TABLES, SCHEMA_VERSION
from natoread.core.storage.storefile import connect_read_only, file_identity

if TYPE_CHECKING:
    from natoread.core.analysis.records import Analysis, Quote, TopicResult
    from natoread.core.feeds.records import ParsedEntry
    from natoread.core.storage.records import ArticleDetail, ArticleRow, PreparedEntry, SaveResult

__all__ = [
    "FeedHealth",
    "FeedState",
    "FetchRecord",
    "Store",
    "content_hash",
    "file_identity",
    "from_epoch",
    "move_aside",
    "prepare_entries",
    "published_epoch",
    "to_epoch",
]

_T = TypeVar("_T")
BUSY_TIMEOUT_MS = 10_000
WAL_LIMIT_BYTES = 64 * 1024 * 1024
"""A WAL file that grew past this during a big pass is truncated back after a checkpoint."""
CACHE_KIB = 32_000


_NO_TOPICS = '{"scores":[],"spans":[]}'
"""`_encode_topics` of a verdict without scores (most articles), written without `json`."""
TYPOGRAPHIC_MARKS = "’“”‘•—–…«»£€·"
"""Punctuation and symbols common in news text: printable, without case, never in a word."""
_PRINTABLE_ASCII = bytes(range(0x20, 0x7F))
_CASELESS = frozenset("\n" + TYPOGRAPHIC_MARKS)
"""The other characters `content_hash` can lower-case as UTF-8 bytes."""


def _encode_topics(result: TopicResult) -> str:
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


def _speaker_keys(quotes: Sequence[Quote]) -> tuple[str | None, ...]:
    """The speaker key of each quote (None for unattributed quotes)."""
    from natoread.core.analysis.quotes.extract import speaker_key

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
            _encode_topics(analysis.topics),
            _speaker_keys(analysis.quotes),
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


def _index_pending(db: sqlite3.Connection) -> int:
    """Index every pending article for search (inside the caller's transaction)."""
    count = db.execute(
        "INSERT INTO article_fts(rowid, title, body) SELECT a.id, a.title, a.body"
        " FROM fts_pending p JOIN article a ON a.id = p.article_id ORDER BY p.article_id"
    ).rowcount
    db.execute("DELETE FROM fts_pending")
    return int(count)


def published_epoch(entry: ParsedEntry, now: int) -> int:
    """The publication time stored for an entry: its date, never later than `now`."""
    return min(to_epoch(entry.published), now) if entry.published else now


def content_hash(title: str, body: str) -> str:
    """A short hash of the normalised title and body, to catch re-posts with new GUIDs."""
    text = f"{title}\n{body}"
    if not text.isascii():
        data = text.encode("utf-8")
        if set(data.translate(None, _PRINTABLE_ASCII).decode("utf-8")) <= _CASELESS:
            # Printable ASCII, newlines and typographic marks, which casefold() leaves
            # alone: lower-casing the UTF-8 bytes (ASCII letters only) gives the same bytes
            # several times faster, and the space runs are collapsed as below.
            data = data.lower().replace(b"\n", b" ")
            while b"  " in data:
                data = data.replace(b"  ", b" ")
            return hashlib.sha1(data.strip(b" ")).hexdigest()[:16]
    # casefold() equals lower() on ASCII text, and lower() is several times faster there.
    folded = text.lower() if text.isascii() else text.casefold()
    # Whitespace runs become one space. Parsed articles hold only spaces and newlines, and
    # when every other character is printable (no tab, no-break or other space), replacing
    # gives what split() and join() give, without building a list of every word.
    spaced = folded.replace("\n", " ")
    if spaced.isprintable():
        while "  " in spaced:
            spaced = spaced.replace("  ", " ")
        normal = spaced.strip(" ")
    else:
        normal = " ".join(folded.split())
    return hashlib.sha1(normal.encode("utf-8")).hexdigest()[:16]


def _store_error(path: Path, exc: sqlite3.Error) -> StoreError:
    """Explain a SQLite failure in one line."""
    text = str(exc)
    if "disk is full" in text or "disk I/O error" in text:
        return StoreError(f"{path}: the disk is full; free some space (nothing was lost)")
    if "readonly" in text or "unable to open" in text:
        return StoreError(f"{path}: cannot write to the data directory ({text}); check permissions")
    if "locked" in text or "busy" in text:
        return StoreError(f"{path}: the database is busy (another natoread is writing); try again")
    if "not a database" in text or "malformed" in text:
        return StoreError(
            f"{path}: not a natoread database or corrupt; run `natoread reset-db` to move it aside"
        )
    return StoreError(f"{path}: database error: {text}")


class Store(ArticleReads):
    """A natoread SQLite database (writes here; read-only queries in `ArticleReads`)."""

    def __init__(
        self, path: Path | str, *, busy_timeout_ms: int = BUSY_TIMEOUT_MS, read_only: bool = False
    ) -> None:
        """Open (creating and migrating if needed) the store at `path`.

        `busy_timeout_ms` bounds how long a write waits for another writer's lock (the reader
        passes a short one: a key press must never wait on a poll). `read_only` opens an
        existing file without ever writing to it or its directory (see `connect_read_only`).
        """
        self.path = Path(path)
        self.busy_timeout_ms = busy_timeout_ms
        self.read_only = read_only
        try:
            if read_only:
                self._db = connect_read_only(self.path)
            else:
                if str(path) != ":memory:":
                    self.path.parent.mkdir(parents=True, exist_ok=True)
                self._db = sqlite3.connect(
                    str(path), timeout=busy_timeout_ms / 1000, isolation_level=None
                )
        except OSError as exc:
            raise StoreError(
                f"{self.path.parent}: cannot create the data directory ({exc.strerror})"
            ) from None
        except sqlite3.Error as exc:
            raise _store_error(self.path, exc) from None
        self.identity = file_identity(self.path)
        """(device, inode) of the file opened: another one at `path` means it was moved aside."""
        try:
            self._db.execute(f"PRAGMA busy_timeout={busy_timeout_ms}")
            if not read_only:
                self._use_wal()
                self._db.execute("PRAGMA synchronous=NORMAL")
                self._db.execute(f"PRAGMA journal_size_limit={WAL_LIMIT_BYTES}")
            self._db.execute("PRAGMA foreign_keys=ON")
            # A 32 MB page cache (default 2 MB) keeps the indexes hot: ~10% faster ingest.
            self._db.execute(f"PRAGMA cache_size=-{CACHE_KIB}")
            self._migrate()
        except sqlite3.Error as exc:
            self._db.close()
            raise _store_error(self.path, exc) from None

    def replaced(self) -> bool:
        """True when the file at `path` is no longer the one this store opened (moved aside
        by `reset-db`, or deleted)."""
        return self.identity is not None and file_identity(self.path) != self.identity

    def _use_wal(self) -> None:
        """Put the database in WAL mode, waiting (like any write) while another process holds it.

        The switch needs the file to itself and SQLite does not call the busy handler for it,
        so two processes creating the store at once would fail at once; retry within the
        busy budget instead. WAL is a property of the file: once set, nothing is locked.
        """
        deadline = time.monotonic() + self.busy_timeout_ms / 1000
        delay = 0.005
        while True:
            try:
                mode = self._db.execute("PRAGMA journal_mode").fetchone()[0]
                if str(mode).lower() == "wal":
                    return
                self._db.execute("PRAGMA journal_mode=WAL").fetchall()
                return
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) or time.monotonic() >= deadline:
                    raise
            time.sleep(delay)
            delay = min(delay * 2, 0.1)

    def close(self) -> None:
        """Close the connection (checkpointing the WAL)."""
        self._db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _migrate(self) -> None:
        """Bring the schema to SCHEMA_VERSION; refuse foreign or newer databases."""
        version = self._db.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise StoreError(
                f"{self.path}: made by a newer natoread (schema {version}); upgrade natoread"
            )
        if version < SCHEMA_VERSION and self.read_only:
            raise StoreError(
                f"{self.path}: made by an older natoread and the data directory is read-only;"
                " run natoread once where it can write, to upgrade it"
            )
        if version < SCHEMA_VERSION:
            with self.transaction() as db:
                # Re-read under the write lock: another process may have migrated meanwhile.
                current = db.execute("PRAGMA user_version").fetchone()[0]
                if current == 0:
                    self._refuse_foreign(db)
                for number in range(current, SCHEMA_VERSION):
                    for statement in _statements(MIGRATIONS[number]):
                        db.execute(statement)
                    db.execute(f"PRAGMA user_version={number + 1}")

    def _refuse_foreign(self, db: sqlite3.Connection) -> None:
        """Refuse a database without our schema version that holds tables of its own."""
        tables = {
            row[0]
            for row in db.execute("SELECT name FROM sqlite_master WHERE type IN ('table','view')")
        }
        foreign = {t for t in tables if not t.startswith("sqlite_")} - OUR_TABLES
        if foreign:
            raise StoreError(
                f"{self.path}: not a natoread database (it has tables "
                f"{', '.join(sorted(foreign)[:3])}); use another --data-dir or "
                "run `natoread reset-db` to move it aside"
            )

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One write transaction (BEGIN IMMEDIATE … COMMIT), rolled back on error.

        Nested use joins the outer transaction, which alone commits or rolls back.
        """
        if self._db.in_transaction:
            yield self._db
            return
        if self.read_only:
            raise StoreError(
                f"{self.path}: the data directory is read-only; this needs to write"
                " (only list, search, feeds, speakers and quotes can read it)"
            )
        try:
            self._db.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as exc:
            raise _store_error(self.path, exc) from None
        try:
            yield self._db
        except BaseException:
            if self._db.in_transaction:
                self._db.execute("ROLLBACK")
            raise
        try:
            if self._db.in_transaction:
                self._db.execute("COMMIT")
        except sqlite3.Error as exc:
            if self._db.in_transaction:
                self._db.execute("ROLLBACK")
            raise _store_error(self.path, exc) from None

    def write(self, func: Callable[[sqlite3.Connection], object]) -> None:
        """Run `func` in a transaction, mapping SQLite failures to StoreError."""
        try:
            with self.transaction() as db:
                func(db)
        except sqlite3.Error as exc:
            raise _store_error(self.path, exc) from None

    def read(self, func: Callable[[sqlite3.Connection], _T]) -> _T:
        """Run `func`'s queries in one read transaction (one snapshot), taking no write lock."""
        if self._db.in_transaction:
            return func(self._db)
        try:
            self._db.execute("BEGIN")
            try:
                return func(self._db)
            finally:
                self._db.execute("COMMIT")
        except sqlite3.Error as exc:
            raise _store_error(self.path, exc) from None

    def index_pending(self) -> int:
        """Add the articles saved since the last call to the search index; returns how many.

        One statement for all of them: FTS5 then writes large segments once instead of a
        small one (and its merges) per feed. Poll passes call this for every INDEX_BATCH
        articles and when they end.
        """
        count = 0

        def run(db: sqlite3.Connection) -> None:
            nonlocal count
            count = _index_pending(db)

        if self._db.execute("SELECT 1 FROM fts_pending LIMIT 1").fetchone() is not None:
            self.write(run)
        return count

    def pending_count(self) -> int:
        """Articles waiting for `index_pending`."""
        return int(self._db.execute("SELECT COUNT(*) FROM fts_pending").fetchone()[0])

    def defer_checkpoints(self) -> None:
        """Stop this connection from checkpointing the WAL in its commits (bulk writers)."""
        self._db.execute("PRAGMA wal_autocheckpoint=0")

    def checkpoint(self) -> None:
        """Copy committed WAL pages into the database, without waiting for any writer."""
        try:
            self._db.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
        except sqlite3.Error as exc:
            raise _store_error(self.path, exc) from None

    # -- meta -------------------------------------------------------------------------------

    def get_meta(self, key: str) -> str | None:
        """A value from the meta table."""
        row = self._db.execute("SELECT value FROM meta WHERE key=?", (key,)).fetchone()
        return None if row is None else str(row[0])

    def set_meta(self, key: str, value: str) -> None:
        """Store a value in the meta table."""
        self.write(
            lambda db: db.execute(
                "INSERT INTO meta(key, value) VALUES (?, ?) "
                "ON CONFLICT(key) DO UPDATE SET value=excluded.value",
                (key, value),
            )
        )

    # -- feeds ------------------------------------------------------------------------------

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

    # -- articles: writing ----------------------------------------------------------------

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
                _index_pending(db)

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
        self._insert_quotes(db, article_id, analysis.quotes, _speaker_keys(analysis.quotes))
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
        encoded = _encode_topics(result)
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
        (quadratic: 30 s instead of 21 s for 100,000 synthetic articles here).
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
        """Delete unstarred articles older than `retention_days`; returns the count."""
        if retention_days <= 0:
            return 0
        cutoff = now - retention_days * 86400
        deleted = 0

        def run(db: sqlite3.Connection) -> None:
            nonlocal deleted
            deleted = db.execute(
                "DELETE FROM article WHERE published < ? AND starred=0", (cutoff,)
            ).rowcount

        self.write(run)
        return deleted

    def get_article(self, article_id: int) -> ArticleDetail | None:
        """One article with its text, analysis and quotes."""
        from natoread.core.analysis.records import Span, TopicResult, TopicScore
        from natoread.core.storage.records import ArticleDetail

        row = self._db.execute(f"{self._ROW_SQL} WHERE a.id=?", (article_id,)).fetchone()
        if row is None:
            return None
        extra = self._db.execute(
            "SELECT author, body, links, analysis, fulltext_note, quotes_done FROM article"
            " WHERE id=?",
            (article_id,),
        ).fetchone()
        article = self._row(row)
        if not extra[5]:
            article = replace(article, quote_count=self._extract_quotes_now(article, extra[1]))
        analysis = json.loads(extra[3] or "{}")
        scores = tuple(
            TopicScore(topic=t, score=s, matched=bool(m)) for t, s, m in analysis.get("scores", [])
        )
        spans = tuple(Span(s, e, term, topic) for s, e, term, topic in analysis.get("spans", []))
        result = TopicResult(
            matched=article.matched,
            score=article.score,
            topics=article.topics,
            scores=scores,
            spans=spans,
        )
        return ArticleDetail(
            row=article,
            author=extra[0],
            body=extra[1],
            links=tuple(json.loads(extra[2] or "[]")),
            analysis=result,
            quotes=self.quotes_of(article_id),
            fulltext_note=extra[4],
        )

    def _extract_quotes_now(self, article: ArticleRow, body: str) -> int:
        """Run the deferred quote extraction of one article and store it; returns the count."""
        from natoread.core.analysis.quotes.extract import extract_quotes

        quotes = extract_quotes(f"{article.title}\n{body}")
        keys = _speaker_keys(quotes)

        def run(db: sqlite3.Connection) -> None:
            db.execute("DELETE FROM quote WHERE article_id=?", (article.id,))
            self._insert_quotes(db, article.id, quotes, keys)
            db.execute(
                "UPDATE article SET quote_count=?, quotes_done=1 WHERE id=?",
                (len(quotes), article.id),
            )

        with contextlib.suppress(StoreError):  # a read-only or busy store still shows it
            self.write(run)
        return len(quotes)


def _statements(script: str) -> Iterator[str]:
    """Split a SQL script into complete statements (trigger bodies kept whole)."""
    buffer = ""
    for line in script.splitlines(keepends=True):
        buffer += line
        if sqlite3.complete_statement(buffer):
            yield buffer.strip()
            buffer = ""
    if buffer.strip():
        yield buffer.strip()


def move_aside(path: Path) -> Path:
    """Rename a database and its WAL files to `<name>.broken-<timestamp>`; returns the new path."""
    stamp = time.strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.name}.broken-{stamp}")
    path.rename(target)
    for suffix in ("-wal", "-shm"):
        extra = path.with_name(path.name + suffix)
        if extra.exists():
            extra.rename(target.with_name(target.name + suffix))
    return target
