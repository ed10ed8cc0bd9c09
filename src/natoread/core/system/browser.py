"""Where an article link goes: the user's $BROWSER, the desktop opener, or the clipboard.

Links come from feeds, so they are hostile: only `safe_url` links (http/https, no controls,
no leading '-') are ever launched, always as one argv element and never through a shell.
This module decides (`plan_link`) and starts detached programs; running a terminal browser in
the foreground needs the reader suspended, which the UI does (`natoread.ui.links`).

The clipboard: OSC 52 reaches the terminal's clipboard, but tmux with its default
`set-clipboard external` drops an application's OSC 52 (and, since tmux 3.3, its
passthrough too unless `allow-passthrough` is on). Inside tmux the link is therefore also
handed to tmux itself (`tmux load-buffer -w -`), which stores it as a paste buffer and, with
the default setting, forwards it to the outer terminal's clipboard.
"""

from __future__ import annotations

import base64
import os
import shlex
import shutil
import subprocess
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import PurePath
from typing import Literal
from urllib.parse import urlsplit

from natoread.core.text.sanitize import clean_line, safe_url

Launcher = Callable[[Sequence[str]], None]
"""Starts a program from an argv list (never a shell)."""
Which = Callable[[str], str | None]

TERMINAL_BROWSERS = frozenset(
    {"w3m", "lynx", "links", "links2", "elinks", "browsh", "carbonyl", "chawan", "cha"}
)
"""Browsers that draw in the terminal: they run in the foreground while the reader waits."""
TMUX_CLIPBOARD_OPTION = "set -g set-clipboard on"
"""The one tmux setting that lets an application's OSC 52 reach the clipboard."""
TMUX_TIMEOUT_S = 5


def _spawn(argv: Sequence[str]) -> None:
    """Start `argv` detached from the terminal, with no shell and no inherited stdio."""
    subprocess.Popen(
        list(argv),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
        shell=False,
    )


def local_browser_plausible(env: Mapping[str, str], platform: str) -> bool:
    """True when a browser would open on the user's screen (not over SSH, a display exists)."""
    if env.get("SSH_CONNECTION") or env.get("SSH_TTY") or env.get("SSH_CLIENT"):
        return False
    if platform == "darwin" or platform.startswith("win"):
        return True
    return bool(env.get("DISPLAY") or env.get("WAYLAND_DISPLAY"))


def browser_argv(url: str, platform: str, which: Which) -> list[str] | None:
    """The argv of the desktop opener for `url`, or None when none is installed."""
    if platform == "darwin":
        return ["open", url] if which("open") else None
    if platform.startswith("win"):
        return None
    for opener in ("xdg-open", "gio", "sensible-browser"):
        path = which(opener)
        if path:
            return [path, "open", url] if opener == "gio" else [path, url]
    return None


def env_browser_argv(value: str, url: str, which: Which) -> list[str] | None:
    """The argv for `url` from $BROWSER: the first installed of its colon-separated commands,
    "%s" in an argument replaced by the URL, or the URL appended when none has "%s"."""
    for entry in value.split(os.pathsep):
        try:
            words = shlex.split(entry)
        except ValueError:
            continue
        if not words:
            continue
        program = which(words[0])
        if program is None:
            continue
        args = [word.replace("%s", url) for word in words[1:]]
        if not any("%s" in word for word in words[1:]):
            args.append(url)
        return [program, *args]
    return None


def is_terminal_browser(argv: Sequence[str]) -> bool:
    """True when the program draws in the terminal (w3m, lynx, …)."""
    return PurePath(argv[0]).name in TERMINAL_BROWSERS


@dataclass(frozen=True, slots=True)
class LinkPlan:
    """How one link will be opened."""

    how: Literal["terminal", "detached", "webbrowser", "copy"]
    """terminal: run `argv` in the foreground (reader suspended); detached: start `argv` and
    return; webbrowser: Python's webbrowser module (macOS, Windows); copy: no browser here."""
    url: str
    argv: tuple[str, ...] = ()
    unusable_browser: str | None = None
    """$BROWSER, when it is set but none of its programs is installed."""

    @property
    def program(self) -> str:
        """The browser's name as the user knows it (for messages)."""
        return clean_line(PurePath(self.argv[0]).name, 60) if self.argv else "the browser"


def plan_link(
    url: str | None,
    *,
    env: Mapping[str, str] | None = None,
    platform: str | None = None,
    which: Which = shutil.which,
) -> LinkPlan | None:
    """How to open `url`: $BROWSER when set (a terminal browser in the foreground, another
    detached), else the desktop opener when a display is at hand, else the clipboard.
    None when the link is not a plain http(s) URL."""
    checked = safe_url(url)
    if checked is None:
        return None
    env = os.environ if env is None else env
    platform = sys.platform if platform is None else platform
    unusable = None
    if value := env.get("BROWSER", "").strip():
        argv = env_browser_argv(value, checked, which)
        if argv is not None:
            how: Literal["terminal", "detached"] = (
                "terminal" if is_terminal_browser(argv) else "detached"
            )
            return LinkPlan(how, checked, tuple(argv))
        unusable = clean_line(value, 60)
    if local_browser_plausible(env, platform):
        argv = browser_argv(checked, platform, which)
        if argv is not None:
            return LinkPlan("detached", checked, tuple(argv), unusable)
        if "%" not in checked and not platform.startswith("linux"):
            return LinkPlan("webbrowser", checked, (), unusable)
    return LinkPlan("copy", checked, (), unusable)


def start_detached(plan: LinkPlan, launch: Launcher = _spawn) -> str:
    """Start a detached browser (or Python's webbrowser); returns the message for the user."""
    if plan.how == "webbrowser":
        import webbrowser

        try:
            if webbrowser.get().open(plan.url):
                return f"Opened {plan.url}"
        except webbrowser.Error:
            pass
        return f"Could not start a browser for {plan.url}"
    try:
        launch(plan.argv)
    except OSError as exc:
        return f"Could not start {plan.program}: {clean_line(str(exc.strerror or exc), 120)}"
    return f"Opened {plan.url} in {plan.program}"


def run_in_foreground(argv: Sequence[str]) -> str | None:
    """Run a terminal browser on this terminal until it exits; a problem as one line, or None."""
    name = clean_line(PurePath(argv[0]).name, 60)
    try:
        done = subprocess.run(list(argv), shell=False, check=False)
    except OSError as exc:
        return f"Could not start {name}: {clean_line(str(exc.strerror or exc), 120)}"
    if done.returncode:
        return f"{name} exited with status {done.returncode}"
    return None


def link_host(url: str) -> str:
    """The host of a URL, shown so the user knows where a link really goes."""
    return urlsplit(url).hostname or url


def osc52_sequence(text: str, *, tmux: bool = False) -> str:
    """The OSC 52 escape sequence that puts `text` on the terminal's clipboard."""
    payload = base64.b64encode(text.encode("utf-8")).decode("ascii")
    sequence = f"\x1b]52;c;{payload}\x07"
    if tmux:
        return "\x1bPtmux;" + sequence.replace("\x1b", "\x1b\x1b") + "\x1b\\"
    return sequence


def copy_into_tmux(
    text: str, env: Mapping[str, str] | None = None, which: Which = shutil.which
) -> bool | None:
    """Inside tmux, hand `text` to tmux: a paste buffer, forwarded to the outer terminal's
    clipboard (`load-buffer -w`, tmux 3.2+; older tmux keeps only the buffer).

    None when not inside tmux; else whether the clipboard was reached (False: buffer only
    or nothing, the user needs TMUX_CLIPBOARD_OPTION).
    """
    env = os.environ if env is None else env
    tmux = which("tmux") if env.get("TMUX") else None
    if tmux is None:
        return None
    for flags, reaches_clipboard in ((["-w"], True), ([], False)):
        try:
            done = subprocess.run(
                [tmux, "load-buffer", *flags, "-"],
                input=text.encode("utf-8"),
                shell=False,
                check=False,
                timeout=TMUX_TIMEOUT_S,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                env=dict(env),
            )
        except (OSError, subprocess.TimeoutExpired):
            return False
        if done.returncode == 0:
            return reaches_clipboard
    return False


def tmux_without_its_variable(env: Mapping[str, str] | None = None) -> bool:
    """True when the terminal is tmux (or screen) but $TMUX is not set — an SSH session
    started from inside tmux: only `set-clipboard on` there lets OSC 52 through."""
    env = os.environ if env is None else env
    term = env.get("TERM", "")
    return not env.get("TMUX") and term.startswith(("tmux", "screen"))
