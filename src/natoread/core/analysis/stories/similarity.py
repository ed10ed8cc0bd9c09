"""Story similarity: whether two articles are versions of one event (pure functions).

Two articles are versions of one story when the word 3-shingles of their normalised title and
lead overlap enough (exact Jaccard or containment), or when their normalised titles are equal
and their leads do not contradict that. The store keeps each article's bottom-k sketch and
title key (`storage/clustering.py` finds candidates through them), so `STORIES_VERSION` says
which rules made them (bump it in `__init__.py` with any change here that changes them).
"""

from __future__ import annotations

import hashlib
import re
from collections import OrderedDict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cached_property
from itertools import compress
from typing import TypeVar

from natoread.core.text.words import words

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
_CAPITALISED = re.compile(r"(?<![\w'’])[A-Z]\S*")
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


def entry_story_text(title: str, body: str) -> StoryText:
    """The StoryText of an article from its stored title and body (as `_texts` reads it)."""
    return story_text(title, body[: LEAD_CHARS + 200])
