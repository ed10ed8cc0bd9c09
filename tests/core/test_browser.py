"""Opening links: hostile URLs are refused, good ones go out as one argv element or get copied."""

from __future__ import annotations

import base64
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest

from natoread.core.system import browser
from natoread.core.system.browser import (
    LinkPlan,
    browser_argv,
    env_browser_argv,
    is_terminal_browser,
    local_browser_plausible,
    osc52_sequence,
    plan_link,
    run_in_foreground,
    start_detached,
    tmux_without_its_variable,
)

DESKTOP = {"DISPLAY": ":0"}
OVER_SSH = {"DISPLAY": ":0", "SSH_CONNECTION": "10.0.0.1 5555 10.0.0.2 22"}


def fake_which(*installed: str) -> Callable[[str], str | None]:
    """A `which` that finds only `installed` (by name, under /usr/bin)."""
    return lambda name: f"/usr/bin/{name}" if name in installed else None


def plan(url: str | None, env: dict[str, str], *installed: str) -> LinkPlan | None:
    return plan_link(url, env=env, platform="linux", which=fake_which(*installed))


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
        None,
    ],
)
def test_unsafe_links_get_no_plan(url: str | None) -> None:
    assert plan(url, {"BROWSER": "firefox", **DESKTOP}, "firefox", "xdg-open") is None


def test_the_desktop_opener_gets_the_link_as_one_argv_element() -> None:
    url = "https://e.com/$(id)"
    assert plan(url, DESKTOP, "xdg-open") == LinkPlan("detached", url, ("/usr/bin/xdg-open", url))


@pytest.mark.parametrize("env", [OVER_SSH, {}], ids=["over-ssh", "no-display"])
def test_without_a_local_display_the_link_is_copied(env: dict[str, str]) -> None:
    assert plan("https://e.com/a", env, "xdg-open") == LinkPlan("copy", "https://e.com/a")


def test_without_an_opener_the_link_is_copied() -> None:
    assert plan("https://e.com/a", DESKTOP) == LinkPlan("copy", "https://e.com/a")


def test_browser_env_wins_even_over_ssh_and_a_terminal_browser_runs_in_front() -> None:
    found = plan("https://e.com/a", {**OVER_SSH, "BROWSER": "w3m"}, "w3m", "xdg-open")
    assert found == LinkPlan("terminal", "https://e.com/a", ("/usr/bin/w3m", "https://e.com/a"))
    gui = plan("https://e.com/a", {**DESKTOP, "BROWSER": "firefox --new-tab"}, "firefox")
    assert gui is not None and gui.how == "detached"
    assert gui.argv == ("/usr/bin/firefox", "--new-tab", "https://e.com/a")
    assert gui.program == "firefox"


def test_browser_env_takes_the_first_installed_command_and_fills_percent_s() -> None:
    env = {"BROWSER": "nosuch:lynx -dump=%s -nocolor:w3m"}
    found = plan("https://e.com/a?b=1", env, "lynx", "w3m")
    assert found is not None and found.how == "terminal"
    assert found.argv == ("/usr/bin/lynx", "-dump=https://e.com/a?b=1", "-nocolor")


def test_an_uninstalled_browser_env_falls_back_and_is_named() -> None:
    found = plan("https://e.com/a", {"BROWSER": "nosuch"}, "xdg-open")
    assert found == LinkPlan("copy", "https://e.com/a", (), "nosuch")
    assert env_browser_argv("'unbalanced", "https://e.com/", fake_which("x")) is None


def test_a_terminal_browser_is_known_by_its_name() -> None:
    assert is_terminal_browser(["/opt/bin/elinks"]) and is_terminal_browser(["lynx"])
    assert not is_terminal_browser(["/usr/bin/firefox"])


def test_a_failed_launch_is_one_line() -> None:
    def broken(argv: Sequence[str]) -> None:
        raise FileNotFoundError(2, "No such file or directory")

    message = start_detached(
        LinkPlan("detached", "https://e.com/", ("/x/ff", "https://e.com/")), broken
    )
    assert message == "Could not start ff: No such file or directory"


def test_a_terminal_browser_runs_on_this_terminal_and_its_failure_is_said(tmp_path: Path) -> None:
    out = tmp_path / "argv.txt"
    script = "import sys, pathlib; pathlib.Path(sys.argv[2]).write_text(sys.argv[1]); sys.exit(3)"
    argv = [sys.executable, "-c", script, "https://e.com/$(id)", str(out)]
    problem = run_in_foreground(argv)
    assert out.read_text() == "https://e.com/$(id)"
    assert problem == f"{Path(sys.executable).name} exited with status 3"


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


def test_tmux_without_its_variable_is_an_ssh_session_from_inside_tmux() -> None:
    assert tmux_without_its_variable({"TERM": "tmux-256color"})
    assert tmux_without_its_variable({"TERM": "screen-256color"})
    assert not tmux_without_its_variable({"TERM": "tmux-256color", "TMUX": "/tmp/t,1,0"})
    assert not tmux_without_its_variable({"TERM": "xterm-256color"})
