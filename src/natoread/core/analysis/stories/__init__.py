"""Story clusters, the pure part: whether two articles tell one event, and a story's quotes.

Callers use the names below from here. They are loaded on first use (module `__getattr__`),
so code that only reads `STORIES_VERSION` (every poll pass checks the stored versions, see
`polling/derived.py`) does not load the similarity rules.

Modules:
    similarity  normalised title and lead, shingles, bottom-k sketches, `same_story`
    quotes      a story's quotes merged across outlets

The SQL side (candidates through the sketch index, clustering, listings) is in
`storage/clustering.py` and `storage/stories.py`.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from natoread.core.analysis.stories.quotes import (
        MergedQuote,
        QuoteRow,
        QuoteSource,
        merge_quotes,
        quote_key,
    )
    from natoread.core.analysis.stories.similarity import (
        HOT_KEY_ROWS,
        LEAD_CHARS,
        MAX_CANDIDATES,
        MAX_TITLE_CANDIDATES,
        MIN_SHARED_KEYS,
        SKETCH_SIZE,
        WINDOW_S,
        StoryText,
        TextCache,
        clean_lead,
        clean_title,
        entry_story_text,
        names_clash,
        same_story,
        sketch,
        stable_hash,
        story_text,
    )

__all__ = [
    "HOT_KEY_ROWS",
    "LEAD_CHARS",
    "MAX_CANDIDATES",
    "MAX_TITLE_CANDIDATES",
    "MIN_SHARED_KEYS",
    "SKETCH_SIZE",
    "STORIES_VERSION",
    "WINDOW_S",
    "MergedQuote",
    "QuoteRow",
    "QuoteSource",
    "StoryText",
    "TextCache",
    "clean_lead",
    "clean_title",
    "entry_story_text",
    "merge_quotes",
    "names_clash",
    "quote_key",
    "same_story",
    "sketch",
    "stable_hash",
    "story_text",
]

# The version of the stored story rows, sketches and title keys. Bump it with any change to
# similarity.py that changes them (normalisation, shingles, sketch size, hashing, the rules
# of same_story): every story is clustered again at the next poll pass.
STORIES_VERSION = 1

_QUOTES = frozenset({"MergedQuote", "QuoteRow", "QuoteSource", "merge_quotes", "quote_key"})


def __getattr__(name: str) -> object:
    """Load the similarity rules or the quote merging on first use (see the docstring)."""
    if name.startswith("__"):
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    part = "quotes" if name in _QUOTES else "similarity"
    module = import_module(f"{__name__}.{part}")
    try:
        value = getattr(module, name)
    except AttributeError:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}") from None
    globals()[name] = value
    return value
