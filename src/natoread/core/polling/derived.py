"""Versioned derived data: stored outputs of heuristic code are re-derived when it changes.

Each derivation names a stored output, the version of the code that makes it (a constant next
to that code) and how to derive it again. The store keeps the version each output was made
under in `meta` ("version:<name>"; topic verdicts keep their rules hash under "rules_hash").
At the start of a poll pass (`sync_derived`) whatever is stale is re-derived, in batches, with
progress. An empty store records the current versions without work; a store that holds
articles but no version was made before versions were kept, by version `UNVERSIONED` of
every output, and is brought up to date like any other.

Only constants are imported to decide; the code that re-derives is imported when it runs, so
a pass in which nothing is stale stays as light as before.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from natoread.core.analysis.quotes import SPEAKERS_VERSION
from natoread.core.analysis.stories import STORIES_VERSION
from natoread.core.text.normalise import CONTENT_HASH_VERSION

if TYPE_CHECKING:
    from natoread.core.analysis.analyser import Analyser
    from natoread.core.analysis.records import Quote
    from natoread.core.storage.store import Store

Progress = Callable[[int, int], None]
UNVERSIONED = "1"
"""The version of every output in stores made before versions were recorded."""


class Derivation:
    """One stored output of heuristic code, its current version and how to re-derive it.

    (A plain class: every poll pass imports this module, and a dataclass costs more to define.)
    """

    __slots__ = ("key", "name", "rederive", "version", "when_unrecorded")

    def __init__(
        self,
        name: str,
        version: str,
        rederive: Callable[[Store, Progress | None], int],
        *,
        meta_key: str = "",
        when_unrecorded: bool = False,
    ) -> None:
        self.name = name
        self.version = version
        self.rederive = rederive
        """Re-derive every stored value; returns how many rows (or names) it went through."""
        self.key = meta_key or f"version:{name}"
        """Where the store keeps the version ("version:<name>" unless given)."""
        self.when_unrecorded = when_unrecorded
        """Re-derive even when no version is recorded (it only touches outdated rows)."""

    def __repr__(self) -> str:
        return f"Derivation({self.name!r}, {self.version!r})"


def _rehash(store: Store, progress: Progress | None) -> int:
    from natoread.core.text.normalise import content_hash

    return store.rehash_articles(content_hash, progress=progress)


def _extract_with_keys(document: str) -> tuple[Sequence[Quote], Sequence[str | None]]:
    """The quotes of a document and each one's speaker key."""
    from natoread.core.analysis.quotes import extract_quotes, speaker_key

    quotes = extract_quotes(document)
    return quotes, tuple(speaker_key(q.speaker) if q.speaker else None for q in quotes)


def _reextract(store: Store, progress: Progress | None) -> int:
    # Extraction writes the speaker keys too; names kept by articles whose extraction is
    # still deferred have none to re-key.
    return store.reextract_quotes(_extract_with_keys, progress=progress)


def _recluster(store: Store, progress: Progress | None) -> int:
    from natoread.core.storage.clustering import assign_unassigned

    store.forget_stories()
    return assign_unassigned(store, progress=progress)


def derivations(analyser: Analyser) -> list[Derivation]:
    """Every versioned output, in the order they are re-derived (stories last: they cluster
    topic matches)."""

    def retopic(store: Store, progress: Progress | None) -> int:
        # The rules are compiled at the first article to re-tag: a new store has none, and
        # its first pass compiles them where it first analyses, beside the downloads.
        return store.retopic(
            lambda title, body: analyser.engine.classify(title, body),
            analyser.rules_hash,
            progress=progress,
        )

    return [
        Derivation("content_hash", str(CONTENT_HASH_VERSION), _rehash),
        Derivation(
            "topics", analyser.rules_hash, retopic, meta_key="rules_hash", when_unrecorded=True
        ),
        Derivation("speakers", str(SPEAKERS_VERSION), _reextract),
        Derivation("stories", str(STORIES_VERSION), _recluster),
    ]


def stale(store: Store, items: Sequence[Derivation]) -> list[Derivation]:
    """The derivations whose stored version differs from the current one."""
    found = []
    holds_articles: bool | None = None
    for item in items:
        stored = store.get_meta(item.key)
        if stored is None and not item.when_unrecorded:
            if holds_articles is None:
                holds_articles = store.count_articles() > 0
            stored = UNVERSIONED if holds_articles else item.version
        if stored != item.version:
            found.append(item)
    return found


def sync_derived(
    store: Store, items: Sequence[Derivation], progress: Progress | None = None
) -> int:
    """Re-derive the stale outputs and record the current versions; returns the rows done.

    A version is recorded only after its output is re-derived: a pass cut short starts again
    at the next one.
    """
    done = 0
    for item in stale(store, items):
        done += item.rederive(store, progress)
        store.set_meta(item.key, item.version)
    if not store.read_only:
        for item in items:
            if store.get_meta(item.key) is None:
                store.set_meta(item.key, item.version)
    return done
