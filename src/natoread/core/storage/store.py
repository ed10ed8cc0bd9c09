"""The SQLite store: one file, WAL, numbered migrations, per-feed transactions.

Only the storage package speaks SQL. `Store` is the one object callers hold; its parts live
by job: the connection, migrations and meta (`connection.py`), feed rows (`feeds.py`),
article de-duplication and writes (`articles.py`), re-derivation rewrites (`derived.py`),
read-only queries (`reads.py`) and undoable changes, tags and rules' effects
(`triage.py`). Every SQLite failure leaves it as a one-line `StoreError`.

Rows become frozen records before they leave it: feed records (`feeds/records.py`) and
article records (`records.py`). The article records and the analysis models are imported
where they are built, so a poll pass in which no feed changed (the common cron run) never
pays for defining them.
"""

from __future__ import annotations

from natoread.core.feeds.records import FeedHealth, FeedState, FetchRecord, from_epoch, to_epoch
from natoread.core.storage.articles import encode_topics, prepare_entries, published_epoch
from natoread.core.storage.connection import (
    BUSY_TIMEOUT_MS,
    CACHE_KIB,
    WAL_LIMIT_BYTES,
    guard_sqlite_errors,
    move_aside,
)
from natoread.core.storage.derived import DerivedRewrites
from natoread.core.storage.feeds import FeedRows
from natoread.core.storage.reads import ArticleReads
from natoread.core.storage.storefile import file_identity
from natoread.core.storage.triage import TriageWrites
from natoread.core.text.normalise import TYPOGRAPHIC_MARKS, content_hash

__all__ = [
    "BUSY_TIMEOUT_MS",
    "CACHE_KIB",
    "TYPOGRAPHIC_MARKS",
    "WAL_LIMIT_BYTES",
    "FeedHealth",
    "FeedState",
    "FetchRecord",
    "Store",
    "content_hash",
    "encode_topics",
    "file_identity",
    "from_epoch",
    "move_aside",
    "prepare_entries",
    "published_epoch",
    "to_epoch",
]


@guard_sqlite_errors
class Store(TriageWrites, DerivedRewrites, FeedRows, ArticleReads):
    """A natoread SQLite database: writes, feed rows, re-derivation and reads on one connection.

    `TriageWrites` comes first: its `set_read` and `set_starred` log the change for undo."""
