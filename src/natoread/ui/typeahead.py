"""Keys typed ahead reach what the keys before them opened.

Textual hands a typed key to the widget focused when the key arrives, and runs a key's
binding only once the key has travelled up from that widget to the app. So keys typed right
after one that opens a dialog or moves the focus (`t`, `/`, `M`, …) went to the list as
commands: typing "/russia" fast, over SSH or from a paste, polled (`r`), undid the last
change (`u`) and opened the tag dialog (`t`) instead of searching.

The gate holds the keys that arrive while such a key is still taking effect, and lets them
through one by one once it has: handled all the way up, and whatever it opened mounted and
focused. Keys after an action that stays in place (`j`, `k`, space, `s`: the registry's
`in_place`) and characters typed into a text box never wait, so key repeat and fast typing
run at full speed.
"""

from __future__ import annotations

from collections import deque
from typing import TYPE_CHECKING, Any

from textual import events
from textual.screen import Screen
from textual.widgets import Input

from natoread.core.actions import ACTIONS

if TYPE_CHECKING:
    from textual.app import App
    from textual.message_pump import MessagePump
    from textual.timer import Timer

Typed = events.Key | events.Paste
IN_PLACE = frozenset(action.name for action in ACTIONS if action.in_place)
"""Binding ids (registry names) of the actions keys typed after need not wait for."""
STUCK_S = 1.0
"""The longest a key holds the keys after it: a key whose effects never settle (an app busy
with a poll's stream of progress messages) lets them go after this long."""
SETTLE_ROUNDS = 40
"""Rounds through the app's queues at most (opening a dialog takes about six, one per hop of
the key up the widget tree and per focus move)."""


class KeyGate:
    """Holds typed keys while the one before them is still taking effect."""

    def __init__(self, app: App[Any]) -> None:
        self._app = app
        self._held: deque[Typed] = deque()
        self._last: Typed | None = None  # the key delivered last, until it took effect
        self._screen: Screen[Any] | None = None  # the active screen when it was delivered
        self._waiting = False
        self._passing: Typed | None = None
        self._stuck: Timer | None = None

    def admit(self, typed: Typed) -> bool:
        """Whether a key (or paste) just arrived from the terminal may be delivered now."""
        if typed is self._passing:
            self._passing = None
            return True
        nothing_waits = not self._held and self._passing is None
        if nothing_waits and (self._last is None or self._settled()):
            self._last = None
            return True
        self._held.append(typed)
        if self._last is not None and not self._waiting:
            self._wait_for(self._last)
        return False

    def delivered(self, typed: Typed) -> None:
        """`typed` was handed on (to the focused widget, or run as a priority binding)."""
        if self._stays_in_place(typed):
            self._last = None
            self._next()
            return
        self._last = typed
        self._screen = self._app.screen
        if self._held:
            self._wait_for(typed)

    def _stays_in_place(self, typed: Typed) -> bool:
        """Characters and pastes into a text box, and keys bound to an in-place action."""
        if isinstance(typed, events.Paste):
            return True
        if isinstance(self._app.focused, Input) and typed.is_printable:
            return True
        bound = self._app.active_bindings.get(typed.key)
        return bound is not None and bound.binding.id in IN_PLACE

    def _settled(self) -> bool:
        """Nothing is waiting to be handled, and a screen opened since has its focus."""
        screen = self._app.screen
        if screen is not self._screen and screen.focused is None and screen.focus_chain:
            return False
        return not any(_pending(node) for node in self._nodes())

    def _wait_for(self, typed: Typed) -> None:
        self._waiting = True
        if self._stuck is not None:
            self._stuck.stop()
        self._stuck = self._app.set_timer(STUCK_S, lambda: self._release(typed))
        self._barrier(typed, SETTLE_ROUNDS)

    def _barrier(self, typed: Typed, rounds: int) -> None:
        """Queue a callback behind every message the app and its screen hold; when all have
        run, everything they were handling or holding when the round began is done."""
        nodes = self._nodes()
        left = len(nodes)
        quiet_at_start = not any(_pending(node) for node in nodes)

        def arrived() -> None:
            nonlocal left
            left -= 1
            if left == 0:
                self._round_done(typed, rounds, quiet_at_start)

        for node in nodes:
            if not node.call_later(arrived):
                left -= 1  # a closing widget: nothing more will be handled there
        if left == 0:
            self._round_done(typed, rounds, quiet_at_start)

    def _round_done(self, typed: Typed, rounds: int, quiet_at_start: bool) -> None:
        """The key's effects may have set off more (a dialog's answer, a screen to mount, a
        focus to move): go round again until a round begins and ends with nothing to handle.
        (A message being handled is in no queue: only a round's callbacks wait for it.)"""
        if typed is not self._last:
            return
        screen = self._app.screen
        if rounds <= 1 or (quiet_at_start and self._settled()):
            self._release(typed)
        elif getattr(screen, "_callbacks", None):
            # Work waiting for the next repaint, which a timer brings: wait for it too.
            if not screen.call_after_refresh(self._barrier, typed, rounds - 1):
                self._release(typed)
        else:
            self._barrier(typed, rounds - 1)

    def _nodes(self) -> list[MessagePump]:
        """The app and the active screen with its widgets: where a key's effects happen."""
        return [self._app, *self._app.screen.walk_children(with_self=True)]

    def _release(self, typed: Typed) -> None:
        """The key has taken effect: let the next held key through."""
        if typed is not self._last:
            return
        self._last = None
        self._waiting = False
        self._next()

    def _next(self) -> None:
        """Hand the first held key back to the app, which admits it ahead of the others."""
        if self._held and self._passing is None:
            self._passing = self._held.popleft()
            if not self._app.post_message(self._passing):
                self._passing = None  # the app is closing: the held keys go with it
                self._held.clear()


def _pending(node: MessagePump) -> int:
    """Messages waiting at `node`, and callbacks it runs once idle or repainted (Textual's
    `call_next`, which pops a dismissed dialog's screen, and a screen's `call_after_refresh`,
    which moves the focus to a search box just shown). Wake-up prompts and the end-of-queue
    mark of a closing widget carry no work. These queues are Textual's own (a test checks
    that the installed Textual has them)."""
    queued = getattr(node._message_queue, "values", None)
    if queued is None:
        waiting = node.message_queue_size
    else:
        waiting = sum(1 for message in queued if message is not None and not message.no_dispatch)
    waiting += len(getattr(node, "_next_callbacks", ()))
    if isinstance(node, Screen):
        waiting += len(getattr(node, "_callbacks", ()))
    return waiting
