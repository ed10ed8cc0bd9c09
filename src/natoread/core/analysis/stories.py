"""Story clusters: one story per event, however many outlets reprint or rewrite it.

Two articles are versions of one story when the word 3-shingles of their normalised title and
lead overlap enough (exact Jaccard or containment), or when their normalised titles are equal
and their leads do not contradict that. Candidates come from a bottom-k sketch index limited
to a time window, so assigning a new article costs one indexed query plus a few comparisons.
"""

from __future__ import annotations

import hashlib
import json
import re
import sqlite3
import unicodedata
from array import array
from collections import Counter, OrderedDict
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cached_property
from itertools import compress
from typing import TypeVar

from natoread.core.storage.records import ArticleQuery, ArticleRow
from natoread.core.storage.store import TYPOGRAPHIC_MARKS, Store

LEAD_CHARS = 400
"""How much of the body counts as the lead."""
SKETCH_SIZE = 12
"""Number of smallest shingle hashes kept per article (k of the bottom-k sketch)."""
WINDOW_S = 72 * 3600
"""Only articles published this close to each other can be one story."""
NEAR_COPY = 0.8
"""Shingle Jaccard of copies that differ only in a few words: always one story."""
MATCH_JACCARD = 0.5
"""Shingle Jaccard at or above which two articles are one story (if names do not clash)."""
MATCH_CONTAINMENT = 0.8
"""Share of the shorter text's shingles found in the longer one (truncated reprints)."""
REWRITE_JACCARD = 0.2
"""Lower Jaccard accepted for rewrites whose titles share enough words."""
REWRITE_TITLE_OVERLAP = 0.15
"""Jaccard of title content words needed for a rewrite."""
TITLE_MATCH_JACCARD = 0.2
"""With equal normalised titles, the Jaccard the full texts still need."""
MIN_TITLE_WORDS = 4
"""Shorter titles ("Live updates") are too generic to merge on."""
MIN_SHARED_KEYS = 2
"""Sketch keys a candidate must share (one shared key is mostly a common phrase)."""
MAX_CANDIDATES = 20
"""Articles sharing sketch keys compared with a new one, at most (the most keys first)."""
MAX_TITLE_CANDIDATES = 20
"""Articles with the same normalised title compared with a new one, at most."""

_PREFIX = re.compile(
    r"^\s*(?:update|wrapup|refile|corrected|exclusive|breaking|analysis|live|factbox|explainer"
    r"|insight|focus|watch|video|opinion)\b\s*\d*\s*[-:–—|]\s*",
    re.IGNORECASE,
)
_SUFFIX = re.compile(r"\s+(?:[-–—|]|::)\s+([^-–—|]{1,40})$")
_DATELINE = re.compile(
    r"^\s*[A-Z][A-Z .'’/-]{1,40}(?:,\s*[A-Z][a-z]{2,8}\.?\s+\d{1,2})?\s*"
    r"(?:\([A-Za-z .]{1,20}\))?\s*(?:--?|–|—)\s+"
)
_POSSESSIVE = re.compile(r"['’ʼ]s\b")
_APOSTROPHE = re.compile(r"['’ʼ]")
_COMBINING = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")
_CAPITALISED = re.compile(r"(?<![\w'’])[A-Z]\S*")
_WORD = re.compile(r"[^\W_]+")
_ASCII_SEPARATORS = {i: " " for i in range(128) if not chr(i).isalnum()}
"""Every ASCII character that separates words (what `_WORD` does not match)."""
_WEEKDAYS = frozenset(
    ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
)
_STOPWORDS = frozenset(
    "a an the of to in on at for and or but as is are was were be by with from after over its"
    " it this that will would has have had than into up out new says said say".split()
)
_COMMON = (
    _STOPWORDS
    | _WEEKDAYS
    | frozenset(
        "about also not no more last week year month told reporters statement according could"
        " should been he she they we i you his her their our there which who what when where while"
        " one two all some other if so".split()
    )
)
T = TypeVar("T")
HOT_KEY_ROWS = 50
"""Rows read per sketch key: a key shared by more articles is a common phrase, not a story."""


@dataclass(frozen=True, slots=True)
class Story:
    """One event as reported by one or more outlets."""

    story_id: int
    title: str
    article_ids: tuple[int, ...]
    """Every version, earliest first."""
    feeds: tuple[str, ...]
    """Titles of the feeds that carried it, in order of first report."""
    first_published: datetime
    latest_published: datetime
    sources: int
    """Number of distinct feeds."""


@dataclass(frozen=True, slots=True)
class QuoteSource:
    """Where one version of a quote appeared."""

    article_id: int
    feed_title: str
    published: datetime


@dataclass(frozen=True, slots=True)
class MergedQuote:
    """A quote printed by several outlets, shown once with all its sources."""

    text: str
    speaker: str | None
    speaker_key: str | None
    partial: bool
    sources: tuple[QuoteSource, ...]


@dataclass(frozen=True)
class StoryText:
    """What the matcher knows about one article's title and lead.

    `telling`, `keys`, `names` and `vocabulary` are computed on first use and kept: a cached
    article is compared with many new ones, and a new article's are computed by
    `prematch_stories`, before the writer takes the write lock. A stored article read back
    as a candidate needs none but (if it is similar enough) `names` and `vocabulary`.
    """

    title: str
    lead: str
    shingles: frozenset[str]
    """Word 3-grams of the normalised title and lead."""
    title_key: int | None
    """Hash of the normalised title (None when it is too short to be telling)."""
    title_words: frozenset[str]
    """Title words other than stop words."""
    weekdays: frozenset[str]
    lead_words: int
    tokens: tuple[str, ...]
    """The words of the title, then of the lead (as `words` splits them)."""

    @cached_property
    def telling(self) -> tuple[str, ...]:
        """The shingles that are not common phrases (at most one common word)."""
        tokens = self.tokens
        common = list(map(_COMMON.__contains__, tokens))
        plain = [a + b + c <= 1 for a, b, c in _triples(common)]
        grams = (f"{a} {b} {c}" for a, b, c in _triples(tokens))
        return tuple(set(compress(grams, plain)))

    @cached_property
    def names(self) -> set[str]:
        """Capitalised words and numbers of the title (see `_names`)."""
        return _names(self.title, self.lead)

    @cached_property
    def keys(self) -> list[int]:
        """The bottom-k sketch of the shingles (see `sketch`)."""
        return sketch(self)

    @cached_property
    def vocabulary(self) -> set[str]:
        """Every word of title and lead, plus 4-letter stems (Hungary ~ Hungarian)."""
        tokens = self.tokens
        return set(tokens) | {w[:4] for w in tokens if len(w) > 4}


# -- pure text functions ------------------------------------------------------------------


def clean_title(title: str) -> str:
    """Drop wire prefixes ("UPDATE 2-", "LIVE:") and an outlet suffix ("- Reuters")."""
    text = title.strip()
    while (match := _PREFIX.match(text)) and match.end() < len(text):
        text = text[match.end() :]
    suffix = _SUFFIX.search(text)
    if suffix and len(suffix.group(1).split()) <= 5 and len(text[: suffix.start()].split()) >= 3:
        text = text[: suffix.start()]
    return text.strip()


def clean_lead(body: str) -> str:
    """The first LEAD_CHARS of the body, without a dateline ("BRUSSELS (Reuters) -")."""
    text = body.lstrip()[: LEAD_CHARS + 80]
    text = _DATELINE.sub("", text, count=1)
    if len(text) > LEAD_CHARS:
        cut = text.rfind(" ", 0, LEAD_CHARS)
        text = text[: cut if cut > 0 else LEAD_CHARS]
    return text


def words(text: str) -> list[str]:
    """Casefolded words without diacritics, possessives or punctuation."""
    plain = text.casefold()
    if not plain.isascii():
        plain = _COMBINING.sub("", unicodedata.normalize("NFKD", plain))
    if "'" in plain or "’" in plain or "ʼ" in plain:
        plain = _APOSTROPHE.sub("", _POSSESSIVE.sub("", plain))
    if not plain.isascii():
        # News text is mostly ASCII but for its typographic punctuation: once that is a
        # space (it separates words as it did), the ASCII split below applies.
        for mark in TYPOGRAPHIC_MARKS:
            if mark in plain:
                plain = plain.replace(mark, " ")
        if not plain.isascii():
            return _WORD.findall(plain)
    return plain.translate(_ASCII_SEPARATORS).split()


def stable_hash(text: str) -> int:
    """A 64-bit signed hash that is the same in every process (blake2b)."""
    digest = hashlib.blake2b(text.encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


def _triples(items: Sequence[T]) -> Iterator[tuple[T, T, T]]:
    """Each run of three consecutive items."""
    return zip(items, items[1:], items[2:], strict=False)


def _names(title: str, lead: str) -> set[str]:
    """Capitalised words and numbers of a title (in Title Case, only those the lead capitalises)."""
    tokens = title.split()
    title_case = sum(t[:1].isupper() for t in tokens) > 0.6 * len(tokens)
    lead_caps = set(words(" ".join(_CAPITALISED.findall(lead))))
    names: set[str] = set()
    for position, token in enumerate(tokens):
        capitalised = token[:1].isupper()
        for word in words(token):
            telling = word in lead_caps if title_case or position == 0 else word not in _STOPWORDS
            if any(ch.isdigit() for ch in word) or (capitalised and telling):
                names.add(word)
    return names


def story_text(title: str, body: str) -> StoryText:
    """Shingles and title key of an article's normalised title and lead."""
    title, lead = clean_title(title), clean_lead(body)
    title_words, lead_words = words(title), words(lead)
    tokens = title_words + lead_words
    if len(tokens) >= 3:
        grams = frozenset(f"{a} {b} {c}" for a, b, c in _triples(tokens))
    else:
        grams = frozenset([" ".join(tokens)] if tokens else [])
    key = stable_hash(" ".join(title_words)) if len(title_words) >= MIN_TITLE_WORDS else None
    return StoryText(
        title=title,
        lead=lead,
        shingles=grams,
        title_key=key,
        title_words=frozenset(title_words) - _STOPWORDS,
        weekdays=frozenset(_WEEKDAYS.intersection(lead_words)),
        lead_words=len(lead_words),
        tokens=tuple(tokens),
    )


def sketch(text: StoryText, size: int = SKETCH_SIZE) -> list[int]:
    """The `size` smallest shingle hashes (bottom-k sketch), leaving out common phrases
    ("said on Tuesday") while there are enough other shingles."""
    grams = text.telling if len(text.telling) >= size else text.shingles
    return sorted(stable_hash(g) for g in grams)[:size]


def _unknown_name(names: set[str], vocabulary: set[str]) -> bool:
    """True when some name is absent from the other article (even as a 4-letter stem)."""
    return any(n not in vocabulary and (len(n) <= 4 or n[:4] not in vocabulary) for n in names)


def names_clash(a: StoryText, b: StoryText) -> bool:
    """True when each title names someone/somewhere/a number the other never mentions,
    or when both leads give weekdays and none is shared."""
    if a.weekdays and b.weekdays and not a.weekdays & b.weekdays:
        return True
    return _unknown_name(a.names, b.vocabulary) and _unknown_name(b.names, a.vocabulary)


def same_story(a: StoryText, b: StoryText, *, same_feed: bool = False) -> bool:
    """True when two articles are versions of one story.

    Two articles of one feed must be near copies or share their title: a feed's boilerplate
    (a standard first paragraph) must not merge its different stories.
    """
    if not a.shingles or not b.shingles:
        return False
    common = len(a.shingles & b.shingles)
    jaccard = common / (len(a.shingles) + len(b.shingles) - common)
    if jaccard >= NEAR_COPY:
        return True
    same_title = a.title_key is not None and a.title_key == b.title_key
    if jaccard < min(REWRITE_JACCARD, TITLE_MATCH_JACCARD) and not same_title:
        return False
    # The name check is the costly one: only pairs that are similar enough get it.
    return _similar(a, b, common, jaccard, same_title, same_feed) and not names_clash(a, b)


def _similar(
    a: StoryText, b: StoryText, common: int, jaccard: float, same_title: bool, same_feed: bool
) -> bool:
    """The overlap rules of `same_story` (names aside)."""
    if same_feed:
        return same_title and jaccard >= MATCH_JACCARD
    shorter = min(len(a.shingles), len(b.shingles))
    if jaccard >= MATCH_JACCARD or (shorter >= 12 and common / shorter >= MATCH_CONTAINMENT):
        return True
    if jaccard >= REWRITE_JACCARD:
        union = len(a.title_words | b.title_words)
        if union and len(a.title_words & b.title_words) / union >= REWRITE_TITLE_OVERLAP:
            return True
    return same_title and (jaccard >= TITLE_MATCH_JACCARD or min(a.lead_words, b.lead_words) < 8)


class TextCache(OrderedDict[int, tuple[StoryText, int, int]]):
    """(StoryText, published, feed id) of recently compared articles, bounded in size.

    A long-lived writer passes one cache to every `assign_stories` call, so articles that are
    candidates again are not re-read and re-normalised.
    """

    def __init__(self, size: int = 20_000) -> None:
        super().__init__()
        self.size = size

    def remember(self, items: dict[int, tuple[StoryText, int, int]]) -> None:
        """Add entries, forgetting the oldest beyond the size."""
        self.update(items)
        while len(self) > self.size:
            self.popitem(last=False)


# -- the store ------------------------------------------------------------------------------


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


def entry_story_text(title: str, body: str) -> StoryText:
    """The StoryText of an article from its stored title and body (as `_texts` reads it)."""
    return story_text(title, body[: LEAD_CHARS + 200])


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
    total = int(store.execute(f"SELECT COUNT(*){unassigned}")[0][0])  # type: ignore[call-overload]
    done = 0
    while True:
        rows = store.execute(
            f"SELECT a.id{unassigned} ORDER BY a.published, a.id LIMIT ?", (batch,)
        )
        if not rows:
            return done
        assign_stories(store, [int(r[0]) for r in rows])  # type: ignore[call-overload]
        done += len(rows)
        if progress:
            progress(done, max(total, done))


def _epoch(value: object) -> datetime:
    """Epoch seconds from SQLite → aware UTC datetime."""
    return datetime.fromtimestamp(int(value), UTC)  # type: ignore[call-overload]


def list_stories(
    store: Store,
    min_sources: int = 1,
    limit: int = 50,
    query: ArticleQuery | None = None,
) -> list[Story]:
    """Stories with at least `min_sources` feeds, most recently updated first.

    With `query`, only stories with at least one article matching it are listed.
    """
    params: list[object] = []
    where = ""
    if query is not None and query != ArticleQuery():
        ids = list(store.article_ids(query))
        where = (
            " WHERE s.story_id IN (SELECT story_id FROM story"
            " WHERE article_id IN (SELECT value FROM json_each(?)))"
        )
        params.append(json.dumps(ids))
    heads = store.execute(
        "SELECT s.story_id FROM story s JOIN article a ON a.id=s.article_id"
        f"{where} GROUP BY s.story_id HAVING COUNT(DISTINCT a.feed_id) >= ?"
        " ORDER BY MAX(a.published) DESC, s.story_id DESC LIMIT ?",
        (*params, min_sources, limit),
    )
    order = [int(r[0]) for r in heads]  # type: ignore[call-overload]
    members: dict[int, list[tuple[object, ...]]] = {i: [] for i in order}
    for row in store.execute(
        "SELECT s.story_id, a.id, a.title, a.published, COALESCE(NULLIF(f.title,''), f.url),"
        " a.feed_id FROM story s JOIN article a ON a.id=s.article_id JOIN feed f ON f.id=a.feed_id"
        " WHERE s.story_id IN (SELECT value FROM json_each(?)) ORDER BY a.published, a.id",
        (json.dumps(order),),
    ):
        members[int(row[0])].append(row)  # type: ignore[call-overload]
    stories = []
    for story_id in order:
        rows = members[story_id]
        stories.append(
            Story(
                story_id=story_id,
                title=clean_title(str(rows[0][2])),
                article_ids=tuple(int(r[1]) for r in rows),  # type: ignore[call-overload]
                feeds=tuple(dict.fromkeys(str(r[4]) for r in rows)),
                first_published=_epoch(rows[0][3]),
                latest_published=_epoch(rows[-1][3]),
                sources=len({r[5] for r in rows}),
            )
        )
    return stories


def story_id_of(store: Store, article_id: int) -> int | None:
    """The story an article belongs to (None: not clustered yet, or no such article)."""
    rows = store.execute("SELECT story_id FROM story WHERE article_id=?", (article_id,))
    return int(rows[0][0]) if rows else None  # type: ignore[call-overload]


def _member_ids(store: Store, story_id: int) -> list[int]:
    """Article ids of a story, earliest first."""
    rows = store.execute(
        "SELECT a.id FROM story s JOIN article a ON a.id=s.article_id WHERE s.story_id=?"
        " ORDER BY a.published, a.id",
        (story_id,),
    )
    return [int(r[0]) for r in rows]  # type: ignore[call-overload]


def story_of(store: Store, article_id: int) -> list[ArticleRow]:
    """Every outlet's version of the article's story, earliest first (just it if unclustered)."""
    story_id = story_id_of(store, article_id)
    ids = [article_id] if story_id is None else _member_ids(store, story_id)
    return store.rows_by_ids(ids)


def quote_key(text: str) -> str:
    """A quote's text normalised for comparison across outlets."""
    return " ".join(words(text))


def story_quotes(store: Store, story_id: int) -> list[MergedQuote]:
    """The story's quotes, each distinct quote once with every outlet that printed it."""
    ids = _member_ids(store, story_id)
    rows = store.execute(
        "SELECT q.text, q.speaker, q.speaker_key, q.partial, a.id,"
        " COALESCE(NULLIF(f.title,''), f.url), a.published"
        " FROM quote q JOIN article a ON a.id=q.article_id JOIN feed f ON f.id=a.feed_id"
        " WHERE a.id IN (SELECT value FROM json_each(?)) ORDER BY a.published, a.id, q.start",
        (json.dumps(ids),),
    )
    groups: dict[str, list[tuple[object, ...]]] = {}
    for row in rows:
        key = quote_key(str(row[0]))
        if key:
            groups.setdefault(key, []).append(row)
    # A quote cut short by one outlet joins the longer version that contains it.
    keys = sorted(groups, key=len, reverse=True)
    for short in keys[::-1]:
        if len(short.split()) < 4:
            continue
        host = next((k for k in keys if len(k) > len(short) and f" {short} " in f" {k} "), None)
        if host is not None and short in groups:
            groups[host].extend(groups.pop(short))
    merged = []
    for group in (part for rows in groups.values() for part in _by_speaker(rows)):
        longest = max(group, key=lambda r: len(str(r[0])))
        speakers = Counter(str(r[1]) for r in group if r[1])
        keys_seen = Counter(str(r[2]) for r in group if r[2])
        sources = {int(r[4]): QuoteSource(int(r[4]), str(r[5]), _epoch(r[6])) for r in group}  # type: ignore[call-overload]
        merged.append(
            MergedQuote(
                text=str(longest[0]),
                speaker=speakers.most_common(1)[0][0] if speakers else None,
                speaker_key=keys_seen.most_common(1)[0][0] if keys_seen else None,
                partial=all(bool(r[3]) for r in group),
                sources=tuple(sorted(sources.values(), key=lambda s: (s.published, s.article_id))),
            )
        )
    return sorted(merged, key=lambda m: (m.sources[0].published, m.sources[0].article_id))


def _by_speaker(rows: list[tuple[object, ...]]) -> list[list[tuple[object, ...]]]:
    """Split one quote's versions by who they are attributed to (by surname, so "Mark Rutte"
    and "Rutte" stay together): outlets that credit different people are shown apart, never
    merged under one name. Unattributed versions join the most common attribution."""
    by_name: dict[str, list[tuple[object, ...]]] = {}
    loose = []
    for row in rows:
        name = words(str(row[1] or ""))
        if name:
            by_name.setdefault(name[-1], []).append(row)
        else:
            loose.append(row)
    parts = sorted(by_name.values(), key=len, reverse=True)
    if not parts:
        return [loose]
    parts[0].extend(loose)
    return parts


def source_counts(store: Store, article_ids: Sequence[int]) -> dict[int, int]:
    """Article id → number of distinct feeds in its story, for the ids whose story has 2+."""
    if not article_ids:
        return {}
    rows = store.execute(
        "SELECT s.article_id, COUNT(DISTINCT a.feed_id) FROM story s"
        " JOIN story m ON m.story_id = s.story_id JOIN article a ON a.id = m.article_id"
        " WHERE s.article_id IN (SELECT value FROM json_each(?))"
        " GROUP BY s.article_id HAVING COUNT(DISTINCT a.feed_id) > 1",
        (json.dumps(list(article_ids)),),
    )
    return {int(r[0]): int(r[1]) for r in rows}  # type: ignore[call-overload]


def one_per_story(store: Store, ids: array[int]) -> array[int]:
    """`ids` with every story after its first (newest) listed version left out.

    Only stories with more than one article are read, so this costs one query over the
    clustered articles plus one pass over the ids.
    """
    rows = store.execute(
        "SELECT article_id, story_id FROM story WHERE story_id IN"
        " (SELECT story_id FROM story GROUP BY story_id HAVING COUNT(*) > 1)"
    )
    story = {int(r[0]): int(r[1]) for r in rows}  # type: ignore[call-overload]
    if not story:
        return ids
    seen: set[int] = set()
    kept: array[int] = array("q")
    for article_id in ids:
        key = story.get(article_id)
        if key is None:
            kept.append(article_id)
        elif key not in seen:
            seen.add(key)
            kept.append(article_id)
    return kept
