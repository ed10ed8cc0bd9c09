"""Text normalisation for comparing articles: the content hash that catches re-posts.

Pure functions; the store keeps their output, so `CONTENT_HASH_VERSION` says which rules made
a stored hash (a new version re-hashes every article at the next poll pass).
"""

from __future__ import annotations

import hashlib

CONTENT_HASH_VERSION = 1
"""Bump when `content_hash` gives a different value for any text."""
TYPOGRAPHIC_MARKS = "’“”‘•—–…«»£€·"
"""Punctuation and symbols common in news text: printable, without case, never in a word."""
_PRINTABLE_ASCII = bytes(range(0x20, 0x7F))
_CASELESS = frozenset("\n" + TYPOGRAPHIC_MARKS)
"""The other characters `content_hash` can lower-case as UTF-8 bytes."""


def content_hash(title: str, body: str) -> str:
    """A short hash of the normalised title and body, to catch re-posts with new GUIDs."""
    text = f"{title}\n{body}"
    if not text.isascii():
        data = text.encode("utf-8")
        if set(data.translate(None, _PRINTABLE_ASCII).decode("utf-8")) <= _CASELESS:
            # Printable ASCII, newlines and typographic marks, which casefold() leaves
            # alone: lower-casing the UTF-8 bytes (ASCII letters only) gives the same bytes
            # faster, and the space runs are collapsed as below.
            data = data.lower().replace(b"\n", b" ")
            while b"  " in data:
                data = data.replace(b"  ", b" ")
            return hashlib.sha1(data.strip(b" ")).hexdigest()[:16]
    # casefold() equals lower() on ASCII text, and lower() is faster there.
    folded = text.lower() if text.isascii() else text.casefold()
    # Whitespace runs become one space. Parsed articles hold only spaces and newlines, and
    # when every other character is printable (no tab, no-break or other space), replacing
    # gives what split() and join() give, without building a list of every word.
    spaced = folded.replace("\n", " ")
    if spaced.isprintable():
        while "  " in spaced:
            spaced = spaced.replace("  ", " ")
        normal = spaced.strip(" ")
    else:
        normal = " ".join(folded.split())
    return hashlib.sha1(normal.encode("utf-8")).hexdigest()[:16]
