"""Notifications for new articles in chosen topics: a bell and/or a command (never a shell)."""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
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


COMMAND_LIMIT = 20
"""At most this many `notify_command` runs per pass: a flood (a feed re-posting its archive,
a long time offline) must not start hundreds of processes. The rest are counted aloud."""


@dataclass(frozen=True, slots=True)
class Notified:
    """What a notification round did."""

    rows: tuple[ArticleRow, ...] = ()
    """New articles in the notification topics, of feeds past their first poll."""
    commands_run: int = 0
    """How many times `notify_command` ran (at most COMMAND_LIMIT)."""
    command_failure: str | None = None
    """Why `notify_command` could not run, as one line, if it failed."""

    @property
    def beyond_limit(self) -> int:
        """Matching articles left out because of COMMAND_LIMIT (0 when the command is off)."""
        if self.commands_run < COMMAND_LIMIT:
            return 0
        return len(self.rows) - self.commands_run

    def limit_note(self) -> str | None:
        """The one line that says the cap was reached, or None when it was not."""
        more = self.beyond_limit
        if more <= 0:
            return None
        noun = "article" if more == 1 else "articles"
        return (
            f"{more} more {noun} matched notify_topics; "
            f"ran notify_command for the first {self.commands_run}"
        )


def seasoned_feeds(store: Store, urls: Sequence[str]) -> frozenset[int]:
    """Ids of the feeds among `urls` that had a successful poll before now.

    Read before a pass: a feed's first successful poll brings its whole backlog (months-old
    items on a fresh store), which is not news; only what arrives after it is.
    """
    return frozenset(feed.id for feed in store.feeds_health(urls) if feed.last_success)


def notify_new(
    store: Store,
    article_ids: Sequence[int],
    settings: Settings,
    *,
    seasoned: Collection[int],
    ring: Callable[[], None] | None = terminal_bell,
    run_command: bool = True,
) -> Notified:
    """Notify about new articles in the notification topics of `seasoned` feeds.

    `ring` (None: no bell) rings when `notify_bell` is on; `notify_command` runs once per
    article, for at most COMMAND_LIMIT of them, unless `run_command` is False (the reader in
    a browser must not start programs on the server).
    """
    if not settings.notify_topics:
        return Notified()
    rows = [
        row
        for row in articles_to_notify(store.rows_by_ids(article_ids), settings.notify_topics)
        if row.feed_id in seasoned
    ]
    if not rows:
        return Notified()
    if settings.notify_bell and ring is not None:
        ring()
    if not (settings.notify_command and run_command):
        return Notified(tuple(rows))
    wanted = set(settings.notify_topics)
    runs = 0
    for row in rows[:COMMAND_LIMIT]:
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
            failure = clean_line(f"notify_command failed: {exc}", 300)
            return Notified(tuple(rows), runs, failure)
        runs += 1
    return Notified(tuple(rows), runs)
