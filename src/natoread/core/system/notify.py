"""Notifications for new articles in chosen topics: a bell and/or a command (never a shell)."""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from natoread.core.text.sanitize import clean_line, safe_url

if TYPE_CHECKING:
    from natoread.core.config import Settings
    from natoread.core.storage.records import ArticleRow
    from natoread.core.storage.store import Store


def articles_to_notify(rows: Sequence[ArticleRow], topics: Sequence[str]) -> list[ArticleRow]:
    """The rows that match one of the notification topics."""
    wanted = set(topics)
    return [row for row in rows if wanted.intersection(row.topics)]


PLACEHOLDERS = ("title", "feed", "link", "topic")
"""What `notify_command` arguments may contain, as {title} and so on."""
PLACEHOLDER = re.compile(r"\{([A-Za-z_]\w*)\}")
_OPTION_START = ("-", "@")


def unknown_placeholders(argument: str) -> list[str]:
    """The {names} in one `notify_command` argument that are not PLACEHOLDERS."""
    return [name for name in PLACEHOLDER.findall(argument) if name not in PLACEHOLDERS]


def notification_argv(
    command: Sequence[str], row: ArticleRow, topics: Sequence[str] = ()
) -> list[str]:
    """argv for one notification.

    Each {title}, {feed}, {link} and {topic} inside an argument is replaced by that value of
    the article (sanitised, one line). A command without placeholders gets the title and the
    feed appended as two arguments. A value is data, never an option: one that would begin an
    argument with "-" or "@" (which curl reads as "the contents of this file") is given a
    leading space.
    """
    values = {
        "title": clean_line(row.title, 300),
        "feed": clean_line(row.feed_title, 100),
        "link": safe_url(row.link) or "",
        "topic": ", ".join(clean_line(topic, 60) for topic in topics or row.topics),
    }
    if not any(PLACEHOLDER.search(argument) for argument in command):
        return [*command, *(_as_data(values[name]) for name in ("title", "feed"))]

    def substitute(argument: str) -> str:
        def value(match: re.Match[str]) -> str:
            text = values.get(match.group(1), match.group(0))
            return _as_data(text) if match.start() == 0 else text

        return PLACEHOLDER.sub(value, argument)

    return [command[0], *(substitute(argument) for argument in command[1:])]


def _as_data(value: str) -> str:
    """`value`, made unable to start an option where it begins an argument."""
    return " " + value if value.startswith(_OPTION_START) else value


def terminal_bell() -> None:
    """Ring the bell of the terminal on stderr (CLI use)."""
    if sys.stderr.isatty():
        sys.stderr.write("\a")
        sys.stderr.flush()


def notify_new(
    store: Store,
    article_ids: Sequence[int],
    settings: Settings,
    ring: Callable[[], None] = terminal_bell,
) -> list[ArticleRow]:
    """Notify about new articles in the notification topics; returns those articles."""
    if not settings.notify_topics:
        return []
    rows = articles_to_notify(store.rows_by_ids(article_ids), settings.notify_topics)
    if not rows:
        return []
    if settings.notify_bell:
        ring()
    wanted = set(settings.notify_topics)
    for row in rows[:20] if settings.notify_command else []:
        topics = [topic for topic in row.topics if topic in wanted]
        try:
            subprocess.run(
                notification_argv(settings.notify_command, row, topics),
                shell=False,
                check=False,
                timeout=10,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        except (OSError, subprocess.TimeoutExpired) as exc:
            print(f"natoread: notify_command failed: {exc}", file=sys.stderr)
            break
    return rows
