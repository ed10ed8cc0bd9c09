"""Helpers for driving the app in Pilot tests."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from textual.pilot import Pilot

from natoread.ui.app import NatoreadApp
from natoread.ui.screens.main import MainScreen

AppFactory = Callable[..., NatoreadApp]


def main_screen(pilot: Pilot[Any]) -> MainScreen:
    """The app's main screen."""
    for screen in pilot.app.screen_stack:
        if isinstance(screen, MainScreen):
            return screen
    raise AssertionError("no main screen")


async def wait_until(
    pilot: Pilot[Any], condition: Callable[[], bool], timeout: float = 10.0
) -> None:
    """Let the app run until `condition()` holds (or fail after `timeout` seconds)."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            screen = main_screen(pilot)
            raise AssertionError(
                f"condition not reached in time (polling={screen.polls.progress}, "
                f"new={screen.polls.new_articles}, workers={list(pilot.app.workers)})"
            )
        await pilot.pause(0.05)


async def press(pilot: Pilot[Any], *keys: str) -> None:
    """Press keys and let the app settle after each (their store writes included)."""
    for key in keys:
        await pilot.press(key)
        await pilot.pause()
    await settle_writes(pilot)


async def settle_writes(pilot: Pilot[Any]) -> None:
    """Wait until the star/read writes under way have ended and their outcome is handled."""
    for _ in range(20):  # a write that ends starts the next one when changes came meanwhile
        writers = [w for w in pilot.app.workers if w.group == "writes" and not w.is_finished]
        if not writers:
            return
        await pilot.app.workers.wait_for_complete(writers)
        await pilot.pause()


async def palette_highlights(pilot: Pilot[Any], text: str) -> None:
    """Wait until the command palette has gathered its hits and highlights one showing `text`."""
    from textual.command import CommandList, CommandPalette

    def shown() -> bool:
        palette = pilot.app.screen
        if not isinstance(palette, CommandPalette):
            return False
        if any(w.node is palette and not w.is_finished for w in pilot.app.workers):
            return False
        hits = palette.query_one(CommandList)
        index = hits.highlighted
        return index is not None and text in str(hits.get_option_at_index(index).prompt)

    await wait_until(pilot, shown)


async def settle_redraws(pilot: Pilot[Any]) -> None:
    """Wait until the debounced redraws (sidebar recount, list reload) have run."""
    screen = main_screen(pilot)
    await wait_until(pilot, lambda: not screen.debounce.pending)
    await pilot.pause()


def list_lines(pilot: Pilot[Any]) -> list[str]:
    """The visible text of the article list, one string per row."""
    articles = main_screen(pilot).article_list
    return [articles.render_line(y).text.rstrip() for y in range(min(articles.size.height, 40))]


def capture_notifications(app: NatoreadApp) -> list[str]:
    """Record the text of every notification the app shows (and check none uses markup)."""
    messages: list[str] = []
    original = app.notify

    def notify(message: str, **kwargs: Any) -> None:
        assert kwargs.get("markup") is False, f"notification with markup: {message!r}"
        messages.append(message)
        original(message, **kwargs)

    app.notify = notify  # type: ignore[method-assign]
    return messages
