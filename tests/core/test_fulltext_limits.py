"""Full-text extraction runs in a child process under a time limit, off the event loop."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import pytest

from natoread.core.feeds import fulltext
from natoread.core.feeds.fulltext import fulltext_for_articles, page_to_text
from natoread.core.storage.store import Store
from natoread.core.text.html import MAX_ARTICLE_CHARS
from tests import feedgen
from tests.core.test_poller import config_for, poll
from tests.feedserver import FeedServer

# trafilatura needs seconds per megabyte of paragraphs (about 12 s for this one here).
HOSTILE_PAGE = "<html><body>" + "<p>word word word</p>" * 100_000 + "</body></html>"


def _stored_article(server: FeedServer, tmp_path: Path, page_url: str) -> tuple[Path, int]:
    """A database holding one article (summary only) whose link is `page_url`."""
    item = feedgen.Item(title="Summit", body="<p>Only the summary.</p>", guid="s", link=page_url)
    config = config_for([server.add("/rss", feedgen.rss([item]))])
    db = tmp_path / "db.sqlite3"
    poll(config, db)
    with Store(db) as store:
        (row,) = store.list_articles()
    return db, row.id


def test_an_extraction_over_the_limit_keeps_the_summary_and_never_blocks_the_loop(
    server: FeedServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    page_url = server.add("/hostile", HOSTILE_PAGE, content_type="text/html")
    db, article_id = _stored_article(server, tmp_path, page_url)
    monkeypatch.setattr(fulltext, "FULLTEXT_TIMEOUT_S", 1.0)
    gaps: list[float] = []

    async def scenario() -> list[tuple[int, str]]:
        done = asyncio.Event()

        async def ticker() -> None:
            last = time.perf_counter()
            while not done.is_set():
                await asyncio.sleep(0.01)
                now = time.perf_counter()
                gaps.append(now - last)
                last = now

        tick = asyncio.ensure_future(ticker())
        notes = await fulltext_for_articles(config_for([]), db, [article_id])
        done.set()
        await tick
        return notes

    started = time.perf_counter()
    notes = asyncio.run(scenario())
    assert time.perf_counter() - started < 8.0  # the extractor alone would run far longer
    expected = "full text unavailable (the page took over 1 s to extract); showing the summary"
    assert notes == [(article_id, expected)]
    assert max(gaps) < 0.5  # the event loop kept running while the page was extracted
    with Store(db) as store:
        detail = store.get_article(article_id)
    assert detail is not None
    assert detail.body == "Only the summary." and detail.fulltext_note == expected


def test_a_hostile_page_read_by_the_command_line_falls_back_to_plain_text() -> None:
    started = time.perf_counter()
    text = page_to_text(HOSTILE_PAGE, timeout_s=1.0)
    assert time.perf_counter() - started < 8.0
    assert text.startswith("word word word")
    assert text.endswith(" more]")  # the plain conversion is capped too


def test_a_long_extracted_article_is_capped_with_a_note() -> None:
    paragraphs = "".join(
        f"<p>Paragraph {i}: allies met in Brussels to discuss the summit agenda.</p>"
        for i in range(4_000)
    )
    text = page_to_text(f"<html><body><article>{paragraphs}</article></body></html>")
    kept, note = text.rsplit("\n\n", 1)
    assert len(kept) <= MAX_ARTICLE_CHARS and kept.endswith("agenda.")
    assert note.startswith("[… article truncated by natoread: ") and note.endswith(" KB more]")
