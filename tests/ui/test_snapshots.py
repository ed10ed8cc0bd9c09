"""Layout snapshots (pytest-textual-snapshot): the main screen, an article with quotes, the
quote ledger and the accession board."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from natoread.ui.app import NatoreadApp
from natoread.ui.screens.board import AccessionBoardScreen
from tests.ui.factory import NOW, beyond_config, build_beyond_store
from tests.ui.helpers import AppFactory, main_screen, settle_redraws, wait_until

SnapCompare = Callable[..., bool]
SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((160, 48), id="160x48")]


@pytest.mark.parametrize("size", SIZES)
def test_main_screen(snap_compare: SnapCompare, make_app: AppFactory, size: Any) -> None:
    assert snap_compare(make_app(), terminal_size=size)


@pytest.mark.parametrize("size", SIZES)
def test_article_with_quotes_and_terms(
    snap_compare: SnapCompare, make_app: AppFactory, size: Any
) -> None:
    async def open_first(pilot: Pilot[Any]) -> None:
        await pilot.press("enter")
        await settle_redraws(pilot)  # the debounced sidebar recount ran: the counts are final

    assert snap_compare(make_app(), terminal_size=size, run_before=open_first)


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
