"""The topic engine's prefilter: substring tests that reject most documents cheaply.

Pure. A document can match a topic only if it holds a strong or context term, or two near
terms of one topic; `needles` and `near_needles` turn those terms into a few `str` searches
that every such document passes (the engine's tests check that nothing passing the full
path is rejected here).
"""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Iterable

Needles = tuple[tuple[str, tuple[tuple[str, ...], ...]], ...]  # see `needles`
# (shared prefix, ((pieces, topic index, near term as configured), ...)): see `near_needles`
NearNeedles = tuple[tuple[str, tuple[tuple[tuple[str, ...], int, str], ...]], ...]


def minimal(words: Iterable[str]) -> list[str]:
    """The words that hold no other word of `words`: a document holding any holds one of these."""
    unique = set(words)
    return sorted(unique - holding(unique, unique))


def holding(needles: Iterable[str], texts: Iterable[str]) -> set[str]:
    """The texts that hold a needle other than themselves.

    One substring search per needle over all the texts joined, rather than a test per pair:
    the built-in tables have thousands of terms.
    """
    ordered = sorted(set(texts))
    joined = "\n".join(ordered)
    starts = list(itertools.accumulate((len(text) + 1 for text in ordered[:-1]), initial=0))
    found: set[str] = set()
    for needle in set(needles):
        if not needle:
            continue
        at = joined.find(needle)
        while at >= 0:
            index = bisect.bisect_right(starts, at) - 1
            text = ordered[index]
            # A match running past its text's end spans the joint: it is in no one text.
            if text != needle and at + len(needle) <= starts[index] + len(text):
                found.add(text)
            at = joined.find(needle, at + 1)
    return found


def needles(anchors: Iterable[str]) -> Needles:
    """Substring tests that every document holding an anchor passes: a cheap prefilter.

    Only a space in an anchor stands for a separator run, so a match of an anchor holds each
    of its space-separated pieces literally. Anchors are grouped by their longest piece (the
    rarest, as a rule), which is searched first; the other pieces of the group's anchors
    are looked for only when it occurs.
    """
    split = [(max(pieces, key=len), pieces) for pieces in (a.split(" ") for a in sorted(anchors))]
    prefix_of = _shared_prefixes(first for first, _ in split)
    groups: dict[str, list[tuple[str, ...]]] = {}
    for first, pieces in split:
        rest = list(pieces)
        rest.remove(first)
        groups.setdefault(prefix_of[first], []).append(tuple(rest))
    return tuple((first, tuple(rests)) for first, rests in sorted(groups.items()))


_PREFIX_MIN = 5  # shorter shared prefixes would pass too many documents to the full path


def _shared_prefixes(words: Iterable[str]) -> dict[str, str]:
    """Each word -> the prefix it shares with its neighbours in sorted order (or itself).

    The inflected forms of one word ("członkostwo", "członkostwa", ...) become one substring
    test: a document holding any form holds their common prefix.
    """
    ordered = sorted(set(words))
    mapping: dict[str, str] = {}
    run: list[str] = []
    common = ""

    def close() -> None:
        for word in run:
            mapping[word] = common

    for word in ordered:
        if run:
            shared = _common_prefix(common, word)
            if len(shared) >= _PREFIX_MIN:
                run.append(word)
                common = shared
                continue
            close()
        run, common = [word], word
    close()
    return mapping


def _common_prefix(first: str, second: str) -> str:
    """The longest common prefix of two strings."""
    length = 0
    for a, b in zip(first, second, strict=False):
        if a != b:
            break
        length += 1
    return first[:length]


def has_needles(folded: str, needles: Needles) -> bool:
    """Does `folded` hold every piece of some anchor (see `needles`)?"""
    for first, rests in needles:
        if first in folded:
            for rest in rests:
                if all(piece in folded for piece in rest):
                    return True
    return False


def near_needles(near: Iterable[tuple[int, str, str]]) -> NearNeedles:
    """Substring tests for each near term (topic index, key, term), grouped as in `needles`."""
    split = [(index, key.split(" "), term) for index, key, term in near]
    prefix_of = _shared_prefixes(max(pieces, key=len) for _, pieces, _ in split)
    groups: dict[str, list[tuple[tuple[str, ...], int, str]]] = {}
    for index, pieces, term in split:
        groups.setdefault(prefix_of[max(pieces, key=len)], []).append((tuple(pieces), index, term))
    return tuple((first, tuple(members)) for first, members in sorted(groups.items()))


def has_near_pair(folded: str, near: NearNeedles) -> bool:
    """Could two different near terms of one topic occur in `folded` (see `corroborated`)?"""
    seen: dict[int, str] = {}
    for first, members in near:
        if first in folded:
            for pieces, index, term in members:
                if all(piece in folded for piece in pieces):
                    other = seen.setdefault(index, term)
                    if other != term:
                        return True
    return False
