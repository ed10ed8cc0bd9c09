"""Regex sources for many literal terms at once, factored as a trie (pure).

`re` tries the alternatives of a flat alternation one by one at each offset; factored by shared
prefixes it follows one branch per character instead.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

__all__ = ["separated", "trie_pattern"]


def separated(key: str) -> str:
    """Regex source for a canonical literal, a space matching any separator run."""
    return re.escape(key).replace("\\ ", r"[\s-]+")


_END, _STEM = "end", "stem"  # how a literal ends: here / with any word ending


def trie_pattern(words: Iterable[str], stems: Iterable[str] = ()) -> str:
    """A regex alternation factored as a trie; a space stands for any separator run."""
    endings: dict[str, set[str]] = {}
    for word, mark in [*((w, _END) for w in words), *((s, _STEM) for s in stems)]:
        endings.setdefault(word, set()).add(mark)
    ordered = sorted(endings)
    return _trie_node(ordered, 0, len(ordered), 0, endings) if ordered else ""


def _trie_node(
    ordered: list[str], lo: int, hi: int, depth: int, endings: Mapping[str, set[str]]
) -> str:
    """The trie below the prefix that the sorted words `ordered[lo:hi]` share (its length is
    `depth`), built from the sorted list rather than from nodes: one call per branching."""
    marks = endings[ordered[lo]] if len(ordered[lo]) == depth else set()
    first = lo + 1 if marks else lo
    if not marks and hi - first == 1:  # one word below: the rest of it, then its ending
        word = ordered[first]
        return separated(word[depth:]) + (r"(?:\w*)" if _STEM in endings[word] else "")
    alternatives: list[str] = []
    while first < hi:
        char = ordered[first][depth]
        last = first + 1
        while last < hi and ordered[last][depth] == char:
            last += 1
        head = r"[\s-]+" if char == " " else re.escape(char)
        alternatives.append(head + _trie_node(ordered, first, last, depth + 1, endings))
        first = last
    if _STEM in marks:
        return "(?:" + "|".join([*alternatives, r"\w*"]) + ")"
    if not alternatives:
        return ""
    body = alternatives[0] if len(alternatives) == 1 else f"(?:{'|'.join(alternatives)})"
    return f"(?:{body})?" if _END in marks else body
