"""Finding a site's feeds from a URL (`natoread add URL`): the URL itself when it is a feed,
else the feeds its page announces (`<link rel="alternate" type="application/rss+xml">` and
Atom and JSON Feed alike), else the paths where feeds usually live (/feed, /rss, /atom.xml …).

Every candidate is fetched once through the poll pass's fetcher (its URL rules, redirect
checks, size cap and deadline) and parsed with the feed parser: only what parses as a feed
is offered. Pages are hostile like feeds: a link is kept only when it is a plain http(s)
URL the fetcher accepts, and titles pass through the sanitiser.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import TYPE_CHECKING
from urllib.parse import urljoin, urlsplit

from natoread.core.errors import ParseError
from natoread.core.feeds.urls import url_problem
from natoread.core.text.sanitize import clean_line, safe_url

if TYPE_CHECKING:
    from natoread.core.feeds.fetch import Fetcher
    from natoread.core.feeds.http_policy import FetchLimits

FEED_TYPES = frozenset(
    {
        "application/rss+xml",
        "application/atom+xml",
        "application/feed+json",
        "application/json",
        "application/rdf+xml",
        "application/xml",
        "text/xml",
    }
)
"""The `type` of a `<link rel="alternate">` that announces a feed."""
COMMON_PATHS = (
    "/feed",
    "/rss",
    "/atom.xml",
    "/feed.xml",
    "/rss.xml",
    "/index.xml",
    "/feed.json",
    "/atom",
    "/feeds/posts/default",
)
"""Where feeds usually live, tried on the page's site when the page announces none."""
MAX_CANDIDATES = 12
"""Announced feeds checked at most (a page may list hundreds of category feeds)."""
MAX_PAGE_CHARS = 2_000_000
"""Of a page, only the start is read for link tags (they belong in its head)."""


@dataclass(frozen=True, slots=True)
class FoundFeed:
    """A feed that was fetched and parsed."""

    url: str
    title: str
    kind: str
    entries: int


@dataclass(frozen=True, slots=True)
class Discovery:
    """What a URL led to: its feeds (best first) or why none, and how they were found."""

    feeds: tuple[FoundFeed, ...] = ()
    problem: str | None = None
    how: str = "feed"
    """"feed" (the URL is one), "links" (announced by the page) or "paths" (common paths)."""


class _LinkTags(HTMLParser):
    """Collects the `<link rel="alternate">` tags that announce feeds, in page order."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, str]] = []
        """(href, title) of each."""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag != "link":
            return
        values = {name.lower(): (value or "") for name, value in attrs}
        rels = values.get("rel", "").lower().split()
        kind = values.get("type", "").lower().split(";")[0].strip()
        if "alternate" in rels and kind in FEED_TYPES and values.get("href", "").strip():
            self.found.append((values["href"].strip(), values.get("title", "")))


def feed_links(page: str, base_url: str) -> list[tuple[str, str]]:
    """The feeds a page announces, as (absolute URL, title), each URL once, in page order;
    links that are not plain fetchable http(s) URLs are left out."""
    parser = _LinkTags()
    try:
        parser.feed(page[:MAX_PAGE_CHARS])
        parser.close()
    except (AssertionError, ValueError):  # html.parser on badly broken markup
        pass
    found: dict[str, str] = {}
    for href, title in parser.found:
        url = urljoin(base_url, href)
        if safe_url(url) and url_problem(url) is None and url not in found:
            found[url] = clean_line(title, 200)
    return list(found.items())


def common_feed_urls(page_url: str) -> list[str]:
    """`COMMON_PATHS` on the site of `page_url`."""
    parts = urlsplit(page_url)
    return [f"{parts.scheme}://{parts.netloc}{path}" for path in COMMON_PATHS]


async def _as_feed(fetcher: Fetcher, url: str) -> FoundFeed | str:
    """Fetch `url` and parse it: the feed, or why it is not one (a few words)."""
    from natoread.core.feeds.parser import parse_feed

    result = await fetcher.fetch(url)
    if result.status != "ok":
        return result.error or f"HTTP {result.http_status}"
    # A permanent redirect names the feed's new home; a temporary one keeps the old.
    where = result.moved_to or url
    try:
        parsed = await asyncio.to_thread(parse_feed, result.body, result.final_url or url)
    except ParseError as exc:
        return str(exc)
    return FoundFeed(where, clean_line(parsed.title, 200), parsed.kind, len(parsed.entries))


async def discover(fetcher: Fetcher, url: str) -> Discovery:
    """The feeds `url` leads to (see the module's docstring)."""
    problem = url_problem(url)
    if problem is not None:
        return Discovery(problem=f"cannot fetch this URL: {problem}")
    first = await fetcher.fetch(url)  # asked for as a feed (pages come too): one request
    if first.status != "ok":
        return Discovery(problem=first.error or f"HTTP {first.http_status}")
    from natoread.core.feeds.parser import parse_feed

    base = first.final_url or url
    try:
        parsed = await asyncio.to_thread(parse_feed, first.body, base)
    except ParseError as exc:
        reason = str(exc)
    else:
        title = clean_line(parsed.title, 200)
        found = FoundFeed(first.moved_to or url, title, parsed.kind, len(parsed.entries))
        return Discovery((found,))
    page = first.body.decode("utf-8", errors="replace")
    if "<" not in page[:MAX_PAGE_CHARS]:
        return Discovery(problem=f"neither a feed nor a web page ({reason})")
    announced = feed_links(page, base)
    how = "links" if announced else "paths"
    titles = dict(announced)
    candidates = list(titles)[:MAX_CANDIDATES] if announced else common_feed_urls(base)
    results = await asyncio.gather(*(_as_feed(fetcher, c) for c in candidates))
    feeds: dict[str, FoundFeed] = {}
    for candidate, result in zip(candidates, results, strict=True):
        if isinstance(result, FoundFeed) and result.url not in feeds:
            title = result.title or titles.get(candidate, "")
            feeds[result.url] = FoundFeed(result.url, title, result.kind, result.entries)
    if feeds:
        return Discovery(tuple(feeds.values()), how=how)
    if announced:
        reasons = "; ".join(f"{c}: {r}" for c, r in zip(candidates, results, strict=True))
        return Discovery(problem=f"the page announces feeds, but none could be read ({reasons})")
    return Discovery(
        problem='the page announces no feed (<link rel="alternate">) and none of '
        + ", ".join(COMMON_PATHS[:5])
        + " … is one",
        how=how,
    )


def discover_feeds(url: str, limits: FetchLimits) -> Discovery:
    """`discover` on a client of its own (for a command; the reader runs `discover` on a
    worker's loop)."""
    from natoread.core.feeds.fetch import Fetcher, make_client

    async def run() -> Discovery:
        async with make_client(limits) as client:
            return await discover(Fetcher(client, limits), url)

    return asyncio.run(run())
