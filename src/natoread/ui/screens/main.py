"""The main screen: sidebar, article list and reader with the status line.

The screen composes its parts instead of inheriting them: the view state (`ViewState`) says
what the list shows, and controllers it owns do the work — `ListLoader` (filtering and list
loading), `PaneLayout` (panes, focus, moving), `StoreKeeper` (writes, retries, a replaced
store), `PollController` and `FulltextController` (background work) and `ArticleOpener`
(the reader), `ReaderControls` (what the reader shows, stepping between articles, the
theme). The screen routes keys and messages to them.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import ClassVar

from textual import events, on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Input, Static
from textual.worker import Worker

from natoread.core.config import Config
from natoread.core.storage.records import ArticleRow
from natoread.core.storage.store import Store
from natoread.ui.keys import bindings_for, effective_key
from natoread.ui.links import copy_link, open_link
from natoread.ui.messages import (
    ArticlesArrived,
    ChangesWritten,
    FeedFailed,
    FulltextFetched,
    PollFinished,
    PollProgress,
    PollStarted,
    RetagProgress,
)
from natoread.ui.screens.articles import ArticleOpener
from natoread.ui.screens.board import AccessionBoardScreen, board_query
from natoread.ui.screens.debounce import Debouncer
from natoread.ui.screens.errors import ErrorsScreen
from natoread.ui.screens.fulltext import FulltextController
from natoread.ui.screens.help import HelpScreen
from natoread.ui.screens.keeper import StoreKeeper
from natoread.ui.screens.layout import WIDE, PaneLayout
from natoread.ui.screens.ledger import LedgerChoice, QuotesLedgerScreen
from natoread.ui.screens.listing import ListLoader
from natoread.ui.screens.polling import PollController
from natoread.ui.screens.reader_controls import ReaderControls
from natoread.ui.screens.triage import TriageKeys
from natoread.ui.screens.view_state import ViewState
from natoread.ui.store_writes import failure_text
from natoread.ui.widgets.article_list import ArticleList
from natoread.ui.widgets.article_view import ArticleView
from natoread.ui.widgets.key_hints import KeyHints
from natoread.ui.widgets.sidebar import ALL, Sidebar
from natoread.ui.widgets.status_bar import StatusBar, StatusState

SIDEBAR_RECOUNT_S = 0.5
"""Seconds of quiet after a read mark before the sidebar counts are read again."""
SEARCH_HINT = 'words "a phrase" OR -word speaker:Rutte topic:T feed:F since:7d, Enter runs'


class MainScreen(TriageKeys, Screen[None]):
    """The reader's only full screen; bindings come from `natoread.core.actions.ACTIONS`."""

    BINDINGS: ClassVar[list[BindingType]] = bindings_for()
    HORIZONTAL_BREAKPOINTS = [  # noqa: RUF012 (typed as a plain attribute by Screen)
        (0, "-narrow"),
        (WIDE, "-wide"),
        (140, "-very-wide"),
    ]
    AUTO_FOCUS = "#articles"

    def __init__(self, config: Config, store: Store, db_path: Path, *, autopoll: bool) -> None:
        super().__init__()
        self.config = config
        self.store = store
        """The open store (the keeper replaces it when `reset-db` moves the file aside)."""
        self.db_path = db_path
        self.autopoll = autopoll
        self.clock: Callable[[], int] = lambda: int(time.time())
        """Epoch seconds now (the accession board's weeks end here; tests fix it)."""
        self.view = ViewState()
        self.status = StatusState()
        """What the status line shows."""
        self.debounce = Debouncer(self)
        self.panes = PaneLayout(self)
        self.listing = ListLoader(self)
        self.keeper = StoreKeeper(self, db_path)
        self.polls = PollController(self, config, db_path)
        self.fulltext = FulltextController(self, config, db_path)
        self.articles = ArticleOpener(self)
        self.controls = ReaderControls(self)

    def compose(self) -> ComposeResult:
        listing = self.listing
        with Horizontal(id="panes"):
            yield Sidebar(id="sidebar")
            with Vertical(id="list-pane"):
                yield ArticleList(listing.shown_rows, count_sources=listing.sources, id="articles")
                yield Static("", id="empty", markup=False)
                yield Input(placeholder=SEARCH_HINT, id="search")
            yield ArticleView(
                text_width=self.config.settings.text_width,
                quotes_key=effective_key("toggle-quotes", self.config.keys),
                id="reader",
            )
        yield StatusBar(id="status")
        yield KeyHints(self.config.keys, id="hints")

    def on_mount(self) -> None:
        self.controls.restore_theme()
        if self.autopoll:
            self.polls.schedule()
        self.keeper.start()
        self.triage.restore()
        self.panes.set_pane("list")
        self.listing.first_load()

    def on_unmount(self) -> None:
        self.keeper.flush_on_exit()

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        self.panes.focus_changed(self.focused)

    # -- widgets ------------------------------------------------------------------------------

    @property
    def article_list(self) -> ArticleList:
        return self.query_one(ArticleList)

    @property
    def reader(self) -> ArticleView:
        return self.query_one(ArticleView)

    @property
    def sidebar(self) -> Sidebar:
        return self.query_one(Sidebar)

    # -- status line --------------------------------------------------------------------------

    def update_status(self, **changes: object) -> None:
        """Redraw the status line from the screen state."""
        self.status = replace(
            self.status,
            polling=self.polls.progress,
            new_articles=self.polls.new_articles,
            view=self.view.label(),
            count=len(self.article_list.ids),
            **changes,  # type: ignore[arg-type]
        )
        self.query_one(StatusBar).show(self.status)

    def activity_text(self) -> str:
        """The status line's note on work under way besides polling feeds."""
        notes = (self.polls.retag_note(), self.fulltext.note(), self.finder.note, self.triage.note)
        return " · ".join(note for note in notes if note)

    def store_failed(self, exc: Exception) -> None:
        """A store read or write failed: say so on the status line (the reader goes on)."""
        self.update_status(error=f"database: {failure_text(exc, self.db_path)}")

    # -- search box ---------------------------------------------------------------------------

    def open_search_input(self) -> None:
        """Show the search box and focus it."""
        box = self.query_one("#search", Input)
        self.query_one("#list-pane").add_class("-searching")
        if self.panes.narrow:
            self.panes.set_pane("list")
        search = self.view.search
        box.value = self.view.last_query or (search.text if search else "")
        self.call_after_refresh(box.focus)

    def close_search_input(self) -> None:
        """Hide the search box."""
        self.query_one("#list-pane").remove_class("-searching")
        self.panes.set_pane("list")

    @property
    def searching(self) -> bool:
        """True while the search box is shown."""
        return self.query_one("#list-pane").has_class("-searching")

    # -- messages -----------------------------------------------------------------------------

    @on(ArticleList.Opened)
    async def _open_clicked(self, event: ArticleList.Opened) -> None:
        await self.articles.open(event.article_id)

    @on(ArticleView.VersionChosen)
    async def _open_version(self, event: ArticleView.VersionChosen) -> None:
        await self.articles.open(event.article_id)

    @on(ArticleView.QuoteElsewhere)
    async def _open_quote_elsewhere(self, event: ArticleView.QuoteElsewhere) -> None:
        await self.articles.open(event.article_id, quote_text=event.text)

    @on(Sidebar.FilterChosen)
    def _filter_chosen(self, event: Sidebar.FilterChosen) -> None:
        self.listing.apply_filter(event.chosen)

    @on(Input.Submitted, "#search")
    def _search_submitted(self, event: Input.Submitted) -> None:
        self.close_search_input()
        self.listing.run_search(event.value)

    def on_changes_written(self, message: ChangesWritten) -> None:
        self.keeper.changes_written(message)

    def on_retag_progress(self, message: RetagProgress) -> None:
        self.polls.retag_progressed(message)

    def on_poll_started(self, message: PollStarted) -> None:
        self.polls.started(message)

    def on_poll_progress(self, message: PollProgress) -> None:
        self.polls.progressed(message)

    def on_articles_arrived(self, message: ArticlesArrived) -> None:
        self.polls.articles_arrived(message)

    def on_feed_failed(self, message: FeedFailed) -> None:
        self.polls.feed_failed(message)

    def on_poll_finished(self, message: PollFinished) -> None:
        self.polls.finished(message)

    async def on_fulltext_fetched(self, message: FulltextFetched) -> None:
        await self.fulltext.fetched(message)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """A poll or fetch that crashed or was cancelled must not stay on the status line."""
        if event.worker.group == "fulltext":
            self.fulltext.worker_changed(event)
        elif event.worker.group == "poll":
            self.polls.worker_changed(event)

    # -- movement (keys) ----------------------------------------------------------------------

    def action_down(self) -> None:
        """Move down in the active pane."""
        self.panes.step(1)

    def action_up(self) -> None:
        """Move up in the active pane."""
        self.panes.step(-1)

    def action_first(self) -> None:
        """Go to the first item."""
        self.panes.edge(last=False)

    def action_last(self) -> None:
        """Go to the last item."""
        self.panes.edge(last=True)

    def action_page_down(self) -> None:
        """Page the reader down (the list when no article is visible)."""
        self.panes.page(1)

    def action_page_up(self) -> None:
        """Page the reader up (the list when no article is visible)."""
        self.panes.page(-1)

    def action_cycle_pane(self) -> None:
        """Focus the next pane (sidebar → list → reader → quotes → other versions)."""
        self.panes.cycle()

    # -- opening and going back ---------------------------------------------------------------

    async def action_open(self) -> None:
        """Open the article under the cursor, or choose the sidebar entry or quote."""
        pane = self.panes.active
        if pane == "sidebar":
            self.sidebar.action_select()
        elif pane == "quotes":
            self.reader.quotes.action_select()
        elif pane == "versions":
            self.reader.versions.action_select()
        elif pane == "list" and (article_id := self.article_list.current_id) is not None:
            await self.articles.open(article_id)

    def action_back(self) -> None:
        """Go back: close the search box, leave zen, the reader or sidebar, clear a search."""
        if self.finder.end() or self.controls.leave_zen():
            return
        if self.searching:
            self.close_search_input()
        elif self.panes.in_reader or self.panes.active == "sidebar":
            self.panes.set_pane("list")
        elif self.status.error:
            self.update_status(error="")
        elif self.view.search is not None:
            self.listing.clear_search()
        elif self.view.filter.kind != "all":
            self.listing.apply_filter(ALL)

    def action_quit(self) -> None:
        """Quit; in zen or a narrow terminal, go back first."""
        if self.controls.zen or (self.panes.narrow and self.panes.active != "list"):
            self.action_back()
        else:
            self.app.exit(0)

    async def action_next_unread(self) -> None:
        """Move to the next unread article (and open it when the reader is visible)."""
        if not self.finder.step(1):
            await self.controls.step_unread(1)

    async def action_prev_unread(self) -> None:
        """Move to the previous unread article (and open it when the reader is visible)."""
        if not self.finder.step(-1):
            await self.controls.step_unread(-1)

    async def action_next_article(self) -> None:
        """Open the next article in the list."""
        await self.controls.step_article(1)

    async def action_prev_article(self) -> None:
        """Open the previous article in the list."""
        await self.controls.step_article(-1)

    def action_toggle_sidebar(self) -> None:
        """Hide or show the sidebar."""
        self.controls.toggle_sidebar()

    def action_toggle_quotes(self) -> None:
        """Expand the quotes panel or fold it to one line."""
        self.controls.toggle_quotes()

    def action_toggle_details(self) -> None:
        """Show or hide the article's link and why it matched."""
        self.controls.toggle_details()

    def action_zen(self) -> None:
        """The article alone on the screen, or back."""
        self.controls.toggle_zen()

    # -- list views ---------------------------------------------------------------------------

    def action_search(self) -> None:
        """Search titles and text; in the reader pane, find in the article."""
        if self.panes.active == "reader":
            self.finder.start()
            return
        self.controls.leave_zen()
        self.open_search_input()

    def action_toggle_matching(self) -> None:
        """Show only topic matches, or everything."""
        self.listing.toggle_matching()
        self.notify(
            "Showing topic matches only" if self.view.matching else "Showing all articles",
            markup=False,
        )

    def action_toggle_stories(self) -> None:
        """One row per story (its newest version, with "N sources"), or every version."""
        self.listing.toggle_stories()
        self.notify(
            "One row per story" if self.view.stories_collapsed else "Every version of each story",
            markup=False,
        )

    # -- article state ------------------------------------------------------------------------

    def target_article(self) -> ArticleRow | None:
        """The article an action applies to: the one open in the reader, else the cursor's."""
        in_reader = self.panes.in_reader
        article_id = self.reader.article_id if in_reader else self.article_list.current_id
        if article_id is None:
            return None
        rows = self.listing.shown_rows([article_id])
        return rows[0] if rows else None

    def action_star(self) -> None:
        """Star or unstar the article (shown at once, written in the background)."""
        row = self.target_article()
        if row is None:
            return
        starred = not row.starred
        self.keeper.change_starred(row.id, starred)
        self.article_list.update_rows([row.id], starred=starred)
        if (detail := self.reader.detail) is not None and detail.row.id == row.id:
            self.reader.refresh_header(replace(detail, row=replace(detail.row, starred=starred)))

    def action_toggle_read(self) -> None:
        """Mark the article read or unread (shown at once, written in the background)."""
        row = self.target_article()
        if row is None:
            return
        self.keeper.change_read([row.id], not row.read)
        self.article_list.update_rows([row.id], read=not row.read)
        self.debounce.later("sidebar", SIDEBAR_RECOUNT_S, self.listing.refresh_sidebar)

    def action_mark_all_read(self) -> None:
        """Mark every article in the list read (confirmed with the count; one undo step)."""
        self.triage.mark_all_read()

    # -- links, polling, screens --------------------------------------------------------------

    def action_poll(self) -> None:
        """Poll every feed now."""
        if not self.config.feeds and self.config.sync is None:
            self.notify("No feeds configured.", severity="warning", markup=False)
            return
        self.polls.start(True)

    def action_open_link(self) -> None:
        """Open the article's link: $BROWSER, the desktop opener, or the clipboard."""
        row = self.target_article()
        if row is None:
            return
        open_link(self.app, row.link)

    def action_copy_link(self) -> None:
        """Copy the article's link to the clipboard (OSC 52, and tmux inside tmux)."""
        row = self.target_article()
        if row is not None:
            copy_link(self.app, row.link)

    def action_fulltext(self) -> None:
        """Fetch the article's page and show its full text (or why the summary stays)."""
        row = self.target_article()
        if row is None:
            return
        self.fulltext.start(row.id)

    def action_quotes_ledger(self) -> None:
        """Who said what: speakers ranked by quotes in the current topic (or all)."""
        screen = QuotesLedgerScreen(self.store, self.view.topic, self.config.keys)
        self.app.push_screen(screen, self._ledger_chosen)

    async def _ledger_chosen(self, choice: LedgerChoice | None) -> None:
        """Open the article of the quote chosen in the ledger, scrolled to the quote."""
        if choice is not None:
            await self.articles.open(choice.article_id, quote_start=choice.quote_start)

    def action_accession_board(self) -> None:
        """One row per candidate or recently joined country (`countries` in [settings])."""
        screen = AccessionBoardScreen(
            self.db_path, self.config.settings.countries, self.config.keys, now=self.clock()
        )
        self.app.push_screen(screen, self._board_chosen)

    def _board_chosen(self, country: str | None) -> None:
        """List the matching articles that name the chosen country (a phrase search)."""
        if country:
            self.listing.run_search(board_query(country))

    def action_failing_feeds(self) -> None:
        """Show failing feeds and their errors."""
        feeds = self.store.feeds_health([feed.url for feed in self.config.feeds])
        self.app.push_screen(ErrorsScreen(feeds))

    def action_theme(self) -> None:
        """Switch to the next theme."""
        self.controls.next_theme()

    def action_help(self) -> None:
        """Show every key."""
        self.app.push_screen(HelpScreen(self.config.keys))
