"""`o` and `y` on an article link, in a terminal and in a browser (`natoread serve`).

In a terminal: `o` follows `plan_link` ($BROWSER, a terminal browser in the foreground with
the reader suspended; else the desktop opener; else the clipboard) and `y` copies with OSC 52
and, inside tmux, through tmux itself. In a browser (`app.is_web`) the server's desktop is
not the visitor's: `o` opens a new tab in the visitor's browser and `y` copies to the
visitor's clipboard; nothing is started on the server.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

from textual.app import App, SuspendNotSupported

from natoread.core.system.browser import (
    TMUX_CLIPBOARD_OPTION,
    LinkPlan,
    copy_into_tmux,
    plan_link,
    run_in_foreground,
    start_detached,
    tmux_without_its_variable,
)
from natoread.core.text.sanitize import safe_url

NO_LINK = "This article has no http(s) link."
NOT_OPENED = "Link not opened: it is not a plain http(s) URL."


def open_link(app: App[Any], url: str | None, env: Mapping[str, str] | None = None) -> None:
    """Open `url` where the reader is read, and say on one line what happened."""
    if app.is_web:
        checked = safe_url(url)
        if checked is None:
            app.notify(NOT_OPENED, severity="warning", markup=False)
            return
        app.open_url(checked, new_tab=True)
        app.notify(f"Opened {checked} in a new tab", markup=False)
        return
    plan = plan_link(url, env=env)
    if plan is None:
        app.notify(NOT_OPENED, severity="warning", markup=False)
        return
    if plan.how == "terminal":
        _run_terminal_browser(app, plan, env)
    elif plan.how == "copy":
        why = _no_browser_reason(plan)
        app.notify(f"{why}: {copy_link_text(app, plan.url, env)}", markup=False)
    else:
        message = start_detached(plan)
        failed = not message.startswith("Opened")
        app.notify(message, severity="error" if failed else "information", markup=False)


def _run_terminal_browser(app: App[Any], plan: LinkPlan, env: Mapping[str, str] | None) -> None:
    """Hand the terminal to the browser until it exits, then take it back."""
    try:
        with app.suspend():
            problem = run_in_foreground(plan.argv)
    except SuspendNotSupported:
        copied = copy_link_text(app, plan.url, env)
        app.notify(f"Cannot hand this terminal to {plan.program}: {copied}", markup=False)
        return
    if problem:
        app.notify(problem, severity="warning", markup=False)


def _no_browser_reason(plan: LinkPlan) -> str:
    """Why `o` copied instead of opening."""
    if plan.unusable_browser:
        return f"$BROWSER ({plan.unusable_browser}) is not installed here"
    return "No browser here (set $BROWSER, e.g. w3m)"


def copy_link(app: App[Any], url: str | None, env: Mapping[str, str] | None = None) -> None:
    """Copy `url` to the clipboard and show the full link."""
    checked = safe_url(url)
    if checked is None:
        app.notify(NO_LINK, severity="warning", markup=False)
        return
    copied = copy_link_text(app, checked, env)
    app.notify(copied[:1].upper() + copied[1:], markup=False)


def copy_link_text(app: App[Any], url: str, env: Mapping[str, str] | None = None) -> str:
    """Copy a checked `url` (OSC 52; inside tmux through tmux too); returns the one-line
    message ("copied …"): the full link, and the tmux option to set when the copy may not
    have landed."""
    app.copy_to_clipboard(url)
    if app.is_web:
        return f"copied {url}"
    env = os.environ if env is None else env
    reached = copy_into_tmux(url, env)
    if reached is False:
        return f"copied {url} to tmux's buffer; for the clipboard: {TMUX_CLIPBOARD_OPTION}"
    if reached is None and tmux_without_its_variable(env):
        return f"copied {url} (inside tmux? it needs: {TMUX_CLIPBOARD_OPTION})"
    return f"copied {url}"
