"""Opening an article: the one read that may write, because quote extraction is deferred.

A big pass stores many articles without extracting their quotes (`Analysis.quotes_done`);
the first time one is opened its quotes are extracted here and stored, so the store itself
never runs analysis code.
"""

from __future__ import annotations

import contextlib
from dataclasses import replace
from typing import TYPE_CHECKING

from natoread.core.errors import StoreError

if TYPE_CHECKING:
    from natoread.core.storage.records import ArticleDetail
    from natoread.core.storage.store import Store


def article_detail(store: Store, article_id: int) -> ArticleDetail | None:
    """One article with its text, analysis and quotes (extracted now if they were deferred)."""
    detail = store.get_article(article_id)
    if detail is None or not detail.quotes_pending:
        return detail
    from natoread.core.analysis.quotes import extract_quotes, speaker_key

    quotes = extract_quotes(detail.document)
    keys = tuple(speaker_key(q.speaker) if q.speaker else None for q in quotes)
    saved = False
    with contextlib.suppress(StoreError):  # a read-only or busy store still shows the count
        store.save_quotes(article_id, quotes, keys)
        saved = True
    return replace(
        detail,
        row=replace(detail.row, quote_count=len(quotes)),
        quotes=store.quotes_of(article_id),
        quotes_pending=not saved,
    )
