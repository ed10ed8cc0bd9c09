"""Fetched bytes → ParsedFeed for RSS 0.9x/1.0/2.0, Atom 0.3/1.0 and JSON Feed 1.x.

The fast path is a safe lxml parse (no DTD loading, no entity resolution, no network).
Documents it cannot read go through a repair pass (HTML named entities, cp1252 mislabelled
as UTF-8) and then lxml's recovering parser; as a last resort feedparser runs in a child
process with a time and memory limit (see `_fallback.py`). Parsers only ever see bytes.
"""

from __future__ import annotations

import html.entities
import json
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import replace
from datetime import datetime
from functools import lru_cache, partial
from itertools import islice
from typing import Any
from urllib.parse import urljoin

from natoread.core.errors import ParseError
from natoread.core.feeds.documents import ParsedEntry, ParsedFeed
from natoread.core.text.dates import parse_date
from natoread.core.text.html import absolute_url, html_to_text, looks_like_html
from natoread.core.text.sanitize import clean_line, safe_url

FALLBACK_TIMEOUT_S = 5.0
_FALLBACK = "natoread.core.feeds.fallback"
"""The child process's module (`python -m`)."""
_XML_DECL_ENCODING = re.compile(rb"^\s*<\?xml[^>]*encoding=[\"']([A-Za-z0-9._-]+)[\"']")
_NAMED_ENTITY = re.compile(rb"&([A-Za-z][A-Za-z0-9]{1,31});")
_XML_ENTITIES = {b"amp", b"lt", b"gt", b"quot", b"apos"}
_HTML_START = re.compile(
    rb"^\s*(?:<!--.*?-->\s*)*(?:<!doctype\s+html|<html|<head|<body)", re.I | re.S
)
_FEED_MARKERS = re.compile(rb"<(?:[A-Za-z0-9_-]+:)?(?:rss|feed|RDF|item|entry|channel)[\s>/]")
_XML_NS = "{http://www.w3.org/XML/1998/namespace}"
DEFAULT_MAX_ITEMS = 2000
"""Items read from one document: a 10 MB feed of tiny items would otherwise store 176,000
articles in one poll."""
# A numeric character reference that may name a surrogate (checked exactly afterwards).
_SURROGATE_REFERENCE = re.compile(
    rb"&#(?:[xX]0*([dD][89a-fA-F][0-9a-fA-F]{2})|0*(5[5-7][0-9]{3}));"
)
_NONE = object()


def parse_feed(data: bytes, url: str, max_items: int = DEFAULT_MAX_ITEMS) -> ParsedFeed:
    """Parse a feed document; raises ParseError with a short reason when it is not a feed.

    At most `max_items` (at least 1) items are read, the first in document order; the feed's
    warning then says how many were skipped.
    """
    max_items = max(1, max_items)
    stripped = data.lstrip(b"\xef\xbb\xbf \t\r\n")
    if not stripped:
        raise ParseError("empty response")
    if stripped[:1] in (b"{", b"["):
        return _parse_json_feed(stripped, url, max_items)
    if _HTML_START.match(stripped[:4096]):
        raise ParseError("not a feed (the server sent an HTML page)")
    try:
        return _parse_xml_feed(data, url, max_items)
    except UnicodeDecodeError:
        # libxml2 accepts character references to UTF-16 surrogates (an emoji written as
        # two, "&#55357;&#56832;", or half of one) but keeps bytes that are not UTF-8, and
        # lxml fails on the text. Rare, so only then is the document rewritten and re-read.
        pass
    try:
        return _parse_xml_feed(_fix_surrogate_references(data), url, max_items)
    except UnicodeDecodeError:
        raise ParseError("text that is not UTF-8 (broken character references)") from None


def _parse_xml_feed(data: bytes, url: str, max_items: int) -> ParsedFeed:
    """An XML document → ParsedFeed (raises UnicodeDecodeError on surrogate references)."""
    root, warning = _parse_xml(data)
    if root is None:
        if not _FEED_MARKERS.search(data[:65536]):
            raise ParseError("not a feed (unreadable XML without <rss>, <feed> or <item>)")
        return _parse_with_fallback(data, url, max_items)
    feed = _feed_from_xml(root, url, max_items)
    if feed is None:
        raise ParseError(f"not a feed (root element <{_local(root.tag)}>)")
    if warning:
        feed = replace(feed, warning=f"{warning}; {feed.warning}" if feed.warning else warning)
    return feed


def _fix_surrogate_references(data: bytes) -> bytes:
    """Rewrite character references to UTF-16 surrogates as the characters they mean: a
    high/low pair becomes the one reference it encodes, a lone half U+FFFD."""
    skip_at = -1

    def rewrite(match: re.Match[bytes]) -> bytes:
        nonlocal skip_at
        if match.start() == skip_at:  # the low half of a pair already written
            return b""
        value = _reference_value(match)
        if not 0xD800 <= value <= 0xDFFF:
            return match.group(0)
        following = _SURROGATE_REFERENCE.match(data, match.end())
        if value < 0xDC00 and following:
            low = _reference_value(following)
            if 0xDC00 <= low <= 0xDFFF:
                skip_at = following.start()
                return b"&#%d;" % (0x10000 + ((value - 0xD800) << 10) + (low - 0xDC00))
        return b"&#65533;"

    return _SURROGATE_REFERENCE.sub(rewrite, data)


def _reference_value(match: re.Match[bytes]) -> int:
    """The code point of a `_SURROGATE_REFERENCE` match."""
    hexadecimal, decimal = match.groups()
    return int(hexadecimal, 16) if hexadecimal else int(decimal)


def _capped(elements: Iterable[Any], max_items: int) -> tuple[list[Any], bool]:
    """The first `max_items` of `elements`, and whether any were left over."""
    iterator = iter(elements)
    kept = list(islice(iterator, max_items))
    return kept, next(iterator, _NONE) is not _NONE


def _cap_warning(kept: int, total: int) -> str:
    """The warning of a document that had more items than the cap."""
    return f"kept the first {kept:,} of {total:,} items"


def safe_xml_parser(*, recover: bool = False, strip_comments: bool = False) -> Any:
    """An lxml parser that never loads a DTD, resolves entities or touches the network.

    Every XML document natoread reads (feeds, OPML) goes through one of these.
    """
    from lxml import etree

    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        recover=recover,
        remove_comments=strip_comments,
        remove_pis=strip_comments,
    )


def _parse_xml(data: bytes) -> tuple[Any | None, str | None]:
    """The lxml root of `data` (repairing common breakage) and a warning if it was broken."""
    from lxml import etree

    strict = safe_xml_parser()
    try:
        return etree.fromstring(data, strict), None
    except etree.XMLSyntaxError as exc:
        problem = f"malformed XML ({_short_error(exc)})"
    repaired = _repair(data)
    try:
        return etree.fromstring(repaired, strict), f"{problem}; repaired"
    except etree.XMLSyntaxError:
        pass
    lenient = safe_xml_parser(recover=True)
    try:
        root = etree.fromstring(repaired, lenient)
    except etree.XMLSyntaxError:
        return None, problem
    if root is None or not any(_local(el.tag) in ("item", "entry") for el in root.iter()):
        return None, problem
    return root, f"{problem}; recovered what could be read"


def _short_error(exc: Exception) -> str:
    """The first line of a parser error, bounded."""
    return clean_line(str(exc).split("\n", 1)[0], 120)


def _repair(data: bytes) -> bytes:
    """Map HTML named entities to numeric references and re-encode mislabelled cp1252."""
    declared = _XML_DECL_ENCODING.match(data)
    encoding = declared.group(1).decode("ascii").lower() if declared else "utf-8"
    if encoding in ("utf-8", "utf8"):
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            data = data.decode("cp1252", errors="replace").encode("utf-8")

    def numeric(match: re.Match[bytes]) -> bytes:
        name = match.group(1)
        if name in _XML_ENTITIES:
            return match.group(0)
        codepoint = html.entities.name2codepoint.get(name.decode("ascii"))
        return b"&#%d;" % codepoint if codepoint else b"&amp;" + name + b";"

    data = _NAMED_ENTITY.sub(numeric, data)
    # A bare "&" that starts no entity is the commonest breakage.
    return re.sub(rb"&(?!#?[A-Za-z0-9]+;)", b"&amp;", data)


@lru_cache(maxsize=1024)
def _local(tag: object) -> str:
    """The local name of an lxml tag, without namespace.

    Cached: a feed repeats a dozen tag names thousands of times, and the cache lookup is
    cheaper than splitting the "{namespace}name" string again.
    """
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _children(element: Any, name: str) -> Iterable[Any]:
    """Direct children with local name `name`."""
    return (child for child in element if _local(child.tag) == name)


def _child(element: Any, *names: str) -> Any | None:
    """The first direct child whose local name is one of `names`, in order of preference."""
    return _pick(_first_children(element), *names)


def _first_children(element: Any) -> dict[str, Any]:
    """Each local name among the direct children → its first child (one pass per element)."""
    found: dict[str, Any] = {}
    for child in element:
        found.setdefault(_local(child.tag), child)
    return found


def _pick(children: dict[str, Any], *names: str) -> Any | None:
    """The first of `names` present in a `_first_children` map, in order of preference."""
    for name in names:
        child = children.get(name)
        if child is not None:
            return child
    return None


def _text_of(element: Any | None) -> str:
    """All text inside an element (entity references not resolved are dropped)."""
    if element is None:
        return ""
    if not len(element):  # no child elements (nor unresolved entity nodes): just its text
        return element.text or ""
    return "".join(element.itertext())


def _markup_of(element: Any | None, base: str | None) -> tuple[str, tuple[str, ...]]:
    """Text of an element that may hold escaped HTML, inline XHTML or plain text."""
    if element is None:
        return "", ()
    if element.get("type") == "xhtml" or (len(element) and element.get("type") != "text"):
        from lxml import etree

        inner = "".join(
            etree.tostring(child, encoding="unicode", with_tail=True) for child in element
        )
        return html_to_text((element.text or "") + inner, base)
    raw = _text_of(element)
    if element.get("type") == "text" and not looks_like_html(raw):
        return html_to_text(raw.replace("&", "&amp;"), base)
    return html_to_text(raw, base)


def _title_of(element: Any | None, base: str | None) -> str:
    """A one-line title from a possibly-HTML element."""
    text, _ = _markup_of(element, base)
    return clean_line(text)


def _resolve(link: str | None, base: str | None) -> str | None:
    """Resolve a possibly relative link against `base`: the absolute http(s) URL when it can
    be opened, else the link as given, sanitised (it is shown and printed, never opened)."""
    if not link:
        return None
    link = link.strip()
    absolute = absolute_url(link, base)
    return absolute if safe_url(absolute) else clean_line(link, 2000) or None


def _feed_from_xml(root: Any, url: str, max_items: int) -> ParsedFeed | None:
    """Map an XML tree onto ParsedFeed, or None when the root is not a feed."""
    name = _local(root.tag)
    if name == "rss":
        channel = _child(root, "channel")
        if channel is None:
            return ParsedFeed(title="", link=None, entries=(), kind="rss")
        # Descendants, not children: a recovered document with unclosed <item>s nests them.
        # "{*}item" is lxml's (C-level) filter for local name "item" in any or no namespace.
        return _rss_feed(channel, partial(channel.iter, "{*}item"), url, "rss", max_items)
    if name == "RDF":
        channel = _child(root, "channel")
        holder = root
        if channel is not None and _child(root, "item") is None:
            holder = channel
        return _rss_feed(
            channel if channel is not None else root,
            partial(_children, holder, "item"),
            url,
            "rdf",
            max_items,
        )
    if name == "feed":
        return _atom_feed(root, url, max_items)
    return None


def _rss_feed(
    channel: Any, items_of: Callable[[], Iterable[Any]], url: str, kind: str, max_items: int
) -> ParsedFeed:
    """RSS 0.9x/1.0/2.0 channel → ParsedFeed; `items_of()` iterates over the items."""
    site = _resolve(_text_of(_child(channel, "link")).strip() or None, url)
    items, more = _capped(items_of(), max_items)
    warning = _cap_warning(len(items), sum(1 for _ in items_of())) if more else None
    entries = []
    for item in items:
        children = _first_children(item)
        link = _resolve(_text_of(children.get("link")).strip() or None, site or url)
        guid_el = children.get("guid")
        guid = _text_of(guid_el).strip() or item.get(
            "{http://www.w3.org/1999/02/22-rdf-syntax-ns#}about"
        )
        if link is None and guid_el is not None and guid_el.get("isPermaLink", "true") == "true":
            link = _resolve(guid, url) if guid and guid.startswith("http") else None
        body_el = _pick(children, "encoded", "description", "summary", "content")
        body, links = _markup_of(body_el, link or url)
        title = _title_of(children.get("title"), link or url)
        author = clean_line(_text_of(_pick(children, "creator", "author")), 300)
        date = _text_of(_pick(children, "pubDate", "date", "published", "updated", "issued"))
        entries.append(_entry(guid, link, title, author, body, parse_date(date), links))
    title = _title_of(_child(channel, "title"), url)
    return ParsedFeed(title=title, link=site, entries=tuple(entries), kind=kind, warning=warning)


def _atom_link(element: Any, base: str) -> str | None:
    """The alternate link of an Atom feed or entry."""
    fallback = None
    for link in _children(element, "link"):
        href = link.get("href")
        if not href:
            continue
        rel = link.get("rel", "alternate")
        if rel == "alternate" and link.get("type", "text/html") in (
            "text/html",
            "application/xhtml+xml",
        ):
            return _resolve(href, base)
        if rel == "alternate" and fallback is None:
            fallback = href
    return _resolve(fallback, base)


def _atom_feed(root: Any, url: str, max_items: int) -> ParsedFeed:
    """Atom 0.3/1.0 → ParsedFeed (xml:base honoured for relative links)."""
    base = urljoin(url, root.get(f"{_XML_NS}base") or "")
    kept, more = _capped(_children(root, "entry"), max_items)
    total = sum(1 for _ in _children(root, "entry")) if more else 0
    entries = []
    for entry in kept:
        entry_xml_base = entry.get(f"{_XML_NS}base")
        entry_base = urljoin(base, entry_xml_base) if entry_xml_base else base
        children = _first_children(entry)
        link = _atom_link(entry, entry_base)
        guid = _text_of(children.get("id")).strip() or None
        body, links = _markup_of(_pick(children, "content", "summary"), link or entry_base)
        title = _title_of(children.get("title"), entry_base)
        author_el = children.get("author")
        author = clean_line(
            _text_of(_child(author_el, "name")) if author_el is not None else "", 300
        )
        date = _text_of(_pick(children, "published", "issued", "updated", "modified", "created"))
        entries.append(_entry(guid, link, title, author, body, parse_date(date), links))
    return ParsedFeed(
        title=_title_of(_child(root, "title"), base),
        link=_atom_link(root, base),
        entries=tuple(entries),
        kind="atom",
        warning=_cap_warning(len(kept), total) if more else None,
    )


def _entry(
    guid: str | None,
    link: str | None,
    title: str,
    author: str,
    body: str,
    published: datetime | None,
    links: tuple[str, ...],
) -> ParsedEntry:
    """Build a ParsedEntry, giving untitled entries a title from their text."""
    if not title:
        first = body.split("\n", 1)[0]
        title = clean_line(first, 120) or "(untitled)"
    return ParsedEntry(
        guid=clean_line(guid, 2000) or None if guid else None,
        link=link,
        title=title,
        author=author,
        body=body,
        published=published,
        links=links,
    )


def _parse_json_feed(data: bytes, url: str, max_items: int) -> ParsedFeed:
    """JSON Feed 1.0/1.1 → ParsedFeed."""
    try:
        document = json.loads(data)
    except (ValueError, RecursionError) as exc:
        raise ParseError(f"invalid JSON feed: {clean_line(str(exc), 200)}") from None
    if not isinstance(document, dict) or not str(document.get("version", "")).startswith(
        "https://jsonfeed.org/version/"
    ):
        raise ParseError("not a feed (JSON without a jsonfeed.org version)")
    base = _str(document.get("home_page_url")) or url
    items = document.get("items")
    items = [] if not isinstance(items, list) else items
    kept, more = _capped((item for item in items if isinstance(item, dict)), max_items)
    entries = []
    for item in kept:
        link = _resolve(_str(item.get("url")) or _str(item.get("external_url")), base)
        if _str(item.get("content_html")):
            body, links = html_to_text(_str(item.get("content_html")), link or base)
        else:
            body, links = html_to_text(
                _str(item.get("content_text")).replace("&", "&amp;").replace("<", "&lt;")
                or _str(item.get("summary")),
                link or base,
            )
        authors = item.get("authors") or ([item["author"]] if item.get("author") else [])
        author = ", ".join(
            _str(a.get("name")) for a in authors if isinstance(a, Mapping) and a.get("name")
        )
        date = parse_date(_str(item.get("date_published")) or _str(item.get("date_modified")))
        title = clean_line(html_to_text(_str(item.get("title")))[0])
        guid = _str(item.get("id")) or None
        entries.append(_entry(guid, link, title, clean_line(author, 300), body, date, links))
    return ParsedFeed(
        title=clean_line(_str(document.get("title"))),
        link=_resolve(base, url),
        entries=tuple(entries),
        kind="json",
        warning=_cap_warning(len(kept), sum(isinstance(i, dict) for i in items)) if more else None,
    )


def _str(value: object) -> str:
    """A JSON value as a string ('' for anything that is not a string or number)."""
    if isinstance(value, str):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return ""


def _parse_with_fallback(data: bytes, url: str, max_items: int = DEFAULT_MAX_ITEMS) -> ParsedFeed:
    """Parse with feedparser in a child process (time- and memory-limited)."""
    from natoread.core.feeds.childrun import ChildFailed, ChildTimeout, run_child

    try:
        output = run_child(
            "natoread.core.feeds.fallback", data, FALLBACK_TIMEOUT_S, [str(max_items)]
        )
        document = json.loads(output)
    except ChildTimeout:
        raise ParseError(
            f"malformed feed; the tolerant parser gave up after {FALLBACK_TIMEOUT_S:g} s"
        ) from None
    except (ChildFailed, ValueError):
        raise ParseError("malformed XML that no parser could read") from None
    if not document.get("entries") and document.get("bozo"):
        raise ParseError(f"malformed XML: {clean_line(str(document.get('bozo_exception')), 200)}")
    found = document.get("entries", [])
    total = max(len(found), int(document.get("total") or 0))
    entries = []
    for item in found[:max_items]:
        link = _resolve(item.get("link"), url)
        body, links = html_to_text(item.get("content") or "", link or url)
        title = clean_line(html_to_text(item.get("title") or "")[0])
        date = parse_date(item.get("published"))
        author = clean_line(item.get("author") or "", 300)
        entries.append(_entry(item.get("id"), link, title, author, body, date, links))
    return ParsedFeed(
        title=clean_line(document.get("title") or ""),
        link=_resolve(document.get("link"), url),
        entries=tuple(entries),
        kind="fallback",
        warning=_cap_warning(len(entries), total) if total > len(entries) else None,
    )
