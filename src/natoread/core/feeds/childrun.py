"""Run untrusted-input work in a child Python process under a time and memory limit.

Some third-party code (feedparser on malformed feeds, trafilatura on hostile pages) can run
for minutes on one document, and a thread cannot be stopped. A child process can: it gets
the document on stdin, writes its answer to stdout, and is killed when its time is up.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Sequence

CHILD_MEMORY_LIMIT = 1 << 30


class ChildTimeout(Exception):
    """The child did not finish within its time limit (it has been killed)."""


class ChildFailed(Exception):
    """The child exited with an error; the message is its exit status and last stderr line."""

    def __init__(self, returncode: int, stderr: bytes) -> None:
        lines = stderr.decode("utf-8", errors="replace").strip().splitlines()
        self.returncode = returncode
        self.last_line = lines[-1] if lines else ""
        super().__init__(f"exit status {returncode}: {self.last_line}")


def run_child(module: str, data: bytes, timeout_s: float, args: Sequence[str] = ()) -> bytes:
    """Run `python -m module *args` with `data` on stdin and return its stdout.

    Blocking: call it from a thread (`asyncio.to_thread`), never on an event loop. Raises
    `ChildTimeout` after `timeout_s` seconds and `ChildFailed` on a non-zero exit.
    """
    try:
        completed = subprocess.run(
            [sys.executable, "-m", module, *args],
            input=data,
            capture_output=True,
            timeout=timeout_s,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise ChildTimeout(f"{module} gave up after {timeout_s:g} s") from None
    if completed.returncode != 0:
        raise ChildFailed(completed.returncode, completed.stderr)
    return completed.stdout


def limit_child_memory(limit: int = CHILD_MEMORY_LIMIT) -> None:
    """In a child: cap the address space so a hostile document cannot exhaust memory."""
    try:
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    except (ImportError, ValueError, OSError):
        pass
