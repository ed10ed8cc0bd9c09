"""Where a speaker noun phrase begins and ends in a token list ('the Finnish president Stubb').

Read forwards from a first token (`noun_phrase_end`) or backwards from a last one
(`noun_phrase_start`); `mentions.classify` then says what the phrase names.
"""

from __future__ import annotations

from collections.abc import Sequence

from natoread.core.analysis.quotes.tokens import Word
from natoread.core.analysis.quotes.words import (
    ACCORDING_CUES,
    ANON_HEADS,
    CAP_STOP,
    CONNECTORS,
    DEFINITE,
    DETERMINERS,
    FEMALE_NAMES,
    FUNCTION_WORDS,
    LOCATIVES,
    MALE_NAMES,
    PARTICLES,
    PRONOUNS,
    REPORTING_VERBS,
)

__all__ = ["MAX_PHRASE", "noun_phrase_end", "noun_phrase_start"]

MAX_PHRASE = 12  # a speaker noun phrase is never longer than this many tokens


def _modifier_ok(toks: Sequence[Word], j: int, stop: int) -> bool:
    """True if a lowercase word at j modifies a lexical head or name within three tokens."""
    tok = toks[j]
    if tok.low in FUNCTION_WORDS or tok.low in REPORTING_VERBS or tok.low in DETERMINERS:
        return False
    for k in range(j + 1, min(j + 4, stop)):
        nxt = toks[k]
        if not nxt.word or nxt.low in FUNCTION_WORDS or nxt.low in REPORTING_VERBS:
            return False
        if nxt.npw:
            return True
    return False


def noun_phrase_end(toks: Sequence[Word], i: int, stop: int) -> int:
    """End index (exclusive) of the speaker noun phrase that starts at toks[i]; i if none."""
    if i >= stop:
        return i
    tok = toks[i]
    if not tok.word:
        return i
    if tok.low in PRONOUNS:
        return i + 1
    if tok.low in ACCORDING_CUES:
        return i  # 'Według prezydenta Karola …': the cue opens no name, the role after it may
    if stop > i + MAX_PHRASE:
        stop = i + MAX_PHRASE
    j = body = i + 1 if tok.low in DETERMINERS else i
    seen_head = False
    while j < stop:
        tok = toks[j]
        low = tok.low
        if j > body and low in LOCATIVES and toks[j - 1].lex and not toks[j - 1].cap:
            k = j + 1 + (j + 1 < stop and toks[j + 1].low in DEFINITE)
            if k < stop and toks[k].cap and toks[k].word:
                j = k
                continue
        if tok.ends:
            break
        if tok.npw or tok.acro:
            j += 1
            if tok.poss and not (j < stop and toks[j].npw):
                break
            seen_head = seen_head or (tok.lex and not tok.poss)
            continue
        nxt_ok = j + 1 < stop and (toks[j + 1].npw or toks[j + 1].low in DEFINITE)
        nxt_ok = nxt_ok and not toks[j + 1].acro  # 'Papperger zu BILD', 'Rinkēvičs der F.A.Z.'
        if nxt_ok and low not in PARTICLES and j - body >= 2 and _all_names(toks, j - 2, j):
            break  # 'Kristi Raik of the ICDS': a full name ends before 'of'
        if low in DEFINITE and j - 2 >= body and toks[j - 2].name and toks[j - 1].cap:
            break  # 'Claudia Major der Zeitung' (a dative), not 'von der Leyen'
        if low in PARTICLES and j - body >= 2 and _full_name(toks, j - 2, j):
            break  # 'Elisabeth Schmid-Heller von der ETH': a full name ends before its affiliation
        if j > body and (low in CONNECTORS or low in PARTICLES) and nxt_ok:
            j += 1
            continue
        after_name = j > body and toks[j - 1].cap and not toks[j - 1].lex and body == i
        if not after_name and not seen_head and _modifier_ok(toks, j, stop):
            j += 1
            continue
        break
    return j if j > body else i


def _all_names(toks: Sequence[Word], i: int, j: int) -> bool:
    """True if tokens i..j-1 are all personal-name words (no role, place or organisation)."""
    return all(toks[k].name and not toks[k].poss for k in range(i, j))


def _full_name(toks: Sequence[Word], i: int, j: int) -> bool:
    """True if tokens i..j-1 are a known given name and a surname ('Elisabeth Schmid-Heller')."""
    first = toks[i].bare
    return _all_names(toks, i, j) and (first in MALE_NAMES or first in FEMALE_NAMES)


def noun_phrase_start(toks: Sequence[Word], j: int, floor: int) -> int:
    """Start index of the speaker noun phrase that ends at toks[j]; j + 1 if none."""
    tok = toks[j]
    if not tok.word:
        return j + 1
    if tok.low in PRONOUNS:
        return j
    if not tok.npw and not tok.acro:
        return j + 1
    floor = max(floor, j - MAX_PHRASE)
    lexical_head = not tok.name and not (tok.low.endswith("s") and tok.low in ANON_HEADS)
    k = j
    mods = 0
    while k - 1 >= floor:
        prev = toks[k - 1]
        low = prev.low
        if not prev.word:
            break
        before = toks[k - 2] if k - 2 >= floor else None
        if (
            (low in CONNECTORS or low in PARTICLES)
            and before is not None
            and before.word
            and (before.npw or before.low in PARTICLES)
        ):
            k -= 1
            continue
        if low in DETERMINERS:
            k -= 1
            break
        if low in LOCATIVES and before is not None and before.lex and not before.cap:
            k -= 1
            continue
        if low in REPORTING_VERBS or low in FUNCTION_WORDS or (prev.cap and low in CAP_STOP):
            break
        if prev.npw or prev.acro:
            k -= 1
            lexical_head = lexical_head and not prev.poss
            continue
        if lexical_head and mods < 3 and _determiner_within(toks, k - 2, floor, 3 - mods):
            k -= 1
            mods += 1
            continue
        break
    return k


def _determiner_within(toks: Sequence[Word], idx: int, floor: int, n: int) -> bool:
    """True if a determiner sits within n word tokens left of idx (inclusive)."""
    for m in range(n):
        k = idx - m
        if k < floor or not toks[k].word:
            return False
        if toks[k].low in DETERMINERS:
            return True
        if toks[k].low in FUNCTION_WORDS or toks[k].low in REPORTING_VERBS:
            return False
    return False
