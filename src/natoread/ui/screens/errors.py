"""The `e` screen: failing feeds grouped by cause, then feeds read with warnings; and the
plain words for a pass in which no feed could be polled."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.content import Content

from natoread.core.storage.store import FeedHealth
from natoread.core.text.sanitize import clean_line
from natoread.ui.render import neutralise
from natoread.ui.screens.text_modal import TextModal
from natoread.ui.widgets.status_bar import last_poll_text

_LOOKUP_FAILED = (
    "name or service not known",
    "temporary failure in name resolution",
    "nodename nor servname",
    "no address associated",
    "getaddrinfo failed",
)
_NO_NETWORK = ("network is unreachable", "no route to host")
_HTTP_ANSWER = re.compile(r"HTTP \d{3}[^,:;(]*")
NAMES_SHOWN = 12
"""Feed names listed on a cause's line; the rest are counted."""


def failure_cause(error: str | None, status: int | None = None, gone: bool = False) -> str:
    """The cause of a failed poll in plain words, shared by every feed that failed alike
    (the raw error names ports, hosts and addresses that differ from feed to feed)."""
    text = (error or "").lower()
    if gone:
        return "gone (HTTP 410): remove these from feeds.toml"
    if any(marker in text for marker in _LOOKUP_FAILED):
        return "host name not found (offline, or a DNS problem)"
    if any(marker in text for marker in _NO_NETWORK):
        return "no network route (offline?)"
    if text.startswith("cannot connect"):
        return "cannot connect (refused, or offline)"
    if text.startswith("timed out"):
        return "timed out (slow server or network)"
    if "certificate" in text or "ssl" in text:
        return "TLS certificate problem"
    if status and (answer := _HTTP_ANSWER.match(error or "")):
        return clean_line(answer.group(0).strip(), 80)  # without the varying retry time
    if not text:
        return f"HTTP {status}" if status else "failed (no reason recorded)"
    return clean_line(error or "", 120)


def is_unreachable(error: str | None) -> bool:
    """True when a poll failed without reaching a server (no answer at all)."""
    text = (error or "").lower()
    return text.startswith(("cannot connect", "timed out")) or any(
        marker in text for marker in (*_LOOKUP_FAILED, *_NO_NETWORK)
    )


def unreachable_line(total: int, errors: Iterable[str]) -> str:
    """The one line for a pass in which all `total` feeds failed."""
    offline = all(is_unreachable(error) for error in errors)
    verb = "reached — are you offline?" if offline else "polled —"
    if total == 1:
        return f"the one feed could not be {verb} e shows why"
    return f"none of {total:,} feeds could be {verb} e shows why"


@dataclass
class CauseGroup:
    """Feeds that failed (or were read with a warning) for one cause."""

    cause: str
    feeds: list[FeedHealth] = field(default_factory=list)

    def common_detail(self) -> str | None:
        """The raw error when every feed of the group has the same one (shown once)."""
        details = {feed.last_error or "" for feed in self.feeds}
        if len(details) != 1:
            return None
        detail = details.pop()
        return detail if detail and detail != self.cause else None


def group_by_cause(feeds: Iterable[FeedHealth], *, warnings: bool = False) -> list[CauseGroup]:
    """Failing feeds (or, with `warnings`, feeds read with a warning) grouped by cause, the
    largest group first."""
    groups: dict[str, CauseGroup] = {}
    for feed in feeds:
        if warnings:
            cause = clean_line(feed.last_error or "", 120)
        else:
            cause = failure_cause(feed.last_error, feed.last_status, feed.gone)
        groups.setdefault(cause, CauseGroup(cause)).feeds.append(feed)
    return sorted(groups.values(), key=lambda group: -len(group.feeds))


def _names(feeds: Sequence[FeedHealth]) -> str:
    """The feeds' titles, comma-separated, the rest counted."""
    names = [neutralise(clean_line(feed.title, 60)) for feed in feeds[:NAMES_SHOWN]]
    if len(feeds) > NAMES_SHOWN:
        names.append(f"and {len(feeds) - NAMES_SHOWN} more")
    return ", ".join(names)


def _group_parts(group: CauseGroup, mark: tuple[str, str]) -> list[str | tuple[str, str]]:
    """One cause: its line (mark, count, cause, names), then what is worth a line of its own."""
    count = len(group.feeds)
    noun = "feed" if count == 1 else "feeds"
    parts: list[str | tuple[str, str]] = [
        mark,
        (f"{count} {noun}: ", "bold"),
        (neutralise(group.cause), "bold"),
        " — ",
        _names(group.feeds),
    ]
    detail = group.common_detail()
    if detail:
        parts.extend(["\n  ", (neutralise(clean_line(detail, 200)), "italic")])
    if count <= 3:
        # Few feeds: where each one is and when it last worked, to tell a typo from an outage.
        for feed in group.feeds:
            parts.extend(["\n  ", neutralise(feed.url)])
            if feed.error_count:
                parts.append(f" · failed {feed.error_count}× in a row")
                parts.append(f" · last success {last_poll_text(feed.last_success)}")
    for feed in group.feeds:
        if feed.moved_to:
            title, target = neutralise(feed.title), neutralise(feed.moved_to)
            parts.extend(["\n  ", title, " moved to ", target])
    parts.append("\n\n")
    return parts


def errors_content(feeds: Sequence[FeedHealth]) -> Content:
    """Failing feeds grouped by cause (one line each, with the count and the feed names),
    then feeds whose last document was broken but read, as warnings."""
    failing = [feed for feed in feeds if feed.failing]
    warned = [feed for feed in feeds if not feed.failing and feed.last_error]
    parts: list[str | tuple[str, str]] = [("Feed errors", "bold $text-accent"), "\n\n"]
    if not failing:
        parts.append("Every feed worked on its last poll.\n\n")
    for group in group_by_cause(failing):
        parts.extend(_group_parts(group, ("✗ ", "bold $text-error")))
    if warned:
        parts.extend([("Warnings", "bold $text-warning"), " (read anyway)\n\n"])
        for group in group_by_cause(warned, warnings=True):
            parts.extend(_group_parts(group, ("⚠ ", "bold $text-warning")))
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
        """The failing feeds by cause, and the warnings."""
        return errors_content(self._feeds)
