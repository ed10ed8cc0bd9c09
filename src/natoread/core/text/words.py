"""Words for comparing texts: casefolded, without diacritics, possessives or punctuation."""

from __future__ import annotations

import re
import unicodedata

from natoread.core.text.normalise import TYPOGRAPHIC_MARKS

_POSSESSIVE = re.compile(r"['’ʼ]s\b")
_APOSTROPHE = re.compile(r"['’ʼ]")
_COMBINING = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")
_WORD = re.compile(r"[^\W_]+")
_ASCII_SEPARATORS = {i: " " for i in range(128) if not chr(i).isalnum()}
"""Every ASCII character that separates words (what `_WORD` does not match)."""


def words(text: str) -> list[str]:
    """Casefolded words without diacritics, possessives or punctuation."""
    plain = text.casefold()
    if not plain.isascii():
        plain = _COMBINING.sub("", unicodedata.normalize("NFKD", plain))
    if "'" in plain or "’" in plain or "ʼ" in plain:
        plain = _APOSTROPHE.sub("", _POSSESSIVE.sub("", plain))
    if not plain.isascii():
        # News text is mostly ASCII but for its typographic punctuation: once that is a
        # space (it separates words as it did), the ASCII split below applies.
        for mark in TYPOGRAPHIC_MARKS:
            if mark in plain:
                plain = plain.replace(mark, " ")
        if not plain.isascii():
            return _WORD.findall(plain)
    return plain.translate(_ASCII_SEPARATORS).split()
