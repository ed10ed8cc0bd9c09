"""The main screen's actions: every key of the action registry, dispatched to the active pane."""

from __future__ import annotations

from contextlib import suppress
from dataclasses import replace
from typing import ClassVar

from textual.binding import BindingType

from natoread.core.storage.records import ArticleRow
from natoread.core.system.browser import link_host, open_link
from natoread.core.text.sanitize import safe_url
from natoread.ui.keys import bindings_for
from natoread.ui.screens.base import READER_PANES
from natoread.ui.screens.board import AccessionBoardScreen, board_query
from natoread.ui.screens.errors import ErrorsScreen
from natoread.ui.screens.help import HelpScreen
from natoread.ui.screens.ledger import LedgerChoice, QuotesLedgerScreen
from natoread.ui.screens.tasks import ReaderTasks


class MainScreen(ReaderTasks):
    """The reader's only full screen; bindings come from `natoread.core.actions.ACTIONS`."""

    BINDINGS: ClassVar[list[BindingType]] = bindings_for()

    # -- movement -----------------------------------------------------------------------------

    def action_down(self) -> None:
        """Move down in the active pane."""
        self._step(1)

    def action_up(self) -> None:
        """Move up in the active pane."""
        self._step(-1)

    def _step(self, delta: int) -> None:
        if self.pane == "list":
            self.article_list.move_by(delta)
        elif self.pane == "sidebar":
            self.sidebar.action_cursor_down() if delta > 0 else self.sidebar.action_cursor_up()
        elif self.pane in ("quotes", "versions"):
            options = self.reader.quotes if self.pane == "quotes" else self.reader.versions
            options.action_cursor_down() if delta > 0 else options.action_cursor_up()
        else:
            body = self.reader.body
            body.scroll_down(animate=False) if delta > 0 else body.scroll_up(animate=False)

    def action_first(self) -> None:
        """Go to the first item."""
        self._edge(last=False)

    def action_last(self) -> None:
        """Go to the last item."""
        self._edge(last=True)

    def _edge(self, *, last: bool) -> None:
        if self.pane == "list":
            self.article_list.move_to(len(self.article_list.ids) - 1 if last else 0)
        elif self.pane == "sidebar":
            self.sidebar.action_last() if last else self.sidebar.action_first()
        elif self.pane in ("quotes", "versions"):
            options = self.reader.quotes if self.pane == "quotes" else self.reader.versions
            options.action_last() if last else options.action_first()
        else:
            body = self.reader.body
            body.scroll_end(animate=False) if last else body.scroll_home(animate=False)

    def action_page_down(self) -> None:
        """Page the reader down (the list when no article is visible)."""
        self._page(1)

    def action_page_up(self) -> None:
        """Page the reader up (the list when no article is visible)."""
        self._page(-1)

    def _page(self, direction: int) -> None:
        reader_visible = self.reader.detail is not None and (
            not self.narrow or self.pane in READER_PANES
        )
        if self.pane == "sidebar":
            # OptionList's paging actions are not annotated in Textual 8.2.
            if direction > 0:
                self.sidebar.action_page_down()  # type: ignore[no-untyped-call]
            else:
                self.sidebar.action_page_up()  # type: ignore[no-untyped-call]
        elif reader_visible:
            body = self.reader.body
            body.scroll_page_down(animate=False) if direction > 0 else body.scroll_page_up(
                animate=False
            )
        else:
            self.article_list.page(direction)

    def action_cycle_pane(self) -> None:
        """Focus the next pane (sidebar → list → reader → quotes → other versions)."""
        panes = ["sidebar", "list", "reader"]
        if self.reader.detail is not None and self.reader.quotes.option_count:
            panes.append("quotes")
        if self.reader.detail is not None and self.reader.versions.option_count:
            panes.append("versions")
        current = self.pane if self.pane in panes else "list"
        self.set_pane(panes[(panes.index(current) + 1) % len(panes)])

    # -- opening and going back ---------------------------------------------------------------

    async def action_open(self) -> None:
        """Open the article under the cursor, or choose the sidebar entry or quote."""
        if self.pane == "sidebar":
            self.sidebar.action_select()
        elif self.pane == "quotes":
            self.reader.quotes.action_select()
        elif self.pane == "versions":
            self.reader.versions.action_select()
        elif self.pane == "list" and (article_id := self.article_list.current_id) is not None:
            await self.open_article(article_id)

    def action_back(self) -> None:
        """Go back: close the search box, leave the reader or sidebar, clear a search/filter."""
        if self.query_one("#list-pane").has_class("-searching"):
            self.close_search_input()
        elif self.pane in (*READER_PANES, "sidebar"):
            self.set_pane("list")
        elif self._status.error:
            self.update_status(error="")
        elif self.search is not None:
            self.search = None
            self.last_query = ""
            self.reload()
        elif self.filter.kind != "all":
            from natoread.ui.widgets.sidebar import ALL

            self.apply_filter(ALL)

    def action_quit(self) -> None:
        """Quit; in a narrow terminal, go back to the list first."""
        if self.narrow and self.pane != "list":
            self.action_back()
        else:
            self.app.exit(0)

    async def action_next_unread(self) -> None:
        """Move to (and in the reader, open) the next unread article."""
        await self._unread(1)

    async def action_prev_unread(self) -> None:
        """Move to (and in the reader, open) the previous unread article."""
        await self._unread(-1)

    async def _unread(self, step: int) -> None:
        articles = self.article_list
        stored = set(self.store.article_ids(replace(self.query_for_view(), unread=True)))
        unread = self.pending.unread_view(stored)
        found = articles.find(articles.cursor + step, step, unread.__contains__)
        if found is None:
            self.notify("No more unread articles here.", markup=False)
            return
        articles.move_to(found)
        if self.pane in READER_PANES:
            await self.open_article(articles.ids[found])

    async def action_next_article(self) -> None:
        """Open the next article in the list."""
        await self._neighbour(1)

    async def action_prev_article(self) -> None:
        """Open the previous article in the list."""
        await self._neighbour(-1)

    async def _neighbour(self, step: int) -> None:
        articles = self.article_list
        if self.reader.article_id is not None and articles.current_id != self.reader.article_id:
            with suppress(ValueError):
                articles.move_to(articles.ids.index(self.reader.article_id))
        before = articles.cursor
        articles.move_by(step)
        if articles.cursor != before and (article_id := articles.current_id) is not None:
            await self.open_article(article_id)

    # -- list views ---------------------------------------------------------------------------

    def action_search(self) -> None:
        """Search titles and text."""
        self.open_search_input()

    def action_toggle_matching(self) -> None:
        """Show only topic matches, or everything."""
        self.matching = not self.matching
        self.search = None
        self.last_query = ""
        self.reload()
        self.refresh_sidebar()
        self.notify(
            "Showing topic matches only" if self.matching else "Showing all articles",
            markup=False,
        )

    def action_toggle_stories(self) -> None:
        """One row per story (its newest version, with "N sources"), or every version."""
        self.stories_collapsed = not self.stories_collapsed
        self.reload()
        self.notify(
            "One row per story" if self.stories_collapsed else "Every version of each story",
            markup=False,
        )

    # -- article state ------------------------------------------------------------------------

    def _target(self) -> ArticleRow | None:
        """The article an action applies to: the one open in the reader, else the cursor's."""
        article_id = (
            self.reader.article_id if self.pane in READER_PANES else self.article_list.current_id
        )
        if article_id is None:
            return None
        rows = self.shown_rows([article_id])
        return rows[0] if rows else None

    def action_star(self) -> None:
        """Star or unstar the article (shown at once, written in the background)."""
        row = self._target()
        if row is None:
            return
        starred = not row.starred
        self.change_starred(row.id, starred)
        self.article_list.update_rows([row.id], starred=starred)
        if (detail := self.reader.detail) is not None and detail.row.id == row.id:
            self.reader.refresh_header(replace(detail, row=replace(detail.row, starred=starred)))

    def action_toggle_read(self) -> None:
        """Mark the article read or unread (shown at once, written in the background)."""
        row = self._target()
        if row is None:
            return
        self.change_read([row.id], not row.read)
        self.article_list.update_rows([row.id], read=not row.read)
        self.later("sidebar", 0.5, self.refresh_sidebar)

    def action_mark_all_read(self) -> None:
        """Mark every article in the list read (shown at once, written in the background)."""
        ids = list(self.article_list.ids)
        if not ids:
            return
        self.change_read(ids, True)
        self.article_list.forget_rows()
        self.refresh_sidebar()
        self.notify(f"Marked {len(ids):,} articles read", markup=False)

    # -- links, polling, screens --------------------------------------------------------------

    def action_poll(self) -> None:
        """Poll every feed now."""
        if not self.config.feeds:
            self.notify("No feeds configured.", severity="warning", markup=False)
            return
        self.start_poll(True)

    def action_open_link(self) -> None:
        """Open the article's link in a browser (copied to the clipboard over SSH)."""
        row = self._target()
        if row is None:
            return
        self.notify(open_link(row.link, copy=self.app.copy_to_clipboard), markup=False)

    def action_copy_link(self) -> None:
        """Copy the article's link to the clipboard (OSC 52)."""
        row = self._target()
        url = safe_url(row.link) if row else None
        if url is None:
            self.notify("This article has no http(s) link.", severity="warning", markup=False)
            return
        self.app.copy_to_clipboard(url)
        self.notify(f"Copied the link to {link_host(url)}", markup=False)

    def action_fulltext(self) -> None:
        """Fetch the article's page and show its full text (or why the summary stays)."""
        row = self._target()
        if row is None:
            return
        self.start_fulltext(row.id)

    def action_quotes_ledger(self) -> None:
        """Who said what: speakers ranked by quotes in the current topic (or all)."""
        topic = self.filter.value if self.filter.kind == "topic" else None
        self.app.push_screen(
            QuotesLedgerScreen(self.store, topic, self.config.keys), self._ledger_chosen
        )

    async def _ledger_chosen(self, choice: LedgerChoice | None) -> None:
        """Open the article of the quote chosen in the ledger, scrolled to the quote."""
        if choice is not None:
            await self.open_article(choice.article_id, quote_start=choice.quote_start)

    def action_accession_board(self) -> None:
        """One row per candidate or recently joined country (`countries` in [settings])."""
        screen = AccessionBoardScreen(
            self.db_path, self.config.settings.countries, self.config.keys, now=self.clock()
        )
        self.app.push_screen(screen, self._board_chosen)

    def _board_chosen(self, country: str | None) -> None:
        """List the matching articles that name the chosen country (a phrase search)."""
        if country:
            self.run_search(board_query(country))

    def action_failing_feeds(self) -> None:
        """Show failing feeds and their errors."""
        feeds = self.store.feeds_health([feed.url for feed in self.config.feeds])
        self.app.push_screen(ErrorsScreen(feeds))

    def action_theme(self) -> None:
        """Switch to the next theme."""
        names = sorted(self.app.available_themes)
        current = self.app.theme
        self.app.theme = (
            names[(names.index(current) + 1) % len(names)] if current in names else names[0]
        )
        self.notify(f"Theme: {self.app.theme}", markup=False)

    def action_help(self) -> None:
        """Show every key."""
        self.app.push_screen(HelpScreen(self.config.keys))
