"""How fast the machine is running right now: a line benchmarks print first and last.

This VM's speed drifts: the same fixed loop took 194–307 ms in three runs a few seconds apart,
and whole benchmarks moved by ±30% from one hour to the next. The loop's time before and after
a benchmark says whether its figures come from a fast or a slow stretch; only figures taken
at about the same reference are comparable.
"""

from __future__ import annotations

import time


def reference_ms(rounds: int = 5) -> float:
    """The fastest of `rounds` runs of a fixed loop (summing 10 million integers), in ms."""
    best = float("inf")
    for _ in range(rounds):
        started = time.process_time()
        sum(range(10_000_000))
        best = min(best, time.process_time() - started)
    return 1000 * best


def speed_line(when: str = "before") -> str:
    """The line benchmarks print: the reference loop's time on this machine now."""
    return (
        f"machine reference ({when}): {reference_ms():.0f} ms to sum 10M integers on one core"
        " (lower is faster)"
    )
