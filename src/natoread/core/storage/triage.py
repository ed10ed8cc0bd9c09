"""Reading state changes that can be undone, tags, and what rules do to stored articles
(a mixin of `Store`).

Every change a person makes — read, unread, star, unstar, tag, untag, one article or a
thousand — is one step of the undo log (`undo_step`, and in `undo_change` each article's
value before it), written in the same transaction as the change, so `undo_last` restores
exactly what that step changed, after a restart too. Only articles whose value changes are
logged, so a step that changes nothing leaves no step. The log keeps the newest UNDO_STEPS
steps and, past UNDO_ROWS logged articles, drops the oldest steps (never the newest one).

What rules do (hide, read, star, tag) is automation and is not logged.
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Sequence
from typing import NamedTuple

from natoread.core.storage.connection import StoreConnection

UNDO_STEPS = 100
"""Steps the undo log keeps."""
UNDO_ROWS = 500_000
"""Logged articles the undo log keeps over all its steps (the newest step is always kept)."""
FLAGS = ("read", "starred")
"""The article columns a step may change."""
DROPPED_DAYS = 90
"""How long the key of an entry a rule dropped is remembered (so it is counted once)."""


class UndoStep(NamedTuple):
    """One logged change: what it was and how many articles it changed."""

    step_id: int
    label: str
    made: int
    """When (epoch seconds)."""
    articles: int


def _ids_json(article_ids: Sequence[int]) -> str:
    return json.dumps([int(i) for i in article_ids])


def open_undo_step(db: sqlite3.Connection, label: str) -> int:
    """Start an undo step named `label` inside the caller's transaction; returns its id."""
    cursor = db.execute(
        "INSERT INTO undo_step(label, made) VALUES (?, ?)", (label, int(time.time()))
    )
    return int(cursor.lastrowid or 0)


def close_undo_step(db: sqlite3.Connection, step: int, changed: int) -> None:
    """Drop a step that changed nothing, name what the others changed ("{n}" in the
    label: "9 articles"), and keep the log within its bounds."""
    if changed == 0:
        db.execute("DELETE FROM undo_step WHERE id=?", (step,))
        return
    count = f"{changed} article" + ("" if changed == 1 else "s")
    db.execute("UPDATE undo_step SET label=replace(label, '{n}', ?) WHERE id=?", (count, step))
    db.execute("DELETE FROM undo_change WHERE step_id <= ?", (step - UNDO_STEPS,))
    db.execute("DELETE FROM undo_step WHERE id <= ?", (step - UNDO_STEPS,))
    total = 0
    sizes = db.execute(
        "SELECT step_id, COUNT(*) FROM undo_change GROUP BY step_id ORDER BY step_id DESC"
    ).fetchall()
    for step_id, size in sizes:
        total += int(size)
        if total > UNDO_ROWS and step_id != step:
            db.execute("DELETE FROM undo_change WHERE step_id <= ?", (step_id,))
            db.execute("DELETE FROM undo_step WHERE id <= ?", (step_id,))
            break


class TriageWrites(StoreConnection):
    """Undoable changes of reading state, tags, undo, and rules' effects (a part of `Store`)."""

    # -- changes people make (logged) ----------------------------------------------------

    def set_read(self, article_ids: Sequence[int], read: bool = True) -> None:
        """Mark articles read or unread (one undo step)."""
        self.change_flag(article_ids, "read", read, "mark {n} " + ("read" if read else "unread"))

    def set_starred(self, article_id: int, starred: bool) -> None:
        """Star or unstar an article (one undo step)."""
        self.change_flag(
            [article_id], "starred", starred, ("star" if starred else "unstar") + " {n}"
        )

    def change_flag(
        self,
        article_ids: Sequence[int],
        flag: str,
        value: bool,
        label: str,
        *,
        dry_run: bool = False,
    ) -> int:
        """Set `flag` (read or starred) on articles; returns how many changed (one undo step,
        named by `label`, where "{n}" becomes "9 articles"). With `dry_run`, only counts them.
        """
        if flag not in FLAGS:
            raise ValueError(flag)
        ids = _ids_json(article_ids)
        differ = (
            f"SELECT a.id, a.{flag} FROM article a WHERE a.id IN"
            f" (SELECT value FROM json_each(?)) AND a.{flag} != ?"
        )
        if dry_run:
            return int(
                self._db.execute(f"SELECT COUNT(*) FROM ({differ})", (ids, int(value))).fetchone()[
                    0
                ]
            )
        changed = 0

        def run(db: sqlite3.Connection) -> None:
            nonlocal changed
            step = open_undo_step(db, label)
            db.execute(
                "INSERT INTO undo_change(step_id, article_id, kind, old)"
                f" SELECT ?, id, '{flag}', {flag} FROM ({differ})",
                (step, ids, int(value)),
            )
            changed = db.execute(
                f"UPDATE article SET {flag}=? WHERE id IN"
                " (SELECT article_id FROM undo_change WHERE step_id=?)",
                (int(value), step),
            ).rowcount
            close_undo_step(db, step, changed)

        self.write(run)
        return changed

    def change_tag(
        self, article_ids: Sequence[int], tag: str, add: bool, label: str, *, dry_run: bool = False
    ) -> int:
        """Add or remove a tag on articles; returns how many changed (one undo step)."""
        ids = _ids_json(article_ids)
        if add:
            differ = (
                "SELECT a.id AS article_id FROM article a"
                " WHERE a.id IN (SELECT value FROM json_each(?1)) AND"
                " NOT EXISTS (SELECT 1 FROM article_tag t WHERE t.article_id=a.id AND t.tag=?2)"
            )
        else:
            differ = (
                "SELECT t.article_id AS article_id FROM article_tag t WHERE t.tag=?2 AND"
                " t.article_id IN (SELECT value FROM json_each(?1))"
            )
        if dry_run:
            return int(
                self._db.execute(f"SELECT COUNT(*) FROM ({differ})", (ids, tag)).fetchone()[0]
            )
        changed = 0
        kind = "tag+" if add else "tag-"

        def run(db: sqlite3.Connection) -> None:
            nonlocal changed
            step = open_undo_step(db, label)
            changed = db.execute(
                "INSERT INTO undo_change(step_id, article_id, kind, tag)"
                f" SELECT ?3, d.article_id, '{kind}', ?2 FROM ({differ}) d",
                (ids, tag, step),
            ).rowcount
            if add:
                db.execute(
                    "INSERT OR IGNORE INTO article_tag(tag, article_id)"
                    " SELECT tag, article_id FROM undo_change WHERE step_id=?",
                    (step,),
                )
            else:
                db.execute(
                    "DELETE FROM article_tag WHERE tag=? AND article_id IN"
                    " (SELECT article_id FROM undo_change WHERE step_id=?)",
                    (tag, step),
                )
            close_undo_step(db, step, changed)

        self.write(run)
        return changed

    # -- undo ----------------------------------------------------------------------------

    def undo_steps(self, limit: int = 20) -> list[UndoStep]:
        """The newest logged steps, newest first."""
        rows = self._db.execute(
            "SELECT s.id, s.label, s.made, (SELECT COUNT(*) FROM undo_change c"
            " WHERE c.step_id=s.id) FROM undo_step s ORDER BY s.id DESC LIMIT ?",
            (limit,),
        )
        return [UndoStep(int(r[0]), str(r[1]), int(r[2]), int(r[3])) for r in rows]

    def undo_last(self) -> UndoStep | None:
        """Undo the newest logged step (removing it from the log); None when the log is empty."""
        undone: UndoStep | None = None

        def run(db: sqlite3.Connection) -> None:
            nonlocal undone
            row = db.execute(
                "SELECT id, label, made FROM undo_step ORDER BY id DESC LIMIT 1"
            ).fetchone()
            if row is None:
                return
            step = int(row[0])
            count = int(
                db.execute("SELECT COUNT(*) FROM undo_change WHERE step_id=?", (step,)).fetchone()[
                    0
                ]
            )
            for flag in FLAGS:
                db.execute(
                    f"UPDATE article SET {flag}=c.old FROM undo_change c"
                    f" WHERE c.step_id=? AND c.kind='{flag}' AND article.id=c.article_id",
                    (step,),
                )
            db.execute(
                "DELETE FROM article_tag WHERE (tag, article_id) IN (SELECT tag, article_id"
                " FROM undo_change WHERE step_id=? AND kind='tag+')",
                (step,),
            )
            db.execute(
                "INSERT OR IGNORE INTO article_tag(tag, article_id) SELECT c.tag, c.article_id"
                " FROM undo_change c JOIN article a ON a.id=c.article_id"
                " WHERE c.step_id=? AND c.kind='tag-'",
                (step,),
            )
            db.execute("DELETE FROM undo_change WHERE step_id=?", (step,))
            db.execute("DELETE FROM undo_step WHERE id=?", (step,))
            undone = UndoStep(step, str(row[1]), int(row[2]), count)

        self.write(run)
        return undone

    # -- tags ----------------------------------------------------------------------------

    def tag_counts(self) -> list[tuple[str, int]]:
        """Every article tag with its number of articles (hidden ones left out), by name."""
        rows = self._db.execute(
            "SELECT t.tag, COUNT(*) FROM article_tag t JOIN article a ON a.id=t.article_id"
            " WHERE a.hidden=0 GROUP BY t.tag COLLATE NOCASE ORDER BY t.tag COLLATE NOCASE"
        )
        return [(str(tag), int(count)) for tag, count in rows]

    def tag_names(self) -> list[str]:
        """Every article tag in the store."""
        return [str(r[0]) for r in self._db.execute("SELECT DISTINCT tag FROM article_tag")]

    # -- rules (not logged) --------------------------------------------------------------

    def apply_rule_action(self, article_ids: Sequence[int], action: str, tag: str = "") -> int:
        """What a rule does to stored articles: hide (and read), read, star or tag; returns
        how many articles it changed."""
        ids = _ids_json(article_ids)
        changed = 0

        def run(db: sqlite3.Connection) -> None:
            nonlocal changed
            inside = "id IN (SELECT value FROM json_each(?))"
            if action in ("hide", "drop"):
                sql = f"UPDATE article SET hidden=1, read=1 WHERE {inside} AND hidden=0"
            elif action in ("read", "star"):
                flag = "read" if action == "read" else "starred"
                sql = f"UPDATE article SET {flag}=1 WHERE {inside} AND {flag}=0"
            else:
                changed = db.execute(
                    "INSERT OR IGNORE INTO article_tag(tag, article_id) SELECT ?, a.id"
                    f" FROM article a WHERE a.{inside}",
                    (tag, ids),
                ).rowcount
                return
            changed = db.execute(sql, (ids,)).rowcount

        self.write(run)
        return changed

    def unhide_all(self) -> int:
        """Show every hidden article again (before hiding rules are applied anew)."""
        changed = 0

        def run(db: sqlite3.Connection) -> None:
            nonlocal changed
            changed = db.execute("UPDATE article SET hidden=0 WHERE hidden=1").rowcount

        self.write(run)
        return changed

    def remember_dropped(self, feed_id: int, keys: Sequence[str], now: int) -> int:
        """Count the entries a feed's rules kept out of the store, once each (a feed sends
        the same entries again and again); returns how many were new. Keys not seen for
        DROPPED_DAYS are forgotten."""
        added = 0

        def run(db: sqlite3.Connection) -> None:
            nonlocal added
            db.execute(
                "DELETE FROM dropped_entry WHERE feed_id=? AND seen < ?",
                (feed_id, now - DROPPED_DAYS * 86400),
            )
            for key in keys:
                cursor = db.execute(
                    "INSERT OR IGNORE INTO dropped_entry(feed_id, key, seen) VALUES (?, ?, ?)",
                    (feed_id, key, now),
                )
                if cursor.rowcount == 1:
                    added += 1
                else:
                    db.execute(
                        "UPDATE dropped_entry SET seen=? WHERE feed_id=? AND key=?",
                        (now, feed_id, key),
                    )
            db.execute("UPDATE feed SET dropped=dropped+? WHERE id=?", (added, feed_id))

        if keys:
            self.write(run)
        return added

    def feed_title(self, feed_id: int) -> str | None:
        """A feed's stored title (None when it has none)."""
        row = self._db.execute("SELECT title FROM feed WHERE id=?", (feed_id,)).fetchone()
        return str(row[0]) if row and row[0] else None

    def feed_ids_of(self, article_ids: Sequence[int]) -> dict[int, int]:
        """Article id → its feed's id."""
        rows = self._db.execute(
            "SELECT id, feed_id FROM article WHERE id IN (SELECT value FROM json_each(?))",
            (_ids_json(article_ids),),
        )
        return {int(r[0]): int(r[1]) for r in rows}

    def dropped_counts(self) -> dict[int, int]:
        """Feed id → articles its rules kept out of the store."""
        return {
            int(r[0]): int(r[1])
            for r in self._db.execute("SELECT id, dropped FROM feed WHERE dropped > 0")
        }
