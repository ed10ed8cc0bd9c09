"""Keys typed ahead reach what the keys before them opened.

Textual hands a typed key to the widget focused when the key arrives, and runs a key's
binding only once the key has travelled up from that widget to the app. So keys typed right
after one that opens a dialog or moves the focus (`t`, `/`, `M`, …) went to the list as
commands: typing "/russia" fast, over SSH or from a paste, polled (`r`), undid the last
change (`u`) and opened the tag dialog (`t`) instead of searching.

The gate lets one key through at a time: the next is delivered once the previous has been
handled all the way up, and whatever it opened has mounted and taken the focus. Characters
typed into a focused text box skip the wait (they cannot move the focus), so a fast typist
fills a search box at full speed.
"""

from __future__ import annotations

from collections import deque
from typing import TYPE_CHECKING, Any

from textual import events
from textual.screen import Screen
from textual.widgets import Input

if TYPE_CHECKING:
    from textual.app import App
    from textual.message_pump import MessagePump
    from textual.timer import Timer

STUCK_S = 1.0
"""A safety net: a key whose journey cannot be followed (its widget went away meanwhile)
stops holding the keys after it once this long has passed."""
SETTLE_ROUNDS = 8
"""Rounds through the app's message queues at most before the next key goes anyway (a key's
effects take one to three: its binding, the dialog it answers, the screen it opens)."""


class KeyGate:
    """Holds typed keys while the one before them is still taking effect.

    Nothing is held, and nothing waited for, while keys come one by one onto a settled app:
    the wait starts only when a key arrives before the effects of the one before it are done.
    """

    def __init__(self, app: App[Any]) -> None:
        self._app = app
        self._held: deque[events.Key] = deque()
        self._last: events.Key | None = None  # the key delivered last, until it took effect
        self._waiting = False
        self._passing: events.Key | None = None
        self._stuck: Timer | None = None

    def admit(self, key: events.Key) -> bool:
        """Whether a key that just arrived from the terminal may be delivered now."""
        if key is self._passing:
            self._passing = None
            return True
        if not self._held and (self._last is None or self._settled()):
            return True
        self._held.append(key)
        if self._last is not None and not self._waiting:
            self._wait_for(self._last)
        return False

    def delivered(self, key: events.Key) -> None:
        """`key` was handed on (to the focused widget, or run as a priority binding)."""
        if isinstance(self._app.focused, Input) and key.is_printable:
            self._last = None  # typing into a box: the focus stays where it is
            self._next()
            return
        self._last = key
        if self._held:
            self._wait_for(key)

    def _settled(self) -> bool:
        """Nothing is waiting to be handled, and the active screen has its focus."""
        screen = self._app.screen
        if screen.focused is None and screen.focus_chain:
            return False
        return not any(_pending(node) for node in self._nodes())

    def _wait_for(self, key: events.Key) -> None:
        self._waiting = True
        if self._stuck is not None:
            self._stuck.stop()
        self._stuck = self._app.set_timer(STUCK_S, lambda: self._release(key))
        self._barrier(key, SETTLE_ROUNDS)

    def _barrier(self, key: events.Key, rounds: int) -> None:
        """Queue a callback behind every message the app and its screen hold; when all have
        run, everything they were handling or holding when the round began is done."""
        nodes = self._nodes()
        left = len(nodes)
        quiet_at_start = not any(_pending(node) for node in nodes)

        def arrived() -> None:
            nonlocal left
            left -= 1
            if left == 0:
                self._round_done(key, rounds, quiet_at_start)

        for node in nodes:
            if not node.call_later(arrived):
                left -= 1  # a closing widget: nothing more will be handled there
        if left == 0:
            self._round_done(key, rounds, quiet_at_start)

    def _round_done(self, key: events.Key, rounds: int, quiet_at_start: bool) -> None:
        """The key's effects may have set off more (a dialog's answer, a screen to mount, a
        focus to move): go round again until a round begins and ends with nothing to handle.
        (A message being handled is in no queue: only a round's callbacks wait for it.)"""
        if key is not self._last:
            return
        screen = self._app.screen
        if rounds <= 1 or (quiet_at_start and self._settled()):
            self._release(key)
        elif getattr(screen, "_callbacks", None):
            # Work waiting for the next repaint, which a timer brings: wait for it too.
            if not screen.call_after_refresh(self._barrier, key, rounds - 1):
                self._release(key)
        else:
            self._barrier(key, rounds - 1)

    def _nodes(self) -> list[MessagePump]:
        """The app and the active screen with its widgets: where a key's effects happen."""
        return [self._app, *self._app.screen.walk_children(with_self=True)]

    def _release(self, key: events.Key) -> None:
        """The key has taken effect: let the next held key through."""
        if key is not self._last:
            return
        self._last = None
        self._waiting = False
        self._next()

    def _next(self) -> None:
        if self._held:
            self._passing = self._held.popleft()
            self._app.post_message(self._passing)


def _pending(node: MessagePump) -> int:
    """Messages waiting at `node`, and callbacks it runs once idle or repainted (Textual's
    `call_next`, which pops a dismissed dialog's screen, and a screen's `call_after_refresh`,
    which moves the focus to a search box just shown). Wake-up prompts, which carry no work,
    are not counted. These queues are Textual's own: read defensively, so that a Textual
    without them only makes the gate wait longer."""
    queued = getattr(node._message_queue, "values", None)
    if queued is None:
        waiting = node.message_queue_size
    else:
        waiting = sum(1 for message in queued if not message.no_dispatch)
    waiting += len(getattr(node, "_next_callbacks", ()))
    if isinstance(node, Screen):
        waiting += len(getattr(node, "_callbacks", ()))
    return waiting
