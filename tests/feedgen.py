"""Generate RSS 2.0, RSS 1.0, Atom and JSON Feed documents for tests."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from xml.sax.saxutils import escape


@dataclass(frozen=True)
class Item:
    """One generated feed item."""

    title: str
    body: str = ""
    guid: str | None = None
    link: str | None = None
    published: datetime | None = None
    author: str = ""


BASE_TIME = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)


def items(count: int, prefix: str = "Item", start: int = 0) -> list[Item]:
    """`count` distinct items with GUIDs, links and dates an hour apart."""
    return [
        Item(
            title=f"{prefix} {n}",
            body=f"<p>Body of {prefix.lower()} {n}.</p>",
            guid=f"urn:{prefix.lower()}:{n}",
            link=f"https://news.example/{prefix.lower()}/{n}",
            published=BASE_TIME - timedelta(hours=n),
        )
        for n in range(start, start + count)
    ]


def rss(entries: list[Item], title: str = "Test feed", link: str = "https://news.example/") -> str:
    """An RSS 2.0 document (bodies escaped as HTML in <description>)."""
    out = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel>',
        f"<title>{escape(title)}</title><link>{escape(link)}</link>",
    ]
    for item in entries:
        out.append("<item>")
        out.append(f"<title>{escape(item.title)}</title>")
        if item.link:
            out.append(f"<link>{escape(item.link)}</link>")
        if item.guid:
            out.append(f'<guid isPermaLink="false">{escape(item.guid)}</guid>')
        if item.published:
            out.append(f"<pubDate>{format_datetime(item.published)}</pubDate>")
        if item.author:
            out.append(f"<dc:creator>{escape(item.author)}</dc:creator>")
        out.append(f"<description>{escape(item.body)}</description>")
        out.append("</item>")
    out.append("</channel></rss>")
    return "\n".join(out)


def rdf(entries: list[Item], title: str = "RDF feed") -> str:
    """An RSS 1.0 (RDF) document."""
    out = [
        '<?xml version="1.0"?>',
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
        'xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">',
        f'<channel rdf:about="https://news.example/"><title>{escape(title)}</title>'
        "<link>https://news.example/</link></channel>",
    ]
    for item in entries:
        about = escape(item.link or item.guid or "")
        out.append(f'<item rdf:about="{about}"><title>{escape(item.title)}</title>')
        if item.link:
            out.append(f"<link>{escape(item.link)}</link>")
        if item.published:
            out.append(f"<dc:date>{item.published.isoformat()}</dc:date>")
        out.append(f"<description>{escape(item.body)}</description></item>")
    out.append("</rdf:RDF>")
    return "\n".join(out)


def atom(entries: list[Item], title: str = "Atom feed", version: str = "1.0") -> str:
    """An Atom 1.0 (or 0.3) document with HTML content."""
    ns = "http://www.w3.org/2005/Atom" if version == "1.0" else "http://purl.org/atom/ns#"
    date_tag = "updated" if version == "1.0" else "issued"
    out = [
        '<?xml version="1.0" encoding="utf-8"?>',
        f'<feed xmlns="{ns}"><title>{escape(title)}</title>',
        '<link rel="alternate" href="https://news.example/"/>',
    ]
    for item in entries:
        out.append(f"<entry><title>{escape(item.title)}</title>")
        if item.guid:
            out.append(f"<id>{escape(item.guid)}</id>")
        if item.link:
            out.append(f'<link rel="alternate" type="text/html" href="{escape(item.link)}"/>')
        if item.published:
            out.append(f"<{date_tag}>{item.published.isoformat()}</{date_tag}>")
        if item.author:
            out.append(f"<author><name>{escape(item.author)}</name></author>")
        out.append(f'<content type="html">{escape(item.body)}</content></entry>')
    out.append("</feed>")
    return "\n".join(out)


def json_feed(entries: list[Item], title: str = "JSON feed") -> str:
    """A JSON Feed 1.1 document."""
    return json.dumps(
        {
            "version": "https://jsonfeed.org/version/1.1",
            "title": title,
            "home_page_url": "https://news.example/",
            "items": [
                {
                    "id": item.guid or item.link,
                    "url": item.link,
                    "title": item.title,
                    "content_html": item.body,
                    **({"date_published": item.published.isoformat()} if item.published else {}),
                    **({"authors": [{"name": item.author}]} if item.author else {}),
                }
                for item in entries
            ],
        }
    )


def config_toml(urls: list[str], extra: str = "", **settings: object) -> str:
    """A feeds.toml listing `urls` (short timeouts for tests)."""
    lines = ["[settings]", "timeout = 5"]
    lines += [f"{key} = {json.dumps(value)}" for key, value in settings.items()]
    for url in urls:
        lines += ["", "[[feeds]]", f"url = {json.dumps(url)}"]
    return "\n".join(lines) + "\n" + extra
