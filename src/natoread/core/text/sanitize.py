"""One sanitiser for every string that comes from outside.

Feed text is hostile: it may carry terminal control sequences (CSI, OSC 8 hyperlinks,
OSC 52 clipboard writes), C1 controls, bidi overrides and zero-width characters. Everything
a feed supplies passes through :func:`clean_text` or :func:`clean_line` before it is stored,
so neither the TUI nor the CLI can emit it as a control sequence. What it does to the text:

- escape sequences and controls are removed: C0 (but tab and newline), DEL, C1, the bidi
  marks, embeddings, overrides and isolates (U+200E/F, U+061C, U+202A-E, U+2066-9), invisible
  format characters (U+200B, U+2060-U+206F, U+FEFF, U+FFF9-B) and tag characters
  (U+E0000-E007F, which can spell hidden text);
- lone UTF-16 surrogates (half an emoji from a truncated JSON string) become U+FFFD, and a
  high/low pair the character it encodes: SQLite cannot store a lone surrogate in UTF-8;
- Hangul fillers (U+115F, U+1160, U+3164, U+FFA0) become a space: they draw nothing, but
  Rich and terminals disagree on their width (U+3164 is 0 cells to Rich, 2 to a terminal),
  which shifts every cell after them in a row; a space looks the same and measures 1 everywhere;
- line and paragraph separators (U+2028/9) become newlines;
- ZWJ and ZWNJ (U+200D/C: Persian, Indic scripts, emoji sequences) and variation selectors
  are kept.
"""

from __future__ import annotations

import re
from functools import cached_property
from urllib.parse import urlsplit

# Removed: C0 except TAB/LF, DEL, C1, bidi and invisible format characters, tag characters.
_REMOVED_CHARS = (
    "\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200b\u200e\u200f\u202a-\u202e\u2060-\u206f"
    "\ufeff\ufff9-\ufffb\U000e0000-\U000e007f"
)
# Replaced (see `_REPLACEMENTS`): surrogates, Hangul fillers, line and paragraph separators.
_FILLERS = "\u115f\u1160\u3164\uffa0"
_REPLACED_CHARS = f"\ud800-\udfff{_FILLERS}\u2028\u2029"
_REPLACEMENTS = {**dict.fromkeys(_FILLERS, " "), "\u2028": "\n", "\u2029": "\n"}
_ESCAPE_START = re.compile("[\x1b\x80-\x9f]")
_ASCII_CONTROL = re.compile("[\x00-\x09\x0b-\x1f\x7f]")  # the non-printable ASCII but "\n"
# The common case, checked without urlsplit: scheme, a plain host name, optional port.
_PLAIN_HTTP_URL = re.compile(r"(?i:https?)://[A-Za-z0-9.-]+(?::[0-9]{1,5})?(?:[/?#]|\Z)")
# Written with a literal "\n\n\n" head rather than as \n{3,}: sre then jumps between
# candidate positions with a fast literal search instead of trying the pattern at every
# character (several times faster on long bodies; same matches).
_MANY_NEWLINES = re.compile("\n\n\n+")
_ODD_SPACE_CHARS = "\t\u00a0\u2000-\u200a\u3000"


class _Patterns:
    """The expressions with large character classes, compiled at their first use.

    Compiling them costs more than everything else in importing this module, and most
    commands import it (through the store) without cleaning any text: a cron pass in which
    every feed answers 304 never does.
    """

    @cached_property
    def escape_sequence(self) -> re.Pattern[str]:
        """Whole escape sequences, removed first so their parameters do not survive as
        visible junk."""
        return re.compile(
            r"""
              \x1b\[[0-?]*[ -/]*[@-~]?            # CSI ... final byte
            | \x9b[0-?]*[ -/]*[@-~]?              # C1 CSI
            | (?:\x1b[\]PX^_]|[\x90\x9d\x98\x9e\x9f])  # OSC, DCS, SOS, PM, APC (7-bit or C1)
              [^\x07\x1b\x9c]{0,4096}(?:\x07|\x1b\\|\x9c)?
            | \x1b[ -/]*[0-~]?                    # any other ESC sequence
            """,
            re.VERBOSE,
        )

    @cached_property
    def control(self) -> re.Pattern[str]:
        """One removed character."""
        return re.compile(f"[{_REMOVED_CHARS}]")

    @cached_property
    def replaced(self) -> re.Pattern[str]:
        """A surrogate pair, or one replaced character."""
        return re.compile(f"[\ud800-\udbff][\udc00-\udfff]|[{_REPLACED_CHARS}]")

    @cached_property
    def unclean(self) -> re.Pattern[str]:
        """A character that is removed or replaced."""
        return re.compile(f"[{_REMOVED_CHARS}{_REPLACED_CHARS}]")

    @cached_property
    def url_forbidden(self) -> re.Pattern[str]:
        """What a URL may not hold: invisible joiners are legitimate in text but only serve
        to disguise a URL."""
        return re.compile(f"[\\s{_REMOVED_CHARS}{_REPLACED_CHARS}\u200c\u200d]")

    @cached_property
    def spaces(self) -> re.Pattern[str]:
        """A run of horizontal whitespace."""
        return re.compile(f"[ {_ODD_SPACE_CHARS}]+")

    @cached_property
    def odd_spaces(self) -> re.Pattern[str]:
        """Any run of horizontal whitespace except a lone ASCII space (those need no
        rewriting)."""
        return re.compile(f"[{_ODD_SPACE_CHARS}][ {_ODD_SPACE_CHARS}]*| [ {_ODD_SPACE_CHARS}]+")


_RX = _Patterns()


def _printable(text: str) -> bool:
    """True when `text` holds nothing the sanitiser rewrites: no control, format or unusual
    space character (newlines aside), no surrogate, no Hangul filler.

    Everything `unclean` and `odd_spaces` look for is non-printable but the fillers (letters
    to Unicode), so this C-speed test and four substring searches let the common case skip
    every regular expression. ASCII text is checked with one character-class search instead,
    which needs no copy of the text: an ASCII character is printable exactly when it is not in
    `_ASCII_CONTROL` or a newline.
    """
    if text.isascii():
        return not _ASCII_CONTROL.search(text)
    return (
        text.replace("\n", " ").isprintable()
        and "\u3164" not in text
        and "\uffa0" not in text
        and "\u115f" not in text
        and "\u1160" not in text
    )


def _replacement(match: re.Match[str]) -> str:
    """What a `replaced` match becomes."""
    found = match.group()
    if len(found) == 2:  # a high and a low surrogate: the character they encode
        return chr(0x10000 + ((ord(found[0]) - 0xD800) << 10) + (ord(found[1]) - 0xDC00))
    return _REPLACEMENTS.get(found, "\ufffd")


def clean_text(value: str) -> str:
    """Remove control sequences and invisible controls, keeping newlines and tabs."""
    if not value:
        return ""
    text = value.replace("\r\n", "\n").replace("\r", "\n") if "\r" in value else value
    if _printable(text) or not _RX.unclean.search(text):
        return text
    if "\x1b" in text or _ESCAPE_START.search(text):
        text = _RX.escape_sequence.sub("", text)
    if _RX.replaced.search(text):
        text = _RX.replaced.sub(_replacement, text)
    return _RX.control.sub("", text)


def neutralise(text: str) -> str:
    """Make stored text safe to draw, one character for one, so offsets into it still hold.

    Whatever `clean_text` removes or replaces becomes U+FFFD (fillers and separators a space).
    The store holds sanitised text; this is the display's second line of defence, for rows
    stored by older versions.
    """
    if not _RX.unclean.search(text):
        return text
    return _RX.unclean.sub(lambda match: _NEUTRAL.get(match.group(), "\ufffd"), text)


_NEUTRAL = dict.fromkeys(f"{_FILLERS}\u2028\u2029", " ")


def clean_line(value: str, limit: int = 1000) -> str:
    """Sanitise a single-line field (title, author): one line, collapsed spaces, bounded length."""
    if _printable(value):
        text = value.replace("\n", " ")
        if "  " in text:
            text = _RX.spaces.sub(" ", text)
    else:
        text = _RX.spaces.sub(" ", clean_text(value).replace("\n", " ").replace("\t", " "))
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
            text = _RX.odd_spaces.sub(" ", text)
    else:
        text = _RX.odd_spaces.sub(" ", clean_text(value))
    text = text.replace(" \n", "\n").replace("\n ", "\n")
    if "\n\n\n" in text:
        text = _MANY_NEWLINES.sub("\n\n", text)
    return text.strip()


def safe_url(url: str | None) -> str | None:
    """Return `url` if it is a plain http(s) URL that is safe to open or copy, else None."""
    if not url or len(url) > 4096:
        return None
    if url.startswith("-") or _RX.url_forbidden.search(url):
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
