"""The article list and the sidebar as the terminal draws them: after a resize, with emoji and
wide characters, in fixed columns at every width, with the active filter marked."""

from __future__ import annotations

import unicodedata
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from rich.cells import cell_len
from textual.app import App
from textual.pilot import Pilot

from natoread.core.config import Config, parse_config
from natoread.core.feeds.records import FeedHealth
from natoread.ui.app import NatoreadApp
from natoread.ui.widgets.list_row import list_columns, row_text
from natoread.ui.widgets.sidebar import ACTIVE_MARK, feed_notes
from tests.ui.factory import NOW, Doc, build_store, make_config
from tests.ui.helpers import (
    AppFactory,
    list_lines,
    main_screen,
    palette_highlights,
    press,
    wait_until,
)

WEATHER = "https://weather.example/rss"
EMOJI_DOCS = {
    WEATHER: (
        Doc("☁️ Storm ⚠️ warning for the Baltic fleet", topics=("alliance",), hours_ago=1),
        Doc("Family 👨‍👩‍👧 reunited 👍🏽 after exercise", topics=("alliance", "accession")),
        Doc("🇺🇦🇸🇪 flags and keycaps 1️⃣ at the summit", topics=("accession",), hours_ago=2),
        Doc(
            "北大西洋条約機構の首脳会議が開かれた、とても長い見出しです",
            topics=("alliance",),
            hours_ago=3,
        ),
        Doc(
            "A story with many quotes",
            " ".join(f'"Quote number {n}," Rutte said.' for n in range(12)),
            topics=("alliance",),
            quotes=tuple((f"Quote number {n},", "Rutte") for n in range(12)),
            hours_ago=4,
        ),
    )
}
EMOJI_TITLE = "☁️ Wetter ⚠️ Dienst"


def terminal_width(text: str) -> int:
    """Cells a wcwidth-style terminal (tmux 3.3, VTE) gives `text`: one per character, two
    for East Asian wide ones, none for combining and format characters."""
    return sum(
        0
        if unicodedata.category(char) in ("Mn", "Me", "Cf")
        else 2
        if unicodedata.east_asian_width(char) in "WF"
        else 1
        for char in text
    )


def screen_lines(app: App[Any]) -> list[str]:
    """Every line of the screen as the app last composed it."""
    update = app.screen._compositor.render_full_update()
    return ["".join(segment.text for segment in strip) for strip in update.strips]


def sidebar_lines(pilot: Pilot[Any]) -> list[str]:
    """The visible text of the sidebar, one string per line."""
    sidebar = main_screen(pilot).sidebar
    region = sidebar.content_region
    lines = screen_lines(pilot.app)[region.y : region.bottom]
    return [line[region.x : region.x + region.width] for line in lines]


def titled_config(titles: dict[str, str]) -> Config:
    """A config of feeds with the given titles (by URL)."""
    feeds = [{"url": url, "title": title} for url, title in titles.items()]
    return parse_config({"feeds": feeds}, "/home/reader/.config/natoread/feeds.toml")


def emoji_app(tmp_path: Path) -> NatoreadApp:
    path = tmp_path / "emoji.sqlite3"
    build_store(path, EMOJI_DOCS)
    config = titled_config({WEATHER: EMOJI_TITLE})
    return NatoreadApp(config, path, autopoll=False)


# -- resize ---------------------------------------------------------------------------------


async def test_sidebar_lines_are_laid_out_again_after_a_resize(make_app: AppFactory) -> None:
    async with make_app().run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.resize_terminal(160, 48)
        await pilot.pause()
        await pilot.pause()
        lines = sidebar_lines(pilot)
        # Each label keeps its count on its own line (they used to wrap onto two lines).
        defence = next(line for line in lines if "Defence Wire" in line)
        assert defence.rstrip().endswith(" 3")
        alliance = next(line for line in lines if "alliance" in line)
        assert alliance.rstrip().endswith(" 4")
        assert not any(line.strip().isdigit() for line in lines)
        # Back to 80 columns: the sidebar shown alone fills the screen, counts at its right.
        await pilot.resize_terminal(80, 24)
        await press(pilot, "tab", "tab")
        assert main_screen(pilot).panes.active == "sidebar"
        wide = sidebar_lines(pilot)
        defence = next(line for line in wide if "Defence Wire" in line)
        assert len(defence.rstrip()) > 60 and defence.rstrip().endswith(" 3")


# -- widths the terminal agrees on ----------------------------------------------------------


@pytest.mark.parametrize("size", [(80, 24), (120, 40), (160, 48)])
async def test_emoji_and_wide_titles_never_shift_a_row(tmp_path: Path, size: Any) -> None:
    app = emoji_app(tmp_path)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        await pilot.pause()
        screen = main_screen(pilot)
        assert len(screen.article_list.ids) == len(EMOJI_DOCS[WEATHER])
        width = size[0]
        for line in screen_lines(app):
            # Rich (how Textual lays out), a wcwidth terminal and a grapheme-aware one agree.
            assert cell_len(line) == width, line
            assert terminal_width(line) == width, line
            assert sum(cell_len(char) for char in line) == width, line
        rows = list_lines(pilot)[: len(EMOJI_DOCS[WEATHER])]
        columns = screen.article_list.columns()
        # Every row ends its title column at the same cell, whatever the title holds.
        title_end = 4 + columns.date + 1 + (columns.feed + 1 if columns.feed else 0)
        title_end += columns.title
        rendered = [screen.article_list.render_line(y).text for y in range(len(rows))]
        for text in rendered:
            assert cell_len(text) == columns.width
            cut_at = _cells_prefix(text, title_end)
            assert cell_len(cut_at) == title_end, text
        quotes = next(text for text in rendered if "many quotes" in text)
        assert "❝12" in quotes


def _cells_prefix(text: str, width: int) -> str:
    """The longest prefix of `text` at most `width` cells wide."""
    used = 0
    for index, char in enumerate(text):
        used += cell_len(char)
        if used > width:
            return text[:index]
    return text


async def test_sidebar_lines_fit_with_emoji_feed_titles(tmp_path: Path) -> None:
    async with emoji_app(tmp_path).run_test(size=(160, 48)) as pilot:
        await pilot.pause()
        await pilot.pause()
        lines = sidebar_lines(pilot)
        weather = next(line for line in lines if "Wetter" in line)
        assert "☁ Wetter ⚠ Dienst" in weather and weather.rstrip().endswith(" 5")
        for line in screen_lines(pilot.app):
            assert terminal_width(line) == 160


# -- columns --------------------------------------------------------------------------------


@pytest.mark.parametrize("width", range(30, 220, 7))
def test_columns_fill_the_row_and_leave_the_title_the_most(width: int) -> None:
    columns = list_columns(width, feed_need=30, badge_need=30)
    shown = [c for c in (columns.feed, columns.badges, columns.quotes) if c]
    assert 4 + columns.date + 1 + columns.title + sum(shown) + len(shown) == width
    assert columns.title >= round(width * 0.42) or width < 40
    assert columns.title >= max(shown, default=0)


def test_feed_column_takes_the_longest_title_where_there_is_room() -> None:
    assert list_columns(80, feed_need=12).feed == 12
    assert list_columns(160, feed_need=20).feed == 20
    assert list_columns(160, feed_need=9).feed == 9  # no room wasted on short titles
    assert list_columns(40).feed == 0  # the title first


async def test_columns_stay_put_while_a_search_is_active(make_app: AppFactory) -> None:
    async with make_app().run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.pause()
        screen = main_screen(pilot)
        before = screen.article_list.columns()
        row_before = next(line for line in list_lines(pilot) if "accession" in line)
        screen.listing.run_search("Sweden")
        await pilot.pause()
        assert screen.view.search is not None
        assert screen.article_list.columns() == before
        row_after = next(line for line in list_lines(pilot) if "completes accession" in line)
        assert row_after.index("accession  ") == row_before.index("accession  ")


async def test_rows_show_compact_badges_and_a_fixed_quote_count(make_app: AppFactory) -> None:
    async with make_app().run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.pause()
        lines = list_lines(pilot)
        vilnius = next(line for line in lines if "Vilnius" in line)
        assert "alliance +1" in vilnius and "❝ 2" in vilnius and "…" not in vilnius
        stocks = next(line for line in lines if "Stocks" in line)
        assert not stocks.rstrip().endswith("…")  # no lone ellipsis where there are no quotes
        # Feed names get 12 cells at 80 columns (they had 8), the title keeps half the row.
        assert "Defence Wire NATO leaders" in vilnius
        assert "[Sweden] No… " in " ".join(lines)


# -- dates ----------------------------------------------------------------------------------


async def test_old_dates_show_their_year(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    years = 24 * 365.25
    docs = {
        WEATHER: (
            Doc("Fresh news", topics=("alliance",), hours_ago=1),
            Doc("Archive from 2017", topics=("alliance",), hours_ago=9 * years),
        )
    }
    build_store(path, docs)
    app = NatoreadApp(make_config([WEATHER]), path, autopoll=False)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = main_screen(pilot)
        screen.article_list.clock = lambda: NOW
        screen.article_list.refresh()
        await pilot.pause()
        lines = list_lines(pilot)
        assert "Nov 20 " in lines[0] and "Nov'17 " in lines[1]
        # Rows of 100 cells and more show the time, or the year in the same 12 cells.
        styles = screen.article_list._row_styles()
        now = datetime.fromtimestamp(NOW, UTC)
        wide = [
            row_text(row, list_columns(120), styles, cursor=False, now=now).plain
            for row in screen.store.rows_by_ids(screen.article_list.ids)
        ]
        assert wide[0][4:17] == "Nov 20 11:00 " and wide[1][4:17] == "Nov 20  2017 "


# -- filters --------------------------------------------------------------------------------


async def test_a_new_filter_starts_at_its_first_row_and_is_marked(make_app: AppFactory) -> None:
    async with make_app().run_test(size=(160, 48)) as pilot:
        await pilot.pause()
        screen = main_screen(pilot)
        articles = screen.article_list
        articles.move_to(3)
        filters = screen.sidebar.filters()
        screen.listing.apply_filter(filters["topic:alliance"])
        await pilot.pause()
        assert articles.cursor == 0 and articles.scroll_offset.y == 0
        marked = [line for line in sidebar_lines(pilot) if line.startswith(ACTIVE_MARK)]
        assert len(marked) == 1 and "alliance" in marked[0]
        # The command palette's feed choice does the same.
        articles.move_to(1)
        await press(pilot, "ctrl+p")
        await pilot.press(*"Defence")
        await palette_highlights(pilot, "Defence Wire")
        await press(pilot, "enter")
        await wait_until(pilot, lambda: screen.view.filter.kind == "feed")
        await pilot.pause()
        assert articles.cursor == 0
        marked = [line for line in sidebar_lines(pilot) if line.startswith(ACTIVE_MARK)]
        assert len(marked) == 1 and "Defence Wire" in marked[0]
        # A search shows no sidebar filter as active; Esc back to everything marks "All".
        screen.listing.run_search("NATO")
        await pilot.pause()
        assert not any(line.startswith(ACTIVE_MARK) for line in sidebar_lines(pilot))
        await press(pilot, "escape", "escape")
        marked = [line for line in sidebar_lines(pilot) if line.startswith(ACTIVE_MARK)]
        assert len(marked) == 1 and "All" in marked[0]


def _health(feed_id: int, url: str, title: str) -> FeedHealth:
    return FeedHealth(
        feed_id, url, title, 0, 0, 0, None, None, None, None, 0, False, False, None, None
    )


def test_feeds_titled_alike_are_told_apart_by_host() -> None:
    feeds = [
        _health(1, "https://www.bbc.example/news/rss", "News"),
        _health(2, "https://cnn.example/rss", "news"),
        _health(3, "https://solo.example/rss", "Solo"),
        _health(4, "https://same.example/a.xml", "Daily"),
        _health(5, "https://same.example/b.xml", "Daily"),
    ]
    assert feed_notes(feeds) == {
        1: "bbc.example",
        2: "cnn.example",
        4: "same.example/a.xml",
        5: "same.example/b.xml",
    }


async def test_sidebar_shows_the_host_beside_duplicate_titles(tmp_path: Path) -> None:
    path = tmp_path / "dupes.sqlite3"
    first, second = "https://one.example/rss", "https://two.example/rss"
    long = "https://a-feed-without-a-title.example/rss"
    docs = {first: (Doc("A", topics=("alliance",)),), second: (Doc("B"),), long: (Doc("C"),)}
    build_store(path, docs)
    config = titled_config({first: "World News", second: "World News", long: ""})
    async with NatoreadApp(config, path, autopoll=False).run_test(size=(160, 48)) as pilot:
        await pilot.pause()
        await pilot.pause()
        # The title is cut before the host that tells the two apart.
        lines = [line for line in sidebar_lines(pilot) if "World Ne" in line]
        assert len(lines) == 2
        assert any("one.example" in line for line in lines)
        assert any("two.example" in line for line in lines)
        labels = {f.label for f in main_screen(pilot).sidebar.filters().values()}
        assert {"World News (one.example)", "World News (two.example)"} <= labels
        # A title too long for the sidebar is cut on its line, its count beside it.
        untitled = next(line for line in sidebar_lines(pilot) if "a-feed-with" in line)
        assert "…" in untitled and untitled.rstrip().endswith(" 1")


def test_outlets_end_the_title_without_moving_a_column() -> None:
    from rich.style import Style

    from natoread.core.storage.records import ArticleRow
    from natoread.ui.widgets.list_row import RowStyles

    styles = RowStyles(*(Style() for _ in range(7)))
    row = ArticleRow(
        1, 1, "Wire", "Allies hold the largest Baltic air drills in years", None,
        datetime(2026, 11, 20, tzinfo=UTC), False, False, True, 1.0, ("alliance",), 3,
    )  # fmt: skip
    now = datetime.fromtimestamp(NOW, UTC)
    for width in (60, 80, 160):
        columns = list_columns(width)
        one = row_text(row, columns, styles, cursor=False, now=now).plain
        three = row_text(row, columns, styles, cursor=False, now=now, sources=3).plain
        assert " 3 src" in three or " 3 sources" in three
        assert cell_len(one) == cell_len(three) == width
        assert one.index("❝") == three.index("❝")


def test_the_status_line_counts_in_words() -> None:
    from natoread.ui.widgets.status_bar import StatusState, status_content

    assert status_content(StatusState(count=1)).plain.endswith("· 1 article")
    assert "· 2 articles · all" in status_content(StatusState(count=2, view="all")).plain
    assert "· 1,024 articles" in status_content(StatusState(count=1024)).plain
    assert "polling 0/1 feed" in status_content(StatusState(polling=(0, 1))).plain
    assert "polling 2/3 feeds" in status_content(StatusState(polling=(2, 3))).plain
