"""A virtual article list: holds only ids, renders rows with the Line API from a page cache."""

from __future__ import annotations

import time
from array import array
from collections import OrderedDict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import replace
from datetime import UTC, datetime
from typing import ClassVar

from rich.style import Style as RichStyle
from textual import events
from textual.geometry import Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from natoread.core.storage.records import ArticleRow
from natoread.core.text.dates import local_date
from natoread.core.text.sanitize import neutralise
from natoread.ui.widgets.cells import cells, steady
from natoread.ui.widgets.list_row import Columns, RowStyles, list_columns, row_text

RowFetcher = Callable[[Sequence[int]], list[ArticleRow]]
SourceCounter = Callable[[Sequence[int]], Mapping[int, int]]
"""Ids of one page → number of outlets of each id's story (absent: one)."""
PAGE_SIZE = 100
CACHE_PAGES = 12
LINE_CACHE = 512
"""Rendered rows kept: scrolling by one row then re-renders only the row that arrives."""


class ArticleList(ScrollView, can_focus=True, inherit_bindings=False):
    """Articles newest first; only the visible pages are ever loaded from the store.

    Keys come from the screen's bindings (the action registry), so this widget has none.
    """

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "article-list--cursor",
        "article-list--unread",
        "article-list--read",
        "article-list--meta",
        "article-list--badge",
        "article-list--star",
    }

    DEFAULT_CSS = """
    ArticleList {
        overflow-x: hidden;
        overflow-y: auto;
        scrollbar-size-vertical: 1;
        & > .article-list--cursor { background: $block-cursor-blurred-background; }
        &:focus > .article-list--cursor {
            background: $block-cursor-background;
            color: $block-cursor-foreground;
            text-style: bold;
        }
        & > .article-list--unread { text-style: bold; }
        & > .article-list--read { color: $text-muted; }
        & > .article-list--meta { color: $text-muted; }
        & > .article-list--badge { background: $primary-muted; color: $text; }
        & > .article-list--star { color: $text-warning; }
    }
    """

    class CursorMoved(Message):
        """The cursor moved onto another article (or the list became empty)."""

        def __init__(self, article_id: int | None) -> None:
            super().__init__()
            self.article_id = article_id

    class Opened(Message):
        """The user chose an article (Enter, or a click on a row)."""

        def __init__(self, article_id: int) -> None:
            super().__init__()
            self.article_id = article_id

    def __init__(
        self,
        fetch_rows: RowFetcher,
        *,
        count_sources: SourceCounter | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(id=id, classes=classes)
        self._fetch_rows = fetch_rows
        self._count_sources = count_sources
        self._ids: array[int] = array("q")
        self._pages: OrderedDict[int, dict[int, ArticleRow]] = OrderedDict()
        self._sources: dict[int, Mapping[int, int]] = {}
        """Page number → outlets per story for that page (one query per page load)."""
        self._lines: OrderedDict[tuple[object, ...], Strip] = OrderedDict()
        """Rendered rows by everything they depend on (row, width, styles, cursor, sources)."""
        self._pass: tuple[RowStyles, Columns, datetime] | None = None
        """The row styles, columns and time of the render pass under way (`render_lines`)."""
        self.cursor = 0
        self.clock: Callable[[], float] = time.time
        """Epoch seconds now: dates show their year when it is not this one's."""
        self._feed_need = 12
        self._badge_need = 12

    # -- columns ------------------------------------------------------------------------------

    def set_measures(
        self, feed_titles: Iterable[str] | None = None, topics: Iterable[str] | None = None
    ) -> None:
        """Size the feed and badge columns for the configured feeds and topics (so the rows
        shown, filtered or searched, never move a column)."""
        measures = (self._feed_need, self._badge_need)
        if feed_titles is not None:
            widths = [cells(steady(neutralise(title))) for title in feed_titles]
            self._feed_need = max(widths, default=12)
        if topics is not None:
            # The longest name with room for " +1" when an article has several topics.
            self._badge_need = max((cells(steady(neutralise(t))) for t in topics), default=0) + 3
        if measures != (self._feed_need, self._badge_need):
            self.refresh()

    def columns(self, width: int | None = None) -> Columns:
        """The columns of the rows at the list's width (or at `width`)."""
        return list_columns(
            self.scrollable_content_region.width if width is None else width,
            feed_need=self._feed_need,
            badge_need=self._badge_need,
        )

    # -- data ---------------------------------------------------------------------------------

    @property
    def ids(self) -> array[int]:
        """The ids shown, newest first."""
        return self._ids

    @property
    def current_id(self) -> int | None:
        """The id under the cursor."""
        return self._ids[self.cursor] if 0 <= self.cursor < len(self._ids) else None

    def set_ids(self, ids: array[int], *, keep: int | None = None, top: bool = False) -> None:
        """Show `ids`, keeping the cursor on article `keep` (else the same row) when possible;
        `top`: a new view (another filter or search) starts at its first row."""
        previous = self.current_id
        old_cursor, old_scroll = (0, 0.0) if top else (self.cursor, self.scroll_offset.y)
        target = None if top else keep if keep is not None else previous
        self._ids = ids
        self._pages.clear()
        self._sources.clear()
        index = -1
        if target is not None:
            try:
                index = ids.index(target)
            except ValueError:
                index = -1
        self.cursor = index if index >= 0 else min(old_cursor, max(len(ids) - 1, 0))
        self.virtual_size = Size(0, len(ids))
        # Keep the cursor at the same height on screen, so arriving rows do not jerk the view.
        self.scroll_to(y=max(0, old_scroll + self.cursor - old_cursor), animate=False)
        self._scroll_cursor_visible()
        self.refresh()
        if self.current_id != previous:
            self.post_message(self.CursorMoved(self.current_id))

    def row(self, index: int) -> ArticleRow | None:
        """The row at `index`, loading its page (and evicting the oldest) as needed."""
        if not 0 <= index < len(self._ids):
            return None
        page_number = index // PAGE_SIZE
        page = self._pages.get(page_number)
        if page is None:
            start = page_number * PAGE_SIZE
            wanted = self._ids[start : start + PAGE_SIZE]
            page = {row.id: row for row in self._fetch_rows(list(wanted))}
            self._pages[page_number] = page
            if self._count_sources is not None:
                self._sources[page_number] = self._count_sources(list(wanted))
            while len(self._pages) > CACHE_PAGES:
                evicted, _ = self._pages.popitem(last=False)
                self._sources.pop(evicted, None)
        else:
            self._pages.move_to_end(page_number)
        return page.get(self._ids[index])

    def current_row(self) -> ArticleRow | None:
        """The row under the cursor."""
        return self.row(self.cursor)

    def update_rows(self, article_ids: Sequence[int], **changes: bool) -> None:
        """Apply read/starred changes to cached rows (the store was already written)."""
        wanted = set(article_ids)
        for page in self._pages.values():
            for article_id in wanted & page.keys():
                page[article_id] = replace(page[article_id], **changes)  # type: ignore[arg-type]
        self.refresh()

    def forget_rows(self) -> None:
        """Drop cached rows so they are read again from the store."""
        self._pages.clear()
        self._sources.clear()
        self.refresh()

    # -- cursor -------------------------------------------------------------------------------

    def move_to(self, index: int) -> None:
        """Put the cursor on row `index` (clamped) and scroll it into view."""
        if not self._ids:
            return
        index = max(0, min(index, len(self._ids) - 1))
        if index == self.cursor:
            return
        old = self.cursor
        self.cursor = index
        self._scroll_cursor_visible()
        self._refresh_row(old)
        self._refresh_row(index)
        self.post_message(self.CursorMoved(self.current_id))

    def move_by(self, delta: int) -> None:
        """Move the cursor `delta` rows."""
        self.move_to(self.cursor + delta)

    def page(self, direction: int) -> None:
        """Move the cursor one screenful up (-1) or down (+1)."""
        self.move_by(direction * max(1, self.scrollable_content_region.height - 1))

    def find(self, start: int, step: int, wanted: Callable[[int], bool]) -> int | None:
        """The first index from `start` going `step` whose id satisfies `wanted`."""
        index = start
        while 0 <= index < len(self._ids):
            if wanted(self._ids[index]):
                return index
            index += step
        return None

    def _scroll_cursor_visible(self) -> None:
        """Scroll just enough to show the cursor row."""
        height = max(1, self.scrollable_content_region.height)
        top = round(self.scroll_offset.y)
        if self.cursor < top:
            self.scroll_to(y=self.cursor, animate=False, immediate=True)
        elif self.cursor >= top + height:
            self.scroll_to(y=self.cursor - height + 1, animate=False, immediate=True)

    def _refresh_row(self, index: int) -> None:
        """Repaint one row if it is on screen."""
        y = index - round(self.scroll_offset.y)
        if 0 <= y < self.size.height:
            self.refresh_line(y)

    # -- rendering ----------------------------------------------------------------------------

    def _row_styles(self) -> RowStyles:
        """Rich styles for row parts from the component classes."""
        get = self.get_component_rich_style
        return RowStyles(
            base=self.rich_style,
            unread=get("article-list--unread"),
            read=get("article-list--read"),
            meta=get("article-list--meta"),
            badge=get("article-list--badge"),
            star=get("article-list--star"),
            cursor=get("article-list--cursor"),
        )

    def render_lines(self, crop: Region) -> list[Strip]:
        """Render the lines in `crop`, resolving the row styles and width once for all.

        Textual asks every widget on screen for all its lines at each partial update (a j/k
        press repaints two rows, but the list is asked for every visible one), and resolving
        the seven component styles cost more than finding a row in the line cache.
        """
        self._pass = (self._row_styles(), self.columns(), self._now())
        try:
            if self._plain():
                return self._render_plain(crop)
            return super().render_lines(crop)
        finally:
            self._pass = None

    def _plain(self) -> bool:
        """True when Textual's styling leaves the rows as they are: no border, outline,
        padding, tint, opacity or hatch (the default CSS; a user's CSS may add them)."""
        styles = self.styles
        return (
            not any(styles.gutter)
            and not any(edge for edge, _ in styles.outline)
            and not styles.tint.a
            and self.opacity == 1.0
            and styles.text_opacity == 1.0
            and not (styles.has_rule("hatch") and styles.hatch != "none")
        )

    def _render_plain(self, crop: Region) -> list[Strip]:
        """What Textual's styling renders for plain styles, from the row cache's own strips.

        Scrolling by one row changes every line: Textual's styling then rebuilds each line
        as a new strip and runs the app's line filters on it again, which was most of the
        time of a j/k press that scrolls. The cached strips keep their filtered versions.
        """
        width = self.size.width
        content_width, content_height = self.content_region.size
        base_background, background = self.background_colors
        inner = RichStyle.from_color(bgcolor=(base_background + background).rich_color)
        filters = self.get_line_filters()
        strips = []
        for y in crop.line_range:
            if y < content_height:
                strip = self.render_line(y).adjust_cell_length(content_width, inner)
            else:
                strip = Strip.blank(content_width, inner)
            for line_filter in filters:
                strip = strip.apply_filter(line_filter, background)
            strips.append(strip)
        if crop.column_span != (0, width):
            first, last = crop.column_span
            strips = [strip.crop(first, last) for strip in strips]
        return strips

    def _now(self) -> datetime:
        return datetime.fromtimestamp(self.clock(), UTC)

    def render_line(self, y: int) -> Strip:
        """Render screen line `y`."""
        styles, columns, now = (
            (self._row_styles(), self.columns(), self._now()) if self._pass is None else self._pass
        )
        width = columns.width
        index = round(self.scroll_offset.y) + y
        row = self.row(index)
        if row is None:
            return Strip.blank(width, self.rich_style)
        cursor = index == self.cursor
        # Outlets carrying the row's story (1 when unknown); `row` loaded its page's counts.
        sources = self._sources.get(index // PAGE_SIZE, {}).get(row.id, 1)
        # The year decides whether dates show it.
        key = (row, columns, styles, cursor, sources, local_date(now).year)
        strip = self._lines.get(key)
        if strip is None:
            text = row_text(row, columns, styles, cursor=cursor, now=now, sources=sources)
            strip = self._lines[key] = Strip(text.render(self.app.console), width)
            if len(self._lines) > LINE_CACHE:
                self._lines.popitem(last=False)
        return strip

    def on_focus(self) -> None:
        """Repaint: the cursor row looks different with and without focus."""
        self.refresh()

    def on_blur(self) -> None:
        """Repaint: the cursor row looks different with and without focus."""
        self.refresh()

    def on_click(self, event: events.Click) -> None:
        """A click moves the cursor to the row; a click on the cursor row opens it."""
        index = round(self.scroll_offset.y) + event.y
        if not 0 <= index < len(self._ids):
            return
        if index == self.cursor:
            self.post_message(self.Opened(self._ids[index]))
        else:
            self.move_to(index)
