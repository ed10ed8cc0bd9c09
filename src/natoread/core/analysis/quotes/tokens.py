"""Tokens for the speaker grammar: folding, word classes and a memoised tokenizer.

`Word` is a slotted class because the grammar reads its attributes in its innermost loops.
Tokenizing is memoised per whitespace-free chunk ('the', 'said,') in `CHUNKS`, owned here;
folding and word classes per token text in functools caches. `clear_caches` (package API)
empties them all; every memo is bounded anyway.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from natoread.core.analysis.quotes.words import (
    ABBREVIATIONS,
    ANON_HEADS,
    CAP_STOP,
    COUNTRY_ADJ,
    ELIDED_ARTICLES,
    FUNCTION_WORDS,
    NAME_CASE_ENDINGS,
    NATIONALITIES,
    ORG_ALIASES,
    ORG_HEADS,
    ORG_NAMES,
    PLACE_STEMS,
    PLACE_WORDS,
    REPORTING_VERBS,
    TITLE_SUFFIXES,
    TITLES,
)

__all__ = [
    "CHUNKS",
    "Word",
    "clear_token_memos",
    "fold",
    "is_lexical",
    "is_place",
    "is_title",
    "tokenize",
    "word_of",
]

_FOLD_TABLE = str.maketrans(
    {"ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "đ": "d", "Đ": "D", "ß": "ss", "æ": "ae", "Æ": "Ae",
     "œ": "oe", "ı": "i", "þ": "th", "ð": "d", "’": "'", "ʼ": "'", "‘": "'", "`": "'"}
)  # fmt: skip
# Tokens of one whitespace-free chunk. The look-ahead lets the abbreviation alternation run only
# where a short word is followed by a dot (it used to be tried at every word start).
_TOKEN_RE = re.compile(
    r"(?:[A-Z]\.){2,}|(?=[^\W\d_]{1,5}\.)(?i:"
    + "|".join(sorted(ABBREVIATIONS, key=len, reverse=True))
    + r")\.|[A-Z]\.|[^\W_]+(?:[’'\-][^\W_]+)*|[^\w\s]|_+"
)  # fmt: skip


def fold(text: str) -> str:
    """Casefold and strip diacritics and apostrophe variants (Erdoğan → erdogan)."""
    return text.lower() if text.isascii() else _fold_unicode(text)


@lru_cache(maxsize=100_000)
def _fold_unicode(text: str) -> str:
    """`fold` for text with non-ASCII characters (memoised: names recur)."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_FOLD_TABLE))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def bare(folded: str) -> str:
    """A folded token without a trailing dot or possessive ending."""
    folded = folded.rstrip(".")
    return folded[:-2] if folded.endswith("'s") else folded


def is_title(folded: str) -> bool:
    """True for title, role and nationality words (including German compounds)."""
    folded = bare(folded)
    if folded in TITLES or folded in NATIONALITIES:
        return True
    last = folded.rsplit("-", 1)[-1]
    if last in TITLES or last.endswith(TITLE_SUFFIXES):
        return True
    return folded[:1] >= "\u0400" and _inflected_title(folded)


# the lexicon's case endings (name_case_endings), longest first
_TITLE_ENDINGS = tuple(sorted(NAME_CASE_ENDINGS, key=len, reverse=True))


@lru_cache(maxsize=4096)
def _inflected_title(folded: str) -> bool:
    """True for a Cyrillic role word in another case ('президентові', 'міністром', 'главе'):
    a title once one of the lexicon's case endings is cut, or swapped for the nominative -а/-ь
    ('голові')."""
    for ending in _TITLE_ENDINGS:
        if folded.endswith(ending) and len(folded) - len(ending) >= 4:
            stem = folded[: -len(ending)]
            if stem in TITLES or stem + "а" in TITLES or stem + "ь" in TITLES:
                return True
    return False


@lru_cache(maxsize=8192)
def is_place(folded: str) -> bool:
    """True for a country or capital in any case ('litwy', 'угорщини', 'estlands', 'bucarest'):
    a place stem the lexicon knows and at most a short case ending (two letters; three after a
    long Cyrillic stem: 'угорщиною'), so 'Estonians' and 'European' are no places."""
    folded = bare(folded)
    if folded + "=" in PLACE_STEMS:
        return True
    for cut in range(len(folded), max(len(folded) - 4, 3), -1):
        if folded[:cut] in PLACE_STEMS:
            rest = len(folded) - cut
            return rest <= (3 if cut >= 5 and folded[0] >= "\u0400" else 2)
    return False


def is_lexical(folded: str) -> bool:
    """True for any word that can sit inside a speaker noun phrase besides names."""
    folded = bare(folded)
    return is_title(folded) or folded in ANON_HEADS or folded in ORG_HEADS or folded in ORG_NAMES


@dataclass(slots=True, eq=False)
class Word:
    """One word or punctuation token's text, folded forms and word classes (shared, no offsets).

    A slotted class rather than a named tuple: the grammar reads these attributes in its
    innermost loops, and slot reads are the fastest attribute access CPython has.
    """

    text: str
    low: str  # folded
    bare: str  # folded, without a trailing dot or possessive 's
    word: bool  # a word, not punctuation
    cap: bool  # capitalised
    lex: bool  # title, role, nationality, anonymous-source or organisation word
    name: bool  # can be part of a personal name
    poss: bool  # possessive: Sweden's
    acro: bool  # all caps: NATO
    npw: bool  # can continue a speaker noun phrase
    verb: bool  # a reporting verb: said, told, adding
    ends: bool  # stops a noun phrase read forwards (punctuation, verb, lowercase function word)


@lru_cache(maxsize=200_000)
def word_of(text: str) -> Word:
    """The token `text` with its folded forms and word classes (memoised, shared)."""
    low = fold(text)
    bare_low = bare(low)
    is_word = text[0].isalnum()
    cap = text[0].isupper()
    if not cap and "'" in low and low.startswith(ELIDED_ARTICLES):
        cut = low.index("'") + 1  # "l'Élysée", "d'Orsay": the word after the article counts
        if low[:cut] in ELIDED_ARTICLES:
            cap = text[cut : cut + 1].isupper()
            bare_low = bare(low[cut:])  # "l'ambassadeur": the role word
    letters = text.replace(".", "")
    acro = len(letters) >= 2 and letters.isupper()
    lex = is_word and is_lexical(bare_low)
    stop = low in CAP_STOP
    placeish = lex or bare_low in PLACE_WORDS or bare_low in COUNTRY_ADJ or bare_low in ORG_ALIASES
    verb = low in REPORTING_VERBS
    return Word(
        text=text,
        low=low,
        bare=bare_low,
        word=is_word,
        cap=cap,
        lex=lex,
        name=cap and not acro and not stop and not placeish,
        poss=low.endswith("'s") and len(low) > 2,
        acro=acro,
        npw=is_word and ((cap and not stop) or lex),
        verb=verb,
        ends=not is_word or verb or (low in FUNCTION_WORDS and not cap),
    )


_ChunkTokens = tuple[tuple[int, ...], tuple[Word, ...]]  # offsets in the chunk, tokens


class ChunkMemo:
    """The tokens of whitespace-free chunks seen so far, shared across articles (bounded)."""

    __slots__ = ("limit", "multi", "single")

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.single: dict[str, Word] = {}  # chunks that are one token ('said', 'Stubb')
        self.multi: dict[str, _ChunkTokens] = {}  # 'said,' → offsets, tokens

    def clear(self) -> None:
        """Forget every chunk."""
        self.single.clear()
        self.multi.clear()

    def tokens(self, chunk: str) -> _ChunkTokens:
        """The tokens of one whitespace-free chunk and their offsets in it (memoised)."""
        if len(self.single) + len(self.multi) > self.limit:
            self.clear()
        texts: list[str] = [chunk] if chunk.isalnum() else _TOKEN_RE.findall(chunk)
        if len(texts) == 1:
            single = self.single[chunk] = word_of(chunk)
            return (0,), (single,)
        offsets: list[int] = []
        off = 0
        for text in texts:
            off = chunk.find(text, off)
            offsets.append(off)
            off += len(text)
        parts = self.multi[chunk] = (tuple(offsets), tuple(word_of(t) for t in texts))
        return parts

    def spaced(self, piece: str) -> _ChunkTokens:
        """Tokens and offsets of a space-free piece that may still hold other whitespace (a tab).

        The memos only ever hold whitespace-free chunks, so a piece found there needs no check;
        a piece with a tab or a no-break space inside is split like str.split() would and never
        memoised under its own text.
        """
        subs = piece.split()
        if len(subs) == 1 and subs[0] == piece:
            return self.tokens(piece)
        offsets: list[int] = []
        parts: list[Word] = []
        pos = 0
        for sub in subs:
            pos = piece.find(sub, pos)
            sub_offsets, sub_parts = self.multi.get(sub) or self.tokens(sub)
            offsets.extend(pos + off for off in sub_offsets)
            parts.extend(sub_parts)
            pos += len(sub)
        return tuple(offsets), tuple(parts)


CHUNKS = ChunkMemo(limit=200_000)


def tokenize(text: str) -> tuple[list[Word], list[int]]:
    """Split text into word and punctuation tokens (abbreviations keep their dot) and offsets.

    Tokens never contain whitespace, so the text is split into chunks first and each chunk's
    tokens come from `CHUNKS`: most chunks ('the', 'said,') recur within and across articles.
    Articles only hold spaces and newlines as whitespace (the parser normalises the rest), so
    the text is split on single spaces, which lets a running offset replace a str.find call
    per chunk; the rare piece holding another kind of whitespace misses the memos (they only
    hold whitespace-free chunks) and is split further by `ChunkMemo.spaced`.
    """
    words: list[Word] = []
    starts: list[int] = []
    add_word = words.append
    add_start = starts.append
    one = CHUNKS.single.get
    many = CHUNKS.multi.get
    spaced = CHUNKS.spaced
    pos = 0
    for chunk in text.replace("\n", " ").split(" "):  # same length: offsets stay valid
        if chunk:
            word = one(chunk)
            if word is not None:
                add_start(pos)
                add_word(word)
            else:
                offsets, parts = many(chunk) or spaced(chunk)
                for off, part in zip(offsets, parts, strict=True):
                    add_start(pos + off)
                    add_word(part)
            pos += len(chunk)
        pos += 1  # the separating space
    return words, starts


def clear_token_memos() -> None:
    """Forget the memoised chunks, token words and folded texts."""
    CHUNKS.clear()
    word_of.cache_clear()
    _fold_unicode.cache_clear()
