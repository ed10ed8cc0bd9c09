"""The Textual app: opens the store, applies `[keys]`, shows the main screen."""

from __future__ import annotations

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

    def on_unmount(self) -> None:
        self.store.close()


def run_app(config: Config, db_path: Path) -> int:
    """Run the reader until the user quits; returns the exit code."""
    app = NatoreadApp(config, db_path)
    result = app.run()
    return int(result or app.return_code or 0)
