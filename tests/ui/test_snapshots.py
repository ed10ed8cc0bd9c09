"""Layout snapshots (pytest-textual-snapshot): the list and an article with quotes over the demo
store (real news analysed by the real pipeline) at 80×24, 120×40 and 160×48, the reader in a
narrow terminal, the quote ledger and the accession board."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from natoread.ui.app import NatoreadApp
from natoread.ui.screens.board import AccessionBoardScreen
from tests.demo import DEMO_NOW, README_SCREENSHOTS, SNAPSHOTS, copy_demo_store
from tests.ui.factory import NOW, beyond_config, build_beyond_store
from tests.ui.helpers import main_screen, settle_redraws, wait_until

SnapCompare = Callable[..., bool]
SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((160, 48), id="160x48")]
READER_SIZES = [*SIZES[:1], pytest.param((120, 40), id="120x40"), *SIZES[1:]]


@pytest.fixture
def demo_app(tmp_path: Path) -> NatoreadApp:
    """An app over a fresh copy of the demo store."""
    path = tmp_path / "demo.sqlite3"
    return NatoreadApp(copy_demo_store(path), path, autopoll=False)


async def demo_time(pilot: Pilot[Any]) -> None:
    """The list's "now" is the demo store's: dates show a year only when it is not this one,
    so the snapshots must not change when the calendar year does."""
    await wait_until(pilot, lambda: bool(main_screen(pilot).query("ArticleList")))
    article_list = main_screen(pilot).article_list
    article_list.clock = lambda: DEMO_NOW
    article_list.refresh()
    await pilot.pause()


async def open_first(pilot: Pilot[Any]) -> None:
    await demo_time(pilot)
    await pilot.press("enter")
    await settle_redraws(pilot)  # the debounced sidebar recount ran: the counts are final


@pytest.mark.parametrize("size", READER_SIZES)
def test_list(snap_compare: SnapCompare, demo_app: NatoreadApp, size: Any) -> None:
    assert snap_compare(demo_app, terminal_size=size, run_before=demo_time)


@pytest.mark.parametrize("size", READER_SIZES)
def test_article_with_quotes(snap_compare: SnapCompare, demo_app: NatoreadApp, size: Any) -> None:
    assert snap_compare(demo_app, terminal_size=size, run_before=open_first)


def test_narrow_reader(snap_compare: SnapCompare, demo_app: NatoreadApp) -> None:
    async def open_german(pilot: Pilot[Any]) -> None:
        await pilot.press("slash", *"pistorius", "enter")
        await pilot.pause()
        await open_first(pilot)

    assert snap_compare(demo_app, terminal_size=(60, 20), run_before=open_german)


def test_the_readme_screenshots_are_the_current_snapshots() -> None:
    docs = Path(__file__).resolve().parents[2] / "docs" / "img"
    for name, snapshot in README_SCREENSHOTS.items():
        assert (docs / name).read_bytes() == (SNAPSHOTS / snapshot).read_bytes(), (
            f"docs/img/{name} is older than its snapshot: python -m tests.demo screenshots docs/img"
        )


@pytest.fixture
def beyond_app(tmp_path: Path) -> NatoreadApp:
    """An app over the store with several speakers, countries and a two-outlet story."""
    path = tmp_path / "beyond.sqlite3"
    build_beyond_store(path)
    return NatoreadApp(beyond_config(), path, autopoll=False)


@pytest.mark.parametrize("size", SIZES)
def test_quotes_ledger(snap_compare: SnapCompare, beyond_app: NatoreadApp, size: Any) -> None:
    async def open_ledger(pilot: Pilot[Any]) -> None:
        await pilot.press("w", "j")
        await pilot.pause()

    assert snap_compare(beyond_app, terminal_size=size, run_before=open_ledger)


@pytest.mark.parametrize("size", SIZES)
def test_accession_board(snap_compare: SnapCompare, beyond_app: NatoreadApp, size: Any) -> None:
    async def open_board(pilot: Pilot[Any]) -> None:
        main_screen(pilot).clock = lambda: NOW
        await pilot.press("B")
        board = pilot.app.screen
        assert isinstance(board, AccessionBoardScreen)
        await wait_until(pilot, lambda: board.rows is not None)
        await pilot.pause()

    assert snap_compare(beyond_app, terminal_size=size, run_before=open_board)
