"""The reader's `/` search reports a query that cannot match on the status line, as
`natoread search` does (one validator: `natoread.core.query.check_query`)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.pilot import Pilot
from textual.widgets import Input

from natoread.ui.app import NatoreadApp
from natoread.ui.widgets.status_bar import StatusBar, status_content
from tests.ui.factory import beyond_config, build_beyond_store
from tests.ui.helpers import main_screen, press


def status_text(pilot: Pilot[Any]) -> str:
    """The main screen's status line as plain text."""
    return status_content(main_screen(pilot).query_one(StatusBar).state).plain


async def search_for(pilot: Pilot[Any], query: str) -> None:
    """Type a query into the `/` box, as a user does, and run it."""
    await press(pilot, "slash")
    box = main_screen(pilot).query_one("#search", Input)
    box.value = ""  # the box keeps a query that failed, for fixing it; start afresh
    await pilot.press(*query)
    await press(pilot, "enter")


async def test_queries_that_cannot_match_say_why_on_the_status_line(tmp_path: Path) -> None:
    path = tmp_path / "beyond.sqlite3"
    build_beyond_store(path)
    app = NatoreadApp(beyond_config(), path, autopoll=False)
    async with app.run_test(size=(120, 30)) as pilot:
        screen = main_screen(pilot)
        await search_for(pilot, "topic:accession")
        found = list(screen.article_list.ids)
        assert found and not status_text(pilot).startswith("✗")
        for query, expected in [
            ("topic:nosuch", "✗ search: topic:nosuch: unknown topic; known: alliance, accession"),
            ("speaker:", "✗ search: speaker: needs a value, e.g. speaker:Rutte"),
            ("nato is:foo", "✗ search: is:foo: expected one of unread, read, starred, matching"),
            ("feed:nowhere", "✗ search: feed:nowhere: unknown feed; known: "),
        ]:
            await search_for(pilot, query)
            line = status_text(pilot)
            assert line.startswith(expected), line
            assert "\n" not in line
            assert list(screen.article_list.ids) == found  # the list stays as it was
        await search_for(pilot, "feed:nordic")  # part of a feed's title is still fine
        assert not status_text(pilot).startswith("✗")
