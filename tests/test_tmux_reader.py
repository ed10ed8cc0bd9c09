"""The installed reader in a real 80×24 terminal (tmux): an opened article's first screen is
mostly its body — at least 14 lines, as Newsboat shows 13 — and still the article at 60×20."""

from __future__ import annotations

import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests import demo, feedgen
from tests.conftest import natoread_env, write_config
from tests.feedserver import FeedServer
from tests.test_tmux_e2e import NATOREAD, Tmux

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")
RULE = "─" * 20


def body_lines(screen: str) -> list[str]:
    """The lines of article text on a reader screen: after the header's rule, before the
    quotes summary and the status line."""
    lines = screen.splitlines()
    start = next(i for i, line in enumerate(lines) if RULE in line) + 1
    body = []
    for line in lines[start:]:
        if line.lstrip().startswith("❝") or line.lstrip().startswith("last poll"):
            break
        body.append(line)
    return [line for line in body if line.strip()]


def small_reader(screen: str) -> bool:
    """True when the screen is the reader redrawn at 60×20 (its header rule that wide)."""
    lines = screen.splitlines()
    return "ANKARA" in screen and any(line.strip() == "─" * 57 for line in lines[:5])


@pytest.fixture(scope="module")
def demo_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, Path]]:
    """A config of the demo feeds and a store the installed command fetched them into, once
    for the module (the feeds stay served: a reader may poll them)."""
    root = tmp_path_factory.mktemp("demo-store")
    server = FeedServer()
    try:
        config = write_config(root, feedgen.config_toml(demo.serve(server)))
        data = root / "data"
        fetched = subprocess.run(
            [NATOREAD, "--config", str(config), "--data-dir", str(data), "fetch"],
            capture_output=True,
            text=True,
            timeout=120,
            env=natoread_env(),
        )
        assert fetched.returncode == 0, fetched.stderr
        yield config, data
    finally:
        server.close()


@pytest.fixture
def polled(demo_store: tuple[Path, Path], tmp_path: Path) -> str:
    """The command line of a reader over its own copy of the demo store (a reader marks
    what it opens read: no test sees another's marks)."""
    config, template = demo_store
    data = tmp_path / "data"
    shutil.copytree(template, data)
    return f"{NATOREAD} --config {config} --data-dir {data}"


def test_the_first_screen_of_an_article_at_80x24_is_its_body(polled: str, tmp_path: Path) -> None:
    status = tmp_path / "status"
    tmux = Tmux(tmp_path / "tmux.sock", 80, 24, f"{polled}; echo $? > {status}")
    try:
        tmux.wait_for(lambda s: "Turkey's parliament" in s)
        tmux.keys("g", "Enter")
        screen = tmux.wait_for(lambda s: "Alliance Wire ·" in s and "ANKARA" in s)
        lines = screen.splitlines()
        assert lines[0].strip().startswith("Turkey's parliament ratifies")
        assert "Alliance Wire ·" in lines[1]  # one title line, one meta line
        assert "Why it matched" not in screen and "https://" not in screen
        body = body_lines(screen)
        assert len(body) >= 14, screen
        assert body[0].strip().startswith("ANKARA, Turkey (AP)")
        assert "❝ 7 quotes (Q shows them)" in screen
        # A smaller terminal: still the article, the title at most two lines.
        resize = ["resize-window", "-t", "e2e", "-x", "60", "-y", "20"]
        subprocess.run([*tmux.base, *resize], check=True)
        tmux.wait_for(lambda s: small_reader(s) and len(body_lines(s)) >= 9)
        tmux.keys("q")  # back to the list
        tmux.wait_for(lambda s: "Turkey's parliament" in s and "ANKARA" not in s)
        tmux.keys("q")
        tmux.wait_for(lambda s: status.exists(), timeout=10)
        assert status.read_text().strip() == "0"
    finally:
        tmux.kill()


def reader_pid(tmux: Tmux) -> int:
    """The reader's process: the pane's shell runs it as its only child."""
    shell = subprocess.run(
        [*tmux.base, "display-message", "-p", "-t", "e2e", "#{pane_pid}"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    children = Path(f"/proc/{shell}/task/{shell}/children").read_text().split()
    assert len(children) == 1
    return int(children[0])


def test_closing_the_terminal_while_the_reader_draws_ends_the_reader(
    polled: str, tmp_path: Path
) -> None:
    """A closed window or dropped SSH connection mid-redraw: the reader's output thread dies
    on the hung-up terminal, and the reader used to wait for it forever (2 runs in 3)."""
    for attempt in range(2):
        tmux = Tmux(tmp_path / f"tmux{attempt}.sock", 160, 48, f"{polled}; sleep 600")
        tmux.wait_for(lambda s: "Turkey's parliament" in s)
        reader = reader_pid(tmux)
        tmux.keys("g", "Enter")
        tmux.wait_for(lambda s: "ANKARA" in s)
        tmux.keys(*["J"] * 12)  # next articles: a stream of redraws as the terminal goes
        tmux.kill()
        deadline = time.monotonic() + 20
        while Path(f"/proc/{reader}").exists() and time.monotonic() < deadline:
            time.sleep(0.1)
        state = Path(f"/proc/{reader}/stat")
        assert not state.exists() or state.read_text().split()[2] == "Z", "the reader lives on"
