"""Open an article link in a local browser, or hand it to the clipboard when there is none.

Links come from feeds, so they are hostile: only `safe_url` links (http/https, no controls,
no leading '-') are ever launched, always as one argv element and never through a shell.
Over SSH or without a display the link goes to the terminal clipboard (OSC 52) instead.
"""

from __future__ import annotations

import base64
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Mapping, Sequence
from urllib.parse import urlsplit

from natoread.core.text.sanitize import safe_url

Launcher = Callable[[Sequence[str]], None]
"""Starts a program from an argv list (never a shell)."""


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


def browser_argv(url: str, platform: str, which: Callable[[str], str | None]) -> list[str] | None:
    """The argv that opens `url` on this platform, or None when no opener is installed."""
    if platform == "darwin":
        return ["open", url] if which("open") else None
    if platform.startswith("win"):
        return None
    for opener in ("xdg-open", "gio", "sensible-browser"):
        path = which(opener)
        if path:
            return [path, "open", url] if opener == "gio" else [path, url]
    return None


def link_host(url: str) -> str:
    """The host of a URL, shown so the user knows where a link really goes."""
    return urlsplit(url).hostname or url


def open_link(
    url: str | None,
    *,
    copy: Callable[[str], None] | None = None,
    env: Mapping[str, str] | None = None,
    platform: str | None = None,
    which: Callable[[str], str | None] = shutil.which,
    launch: Launcher = _spawn,
) -> str:
    """Open `url` in a local browser, or copy it with `copy`; returns a message for the user."""
    checked = safe_url(url)
    if checked is None:
        return "not opened: the link is not a plain http(s) URL"
    env = os.environ if env is None else env
    platform = sys.platform if platform is None else platform
    if local_browser_plausible(env, platform):
        argv = browser_argv(checked, platform, which)
        if argv is not None:
            try:
                launch(argv)
            except OSError as exc:
                return f"could not start the browser ({exc.strerror or exc})"
            return f"opened {link_host(checked)} in the browser"
        if "%" not in checked and not platform.startswith("linux"):
            import webbrowser

            try:
                if webbrowser.get().open(checked):
                    return f"opened {link_host(checked)} in the browser"
            except webbrowser.Error:
                pass
    if copy is None:
        return "no local browser; the link was not opened"
    copy(checked)
    return f"no local browser: copied the link to {link_host(checked)} to the clipboard"


def osc52_sequence(text: str, *, tmux: bool = False) -> str:
    """The OSC 52 escape sequence that puts `text` on the terminal's clipboard."""
    payload = base64.b64encode(text.encode("utf-8")).decode("ascii")
    sequence = f"\x1b]52;c;{payload}\x07"
    if tmux:
        return "\x1bPtmux;" + sequence.replace("\x1b", "\x1b\x1b") + "\x1b\\"
    return sequence
