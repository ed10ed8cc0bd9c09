"""Opening links: hostile URLs are refused, good ones go out as one argv element or get copied."""

from __future__ import annotations

import base64
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

import pytest

from natoread.core.system import browser
from natoread.core.system.browser import (
    browser_argv,
    local_browser_plausible,
    open_link,
    osc52_sequence,
)

DESKTOP = {"DISPLAY": ":0"}
OVER_SSH = {"DISPLAY": ":0", "SSH_CONNECTION": "10.0.0.1 5555 10.0.0.2 22"}


def fake_which(name: str) -> str | None:
    """Pretend only xdg-open is installed."""
    return "/usr/bin/xdg-open" if name == "xdg-open" else None


class Recorder:
    """Collects launched argv lists and copied texts."""

    def __init__(self) -> None:
        self.launched: list[list[str]] = []
        self.copied: list[str] = []

    def launch(self, argv: Sequence[str]) -> None:
        self.launched.append(list(argv))

    def copy(self, text: str) -> None:
        self.copied.append(text)

    def open(self, url: str, env: dict[str, str], platform: str = "linux") -> str:
        return open_link(
            url, copy=self.copy, env=env, platform=platform, which=fake_which, launch=self.launch
        )


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "file:///etc/passwd",
        "data:text/html,<script>alert(1)</script>",
        "--remote-debugging-port=9222",
        "-https://e.com/",
        "https://e.com/\x1b]52;c;ZXZpbA==\x07",
        " https://e.com/",
        "",
    ],
)
def test_open_link_refuses_unsafe_urls(url: str) -> None:
    recorder = Recorder()
    message = recorder.open(url, DESKTOP)
    assert message.startswith("not opened")
    assert recorder.launched == [] and recorder.copied == []


def test_open_link_refuses_none() -> None:
    assert open_link(None).startswith("not opened")


def test_open_link_passes_shell_syntax_as_one_argv_element() -> None:
    recorder = Recorder()
    url = "https://e.com/$(id)"
    message = recorder.open(url, DESKTOP)
    assert recorder.launched == [["/usr/bin/xdg-open", url]]
    assert "e.com" in message and "opened" in message


def test_open_link_over_ssh_copies_instead() -> None:
    recorder = Recorder()
    message = recorder.open("https://e.com/a", OVER_SSH)
    assert recorder.launched == []
    assert recorder.copied == ["https://e.com/a"]
    assert "copied" in message


def test_open_link_without_display_copies() -> None:
    recorder = Recorder()
    recorder.open("https://e.com/a", {})
    assert recorder.launched == [] and recorder.copied == ["https://e.com/a"]


def test_open_link_without_opener_copies() -> None:
    recorder = Recorder()
    message = open_link(
        "https://e.com/a",
        copy=recorder.copy,
        env=DESKTOP,
        platform="linux",
        which=lambda name: None,
        launch=recorder.launch,
    )
    assert recorder.launched == [] and "copied" in message


def test_open_link_reports_launch_failure() -> None:
    def broken(argv: Sequence[str]) -> None:
        raise FileNotFoundError(2, "No such file or directory")

    message = open_link(
        "https://e.com/", env=DESKTOP, platform="linux", which=fake_which, launch=broken
    )
    assert "could not start" in message


def test_local_browser_plausible() -> None:
    assert local_browser_plausible({"WAYLAND_DISPLAY": "wayland-0"}, "linux")
    assert local_browser_plausible({}, "darwin")
    assert not local_browser_plausible({"SSH_TTY": "/dev/pts/1"}, "darwin")
    assert not local_browser_plausible({}, "linux")


def test_browser_argv_macos_and_gio() -> None:
    assert browser_argv("https://e.com/", "darwin", lambda n: "/usr/bin/open") == [
        "open",
        "https://e.com/",
    ]
    gio = browser_argv("https://e.com/", "linux", lambda n: "/bin/gio" if n == "gio" else None)
    assert gio == ["/bin/gio", "open", "https://e.com/"]


def test_spawn_never_uses_a_shell(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: dict[str, object] = {}

    class FakePopen:
        def __init__(self, argv: list[str], **kwargs: object) -> None:
            seen["argv"] = argv
            seen.update(kwargs)

    monkeypatch.setattr(subprocess, "Popen", FakePopen)
    browser._spawn(["/usr/bin/xdg-open", "https://e.com/$(id)"])
    assert seen["argv"] == ["/usr/bin/xdg-open", "https://e.com/$(id)"]
    assert seen["shell"] is False


def test_spawn_runs_a_real_program_without_a_shell(tmp_path: Path) -> None:
    # A real child writes its argv[1]: `$(id)` must arrive verbatim, so no shell expanded it.
    out = tmp_path / "argv.txt"
    script = "import sys, pathlib; pathlib.Path(sys.argv[2]).write_text(sys.argv[1])"
    browser._spawn([sys.executable, "-c", script, "https://e.com/$(id)", str(out)])
    deadline = time.monotonic() + 10
    while not (out.exists() and out.read_text()) and time.monotonic() < deadline:
        time.sleep(0.02)
    assert out.read_text() == "https://e.com/$(id)"


def test_osc52_sequence_round_trips() -> None:
    sequence = osc52_sequence("https://e.com/ä")
    assert sequence.startswith("\x1b]52;c;") and sequence.endswith("\x07")
    payload = sequence[len("\x1b]52;c;") : -1]
    assert base64.b64decode(payload).decode("utf-8") == "https://e.com/ä"


def test_osc52_sequence_for_tmux_wraps_in_passthrough() -> None:
    sequence = osc52_sequence("x", tmux=True)
    assert sequence.startswith("\x1bPtmux;\x1b\x1b]52;c;") and sequence.endswith("\x1b\\")
