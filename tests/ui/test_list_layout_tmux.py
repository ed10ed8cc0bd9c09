"""The article list in a real terminal (tmux): emoji sequences in feed and article titles
never shift a row, whatever width tmux gives them; undated articles come last."""

from __future__ import annotations

import shutil
import subprocess
import time
import unicodedata
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from tests import feedgen
from tests.conftest import NATOREAD, natoread_env, write_config
from tests.feedserver import FeedServer

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")

TITLES = (
    "☁️ Storm ⚠️ warning as NATO ships leave port",
    "Family 👨‍👩‍👧 reunited 👍🏽 after NATO exercise",
    "🇺🇦🇸🇪 flags and keycaps 1️⃣ at the NATO summit",
    "北大西洋条約機構の首脳会議 NATO 首脳会議が開かれた",
)
BORDER = "▏"
"""The list pane's right edge (a `vkey` border) in the three-pane layout."""


def terminal_width(text: str) -> int:
    """Cells tmux gives `text` as capture-pane returns it (wcwidth-style)."""
    return sum(
        0
        if unicodedata.category(char) in ("Mn", "Me", "Cf")
        else 2
        if unicodedata.east_asian_width(char) in "WF"
        else 1
        for char in text
    )


@pytest.fixture
def tmux(tmp_path: Path) -> Iterator[Callable[..., str]]:
    """Run a command in a detached tmux session on its own socket; yields `capture`."""
    socket = tmp_path / "tmux.sock"
    base = ["tmux", "-S", str(socket), "-f", "/dev/null"]

    def start(width: int, height: int, command: str) -> str:
        env = {k: v for k, v in natoread_env().items() if k not in ("COLUMNS", "LINES")}
        env.update(TERM="xterm-256color", LANG="C.UTF-8")
        size = ["-x", str(width), "-y", str(height)]
        subprocess.run(
            [*base, "-u", "new-session", "-d", "-s", "t", *size, command], check=True, env=env
        )
        return ""

    def capture(*keys: str) -> str:
        if keys:
            subprocess.run([*base, "send-keys", "-t", "t", *keys], check=True)
        return subprocess.run(
            [*base, "capture-pane", "-p", "-t", "t"], capture_output=True, text=True, check=False
        ).stdout

    def run(width: int = 0, height: int = 0, command: str = "", *keys: str) -> str:
        return start(width, height, command) if command else capture(*keys)

    yield run
    subprocess.run([*base, "kill-server"], capture_output=True, check=False)


def wait_for(capture: Callable[..., str], predicate: Callable[[str], bool]) -> str:
    deadline = time.monotonic() + 20
    screen = ""
    while time.monotonic() < deadline:
        screen = capture()
        if predicate(screen):
            return screen
        time.sleep(0.2)
    raise AssertionError(f"screen never matched:\n{screen}")


def test_emoji_rows_line_up_in_tmux(
    server: FeedServer, tmp_path: Path, tmux: Callable[..., str]
) -> None:
    entries = [
        feedgen.Item(
            title,
            "<p>NATO allies met.</p>",
            guid=f"e{n}",
            link=f"https://news.example/{n}",
            published=feedgen.BASE_TIME - timedelta(hours=n),
        )
        for n, title in enumerate(TITLES)
    ]
    entries.append(feedgen.Item("Undated NATO note", "<p>NATO.</p>", guid="undated"))
    entries.append(
        feedgen.Item(
            "NATO archive from 2017",
            "<p>NATO.</p>",
            guid="old",
            published=feedgen.BASE_TIME.replace(year=2017),
        )
    )
    url = server.add("/weather.xml", feedgen.rss(entries, title="☁️ Wetter ⚠️ Dienst"))
    config = write_config(tmp_path, feedgen.config_toml([url]))
    command = f"{NATOREAD} --config {config} --data-dir {tmp_path / 'data'}"
    tmux(160, 30, command)
    screen = wait_for(tmux, lambda s: "archive from 2017" in s and "Undated" in s)
    rows = [line for line in screen.splitlines() if BORDER in line]
    assert len(rows) > 10
    # Where tmux put the list's right edge: the same cell on every line, emoji or not.
    edges = {terminal_width(line[: line.index(BORDER)]) for line in rows}
    assert len(edges) == 1, screen
    listed = [line for line in rows if "NATO" in line]
    assert "Undated NATO note" in listed[-1]  # after every dated article
    assert any("Wetter" in line and "'17 " in line for line in listed)  # the year shown
    # Every title line is as wide as the terminal; none wrapped onto the next.
    assert all(terminal_width(line) <= 160 for line in screen.splitlines())
