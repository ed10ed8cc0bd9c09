"""The status line: poll progress, new articles, last poll time, failing feeds, the view."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from textual.content import Content
from textual.widgets import Static

from natoread.core.text.dates import format_date, local_date
from natoread.ui.render import neutralise


@dataclass(frozen=True, slots=True)
class StatusState:
    """Everything the status line shows."""

    polling: tuple[int, int] | None = None
    """(done, total) while a poll runs."""
    new_articles: int = 0
    last_poll: datetime | None = None
    failing: int = 0
    view: str = ""
    """The list's filter, e.g. "matching · topic NATO" (may contain feed text)."""
    count: int = 0
    activity: str = ""
    """Work under way besides polling, e.g. "fetching full text…"."""
    error: str = ""
    """A one-line problem to show first, e.g. a search that could not run."""


def last_poll_text(value: datetime | None, now: datetime | None = None) -> str:
    """ "14:05" today, "Nov 20 14:05" otherwise, "never" without a poll."""
    if value is None:
        return "never"
    local = local_date(value)
    today = local_date(now or datetime.now().astimezone()).date()
    return format_date(local, "%H:%M" if local.date() == today else "%b %d %H:%M", local=False)


def counted(count: int, noun: str, plural: str | None = None) -> str:
    """ "1 article", "2 articles", "1,024 articles" (`plural` when not noun + "s")."""
    return f"{count:,} {noun if count == 1 else plural or noun + 's'}"


def status_content(state: StatusState) -> Content:
    """The status line as Content (plain text and spans only)."""
    parts: list[str | tuple[str, str]] = []
    if state.error:
        parts.extend([(f"✗ {neutralise(state.error)}", "bold $text-error"), " · "])
    if state.activity:
        parts.extend([(neutralise(state.activity), "bold $text-accent"), " · "])
    if state.polling is not None:
        done, total = state.polling
        # (0, 0): the pass is still being planned (or stored articles re-tagged first).
        text = f"polling {done}/{counted(total, 'feed')}" if total else "polling…"
        parts.append((text, "bold $text-accent"))
    else:
        parts.append(f"last poll {last_poll_text(state.last_poll)}")
    if state.new_articles:
        parts.extend([" · ", (f"{state.new_articles} new", "bold")])
    if state.failing:
        parts.extend([" · ", (f"{state.failing} failing (e)", "bold $text-error")])
    parts.extend([" · ", counted(state.count, "article")])
    if state.view:
        parts.extend([" · ", neutralise(state.view)])
    return Content.assemble(*parts)


class StatusBar(Static):
    """One line of state under the panes."""

    DEFAULT_CSS = """
    StatusBar {
        height: 1;
        padding: 0 1;
        background: $panel;
        color: $text;
        text-wrap: nowrap;
        text-overflow: ellipsis;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__("", id=id, markup=False)
        self.state = StatusState()

    def show(self, state: StatusState) -> None:
        """Display `state`."""
        self.state = state
        self.update(status_content(state))
