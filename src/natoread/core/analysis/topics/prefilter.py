"""The topic engine's prefilter: substring tests that reject most documents cheaply.

Pure. A document can match a topic only if it holds a strong or context term, or two near
terms of one topic; `needles` and `near_needles` turn those terms into a few substring tests
that every such document passes, and `NeedleFilter` runs them (the engine's tests check that
nothing passing the full path is rejected here).
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Iterable

from natoread.core.analysis.topics.trie import trie_pattern

Needles = tuple[tuple[str, tuple[tuple[str, ...], ...]], ...]  # see `needles`
# (shared prefix, ((pieces, topic index, near term as configured), ...)): see `near_needles`
NearNeedles = tuple[tuple[str, tuple[tuple[tuple[str, ...], int, str], ...]], ...]


def minimal(words: Iterable[str]) -> list[str]:
    """The words that hold no other word of `words` at a word start: a document holding any
    holds one of these, and where a word begins there (see `NeedleFilter`)."""
    unique = set(words)
    return sorted(unique - holding(unique, unique))


def holding(needles: Iterable[str], texts: Iterable[str]) -> set[str]:
    """The texts that hold a needle other than themselves at a word start (at the text's start
    or after a non-word character: "atlantic" is not in "transatlantic" for this).

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
            within = at + len(needle) <= starts[index] + len(text)
            if text != needle and within and not _is_word(joined[at - 1 : at]):
                found.add(text)
            at = joined.find(needle, at + 1)
    return found


def _is_word(char: str) -> bool:
    """Is `char` a regex word character (an empty string is not)?"""
    return char.isalnum() or char == "_"


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


def near_needles(near: Iterable[tuple[int, str, str]]) -> NearNeedles:
    """Substring tests for each near term (topic index, key, term), grouped as in `needles`."""
    split = [(index, key.split(" "), term) for index, key, term in near]
    prefix_of = _shared_prefixes(max(pieces, key=len) for _, pieces, _ in split)
    groups: dict[str, list[tuple[tuple[str, ...], int, str]]] = {}
    for index, pieces, term in split:
        groups.setdefault(prefix_of[max(pieces, key=len)], []).append((tuple(pieces), index, term))
    return tuple((first, tuple(members)) for first, members in sorted(groups.items()))


# Any character that is not a word character, and some that are: `re` tests these by code
# point ranges, much faster than `\W` by Unicode category. Starts after other letters ("é",
# "ł") are tried too, which costs a trie attempt and never hides a needle.
_BEFORE_WORD = r"[^0-9a-z\u0430-\u045f]"


class NeedleFilter:
    """Could a document hold a strong or context term, or two near terms of one topic?

    Built from `needles` and `near_needles`. A term's pieces each begin a word in any text
    that the term matches (after a non-word character, or at the start), and so do the
    prefixes that stand for them; `minimal` keeps only anchors that other anchors hold at a
    word start. So one regex pass over the word starts finds the groups' first pieces, rather
    than a substring search of the whole text per group; the other pieces are looked for only
    in the groups found.
    """

    __slots__ = ("_members", "_rests", "_scan", "_within")

    def __init__(self, needles: Needles, near: NearNeedles) -> None:
        self._rests = dict(needles)
        self._members = dict(near)
        firsts = {*self._rests, *self._members}
        trie = trie_pattern(firsts)
        self._scan = re.compile(f"{_BEFORE_WORD}(?=({trie}))") if firsts else None
        # The scan reports the longest first piece at a word start; the shorter ones that it
        # starts with are there too.
        self._within = {
            first: {first[:end] for end in range(1, len(first) + 1)} & firsts for first in firsts
        }

    def passes(self, folded: str) -> bool:
        """Does `folded` pass (see the class)? Stops at the first group whose pieces are all
        there: a document about the alliance names it early, as a rule."""
        if self._scan is None:
            return False
        checked: set[str] = set()
        near_seen: dict[int, str] = {}  # topic index -> the first near term of it found
        for match in self._scan.finditer(f"\n{folded}"):
            for first in self._within[match[1]] - checked:
                checked.add(first)
                for rest in self._rests.get(first, ()):
                    if all(piece in folded for piece in rest):
                        return True
                for pieces, index, term in self._members.get(first, ()):
                    present = all(piece in folded for piece in pieces)
                    if present and near_seen.setdefault(index, term) != term:
                        return True
        return False
