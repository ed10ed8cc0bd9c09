"""Filtering and loading the article list: the store query behind the view, the rows as the
user sees them (pending marks applied), searches, the sidebar counts and the empty state."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from textual.content import Content
from textual.widgets import Static

from natoread.core.storage.ordering import sorted_ids
from natoread.core.storage.records import ArticleQuery, ArticleRow
from natoread.core.storage.stories import one_per_story, source_counts
from natoread.ui.render import empty_state
from natoread.ui.search import ActiveSearch, highlight_terms, run_search
from natoread.ui.store_writes import STORE_FAILURES
from natoread.ui.widgets.sidebar import Filter

if TYPE_CHECKING:
    from natoread.ui.screens.main import MainScreen

FIRST_ROWS = 500
"""Rows read before the first paint (more than any terminal shows); the rest right after."""
ROWS_RETRY_S = 1.0
"""Seconds before rows that could not be read are read again."""


class ListLoader:
    """Reads what the view state asks for into the list, sidebar and status line."""

    def __init__(self, screen: MainScreen) -> None:
        self.screen = screen
        self.feeds_synced = False
        """The config's feeds were written to the store (done once per store)."""

    def first_load(self) -> None:
        """The first screenful first, then the whole list right after the first paint.

        The cursor stays on its article; a store that fit in the first read is not read again.
        """
        screen = self.screen
        articles = screen.article_list
        articles.clock = lambda: screen.clock()
        config = screen.config
        titles = [feed.title for feed in config.feeds if feed.title]
        articles.set_measures(titles or None, [t.name for t in config.topics if t.enabled])
        self.reload(head=FIRST_ROWS)
        if screen.view.stories_collapsed or len(screen.article_list.ids) >= FIRST_ROWS:
            screen.call_after_refresh(self.reload)
        screen.call_after_refresh(self.refresh_sidebar)

    def shown_rows(self, article_ids: Sequence[int]) -> list[ArticleRow]:
        """Rows as the list shows them: stored, with the changes not yet written applied.

        A failed read shows the rows blank for now and reads them again a little later."""
        screen = self.screen
        try:
            return screen.keeper.overlay(screen.store.rows_by_ids(article_ids))
        except STORE_FAILURES as exc:
            screen.store_failed(exc)
            screen.debounce.later("rows", ROWS_RETRY_S, screen.article_list.forget_rows)
            return []

    def sources(self, article_ids: Sequence[int]) -> Mapping[int, int]:
        """How many outlets carry the story of each article (none when the store fails)."""
        try:
            return source_counts(self.screen.store, article_ids)
        except STORE_FAILURES:
            return {}

    def reload(self, keep: int | None = None, head: int = -1, *, top: bool = False) -> None:
        """Re-read the ids of the list (only the first `head`, if given), keeping the cursor on
        the same article (`top`: on the first row, for a new filter or search)."""
        screen = self.screen
        try:
            ids = sorted_ids(screen.store, screen.view.query(), screen.view.sort, head)
            if screen.view.stories_collapsed:
                ids = one_per_story(screen.store, ids)
        except STORE_FAILURES as exc:
            screen.store_failed(exc)
            return
        screen.article_list.set_ids(ids, keep=keep, top=top)
        self.mark_active()
        self.update_empty_state()
        screen.update_status()

    def mark_active(self) -> None:
        """Mark in the sidebar the entry whose filter (or saved search) the list shows."""
        screen = self.screen
        view, sidebar = screen.view, screen.sidebar
        if view.search is not None:
            sidebar.set_active(sidebar.search_option(view.search.text))
        else:
            sidebar.set_active(view.filter.option_id)

    def update_empty_state(self) -> None:
        """Explain an empty list: no feeds yet, polling under way, or nothing matching."""
        screen = self.screen
        empty = not screen.article_list.ids
        pane = screen.query_one("#list-pane")
        pane.set_class(empty, "-empty")
        if empty:
            screen.query_one("#empty", Static).update(self.empty_text())

    def empty_text(self) -> Content:
        """The empty-state message."""
        screen = self.screen
        source = screen.config.source
        if source.startswith("("):
            from natoread.core.paths import CONFIG_NAME, user_config_dir

            source = str(user_config_dir() / CONFIG_NAME)
        view = screen.view
        stored = screen.store.count_articles()
        unreachable = screen.polls.empty_state() if not (stored or view.search) else None
        if unreachable is not None:
            return unreachable
        return empty_state(
            source,
            has_feeds=bool(screen.config.feeds),
            search=view.search.text if view.search else None,
            stored=stored,
            polling=screen.polls.progress is not None,
            matching=view.matching,
        )

    def refresh_sidebar(self) -> None:
        """Recount topics and feeds; update failing count and last poll time."""
        screen = self.screen
        config, store = screen.config, screen.store
        urls = [feed.url for feed in config.feeds]
        try:
            if not self.feeds_synced:
                store.sync_feeds((f.url, f.title, f.show == "all") for f in config.feeds)
                self.feeds_synced = True
            feeds = store.feeds_health(urls)
            counts = store.topic_counts()
            total = store.count_articles(ArticleQuery(matching=screen.view.matching))
            tags = store.tag_counts()
        except STORE_FAILURES as exc:
            screen.store_failed(exc)
            return
        topics = [(t.name, counts.get(t.name, 0)) for t in config.topics if t.enabled]
        # Every feed title sizes the list's feed column, shown or not (stable while filtering).
        screen.article_list.set_measures([feed.title for feed in feeds])
        screen.sidebar.update_entries(
            topics,
            feeds,
            config.searches,
            total=total,
            all_label="All matching" if screen.view.matching else "All articles",
            tags=tags,
        )
        fetched = [feed.last_fetch for feed in feeds if feed.last_fetch is not None]
        screen.update_status(
            failing=sum(feed.failing for feed in feeds),
            last_poll=max(fetched) if fetched else None,
        )

    def apply_filter(self, chosen: Filter) -> None:
        """Show a topic, feed or saved search (or everything)."""
        if chosen.kind == "search":
            self.run_search(chosen.value)
            return
        screen = self.screen
        screen.view.search = None
        screen.view.filter = chosen
        self.reload(top=True)
        screen.update_status(error="")
        screen.panes.set_pane("list")

    def run_search(self, text: str) -> None:
        """List the articles a query finds (query syntax of `natoread.core.storage.search`).

        A query that cannot run leaves the list as it was and puts the reason on the status
        line; an empty one clears the search.
        """
        screen = self.screen
        view = screen.view
        text = text.strip()
        view.last_query = text
        screen.panes.set_pane("list")
        if not text:
            view.search = None
            self.reload()
            screen.update_status(error="")
            return
        try:
            result = run_search(screen.store, text, screen.config)
        except STORE_FAILURES as exc:
            screen.store_failed(exc)
            return
        if result.error is not None:
            screen.update_status(error="search: " + " ".join(result.error.split()))
            return
        view.search = ActiveSearch(text, result.ids, highlight_terms(text))
        self.reload(top=True)
        screen.update_status(error="")

    def clear_search(self) -> None:
        """Drop the search (and the query kept in its box) and show the filtered list."""
        self.screen.view.search = None
        self.screen.view.last_query = ""
        self.reload()

    def toggle_matching(self) -> None:
        """Show only topic matches, or everything (a search is dropped)."""
        view = self.screen.view
        view.matching = not view.matching
        self.clear_search()
        self.refresh_sidebar()

    def toggle_stories(self) -> None:
        """One row per story, or every version."""
        view = self.screen.view
        view.stories_collapsed = not view.stories_collapsed
        self.reload()
