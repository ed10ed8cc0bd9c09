"""OPML import and export: subscriptions in, subscriptions out; OPML is data, never commands.

Import refuses documents with a DOCTYPE (no entities, no DTDs, no network), outlines whose
xmlUrl is not a plain http(s) URL (`file:`, local paths, `|command`, `javascript:`), and
outlines that carry command attributes such as newsboat's `filtercmd`. Feeds are appended
to feeds.toml with tomlkit, so the user's comments and layout survive.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import format_datetime
from pathlib import Path
from typing import Any

from natoread.core.config import FeedSpec, load_config
from natoread.core.errors import ConfigError
from natoread.core.feeds.parser import safe_xml_parser
from natoread.core.feeds.urls import same_feed_key, url_problem
from natoread.core.text.sanitize import clean_line, safe_url

MAX_OPML_BYTES = 10 * 2**20
COMMAND_ATTRIBUTES = frozenset({"filtercmd", "exec", "command", "cmd", "script", "execurl"})
"""Attributes other readers run through a shell; an outline carrying one is refused."""
_DOCTYPE = re.compile(rb"<!\s*(doctype|entity)", re.IGNORECASE)
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
NEW_CONFIG_HEADER = """\
# natoread configuration: the feeds to poll and how to poll them.
# Reference: README.md, section "Configuration". Validate with `natoread check-config`.
"""


@dataclass(frozen=True, slots=True)
class OpmlFeed:
    """One subscription read from an OPML outline."""

    url: str
    title: str | None
    tags: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class OpmlDocument:
    """The usable feeds of an OPML file and one line per refused outline."""

    feeds: tuple[OpmlFeed, ...]
    refused: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ImportResult:
    """What an import added to feeds.toml and what it skipped as already there."""

    path: Path
    added: tuple[OpmlFeed, ...]
    skipped: tuple[str, ...]


def read_opml(data: bytes, source: str) -> OpmlDocument:
    """Parse OPML bytes safely; raises ConfigError when the file is not usable OPML."""
    from lxml import etree

    if len(data) > MAX_OPML_BYTES:
        raise ConfigError(source, "", f"larger than {MAX_OPML_BYTES // 2**20} MB; not an OPML file")
    probe = data[:4096].replace(b"\x00", b"")  # also catches UTF-16 documents
    if _DOCTYPE.search(probe) or _DOCTYPE.search(data):
        raise ConfigError(source, "", "refused: OPML must not declare a DOCTYPE or entities")
    try:
        root = etree.fromstring(data, safe_xml_parser(strip_comments=True))
    except etree.XMLSyntaxError as exc:
        raise ConfigError(source, "", f"not valid XML: {exc}") from None
    if root.getroottree().docinfo.internalDTD is not None:
        raise ConfigError(source, "", "refused: OPML must not declare a DOCTYPE or entities")
    if etree.QName(root).localname.lower() != "opml":
        raise ConfigError(source, "", f"not an OPML file (root element <{root.tag}>)")
    body = next((c for c in root if _name(c) == "body"), None)
    if body is None:
        raise ConfigError(source, "", "not an OPML file (no <body>)")
    feeds: list[OpmlFeed] = []
    refused: list[str] = []
    for element, folders in _outlines(body, ()):
        verdict = _outline_feed(element, folders)
        if isinstance(verdict, OpmlFeed):
            feeds.append(verdict)
        elif verdict:
            refused.append(verdict)
    return OpmlDocument(tuple(feeds), tuple(refused))


def _name(element: Any) -> str:
    """Lower-case local name of an element ('' for comments and the like)."""
    tag = element.tag
    return tag.rsplit("}", 1)[-1].lower() if isinstance(tag, str) else ""


def _outlines(parent: Any, folders: tuple[str, ...]) -> Iterator[tuple[Any, tuple[str, ...]]]:
    """Every outline under `parent` with the titles of the folders around it."""
    for child in parent:
        if _name(child) != "outline":
            continue
        yield child, folders
        attributes = {k.lower(): v for k, v in child.attrib.items()}
        label = clean_line(attributes.get("title") or attributes.get("text") or "", 100)
        if len(folders) < 32:
            inner = (*folders, label) if label and "xmlurl" not in attributes else folders
            yield from _outlines(child, inner)


def _outline_feed(element: Any, folders: tuple[str, ...]) -> OpmlFeed | str | None:
    """A feed, a one-line reason for refusing the outline, or None for a plain folder."""
    attributes = {str(k).lower(): str(v) for k, v in element.attrib.items()}
    name = clean_line(attributes.get("title") or attributes.get("text") or "", 80)
    label = f"outline {name!r}" if name else "outline"
    if "xmlurl" not in attributes:
        return None
    commands = sorted(COMMAND_ATTRIBUTES.intersection(attributes))
    if commands:
        return f"refused {label}: has a {commands[0]!r} attribute (natoread never runs commands)"
    url = attributes["xmlurl"].strip()
    shown = clean_line(url, 120)
    if attributes.get("type", "").lower() == "include":
        return f"refused {label}: include outlines ({shown!r}) are not followed"
    problem = url_problem(url)
    if problem is not None:
        return f"refused {label}: not an http(s) feed URL ({problem}): {shown!r}"
    if safe_url(url) is None:
        return f"refused {label}: unsafe URL: {shown!r}"
    tags: list[str] = list(folders)
    for category in attributes.get("category", "").split(","):
        tags.extend(part for part in category.split("/") if part.strip())
    clean_tags = (clean_line(t, 60) for t in tags)
    return OpmlFeed(url, name or None, tuple(dict.fromkeys(t for t in clean_tags if t)))


def add_feeds(path: Path, feeds: Sequence[OpmlFeed]) -> ImportResult:
    """Append new feeds to the feeds.toml at `path` (created if missing), keeping its comments.

    The result is validated with `load_config` before it replaces the file, so a failed
    import leaves the old file untouched.
    """
    import tomlkit
    from tomlkit.exceptions import TOMLKitError

    source = str(path)
    try:
        text = path.read_text(encoding="utf-8") if path.exists() else NEW_CONFIG_HEADER
        document = tomlkit.parse(text)
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(source, "", f"cannot read: {exc}") from None
    except TOMLKitError as exc:
        raise ConfigError(source, "", f"invalid TOML: {exc}") from None
    existing = document.get("feeds")
    if existing is None:
        existing = tomlkit.aot()
        document.append("feeds", existing)
    if not isinstance(existing, list):
        raise ConfigError(source, "feeds", "must be an array of tables: write [[feeds]] per feed")
    seen = {same_feed_key(str(t.get("url", ""))) for t in existing if isinstance(t, dict)}
    added: list[OpmlFeed] = []
    skipped: list[str] = []
    for feed in feeds:
        if same_feed_key(feed.url) in seen:
            skipped.append(f"skipped {feed.url}: already in {path.name}")
            continue
        seen.add(same_feed_key(feed.url))
        as_table = isinstance(existing, tomlkit.items.AoT)
        entry = tomlkit.table() if as_table else tomlkit.inline_table()
        if as_table:
            entry.trivia.indent = "\n"  # a blank line before each new [[feeds]]
        if feed.title:
            entry["title"] = feed.title
        entry["url"] = feed.url
        if feed.tags:
            entry["tags"] = list(feed.tags)
        existing.append(entry)
        added.append(feed)
    if added:
        _replace_validated(path, tomlkit.dumps(document))
    return ImportResult(path, tuple(added), tuple(skipped))


def _replace_validated(path: Path, text: str) -> None:
    """Write `text` next to `path`, check it with load_config, then move it into place."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.import-{os.getpid()}")
    try:
        temporary.write_text(text, encoding="utf-8")
        try:
            load_config(temporary)
        except ConfigError as exc:
            reason = f"not imported, the result would be invalid: {exc.message}"
            raise ConfigError(str(path), exc.where, reason) from None
        if path.exists():
            os.chmod(temporary, path.stat().st_mode & 0o777)
        os.replace(temporary, path)
    except OSError as exc:
        raise ConfigError(str(path), "", f"cannot write: {exc.strerror}") from None
    finally:
        temporary.unlink(missing_ok=True)


def _xml_text(value: str) -> str:
    """A single-line string that XML 1.0 can carry."""
    return _NOT_XML.sub("", clean_line(value))


def export_opml(feeds: Sequence[FeedSpec], title: str = "natoread feeds") -> bytes:
    """OPML 2.0 for the configured feeds (title, xmlUrl, category from tags)."""
    from lxml import etree

    root = etree.Element("opml", version="2.0")
    head = etree.SubElement(root, "head")
    etree.SubElement(head, "title").text = _xml_text(title)
    etree.SubElement(head, "dateCreated").text = format_datetime(datetime.now(UTC))
    body = etree.SubElement(root, "body")
    for feed in feeds:
        name = _xml_text(feed.title or feed.url)
        outline = etree.SubElement(body, "outline", type="rss", text=name, title=name)
        outline.set("xmlUrl", _xml_text(feed.url))
        tags = [_xml_text(t).replace(",", " ").replace("/", " ").strip() for t in feed.tags]
        if any(tags):
            outline.set("category", ",".join(t for t in tags if t))
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True))
