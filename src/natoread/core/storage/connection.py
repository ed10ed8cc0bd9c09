"""The store's connection: opening the file (WAL), numbered migrations, transactions, meta.

Every SQLite failure leaves the storage package as a one-line `StoreError` (`store_error`,
`guard_sqlite_errors`): callers never see `sqlite3`.
"""

from __future__ import annotations

import functools
import sqlite3
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Self, TypeVar

from natoread.core.errors import StoreError
from natoread.core.storage.schema import MIGRATIONS, OUR_TABLES, SCHEMA_VERSION
from natoread.core.storage.storefile import connect_read_only, file_identity

_T = TypeVar("_T")
_C = TypeVar("_C", bound=type)
BUSY_TIMEOUT_MS = 10_000
WAL_LIMIT_BYTES = 64 * 1024 * 1024
"""A WAL file that grew past this during a big pass is truncated back after a checkpoint."""
CACHE_KIB = 32_000


def store_error(path: Path, exc: sqlite3.Error) -> StoreError:
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


_UNGUARDED = frozenset({"transaction", "read", "write"})
"""Public methods that map SQLite failures themselves (a context manager cannot be wrapped)."""


def guard_sqlite_errors(cls: _C) -> _C:
    """Wrap every public method of `cls` so a SQLite failure leaves it as a `StoreError`."""

    def guarded(method: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(method)
        def run(self: StoreConnection, *args: Any, **kwargs: Any) -> Any:
            try:
                return method(self, *args, **kwargs)
            except sqlite3.Error as exc:
                raise store_error(self.path, exc) from None

        return run

    seen: set[str] = set()
    for klass in cls.__mro__:
        for name, value in vars(klass).items():
            if name in seen or name.startswith("_") or name in _UNGUARDED:
                continue
            seen.add(name)
            if callable(value) and not isinstance(value, staticmethod | classmethod | type):
                setattr(cls, name, guarded(value))
    return cls


class StoreConnection:
    """One connection to a natoread database: opening, migrating, transactions and meta."""

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
            raise store_error(self.path, exc) from None
        self.identity = file_identity(self.path)
        """(device, inode) of the file opened: another one at `path` means it was moved aside."""
        try:
            self._db.execute(f"PRAGMA busy_timeout={busy_timeout_ms}")
            if not read_only:
                self._use_wal()
                self._db.execute("PRAGMA synchronous=NORMAL")
                self._db.execute(f"PRAGMA journal_size_limit={WAL_LIMIT_BYTES}")
            self._db.execute("PRAGMA foreign_keys=ON")
            # A 32 MB page cache (default 2 MB) keeps the indexes hot (faster ingest).
            self._db.execute(f"PRAGMA cache_size=-{CACHE_KIB}")
            self._migrate()
        except sqlite3.Error as exc:
            self._db.close()
            raise store_error(self.path, exc) from None

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

    def __enter__(self) -> Self:
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
            raise store_error(self.path, exc) from None
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
            raise store_error(self.path, exc) from None

    def write(self, func: Callable[[sqlite3.Connection], object]) -> None:
        """Run `func` in a transaction, mapping SQLite failures to StoreError."""
        try:
            with self.transaction() as db:
                func(db)
        except sqlite3.Error as exc:
            raise store_error(self.path, exc) from None

    def read(self, func: Callable[[sqlite3.Connection], _T]) -> _T:
        """Run `func`'s queries in one read transaction (one snapshot), taking no write lock."""
        try:
            if self._db.in_transaction:
                return func(self._db)
            self._db.execute("BEGIN")
            try:
                return func(self._db)
            finally:
                self._db.execute("COMMIT")
        except sqlite3.Error as exc:
            raise store_error(self.path, exc) from None

    def defer_checkpoints(self) -> None:
        """Stop this connection from checkpointing the WAL in its commits (bulk writers)."""
        self._db.execute("PRAGMA wal_autocheckpoint=0")

    def checkpoint(self) -> None:
        """Copy committed WAL pages into the database, without waiting for any writer."""
        self._db.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()

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

    def execute(self, sql: str, params: Sequence[object] = ()) -> list[tuple[Any, ...]]:
        """Run one statement and return its rows (for tests and fault drills; the store's own
        queries are methods of its modules)."""
        return [tuple(r) for r in self._db.execute(sql, params)]

    def sqlite_connection(self) -> sqlite3.Connection:
        """The connection itself, for the storage package's own modules (never outside it)."""
        return self._db

    def integrity_ok(self) -> bool:
        """PRAGMA integrity_check passes."""
        return bool(self._db.execute("PRAGMA integrity_check").fetchone()[0] == "ok")


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
