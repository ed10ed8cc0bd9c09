"""What the article list shows: the filter, matching or all, one row per story, the search."""

from __future__ import annotations

from dataclasses import dataclass

from natoread.core.storage.records import ArticleQuery
from natoread.ui.search import ActiveSearch
from natoread.ui.widgets.sidebar import ALL, Filter


@dataclass
class ViewState:
    """The main screen's view of the store; the list and status line are drawn from it."""

    filter: Filter = ALL
    """The topic, feed or everything the list is narrowed to (a search overrides it)."""
    matching: bool = True
    """Only articles matching a topic (True) or every stored article."""
    search: ActiveSearch | None = None
    """The search behind the list, if one is active."""
    last_query: str = ""
    """The query last submitted, kept in the search box even when it had an error."""
    stories_collapsed: bool = False
    """One row per story (its newest listed version) instead of every version."""
    sort: str = "newest"
    """The list's order (`storage.ordering.SORT_ORDERS`), remembered in the store."""
    unread_only: bool = False
    """Only unread articles (the hide-read toggle)."""

    def query(self) -> ArticleQuery:
        """The store query behind the list."""
        if self.search is not None:
            return ArticleQuery(article_ids=self.search.ids, unread=self.unread_only)
        chosen = self.filter
        if chosen.kind == "tag":  # a tag is chosen by hand: every tagged article, matching or not
            return ArticleQuery(tag=chosen.value, unread=self.unread_only)
        return ArticleQuery(
            unread=self.unread_only,
            matching=self.matching,
            topic=chosen.value if chosen.kind == "topic" else None,
            feed_id=int(chosen.value) if chosen.kind == "feed" else None,
        )

    def label(self) -> str:
        """The view in words, for the status line."""
        modes = " · one row per story" if self.stories_collapsed else ""
        modes += " · unread only" if self.unread_only else ""
        modes += f" · sorted by {self.sort}" if self.sort != "newest" else ""
        if self.search is not None:
            return f"search “{self.search.text}” (esc clears){modes}"
        label = "matching" if self.matching else "all"
        if self.filter.kind == "tag":  # every tagged article, matching or not
            label = f"tag {self.filter.label}"
        elif self.filter.kind != "all":
            label += f" · {self.filter.kind} {self.filter.label}"
        return label + modes

    @property
    def topic(self) -> str | None:
        """The topic the list is narrowed to, if any."""
        return self.filter.value if self.filter.kind == "topic" else None
