"""Re-deriving stored outputs of heuristic code when its version changes (`polling/derived.py`).

Each rewrite walks the table in id order in batches, one transaction per batch, and reports
(done, total) after each: a big store is re-derived in the background without holding the
write lock for long. The functions that derive come from the caller: storage runs no analysis.
"""

from __future__ import annotations

import functools
import sqlite3
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from natoread.core.storage.articles import ArticleWrites

if TYPE_CHECKING:
    from natoread.core.analysis.records import Quote

Progress = Callable[[int, int], None]
ExtractQuotes = Callable[[str], tuple[Sequence["Quote"], Sequence[str | None]]]
"""A document's quotes and the speaker key of each."""


class DerivedRewrites(ArticleWrites):
    """Batch rewrites of derived columns (a part of `Store`)."""

    def _batches(
        self,
        where: str,
        columns: str,
        batch: int,
        progress: Progress | None,
        rewrite: Callable[..., None],
    ) -> int:
        """Run `rewrite` over the matching articles in id order; returns how many."""
        total = int(self._db.execute(f"SELECT COUNT(*) FROM article WHERE {where}").fetchone()[0])
        done = 0
        last_id = -1
        while True:
            rows = self._db.execute(
                f"SELECT id, {columns} FROM article WHERE id > ? AND {where} ORDER BY id LIMIT ?",
                (last_id, batch),
            ).fetchall()
            if not rows:
                return done
            last_id = int(rows[-1][0])
            self.write(functools.partial(rewrite, rows=rows))
            done += len(rows)
            if progress:
                progress(done, max(total, done))

    def rehash_articles(
        self,
        digest: Callable[[str, str], str],
        *,
        batch: int = 2000,
        progress: Progress | None = None,
    ) -> int:
        """Recompute every article's content hash; returns the number of articles."""

        def rewrite(db: sqlite3.Connection, rows: list[tuple[Any, ...]]) -> None:
            db.executemany(
                "UPDATE article SET content_hash=? WHERE id=? AND content_hash IS NOT ?",
                [(digest(str(t), str(b)), i, digest(str(t), str(b))) for i, t, b in rows],
            )

        return self._batches("1", "title, body", batch, progress, rewrite)

    def reextract_quotes(
        self, extract: ExtractQuotes, *, batch: int = 200, progress: Progress | None = None
    ) -> int:
        """Extract the quotes of every article whose quotes were extracted already (deferred
        ones wait for their first read); returns the number of articles."""

        def rewrite(db: sqlite3.Connection, rows: list[tuple[Any, ...]]) -> None:
            for article_id, title, body in rows:
                quotes, keys = extract(f"{title}\n{body}")
                db.execute("DELETE FROM quote WHERE article_id=?", (article_id,))
                self._insert_quotes(db, int(article_id), quotes, keys)
                db.execute("UPDATE article SET quote_count=? WHERE id=?", (len(quotes), article_id))

        return self._batches("quotes_done=1", "title, body", batch, progress, rewrite)

    def forget_stories(self) -> None:
        """Drop every story and sketch row (before clustering again under new rules)."""

        def run(db: sqlite3.Connection) -> None:
            db.execute("DELETE FROM sketch")
            db.execute("DELETE FROM story")

        self.write(run)
