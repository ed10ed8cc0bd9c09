"""The reader puts the article first: at 80×24 its first screen shows at least 14 lines of the
body (a two-line title at most, one meta line, the quotes folded to one line), and keys hide
the sidebar, the quotes panel and everything but the article (zen). Run over the demo store:
real news articles analysed by the real pipeline."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Static

from natoread.core.config import Config
from natoread.ui.app import NatoreadApp
from natoread.ui.screens.help import HelpScreen
from natoread.ui.screens.main import MainScreen
from tests.demo import copy_demo_store
from tests.ui.helpers import main_screen, press, settle_redraws

SHORT = (80, 24)
TINY = (60, 20)
BIG = (160, 48)


@pytest.fixture
def demo(tmp_path: Path) -> tuple[Config, Path]:
    """A fresh copy of the demo store and its config."""
    path = tmp_path / "demo.sqlite3"
    return copy_demo_store(path), path


def demo_app(demo: tuple[Config, Path], **settings: Any) -> NatoreadApp:
    config, path = demo
    if settings:
        config = config._replace(settings=config.settings._replace(**settings))
    return NatoreadApp(config, path, autopoll=False)


def body_rows(screen: MainScreen) -> int:
    """Rows of the screen showing lines of the article's body (paragraph gaps not counted)."""
    body = screen.reader.body
    return sum(
        paragraph.region.intersection(body.content_region).height
        for paragraph in body.query(".paragraph").results(Static)
    )


def shown(widget: Any) -> bool:
    """True when the widget takes room on the screen."""
    return bool(widget.display and widget.region.height and widget.region.width)


async def open_first(pilot: Pilot[Any]) -> MainScreen:
    screen = main_screen(pilot)
    await press(pilot, "enter")
    await settle_redraws(pilot)
    return screen


async def test_the_first_screen_at_80x24_is_mostly_the_article(demo: tuple[Config, Path]) -> None:
    async with demo_app(demo).run_test(size=SHORT) as pilot:
        screen = await open_first(pilot)
        reader = screen.reader
        assert body_rows(screen) >= 14
        header = reader.query_one("#article-header", Static)
        assert header.region.height <= 4  # title (two lines at most), meta, the rule
        assert not shown(reader.query_one("#article-details"))  # behind i
        summary = reader.query_one("#quotes-summary", Static)
        assert summary.region.height == 1 and not shown(reader.quotes)
        assert str(summary.content).startswith("❝ 7 quotes (Q shows them) · Ulf Kristersson")
        await press(pilot, "Q")
        assert shown(reader.quotes) and not shown(summary)
        assert reader.quotes.region.bottom <= 22
        await press(pilot, "Q")
        assert not shown(reader.quotes) and shown(summary)
        await pilot.click("#quotes-summary")  # the mouse opens them too
        await pilot.pause()
        assert shown(reader.quotes)


async def test_60x20_still_shows_the_article(demo: tuple[Config, Path]) -> None:
    async with demo_app(demo).run_test(size=TINY) as pilot:
        screen = await open_first(pilot)
        assert body_rows(screen) >= 9
        assert screen.reader.query_one("#article-header").region.height <= 4
        assert screen.reader.region.right <= 60 and screen.reader.region.bottom <= 18


async def test_tab_opens_the_folded_quotes_and_leaving_folds_them(
    demo: tuple[Config, Path],
) -> None:
    async with demo_app(demo).run_test(size=SHORT) as pilot:
        screen = await open_first(pilot)
        await press(pilot, "tab")
        assert screen.panes.active == "quotes" and shown(screen.reader.quotes)
        await press(pilot, "tab")
        assert screen.panes.active == "sidebar"
        await press(pilot, "escape", "enter")
        assert not shown(screen.reader.quotes)


async def test_wide_terminals_keep_the_quotes_and_zen_puts_them_beside_the_body(
    demo: tuple[Config, Path],
) -> None:
    async with demo_app(demo).run_test(size=BIG) as pilot:
        screen = await open_first(pilot)
        reader = screen.reader
        assert shown(reader.quotes) and not shown(reader.query_one("#quotes-summary"))
        assert reader.quotes.region.y >= reader.body.region.bottom  # under the body
        await press(pilot, "z")
        for part in (screen.sidebar, screen.article_list, screen.query_one("#hints")):
            assert not shown(part)
        assert reader.region.width == 160 and reader.region.height == 48
        assert reader.quotes.region.x >= reader.body.region.right  # beside the body
        assert reader.quotes.region.y < reader.body.region.bottom
        await press(pilot, "j", "J")  # the reader's keys work in zen
        assert screen.controls.zen and reader.article_id is not None
        await press(pilot, "q")  # back, not quit
        assert pilot.app.is_running and not screen.controls.zen and shown(screen.article_list)
        await press(pilot, "z", "escape")
        assert not screen.controls.zen and shown(screen.article_list)


async def test_the_sidebar_hides_and_returns(demo: tuple[Config, Path]) -> None:
    async with demo_app(demo).run_test(size=BIG) as pilot:
        screen = main_screen(pilot)
        await pilot.pause()
        list_width = screen.article_list.region.width
        await press(pilot, "backslash")
        assert not shown(screen.sidebar) and screen.article_list.region.width > list_width
        await press(pilot, "tab", "tab")  # the hidden sidebar is not a stop
        assert screen.panes.active != "sidebar"
        await press(pilot, "backslash")
        assert shown(screen.sidebar) and screen.panes.active == "sidebar"
    async with demo_app(demo).run_test(size=SHORT) as pilot:
        screen = main_screen(pilot)
        await press(pilot, "backslash")  # one pane at a time: the sidebar is that pane
        assert screen.panes.active == "sidebar" and screen.sidebar.region.width == 80
        await press(pilot, "backslash")
        assert screen.panes.active == "list"


async def test_i_shows_the_link_and_why_it_matched(demo: tuple[Config, Path]) -> None:
    async with demo_app(demo).run_test(size=SHORT) as pilot:
        screen = await open_first(pilot)
        details = screen.reader.query_one("#article-details", Static)
        await press(pilot, "i")
        assert shown(details)
        text = str(details.content)
        assert "https://alliance-wire.example/" in text and "Why it matched:" in text
        await press(pilot, "i")
        assert not shown(details)


async def test_text_width_caps_the_lines_of_a_wide_reader(demo: tuple[Config, Path]) -> None:
    async with demo_app(demo, text_width=64).run_test(size=BIG) as pilot:
        screen = await open_first(pilot)
        await press(pilot, "z")
        await pilot.pause()
        paragraphs = list(screen.reader.body.query(".paragraph").results(Static))
        assert all(p.region.width <= 64 for p in paragraphs)
        left = paragraphs[0].region.x - screen.reader.body.region.x
        assert left > 10  # centred in the body, not stuck to its left edge


async def test_n_opens_the_next_unread_when_the_reader_is_visible(
    demo: tuple[Config, Path],
) -> None:
    async with demo_app(demo).run_test(size=SHORT) as pilot:
        screen = main_screen(pilot)
        await pilot.pause()
        await press(pilot, "n")  # one pane at a time, the list shown: n moves the cursor
        assert screen.article_list.cursor == 1 and screen.reader.article_id is None
        await press(pilot, "enter", "n")  # in the reader: n opens the next unread
        assert screen.reader.article_id == screen.article_list.ids[2]
        assert screen.panes.active == "reader"
    async with demo_app(demo).run_test(size=BIG) as pilot:
        screen = main_screen(pilot)
        await pilot.pause()
        await press(pilot, "n")  # from the list: the reader is beside it, so n opens
        assert screen.reader.article_id == screen.article_list.ids[3]  # 1 and 2 are read


async def test_the_theme_is_remembered(demo: tuple[Config, Path]) -> None:
    async with demo_app(demo).run_test(size=SHORT) as pilot:
        first = pilot.app.theme
        await press(pilot, "T")
        chosen = pilot.app.theme
        assert chosen != first
    async with demo_app(demo).run_test(size=SHORT) as pilot:
        await pilot.pause()
        assert pilot.app.theme == chosen


async def test_g_and_G_move_through_the_help(demo: tuple[Config, Path]) -> None:
    async with demo_app(demo).run_test(size=SHORT) as pilot:
        await press(pilot, "question_mark")
        help_screen = pilot.app.screen
        assert isinstance(help_screen, HelpScreen)
        scroll = help_screen.query_one("VerticalScroll")
        await press(pilot, "G")
        assert scroll.scroll_y == scroll.max_scroll_y > 0
        await press(pilot, "g")
        assert scroll.scroll_y == 0
        await press(pilot, "space")
        assert scroll.scroll_y > 5


async def test_quotes_read_calmly_without_colour(
    demo: tuple[Config, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    async with demo_app(demo).run_test(size=SHORT) as pilot:
        screen = await open_first(pilot)
        quoted, speakers = [], []
        for paragraph in screen.reader.body.query(".paragraph").results(Static):
            for y in range(paragraph.region.height):
                for segment in paragraph.render_line(y):
                    style = segment.style
                    if style is None or not segment.text.strip():
                        continue
                    if "Today is a good day" in segment.text:
                        quoted.append(style)
                    if "Ulf Kristersson" in segment.text:
                        speakers.append(style)
                    assert not style.underline and not style.italic and not style.blink
    assert quoted and speakers
    assert all(style.bold for style in speakers)  # the name the text gives, in place
