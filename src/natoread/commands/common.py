"""What every command shares: resolved locations, exit codes, output helpers."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from natoread.core.errors import ConfigError

if TYPE_CHECKING:
    import argparse
    from datetime import datetime

    from natoread.core.analysis.records import Quote
    from natoread.core.polling.plan import PollOutcome
    from natoread.core.query import KnownNames
    from natoread.core.storage.records import ArticleRow
    from natoread.core.storage.store import Store

EXIT_OK, EXIT_FAILED, EXIT_CONFIG, EXIT_STORE = 0, 1, 2, 3
ERROR_LIMIT = 2000
"""Characters of an error line at most (a server may answer with a whole page)."""


class Context:
    """Resolved config and data locations for one command."""

    def __init__(self, args: argparse.Namespace) -> None:
        from natoread.core.config import load_config
        from natoread.core.paths import DB_NAME, find_config, find_data_dir
        from natoread.core.toml_memo import MEMO_NAME

        self.config_path = find_config(args.config)
        self.data_dir = find_data_dir(args.data_dir)
        self.config = load_config(self.config_path, memo=self.data_dir / MEMO_NAME)
        self.db_path = self.data_dir / DB_NAME

    def open_store(self) -> Store:
        """Open (creating if needed) the store; read-only when its files cannot be written,
        so that the reading commands still work (a write then fails with one line)."""
        from natoread.core.paths import can_write_data
        from natoread.core.storage.store import Store

        return Store(self.db_path, read_only=not can_write_data(self.db_path))


def err(message: str) -> None:
    """Print one line to stderr, sanitised: messages echo file names, URLs and servers'
    answers, and a terminal would act on any escape sequence in them."""
    from natoread.core.text.sanitize import clean_line

    print(f"natoread: {clean_line(message, ERROR_LIMIT)}", file=sys.stderr)


def noun(count: int, singular: str) -> str:
    """The noun for `count` things: "article" for 1, "articles" otherwise."""
    return singular if count == 1 else singular + "s"


def plural(count: int, singular: str) -> str:
    """ "1 feed", "2 feeds", "0 feeds"."""
    return f"{count} {noun(count, singular)}"


def print_json(value: object) -> None:
    """Print JSON in which every string has been through the sanitiser.

    json escapes control characters, but `jq -r` turns "\\u001b" back into a live ESC, and
    rows stored by older versions may hold C1 or bidi controls: so strings are cleaned, not
    only escaped. The text is what `json.dumps` gives, but an array is written item by item,
    each with json's C encoder: `json.dump` to a stream takes the pure-Python encoder, many
    times slower on a big store.
    """
    write = sys.stdout.write
    if isinstance(value, list):
        write("[")
        for index, item in enumerate(value):
            if index:
                write(", ")
            write(_clean_dumps(item))
        write("]\n")
        return
    write(_clean_dumps(value))
    write("\n")


# What json writes for the control characters the sanitiser removes (and for "\r", which
# it turns into "\n"); "\n" and "\t" are kept.
_ESCAPED_CONTROLS = ("\\u00", "\\b", "\\f", "\\r")


def _clean_dumps(value: object) -> str:
    """`json.dumps` of `value` with its strings sanitised.

    Checking the encoded text once is much cheaper than cleaning each string: every
    character the sanitiser changes is either escaped by json (C0 controls) or appears as
    itself, so text with neither is what the cleaned value would give.
    """
    from natoread.core.text.sanitize import clean_text

    text = json.dumps(value, ensure_ascii=False)
    if clean_text(text) == text and not any(escape in text for escape in _ESCAPED_CONTROLS):
        return text
    return json.dumps(_clean_json(value), ensure_ascii=False)


def _clean_json(value: object) -> object:
    """`value` with every string in it (keys too) sanitised; newlines and tabs are kept."""
    from natoread.core.text.sanitize import clean_text

    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, dict):
        return {clean_text(str(k)): _clean_json(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_clean_json(item) for item in value]
    return value


def iso(value: datetime | None) -> str | None:
    """datetime → ISO 8601 string (never raises)."""
    from natoread.core.text.dates import iso_date

    return iso_date(value)


def article_json(row: ArticleRow) -> dict[str, object]:
    """ArticleRow → the public JSON shape of `list --json`."""
    return {
        "id": row.id,
        "feed": row.feed_title,
        "feed_id": row.feed_id,
        "title": row.title,
        "link": row.link,
        "published": iso(row.published),
        "read": row.read,
        "starred": row.starred,
        "matched": row.matched,
        "score": round(row.score, 3),
        "topics": list(row.topics),
        "quotes": row.quote_count,
        "tags": list(row.tags),
    }


def print_rows(rows: Sequence[ArticleRow]) -> None:
    """Human-readable article lines: titles fitted to the width of a terminal, whole when
    the output goes to a pipe or a file (`natoread list | grep` must see every word)."""
    import shutil

    from natoread.core.text.dates import format_date
    from natoread.core.text.sanitize import clean_line

    width = shutil.get_terminal_size((100, 24)).columns if sys.stdout.isatty() else None
    for row in rows:
        mark = ("★" if row.starred else " ") + (" " if row.read else "•")
        topics = f" [{','.join(row.topics)}]" if row.topics else ""
        when = format_date(row.published, "%Y-%m-%d", local=False)
        line = f"{row.id:>6} {mark} {when} {clean_line(row.feed_title)[:18]:<18} "
        title = clean_line(row.title)
        if width is not None:
            title = title[: max(10, width - len(line) - len(topics))]
        print(line + title + topics)


def check_topic(context: Context, topic: str | None) -> None:
    """Reject an unknown topic name with the list of known ones (as `topic:` in a query)."""
    if topic is None:
        return
    from natoread.core.query import shown, unknown_name

    names = [t.name for t in context.config.topics]
    if topic not in names:
        raise ConfigError("--topic", shown(topic), unknown_name("topic", topic, names))


def feed_names(context: Context, store: Store) -> list[str]:
    """Every name a feed answers to: configured and stored titles, and URLs (once each)."""
    names: dict[str, None] = {}
    for feed in context.config.feeds:
        names.update(dict.fromkeys([feed.title or feed.url, feed.url]))
    for health in store.feeds_health():
        names.update(dict.fromkeys([health.title, health.url]))
    return list(names)


def check_feed(context: Context, store: Store, feed: str | None) -> None:
    """Reject a `--feed` that names no feed (its URL, or its title in any case)."""
    if feed is None:
        return
    from natoread.core.query import shown, titles_of, unknown_name

    names = feed_names(context, store)
    if feed not in names and feed.casefold() not in {name.casefold() for name in names}:
        raise ConfigError("--feed", shown(feed), unknown_name("feed", feed, titles_of(names)))


def known_names(context: Context, store: Store) -> KnownNames:
    """What a query's `topic:`, `feed:`, `feedtag:` and `tag:` may name, for `check_query`."""
    from natoread.core.query import KnownNames

    return KnownNames(
        topics=[t.name for t in context.config.topics],
        feeds=lambda: feed_names(context, store),
        feed_tags=sorted({tag for feed in context.config.feeds for tag in feed.tags}),
        tags=store.tag_names,
    )


def read_text(name: str) -> str:
    """FILE, or stdin for '-', as text (undecodable bytes replaced); a file that cannot be
    read is a one-line ConfigError naming it."""
    if name == "-":
        data = sys.stdin.buffer.read()
    else:
        try:
            data = Path(name).read_bytes()
        except OSError as exc:
            raise ConfigError(name, "", f"cannot read: {exc.strerror}") from None
    return data.decode("utf-8", errors="replace")


def read_input(name: str) -> str:
    """Read FILE or stdin as text; HTML is converted to plain text."""
    text = read_text(name)
    stripped = text.lstrip().lower()
    if stripped.startswith(("<!doctype html", "<html")) or "<body" in stripped[:5000]:
        from natoread.core.feeds.fulltext import page_to_text

        return page_to_text(text)
    from natoread.core.text.sanitize import clean_text

    return clean_text(text)


def outcome_json(outcome: PollOutcome) -> dict[str, object]:
    """One feed's outcome of a pass (a poll or a sync) → its public JSON shape."""
    return {
        "feed": outcome.feed_url,
        "title": outcome.feed_title,
        "status": outcome.status,
        "new": len(outcome.new_ids),
        "updated": outcome.updated,
        "error": outcome.error,
    }


def quote_json(quote: Quote) -> dict[str, object]:
    """Quote → its public JSON shape."""
    return {
        "text": quote.text,
        "speaker": quote.speaker,
        "start": quote.start,
        "end": quote.end,
        "partial": quote.partial,
        "speaker_start": quote.speaker_start,
        "speaker_end": quote.speaker_end,
    }


@contextmanager
def progress_bar(label: str, unit: str, shown: bool) -> Iterator[Callable[[int, int], None]]:
    """A transient "label ━━━━ done/total unit" bar on stderr, fed with (done, total).

    The bar (and rich.progress) only appears at the first report, so work that turns out to
    have nothing to do, or a run that is not on a terminal (`shown` False), shows nothing.
    """
    bars: list[Any] = []

    def report(done: int, total: int) -> None:
        if not shown:
            return
        if not bars:
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

            bar = Progress(
                TextColumn(label),
                BarColumn(),
                MofNCompleteColumn(),
                TextColumn(unit),
                console=Console(stderr=True),
                transient=True,
            )
            bar.start()
            bars.extend((bar, bar.add_task(label, total=total)))
        bars[0].update(bars[1], completed=done, total=total)

    try:
        yield report
    finally:
        if bars:
            bars[0].stop()
