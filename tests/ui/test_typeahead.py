"""Keys typed faster than the reader draws (a fast typist, a paste, a slow SSH link deliver
them together) reach what the keys before them opened: the dialog, the search box, the
confirmation, never the list as commands."""

from __future__ import annotations

from pathlib import Path

from textual import events

from natoread.ui.app import NatoreadApp
from natoread.ui.widgets.status_bar import status_content
from tests.ui.helpers import AppFactory, main_screen, settle_writes, wait_until
from tests.ui.test_triage import flags

NAMES = {"/": "slash", "\r": "enter", " ": "space"}


def type_ahead(app: NatoreadApp, text: str) -> None:
    """Hand `text` to the app all at once, the way the terminal driver does with keys that
    arrive in one read."""
    for character in text:
        app.post_message(events.Key(NAMES.get(character, character), character))


async def test_a_tag_then_a_search_typed_in_one_go(make_app: AppFactory, db_path: Path) -> None:
    app = make_app()
    async with app.run_test(size=(160, 40)) as pilot:
        screen = main_screen(pilot)
        first = screen.article_list.ids[0]
        # "r", "u", "t" and "e" are commands of the list: typed after `/` they must land in
        # the search box, and "later" in the tag dialog `t` opens.
        type_ahead(app, "tlater\r/rutte\r")
        await wait_until(pilot, lambda: "search “rutte”" in status_content(screen.status).plain)
        await settle_writes(pilot)
        status = status_content(screen.status).plain
        assert "search “rutte”" in status
        assert "undone" not in status and "polling" not in status
        assert flags(db_path)[first][2] == ("later",)
        assert screen.polls.progress is None


async def test_a_bulk_mark_and_its_confirmation_typed_in_one_go(
    make_app: AppFactory, db_path: Path
) -> None:
    app = make_app()
    async with app.run_test(size=(160, 40)) as pilot:
        listed = main_screen(pilot).article_list.ids
        type_ahead(app, "M1y")  # mark the list: read, yes
        await wait_until(pilot, lambda: all(flags(db_path)[i][0] for i in listed))
        assert type(app.screen).__name__ == "MainScreen"


async def test_moves_typed_ahead_are_each_taken(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(160, 40)) as pilot:
        article_list = main_screen(pilot).article_list
        type_ahead(app, "jjjk")
        await wait_until(pilot, lambda: article_list.cursor == 2)
        await pilot.pause()
        assert article_list.cursor == 2
