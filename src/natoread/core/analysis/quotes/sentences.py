"""Where the sentences of one paragraph start, read on the masked text.

A full stop after an abbreviation or an initial ('J. Stoltenberg') ends no sentence, a colon
does only before a capital on the same line, and a quoted passage never splits a sentence: it
ends one only when its last character ends a sentence and what follows opens another quote or
a sentence that is no attribution of it.
"""

from __future__ import annotations

import re

from natoread.core.analysis.quotes.attribution import Attributor
from natoread.core.analysis.quotes.marks import QuotedSegment
from natoread.core.analysis.quotes.tokens import fold
from natoread.core.analysis.quotes.words import ABBREVIATIONS

__all__ = ["SENTENCE_LIKE_END", "sentence_starts"]

# a sentence-ending mark, then (if any) the blanks after it and the character that follows them
# (the leading character class lets the regex engine skip quickly to candidate marks)
_END_NEXT_RE = re.compile(r"[.!?…:](?:(?<!:)[.!?…]*+[\"'”’»)\]]*+)?(?:(\s+)(?=(\S)))?")
_OPENERS = "\"'“„«»‘‹”"
SENTENCE_LIKE_END = ".!?…"


def sentence_starts(
    attr: Attributor, text: str, a: int, b: int, segs: list[QuotedSegment]
) -> list[int]:
    """Sentence start offsets in one paragraph (quoted passages cannot split sentences)."""
    masked = attr.masked
    starts = [a]
    for match in _END_NEXT_RE.finditer(masked, a, b):
        space, nxt = match.groups()
        if space is None:
            continue  # no blank after the mark, or only blanks up to the paragraph end
        if masked[match.start()] == ":":
            if space[0] != "\n" and nxt.isupper():
                starts.append(match.end())
            continue
        if (nxt.isupper() or nxt.isdigit() or nxt in _OPENERS) and not _ends_abbreviation(
            masked, match.start(), a, nxt.isupper()
        ):
            starts.append(match.end())
    regular = len(starts)
    for q in segs:
        if q.open > a and text[q.open] in "–—" and _after_sentence(text, q.open, a):
            starts.append(q.open)  # '… na Węgry. – Jeśli …': dash speech opens a sentence
            continue
        if q.close < 0 or q.end <= q.start or text[q.end - 1] not in SENTENCE_LIKE_END:
            continue
        k = q.close + 1
        while k < b and masked[k].isspace():
            k += 1
        if k >= b:
            continue
        nxt = masked[k]
        if nxt in _OPENERS:
            starts.append(k)
        elif nxt.isupper():
            lo = attr.token_index(q.close + 1)
            if attr.after_quote(lo, attr.token_index(b), False, text[q.end - 1] in ".…") is None:
                starts.append(k)
    return starts if len(starts) == regular else sorted(set(starts))


def _after_sentence(text: str, pos: int, a: int) -> bool:
    """True if the text before pos (blanks and closing marks skipped) ends a sentence."""
    k = pos
    while k > a and text[k - 1].isspace():
        k -= 1
    while k > a and text[k - 1] in '"”»’)':
        k -= 1
    return k > a and (text[k - 1] in SENTENCE_LIKE_END or text[k - 1] == ":")


def _ends_abbreviation(masked: str, pos: int, a: int, name_follows: bool) -> bool:
    """True if the full stop at pos ends an abbreviation or an initial (J. Stoltenberg)."""
    k = pos
    floor = a if a > pos - 6 else pos - 6  # abbreviations have at most five letters
    while k > floor and masked[k - 1].isalpha():
        k -= 1
    word = masked[k:pos]
    if len(word) == 6:
        return False
    initial = len(word) == 1 and word.isupper() and name_follows
    return fold(word) in ABBREVIATIONS or initial
