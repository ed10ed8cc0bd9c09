"""The `e` screen: failing feeds with their last error."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

from natoread.core.store import FeedHealth
from natoread.ui.render import neutralise
from natoread.ui.widgets.status_bar import last_poll_text


def errors_content(feeds: Sequence[FeedHealth]) -> Content:
    """Each failing feed: title, URL, status, error and when it last worked."""
    failing = [feed for feed in feeds if feed.failing]
    parts: list[str | tuple[str, str]] = [("Feed errors", "bold $text-accent"), "\n\n"]
    if not failing:
        parts.append("Every feed worked on its last poll.")
        return Content.assemble(*parts)
    for feed in failing:
        title, url = neutralise(feed.title), neutralise(feed.url)
        parts.extend([("✗ ", "bold $text-error"), (title, "bold"), "\n  ", url, "\n  "])
        status = f"HTTP {feed.last_status}" if feed.last_status else "no response"
        if feed.gone:
            status += ", gone (410): remove it from feeds.toml"
        parts.append((status, "$text-error"))
        parts.append(f" · failed {feed.error_count}× in a row")
        parts.append(f" · last success {last_poll_text(feed.last_success)}")
        if feed.moved_to:
            parts.extend(["\n  moved to ", neutralise(feed.moved_to)])
        if feed.last_error:
            parts.extend(["\n  ", (neutralise(feed.last_error), "italic")])
        parts.append("\n\n")
    return Content.assemble(*parts)


class ErrorsScreen(ModalScreen[None]):
    """Failing feeds and why."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,e,h", "dismiss", "Close", id="errors-close"),
        Binding("j,down", "scroll_down", show=False),
        Binding("k,up", "scroll_up", show=False),
    ]

    DEFAULT_CSS = """
    ErrorsScreen {
        align: center middle;
        & > VerticalScroll {
            width: 90;
            max-width: 100%;
            height: auto;
            max-height: 90%;
            border: round $error;
            padding: 0 1;
            background: $surface;
        }
    }
    """

    def __init__(self, feeds: Sequence[FeedHealth]) -> None:
        super().__init__()
        self._feeds = list(feeds)

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Static(errors_content(self._feeds), id="errors", markup=False)

    def action_scroll_down(self) -> None:
        """Scroll down."""
        self.query_one(VerticalScroll).scroll_down()

    def action_scroll_up(self) -> None:
        """Scroll up."""
        self.query_one(VerticalScroll).scroll_up()
