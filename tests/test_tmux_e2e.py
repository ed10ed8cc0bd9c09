"""Drive the installed `natoread` in a real terminal (tmux) against a loopback feed server."""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests import demo, feedgen
from tests.conftest import natoread_env, write_config
from tests.feedserver import FeedServer

NATOREAD = str(Path(sys.executable).parent / "natoread")
pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")


class Tmux:
    """One detached tmux session on its own socket."""

    def __init__(self, socket: Path, width: int, height: int, command: str) -> None:
        self.base = ["tmux", "-S", str(socket)]
        env = {k: v for k, v in natoread_env().items() if k not in ("COLUMNS", "LINES")}
        env["TERM"] = "xterm-256color"
        subprocess.run(
            [
                *self.base,
                "-f",
                "/dev/null",
                "new-session",
                "-d",
                "-s",
                "e2e",
                "-x",
                str(width),
                "-y",
                str(height),
                command,
            ],
            check=True,
            env=env,
        )

    def screen(self) -> str:
        return subprocess.run(
            [*self.base, "capture-pane", "-p", "-t", "e2e"],
            capture_output=True,
            text=True,
            check=False,
        ).stdout

    def keys(self, *keys: str) -> None:
        subprocess.run([*self.base, "send-keys", "-t", "e2e", *keys], check=True)

    def wait_for(self, predicate: Callable[[str], bool], timeout: float = 20) -> str:
        deadline = time.monotonic() + timeout
        screen = ""
        while time.monotonic() < deadline:
            screen = self.screen()
            if predicate(screen):
                return screen
            time.sleep(0.2)
        raise AssertionError(f"screen never matched:\n{screen}")

    def alive(self) -> bool:
        return (
            subprocess.run([*self.base, "has-session", "-t", "e2e"], capture_output=True).returncode
            == 0
        )

    def kill(self) -> None:
        subprocess.run([*self.base, "kill-server"], capture_output=True, check=False)


@pytest.fixture
def tmux_factory(tmp_path: Path) -> Iterator[Callable[[int, int, str], Tmux]]:
    sessions: list[Tmux] = []

    def make(width: int, height: int, command: str) -> Tmux:
        session = Tmux(tmp_path / "tmux.sock", width, height, command)
        sessions.append(session)
        return session

    yield make
    for session in sessions:
        session.kill()


@pytest.mark.parametrize(("width", "height"), [(80, 24), (160, 48)])
def test_reader_in_tmux(
    server: FeedServer,
    tmp_path: Path,
    tmux_factory: Callable[[int, int, str], Tmux],
    width: int,
    height: int,
) -> None:
    urls = demo.serve(server)
    config = write_config(tmp_path, feedgen.config_toml(urls))
    data = tmp_path / "data"
    status_file = tmp_path / "status"
    command = f"{NATOREAD} --config {config} --data-dir {data}; echo $? > {status_file}"
    tmux = tmux_factory(width, height, command)
    # Starts, polls the local server in the background, and lists the matching articles.
    try:
        screen = tmux.wait_for(lambda s: "Turkey's parliament" in s)
    except AssertionError as exc:  # say why a feed failed, if one did
        health = subprocess.run(
            [NATOREAD, "--config", str(config), "--data-dir", str(data), "feeds", "--json"],
            capture_output=True,
            text=True,
            timeout=60,
        )
        raise AssertionError(f"{exc}\nfeeds: {health.stdout}{health.stderr}") from None
    assert "Star Alliance" not in screen  # a hard negative is not in the matching view
    # Open the first article: its quotes and speakers are shown.
    tmux.keys("g", "Enter")
    screen = tmux.wait_for(lambda s: "Ulf Kristersson" in s)
    assert "Today is a good day" in screen
    for line in screen.splitlines():
        assert len(line) <= width
    # Back, then quit cleanly.
    tmux.keys("Escape")
    time.sleep(0.5)
    tmux.keys("q")
    deadline = time.monotonic() + 10
    while not status_file.exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert status_file.read_text().strip() == "0"


def test_hostile_feed_text_never_controls_the_terminal(
    server: FeedServer, tmp_path: Path, tmux_factory: Callable[[int, int, str], Tmux]
) -> None:
    hostile = [
        feedgen.Item(
            title="NATO summit &#27;]0;pwned&#7; &#27;[2J [bold red]FAKE[/] [@click=app.quit]x[/]",
            body="<p>NATO allies met. &#27;]52;c;ZXZpbA==&#7; &#155;2J</p>",
            guid="evil",
            link="javascript:alert(1)",
            published=feedgen.BASE_TIME,
        )
    ]
    url = server.add("/evil.xml", feedgen.rss(hostile).replace("&amp;#", "&#"))
    config = write_config(tmp_path, feedgen.config_toml([url]))
    command = f"{NATOREAD} --config {config} --data-dir {tmp_path / 'data'}"
    tmux = tmux_factory(160, 48, command)
    tmux.wait_for(lambda s: "[bold red]FAKE[/]" in s)
    tmux.keys("g", "Enter")
    screen = tmux.wait_for(lambda s: "NATO allies met." in s)
    assert "[@click=app.quit]x[/]" in screen
    title = subprocess.run(
        [*tmux.base, "display-message", "-p", "-t", "e2e", "#{pane_title}"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "pwned" not in title
    assert tmux.alive()
    tmux.keys("q")
