"""Reading state in and out of the store (`natoread export-state` / `import-state`): read,
starred and tags per article, keyed by the feed's URL and the article's GUID, with its link
as the fallback for entries without a GUID (or whose GUID changed).

An import is one step of the undo log (`storage/triage.py`): `natoread undo` takes it back.
It sets read and starred to the recorded values (a record without one leaves it as it
is) and adds the recorded tags (it never removes one), in one transaction.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from natoread.core.feeds.urls import same_feed_key
from natoread.core.storage.store import Store
from natoread.core.storage.triage import close_undo_step, open_undo_step

TAG_SEPARATOR = "\x1f"
"""Between tags in one column (a control character no tag can hold)."""


@dataclass(frozen=True, slots=True)
class ArticleState:
    """One article's reading state, and the keys that find it in another store."""

    feed: str
    """The feed's URL."""
    guid: str | None
    link: str | None
    read: bool | None
    """None: left as it is (a record that does not say)."""
    starred: bool | None
    tags: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ImportCounts:
    """What an import found and changed."""

    matched: int
    unmatched: int
    changed: int
    """Articles whose read, starred or tags changed."""


def exported_state(store: Store, batch: int = 5000) -> Iterator[ArticleState]:
    """Every stored article's state, oldest id first, read in batches (a big store is never
    held in memory at once)."""
    sql = (
        "SELECT a.id, f.url, a.guid, a.link, a.read, a.starred,"
        f" (SELECT group_concat(tag, char({ord(TAG_SEPARATOR)})) FROM"
        "  (SELECT tag FROM article_tag WHERE article_id = a.id ORDER BY tag))"
        " FROM article a JOIN feed f ON f.id = a.feed_id WHERE a.id > ? ORDER BY a.id LIMIT ?"
    )
    last = 0

    def next_rows(db: sqlite3.Connection) -> list[tuple[object, ...]]:
        return [tuple(row) for row in db.execute(sql, (last, batch))]

    while True:
        rows = store.read(next_rows)
        if not rows:
            return
        for _, url, guid, link, read, starred, tags in rows:
            yield ArticleState(
                feed=str(url),
                guid=guid if isinstance(guid, str) else None,
                link=link if isinstance(link, str) else None,
                read=bool(read),
                starred=bool(starred),
                tags=tuple(str(tags).split(TAG_SEPARATOR)) if tags else (),
            )
        last = int(rows[-1][0])  # type: ignore[call-overload]


class _Index:
    """The stored articles by (feed, GUID), (feed, link) and link alone, with their state."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self.feeds = {
            same_feed_key(str(url)): int(i) for i, url in db.execute("SELECT id, url FROM feed")
        }
        self.by_guid: dict[tuple[int, str], int] = {}
        self.by_link: dict[tuple[int, str], int] = {}
        self.links: dict[str, int | None] = {}
        """A link → its one article, or None when several articles have it."""
        self.flags: dict[int, tuple[int, int]] = {}
        for article_id, feed_id, guid, link, read, starred in db.execute(
            "SELECT id, feed_id, guid, link, read, starred FROM article"
        ):
            if guid:
                self.by_guid[(feed_id, guid)] = article_id
            if link:
                self.by_link.setdefault((feed_id, link), article_id)
                self.links[link] = None if link in self.links else article_id
            self.flags[article_id] = (int(read), int(starred))
        self.tags: set[tuple[int, str]] = {
            (int(i), str(t).casefold())
            for i, t in db.execute("SELECT article_id, tag FROM article_tag")
        }

    def find(self, record: ArticleState) -> int | None:
        """The article a record names: its feed's GUID, else its feed's link, else its link
        anywhere in the store if only one article has it (the feed moved)."""
        feed_id = self.feeds.get(same_feed_key(record.feed))
        if feed_id is not None and record.guid and (feed_id, record.guid) in self.by_guid:
            return self.by_guid[(feed_id, record.guid)]
        if record.link:
            if feed_id is not None and (feed_id, record.link) in self.by_link:
                return self.by_link[(feed_id, record.link)]
            return self.links.get(record.link)
        return None


def import_state(store: Store, records: Iterable[ArticleState]) -> ImportCounts:
    """Apply recorded states to the matching stored articles, as one undo step."""
    counts = ImportCounts(0, 0, 0)
    records = list(records)  # read before the write lock is taken

    def run(db: sqlite3.Connection) -> None:
        nonlocal counts
        index = _Index(db)
        matched = unmatched = 0
        flags: list[tuple[int, str, int, int]] = []  # article, flag, old, new
        tags: list[tuple[int, str]] = []
        for record in records:
            article_id = index.find(record)
            if article_id is None:
                unmatched += 1
                continue
            matched += 1
            read, starred = index.flags[article_id]
            new_read = read if record.read is None else int(record.read)
            new_starred = starred if record.starred is None else int(record.starred)
            if read != new_read:
                flags.append((article_id, "read", read, new_read))
            if starred != new_starred:
                flags.append((article_id, "starred", starred, new_starred))
            index.flags[article_id] = (new_read, new_starred)
            for tag in record.tags:
                if (article_id, tag.casefold()) not in index.tags:
                    index.tags.add((article_id, tag.casefold()))
                    tags.append((article_id, tag))
        step = open_undo_step(db, "import state")
        db.executemany(
            "INSERT INTO undo_change(step_id, article_id, kind, old) VALUES (?, ?, ?, ?)",
            [(step, i, flag, old) for i, flag, old, _ in flags],
        )
        db.executemany(
            "INSERT INTO undo_change(step_id, article_id, kind, tag) VALUES (?, ?, 'tag+', ?)",
            [(step, i, tag) for i, tag in tags],
        )
        for flag in ("read", "starred"):
            db.executemany(
                f"UPDATE article SET {flag}=? WHERE id=?",
                [(new, i) for i, name, _, new in flags if name == flag],
            )
        db.executemany(
            "INSERT OR IGNORE INTO article_tag(tag, article_id) VALUES (?, ?)",
            [(tag, i) for i, tag in tags],
        )
        changed = len({i for i, *_ in flags} | {i for i, _ in tags})
        close_undo_step(db, step, len(flags) + len(tags))
        counts = ImportCounts(matched, unmatched, changed)

    store.write(run)
    return counts
