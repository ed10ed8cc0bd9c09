"""Full article text: fetch the page politely and extract its main text with trafilatura."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from natoread.core.sanitize import clean_paragraphs, safe_url
from natoread.core.text import html_to_text

if TYPE_CHECKING:
    from natoread.core.analyser import Analyser
    from natoread.core.config import Config
    from natoread.core.fetch import Fetcher
    from natoread.core.store import Store

MIN_USEFUL_CHARS = 200


@dataclass(frozen=True, slots=True)
class FullText:
    """The outcome of a full-text fetch: the text, or None and a note saying why not."""

    text: str | None
    note: str


def page_to_text(page: str) -> str:
    """Main text of an HTML page as paragraphs (trafilatura; plain HTML-to-text as fallback)."""
    import trafilatura

    try:
        extracted = trafilatura.extract(
            page, fast=True, include_comments=False, include_tables=True, include_links=False
        )
    except Exception:  # the extractor must never take the reader down; fall back instead
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
    try:
        text = await asyncio.to_thread(page_to_text, page)
    except ImportError as exc:
        return FullText(None, f"full text unavailable ({exc}); showing the summary")
    if len(text) < MIN_USEFUL_CHARS:
        return FullText(
            None, "full text unavailable (no article text on the page); showing the summary"
        )
    return FullText(text, "full text fetched from the article page")


async def fulltext_for_articles(
    config: Config, db_path: Path, article_ids: Sequence[int], analyser: Analyser | None = None
) -> list[tuple[int, str]]:
    """Fetch and store the full text of articles (same politeness limits as feeds).

    Re-runs topics and quotes on the new text. Returns (article id, note) pairs; on failure
    the summary is kept and the note says why.
    """
    import asyncio

    from natoread.core.fetch import Fetcher, make_client
    from natoread.core.pollplan import analyser_for, fetch_limits
    from natoread.core.store import Store

    if not article_ids:
        return []
    analyser = analyser or analyser_for(config)
    limits = fetch_limits(config)
    with Store(db_path) as store:
        targets = [(i, store.get_article(i)) for i in article_ids]
        async with make_client(limits) as client:
            fetcher = Fetcher(client, limits)
            results = await asyncio.gather(
                *(fetch_fulltext(fetcher, d.row.link if d else None) for _, d in targets)
            )
        notes: list[tuple[int, str]] = []
        for (article_id, detail), result in zip(targets, results, strict=True):
            if detail is None:
                continue
            store_fulltext(store, article_id, detail.row.title, result, analyser)
            notes.append((article_id, result.note))
    return notes


def store_fulltext(
    store: Store, article_id: int, title: str, result: FullText, analyser: Analyser
) -> None:
    """Keep a fetched full text (re-running topics and quotes on it), or just its note."""
    if result.text is None:
        store.set_fulltext_note(article_id, result.note)
        return
    analysis = analyser(title, result.text, quotes=True)
    store.set_body(article_id, result.text, analysis, result.note)
