"""The store's file on disk: which file is open, and opening one that may not be written.

Store code (it opens SQLite connections); `store.py` uses it.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from natoread.core.errors import StoreError


def file_identity(path: Path) -> tuple[int, int] | None:
    """(device, inode) of the file at `path`; None when there is none (or `:memory:`)."""
    try:
        found = os.stat(path)
    except OSError:
        return None
    return (found.st_dev, found.st_ino)


def connect_read_only(path: Path) -> sqlite3.Connection:
    """Open an existing database that this process may not write, nor its directory.

    A WAL database is read with `mode=ro` while its -wal and -shm files exist (SQLite needs
    them); after a clean close they are gone and cannot be created in a read-only directory,
    and then the file alone holds every committed change: it is opened as immutable.
    """
    if not path.is_file():
        raise StoreError(f"{path}: no database, and the data directory is read-only")
    import urllib.parse

    uri = "file:" + urllib.parse.quote(str(path.resolve()))
    db = sqlite3.connect(f"{uri}?mode=ro", uri=True, isolation_level=None)
    try:
        db.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()
        return db
    except sqlite3.Error:
        db.close()
    wal = path.with_name(path.name + "-wal")
    if wal.exists() and wal.stat().st_size > 0:
        raise StoreError(
            f"{path}: read-only, with changes still in its write-ahead log that need a"
            " writable directory; run natoread once where it can write"
        )
    db = sqlite3.connect(f"{uri}?mode=ro&immutable=1", uri=True, isolation_level=None)
    db.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()
    return db
