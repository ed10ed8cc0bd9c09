"""The `e` screen: failing feeds with their last error."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.content import Content

from natoread.core.storage.store import FeedHealth
from natoread.ui.render import neutralise
from natoread.ui.screens.text_modal import TextModal
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


class ErrorsScreen(TextModal):
    """Failing feeds and why."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,e,h", "dismiss", "Close", id="errors-close"),
    ]

    CONTENT_ID = "errors"
    DEFAULT_CSS = """
    ErrorsScreen > VerticalScroll {
        width: 90;
        border: round $error;
    }
    """

    def __init__(self, feeds: Sequence[FeedHealth]) -> None:
        super().__init__()
        self._feeds = list(feeds)

    def content(self) -> Content:
        """The failing feeds and their errors."""
        return errors_content(self._feeds)
