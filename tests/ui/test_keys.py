"""Every key of the action registry, driven through Pilot against a real store file."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.geometry import Region
from textual.scroll_view import ScrollView
from textual.widgets import Static

from natoread.core.storage.records import ArticleQuery
from natoread.core.storage.store import Store
from natoread.ui.screens.errors import ErrorsScreen
from natoread.ui.screens.help import HelpScreen
from natoread.ui.widgets.article_list import ArticleList
from natoread.ui.widgets.article_view import ArticleBody, QuotesPanel
from natoread.ui.widgets.sidebar import Sidebar
from tests.ui.factory import DEFENCE, Doc, build_store, make_config, many_docs
from tests.ui.helpers import (
    AppFactory,
    capture_notifications,
    list_lines,
    main_screen,
    press,
    wait_until,
)

WIDE = (160, 40)


def stored(db_path: Path, query: ArticleQuery | None = None) -> list[tuple[str, bool, bool]]:
    """(title, read, starred) of stored articles, newest first."""
    with Store(db_path) as store:
        rows = store.list_articles(query or ArticleQuery(), limit=1000)
        return [(r.title, r.read, r.starred) for r in rows]


async def test_first_paint_lists_only_matching_articles(make_app: AppFactory) -> None:
    async with make_app().run_test(size=WIDE) as pilot:
        screen = main_screen(pilot)
        assert len(screen.article_list.ids) == 5
        lines = list_lines(pilot)
        assert "NATO leaders meet in" in lines[0]
        assert not any("Weather" in line for line in lines)
        assert screen.focused is screen.article_list


async def test_a_toggles_matching_and_all(make_app: AppFactory) -> None:
    async with make_app().run_test(size=WIDE) as pilot:
        screen = main_screen(pilot)
        await press(pilot, "a")
        assert len(screen.article_list.ids) == 6
        assert any("Weather" in line for line in list_lines(pilot))
        await press(pilot, "a")
        assert len(screen.article_list.ids) == 5


async def test_movement_keys(make_app: AppFactory) -> None:
    async with make_app().run_test(size=WIDE) as pilot:
        articles = main_screen(pilot).article_list
        await press(pilot, "j", "j")
        assert articles.cursor == 2
        await press(pilot, "k")
        assert articles.cursor == 1
        await press(pilot, "down", "down", "up")
        assert articles.cursor == 2
        await press(pilot, "G")
        assert articles.cursor == 4
        await press(pilot, "g")
        assert articles.cursor == 0
        await press(pilot, "end")
        assert articles.cursor == 4
        await press(pilot, "home")
        assert articles.cursor == 0


async def test_enter_opens_and_marks_read_in_store(make_app: AppFactory, db_path: Path) -> None:
    async with make_app().run_test(size=WIDE) as pilot:
        screen = main_screen(pilot)
        await press(pilot, "enter")
        assert screen.reader.detail is not None
        assert screen.reader.detail.row.title == "NATO leaders meet in Vilnius"
        assert isinstance(screen.focused, ArticleBody)
        assert stored(db_path)[0] == ("NATO leaders meet in Vilnius", True, False)
        await press(pilot, "escape", "j", "l")
        assert screen.reader.article_id == screen.article_list.ids[1]
        assert stored(db_path)[1][1] is True


async def test_back_keys_return_to_the_list(make_app: AppFactory) -> None:
    async with make_app().run_test(size=WIDE) as pilot:
        screen = main_screen(pilot)
        for key in ("escape", "h"):
            await press(pilot, "enter")
            assert screen.panes.active == "reader"
            await press(pilot, key)
            assert screen.panes.active == "list"
            assert screen.focused is screen.article_list


async def test_q_quits_from_the_main_screen(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=WIDE) as pilot:
        await press(pilot, "enter", "q")
        await pilot.pause()
    assert app.return_code == 0
    assert not app.is_running


async def test_space_and_b_page_the_reader(tmp_path: Path) -> None:
    long_body = "\n\n".join(f"Paragraph {n} about the alliance." for n in range(80))
    path = tmp_path / "long.sqlite3"
    build_store(path, {DEFENCE: (Doc("Long NATO story", long_body, topics=("alliance",)),)})
    from natoread.ui.app import NatoreadApp

    app = NatoreadApp(make_config([DEFENCE]), path, autopoll=False)
    async with app.run_test(size=(100, 30)) as pilot:
        body = main_screen(pilot).reader.body
        await press(pilot, "enter")
        assert body.scroll_y == 0
        await press(pilot, "space")
        first_page = body.scroll_y
        assert first_page > 10
        await press(pilot, "space")
        assert body.scroll_y > first_page
        await press(pilot, "b")
        assert body.scroll_y == first_page
        await press(pilot, "j")
        assert body.scroll_y == first_page + 1


async def test_n_and_N_jump_between_unread(make_app: AppFactory, db_path: Path) -> None:
    with Store(db_path) as store:
        ids = store.article_ids(ArticleQuery(matching=True))
        store.set_read([ids[1], ids[2]], True)
    async with make_app().run_test(size=WIDE) as pilot:
        articles = main_screen(pilot).article_list
        await press(pilot, "n")
        assert articles.cursor == 3
        await press(pilot, "N")
        assert articles.cursor == 0
        await press(pilot, "N")
        assert articles.cursor == 0  # nothing unread above: stays put


async def test_J_and_K_open_neighbouring_articles(make_app: AppFactory, db_path: Path) -> None:
    async with make_app().run_test(size=WIDE) as pilot:
        screen = main_screen(pilot)
        ids = list(screen.article_list.ids)
        await press(pilot, "enter", "J")
        assert screen.reader.article_id == ids[1]
        await press(pilot, "J")
        assert screen.reader.article_id == ids[2]
        await press(pilot, "K")
        assert screen.reader.article_id == ids[1]
        assert [read for _, read, _ in stored(db_path, ArticleQuery(matching=True))][:3] == [
            True,
            True,
            True,
        ]


async def test_tab_cycles_panes(make_app: AppFactory) -> None:
    async with make_app().run_test(size=WIDE) as pilot:
        screen = main_screen(pilot)
        await press(pilot, "tab")
        assert screen.panes.active == "reader"
        await press(pilot, "tab")
        assert screen.panes.active == "sidebar" and isinstance(screen.focused, Sidebar)
        await press(pilot, "tab")
        assert screen.panes.active == "list"
        await press(pilot, "enter", "tab")
        assert screen.panes.active == "quotes" and isinstance(screen.focused, QuotesPanel)


async def test_s_stars_and_m_toggles_read(make_app: AppFactory, db_path: Path) -> None:
    async with make_app().run_test(size=WIDE) as pilot:
        await press(pilot, "s")
        assert stored(db_path)[0] == ("NATO leaders meet in Vilnius", False, True)
        assert "★" in list_lines(pilot)[0]
        await press(pilot, "m")
        assert stored(db_path)[0][1] is True
        await press(pilot, "m", "s")
        assert stored(db_path)[0] == ("NATO leaders meet in Vilnius", False, False)


async def test_star_from_the_reader_updates_the_header(make_app: AppFactory) -> None:
    async with make_app().run_test(size=WIDE) as pilot:
        screen = main_screen(pilot)
        await press(pilot, "enter", "s")
        header = screen.reader.query_one("#article-header", Static).content
        assert "★ starred" in str(header)


async def test_A_marks_the_visible_list_read(make_app: AppFactory, db_path: Path) -> None:
    async with make_app().run_test(size=WIDE) as pilot:
        await press(pilot, "A", "y")  # confirmed with the count
        matching = stored(db_path, ArticleQuery(matching=True))
        assert all(read for _, read, _ in matching)
        assert any(not read for _, read, _ in stored(db_path))  # the unmatched one is untouched
        assert "●" not in "".join(list_lines(pilot))


async def test_y_copies_the_link(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=WIDE) as pilot:
        await press(pilot, "y")
        assert app.clipboard == "https://defence.example/vilnius"


async def test_o_without_a_local_browser_copies(make_app: AppFactory) -> None:
    app = make_app()
    messages = capture_notifications(app)
    async with app.run_test(size=WIDE) as pilot:
        await press(pilot, "o")
        assert app.clipboard == "https://defence.example/vilnius"
        assert any("copied" in m for m in messages)


async def test_o_refuses_a_javascript_link(make_app: AppFactory) -> None:
    app = make_app()
    messages = capture_notifications(app)
    async with app.run_test(size=WIDE) as pilot:
        await press(pilot, "j")  # the injection article, whose link is javascript:
        assert "click=app.quit" in list_lines(pilot)[1]
        await press(pilot, "o", "y")
        assert app.clipboard == ""
        assert any("not opened" in m for m in messages)
        assert any("no http(s) link" in m for m in messages)


async def test_T_cycles_themes(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=WIDE) as pilot:
        before = app.theme
        await press(pilot, "T")
        assert app.theme != before


async def test_question_mark_shows_help_with_rebound_keys(make_app: AppFactory) -> None:
    app = make_app(make_config([DEFENCE], keys={"star": "x"}))
    async with app.run_test(size=WIDE) as pilot:
        await press(pilot, "question_mark")
        assert isinstance(app.screen, HelpScreen)
        text = str(app.screen.query_one(Static).content)
        assert "Star" in text and "x " in text
        await press(pilot, "escape")
        assert not isinstance(app.screen, HelpScreen)


async def test_keys_table_rebinds_actions(make_app: AppFactory, db_path: Path) -> None:
    app = make_app(make_config([DEFENCE], keys={"star": "x"}))
    async with app.run_test(size=WIDE) as pilot:
        await press(pilot, "s")
        assert not stored(db_path)[0][2]
        await press(pilot, "x")
        assert stored(db_path)[0][2]


async def test_e_opens_the_errors_screen(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=WIDE) as pilot:
        await press(pilot, "e")
        assert isinstance(app.screen, ErrorsScreen)
        assert "Every feed worked" in str(app.screen.query_one("#errors", Static).content)
        await press(pilot, "escape")
        assert not isinstance(app.screen, ErrorsScreen)


async def test_virtual_list_loads_only_visible_pages(tmp_path: Path) -> None:
    path = tmp_path / "big.sqlite3"
    build_store(path, {DEFENCE: many_docs(3000)})
    from natoread.ui.app import NatoreadApp
    from natoread.ui.widgets.article_list import CACHE_PAGES

    app = NatoreadApp(make_config([DEFENCE]), path, autopoll=False)
    async with app.run_test(size=(100, 30)) as pilot:
        articles = main_screen(pilot).article_list
        await wait_until(pilot, lambda: len(articles.ids) == 3000)  # after the first screenful
        assert len(articles._pages) == 1
        await press(pilot, "G")
        assert articles.cursor == 2999
        assert any("Story 2999" in line for line in list_lines(pilot))
        for _ in range(20):
            await pilot.press("k")
        assert len(articles._pages) <= CACHE_PAGES
        await press(pilot, "g")
        assert articles.cursor == 0 and "Story 0 " in list_lines(pilot)[0]


async def test_the_first_screenful_comes_first_and_the_rest_right_after(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Start-up reads only FIRST_ROWS ids before the first paint (the whole list of 100,000
    # articles takes ~40 ms); the rest arrive right after, under the same cursor.
    from natoread.ui.app import NatoreadApp
    from natoread.ui.screens import listing

    monkeypatch.setattr(listing, "FIRST_ROWS", 5)
    path = tmp_path / "head.sqlite3"
    build_store(path, {DEFENCE: many_docs(40)})
    app = NatoreadApp(make_config([DEFENCE]), path, autopoll=False)
    async with app.run_test(size=(100, 30)) as pilot:
        articles = main_screen(pilot).article_list
        await wait_until(pilot, lambda: len(articles.ids) == 40)
        assert articles.cursor == 0 and "Story 0 " in list_lines(pilot)[0]
        await press(pilot, "G")
        assert articles.cursor == 39
        assert any("Story 39 " in line for line in list_lines(pilot))


def both_renderings(articles: ArticleList, crop: Region) -> tuple[list[str], list[str]]:
    """The list's lines in `crop` as it renders them, and as Textual's styling does."""
    articles._styles_cache.clear()
    theirs = ScrollView.render_lines(articles, crop)
    ours = articles.render_lines(crop)
    assert [s.cell_length for s in ours] == [s.cell_length for s in theirs]
    console = articles.app.console
    return [s.render(console) for s in ours], [s.render(console) for s in theirs]


async def test_list_lines_equal_textuals_own_styling(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The list renders its rows itself when its styles are plain (see ArticleList._plain):
    # each line must be exactly what Textual's styling would have made of the same row, in
    # every state a row can be in (cursor, read, starred, blurred, scrolled), at two sizes,
    # for partial crops, and the list must hand back to Textual when a user's CSS pads it.
    from natoread.ui.app import NatoreadApp

    path = tmp_path / "rows.sqlite3"
    build_store(path, {DEFENCE: many_docs(120)})
    for size, no_color in (((160, 40), False), ((80, 24), True)):
        if no_color:  # the app then runs every line through a filter
            monkeypatch.setenv("NO_COLOR", "1")
        app = NatoreadApp(make_config([DEFENCE]), path, autopoll=False)
        assert len(app.get_line_filters()) == 1 + no_color
        async with app.run_test(size=size) as pilot:
            articles = main_screen(pilot).article_list
            await wait_until(pilot, lambda: len(main_screen(pilot).article_list.ids) == 120)
            assert articles._plain()
            width, height = articles.size
            crops = [Region(0, 0, width, height), Region(3, 2, width - 5, 4)]
            for keys in ((), ("j", "j", "m", "s"), ("G",), ("k",) * 30, ("tab",)):
                await press(pilot, *keys)
                for crop in crops:
                    ours, theirs = both_renderings(articles, crop)
                    assert ours == theirs, (size, keys, crop)
            articles.styles.padding = (0, 2)
            assert not articles._plain()
            await pilot.pause()
            ours, theirs = both_renderings(articles, crops[0])
            assert ours == theirs
