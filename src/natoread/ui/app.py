"""The Textual app: opens the store, applies `[keys]`, shows the main screen."""

from __future__ import annotations

import asyncio
import gc
import os
import signal
import termios
import threading
from collections.abc import Callable, Mapping
from contextlib import suppress
from pathlib import Path
from typing import ClassVar

from textual import events
from textual.actions import ActionParseResult
from textual.app import App
from textual.command import Provider
from textual.dom import DOMNode
from textual.screen import Screen

from natoread.core.config import Config
from natoread.core.storage.store import Store
from natoread.ui.commands import NatoreadCommands
from natoread.ui.screens.main import MainScreen
from natoread.ui.store_writes import READER_BUSY_MS, STORE_FAILURES
from natoread.ui.typeahead import KeyGate

EXIT_SIGNALS = (signal.SIGTERM, signal.SIGHUP)
"""Signals that make the reader quit cleanly (the terminal restored)."""
SETTLE_S = 1.0
"""Seconds after start-up when the objects made so far are exempted from garbage collection."""
EXIT_GRACE_S = 5.0
"""After a signal, the seconds a stuck shutdown gets before the process ends regardless."""


def terminal_gone(fd: int) -> bool:
    """Whether `fd`'s terminal has hung up (closed window, dropped SSH): its ioctls fail."""
    try:
        termios.tcgetattr(fd)
    except (termios.error, OSError):
        return True
    return False


def detach_from_terminal() -> None:
    """Point stdin, stdout and stderr at /dev/null.

    Textual's output thread dies on the first write to a hung-up terminal, and the app's
    next writes then wait forever for it: a reader left running after its window closed.
    With the terminal gone there is nothing to restore, so its writes go nowhere instead.
    """
    null = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(null, fd)
    os.close(null)


def exit_regardless_after(seconds: float, return_code: int) -> None:
    """End the process if a clean shutdown has not finished within `seconds`."""
    timer = threading.Timer(seconds, os._exit, args=(return_code,))
    timer.daemon = True
    timer.start()


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
        self.store = Store(db_path, busy_timeout_ms=READER_BUSY_MS)
        self._key_gate = KeyGate(self)

    def get_default_screen(self) -> Screen[None]:
        """The main screen, handed the config and the store."""
        return MainScreen(self.config, self.store, self.db_path, autopoll=self.autopoll)

    def on_mount(self) -> None:
        self.set_keymap(dict(self.config.keys))
        # Start-up leaves ~70,000 long-lived objects (modules, widgets, styles), and every
        # full garbage collection walked them all: a visible stall in the middle of a key
        # press now and then. Once the screen has settled they are frozen (never collected),
        # so later collections only walk the objects made since.
        self.set_timer(SETTLE_S, gc.freeze)
        # A terminal closed (SIGHUP) or a `kill` (SIGTERM) would end the process at once,
        # leaving the terminal raw, on the alternate screen, reporting the mouse: instead
        # the app exits as if the user quit, and its driver restores the terminal.
        loop = asyncio.get_running_loop()
        for signum in EXIT_SIGNALS:
            with suppress(NotImplementedError, RuntimeError, ValueError):  # not main thread
                loop.add_signal_handler(signum, self._exit_on_signal, signum)

    def _exit_on_signal(self, signum: int) -> None:
        """Quit normally, with the shell's status for death by that signal."""
        return_code = 128 + signum
        if not self.is_web and terminal_gone(2):
            # Written now, before any shutdown step can wait on the dead terminal.
            for screen in self.screen_stack:
                if isinstance(screen, MainScreen):
                    screen.keeper.flush_on_exit()
            detach_from_terminal()
        # The output thread may have died before this handler ran; the store is safe
        # (every write is a transaction), so a stuck shutdown must not keep the process.
        exit_regardless_after(EXIT_GRACE_S, return_code)
        self.exit(return_code=return_code)

    async def on_event(self, event: events.Event) -> None:
        """Typed keys and pastes go through the gate (`typeahead.py`): each reaches what the
        keys before it opened."""
        if isinstance(event, events.Key | events.Paste) and not event.is_forwarded:
            if not self._key_gate.admit(event):
                return
            await super().on_event(event)
            self._key_gate.delivered(event)
            return
        await super().on_event(event)

    async def run_action(
        self,
        action: str | ActionParseResult,
        default_namespace: DOMNode | None = None,
        namespaces: Mapping[str, DOMNode] | None = None,
    ) -> bool:
        """Run a key's action; a store that fails it becomes a status-line message."""
        try:
            return await super().run_action(action, default_namespace, namespaces)
        except STORE_FAILURES as exc:
            for screen in self.screen_stack:
                if isinstance(screen, MainScreen):
                    screen.store_failed(exc)
            return True

    def on_unmount(self) -> None:
        with suppress(NotImplementedError, RuntimeError, ValueError):
            loop = asyncio.get_running_loop()
            for signum in EXIT_SIGNALS:
                loop.remove_signal_handler(signum)
        gc.unfreeze()
        self.store.close()


def run_app(config: Config, db_path: Path) -> int:
    """Run the reader until the user quits; returns the exit code."""
    if config.sync is not None:  # the server's feeds are the feed list
        from natoread.core.sync.feeds import with_server_feeds

        config = with_server_feeds(config, db_path)
    app = NatoreadApp(config, db_path)
    result = app.run()
    return int(result or app.return_code or 0)
