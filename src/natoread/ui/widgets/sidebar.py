"""The sidebar: topics with counts, feeds with unread counts and failures, saved searches,
and the articles' tags with their counts."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

from textual import on
from textual.content import Content
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from natoread.core.config import SavedSearch
from natoread.core.storage.store import FeedHealth
from natoread.core.text.sanitize import neutralise
from natoread.ui.widgets.cells import cells, cut, fit, steady

FAILING_MARK = "✗"
ACTIVE_MARK = "▸"
"""Beside the entry whose filter the list shows."""


@dataclass(frozen=True, slots=True)
class Filter:
    """What the list shows: everything, one topic, one feed, one tag or one saved search."""

    kind: str
    """"all", "topic", "feed", "tag" or "search"."""
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


def _entry(
    label: str,
    count: int | None,
    width: int,
    *,
    failing: bool = False,
    active: bool = False,
    note: str = "",
) -> Content:
    """One sidebar line of exactly `width` cells: the active mark, a failure mark, the
    (feed-supplied) label and its dim `note` (a host), and a right-aligned count."""
    mark = Content.styled(ACTIVE_MARK, "bold $text-accent") if active else Content(" ")
    failure = Content.styled(f"{FAILING_MARK} ", "bold $text-error") if failing else Content("")
    number = f" {count:,}" if count else ""
    room = max(4, width - 1 - failure.cell_length - len(number))
    label = steady(neutralise(label))
    note = steady(neutralise(note))
    if note:
        # The host tells two feeds apart: it keeps its room and the title is cut first.
        note_room = min(cells(note) + 1, max(0, room - 4))
        shown = Content(cut(label, room - note_room))
        shown = Content.assemble(shown, (fit(" " + note, note_room), "$text-muted"))
    else:
        shown = Content(cut(label, room))
    text = Content.assemble(shown, " " * max(0, room - shown.cell_length))
    if active:
        text = text.stylize_before("bold")
    return Content.assemble(mark, failure, text, (number, "$text-muted"))


def feed_notes(feeds: Sequence[FeedHealth]) -> dict[int, str]:
    """The host to show beside each feed whose title another feed shares (by feed id); the
    address without its scheme when the hosts are the same too."""
    by_title: dict[str, list[FeedHealth]] = {}
    for feed in feeds:
        by_title.setdefault(feed.title.strip().casefold(), []).append(feed)
    notes: dict[int, str] = {}
    for alike in by_title.values():
        if len(alike) < 2:
            continue
        hosts = [_host(feed.url) for feed in alike]
        for feed, host in zip(alike, hosts, strict=True):
            unique = hosts.count(host) == 1
            notes[feed.id] = host if unique else feed.url.split("://", 1)[-1].rstrip("/")
    return notes


def _host(url: str) -> str:
    """The host of a feed's address, without "www."."""
    host = (urlsplit(url).hostname or url).lower()
    return host.removeprefix("www.")


@dataclass(frozen=True, slots=True)
class _Entries:
    """What the sidebar lists (kept to redraw it at another width or active filter)."""

    topics: tuple[tuple[str, int], ...]
    feeds: tuple[FeedHealth, ...]
    searches: tuple[SavedSearch, ...]
    total: int
    all_label: str
    tags: tuple[tuple[str, int], ...] = ()


class Sidebar(OptionList):
    """Topics, feeds and saved searches; choosing one filters the article list.

    Each line is laid out for the sidebar's width (counts aligned right), so the lines are
    laid out again whenever that width changes (a resize, the sidebar shown or hidden).
    """

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
        self._entries = _Entries((), (), (), 0, "All articles")
        self._active: str | None = ALL.option_id
        self._laid_out_width = 0

    def update_entries(
        self,
        topics: Sequence[tuple[str, int]],
        feeds: Iterable[FeedHealth],
        searches: Sequence[SavedSearch],
        *,
        total: int,
        all_label: str = "All articles",
        tags: Sequence[tuple[str, int]] = (),
    ) -> None:
        """Rebuild the entries (`tags`: each article tag and its count), keeping the
        highlighted one."""
        self._entries = _Entries(
            tuple(topics), tuple(feeds), tuple(searches), total, all_label, tuple(tags)
        )
        self._rebuild()

    def set_active(self, option_id: str | None) -> None:
        """Mark the entry whose filter the list shows (None: none of them, e.g. a search)."""
        if option_id != self._active:
            self._active = option_id
            self._rebuild()

    def search_option(self, query: str) -> str | None:
        """The option id of the saved search running `query`, if one does."""
        for option_id, chosen in self._filters.items():
            if chosen.kind == "search" and chosen.value.strip() == query.strip():
                return option_id
        return None

    def _line_width(self) -> int:
        """Cells of one line: the content width less the scrollbar's column."""
        return max(10, (self.scrollable_content_region.width or 27) - 1)

    def on_resize(self) -> None:
        """Lay the lines out again for the new width (they were cut and padded for the old)."""
        if self.scrollable_content_region.width and self._line_width() != self._laid_out_width:
            self._rebuild()

    def _rebuild(self) -> None:
        """Lay out every line for the current width, keeping the highlighted entry."""
        highlighted = self.highlighted_option.id if self.highlighted_option else None
        width = self._line_width()
        self._laid_out_width = width
        entries, active = self._entries, self._active

        def entry(
            option_id: str, label: str, count: int | None, failing: bool = False, note: str = ""
        ) -> Option:
            line = _entry(
                label, count, width, failing=failing, active=option_id == active, note=note
            )
            return Option(line, id=option_id)

        filters: dict[str, Filter] = {"all": ALL}
        options: list[Option] = [entry("all", entries.all_label, entries.total)]

        def named_group(heading: str, kind: str, counts: Sequence[tuple[str, int]]) -> None:
            """A heading and one entry a name, filtering by that name (topics and tags)."""
            if not counts:
                return
            options.append(_heading(heading))
            for name, count in counts:
                chosen = Filter(kind, name, name)
                filters[chosen.option_id] = chosen
                options.append(entry(chosen.option_id, name, count))

        named_group("Topics", "topic", entries.topics)
        if entries.feeds:
            options.append(_heading("Feeds"))
            notes = feed_notes(entries.feeds)
            for feed in entries.feeds:
                note = notes.get(feed.id, "")
                # The palette and the status line name the feed by this label too.
                label = f"{feed.title} ({note})" if note else feed.title
                chosen = Filter("feed", str(feed.id), label)
                filters[chosen.option_id] = chosen
                options.append(entry(chosen.option_id, feed.title, feed.unread, feed.failing, note))
        if entries.searches:
            options.append(_heading("Searches"))
            for index, search in enumerate(entries.searches):
                chosen = Filter("search", search.query, search.name)
                option_id = f"search:{index}"
                filters[option_id] = chosen
                options.append(entry(option_id, search.name, None))
        named_group("Tags", "tag", entries.tags)
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
