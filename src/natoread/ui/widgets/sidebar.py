"""The sidebar: topics with counts, feeds with unread counts and failures, saved searches."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from textual import on
from textual.content import Content
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from natoread.core.config import SavedSearch
from natoread.core.storage.store import FeedHealth
from natoread.ui.render import neutralise

FAILING_MARK = "✗"


@dataclass(frozen=True, slots=True)
class Filter:
    """What the list shows: everything, one topic, one feed or one saved search."""

    kind: str
    """"all", "topic", "feed" or "search"."""
    value: str = ""
    label: str = ""

    @property
    def option_id(self) -> str:
        """The sidebar option id of this filter."""
        return "all" if self.kind == "all" else f"{self.kind}:{self.value}"


ALL = Filter("all", "", "All")


def _heading(text: str) -> Option:
    """A disabled section title."""
    return Option(Content.styled(text, "bold $text-accent"), disabled=True)


def _entry(label: str, count: int | None, width: int, *, failing: bool = False) -> Content:
    """One sidebar line: a failure mark, the (feed-supplied) label, a right-aligned count."""
    mark = Content.styled(f"{FAILING_MARK} ", "bold $text-error") if failing else Content("")
    number = f" {count:,}" if count else ""
    room = max(4, width - mark.cell_length - len(number))
    text = Content(neutralise(label)).truncate(room, ellipsis=True, pad=True)
    return Content.assemble(mark, text, (number, "$text-muted"))


class Sidebar(OptionList):
    """Topics, feeds and saved searches; choosing one filters the article list."""

    DEFAULT_CSS = """
    Sidebar {
        height: 1fr;
        border: none;
        padding: 0;
        scrollbar-size-vertical: 1;
    }
    """

    class FilterChosen(Message):
        """The user chose a topic, feed or saved search."""

        def __init__(self, chosen: Filter) -> None:
            super().__init__()
            self.chosen = chosen

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes, markup=False)
        self._filters: dict[str, Filter] = {}

    def update_entries(
        self,
        topics: Sequence[tuple[str, int]],
        feeds: Iterable[FeedHealth],
        searches: Sequence[SavedSearch],
        *,
        total: int,
        all_label: str = "All articles",
    ) -> None:
        """Rebuild the entries, keeping the highlighted one."""
        highlighted = self.highlighted_option.id if self.highlighted_option else None
        width = max(10, (self.scrollable_content_region.width or 27) - 1)
        filters: dict[str, Filter] = {"all": ALL}
        options: list[Option] = [Option(_entry(all_label, total, width), id="all")]
        if topics:
            options.append(_heading("Topics"))
            for name, count in topics:
                chosen = Filter("topic", name, name)
                filters[chosen.option_id] = chosen
                options.append(Option(_entry(name, count, width), id=chosen.option_id))
        feed_list = list(feeds)
        if feed_list:
            options.append(_heading("Feeds"))
            for feed in feed_list:
                chosen = Filter("feed", str(feed.id), feed.title)
                filters[chosen.option_id] = chosen
                options.append(
                    Option(
                        _entry(feed.title, feed.unread, width, failing=feed.failing),
                        id=chosen.option_id,
                    )
                )
        if searches:
            options.append(_heading("Searches"))
            for index, search in enumerate(searches):
                chosen = Filter("search", search.query, search.name)
                option_id = f"search:{index}"
                filters[option_id] = chosen
                options.append(Option(_entry(search.name, None, width), id=option_id))
        self._filters = filters
        self.set_options(options)
        if highlighted is not None and highlighted in filters:
            self.highlighted = self.get_option_index(highlighted)

    def filter_for(self, option_id: str) -> Filter | None:
        """The filter behind an option id."""
        return self._filters.get(option_id)

    def filters(self) -> Mapping[str, Filter]:
        """Every filter the sidebar offers, by option id."""
        return dict(self._filters)

    @on(OptionList.OptionSelected)
    def _choose(self, event: OptionList.OptionSelected) -> None:
        """Turn a selected option into a FilterChosen message."""
        event.stop()
        chosen = self._filters.get(event.option.id or "")
        if chosen is not None:
            self.post_message(self.FilterChosen(chosen))
