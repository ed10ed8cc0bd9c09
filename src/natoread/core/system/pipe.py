"""Handing an article to the user's own command (`pipe_command` in feeds.toml; the reader's
`|`): the command's argv, never a shell, reads the article as Markdown on its stdin.

The command runs on the user's terminal (stdout and stderr inherited), so a pager or a
Markdown viewer (`less`, `glow -`) works as well as a filter that saves or sends the text
(`tee -a ~/clips.md`); the reader suspends itself around the call. The command's name is
resolved on PATH as any program is; the text is whatever `articles_markdown` made of the
article, sanitised already, written as UTF-8.
"""

from __future__ import annotations

import shlex
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import PurePath

from natoread.core.text.sanitize import clean_line


@dataclass(frozen=True, slots=True)
class PipeResult:
    """How a piped command ended: None, or the problem as one line."""

    problem: str | None
    returncode: int | None = None


def pipe_argv(value: str | Sequence[str]) -> list[str]:
    """A configured `pipe_command` as argv: a list as written, or a string split as a shell
    would split words (quotes kept together) without ever running a shell. Raises
    ValueError with the reason when it names no command."""
    if isinstance(value, str):
        try:
            argv = shlex.split(value)
        except ValueError as exc:
            raise ValueError(f"cannot split {value!r} into words: {exc}") from None
    else:
        argv = [str(word) for word in value]
    if not argv or not argv[0].strip():
        raise ValueError('names no command; e.g. pipe_command = ["less", "-R"]')
    return argv


def run_pipe(
    argv: Sequence[str], text: str, *, timeout_s: float | None = None, capture: bool = False
) -> PipeResult:
    """Run `argv` with `text` on its stdin until it exits (or `timeout_s` passes).

    With `capture` the command's output is swallowed rather than drawn on the terminal (for
    commands that only store the text). A command that exits without reading all of its
    input (`head -n 3`) has not failed.
    """
    name = clean_line(PurePath(argv[0]).name, 60) if argv else ""
    if not argv:
        return PipeResult("no command to pipe to")
    output = subprocess.DEVNULL if capture else None
    try:
        process = subprocess.Popen(
            list(argv), stdin=subprocess.PIPE, stdout=output, stderr=output, shell=False
        )
    except OSError as exc:
        reason = "not found" if isinstance(exc, FileNotFoundError) else (exc.strerror or exc)
        return PipeResult(f"cannot run {name}: {clean_line(str(reason), 120)}")
    try:
        process.communicate(text.encode("utf-8"), timeout=timeout_s)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
        return PipeResult(f"{name} did not finish within {timeout_s:g} s and was stopped")
    except BrokenPipeError:
        process.wait()  # it stopped reading: what it did with the part it read is its own
    if process.returncode:
        return PipeResult(f"{name} exited with status {process.returncode}", process.returncode)
    return PipeResult(None, 0)


def pipe_text(
    value: str | Sequence[str], text: str, *, timeout_s: float | None = None, capture: bool = False
) -> PipeResult:
    """`run_pipe` of a configured `pipe_command` (a problem with the setting is the result's)."""
    try:
        argv = pipe_argv(value)
    except ValueError as exc:
        return PipeResult(f"pipe_command {exc}")
    return run_pipe(argv, text, timeout_s=timeout_s, capture=capture)
