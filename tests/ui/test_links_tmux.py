"""Links in a real terminal (tmux, the installed `natoread`): a terminal browser from $BROWSER
takes the terminal while the reader waits, then the reader comes back; `y` reaches tmux's
buffer with tmux's default settings, and with `set-clipboard on` through OSC 52 alone."""

from __future__ import annotations

import json
import shlex
import stat
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from tests import feedgen
from tests.conftest import write_config
from tests.feedserver import FeedServer
from tests.test_tmux_e2e import NATOREAD, Tmux, pytestmark, tmux_factory

__all__ = ["pytestmark", "tmux_factory"]


def reader_shown(screen: str) -> bool:
    """The reader's list is on screen, its first poll done."""
    return "Nov 20" in screen and "last poll" in screen and "last poll never" not in screen


def fake_w3m(tmp_path: Path) -> tuple[Path, Path]:
    """A real executable named w3m: writes its argv, shows the link, waits for Enter."""
    log = tmp_path / "w3m.argv.json"
    program = tmp_path / "bin" / "w3m"
    program.parent.mkdir()
    program.write_text(
        f"#!{sys.executable}\nimport json, sys\n"
        f"open({str(log)!r}, 'w').write(json.dumps(sys.argv[1:]))\n"
        "print('FAKE W3M SHOWING', sys.argv[1], flush=True)\ninput()\n"
    )
    program.chmod(program.stat().st_mode | stat.S_IXUSR)
    return program, log


def start_reader(
    server: FeedServer, tmp_path: Path, tmux_factory: Callable[[int, int, str], Tmux], env: str
) -> Tmux:
    items = [
        feedgen.Item(
            title=f"Allies debate NATO accession, day {n}",
            body="<p>NATO membership vote in parliament.</p>",
            guid=f"day-{n}",
            link=f"https://news.example/accession/day-{n}",
            published=feedgen.BASE_TIME,
        )
        for n in range(3)
    ]
    url = server.add("/accession.xml", feedgen.rss(items, title="Wire"))
    config = write_config(tmp_path, feedgen.config_toml([url]))
    command = f"{env} {NATOREAD} --config {config} --data-dir {tmp_path / 'data'}"
    tmux = tmux_factory(100, 30, command)
    tmux.wait_for(reader_shown)
    tmux.keys("g")
    return tmux


def buffer(tmux: Tmux) -> str:
    shown = subprocess.run([*tmux.base, "show-buffer"], capture_output=True, text=True)
    return shown.stdout


def wait_for_buffer(tmux: Tmux, expected: str) -> None:
    deadline = time.monotonic() + 10
    while buffer(tmux) != expected and time.monotonic() < deadline:
        time.sleep(0.1)
    assert buffer(tmux) == expected


def test_a_terminal_browser_runs_in_front_and_y_reaches_tmux_by_default(
    server: FeedServer, tmp_path: Path, tmux_factory: Callable[[int, int, str], Tmux]
) -> None:
    program, log = fake_w3m(tmp_path)
    tmux = start_reader(server, tmp_path, tmux_factory, f"env BROWSER={shlex.quote(str(program))}")
    tmux.keys("o")
    screen = tmux.wait_for(lambda s: "FAKE W3M SHOWING https://" in s)
    assert not reader_shown(screen)  # the reader gave the terminal away
    (link,) = json.loads(log.read_text())
    tmux.keys("Enter")  # leave the browser: the reader is back
    tmux.wait_for(reader_shown)
    assert tmux.alive()
    # tmux's default set-clipboard is "external": the copy goes through tmux itself.
    tmux.keys("y")
    wait_for_buffer(tmux, link)
    # The notice shows the whole link (wrapped in the toast), not only its host.
    tmux.wait_for(lambda s: "Copied" in s and link in s)
    tmux.keys("q")


def test_y_reaches_tmux_through_osc52_when_set_clipboard_is_on(
    server: FeedServer, tmp_path: Path, tmux_factory: Callable[[int, int, str], Tmux]
) -> None:
    # Without $TMUX (as on a host reached over SSH from a tmux pane) only OSC 52 can copy;
    # tmux takes it once the user sets the option the notice names.
    tmux = start_reader(server, tmp_path, tmux_factory, "env -u TMUX")
    subprocess.run([*tmux.base, "set-option", "-g", "set-clipboard", "on"], check=True)
    tmux.keys("y")
    tmux.wait_for(lambda s: "Copied" in s and "set-clipboard" in s)
    deadline = time.monotonic() + 10
    while not buffer(tmux).startswith("https://") and time.monotonic() < deadline:
        time.sleep(0.1)
    assert buffer(tmux).startswith("https://")
    tmux.keys("q")
