"""One sanitiser for every string that comes from the network.

Feed text is hostile: it may carry terminal control sequences (CSI, OSC 8 hyperlinks,
OSC 52 clipboard writes), C1 controls, bidi overrides and zero-width characters. Everything
a feed supplies passes through :func:`clean_text` or :func:`clean_line` before it is stored,
so neither the TUI nor the CLI can emit it as a control sequence.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

# Whole escape sequences first, so their parameters do not survive as visible junk.
_ESCAPE_SEQUENCE = re.compile(
    r"""
      \x1b\[[0-?]*[ -/]*[@-~]?            # CSI ... final byte
    | \x9b[0-?]*[ -/]*[@-~]?              # C1 CSI
    | (?:\x1b[\]PX^_]|[\x90\x9d\x98\x9e\x9f])  # OSC, DCS, SOS, PM, APC (7-bit or C1)
      [^\x07\x1b\x9c]{0,4096}(?:\x07|\x1b\\|\x9c)?
    | \x1b[ -/]*[0-~]?                    # any other ESC sequence
    """,
    re.VERBOSE,
)
# Remaining controls: C0 except TAB/LF, DEL, C1, zero-width, bidi embeddings/overrides/isolates.
_CONTROL = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u2028\u2029\u202a-\u202e\u2060-\u2064"
    "\u2066-\u2069\ufeff\ufff9-\ufffb]"
)
_ESCAPE_START = re.compile("[\x1b\x80-\x9f]")
_ASCII_CONTROL = re.compile("[\x00-\x09\x0b-\x1f\x7f]")  # the non-printable ASCII but "\n"
_URL_FORBIDDEN = re.compile(r"[\s\x00-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")
# The common case, checked without urlsplit: scheme, a plain host name, optional port.
_PLAIN_HTTP_URL = re.compile(r"(?i:https?)://[A-Za-z0-9.-]+(?::[0-9]{1,5})?(?:[/?#]|\Z)")
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u3000]+")
# Any run of horizontal whitespace except a lone ASCII space (those need no rewriting).
_ODD_SPACES = re.compile(
    r"[\t\u00a0\u2000-\u200a\u3000][ \t\u00a0\u2000-\u200a\u3000]*"
    r"| [ \t\u00a0\u2000-\u200a\u3000]+"
)
# Written with a literal "\n\n\n" head rather than as \n{3,}: sre then jumps between
# candidate positions with a fast literal search instead of trying the pattern at every
# character (several times faster on long bodies; same matches).
_MANY_NEWLINES = re.compile("\n\n\n+")


def _printable(text: str) -> bool:
    """True when `text` holds no control, format or unusual space character (newlines aside).

    Everything `_CONTROL` and `_ODD_SPACES` look for is non-printable, so this one C-speed
    test lets the common case skip both regular expressions. ASCII text (most feed text) is
    checked with one character-class search instead, which needs no copy of the text: an
    ASCII character is printable exactly when it is not in `_ASCII_CONTROL` or a newline.
    """
    if text.isascii():
        return not _ASCII_CONTROL.search(text)
    return text.replace("\n", " ").isprintable()


def clean_text(value: str) -> str:
    """Remove control sequences and invisible controls, keeping newlines and tabs."""
    if not value:
        return ""
    text = value.replace("\r\n", "\n").replace("\r", "\n") if "\r" in value else value
    if _printable(text) or not _CONTROL.search(text):
        return text
    if "\x1b" in text or _ESCAPE_START.search(text):
        text = _ESCAPE_SEQUENCE.sub("", text)
    return _CONTROL.sub("", text)


def clean_line(value: str, limit: int = 1000) -> str:
    """Sanitise a single-line field (title, author): one line, collapsed spaces, bounded length."""
    if _printable(value):
        text = value.replace("\n", " ")
        if "  " in text:
            text = _SPACES.sub(" ", text)
    else:
        text = _SPACES.sub(" ", clean_text(value).replace("\n", " ").replace("\t", " "))
    text = text.strip()
    if len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    return text


def clean_paragraphs(value: str) -> str:
    """Sanitise multi-line text: trim each line, at most one blank line between paragraphs."""
    if _printable(value):
        # The common case: nothing to remove, no tab or unusual space; only runs of spaces.
        text = value
        if "  " in text:
            text = _ODD_SPACES.sub(" ", text)
    else:
        text = _ODD_SPACES.sub(" ", clean_text(value))
    text = text.replace(" \n", "\n").replace("\n ", "\n")
    if "\n\n\n" in text:
        text = _MANY_NEWLINES.sub("\n\n", text)
    return text.strip()


def safe_url(url: str | None) -> str | None:
    """Return `url` if it is a plain http(s) URL that is safe to open or copy, else None."""
    if not url or len(url) > 4096:
        return None
    if url.startswith("-") or _URL_FORBIDDEN.search(url):
        return None
    if _PLAIN_HTTP_URL.match(url):
        return url
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    return url
