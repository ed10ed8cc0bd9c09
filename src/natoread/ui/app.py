"""The Textual app: opens the store, applies `[keys]`, shows the main screen."""

from __future__ import annotations

import gc
from collections.abc import Callable
from pathlib import Path
from typing import ClassVar

from textual.app import App
from textual.command import Provider
from textual.screen import Screen

from natoread.core.config import Config
from natoread.core.store import Store
from natoread.ui.commands import NatoreadCommands
from natoread.ui.screens.main import MainScreen

SETTLE_S = 1.0
"""Seconds after start-up when the objects made so far are exempted from garbage collection."""


class NatoreadApp(App[int]):
    """A keyboard-driven reader for NATO alliance news."""

    CSS_PATH = Path(__file__).with_name("natoread.tcss")
    TITLE = "natoread"
    COMMANDS: ClassVar[set[type[Provider] | Callable[[], type[Provider]]]] = App.COMMANDS | {
        NatoreadCommands
    }
    ENABLE_COMMAND_PALETTE = True

    def __init__(self, config: Config, db_path: Path, *, autopoll: bool = True) -> None:
        super().__init__()
        self.config = config
        self.db_path = db_path
        self.autopoll = autopoll
        self.store = Store(db_path)

    def get_default_screen(self) -> Screen[None]:
        """The main screen, handed the config and the store."""
        return MainScreen(self.config, self.store, self.db_path, autopoll=self.autopoll)

    def on_mount(self) -> None:
        self.set_keymap(dict(self.config.keys))
        # Start-up leaves ~70,000 long-lived objects (modules, widgets, styles), and every
        # full garbage collection walked them all: a 40-60 ms stall in the middle of a key
        # press now and then. Once the screen has settled they are frozen (never collected),
        # so later collections only walk the objects made since.
        self.set_timer(SETTLE_S, gc.freeze)

    def on_unmount(self) -> None:
        gc.unfreeze()
        self.store.close()


def run_app(config: Config, db_path: Path) -> int:
    """Run the reader until the user quits; returns the exit code."""
    app = NatoreadApp(config, db_path)
    result = app.run()
    return int(result or app.return_code or 0)
