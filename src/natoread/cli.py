"""The `natoread` command: the reader (no subcommand) and headless commands for scripts.

Exit status: 0 success, 1 some feeds failed, 2 config or usage error, 3 database error.
"""

from __future__ import annotations

import importlib
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from types import SimpleNamespace
from typing import TYPE_CHECKING, cast

from natoread.commands.common import (
    EXIT_CONFIG,
    EXIT_FAILED,
    EXIT_OK,
    EXIT_STORE,
    Context,
    err,
)
from natoread.core.errors import ConfigError, NatoreadError, StoreError

if TYPE_CHECKING:
    import argparse


def build_parser(running: str | None = None) -> argparse.ArgumentParser:
    """The command-line grammar (see `grammar.build_parser`), loaded when a line needs it."""
    from natoread.grammar import build_parser as grammar

    return grammar(running)


_FETCH_FLAGS = {
    "--due": "due",
    "--force": "force",
    "--json": "json",
    "--quiet": "quiet",
    "-q": "quiet",
}
_GLOBAL_OPTIONS = {"--config": "config", "--data-dir": "data_dir"}


def plain_fetch(argv: Sequence[str]) -> argparse.Namespace | None:
    """The arguments of a plain `natoread fetch` line, read without argparse; None for any
    other line, which the grammar then reads.

    A cron job runs this line every few minutes, and making argparse's parsers costs more
    than a pass in which no feed changed. Plain means: the word `fetch` once, the global
    options spelled in full (`--config FILE`, `--config=FILE`, anywhere; the last one
    counts, as with argparse), fetch's own flags spelled in full after it, and values that
    are neither empty nor start with "-". Anything else (abbreviations, help, `--`, a value
    argparse would take for an option, a mistake) goes to the grammar, which gives it its
    usual meaning or error.
    """
    values: dict[str, object] = {"config": None, "data_dir": None, "command": None}
    values.update(dict.fromkeys(_FETCH_FLAGS.values(), False))
    tokens = iter(argv)
    for token in tokens:
        name, equals, value = token.partition("=")
        if name in _GLOBAL_OPTIONS:
            value = value if equals else next(tokens, "")
            if not value or value.startswith("-"):
                return None
            values[_GLOBAL_OPTIONS[name]] = value
        elif token == "fetch" and values["command"] is None:
            values["command"] = "fetch"
        elif token in _FETCH_FLAGS and values["command"] == "fetch":
            values[_FETCH_FLAGS[token]] = True
        else:
            return None
    if values["command"] is None:
        return None
    # The handlers read attributes only: a plain namespace stands in for argparse's.
    return cast("argparse.Namespace", SimpleNamespace(**values))


def command_in(argv: Sequence[str]) -> str | None:
    """The command named on a command line, or None (no command, or not a known one)."""
    word = next(_words(argv), None)
    return word if word in COMMANDS else None


def _words(argv: Sequence[str]) -> Iterator[str]:
    """The words of a command line up to `--` (which is one): not the options, nor the values
    of the global options, including abbreviations (`--conf F`)."""
    value_next = False
    for token in argv:
        if value_next:
            value_next = False
        elif token == "--":
            yield token
            return
        elif token.startswith("-"):
            name = token.split("=", 1)[0]
            value_next = "=" not in token and len(name) > 2
            value_next = value_next and any(o.startswith(name) for o in ("--config", "--data-dir"))
        else:
            yield token


def _may_name_commands(argv: Sequence[str]) -> bool:
    """Whether a command line without a known command still needs every command's parser:
    to list them (--help, or an abbreviation of it) or to refuse a word that is not one."""
    asks_help = any(t == "-h" or (len(t) > 2 and "--help".startswith(t)) for t in argv)
    return asks_help or next(_words(argv), None) is not None


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `natoread` console script."""
    argv = sys.argv[1:] if argv is None else list(argv)
    running = command_in(argv)
    if running is None and not _may_name_commands(argv):
        running = ""
    args = plain_fetch(argv) or build_parser(running).parse_args(argv)
    try:
        context = Context(args)
        if args.command is None:
            return _run_tui(context)
        return handler_for(args.command)(context, args)
    except ConfigError as exc:
        err(str(exc))
        return EXIT_CONFIG
    except StoreError as exc:
        err(str(exc))
        return EXIT_STORE
    except NatoreadError as exc:
        err(str(exc))
        return EXIT_FAILED
    except KeyboardInterrupt:
        err("interrupted; everything stored so far is kept")
        return 130
    except BrokenPipeError:
        sys.stderr.close()
        return EXIT_OK


def _run_tui(context: Context) -> int:
    """Start the Textual reader, on a terminal only.

    Textual reads keys from stdin and draws on stderr: with either redirected (`natoread
    2>log`) it would write the whole screen, escape sequences and all, into the file; with
    stdout redirected (`natoread | less`) the pager and the reader would fight over the
    terminal.
    """
    redirected = [
        name
        for name, stream in (("stdin", sys.stdin), ("stdout", sys.stdout), ("stderr", sys.stderr))
        if stream is None or not stream.isatty()
    ]
    # Served to a browser (`natoread serve`), the reader's terminal is textual-serve's pipes.
    served = os.environ.get("TEXTUAL_DRIVER", "").endswith(":WebDriver")
    if redirected and not served:
        verb = "is" if len(redirected) == 1 else "are"
        message = (
            f"the reader needs a terminal, but {' and '.join(redirected)} {verb} not one;"
            " for a file or a pipe use a command such as `natoread list` (see --help)"
        )
        err(message)
        if sys.stderr is not None and not sys.stderr.isatty() and "stdout" not in redirected:
            print(f"natoread: {message}")  # the user at the terminal sees why nothing started
        return EXIT_CONFIG
    from natoread.ui.app import run_app

    return run_app(context.config, context.db_path)


COMMANDS: dict[str, tuple[str, str]] = {
    "fetch": ("feeds", "cmd_fetch"),
    "list": ("articles", "cmd_list"),
    "feeds": ("feeds", "cmd_feeds"),
    "check-config": ("feeds", "cmd_check_config"),
    "match": ("analysis", "cmd_match"),
    "quotes": ("analysis", "cmd_quotes"),
    "speakers": ("analysis", "cmd_speakers"),
    "reset-db": ("feeds", "cmd_reset_db"),
    "search": ("articles", "cmd_search"),
    "stories": ("articles", "cmd_stories"),
    "story": ("articles", "cmd_story"),
    "import-opml": ("feeds", "cmd_import_opml"),
    "export-opml": ("feeds", "cmd_export_opml"),
    "serve": ("serve", "cmd_serve"),
    "show": ("show", "cmd_show"),
    "export-state": ("state", "cmd_export_state"),
    "import-state": ("state", "cmd_import_state"),
    "add": ("add", "cmd_add"),
    "mark": ("triage", "cmd_mark"),
    "undo": ("triage", "cmd_undo"),
    "rules": ("triage", "cmd_rules"),
}
"""Each command's handler as (module in `natoread.commands`, function): only the module of
the command that runs is imported, which keeps a cron `fetch` from loading the others."""


def handler_for(command: str) -> Callable[[Context, argparse.Namespace], int]:
    """The handler function of a command."""
    module, function = COMMANDS[command]
    handler: Callable[[Context, argparse.Namespace], int] = getattr(
        importlib.import_module(f"natoread.commands.{module}"), function
    )
    return handler


if __name__ == "__main__":
    raise SystemExit(main())
