"""`o` and `y` in the reader: $BROWSER (a real executable), the fallback to the clipboard with
the full link shown, and tmux's own buffer with tmux's default settings."""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from natoread.core.system.browser import TMUX_CLIPBOARD_OPTION
from tests.ui.helpers import AppFactory, capture_notifications, press, wait_until

WIDE = (160, 40)
LINK = "https://defence.example/vilnius"


@pytest.fixture(autouse=True)
def no_browser_no_tmux(monkeypatch: pytest.MonkeyPatch) -> None:
    """Neither the runner's $BROWSER nor its tmux may leak into the tests."""
    for name in ("BROWSER", "TMUX", "TMUX_PANE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("TERM", "xterm-256color")


def fake_browser(tmp_path: Path, name: str) -> tuple[Path, Path]:
    """A real executable called `name` that writes its argv (as JSON) to a file."""
    log = tmp_path / f"{name}.argv.json"
    program = tmp_path / "bin" / name
    program.parent.mkdir(exist_ok=True)
    program.write_text(
        f"#!{sys.executable}\nimport json, sys\n"
        f"open({str(log)!r}, 'w').write(json.dumps(sys.argv[1:]))\n"
    )
    program.chmod(program.stat().st_mode | stat.S_IXUSR)
    return program, log


async def test_o_starts_the_browser_named_in_BROWSER(
    make_app: AppFactory, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    program, log = fake_browser(tmp_path, "fakefox")
    monkeypatch.setenv("BROWSER", f"nosuch-browser:{program} --new-tab %s")
    app = make_app()
    messages = capture_notifications(app)
    async with app.run_test(size=WIDE) as pilot:
        await press(pilot, "o")
        await wait_until(pilot, lambda: log.exists() and bool(log.read_text()))
    assert json.loads(log.read_text()) == ["--new-tab", LINK]
    assert f"Opened {LINK} in fakefox" in messages
    assert app.clipboard == ""


async def test_o_without_any_browser_copies_and_shows_the_full_link(
    make_app: AppFactory,
) -> None:
    app = make_app()
    messages = capture_notifications(app)
    async with app.run_test(size=WIDE) as pilot:
        await press(pilot, "o")
    assert app.clipboard == LINK
    assert messages == [f"No browser here (set $BROWSER, e.g. w3m): copied {LINK}"]


async def test_o_names_a_BROWSER_that_is_not_installed(
    make_app: AppFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BROWSER", "no-such-browser-here")
    app = make_app()
    messages = capture_notifications(app)
    async with app.run_test(size=WIDE) as pilot:
        await press(pilot, "o")
    assert app.clipboard == LINK
    assert messages == [f"$BROWSER (no-such-browser-here) is not installed here: copied {LINK}"]


async def test_y_shows_the_full_link(make_app: AppFactory) -> None:
    app = make_app()
    messages = capture_notifications(app)
    async with app.run_test(size=WIDE) as pilot:
        await press(pilot, "y")
    assert app.clipboard == LINK
    assert messages == [f"Copied {LINK}"]


async def test_y_from_ssh_inside_tmux_names_the_tmux_option(
    make_app: AppFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    # TERM says tmux but $TMUX is unset: natoread runs on another host, reached over SSH
    # from a tmux pane; only the option lets its OSC 52 through that tmux.
    monkeypatch.setenv("TERM", "tmux-256color")
    app = make_app()
    messages = capture_notifications(app)
    async with app.run_test(size=WIDE) as pilot:
        await press(pilot, "y")
    assert messages == [f"Copied {LINK} (inside tmux? it needs: {TMUX_CLIPBOARD_OPTION})"]


@pytest.fixture
def tmux_server(tmp_path: Path) -> Iterator[list[str]]:
    """A private tmux server with default options; yields the argv prefix that reaches it."""
    if shutil.which("tmux") is None:
        pytest.skip("tmux is not installed")
    socket = tmp_path / "tmux.sock"
    base = ["tmux", "-S", str(socket)]
    subprocess.run(
        [*base, "-f", "/dev/null", "new-session", "-d", "-s", "links", "sleep 600"], check=True
    )
    yield base
    subprocess.run([*base, "kill-server"], capture_output=True, check=False)


async def test_y_inside_tmux_with_default_settings_reaches_tmux(
    make_app: AppFactory, tmux_server: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    clipboard = subprocess.run(
        [*tmux_server, "show-options", "-g", "set-clipboard"], capture_output=True, text=True
    )
    assert clipboard.stdout.split() == ["set-clipboard", "external"]  # tmux's default
    pid = subprocess.run(
        [*tmux_server, "display-message", "-p", "#{pid}"], capture_output=True, text=True
    ).stdout.strip()
    monkeypatch.setenv("TMUX", f"{tmux_server[2]},{pid},0")
    monkeypatch.setenv("TERM", "tmux-256color")
    app = make_app()
    messages = capture_notifications(app)
    async with app.run_test(size=WIDE) as pilot:
        await press(pilot, "y")
    shown = subprocess.run([*tmux_server, "show-buffer"], capture_output=True, text=True)
    assert shown.stdout == LINK
    assert messages == [f"Copied {LINK}"]
    assert os.environ["TMUX"].startswith(tmux_server[2])
