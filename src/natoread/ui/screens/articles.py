"""Opening articles in the reader: the pending marks applied, read marked, its story shown,
and scrolled to a quote when one was chosen."""

from __future__ import annotations

from contextlib import suppress
from dataclasses import replace
from typing import TYPE_CHECKING

from natoread.core.reading import article_detail
from natoread.core.storage.records import ArticleDetail
from natoread.ui.store_writes import STORE_FAILURES
from natoread.ui.widgets.article_view import StoryContext

if TYPE_CHECKING:
    from natoread.ui.screens.main import MainScreen

SIDEBAR_RECOUNT_S = 0.5
"""Seconds of quiet after an article is marked read before the sidebar is recounted."""


class ArticleOpener:
    """Puts articles in the reader pane."""

    def __init__(self, screen: MainScreen) -> None:
        self.screen = screen

    def story_context(self, article_id: int) -> StoryContext | None:
        """The article's story when more than one outlet carries it (else None)."""
        from natoread.core.storage.stories import story_id_of, story_of, story_quotes

        store = self.screen.store
        story_id = story_id_of(store, article_id)
        if story_id is None:
            return None
        rows = story_of(store, article_id)
        sources = len({row.feed_id for row in rows})
        if sources < 2:
            return None
        others = tuple(row for row in rows if row.id != article_id)
        return StoryContext(sources, others, tuple(story_quotes(store, story_id)))

    async def show_in_reader(self, detail: ArticleDetail) -> None:
        """Put `detail` in the reader with the search words and its story."""
        search = self.screen.view.search
        terms = search.terms if search is not None else ()
        story = self.story_context(detail.row.id)
        await self.screen.reader.show(detail, search=terms, story=story)

    async def open(
        self, article_id: int, *, quote_start: int | None = None, quote_text: str | None = None
    ) -> None:
        """Show an article in the reader and mark it read (written in the background).

        With `quote_start` (its offset) or `quote_text`, the body is scrolled to that quote.
        """
        try:
            await self._open(article_id, quote_start, quote_text)
        except STORE_FAILURES as exc:
            self.screen.store_failed(exc)

    async def _open(self, article_id: int, quote_start: int | None, quote_text: str | None) -> None:
        screen = self.screen
        detail = article_detail(screen.store, article_id)
        if detail is None:
            screen.notify("That article is no longer stored.", severity="warning", markup=False)
            return
        detail = replace(detail, row=screen.keeper.overlay([detail.row])[0])
        if not detail.row.read:
            screen.keeper.change_read([article_id], True)
            detail = ArticleDetail(
                row=replace(detail.row, read=True),
                author=detail.author,
                body=detail.body,
                links=detail.links,
                analysis=detail.analysis,
                quotes=detail.quotes,
                fulltext_note=detail.fulltext_note,
            )
            screen.article_list.update_rows([article_id], read=True)
            screen.debounce.later("sidebar", SIDEBAR_RECOUNT_S, screen.listing.refresh_sidebar)
        articles = screen.article_list
        if articles.current_id != article_id:
            with suppress(ValueError):
                articles.move_to(articles.ids.index(article_id))
        await self.show_in_reader(detail)
        if quote_start is not None or quote_text is not None:
            index = screen.reader.quote_index(start=quote_start, text=quote_text)
            if index is not None:
                await screen.reader.focus_quote(index)
        screen.panes.set_pane("reader")
