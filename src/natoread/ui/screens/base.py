"""State and plumbing of the main screen: panes, the list query, opening articles, polling."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from textual import events, on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import Screen
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import Input, Static
from textual.worker import Worker, WorkerState

from natoread.core.config import Config
from natoread.core.store import ArticleDetail, ArticleQuery, Store
from natoread.ui.messages import (
    ArticlesArrived,
    FeedFailed,
    PollFinished,
    PollProgress,
    PollStarted,
)
from natoread.ui.render import empty_state
from natoread.ui.search import search_ids
from natoread.ui.widgets.article_list import ArticleList
from natoread.ui.widgets.article_view import ArticleView
from natoread.ui.widgets.key_hints import KeyHints
from natoread.ui.widgets.sidebar import ALL, Filter, Sidebar
from natoread.ui.widgets.status_bar import StatusBar, StatusState

if TYPE_CHECKING:
    from natoread.core.poller import Analyser, PollPlan

WIDE = 100
"""Terminals at least this wide show all three panes; narrower ones show one at a time."""
PANES = ("sidebar", "list", "reader", "quotes")


def _prepare_poll(config: Config, db_path: Path, force: bool) -> tuple[PollPlan, Analyser]:
    """Compile topics, re-tag stored articles if the rules changed, and plan the pass."""
    from natoread.core.poller import analyser_for, now_epoch, plan_poll, sync_topics

    analyser = analyser_for(config)
    with Store(db_path) as store:
        sync_topics(store, analyser)
        return plan_poll(config, store, now=now_epoch(), force=force), analyser


class ReaderBase(Screen[None]):
    """Sidebar, article list and reader pane with the status line; the keys live in MainScreen."""

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
        self.search: tuple[str, tuple[int, ...]] | None = None
        self.pane = "list"
        self.polling: tuple[int, int] | None = None
        self.new_articles = 0
        self._status = StatusState()
        self._debouncers: dict[str, Timer] = {}
        self._feeds_synced = False

    def compose(self) -> ComposeResult:
        with Horizontal(id="panes"):
            yield Sidebar(id="sidebar")
            with Vertical(id="list-pane"):
                yield ArticleList(self.store.rows_by_ids, id="articles")
                yield Static("", id="empty", markup=False)
                yield Input(placeholder="Search titles and text, Enter to run", id="search")
            yield ArticleView(id="reader")
        yield StatusBar(id="status")
        yield KeyHints(self.config.keys, id="hints")

    def on_mount(self) -> None:
        self.set_pane("list")
        self.reload()
        self.call_after_refresh(self.refresh_sidebar)
        if self.autopoll and any(feed.enabled for feed in self.config.feeds):
            self.call_after_refresh(self.start_poll, False)
            intervals = [f.refresh_s for f in self.config.feeds if f.refresh_s]
            every = max(60, min([self.config.settings.refresh_s, *intervals]))
            self.set_interval(every, lambda: self.start_poll(False))

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
        return self.article_list

    def set_pane(self, pane: str) -> None:
        """Make `pane` the active one (shown alone when narrow) and focus it."""
        self.pane = pane
        shown = "reader" if pane == "quotes" else pane
        for name in ("sidebar", "list", "reader"):
            self.set_class(name == shown, f"-pane-{name}")
        widget = self.pane_widget(pane)
        quotes = self.reader.quotes
        if pane == "quotes" and quotes.highlighted is None and quotes.option_count:
            quotes.highlighted = 0
        self.call_after_refresh(widget.focus)

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        """Track the pane that holds the focus (mouse clicks change it too)."""
        focused = self.focused
        for pane in PANES:
            if focused is not None and focused is self.pane_widget(pane):
                if pane != self.pane:
                    self.pane = pane
                    shown = "reader" if pane == "quotes" else pane
                    for name in ("sidebar", "list", "reader"):
                        self.set_class(name == shown, f"-pane-{name}")
                return

    # -- list state ---------------------------------------------------------------------------

    def query_for_view(self) -> ArticleQuery:
        """The store query behind the list."""
        if self.search is not None:
            return ArticleQuery(article_ids=self.search[1])
        chosen = self.filter
        return ArticleQuery(
            matching=self.matching,
            topic=chosen.value if chosen.kind == "topic" else None,
            feed_id=int(chosen.value) if chosen.kind == "feed" else None,
        )

    def view_label(self) -> str:
        """The filter in words, for the status line."""
        if self.search is not None:
            return f"search “{self.search[0]}” (esc clears)"
        label = "matching" if self.matching else "all"
        if self.filter.kind != "all":
            label += f" · {self.filter.kind} {self.filter.label}"
        return label

    def reload(self, keep: int | None = None) -> None:
        """Re-read the ids of the list, keeping the cursor on the same article."""
        ids = self.store.article_ids(self.query_for_view())
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
            search=self.search[0] if self.search else None,
            stored=self.store.count_articles(),
            polling=self.polling is not None,
            matching=self.matching,
        )

    def refresh_sidebar(self) -> None:
        """Recount topics and feeds; update failing count and last poll time."""
        urls = [feed.url for feed in self.config.feeds]
        if not self._feeds_synced:
            self.store.sync_feeds((f.url, f.title, f.show == "all") for f in self.config.feeds)
            self._feeds_synced = True
        feeds = self.store.feeds_health(urls)
        counts = self.store.topic_counts()
        topics = [(t.name, counts.get(t.name, 0)) for t in self.config.topics if t.enabled]
        total = self.store.count_articles(ArticleQuery(matching=self.matching))
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
        self.set_pane("list")

    def run_search(self, text: str) -> None:
        """Show the articles whose title or text match `text`."""
        text = text.strip()
        self.search = (text, search_ids(self.store, text)) if text else None
        self.reload()
        self.set_pane("list")

    # -- articles -----------------------------------------------------------------------------

    async def open_article(self, article_id: int) -> None:
        """Show an article in the reader and mark it read in the store at once."""
        detail = self.store.get_article(article_id)
        if detail is None:
            return
        if not detail.row.read:
            self.store.set_read([article_id], True)
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
        await self.reader.show(detail)
        self.set_pane("reader")

    @on(ArticleList.Opened)
    async def _open_clicked(self, event: ArticleList.Opened) -> None:
        await self.open_article(event.article_id)

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
        box.value = self.search[0] if self.search else ""
        self.call_after_refresh(box.focus)

    def close_search_input(self) -> None:
        """Hide the search box."""
        self.query_one("#list-pane").remove_class("-searching")
        self.set_pane("list")

    # -- polling ------------------------------------------------------------------------------

    def start_poll(self, force: bool) -> None:
        """Start a poll pass unless one is already running."""
        if self.polling is not None:
            if force:
                self.notify("A poll is already running.", markup=False)
            return
        self.polling = (0, 0)
        self.update_status()
        self.update_empty_state()
        self.poll_feeds(force)

    @work(exclusive=True, group="poll", exit_on_error=False)
    async def poll_feeds(self, force: bool) -> None:
        """Poll the due feeds (all with `force`), reporting each outcome as a message."""
        from natoread.core.poller import run_poll

        plan, analyser = await asyncio.to_thread(_prepare_poll, self.config, self.db_path, force)
        total = len(plan.due)
        self.post_message(PollStarted(total))
        done = new = failed = 0
        async for outcome in run_poll(self.config, plan, self.db_path, analyser=analyser):
            done += 1
            if outcome.new_ids:
                new += len(outcome.new_ids)
                self.post_message(
                    ArticlesArrived(outcome.feed_url, outcome.feed_title, outcome.new_ids)
                )
            if outcome.failed:
                failed += 1
                self.post_message(
                    FeedFailed(outcome.feed_url, outcome.feed_title, outcome.error or "failed")
                )
            self.post_message(PollProgress(done, total))
        self.post_message(PollFinished(new, failed, datetime.now(UTC)))

    def on_poll_started(self, message: PollStarted) -> None:
        self.polling = (0, message.total)
        self.update_status()
        self.update_empty_state()

    def on_poll_progress(self, message: PollProgress) -> None:
        if self.polling is not None:
            self.polling = (message.done, message.total)
            self.update_status()

    def on_articles_arrived(self, message: ArticlesArrived) -> None:
        self.new_articles += len(message.new_ids)
        self.later("reload", 0.3, self.reload)
        self.later("sidebar", 0.6, self.refresh_sidebar)

    def on_feed_failed(self, message: FeedFailed) -> None:
        self.later("sidebar", 0.6, self.refresh_sidebar)

    def on_poll_finished(self, message: PollFinished) -> None:
        self.polling = None
        for timer in self._debouncers.values():
            timer.stop()
        self._debouncers.clear()
        self.reload()
        self.refresh_sidebar()
        self.update_status(last_poll=message.finished_at)
        if message.new_articles:
            noun = "article" if message.new_articles == 1 else "articles"
            self.notify(f"{message.new_articles} new {noun}", markup=False)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """A poll that crashed or was cancelled must not leave "polling" on the status line."""
        if event.worker.group != "poll":
            return
        if event.state in (WorkerState.ERROR, WorkerState.CANCELLED):
            self.polling = None
            self.update_status()
            if event.state == WorkerState.ERROR:
                self.notify(f"Poll failed: {event.worker.error}", severity="error", markup=False)
