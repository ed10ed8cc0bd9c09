"""Notifications for new articles in chosen topics: a bell and/or a command (never a shell)."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from natoread.core.sanitize import clean_line

if TYPE_CHECKING:
    from natoread.core.config import Settings
    from natoread.core.records import ArticleRow
    from natoread.core.store import Store


def articles_to_notify(rows: Sequence[ArticleRow], topics: Sequence[str]) -> list[ArticleRow]:
    """The rows that match one of the notification topics."""
    wanted = set(topics)
    return [row for row in rows if wanted.intersection(row.topics)]


def notification_argv(command: Sequence[str], row: ArticleRow) -> list[str]:
    """argv for one notification: the command, then the title and feed as single arguments."""
    return [*command, clean_line(row.title, 300), clean_line(row.feed_title, 100)]


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
    for row in rows[:20] if settings.notify_command else []:
        try:
            subprocess.run(
                notification_argv(settings.notify_command, row),
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
