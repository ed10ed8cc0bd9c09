"""One article-list row in fixed columns: marks, date, feed, title, topic badges and quotes,
each column as wide at every row of a width (whatever the row holds). A story several outlets
carry says so at the end of its title ("… 3 src"): a column for it would stand empty on most
rows.

The columns depend on the row width and the longest feed title and topic name configured,
never on the rows shown: a search or a filter leaves
every column where it was. The title takes what the others leave, at least about half a row.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from rich.style import Style
from rich.text import Text

from natoread.core.storage.records import ArticleRow
from natoread.core.text.dates import compact_date
from natoread.core.text.sanitize import neutralise
from natoread.ui.widgets.cells import cells, cut, fit, steady

QUOTE_MARK = "❝"
MARKS = 4
"""Cursor bar, unread dot, star and a space."""
TITLE_SHARE = 0.42
"""The title keeps at least this share of a row: feed and badges shrink first."""
FEED_SHARE, BADGE_SHARE = 0.15, 0.14
FEED_MIN, BADGE_MIN = 8, 6


@dataclass(frozen=True, slots=True)
class RowStyles:
    """Rich styles for the parts of an article list row (from the widget's component classes)."""

    base: Style
    unread: Style
    read: Style
    meta: Style
    badge: Style
    star: Style
    cursor: Style


@dataclass(frozen=True, slots=True)
class Columns:
    """Cells of each column of a row (0: not shown); one space separates shown columns."""

    width: int
    date: int
    feed: int
    title: int
    badges: int
    quotes: int

    @property
    def with_time(self) -> bool:
        """Dates show the time of day (the wide date column)."""
        return self.date > 6


def _clamp(value: float, low: int, high: int) -> int:
    return max(low, min(high, round(value)))


def list_columns(width: int, *, feed_need: int = 12, badge_need: int = 12) -> Columns:
    """The columns of rows `width` cells wide.

    `feed_need`: cells of the longest feed title; `badge_need`: of the longest topic name
    with room for "+1".
    """
    date = 12 if width >= 100 else 6
    quotes = 3 if width >= 36 else 0
    feed = min(feed_need, _clamp(width * FEED_SHARE, FEED_MIN, 24)) if width >= 50 else 0
    badges = min(badge_need, _clamp(width * BADGE_SHARE, BADGE_MIN, 20)) if width >= 72 else 0

    def title_cells() -> int:
        shown = [c for c in (feed, badges, quotes) if c]
        return width - MARKS - date - 1 - sum(shown) - len(shown)

    floor = round(width * TITLE_SHARE)
    while title_cells() < floor and (badges or feed):
        if badges:
            badges = badges - 1 if badges > BADGE_MIN else 0
        else:
            feed = feed - 1 if feed > FEED_MIN else 0
    return Columns(width, date, feed, max(0, title_cells()), badges, quotes)


def quotes_cell(count: int) -> str:
    """The quote count in 3 cells ("❝ 2", "❝10", "99+"), blank without quotes."""
    if count <= 0:
        return "   "
    return f"{QUOTE_MARK}{count:>2}" if count < 100 else "99+"


def outlets_label(sources: int, title_width: int) -> str:
    """ " 3 src" (" 3 sources" in wide titles) for a story several outlets carry, else ""."""
    if sources < 2:
        return ""
    return f" {sources} sources" if title_width >= 60 else f" {sources} src"


def badges_text(topics: tuple[str, ...], width: int, styles: RowStyles) -> Text:
    """Topic badges in exactly `width` cells: every name that fits, then "+N" for the rest
    (a name alone is cut only when not even it fits)."""
    line = Text(no_wrap=True, end="")
    names = [steady(neutralise(topic)) for topic in topics]
    shown = 0
    used = 0
    for name in names:
        more = len(names) - shown - 1
        need = cells(name) + (1 if shown else 0)
        rest = len(f" +{more}") if more else 0
        if used + need + rest > width:
            break
        if shown:
            line.append(" ")
        line.append(name, styles.badge)
        used += need
        shown += 1
    if shown == 0 and names:
        # A whole name says more than a cut one with a count.
        more = len(names) - 1
        fits = cells(names[0]) <= width
        suffix = f"+{more}" if more and not fits and width - len(f"+{more}") >= 4 else ""
        line.append(cut(names[0], width - len(suffix)), styles.badge)
        line.append(suffix, styles.meta)
    elif shown < len(names):
        line.append(f" +{len(names) - shown}", styles.meta)
    line.append(" " * max(0, width - line.cell_len))
    return line


def row_text(
    row: ArticleRow,
    columns: Columns,
    styles: RowStyles,
    *,
    cursor: bool,
    now: datetime,
    sources: int = 1,
) -> Text:
    """One list row of exactly `columns.width` cells."""
    line = Text(style=styles.base, no_wrap=True, end="")
    line.append("▌" if cursor else " ")
    line.append("●" if not row.read else " ", styles.unread if not row.read else styles.meta)
    line.append("★" if row.starred else " ", styles.star)
    line.append(" ")
    date = compact_date(row.published, now, with_time=columns.with_time)
    line.append(fit(date, columns.date), styles.meta)
    if columns.feed:
        line.append(" ")
        line.append(fit(steady(neutralise(row.feed_title)), columns.feed), styles.meta)
    line.append(" ")
    title_style = styles.unread if not row.read else styles.read
    outlets = outlets_label(sources, columns.title)
    if outlets and cells(outlets) * 3 > columns.title:
        outlets = ""  # a title too short to share
    title = steady(neutralise(row.title))
    line.append(fit(title, columns.title - cells(outlets)), title_style)
    line.append(outlets, styles.meta)
    if columns.badges:
        line.append(" ")
        line.append_text(badges_text(row.topics, columns.badges, styles))
    if columns.quotes:
        line.append(" ")
        line.append(quotes_cell(row.quote_count), styles.meta)
    # A width too small for the fixed columns: cut, never wrap.
    line.truncate(columns.width, pad=True)
    if cursor:
        line.stylize(styles.cursor)
    return line
