"""An opt-in timeline of a poll pass: when each stage starts and ends, in which process.

Set `NATOREAD_TIMELINE=FILE` and every process of the pass (the command, its ingest workers)
appends one JSON line per stage to FILE: `{"pid", "stage", "start", "end", "cpu_start",
"cpu", ...}`, times in seconds since the epoch (comparable across processes), `cpu_start`
and `cpu` the process's CPU seconds (all its threads) at the stage's start and end. It shows
where a pass waits rather than works: a stage whose wall time is much longer than its CPU
time, a gap while a worker starts, a stage that runs after another instead of beside it.
`benchmarks/bench_vs_newsboat.py --timeline` prints it as a table.

When the variable is unset, `span` hands back one shared no-op context manager and `mark`
returns at once: the pass pays a function call per stage, nothing more.
"""

from __future__ import annotations

import atexit
import contextlib
import json
import os
import time
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

ENV = "NATOREAD_TIMELINE"
_PATH = os.environ.get(ENV) or None
_NOTHING = contextlib.nullcontext()
T = TypeVar("T")


def enabled() -> bool:
    """True when this process records a timeline."""
    return _PATH is not None


_started_pids: set[int] = set()
_last_end = 0.0


def _process_started() -> float | None:
    """When this process started (Linux: /proc, to the clock tick), or None elsewhere."""
    try:
        with open("/proc/self/stat", encoding="ascii") as stat:
            ticks = int(stat.read().rpartition(")")[2].split()[19])
        with open("/proc/uptime", encoding="ascii") as uptime:
            since_boot = float(uptime.read().split()[0])
    except (OSError, ValueError, IndexError):
        return None
    return time.time() - (since_boot - ticks / os.sysconf("SC_CLK_TCK"))


def _write(stage: str, start: float, end: float, details: dict[str, object]) -> None:
    global _last_end
    _last_end = max(_last_end, end)
    pid = os.getpid()
    if pid not in _started_pids:
        # The first line of each process says when it started and, at exit, when it ended:
        # the gaps around the stages are interpreter start-up, imports and shutdown.
        _started_pids.add(pid)
        born = _process_started()
        if born is not None:
            first_cpu = details.get("cpu_start", time.process_time())
            _write("process start → first stage", born, start, {"cpu_start": 0.0, "cpu": first_cpu})
        atexit.register(lambda: _write("last stage → exit", _last_end, time.time(), {}))
    line = {
        "pid": os.getpid(),
        "stage": stage,
        "start": round(start, 6),
        "end": round(end, 6),
        "cpu": round(time.process_time(), 6),
        **details,
    }
    assert _PATH is not None
    # One write() of one short line with O_APPEND: lines of several processes never mix.
    fd = os.open(_PATH, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        os.write(fd, (json.dumps(line) + "\n").encode())
    finally:
        os.close(fd)


def mark(stage: str, **details: object) -> None:
    """Record an instant (a stage that starts and ends at once)."""
    if _PATH is None:
        return
    now = time.time()
    _write(stage, now, now, details)


@contextlib.contextmanager
def _span(stage: str, details: dict[str, object]) -> Iterator[None]:
    start, cpu_start = time.time(), time.process_time()
    try:
        yield
    finally:
        _write(stage, start, time.time(), {"cpu_start": round(cpu_start, 6), **details})


def span(stage: str, **details: object) -> contextlib.AbstractContextManager[Any]:
    """A context manager that records `stage` from entry to exit."""
    if _PATH is None:
        return _NOTHING
    return _span(stage, details)


def timed(stage: str, func: Callable[..., T], *args: Any) -> T:
    """`func(*args)` recorded as `stage`: a process-pool task that records where it ran."""
    with span(stage):
        return func(*args)
