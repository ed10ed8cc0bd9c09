"""Layout snapshots (pytest-textual-snapshot): the main screen and an article with quotes."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from textual.pilot import Pilot

from tests.ui.helpers import AppFactory

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
        await pilot.pause(0.8)  # past the debounced sidebar recount, so the counts are final

    assert snap_compare(make_app(), terminal_size=size, run_before=open_first)
