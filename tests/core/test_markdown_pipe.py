"""Piping an article's Markdown to a real command (`core/system/pipe.py`): argv, no shell,
the text on stdin; a missing command, a failing one, one that stops reading, one that hangs."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from natoread.core.system.pipe import pipe_argv, pipe_text, run_pipe

TEXT = "# Title\n\n“**Quoted**” — Speaker\n\nÜnïcödé; $(touch pwned) `id` | tee x\n"


def test_the_command_reads_the_text_on_stdin(tmp_path: Path) -> None:
    out = tmp_path / "out.md"
    result = run_pipe(["tee", str(out)], TEXT, capture=True)
    assert result.problem is None and result.returncode == 0
    assert out.read_text(encoding="utf-8") == TEXT
    # No shell ever saw the text or the argv: nothing in them ran.
    assert not (tmp_path / "pwned").exists() and not Path("pwned").exists()


def test_a_configured_string_is_split_into_argv_without_a_shell(tmp_path: Path) -> None:
    out = tmp_path / "a file; echo pwned"
    result = pipe_text(f"tee '{out}'", TEXT, capture=True)
    assert result.problem is None
    assert out.read_text(encoding="utf-8") == TEXT
    assert pipe_argv(["glow", "-"]) == ["glow", "-"]
    assert pipe_argv('less -R "+/Quotes"') == ["less", "-R", "+/Quotes"]


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ("", "pipe_command names no command"),
        ("less 'unclosed", "pipe_command cannot split"),
        (["natoread-no-such-command-x"], "cannot run natoread-no-such-command-x: not found"),
        (["false"], "false exited with status 1"),
    ],
)
def test_problems_are_one_line(value: str | list[str], problem: str) -> None:
    result = pipe_text(value, TEXT, capture=True)
    assert result.problem is not None and result.problem.startswith(problem)
    assert "\n" not in result.problem


def test_a_command_that_stops_reading_has_not_failed() -> None:
    big = TEXT * 50_000  # more than a pipe buffer holds
    assert run_pipe(["head", "-c", "10"], big, capture=True).problem is None


def test_a_command_that_hangs_is_stopped_at_the_deadline() -> None:
    argv = [sys.executable, "-c", "import time; time.sleep(30)"]
    result = run_pipe(argv, TEXT, timeout_s=0.5, capture=True)
    assert result.problem is not None and "did not finish within 0.5 s" in result.problem
