"""The command-line grammar of `natoread` (argparse): every command's options and help.

`cli.main` loads it for every line but the plain `natoread fetch` of a cron job (see
`cli.plain_fetch`): making argparse's parsers costs more than a pass in which no feed changed.
"""

from __future__ import annotations

import argparse
import importlib
from typing import Any

from natoread import __version__
from natoread.commands.common import ERROR_LIMIT, EXIT_CONFIG

DASH_WORD_HINT = "to search for a word starting with '-', put -- before the query"


class _Parser(argparse.ArgumentParser):
    """argparse that reports usage errors as one line plus a hint, with exit status 2."""

    hint_dash_words = False
    """True for `natoread search`: an unknown option there is a `-word` meant for the query."""

    def error(self, message: str) -> Any:
        if self.hint_dash_words and message.startswith("unrecognized arguments:"):
            message = f"{message} ({DASH_WORD_HINT})"
        from natoread.core.text.sanitize import clean_line

        # argparse quotes the user's words back; a pasted escape sequence must not act.
        message = clean_line(message, ERROR_LIMIT)
        self.exit(EXIT_CONFIG, f"{self.prog}: error: {message}\nTry '{self.prog} --help'.\n")


def _global_options(parser: argparse.ArgumentParser, *, suppress: bool) -> None:
    """--config and --data-dir, accepted before or after the subcommand."""
    default = argparse.SUPPRESS if suppress else None
    parser.add_argument("--config", metavar="FILE", default=default, help="feeds.toml to use")
    parser.add_argument(
        "--data-dir", metavar="DIR", default=default, help="directory of the SQLite store"
    )


class _Skipped:
    """Stands in for the parser of a command that is not running (see `build_parser`)."""

    def add_argument(self, *args: Any, **kwargs: Any) -> None:
        """Ignore the option."""


def build_parser(running: str | None = None) -> argparse.ArgumentParser:
    """The command-line grammar; with `running`, only that command's part of it (with "",
    no command's: `natoread --version`, or the reader).

    Making argparse's parsers is most of the cost of starting a command, and a cron `fetch`
    needs only its own.
    """
    parser = _Parser(
        prog="natoread",
        description="Terminal reader for NATO alliance news: topics, quotes and who said what.",
        epilog="Run without a command to start the reader. Docs: README.md.",
    )
    parser.hint_dash_words = running in ("search", "mark", "rules")
    parser.add_argument("--version", action="version", version=f"natoread {__version__}")
    _global_options(parser, suppress=False)
    common = _Parser(add_help=False)
    _global_options(common, suppress=True)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    def command(name: str, help_text: str) -> argparse.ArgumentParser | _Skipped:
        if running is not None and name != running:
            return _Skipped()
        return sub.add_parser(name, help=help_text, description=help_text, parents=[common])

    def options_from(p: argparse.ArgumentParser | _Skipped, module: str, function: str) -> None:
        """Let a command's own module add its options (imported only for the running one)."""
        if isinstance(p, argparse.ArgumentParser):
            getattr(importlib.import_module(f"natoread.commands.{module}"), function)(p)

    p = command("fetch", "poll the feeds once (for cron); progress on a terminal")
    p.add_argument(
        "--due",
        action="store_true",
        help="only feeds whose refresh interval has passed (for a frequent cron job)",
    )
    p.add_argument(
        "--force", action="store_true", help="also retry feeds that are backing off or gone (410)"
    )
    p.add_argument("--json", action="store_true", help="print one JSON object per feed outcome")
    p.add_argument("--quiet", "-q", action="store_true", help="print only errors")

    p = command("list", "list stored articles, newest first")
    p.add_argument("--unread", action="store_true", help="only unread articles")
    p.add_argument("--starred", action="store_true", help="only starred articles")
    p.add_argument("--matching", action="store_true", help="only articles that match a topic")
    p.add_argument("--topic", metavar="NAME", help="only articles matching this topic")
    p.add_argument("--feed", metavar="URL|TITLE", help="only articles of this feed")
    p.add_argument("--limit", type=_positive, default=50, metavar="N", help="at most N (50)")
    p.add_argument("--all", action="store_true", help="no limit")
    p.add_argument("--json", action="store_true", help="print a JSON array")
    options_from(p, "articles", "add_sort_argument")

    p = command("feeds", "show each feed's health")
    p.add_argument("--json", action="store_true", help="print a JSON array")

    command("check-config", "validate feeds.toml and print what it says")

    p = command("match", "classify an article (text: first line is the title; or HTML)")
    p.add_argument("file", metavar="FILE|-", help="file to read, or - for stdin")
    p.add_argument("--json", action="store_true", help="print a JSON object")

    p = command("quotes", "extract quotes from a file, or list stored quotes by a speaker")
    p.add_argument("file", metavar="FILE|-", nargs="?", help="file to read, or - for stdin")
    p.add_argument("--speaker", metavar="NAME", help="list stored quotes by this speaker")
    p.add_argument("--topic", metavar="NAME", help="with --speaker: only articles in this topic")
    p.add_argument("--limit", type=_positive, default=200, metavar="N", help="at most N (200)")
    p.add_argument("--json", action="store_true", help="print a JSON array")

    p = command("speakers", "list speakers with their number of stored quotes")
    p.add_argument("--topic", metavar="NAME", help="only quotes in articles of this topic")
    p.add_argument("--limit", type=_positive, default=50, metavar="N", help="at most N (50)")
    p.add_argument("--json", action="store_true", help="print a JSON array")

    p = command("search", "full-text search of titles, bodies and quotes, best match first")
    p.add_argument(
        "query",
        nargs="*",
        metavar="QUERY",
        help='words, "phrases", OR, -word, speaker:NAME, topic:NAME, feed:TITLE, since:7d,'
        " is:unread (put -word after --)",
    )
    p.add_argument("--saved", metavar="NAME", help="run the [[searches]] entry with this name")
    p.add_argument("--limit", type=_positive, default=50, metavar="N", help="at most N (50)")
    p.add_argument("--json", action="store_true", help="print a JSON array (as list --json)")

    p = command("mark", "mark the articles a query finds (or --id): read, star, tag …")
    p.add_argument("query", nargs="*", metavar="QUERY", help="as `search` (put -word after --)")
    p.add_argument("--id", type=_positive, action="append", metavar="ID", help="an article id")
    if isinstance(p, argparse.ArgumentParser):
        how = p.add_mutually_exclusive_group(required=True)
        for flag in ("read", "unread", "star", "unstar"):
            how.add_argument(f"--{flag}", action="store_true", help=f"mark {flag}")
        how.add_argument("--tag", metavar="NAME", help="add the tag NAME")
        how.add_argument("--untag", metavar="NAME", help="remove the tag NAME")
    p.add_argument("--dry-run", action="store_true", help="only count what would change")
    p.add_argument("--json", action="store_true", help="print a JSON object")

    p = command("undo", "undo the last change of reading state (read, star, tag, mark)")
    p.add_argument("--list", action="store_true", help="list the changes that can be undone")
    p.add_argument("--json", action="store_true", help="print JSON")

    p = command("rules", "try the [[rules]] of feeds.toml on the stored articles")
    p.add_argument("action", choices=["test"], help="test: what each rule matches now")
    p.add_argument("query", nargs="*", metavar="QUERY", help="only articles this query finds")
    p.add_argument("--limit", type=_positive, default=5, metavar="N", help="articles shown (5)")
    p.add_argument("--json", action="store_true", help="print a JSON array")

    p = command("stories", "list stories: one event as reported by several feeds")
    p.add_argument("--min-sources", type=_positive, default=2, metavar="N", help="feeds (2)")
    p.add_argument("--topic", metavar="NAME", help="only stories with an article in this topic")
    p.add_argument("--matching", action="store_true", help="only stories with a topic match")
    p.add_argument("--limit", type=_positive, default=50, metavar="N", help="at most N (50)")
    p.add_argument("--json", action="store_true", help="print a JSON array")

    p = command("story", "every feed's version of an article's story, and its merged quotes")
    p.add_argument("article_id", type=_positive, metavar="ARTICLE_ID")
    p.add_argument("--json", action="store_true", help="print a JSON object")

    p = command("import-opml", "add the feeds of an OPML file to feeds.toml (comments kept)")
    p.add_argument("file", metavar="FILE|-", help="OPML file to read, or - for stdin")
    p.add_argument("--dry-run", action="store_true", help="report, but do not change feeds.toml")

    p = command("export-opml", "write the configured feeds as OPML 2.0")
    p.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of stdout")

    p = command("reset-db", "move a corrupt or foreign database aside and start a new one")
    p.add_argument("--yes", action="store_true", help="do not ask for confirmation")

    p = command("show", "print one article: as text, Markdown (quotes marked) or JSON")
    options_from(p, "show", "add_arguments")

    p = command("export-state", "write read, starred and tags per article as JSON lines")
    options_from(p, "state", "add_export_arguments")

    p = command("import-state", "apply an export-state file to the matching stored articles")
    options_from(p, "state", "add_import_arguments")

    p = command("add", "add a feed, or the feed a web page announces, to feeds.toml")
    options_from(p, "add", "add_arguments")

    p = command("serve", "serve the reader to web browsers (loopback only unless told)")
    options_from(p, "serve", "add_arguments")
    return parser


def _positive(value: str) -> int:
    """argparse type: a positive integer."""
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a positive integer, got {value!r}") from None
    if number < 1:
        raise argparse.ArgumentTypeError(f"expected a positive integer, got {value!r}")
    return number
