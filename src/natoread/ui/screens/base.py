"""State and plumbing of the main screen: panes, the list query, search and opening articles
(with their story). Polling and full-text fetches are in `tasks.py`."""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from contextlib import suppress
from dataclasses import replace
from pathlib import Path

from textual import events, on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import Screen
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import Input, Static

from natoread.core.analysis.stories import one_per_story, source_counts
from natoread.core.config import Config
from natoread.core.storage.records import ArticleDetail, ArticleQuery, ArticleRow
from natoread.core.storage.store import Store
from natoread.ui.render import empty_state
from natoread.ui.search import ActiveSearch, highlight_terms, run_search
from natoread.ui.store_writes import STORE_FAILURES, PendingChanges, failure_text
from natoread.ui.widgets.article_list import ArticleList
from natoread.ui.widgets.article_view import ArticleView, StoryContext
from natoread.ui.widgets.key_hints import KeyHints
from natoread.ui.widgets.sidebar import ALL, Filter, Sidebar
from natoread.ui.widgets.status_bar import StatusBar, StatusState

WIDE = 100
"""Terminals at least this wide show all three panes; narrower ones show one at a time."""
FIRST_ROWS = 500
"""Rows read before the first paint (more than any terminal shows); the rest right after."""
PANES = ("sidebar", "list", "reader", "quotes", "versions")
READER_PANES = ("reader", "quotes", "versions")
"""Panes shown inside the reader column."""
SEARCH_HINT = 'words "a phrase" OR -word speaker:Rutte topic:T feed:F since:7d, Enter runs'


class ReaderBase(Screen[None]):
    """Sidebar, article list and reader pane with the status line; background work lives in
    ReaderTasks and the keys in MainScreen."""

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
        self.db_path = db_path
        self.autopoll = autopoll
        self.matching = True
        self.filter: Filter = ALL
        self.search: ActiveSearch | None = None
        self.last_query = ""
        """The query last submitted, kept in the search box even when it had an error."""
        self.stories_collapsed = False
        """One row per story (its newest listed version) instead of every version."""
        self.fetching: dict[int, int] = {}
        """Full-text fetches under way: worker id → article id."""
        self.clock: Callable[[], int] = lambda: int(time.time())
        """Epoch seconds now (the accession board's weeks end here; tests fix it)."""
        self.pane = "list"
        self.polling: tuple[int, int] | None = None
        self.retagging: tuple[int, int] | None = None
        """(done, total) while stored articles are re-tagged under changed topic rules."""
        self.new_articles = 0
        self._status = StatusState()
        self._debouncers: dict[str, Timer] = {}
        self._feeds_synced = False
        self.pending = PendingChanges()
        """Star and read marks shown but not yet written (see `StoreKeeper`)."""
        self.writing = False
        """A thread worker is writing a batch of the pending changes."""

    def compose(self) -> ComposeResult:
        with Horizontal(id="panes"):
            yield Sidebar(id="sidebar")
            with Vertical(id="list-pane"):
                yield ArticleList(self.shown_rows, count_sources=self._sources, id="articles")
                yield Static("", id="empty", markup=False)
                yield Input(placeholder=SEARCH_HINT, id="search")
            yield ArticleView(id="reader")
        yield StatusBar(id="status")
        yield KeyHints(self.config.keys, id="hints")

    def on_mount(self) -> None:
        self.set_pane("list")
        # The first screenful first: the whole list (~40 ms at 100,000 articles) is read right
        # after the first paint, and the cursor stays on its article. A store that fit in
        # the first read is not read again.
        self.reload(head=FIRST_ROWS)
        if self.stories_collapsed or len(self.article_list.ids) >= FIRST_ROWS:
            self.call_after_refresh(self.reload)
        self.call_after_refresh(self.refresh_sidebar)

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

    @property
    def narrow(self) -> bool:
        """True when one pane is shown at a time."""
        return self.has_class("-narrow")

    def pane_widget(self, pane: str) -> Widget:
        """The focusable widget of a pane."""
        if pane == "sidebar":
            return self.sidebar
        if pane == "reader":
            return self.reader.body
        if pane == "quotes":
            return self.reader.quotes
        if pane == "versions":
            return self.reader.versions
        return self.article_list

    def _show_column(self, pane: str) -> None:
        """Mark the column holding `pane` as the one shown (alone, when narrow)."""
        shown = "reader" if pane in READER_PANES else pane
        for name in ("sidebar", "list", "reader"):
            self.set_class(name == shown, f"-pane-{name}")

    def set_pane(self, pane: str) -> None:
        """Make `pane` the active one (shown alone when narrow) and focus it."""
        self.pane = pane
        self._show_column(pane)
        widget = self.pane_widget(pane)
        if pane in ("quotes", "versions"):
            options = self.reader.quotes if pane == "quotes" else self.reader.versions
            if options.highlighted is None and options.option_count:
                options.highlighted = 0
        self.call_after_refresh(widget.focus)

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        """Track the pane that holds the focus (mouse clicks change it too)."""
        focused = self.focused
        for pane in PANES:
            if focused is not None and focused is self.pane_widget(pane):
                if pane != self.pane:
                    self.pane = pane
                    self._show_column(pane)
                return

    # -- store ----------------------------------------------------------------------------------

    def store_failed(self, exc: Exception) -> None:
        """A store read or write failed: say so on the status line (the reader goes on)."""
        self.update_status(error=f"database: {failure_text(exc, self.db_path)}")

    def shown_rows(self, article_ids: Sequence[int]) -> list[ArticleRow]:
        """Rows as the list shows them: stored, with the changes not yet written applied.

        A failed read shows the rows blank for now and reads them again a little later."""
        try:
            return self.pending.overlay(self.store.rows_by_ids(article_ids))
        except STORE_FAILURES as exc:
            self.store_failed(exc)
            self.later("rows", 1.0, self.article_list.forget_rows)
            return []

    def _sources(self, article_ids: Sequence[int]) -> Mapping[int, int]:
        try:
            return source_counts(self.store, article_ids)
        except STORE_FAILURES:
            return {}

    def change_read(self, article_ids: Sequence[int], read: bool) -> None:
        """Mark articles read or unread: shown now, written off the event loop (`StoreKeeper`)."""
        raise NotImplementedError

    # -- list state ---------------------------------------------------------------------------

    def query_for_view(self) -> ArticleQuery:
        """The store query behind the list."""
        if self.search is not None:
            return ArticleQuery(article_ids=self.search.ids)
        chosen = self.filter
        return ArticleQuery(
            matching=self.matching,
            topic=chosen.value if chosen.kind == "topic" else None,
            feed_id=int(chosen.value) if chosen.kind == "feed" else None,
        )

    def view_label(self) -> str:
        """The filter in words, for the status line."""
        stories = " · one row per story" if self.stories_collapsed else ""
        if self.search is not None:
            return f"search “{self.search.text}” (esc clears){stories}"
        label = "matching" if self.matching else "all"
        if self.filter.kind != "all":
            label += f" · {self.filter.kind} {self.filter.label}"
        return label + stories

    def reload(self, keep: int | None = None, head: int = -1) -> None:
        """Re-read the ids of the list (only the first `head`, if given), keeping the cursor on
        the same article."""
        try:
            ids = self.store.article_ids(self.query_for_view(), limit=head)
            if self.stories_collapsed:
                ids = one_per_story(self.store, ids)
        except STORE_FAILURES as exc:
            self.store_failed(exc)
            return
        self.article_list.set_ids(ids, keep=keep)
        self.update_empty_state()
        self.update_status()

    def update_status(self, **changes: object) -> None:
        """Redraw the status line from the screen state."""
        self._status = replace(
            self._status,
            polling=self.polling,
            new_articles=self.new_articles,
            view=self.view_label(),
            count=len(self.article_list.ids),
            **changes,  # type: ignore[arg-type]
        )
        self.query_one(StatusBar).show(self._status)

    def update_empty_state(self) -> None:
        """Explain an empty list: no feeds yet, polling under way, or nothing matching."""
        empty = not self.article_list.ids
        pane = self.query_one("#list-pane")
        pane.set_class(empty, "-empty")
        if empty:
            self.query_one("#empty", Static).update(self.empty_text())

    def empty_text(self) -> Content:
        """The empty-state message."""
        source = self.config.source
        if source.startswith("("):
            from natoread.core.paths import CONFIG_NAME, user_config_dir

            source = str(user_config_dir() / CONFIG_NAME)
        return empty_state(
            source,
            has_feeds=bool(self.config.feeds),
            search=self.search.text if self.search else None,
            stored=self.store.count_articles(),
            polling=self.polling is not None,
            matching=self.matching,
        )

    def refresh_sidebar(self) -> None:
        """Recount topics and feeds; update failing count and last poll time."""
        urls = [feed.url for feed in self.config.feeds]
        try:
            if not self._feeds_synced:
                self.store.sync_feeds((f.url, f.title, f.show == "all") for f in self.config.feeds)
                self._feeds_synced = True
            feeds = self.store.feeds_health(urls)
            counts = self.store.topic_counts()
            total = self.store.count_articles(ArticleQuery(matching=self.matching))
        except STORE_FAILURES as exc:
            self.store_failed(exc)
            return
        topics = [(t.name, counts.get(t.name, 0)) for t in self.config.topics if t.enabled]
        self.sidebar.update_entries(
            topics,
            feeds,
            self.config.searches,
            total=total,
            all_label="All matching" if self.matching else "All articles",
        )
        fetched = [feed.last_fetch for feed in feeds if feed.last_fetch is not None]
        self.update_status(
            failing=sum(feed.failing for feed in feeds),
            last_poll=max(fetched) if fetched else None,
        )

    def later(self, name: str, delay: float, callback: object) -> None:
        """Run `callback` once after `delay`, restarting the wait if asked again (debounce)."""
        if (timer := self._debouncers.pop(name, None)) is not None:
            timer.stop()
        self._debouncers[name] = self.set_timer(delay, callback)  # type: ignore[arg-type]

    def apply_filter(self, chosen: Filter) -> None:
        """Show a topic, feed or saved search (or everything)."""
        if chosen.kind == "search":
            self.run_search(chosen.value)
            return
        self.search = None
        self.filter = chosen
        self.reload()
        self.update_status(error="")
        self.set_pane("list")

    def run_search(self, text: str) -> None:
        """List the articles a query finds (query syntax of `natoread.core.storage.search`).

        A query that cannot run leaves the list as it was and puts the reason on the status
        line; an empty one clears the search.
        """
        text = text.strip()
        self.last_query = text
        self.set_pane("list")
        if not text:
            self.search = None
            self.reload()
            self.update_status(error="")
            return
        try:
            result = run_search(self.store, text)
        except STORE_FAILURES as exc:
            self.store_failed(exc)
            return
        if result.error is not None:
            self.update_status(error="search: " + " ".join(result.error.split()))
            return
        self.search = ActiveSearch(text, result.ids, highlight_terms(text))
        self.reload()
        self.update_status(error="")

    # -- articles -----------------------------------------------------------------------------

    def story_context(self, article_id: int) -> StoryContext | None:
        """The article's story when more than one outlet carries it (else None)."""
        from natoread.core.analysis.stories import story_id_of, story_of, story_quotes

        story_id = story_id_of(self.store, article_id)
        if story_id is None:
            return None
        rows = story_of(self.store, article_id)
        sources = len({row.feed_id for row in rows})
        if sources < 2:
            return None
        others = tuple(row for row in rows if row.id != article_id)
        return StoryContext(sources, others, tuple(story_quotes(self.store, story_id)))

    async def show_in_reader(self, detail: ArticleDetail) -> None:
        """Put `detail` in the reader with the search words and its story."""
        terms = self.search.terms if self.search is not None else ()
        await self.reader.show(detail, search=terms, story=self.story_context(detail.row.id))

    async def open_article(
        self, article_id: int, *, quote_start: int | None = None, quote_text: str | None = None
    ) -> None:
        """Show an article in the reader and mark it read (written in the background).

        With `quote_start` (its offset) or `quote_text`, the body is scrolled to that quote.
        """
        try:
            await self._open_article(article_id, quote_start, quote_text)
        except STORE_FAILURES as exc:
            self.store_failed(exc)

    async def _open_article(
        self, article_id: int, quote_start: int | None, quote_text: str | None
    ) -> None:
        detail = self.store.get_article(article_id)
        if detail is None:
            self.notify("That article is no longer stored.", severity="warning", markup=False)
            return
        detail = replace(detail, row=self.pending.overlay([detail.row])[0])
        if not detail.row.read:
            self.change_read([article_id], True)
            detail = ArticleDetail(
                row=replace(detail.row, read=True),
                author=detail.author,
                body=detail.body,
                links=detail.links,
                analysis=detail.analysis,
                quotes=detail.quotes,
                fulltext_note=detail.fulltext_note,
            )
            self.article_list.update_rows([article_id], read=True)
            self.later("sidebar", 0.5, self.refresh_sidebar)
        articles = self.article_list
        if articles.current_id != article_id:
            with suppress(ValueError):
                articles.move_to(articles.ids.index(article_id))
        await self.show_in_reader(detail)
        if quote_start is not None or quote_text is not None:
            index = self.reader.quote_index(start=quote_start, text=quote_text)
            if index is not None:
                await self.reader.focus_quote(index)
        self.set_pane("reader")

    @on(ArticleList.Opened)
    async def _open_clicked(self, event: ArticleList.Opened) -> None:
        await self.open_article(event.article_id)

    @on(ArticleView.VersionChosen)
    async def _open_version(self, event: ArticleView.VersionChosen) -> None:
        await self.open_article(event.article_id)

    @on(ArticleView.QuoteElsewhere)
    async def _open_quote_elsewhere(self, event: ArticleView.QuoteElsewhere) -> None:
        await self.open_article(event.article_id, quote_text=event.text)

    @on(Sidebar.FilterChosen)
    def _filter_chosen(self, event: Sidebar.FilterChosen) -> None:
        self.apply_filter(event.chosen)

    @on(Input.Submitted, "#search")
    def _search_submitted(self, event: Input.Submitted) -> None:
        self.close_search_input()
        self.run_search(event.value)

    def open_search_input(self) -> None:
        """Show the search box and focus it."""
        box = self.query_one("#search", Input)
        self.query_one("#list-pane").add_class("-searching")
        if self.narrow:
            self.set_pane("list")
        box.value = self.last_query or (self.search.text if self.search else "")
        self.call_after_refresh(box.focus)

    def close_search_input(self) -> None:
        """Hide the search box."""
        self.query_one("#list-pane").remove_class("-searching")
        self.set_pane("list")
