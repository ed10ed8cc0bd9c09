"""Full article text: fetch the page politely and extract its main text with trafilatura.

Extraction runs in a child process under a time limit (`core/childrun.py`): trafilatura can
take minutes on a hostile page, and neither the reader nor a poll may wait on it. Every
store access here runs in a worker thread, so `f` in the reader never blocks its loop.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from natoread.core.feeds.childrun import ChildFailed, ChildTimeout, run_child
from natoread.core.feeds.extract import MISSING_EXTRACTOR
from natoread.core.feeds.http_policy import PAGE_ACCEPT
from natoread.core.text.html import cap_article_text, html_to_text
from natoread.core.text.sanitize import clean_paragraphs, safe_url

if TYPE_CHECKING:
    from natoread.core.analysis.analyser import Analyser
    from natoread.core.config import Config
    from natoread.core.feeds.fetch import Fetcher
    from natoread.core.storage.store import Store

MIN_USEFUL_CHARS = 200
FULLTEXT_TIMEOUT_S = 10.0
# Extraction children at once (each holds a Python with trafilatura and the page in memory).
_EXTRACTION_SLOTS = threading.BoundedSemaphore(max(1, os.cpu_count() or 1))


class ExtractionTimeout(Exception):
    """The extractor ran out of time on a page (its process has been killed)."""


@dataclass(frozen=True, slots=True)
class FullText:
    """The outcome of a full-text fetch: the text, or None and a note saying why not."""

    text: str | None
    note: str


def page_to_text(
    page: bytes | str, timeout_s: float = FULLTEXT_TIMEOUT_S, *, strict: bool = False
) -> str:
    """Main text of an HTML page as paragraphs (trafilatura; plain HTML-to-text as fallback).

    Blocking (call it in a thread). When trafilatura takes longer than `timeout_s` its
    process is killed and the plain conversion is used, or with `strict` `ExtractionTimeout`
    is raised. Raises `ImportError` when trafilatura is not installed.
    """
    data = page.encode("utf-8", errors="replace") if isinstance(page, str) else page
    with _EXTRACTION_SLOTS:
        try:
            extracted = run_child("natoread.core.feeds.extract", data, timeout_s)
        except ChildTimeout:
            if strict:
                message = f"the page took over {timeout_s:g} s to extract"
                raise ExtractionTimeout(message) from None
            extracted = b""
        except ChildFailed as exc:
            if exc.returncode == MISSING_EXTRACTOR:
                raise ImportError(exc.last_line or "trafilatura is not installed") from None
            extracted = b""  # the extractor crashed (or hit its memory cap): fall back
        except OSError:  # no process could be started: fall back
            extracted = b""
    text = extracted.decode("utf-8", errors="replace")
    if text:
        return cap_article_text(clean_paragraphs(text.replace("\n", "\n\n")))
    return html_to_text(data.decode("utf-8", errors="replace"))[0]


async def fetch_fulltext(fetcher: Fetcher, url: str | None) -> FullText:
    """Fetch `url` within the fetcher's limits and extract its text (off the event loop)."""
    import asyncio

    if not safe_url(url):
        return FullText(None, "full text unavailable: the article has no http(s) link")
    assert url is not None
    result = await fetcher.fetch(url, accept=PAGE_ACCEPT)
    if result.status != "ok":
        return FullText(None, f"full text unavailable ({result.error}); showing the summary")
    try:
        text = await asyncio.to_thread(page_to_text, result.body, FULLTEXT_TIMEOUT_S, strict=True)
    except (ImportError, ExtractionTimeout) as exc:
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

    from natoread.core.feeds.fetch import Fetcher, make_client
    from natoread.core.polling.plan import analyser_for, fetch_limits
    from natoread.core.reading import article_detail
    from natoread.core.storage.store import Store

    if not article_ids:
        return []

    def read_targets() -> list[tuple[int, str | None, str]]:
        """(id, link, title) of each article still stored."""
        with Store(db_path) as store:
            details = [(i, article_detail(store, i)) for i in article_ids]
        return [(i, d.row.link, d.row.title) for i, d in details if d is not None]

    targets = await asyncio.to_thread(read_targets)
    limits = fetch_limits(config)
    async with make_client(limits) as client:
        fetcher = Fetcher(client, limits)
        results = await asyncio.gather(*(fetch_fulltext(fetcher, link) for _, link, _ in targets))

    def store_results() -> list[tuple[int, str]]:
        chosen = analyser or analyser_for(config)
        with Store(db_path) as store:
            for (article_id, _, title), result in zip(targets, results, strict=True):
                store_fulltext(store, article_id, title, result, chosen)
        return [(target[0], result.note) for target, result in zip(targets, results, strict=True)]

    return await asyncio.to_thread(store_results)


def store_fulltext(
    store: Store, article_id: int, title: str, result: FullText, analyser: Analyser
) -> None:
    """Keep a fetched full text (re-running topics and quotes on it), or just its note."""
    if result.text is None:
        store.set_fulltext_note(article_id, result.note)
        return
    analysis = analyser(title, result.text, quotes=True)
    store.set_body(article_id, result.text, analysis, result.note)
