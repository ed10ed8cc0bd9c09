"""Keys typed faster than the reader draws (a fast typist, a paste, a slow SSH link deliver
them together) reach what the keys before them opened: the dialog, the search box, the
confirmation, never the list as commands."""

from __future__ import annotations

from pathlib import Path

from textual import events
from textual.widgets import Input

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


async def test_key_repeat_on_a_move_never_waits(make_app: AppFactory) -> None:
    """Keys after an in-place action (the registry's `in_place`) are not held: holding `j`
    down runs at the terminal's key-repeat rate, not one key per repaint."""
    app = make_app()
    async with app.run_test(size=(160, 40)) as pilot:
        article_list = main_screen(pilot).article_list
        waits: list[object] = []
        gate = app._key_gate
        wait_for = gate._wait_for

        def counted(typed: events.Key | events.Paste) -> None:
            waits.append(typed)
            wait_for(typed)

        gate._wait_for = counted  # type: ignore[method-assign]
        type_ahead(app, "jjjjk")
        await wait_until(pilot, lambda: article_list.cursor == 3)
        await pilot.pause()
        assert article_list.cursor == 3
        assert waits == []


async def test_keys_keep_their_order_when_more_arrive_while_some_are_held(
    make_app: AppFactory,
) -> None:
    app = make_app()
    async with app.run_test(size=(160, 40)) as pilot:
        gate = app._key_gate
        next_key = gate._next
        arrived: list[str] = []

        def next_while_the_terminal_delivers() -> None:
            next_key()
            # the terminal's next read lands while the released key is on its way back
            if not arrived:
                arrived.append("c")
                type_ahead(app, "cd")

        gate._next = next_while_the_terminal_delivers  # type: ignore[method-assign]
        type_ahead(app, "/ab")
        box = main_screen(pilot).query_one("#search", Input)
        await wait_until(pilot, lambda: len(box.value) >= 4)
        await pilot.pause()
        assert box.value == "abcd"


async def test_a_paste_after_keys_typed_ahead_lands_in_the_box(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(160, 40)) as pilot:
        type_ahead(app, "/ab")
        app.post_message(events.Paste("cd"))
        box = main_screen(pilot).query_one("#search", Input)
        await wait_until(pilot, lambda: len(box.value) >= 4)
        assert box.value == "abcd"


def test_the_textual_internals_the_gate_reads_are_there() -> None:
    """The gate reads three of Textual's queues (`typeahead._pending`); a Textual that
    renames them would make every key wait, silently: this fails first."""
    from textual.app import App
    from textual.screen import Screen

    app = App[None]()
    assert hasattr(app._message_queue, "values")
    assert hasattr(app, "_next_callbacks")
    assert hasattr(Screen(), "_callbacks")
