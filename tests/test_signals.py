"""SIGTERM and SIGHUP end the reader cleanly: the terminal is given back as it was found."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.conftest import write_config
from tests.test_tmux_e2e import NATOREAD, Tmux

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")


@pytest.fixture
def terminal(tmp_path: Path) -> Iterator[Callable[[str], Tmux]]:
    """Start a command in a 100×30 tmux pane (the server is killed afterwards)."""
    sessions: list[Tmux] = []

    def start(command: str) -> Tmux:
        sessions.append(Tmux(tmp_path / "tmux.sock", 100, 30, command))
        return sessions[-1]

    yield start
    for session in sessions:
        session.kill()


def pane(tmux: Tmux, variable: str) -> str:
    """A tmux format variable of the pane (`#{alternate_on}`, …)."""
    return subprocess.run(
        [*tmux.base, "display-message", "-p", "-t", "e2e", f"#{{{variable}}}"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()


def wait_for(condition: Callable[[], bool], what: str, timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"never happened: {what}")
        time.sleep(0.1)


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP])
def test_a_signal_restores_the_terminal(
    tmp_path: Path, terminal: Callable[[str], Tmux], signum: signal.Signals
) -> None:
    config = write_config(tmp_path, "")
    data = tmp_path / "data"
    # The shell stays after the reader, to report its status and the terminal's line mode.
    command = (
        f"{NATOREAD} --config {config} --data-dir {data}; echo exit=$?;"
        " stty -a | tr ' ' '\\n' | grep -x -- '-\\?icanon'; sleep 600"
    )
    tmux = terminal(command)
    wait_for(lambda: pane(tmux, "alternate_on") == "1", "the reader took the screen")
    wait_for(lambda: pane(tmux, "mouse_any_flag") == "1", "the reader asked for the mouse")
    tmux.wait_for(lambda s: "feeds.toml" in s or "No feeds" in s)
    shell = int(pane(tmux, "pane_pid"))
    children = Path(f"/proc/{shell}/task/{shell}/children").read_text().split()
    assert len(children) == 1
    reader = int(children[0])

    os.kill(reader, signum)
    screen = tmux.wait_for(lambda s: "exit=" in s and "icanon" in s)
    assert f"exit={128 + signum}" in screen
    assert "Traceback" not in screen
    lines = screen.splitlines()
    assert "icanon" in lines and "-icanon" not in lines  # cooked mode again
    assert pane(tmux, "alternate_on") == "0"
    assert pane(tmux, "mouse_any_flag") == "0"
    assert not Path(f"/proc/{reader}").exists()
