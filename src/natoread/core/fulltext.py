"""Full article text: fetch the page politely and extract its main text with trafilatura."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from natoread.core.sanitize import clean_paragraphs, safe_url
from natoread.core.text import html_to_text

if TYPE_CHECKING:
    from natoread.core.fetch import Fetcher

MIN_USEFUL_CHARS = 200


@dataclass(frozen=True, slots=True)
class FullText:
    """The outcome of a full-text fetch: the text, or None and a note saying why not."""

    text: str | None
    note: str


def page_to_text(page: str) -> str:
    """Main text of an HTML page as paragraphs (trafilatura; plain HTML-to-text as fallback)."""
    try:
        import trafilatura

        extracted = trafilatura.extract(
            page, fast=True, include_comments=False, include_tables=True, include_links=False
        )
    except Exception:
        extracted = None
    if extracted:
        return clean_paragraphs(extracted.replace("\n", "\n\n"))
    return html_to_text(page)[0]


async def fetch_fulltext(fetcher: Fetcher, url: str | None) -> FullText:
    """Fetch `url` within the fetcher's limits and extract its text."""
    if not safe_url(url):
        return FullText(None, "full text unavailable: the article has no http(s) link")
    assert url is not None
    result = await fetcher.fetch(url, accept="text/html,application/xhtml+xml;q=0.9,*/*;q=0.5")
    if result.status != "ok":
        return FullText(None, f"full text unavailable ({result.error}); showing the summary")
    import asyncio

    page = result.body.decode("utf-8", errors="replace")
    text = await asyncio.to_thread(page_to_text, page)
    if len(text) < MIN_USEFUL_CHARS:
        return FullText(
            None, "full text unavailable (no article text on the page); showing the summary"
        )
    return FullText(text, "full text fetched from the article page")
