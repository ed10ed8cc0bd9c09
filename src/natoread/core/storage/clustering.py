"""Clustering articles into stories: candidates from the sketch index, then `same_story`.

Candidates come from a bottom-k sketch index limited to a time window, so assigning a new
article costs one indexed query plus a few comparisons (`analysis/stories.py` decides).
"""

from __future__ import annotations

import json
import sqlite3
from collections import Counter
from collections.abc import Callable, Mapping, Sequence

from natoread.core.analysis.stories.similarity import (
    HOT_KEY_ROWS,
    LEAD_CHARS,
    MAX_CANDIDATES,
    MAX_TITLE_CANDIDATES,
    MIN_SHARED_KEYS,
    WINDOW_S,
    StoryText,
    TextCache,
    entry_story_text,
    same_story,
)
from natoread.core.storage.store import Store

__all__ = ["Prematch", "assign_stories", "assign_unassigned", "prematch_stories"]


def _texts(db: sqlite3.Connection, ids: Sequence[int]) -> dict[int, tuple[StoryText, int, int]]:
    """(StoryText, published, feed id) of each article in `ids`."""
    if not ids:
        return {}
    rows = db.execute(
        "SELECT id, title, substr(body, 1, ?), published, feed_id FROM article"
        " WHERE id IN (SELECT value FROM json_each(?))",
        (LEAD_CHARS + 200, json.dumps(list(ids))),
    )
    return {int(r[0]): (entry_story_text(r[1], r[2]), int(r[3]), int(r[4])) for r in rows}


def _candidates(
    db: sqlite3.Connection,
    article_id: int,
    text: StoryText,
    published: int,
    after: int = 0,
) -> list[int]:
    """Clustered articles in the time window that share sketch keys or the title (only
    those with ids above `after`)."""
    low, high = published - WINDOW_S, published + WINDOW_S
    found: list[int] = []
    keys = text.keys
    if keys:
        one_key = (
            "SELECT * FROM (SELECT article_id FROM sketch"
            " WHERE key=? AND published BETWEEN ? AND ? AND article_id > ?"
            f" ORDER BY published DESC LIMIT {HOT_KEY_ROWS})"
        )
        params: list[int] = []
        for key in keys:
            params += (key, low, high, after)
        found = [
            int(r[0])
            for r in db.execute(
                f"SELECT article_id FROM ({' UNION ALL '.join([one_key] * len(keys))})"
                " WHERE article_id != ? GROUP BY article_id HAVING COUNT(*) >= ?"
                " ORDER BY COUNT(*) DESC, article_id DESC LIMIT ?",
                (*params, article_id, min(MIN_SHARED_KEYS, len(keys)), MAX_CANDIDATES),
            )
        ]
    if text.title_key is not None:
        found += [
            int(r[0])
            for r in db.execute(
                "SELECT article_id FROM story WHERE title_key=? AND published BETWEEN ? AND ?"
                " AND article_id != ? AND article_id > ? LIMIT ?",
                (text.title_key, low, high, article_id, after, MAX_TITLE_CANDIDATES),
            )
        ]
    return list(dict.fromkeys(found))


RECENT_ROWS = 5000
"""`_Recent` is used while the rows saved after the watermark are at most this many."""


class _Recent:
    """Sketch and title rows of the articles clustered after a watermark, held in memory.

    Under the write lock a writer only looks at articles clustered after its comparison
    before the lock (another writer's last feed or two, and its own batch so far). `_candidates`
    with `after` found those through the key index, reading every row of each key in the time
    window and skipping the old ones: as costly as the full comparison. These rows come from
    one range read of the article id instead, and `candidates` gives exactly what
    `_candidates` gives for them.
    """

    def __init__(self) -> None:
        self.by_key: dict[int, list[tuple[int, int]]] = {}
        """sketch key → (published, article id) of the recent rows."""
        self.by_title: dict[int, list[tuple[int, int]]] = {}
        """title key → (published, article id) of the recent stories."""

    @classmethod
    def load(cls, db: sqlite3.Connection, after: int) -> _Recent | None:
        """The rows of articles above `after` (None when there are too many to hold)."""
        sketches = db.execute(
            "SELECT key, published, article_id FROM sketch WHERE article_id > ? LIMIT ?",
            (after, RECENT_ROWS + 1),
        ).fetchall()
        if len(sketches) > RECENT_ROWS:
            return None
        recent = cls()
        for key, published, article_id in sketches:
            recent.by_key.setdefault(key, []).append((published, article_id))
        for title_key, published, article_id in db.execute(
            "SELECT title_key, published, article_id FROM story"
            " WHERE article_id > ? AND title_key IS NOT NULL",
            (after,),
        ):
            recent.by_title.setdefault(title_key, []).append((published, article_id))
        return recent

    def add(self, article_id: int, text: StoryText, published: int) -> None:
        """Hold the rows of an article just clustered."""
        for key in text.keys:
            self.by_key.setdefault(key, []).append((published, article_id))
        if text.title_key is not None:
            self.by_title.setdefault(text.title_key, []).append((published, article_id))

    def candidates(self, article_id: int, text: StoryText, published: int, after: int) -> list[int]:
        """`_candidates(db, article_id, text, published, after)` over the rows held here."""
        low, high = published - WINDOW_S, published + WINDOW_S
        shared: Counter[int] = Counter()
        for key in text.keys:
            rows = [r for r in self.by_key.get(key, ()) if low <= r[0] <= high and r[1] > after]
            rows.sort(reverse=True)  # the key index read backwards: newest, then highest id
            shared.update(r[1] for r in rows[:HOT_KEY_ROWS] if r[1] != article_id)
        need = min(MIN_SHARED_KEYS, len(text.keys))
        found = [a for a, n in shared.items() if n >= need]
        found.sort(key=lambda a: (-shared[a], -a))
        del found[MAX_CANDIDATES:]
        if text.title_key is not None:
            same_title = sorted(  # the title index's order: oldest first
                r
                for r in self.by_title.get(text.title_key, ())
                if low <= r[0] <= high and r[1] > after and r[1] != article_id
            )
            found += [r[1] for r in same_title[:MAX_TITLE_CANDIDATES]]
        return list(dict.fromkeys(found))


def _matches(
    db: sqlite3.Connection,
    text: StoryText,
    feed_id: int,
    candidates: list[int],
    story_of: Mapping[int, int],
    cache: TextCache,
    stories: set[int],
) -> list[int]:
    """The candidates that are versions of `text`'s story, one per story; adds their stories
    to `stories` (a story already there is not compared again)."""
    missing = [c for c in candidates if c not in cache]
    if missing:
        cache.remember(_texts(db, missing))
    matched: list[int] = []
    for candidate in candidates:
        story = story_of.get(candidate)
        # One matching member per story is enough: the rest of that story is skipped.
        if story is None or story in stories or candidate not in cache:
            continue
        other, _, other_feed = cache[candidate]
        if same_story(text, other, same_feed=other_feed == feed_id):
            stories.add(story)
            matched.append(candidate)
    return matched


def _stories_of(db: sqlite3.Connection, article_ids: Sequence[int]) -> dict[int, int]:
    """The story of each clustered article in `article_ids`."""
    if not article_ids:
        return {}
    marks = ",".join("?" * len(article_ids))
    return dict(
        db.execute(
            f"SELECT article_id, story_id FROM story WHERE article_id IN ({marks})", article_ids
        )
    )


def _assign(
    db: sqlite3.Connection,
    article_id: int,
    article: tuple[StoryText, int, int],
    cache: TextCache,
    prematch: Prematch | None = None,
    recent: _Recent | None = None,
) -> None:
    """Put one article into the story of its near-duplicates (merging those), or a new one.

    With a `prematch`, the articles clustered up to its watermark were compared before the
    write lock: only newer ones are looked at here (from `recent` when it holds them), and
    the matches' stories are re-read (another writer may have merged them since).
    """
    text, published, feed_id = article
    after, matched = (0, []) if prematch is None else prematch
    if prematch is not None and recent is not None:
        candidates = recent.candidates(article_id, text, published, after)
    else:
        candidates = _candidates(db, article_id, text, published, after)
    story_of = _stories_of(db, list(dict.fromkeys(matched + candidates)))
    story_ids = {story_of[m] for m in matched if m in story_of}
    _matches(db, text, feed_id, candidates, story_of, cache, story_ids)
    target = min(story_ids) if story_ids else article_id
    if len(story_ids) > 1:
        # The biggest story absorbs the others, so a merge rewrites the fewest rows (union by
        # size); among equals the oldest id stays.
        marks = ",".join("?" * len(story_ids))
        sizes = dict(
            db.execute(
                f"SELECT story_id, COUNT(*) FROM story WHERE story_id IN ({marks})"
                " GROUP BY story_id",
                sorted(story_ids),
            )
        )
        target = min(story_ids, key=lambda story: (-sizes.get(story, 0), story))
    others = sorted(story_ids - {target})
    if others:
        marks = ",".join("?" * len(others))
        db.execute(f"UPDATE story SET story_id=? WHERE story_id IN ({marks})", (target, *others))
    db.execute(
        "INSERT INTO story(article_id, story_id, title_key, published) VALUES (?,?,?,?)",
        (article_id, target, text.title_key, published),
    )
    db.executemany(
        "INSERT INTO sketch(key, article_id, published) VALUES (?,?,?)",
        [(key, article_id, published) for key in text.keys],
    )
    if recent is not None:
        recent.add(article_id, text, published)
    cache.remember({article_id: article})


Prematch = tuple[int, list[int]]
"""(watermark, matched article ids): a new article compared, before the write lock, with the
articles clustered when the highest article id was the watermark."""


def prematch_stories(
    store: Store, texts: Mapping[int, tuple[StoryText, int, int]], cache: TextCache
) -> dict[int, Prematch]:
    """Compare articles about to be saved with the clustered ones, in one read transaction.

    A writer does this before taking the write lock; `assign_stories` then looks only at
    articles saved after the watermark (by other writers meanwhile, or earlier in the same
    batch). The result is keyed like `texts`.
    """
    if not texts:
        return {}

    def run(db: sqlite3.Connection) -> dict[int, Prematch]:
        watermark = int(db.execute("SELECT COALESCE(MAX(id), 0) FROM article").fetchone()[0])
        found: dict[int, Prematch] = {}
        for key, (text, published, feed_id) in texts.items():
            candidates = _candidates(db, 0, text, published)
            story_of = _stories_of(db, candidates)
            matched = _matches(db, text, feed_id, candidates, story_of, cache, set())
            found[key] = (watermark, matched)
        return found

    return store.read(run)


def assign_stories(
    store: Store,
    article_ids: Sequence[int],
    cache: TextCache | None = None,
    known: Mapping[int, tuple[StoryText, int, int]] | None = None,
    prematched: Mapping[int, Prematch] | None = None,
) -> None:
    """Cluster newly saved articles into stories (call after each feed's save; idempotent).

    `known` may hold the (StoryText, published, feed id) of some of the articles, computed
    by the caller from the entries it just saved; the others are read back. `prematched`
    holds `prematch_stories` results by article id.
    """
    if not article_ids:
        return
    known = known or {}
    prematched = prematched or {}

    def run(db: sqlite3.Connection) -> None:
        assigned = {
            int(r[0])
            for r in db.execute(
                "SELECT article_id FROM story WHERE article_id IN (SELECT value FROM json_each(?))",
                (json.dumps(list(article_ids)),),
            )
        }
        todo = {i: known[i] for i in article_ids if i in known and i not in assigned}
        todo |= _texts(db, [i for i in article_ids if i not in assigned and i not in todo])
        texts = TextCache() if cache is None else cache
        watermarks = [prematched[i][0] for i in todo if i in prematched]
        recent = _Recent.load(db, min(watermarks)) if watermarks else None
        for article_id in sorted(todo, key=lambda i: (todo[i][1], i)):
            _assign(db, article_id, todo[article_id], texts, prematched.get(article_id), recent)

    store.write(run)


def assign_unassigned(
    store: Store, batch: int = 2000, progress: Callable[[int, int], None] | None = None
) -> int:
    """Cluster every topic-matching article that has no story yet, oldest first, reporting
    (done, total) after each batch."""
    unassigned = (
        " FROM article a WHERE a.matched=1 AND NOT EXISTS"
        " (SELECT 1 FROM story s WHERE s.article_id=a.id)"
    )
    total = store.read(lambda db: int(db.execute(f"SELECT COUNT(*){unassigned}").fetchone()[0]))
    done = 0
    while True:
        rows = store.read(
            lambda db: [
                int(r[0])
                for r in db.execute(
                    f"SELECT a.id{unassigned} ORDER BY a.published, a.id LIMIT ?", (batch,)
                )
            ]
        )
        if not rows:
            return done
        assign_stories(store, rows)
        done += len(rows)
        if progress:
            progress(done, max(total, done))
