"""Beyond Newsboat: quote ledger, accession board, full text, stories across outlets, search."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from textual.content import Content
from textual.pilot import Pilot
from textual.widgets import OptionList, Static

from natoread.core.config import Config
from natoread.core.errors import ConfigError
from natoread.core.storage.records import ArticleQuery
from natoread.core.storage.store import Store
from natoread.ui.app import NatoreadApp
from natoread.ui.render import SEARCH_STYLE
from natoread.ui.screens.board import AccessionBoardScreen
from natoread.ui.screens.ledger import QuotesLedgerScreen
from natoread.ui.screens.main import MainScreen
from natoread.ui.widgets.status_bar import StatusBar, status_content
from tests import feedgen
from tests.feedserver import FeedServer
from tests.ui.factory import (
    DEFENCE,
    DRILLS_LEAD,
    NOW,
    Doc,
    beyond_config,
    build_beyond_store,
    build_store,
    make_config,
)
from tests.ui.helpers import (
    capture_notifications,
    list_lines,
    main_screen,
    palette_highlights,
    press,
    wait_until,
)

WIDE = (160, 40)
BeyondApp = Callable[..., NatoreadApp]


@pytest.fixture
def beyond_db(tmp_path: Path) -> Path:
    """The sample store plus several speakers, countries and one story from two outlets."""
    path = tmp_path / "beyond.sqlite3"
    build_beyond_store(path)
    return path


@pytest.fixture
def beyond_app(beyond_db: Path) -> BeyondApp:
    """An app over the "beyond" store (no polling; the board's clock is the factory's NOW)."""

    def build(config: Config | None = None) -> NatoreadApp:
        return NatoreadApp(config or beyond_config(), beyond_db, autopoll=False)

    return build


def status_text(pilot: Pilot[Any]) -> str:
    """The main screen's status line as plain text."""
    return status_content(main_screen(pilot).query_one(StatusBar).state).plain


def options_text(options: OptionList) -> list[str]:
    """The plain text of every option."""
    return [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]


def titles(screen: MainScreen) -> list[str]:
    """Titles of the articles listed, in order."""
    return [row.title for row in screen.store.rows_by_ids(list(screen.article_list.ids))]


# -- quote ledger ---------------------------------------------------------------------------


async def test_w_ranks_speakers_and_lists_their_quotes_newest_first(beyond_app: BeyondApp) -> None:
    app = beyond_app()
    async with app.run_test(size=WIDE) as pilot:
        await press(pilot, "w")
        ledger = app.screen
        assert isinstance(ledger, QuotesLedgerScreen)
        speakers = options_text(ledger.speakers_list)
        assert [s.split()[-1] for s in speakers] == ["3", "3", "1", "1"]
        assert speakers[0].startswith("Mark Rutte")
        assert "all topics · 4 speakers, 8 quotes" in str(
            ledger.query_one("#ledger-title", Static).content
        )
        await press(pilot, "j")  # Ulf Kristersson
        quotes = options_text(ledger.quotes_list)
        assert [q.splitlines()[0] for q in quotes] == [
            '"Our accession makes the whole alliance stronger,"',  # marks as written
            '"A historic day,"',
            '"proud to fly with Finland and every ally,"',
        ]
        # "Nov 20 08:00" this year, "Nov 20  2026" from next year on (dates name other years).
        assert "[Sweden] Nordic · Nov 20 " in quotes[1]
        assert " · Sweden completes accession" in quotes[1]
        await press(pilot, "escape")
        assert isinstance(app.screen, MainScreen)


async def test_ledger_follows_the_sidebar_topic(beyond_app: BeyondApp) -> None:
    app = beyond_app()
    async with app.run_test(size=WIDE) as pilot:
        screen = main_screen(pilot)
        await pilot.pause()
        screen.listing.apply_filter(screen.sidebar.filters()["topic:accession"])
        await press(pilot, "w")
        assert isinstance(app.screen, QuotesLedgerScreen)
        speakers = options_text(app.screen.speakers_list)
        assert speakers[0].startswith("Ulf Kristersson") and speakers[0].endswith("2")
        assert not any("Rutte" in s for s in speakers)
        assert "topic accession" in str(app.screen.query_one("#ledger-title", Static).content)


async def test_ledger_filter_matches_quote_text_and_speaker_in_any_case(
    beyond_app: BeyondApp,
) -> None:
    app = beyond_app()
    async with app.run_test(size=WIDE) as pilot:
        await press(pilot, "w", "slash")
        ledger = app.screen
        assert isinstance(ledger, QuotesLedgerScreen)
        assert ledger.focused is ledger.filter_box
        await pilot.press(*"GEORGIA")
        await pilot.pause()
        speakers = options_text(ledger.speakers_list)
        assert [s.split("  ")[0] for s in speakers] == ["Irakli Kobakhidze", "Mark Rutte"]
        await press(pilot, "enter", "j")  # into the speakers, then Mark Rutte
        assert options_text(ledger.quotes_list)[0].startswith('"Georgia and Ukraine')
        assert ledger.quotes_list.option_count == 1
        ledger.filter_box.value = "kristersson"
        await pilot.pause()
        assert options_text(ledger.speakers_list) == [options_text(ledger.speakers_list)[0]]
        assert ledger.quotes_list.option_count == 3  # every quote of the speaker matched
        ledger.filter_box.value = "kristerssonzzz"
        await pilot.pause()
        assert "No quote matches." in options_text(ledger.speakers_list)[0]


async def test_enter_on_a_ledger_quote_opens_its_article_at_the_quote(
    beyond_app: BeyondApp,
) -> None:
    app = beyond_app()
    async with app.run_test(size=WIDE) as pilot:
        await press(pilot, "w", "j", "enter")  # Ulf Kristersson → his quotes
        ledger = app.screen
        assert isinstance(ledger, QuotesLedgerScreen)
        assert ledger.focused is ledger.quotes_list
        await press(pilot, "G", "l")  # the oldest: "proud to fly…" in the Nordic drills story
        screen = main_screen(pilot)
        assert app.screen is screen and screen.panes.active == "reader"
        detail = screen.reader.detail
        assert detail is not None and detail.row.link == "https://nordic.example/drills"
        selected = screen.reader._selected_quote
        assert selected is not None and detail.quotes[selected].text.startswith("proud to fly")
        assert screen.article_list.current_id == detail.row.id


# -- accession board ------------------------------------------------------------------------


async def open_board(pilot: Pilot[Any]) -> AccessionBoardScreen:
    """Press B with the clock at the factory's NOW and wait for the rows."""
    main_screen(pilot).clock = lambda: NOW
    await press(pilot, "B")
    board = pilot.app.screen
    assert isinstance(board, AccessionBoardScreen)
    await wait_until(pilot, lambda: board.rows is not None)
    await pilot.pause()
    return board


async def test_B_shows_one_row_per_country_with_weeks_headline_and_quote(
    beyond_app: BeyondApp,
) -> None:
    app = beyond_app()
    async with app.run_test(size=WIDE) as pilot:
        board = await open_board(pilot)
        rows = options_text(board.board)
        assert [row.split()[0] for row in rows] == ["Ukraine", "Georgia", "Sweden", "Moldova"]
        ukraine = rows[0].splitlines()
        assert re.search(r"[▁-█]{8}\s+9 articles", ukraine[0])
        assert ukraine[0].split()[1] == "▁▄▁▄▁▆▅▅"  # (0,1,0,1,0,3,2,2) scaled to the peak, 4
        assert "NATO leaders meet in Vilnius — Defence Wire" in ukraine[1]
        assert '"We stand united with Ukraine." — Jens Stoltenberg' in ukraine[2]
        assert "no matching article names it yet" in rows[3]
        await press(pilot, "j", "enter")  # Georgia
        screen = main_screen(pilot)
        assert app.screen is screen
        assert screen.view.search is not None and screen.view.search.text == '"Georgia" is:matching'
        assert set(titles(screen)) == {
            "Georgia renews its bid to join NATO",
            "Allies hold largest Baltic air drills since Finland joined NATO",
        }
        await press(pilot, "escape")
        assert screen.view.search is None


async def test_board_without_countries_says_how_to_add_them(beyond_app: BeyondApp) -> None:
    app = beyond_app(make_config([DEFENCE], settings={"countries": []}))
    async with app.run_test(size=WIDE) as pilot:
        await press(pilot, "B")
        assert isinstance(app.screen, AccessionBoardScreen)
        assert "No countries configured" in options_text(app.screen.board)[0]
        await press(pilot, "q")
        assert isinstance(app.screen, MainScreen)


# -- search ---------------------------------------------------------------------------------


async def test_search_syntax_phrases_filters_and_negation(beyond_app: BeyondApp) -> None:
    async with beyond_app().run_test(size=WIDE) as pilot:
        screen = main_screen(pilot)
        await press(pilot, "slash")
        await pilot.press(*'"air" feed:nord')
        await press(pilot, "enter")
        assert titles(screen) == [
            "Allies hold largest Baltic air drills since Finland joined NATO - Nordic"
        ]
        screen.listing.run_search("speaker:rutte")
        assert len(screen.article_list.ids) == 2
        screen.listing.run_search("topic:accession -sweden")
        assert titles(screen) == ["Georgia renews its bid to join NATO"]
        screen.listing.run_search("kobakhidze OR stoltenberg")
        assert len(screen.article_list.ids) == 2


async def test_bad_query_shows_its_error_and_keeps_the_list(beyond_app: BeyondApp) -> None:
    async with beyond_app().run_test(size=WIDE) as pilot:
        screen = main_screen(pilot)
        screen.listing.run_search("ukraine")
        before = list(screen.article_list.ids)
        await press(pilot, "slash")
        await pilot.press(*"since:tomorrow")
        await press(pilot, "enter")
        assert list(screen.article_list.ids) == before and before
        line = status_text(pilot)
        assert line.startswith("✗ search: since:tomorrow: expected a date")
        assert "\n" not in line
        assert screen.view.search is not None and screen.view.search.text == "ukraine"
        await press(pilot, "slash")  # the box still holds the bad query, to fix it
        assert screen.query_one("#search").value == "since:tomorrow"  # type: ignore[attr-defined]
        await press(pilot, "escape", "escape")  # close the box, then clear the error
        assert not status_text(pilot).startswith("✗")
        assert screen.view.search is not None


async def test_searched_words_are_highlighted_in_the_article(beyond_app: BeyondApp) -> None:
    async with beyond_app().run_test(size=WIDE) as pilot:
        screen = main_screen(pilot)
        screen.listing.run_search('vilnius "stand united"')
        await press(pilot, "enter")
        header = screen.reader.query_one("#article-header", Static).content
        paragraphs = [p.content for p in screen.reader.body.query(".paragraph").results(Static)]
        texts = [text for text in (header, *paragraphs) if isinstance(text, Content)]
        assert len(texts) == 1 + len(paragraphs)
        found = {
            text.plain[s.start : s.end]
            for text in texts
            for s in text.spans
            if str(s.style) == SEARCH_STYLE
        }
        assert found == {"Vilnius", "stand united"}


async def test_saved_searches_run_the_query_syntax(beyond_db: Path) -> None:
    searches = [{"name": "Rutte", "query": "speaker:rutte"}]
    app = NatoreadApp(beyond_config(searches=searches), beyond_db, autopoll=False)
    async with app.run_test(size=WIDE) as pilot:
        screen = main_screen(pilot)
        await pilot.pause()
        screen.listing.apply_filter(screen.sidebar.filters()["search:0"])
        await pilot.pause()
        assert len(screen.article_list.ids) == 2
    # A saved search that cannot run is a config error (tests/core/test_query_check.py).
    broken = [*searches, {"name": "Broken", "query": "since:someday"}]
    with pytest.raises(ConfigError, match="saved search 'Broken': since:someday"):
        beyond_config(searches=broken)


# -- stories across outlets -----------------------------------------------------------------


async def test_list_marks_stories_with_several_sources(beyond_app: BeyondApp) -> None:
    async with beyond_app().run_test(size=WIDE) as pilot:
        lines = list_lines(pilot)
        marked = [line for line in lines if re.search(r" 2 (src|sources)( |$)", line)]
        assert len(marked) == 2 and all("Allies hold largest" in line for line in marked)
        assert "sources" not in lines[0] and " src" not in lines[0]


async def test_open_story_shows_other_versions_and_merged_quotes(beyond_app: BeyondApp) -> None:
    async with beyond_app().run_test(size=WIDE) as pilot:
        screen = main_screen(pilot)
        screen.listing.run_search('"air drills" feed:defence')
        await press(pilot, "enter")
        reader = screen.reader
        assert reader.story is not None and reader.story.sources == 2
        versions = options_text(reader.versions)
        assert len(versions) == 1 and versions[0].startswith("[Sweden] Nordic · Nov 20 ")
        quotes = options_text(reader.quotes)
        assert len(quotes) == 3
        assert "in [Sweden] Nordic, Defence Wire" in quotes[0]
        assert "not in this version" in quotes[1] and "proud to fly" in quotes[1]
        await press(pilot, "tab")  # reader → quotes
        assert screen.panes.active == "quotes"
        await press(pilot, "j", "enter")  # the quote only the Nordic version carries
        detail = reader.detail
        assert detail is not None and detail.row.link == "https://nordic.example/drills"
        assert reader._selected_quote is not None
        assert detail.quotes[reader._selected_quote].text.startswith("proud to fly")
        await press(pilot, "tab", "tab")  # reader → quotes → versions
        assert screen.panes.active == "versions"
        await press(pilot, "enter")
        assert (
            reader.detail is not None and reader.detail.row.link == "https://defence.example/drills"
        )


async def test_one_row_per_story_toggle_from_the_palette(beyond_app: BeyondApp) -> None:
    app = beyond_app()
    messages = capture_notifications(app)
    async with app.run_test(size=WIDE) as pilot:
        screen = main_screen(pilot)
        assert len(screen.article_list.ids) == 15
        await press(pilot, "ctrl+p")
        await pilot.press(*"one row")
        await palette_highlights(pilot, "One row per story")
        await press(pilot, "enter")
        await wait_until(pilot, lambda: screen.view.stories_collapsed)
        assert screen.view.stories_collapsed and len(screen.article_list.ids) == 14
        assert "one row per story" in status_text(pilot)
        assert sum("Allies hold largest" in line for line in list_lines(pilot)) == 1
        screen.action_toggle_stories()
        assert len(screen.article_list.ids) == 15
        assert messages[-2:] == ["One row per story", "Every version of each story"]


# -- full text on demand --------------------------------------------------------------------

ARTICLE_PAGE = """<!doctype html><html><head><title>Drills</title></head><body>
<nav>Home | World | Defence</nav>
<article><h1>Allies rehearse the defence of the Baltic</h1>
<p>Thousands of troops from eleven allies began a two-week exercise on Monday along the
eastern flank, testing how quickly reinforcements can cross the Baltic Sea.</p>
<p>"We will defend every inch of allied territory," said Mark Rutte, visiting the troops
near the border. Officers said the drills were the largest in the region this decade.</p>
<p>The exercise ends with a live-fire demonstration watched by defence ministers from
Sweden, Finland and the Baltic states, who meet again in Brussels next month.</p>
</article><footer>Copyright the example paper</footer></body></html>"""


async def test_f_fetches_the_full_text_and_shows_the_note(
    tmp_path: Path, server: FeedServer
) -> None:
    page = server.add("/drills.html", ARTICLE_PAGE, content_type="text/html; charset=utf-8")
    gone = server.url("/gone.html")
    path = tmp_path / "full.sqlite3"
    docs = (
        Doc("NATO drills on the flank", "Short summary.", topics=("alliance",), link=page),
        Doc("NATO page gone", "Only the summary.", topics=("alliance",), hours_ago=1, link=gone),
    )
    build_store(path, {DEFENCE: docs})
    app = NatoreadApp(make_config([DEFENCE]), path, autopoll=False)
    messages = capture_notifications(app)
    async with app.run_test(size=WIDE) as pilot:
        screen = main_screen(pilot)
        await press(pilot, "enter")
        screen.action_fulltext()
        assert "fetching full text…" in status_text(pilot)
        await wait_until(pilot, lambda: not screen.fulltext.fetching)
        await pilot.pause()
        assert "fetching" not in status_text(pilot)
        text = " ".join(
            str(p.content) for p in screen.reader.body.query(".paragraph").results(Static)
        )
        assert "eleven allies" in text and "Short summary." not in text
        header = str(screen.reader.query_one("#article-header", Static).content)
        assert "full text fetched from the article page" in header
        assert any("Rutte" in str(option.prompt) for option in screen.reader.quotes.options)
        assert messages[-1] == "full text fetched from the article page"
        await press(pilot, "escape", "j", "enter", "f")
        await wait_until(pilot, lambda: not screen.fulltext.fetching)
        await pilot.pause()
        header = str(screen.reader.query_one("#article-header", Static).content)
        assert "full text unavailable" in header and "404" in header
        assert "Only the summary." in str(
            screen.reader.body.query(".paragraph").first(Static).content
        )
    with Store(path) as store:
        notes = [store.get_article(i) for i in store.article_ids(ArticleQuery())]
        assert all(d is not None and d.fulltext_note for d in notes)


async def test_a_poll_groups_two_outlets_versions_into_one_story(
    tmp_path: Path, server: FeedServer
) -> None:
    story = feedgen.Item(
        "Allies hold largest Baltic air drills since Finland joined NATO",
        f"<p>{DRILLS_LEAD}</p>",
        published=feedgen.BASE_TIME,
    )
    urls = [
        server.add(
            f"/{name}.xml", feedgen.rss([replace(story, guid=name, link=f"https://{name}/")])
        )
        for name in ("wire", "paper")
    ]
    app = NatoreadApp(make_config(urls), tmp_path / "poll.sqlite3", autopoll=True)
    async with app.run_test(size=WIDE) as pilot:
        screen = main_screen(pilot)
        await wait_until(
            pilot, lambda: screen.polls.progress is None and screen.polls.new_articles == 2
        )
        await press(pilot, "a")
        lines = list_lines(pilot)[:2]
        assert all(re.search(r" 2 (src|sources)( |$)", line) for line in lines), lines
