"""Speaker names as stored: titles stripped (`normalise_speaker`) and a merge key for the
variants of one name (`speaker_key`). Both are stored: a change to their output must bump
`SPEAKERS_VERSION` in this package's `__init__`."""

from __future__ import annotations

import re
from functools import lru_cache

from natoread.core.analysis.quotes.mentions import classify, name_run
from natoread.core.analysis.quotes.tokens import tokenize
from natoread.core.analysis.quotes.words import ORG_ALIASES

__all__ = ["normalise_speaker", "speaker_key"]


def normalise_speaker(name: str) -> str:
    """Strip titles and roles: 'Finnish President Alexander Stubb' → 'Alexander Stubb'."""
    toks, starts = tokenize(name)
    mention = classify(toks, starts, name)
    if mention is None or mention.kind in ("pronoun", "ellipsis"):
        return " ".join(name.split())
    if mention.kind == "org" and not mention.proper:
        return ORG_ALIASES.get(mention.head, mention.name)
    return mention.name


# spelling variants of transliterated surnames: Zelenskyy/Zelenskiy → zelensky, Peskow → peskov
_TRANSLIT = ((re.compile(r"(.)\1"), r"\1"), (re.compile(r"(?:iy|yi|ij|ii)$"), "y"),
             (re.compile(r"ow$"), "ov"))  # fmt: skip


@lru_cache(maxsize=8192)
def speaker_key(name: str) -> str:
    """A merge key for name variants: 'Jens Stoltenberg', 'J. Stoltenberg' → 'stoltenberg j'.

    Memoised: the same speakers recur across an article's quotes and across articles.
    """
    normal = normalise_speaker(name)
    toks = [t for t in tokenize(normal)[0] if t.word]
    folded = [t.bare for t in toks]
    if len(toks) >= 2 and all(t.cap for t in toks) and name_run(toks) == len(toks):
        surname = folded[-1]
        for pattern, repl in _TRANSLIT:
            surname = pattern.sub(repl, surname)
        return f"{surname} {folded[0][0]}"
    while len(folded) > 1 and folded[0] in ("the", "a", "an", "one"):
        folded.pop(0)
    return " ".join(folded)
