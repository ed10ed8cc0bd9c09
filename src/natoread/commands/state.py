"""`natoread export-state` and `import-state`: reading state as JSON lines, one article a line:

    {"feed": "https://example.org/rss", "guid": "urn:1", "link": "https://example.org/1",
     "read": true, "starred": false, "tags": ["later"]}

The feed's URL and the GUID find the article in another store, the link when there is no
GUID or it does not match (`storage/state.py`). A line without `read` or `starred` leaves
that flag as it is. Lines that are not such an object are skipped and counted.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import IO, TYPE_CHECKING

from natoread.commands.common import EXIT_OK, Context, err, plural, read_text
from natoread.core.errors import ConfigError

if TYPE_CHECKING:
    from natoread.core.storage.state import ArticleState

MAX_PROBLEMS_SHOWN = 5


def add_export_arguments(parser: argparse.ArgumentParser) -> None:
    """The options of `natoread export-state`."""
    parser.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of stdout")


def add_import_arguments(parser: argparse.ArgumentParser) -> None:
    """The options of `natoread import-state`."""
    parser.add_argument("file", metavar="FILE|-", help="JSON lines from export-state, - for stdin")


def state_line(state: ArticleState) -> str:
    """One article's state as a JSON line, every string sanitised."""
    from natoread.core.text.sanitize import clean_line

    return json.dumps(
        {
            "feed": clean_line(state.feed, 4096),
            "guid": None if state.guid is None else clean_line(state.guid, 4096),
            "link": None if state.link is None else clean_line(state.link, 4096),
            "read": state.read,
            "starred": state.starred,
            "tags": [clean_line(tag, 80) for tag in state.tags],
        },
        ensure_ascii=False,
    )


def parse_state_line(text: str) -> ArticleState | str:
    """A line of an export → the state it records, or why it records none (a few words)."""
    from natoread.core.storage.state import ArticleState
    from natoread.core.text.sanitize import clean_line
    from natoread.core.triage.actions import tag_problem

    try:
        value = json.loads(text)
    except ValueError:
        return "not JSON"
    if not isinstance(value, dict):
        return "not a JSON object"
    feed, guid, link = value.get("feed"), value.get("guid"), value.get("link")
    if not isinstance(feed, str) or not feed.strip():
        return "no feed URL"
    if not isinstance(guid, str | None) or not isinstance(link, str | None):
        return "guid and link must be strings"
    if not guid and not link:
        return "neither a guid nor a link"
    flags = [value.get("read"), value.get("starred")]
    if not all(isinstance(flag, bool | None) for flag in flags):
        return "read and starred must be true or false"
    tags = value.get("tags") or []
    if not isinstance(tags, list) or not all(isinstance(tag, str) for tag in tags):
        return "tags must be a list of names"
    names = [clean_line(tag, 200) for tag in tags]
    for name in names:
        if problem := tag_problem(name):
            return f"tag {name[:40]!r}: {problem}"
    return ArticleState(
        feed=clean_line(feed, 4096),
        guid=clean_line(guid, 4096) or None if guid else None,
        link=clean_line(link, 4096) or None if link else None,
        read=flags[0],
        starred=flags[1],
        tags=tuple(dict.fromkeys(names)),
    )


def cmd_export_state(context: Context, args: argparse.Namespace) -> int:
    """`natoread export-state [-o FILE]`."""
    from natoread.core.storage.state import exported_state

    with context.open_store() as store:
        if args.output is None:
            count = _write_lines(sys.stdout, exported_state(store))
            return EXIT_OK
        path = Path(args.output)
        temporary = path.with_name(f".{path.name}.export-{os.getpid()}")
        try:
            with temporary.open("w", encoding="utf-8") as out:
                count = _write_lines(out, exported_state(store))
            os.replace(temporary, path)
        except OSError as exc:
            raise ConfigError(str(path), "", f"cannot write: {exc.strerror}") from None
        finally:
            temporary.unlink(missing_ok=True)
    print(f"Exported the state of {plural(count, 'article')} to {path}.", file=sys.stderr)
    return EXIT_OK


def _write_lines(out: IO[str], states: Iterator[ArticleState]) -> int:
    """Write one line per state; returns how many."""
    count = 0
    for state in states:
        out.write(state_line(state) + "\n")
        count += 1
    return count


def cmd_import_state(context: Context, args: argparse.Namespace) -> int:
    """`natoread import-state FILE`."""
    from natoread.core.storage.state import import_state

    records: list[ArticleState] = []
    problems: list[str] = []
    for number, line in enumerate(read_text(args.file).splitlines(), 1):
        if not line.strip():
            continue
        parsed = parse_state_line(line)
        if isinstance(parsed, str):
            problems.append(f"{args.file}:{number}: skipped: {parsed}")
        else:
            records.append(parsed)
    for problem in problems[:MAX_PROBLEMS_SHOWN]:
        err(problem)
    if len(problems) > MAX_PROBLEMS_SHOWN:
        err(f"… and {plural(len(problems) - MAX_PROBLEMS_SHOWN, 'more skipped line')}")
    with context.open_store() as store:
        counts = import_state(store, records)
    line = (
        f"{plural(counts.matched, 'article')} matched ({counts.changed} changed),"
        f" {counts.unmatched} not in this store"
    )
    if problems:
        line += f", {plural(len(problems), 'line')} skipped"
    print(line + ("; `natoread undo` takes it back." if counts.changed else "."))
    return EXIT_OK
