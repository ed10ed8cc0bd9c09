"""Named one-shot timers that restart when asked again (debounced redraws)."""

from __future__ import annotations

from collections.abc import Callable

from textual.message_pump import MessagePump
from textual.timer import Timer


class Debouncer:
    """Runs a callback once after a delay; asking again under the same name restarts the wait.

    `pending` tells what is still waiting, so that tests wait on it instead of on the clock.
    """

    def __init__(self, owner: MessagePump) -> None:
        self._owner = owner
        self._timers: dict[str, Timer] = {}

    def later(self, name: str, delay: float, callback: Callable[[], object]) -> None:
        """Run `callback` once after `delay` seconds, unless asked again under `name` first."""
        if (timer := self._timers.pop(name, None)) is not None:
            timer.stop()

        def fire() -> object:
            self._timers.pop(name, None)
            return callback()

        self._timers[name] = self._owner.set_timer(delay, fire)

    @property
    def pending(self) -> tuple[str, ...]:
        """Names of the callbacks still waiting to run."""
        return tuple(self._timers)

    def cancel_all(self) -> None:
        """Drop every waiting callback."""
        for timer in self._timers.values():
            timer.stop()
        self._timers.clear()
