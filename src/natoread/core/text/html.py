"""Feed HTML → clean plain-text paragraphs for the terminal, plus the article's links.

Feed HTML is never rendered, only turned into text, so a few compiled regular-expression
passes are enough (and run at C speed, which matters at tens of thousands of items a pass):
script-like elements are dropped with their content, block tags become paragraph breaks,
line tags line breaks, other tags vanish, and character references are decoded last, so a
decoded "<" can never start a tag. The result goes through the sanitiser.
"""

from __future__ import annotations

import html
import re
from functools import lru_cache
from urllib.parse import urljoin, urlsplit

from natoread.core.text.sanitize import clean_paragraphs, safe_url

# The names are written as prefix groups (a trie): sre tries the alternatives of a group one
# by one at every "<", so sharing first letters and putting the common ones first ("p", "li")
# makes the failing tries short.
_BLOCK = (
    "p(?:re)?|ul|ol|blockquote|h(?:[1-6r]|eader)|d(?:iv|[dlt])|t(?:able|body|head|foot)"
    "|a(?:ddress|rticle|side)|f(?:igcaption|igure|ooter)|main|nav|section"
)
_SKIPPED_NAMES = "s(?:cript|tyle|vg)|iframe|noscript|object|embed|template|head"
_ATTRS = r"[^>]*"


def _any_case(names: str) -> str:
    """A group matching one of `names` (lower-case alternatives) in any letter case.

    It matches exactly what `(?i:names)` matches, but faster: under IGNORECASE sre compares
    every character case-insensitively, which made the tag passes several times slower on
    each "<". Lower-case names (nearly all real HTML) take the exact branch; the
    case-insensitive branch is only tried when the name's first character that is not a
    lower-case letter or digit is a word character, which every other match needs: an
    upper-case letter, or one of the Unicode letters IGNORECASE folds onto ASCII
    ("ſ" ~ "s", "K" ~ "k", "İ"/"ı" ~ "i").
    """
    return rf"(?:{names}|(?=[a-z0-9]*+[^\Wa-z0-9])(?i:{names}))"


# Every pattern that scans a tag's attributes must succeed, or fail only at the end of the
# text: a start tag with no ">" after it ("<img <img <img ...") would otherwise be rescanned
# to the end from each "<", which is quadratic. So a skipped element that never closes its
# start tag runs to the end (the last pass would have removed it to the end anyway), and the
# image and anchor patterns match an unclosed tag too, with an empty closing group, and
# leave it alone.
_SKIPPED = re.compile(
    r"<!--.*?(?:-->|\Z)"
    r"|<(" + _SKIPPED_NAMES + r")\b" + _ATTRS + r"(?:>.*?(?:</\1\s*>|\Z)|\Z)",
    re.S | re.I,
)
# Something `_SKIPPED` could match starts here: a superset test, much cheaper than the
# substitution itself when, as usual, there is nothing to skip. The lookahead lists every
# character that can follow the "<" of such a match ("!", the first letters of
# `_SKIPPED_NAMES` in either case, and "ſ"/"İ"/"ı", which IGNORECASE folds onto "s"/"i"), so
# the usual tags (<p>, <a>, <li>) are rejected at their first letter.
_SKIPPED_HINT = re.compile(
    "<(?=[!sSiInNoOeEtThH\u017f\u0130\u0131])(?:!--|" + _any_case(_SKIPPED_NAMES) + ")"
)
_CDATA = re.compile(r"<!\[CDATA\[(.*?)(?:\]\]>|\Z)", re.S)
# Tags are rewritten by four plain substitutions, not a Python callback per tag: block tags
# become a paragraph break, an opening <li> a bullet line, other line tags a line break,
# anything else nothing. A tag's name ends before any character that is not [\w:-] ("<p-x>"
# is not a <p>; "<hré" is text, not a tag).
_NAME_END = r"(?![\w:-])"
_BLOCK_TAG = re.compile(r"</?" + _any_case(_BLOCK) + _NAME_END + _ATTRS + ">?")
_ITEM_TAG = re.compile(r"<" + _any_case("li") + _NAME_END + _ATTRS + ">?")
_LINE_TAG = re.compile(r"</?" + _any_case("li|br|tr") + _NAME_END + _ATTRS + ">?")
_ANY_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9:-]*(?!\w)" + _ATTRS + ">?|<[!?][^>]*>?")
_IMAGE = re.compile(r"<img\b(" + _ATTRS + ")(>?)", re.I)
# Could `_IMAGE` match? Any letter case ("<Img"), and the letters IGNORECASE folds onto "i".
_IMAGE_HINT = re.compile("<(?=[iI\u0130\u0131])(?i:img)")
_ANCHOR = re.compile(r"<[aA]\b(" + _ATTRS + ")(>?)")  # no letter but "a"/"A" folds onto "a"
# A name starts only where no name character precedes it: otherwise a long run of letters
# with no "=" after it would be tried again from each of its letters (quadratic).
_ATTR = re.compile(
    r"""(?<![-A-Za-z0-9_:.])([A-Za-z_:][-A-Za-z0-9_:.]*+)\s*+=\s*+"""
    r"""(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))"""
)
# The usual anchor, `<a href="...">`: a quoted href as the first attribute is the one
# `_attribute(raw, "href")` finds (no attribute name can start in the leading whitespace).
_LEADING_HREF = re.compile(r"""\s*href\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_MAX_HTML = 2_000_000


def looks_like_html(value: str) -> bool:
    """Cheap test: does this string contain tags worth parsing?"""
    return "<" in value and ">" in value


def absolute_url(link: str, base_url: str | None) -> str:
    """Resolve a possibly relative link against `base_url` (absolute links are returned as-is)."""
    if not base_url or not link or link.startswith(("https://", "http://")):
        return link
    if link.startswith("/") and not link.startswith("//"):
        return _origin(base_url) + link
    return urljoin(base_url, link)


@lru_cache(maxsize=1024)
def _origin(base_url: str) -> str:
    """scheme://host[:port] of a URL (site-absolute links only need this)."""
    parts = urlsplit(base_url)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme else ""


def _attribute(raw: str, name: str) -> str:
    """One attribute of a start tag, entity-decoded ('' when absent)."""
    for match in _ATTR.finditer(raw):
        if match.group(1).lower() == name:
            return html.unescape(match.group(2) or match.group(3) or match.group(4) or "").strip()
    return ""


def _links(text: str, base_url: str | None) -> tuple[str, ...]:
    """The http(s) targets of the anchors in `text`, resolved, once each, in first-seen order."""
    links: dict[str, None] = {}
    # An anchor repeated verbatim (a feed's "<a href='/x'>" in every paragraph) resolves to
    # the same link, so each distinct start tag is looked at once.
    for raw, closed in dict.fromkeys(_ANCHOR.findall(text)):
        if not closed:  # a start tag the text never closes is no anchor
            continue
        quick = _LEADING_HREF.match(raw)
        if quick:
            href = html.unescape(quick.group(1) or quick.group(2) or "").strip()
        else:
            href = _attribute(raw, "href")
        absolute = absolute_url(href, base_url)
        if href and safe_url(absolute):
            links[absolute] = None
    return tuple(links)


def _alt_text(match: re.Match[str]) -> str:
    """An image becomes its alt text, marked as an image (an unclosed tag stays as it is)."""
    if not match.group(2):
        return match.group()
    alt = _attribute(match.group(1), "alt").replace("&", "&amp;").replace("<", "&lt;")
    return f" [image: {alt}] " if alt else ""


def html_to_text(value: str, base_url: str | None = None) -> tuple[str, tuple[str, ...]]:
    """Convert an HTML fragment to paragraphs of plain text and the http(s) links it holds.

    The text is capped at `MAX_ARTICLE_CHARS` (see `cap_article_text`).
    """
    if not value:
        return "", ()
    if "<" not in value:
        plain = value[:_MAX_HTML]
        text = clean_paragraphs(_unescape(plain) if "&" in plain else plain)
        return cap_article_text(text, len(value) - len(plain)), ()
    text = value[:_MAX_HTML]
    if "<!" in text:
        text = _CDATA.sub(lambda m: m.group(1).replace("&", "&amp;").replace("<", "&lt;"), text)
    if _SKIPPED_HINT.search(text):
        text = _SKIPPED.sub(" ", text)
    links = _links(text, base_url)
    if _IMAGE_HINT.search(text):
        text = _IMAGE.sub(_alt_text, text)
    text = _BLOCK_TAG.sub("\n\n", text)
    if "<l" in text or "<L" in text:
        text = _ITEM_TAG.sub("\n• ", text)
    if "<" in text:
        text = _LINE_TAG.sub("\n", text)
        text = _ANY_TAG.sub("", text)
    if "&" in text:
        text = _unescape(text)
    return cap_article_text(clean_paragraphs(text), len(value) - _MAX_HTML), links


# A decimal character reference of thousands of digits makes `html.unescape` raise (int()
# refuses strings that long); a reference past U+10FFFF is U+FFFD however it is written.
_LONG_DECIMAL_REF = re.compile(r"&#([0-9]{8,})")
_OUT_OF_RANGE_REF = "&#1114112"


def _short_decimal_ref(match: re.Match[str]) -> str:
    digits = match.group(1).lstrip("0")
    return "&#" + digits if len(digits) < 8 else _OUT_OF_RANGE_REF


def _unescape(text: str) -> str:
    """`html.unescape` that cannot raise on absurd character references."""
    if "&#" in text and _LONG_DECIMAL_REF.search(text):
        text = _LONG_DECIMAL_REF.sub(_short_decimal_ref, text)
    return html.unescape(text)


# Longer bodies are cut: a multi-megabyte article would freeze the reader that shows it and
# hold its memory, and no one reads that much in a terminal.
MAX_ARTICLE_CHARS = 200_000


def cap_article_text(text: str, dropped: int = 0, limit: int = MAX_ARTICLE_CHARS) -> str:
    """`text` cut to `limit` characters at a paragraph or word end, with a note saying so.

    `dropped` counts characters of the source already left out before `text` was made (a
    note is added for those too).
    """
    if len(text) <= limit and dropped <= 0:
        return text
    cut = len(text)
    if cut > limit:
        cut = text.rfind("\n\n", limit // 2, limit)
        if cut < 0:
            cut = text.rfind(" ", limit // 2, limit)
        if cut < 0:
            cut = limit
    rest = len(text[cut:].encode("utf-8", "surrogatepass")) + max(dropped, 0)
    kept = text[:cut].rstrip()
    note = f"[… article truncated by natoread: {_size(rest)} more]"
    return f"{kept}\n\n{note}" if kept else note


def _size(count: int) -> str:
    """A byte count in the unit a reader expects."""
    if count >= 1_000_000:
        return f"{count / 1_000_000:.1f} MB"
    if count >= 1_000:
        return f"{count / 1_000:.0f} KB"
    return f"{count} bytes"
