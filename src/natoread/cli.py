"""The `natoread` command: the reader (no subcommand) and headless commands for scripts.

Exit status: 0 success, 1 some feeds failed, 2 config or usage error, 3 database error.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from natoread import __version__
from natoread.core.errors import ConfigError, NatoreadError, StoreError

EXIT_OK, EXIT_FAILED, EXIT_CONFIG, EXIT_STORE = 0, 1, 2, 3


class _Parser(argparse.ArgumentParser):
    """argparse that reports usage errors as one line plus a hint, with exit status 2."""

    def error(self, message: str) -> Any:
        self.exit(EXIT_CONFIG, f"{self.prog}: error: {message}\nTry '{self.prog} --help'.\n")


def _global_options(parser: argparse.ArgumentParser, *, suppress: bool) -> None:
    """--config and --data-dir, accepted before or after the subcommand."""
    default = argparse.SUPPRESS if suppress else None
    parser.add_argument("--config", metavar="FILE", default=default, help="feeds.toml to use")
    parser.add_argument(
        "--data-dir", metavar="DIR", default=default, help="directory of the SQLite store"
    )


def build_parser() -> argparse.ArgumentParser:
    """The full command-line grammar."""
    parser = _Parser(
        prog="natoread",
        description="Terminal reader for NATO alliance news: topics, quotes and who said what.",
        epilog="Run without a command to start the reader. Docs: README.md.",
    )
    parser.add_argument("--version", action="version", version=f"natoread {__version__}")
    _global_options(parser, suppress=False)
    common = _Parser(add_help=False)
    _global_options(common, suppress=True)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    def command(name: str, help_text: str) -> argparse.ArgumentParser:
        return sub.add_parser(name, help=help_text, description=help_text, parents=[common])

    p = command("fetch", "poll the feeds once (for cron); progress on a terminal")
    p.add_argument("--force", action="store_true", help="poll every enabled feed now")
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


class Context:
    """Resolved config and data locations for one command."""

    def __init__(self, args: argparse.Namespace) -> None:
        from natoread.core.config import load_config
        from natoread.core.paths import DB_NAME, find_config, find_data_dir

        self.config_path = find_config(args.config)
        self.config = load_config(self.config_path)
        self.data_dir = find_data_dir(args.data_dir)
        self.db_path = self.data_dir / DB_NAME

    def open_store(self) -> Any:
        """Open (creating if needed) the store."""
        from natoread.core.store import Store

        return Store(self.db_path)


def _err(message: str) -> None:
    """Print one line to stderr."""
    print(f"natoread: {message}", file=sys.stderr)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `natoread` console script."""
    args = build_parser().parse_args(argv)
    try:
        context = Context(args)
        if args.command is None:
            return _run_tui(context)
        handler: Callable[[Context, argparse.Namespace], int] = COMMANDS[args.command]
        return handler(context, args)
    except ConfigError as exc:
        _err(str(exc))
        return EXIT_CONFIG
    except StoreError as exc:
        _err(str(exc))
        return EXIT_STORE
    except NatoreadError as exc:
        _err(str(exc))
        return EXIT_FAILED
    except KeyboardInterrupt:
        _err("interrupted; everything stored so far is kept")
        return 130
    except BrokenPipeError:
        sys.stderr.close()
        return EXIT_OK


def _run_tui(context: Context) -> int:
    """Start the Textual reader."""
    from natoread.ui.app import run_app

    return run_app(context.config, context.db_path)


def _print_json(value: object) -> None:
    """Print JSON (control characters in strings are escaped by json)."""
    json.dump(value, sys.stdout, ensure_ascii=False, indent=None)
    sys.stdout.write("\n")


def _iso(value: Any) -> str | None:
    """datetime → ISO 8601 string."""
    return None if value is None else value.isoformat().replace("+00:00", "Z")


def cmd_fetch(context: Context, args: argparse.Namespace) -> int:
    """`natoread fetch`: one poll pass."""
    from natoread.core.poller import analyser_for, now_epoch, plan_poll, run_poll, sync_topics

    config = context.config
    if not config.feeds:
        _err(f'no feeds configured in {config.source}; add [[feeds]] tables with url = "…"')
        return EXIT_CONFIG
    now = now_epoch()
    analyser = analyser_for(config)
    with context.open_store() as store:
        sync_topics(store, analyser)
        plan = plan_poll(config, store, now=now, force=args.force)
        store.prune(config.settings.retention_days, now)
    counts = {"ok": 0, "not_modified": 0, "failed": 0, "skipped": len(plan.skipped)}
    new_total = 0
    show_progress = sys.stderr.isatty() and not args.json and not args.quiet
    outcomes: list[Any] = []

    async def run(progress: Callable[[], None]) -> None:
        nonlocal new_total
        async for outcome in run_poll(config, plan, context.db_path, analyser=analyser, now=now):
            outcomes.append(outcome)
            key = "failed" if outcome.failed else outcome.status
            counts[key] += 1
            new_total += len(outcome.new_ids)
            if args.json:
                _print_json(
                    {
                        "feed": outcome.feed_url,
                        "title": outcome.feed_title,
                        "status": outcome.status,
                        "new": len(outcome.new_ids),
                        "updated": outcome.updated,
                        "error": outcome.error,
                    }
                )
                sys.stdout.flush()
            elif outcome.failed:
                name = outcome.feed_url
                if outcome.feed_title != outcome.feed_url:
                    name = f"{outcome.feed_title} <{outcome.feed_url}>"
                _err(f"{name}: {outcome.error}")
            progress()

    if show_progress:
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

        with Progress(
            TextColumn("polling"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("feeds"),
            transient=True,
        ) as bar:
            task = bar.add_task("poll", total=len(plan.due))
            asyncio.run(run(lambda: bar.advance(task)))
    else:
        asyncio.run(run(lambda: None))
    if not args.json and not args.quiet:
        print(
            f"{len(plan.due)} feeds polled: {counts['ok']} updated, "
            f"{counts['not_modified']} not modified, {counts['failed']} failed"
            + (f", {counts['skipped']} skipped" if counts["skipped"] else "")
            + f"; {new_total} new articles"
        )
    _notify(config, context, [o for o in outcomes if o.new_ids])
    return EXIT_FAILED if counts["failed"] else EXIT_OK


def _notify(config: Any, context: Context, outcomes: list[Any]) -> None:
    """Bell and/or notification command for new articles in the chosen topics."""
    settings = config.settings
    if not outcomes or not settings.notify_topics:
        return
    from natoread.core.notify import notify_new

    with context.open_store() as store:
        ids = [i for o in outcomes for i in o.new_ids]
        notify_new(store, ids, settings)


def _article_json(row: Any) -> dict[str, object]:
    """ArticleRow → the public JSON shape of `list --json`."""
    return {
        "id": row.id,
        "feed": row.feed_title,
        "feed_id": row.feed_id,
        "title": row.title,
        "link": row.link,
        "published": _iso(row.published),
        "read": row.read,
        "starred": row.starred,
        "matched": row.matched,
        "score": round(row.score, 3),
        "topics": list(row.topics),
        "quotes": row.quote_count,
    }


def _print_rows(rows: Sequence[Any]) -> None:
    """Human-readable article lines, fitted to the terminal width."""
    import shutil

    from natoread.core.sanitize import clean_line

    width = shutil.get_terminal_size((100, 24)).columns
    for row in rows:
        mark = ("★" if row.starred else " ") + (" " if row.read else "•")
        topics = f" [{','.join(row.topics)}]" if row.topics else ""
        line = f"{row.id:>6} {mark} {row.published:%Y-%m-%d} {clean_line(row.feed_title)[:18]:<18} "
        room = max(10, width - len(line) - len(topics))
        print(line + clean_line(row.title)[:room] + topics)


def cmd_list(context: Context, args: argparse.Namespace) -> int:
    """`natoread list`."""
    from natoread.core.store import ArticleQuery

    query = ArticleQuery(
        unread=args.unread,
        starred=args.starred,
        matching=args.matching,
        topic=args.topic,
        feed=args.feed,
    )
    _check_topic(context, args.topic)
    with context.open_store() as store:
        limit = -1 if args.all else args.limit
        rows = store.list_articles(query, limit=limit)
        if args.json:
            _print_json([_article_json(row) for row in rows])
        elif not rows:
            total = store.count_articles()
            hint = "run `natoread fetch` first" if total == 0 else "no article matches the filters"
            print(f"No articles ({hint}).")
        else:
            _print_rows(rows)
    return EXIT_OK


def _check_topic(context: Context, topic: str | None) -> None:
    """Reject an unknown topic name with the list of known ones."""
    if topic is None:
        return
    names = [t.name for t in context.config.topics]
    if topic not in names:
        import difflib

        close = difflib.get_close_matches(topic, names, n=1)
        hint = f"did you mean {close[0]!r}? " if close else ""
        raise ConfigError("--topic", topic, f"unknown topic; {hint}known: {', '.join(names)}")


def cmd_feeds(context: Context, args: argparse.Namespace) -> int:
    """`natoread feeds`: health per configured feed."""
    from natoread.core.sanitize import clean_line

    urls = [f.url for f in context.config.feeds]
    with context.open_store() as store:
        store.sync_feeds((f.url, f.title, f.show == "all") for f in context.config.feeds)
        health = store.feeds_health(urls)
    enabled = {f.url: f.enabled for f in context.config.feeds}
    if args.json:
        _print_json(
            [
                {
                    "url": h.url,
                    "title": h.title,
                    "enabled": enabled.get(h.url, True),
                    "articles": h.articles,
                    "unread": h.unread,
                    "matching": h.matching,
                    "last_fetch": _iso(h.last_fetch),
                    "last_success": _iso(h.last_success),
                    "last_error": h.last_error,
                    "last_status": h.last_status,
                    "consecutive_failures": h.error_count,
                    "etag": h.has_etag,
                    "gone": h.gone,
                    "moved_to": h.moved_to,
                    "retry_after": _iso(h.retry_after),
                }
                for h in health
            ]
        )
        return EXIT_OK
    for h in health:
        state = (
            "GONE" if h.gone else ("FAIL" if h.error_count else ("ok" if h.last_success else "new"))
        )
        when = f"{h.last_success:%Y-%m-%d %H:%M}" if h.last_success else "never"
        print(f"{state:<4} {h.articles:>5} articles  last ok {when:<16} {clean_line(h.title)[:50]}")
        if h.last_error:
            print(f"     error: {clean_line(h.last_error)}")
        if h.moved_to:
            print(f"     moved permanently to {h.moved_to}; update feeds.toml")
    return EXIT_OK


def cmd_check_config(context: Context, args: argparse.Namespace) -> int:
    """`natoread check-config`: print the validated config."""
    config = context.config
    settings = config.settings
    print(f"config: {config.source} (valid)")
    print(f"data:   {context.db_path}")
    print(
        f"settings: refresh {settings.refresh_s // 60} min, concurrency {settings.concurrency}"
        f" ({settings.per_host} per host), timeout {settings.timeout_s:g} s,"
        f" max size {settings.max_bytes // 1000} KB, retention "
        + (f"{settings.retention_days} days" if settings.retention_days else "forever")
    )
    print(f"feeds: {len(config.feeds)} ({sum(f.enabled for f in config.feeds)} enabled)")
    for feed in config.feeds:
        flags = [] if feed.enabled else ["disabled"]
        if feed.fulltext:
            flags.append("fulltext")
        if feed.show == "all":
            flags.append("show all")
        tags = f" [{', '.join(feed.tags)}]" if feed.tags else ""
        extra = f" ({', '.join(flags)})" if flags else ""
        print(f"  {feed.title or '-'}: {feed.url}{tags}{extra}")
    print("topics: " + ", ".join(t.name for t in config.topics if t.enabled))
    if config.keys:
        print("keys: " + ", ".join(f"{k}={v}" for k, v in config.keys.items()))
    return EXIT_OK


def read_input(name: str) -> str:
    """Read FILE or stdin as text; HTML is converted to plain text."""
    if name == "-":
        data = sys.stdin.buffer.read()
    else:
        try:
            data = Path(name).read_bytes()
        except OSError as exc:
            raise ConfigError(name, "", f"cannot read: {exc.strerror}") from None
    text = data.decode("utf-8", errors="replace")
    stripped = text.lstrip().lower()
    if stripped.startswith(("<!doctype html", "<html")) or "<body" in stripped[:5000]:
        from natoread.core.fulltext import page_to_text

        return page_to_text(text)
    from natoread.core.sanitize import clean_text

    return clean_text(text)


def cmd_match(context: Context, args: argparse.Namespace) -> int:
    """`natoread match FILE`: topic verdict for one article."""
    from natoread.core.topics import compile_topics

    text = read_input(args.file)
    result = compile_topics(context.config.topics).classify_document(text)
    if args.json:
        _print_json(
            {
                "matched": result.matched,
                "score": round(result.score, 3),
                "topics": list(result.topics),
                "scores": {s.topic: round(s.score, 3) for s in result.scores},
                "spans": [
                    {"start": s.start, "end": s.end, "term": s.term, "topic": s.topic}
                    for s in result.spans
                ],
            }
        )
    else:
        verdict = "MATCH" if result.matched else "no match"
        print(
            f"{verdict}: score {result.score:.2f}"
            + (f" ({', '.join(result.topics)})" if result.topics else "")
        )
        for s in result.spans:
            print(f"  {s.topic:<11} {s.start:>6}-{s.end:<6} {text[s.start : s.end]!r}")
    return EXIT_OK


def _quote_json(quote: Any) -> dict[str, object]:
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


def cmd_quotes(context: Context, args: argparse.Namespace) -> int:
    """`natoread quotes FILE` or `natoread quotes --speaker NAME`."""
    from natoread.core.sanitize import clean_line

    if args.speaker is None:
        if args.file is None:
            raise ConfigError("quotes", "", "give a FILE (or - for stdin) or --speaker NAME")
        from natoread.core.quotes import extract_quotes

        quotes = extract_quotes(read_input(args.file))
        if args.json:
            _print_json([_quote_json(q) for q in quotes])
        for q in [] if args.json else quotes:
            kind = "partial" if q.partial else "quote"
            who = q.speaker or "(unattributed)"
            print(f"{who} [{kind} {q.start}-{q.end}]: “{clean_line(q.text, 400)}”")
        return EXIT_OK
    from natoread.core.quotes import speaker_key

    _check_topic(context, args.topic)
    with context.open_store() as store:
        found = store.quotes_by_speaker(speaker_key(args.speaker), args.topic, args.limit)
    if args.json:
        _print_json(
            [
                {
                    **_quote_json(item.quote),
                    "article_id": item.article_id,
                    "article": item.article_title,
                    "feed": item.feed_title,
                    "published": _iso(item.published),
                }
                for item in found
            ]
        )
        return EXIT_OK
    if not found:
        print(f"No stored quotes by {clean_line(args.speaker)}.")
    for item in found:
        source = clean_line(item.feed_title)[:20]
        print(f"{item.published:%Y-%m-%d} {source:<20} “{clean_line(item.quote.text, 300)}”")
    return EXIT_OK


def cmd_speakers(context: Context, args: argparse.Namespace) -> int:
    """`natoread speakers`: who is quoted most."""
    from natoread.core.sanitize import clean_line

    _check_topic(context, args.topic)
    with context.open_store() as store:
        ranked = store.speakers(args.topic)[: args.limit]
    if args.json:
        _print_json([{"speaker": name, "key": key, "count": count} for key, name, count in ranked])
        return EXIT_OK
    for _, name, count in ranked:
        print(f"{count:>5}  {clean_line(name)}")
    return EXIT_OK


def cmd_reset_db(context: Context, args: argparse.Namespace) -> int:
    """`natoread reset-db`: move the database aside (never delete it)."""
    from natoread.core.store import move_aside

    if not context.db_path.exists():
        print(f"No database at {context.db_path}; nothing to do.")
        return EXIT_OK
    if not args.yes:
        if not sys.stdin.isatty():
            _err("refusing to move the database without --yes")
            return EXIT_CONFIG
        answer = input(f"Move {context.db_path} aside and start empty? [y/N] ")
        if answer.strip().lower() not in ("y", "yes"):
            return EXIT_OK
    target = move_aside(context.db_path)
    print(f"Moved the old database to {target}; the next run starts a new one.")
    return EXIT_OK


def cmd_search(context: Context, args: argparse.Namespace) -> int:
    """`natoread search QUERY` or `natoread search --saved NAME`."""
    from natoread.core.search import search

    text = " ".join(args.query)
    if args.saved is not None:
        saved = {s.name: s.query for s in context.config.searches}
        if args.saved not in saved:
            known = ", ".join(saved) or "none configured; add [[searches]] to feeds.toml"
            raise ConfigError("--saved", args.saved, f"unknown saved search; known: {known}")
        text = f"({saved[args.saved]}) {text}" if text.strip() else saved[args.saved]
    with context.open_store() as store:
        result = search(store, text, limit=args.limit)
        if result.error is not None:
            _err(result.error)
            return EXIT_CONFIG
        rows = store.rows_by_ids(result.ids)
    if args.json:
        _print_json([_article_json(row) for row in rows])
    elif not rows:
        print("No articles match.")
    else:
        _print_rows(rows)
    return EXIT_OK


def cmd_stories(context: Context, args: argparse.Namespace) -> int:
    """`natoread stories`: events covered by several feeds, latest first."""
    from natoread.core.sanitize import clean_line
    from natoread.core.store import ArticleQuery
    from natoread.core.stories import assign_unassigned, list_stories

    _check_topic(context, args.topic)
    query = ArticleQuery(topic=args.topic, matching=args.matching)
    with context.open_store() as store:
        assign_unassigned(store)
        stories = list_stories(store, args.min_sources, args.limit, query)
    if args.json:
        _print_json(
            [
                {
                    "story_id": s.story_id,
                    "title": s.title,
                    "sources": s.sources,
                    "feeds": list(s.feeds),
                    "articles": list(s.article_ids),
                    "first_published": _iso(s.first_published),
                    "latest_published": _iso(s.latest_published),
                }
                for s in stories
            ]
        )
        return EXIT_OK
    if not stories:
        print(f"No stories reported by {args.min_sources} or more feeds.")
    for s in stories:
        when = f"{s.latest_published:%Y-%m-%d}"
        print(f"{s.story_id:>6} {when} {s.sources:>2} feeds  {clean_line(s.title)}")
        print(f"       {clean_line(', '.join(s.feeds), 200)}")
    return EXIT_OK


def cmd_story(context: Context, args: argparse.Namespace) -> int:
    """`natoread story ARTICLE_ID`: all versions and the quotes merged across them."""
    from natoread.core.sanitize import clean_line
    from natoread.core.stories import assign_stories, story_id_of, story_of, story_quotes

    with context.open_store() as store:
        if store.get_article(args.article_id) is None:
            _err(f"no article {args.article_id}; see `natoread list`")
            return EXIT_CONFIG
        assign_stories(store, [args.article_id])
        story_id = story_id_of(store, args.article_id) or args.article_id
        rows = story_of(store, args.article_id)
        quotes = story_quotes(store, story_id)
    if args.json:
        _print_json(
            {
                "story_id": story_id,
                "articles": [_article_json(row) for row in rows],
                "quotes": [
                    {
                        "text": q.text,
                        "speaker": q.speaker,
                        "partial": q.partial,
                        "sources": [
                            {
                                "article_id": s.article_id,
                                "feed": s.feed_title,
                                "published": _iso(s.published),
                            }
                            for s in q.sources
                        ],
                    }
                    for q in quotes
                ],
            }
        )
        return EXIT_OK
    _print_rows(rows)
    for q in quotes:
        who = clean_line(q.speaker) if q.speaker else "(unattributed)"
        feeds = ", ".join(dict.fromkeys(clean_line(s.feed_title, 40) for s in q.sources))
        print(f"  {who}: “{clean_line(q.text, 300)}” [{feeds}]")
    return EXIT_OK


def cmd_import_opml(context: Context, args: argparse.Namespace) -> int:
    """`natoread import-opml FILE`: append its feeds to the config in use (or create one)."""
    from natoread.core.opml import add_feeds, read_opml
    from natoread.core.paths import CONFIG_NAME, user_config_dir

    if args.file == "-":
        data = sys.stdin.buffer.read()
    else:
        try:
            data = Path(args.file).read_bytes()
        except OSError as exc:
            raise ConfigError(args.file, "", f"cannot read: {exc.strerror}") from None
    document = read_opml(data, args.file)
    for line in document.refused:
        print(line)
    target = context.config_path or user_config_dir() / CONFIG_NAME
    if args.dry_run:
        for feed in document.feeds:
            print(f"would add {feed.url}")
        return EXIT_OK
    result = add_feeds(target, document.feeds)
    for line in result.skipped:
        print(line)
    for feed in result.added:
        print(f"added {feed.title or feed.url} <{feed.url}>")
    print(
        f"{len(result.added)} feeds added to {result.path}; {len(result.skipped)} already there,"
        f" {len(document.refused)} refused"
    )
    return EXIT_OK


def cmd_export_opml(context: Context, args: argparse.Namespace) -> int:
    """`natoread export-opml`: the configured feeds as OPML 2.0."""
    from natoread.core.opml import export_opml

    data = export_opml(context.config.feeds)
    if args.output is None:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return EXIT_OK
    try:
        Path(args.output).write_bytes(data)
    except OSError as exc:
        raise ConfigError(args.output, "", f"cannot write: {exc.strerror}") from None
    print(f"{len(context.config.feeds)} feeds written to {args.output}", file=sys.stderr)
    return EXIT_OK


COMMANDS: dict[str, Callable[[Context, argparse.Namespace], int]] = {
    "fetch": cmd_fetch,
    "list": cmd_list,
    "feeds": cmd_feeds,
    "check-config": cmd_check_config,
    "match": cmd_match,
    "quotes": cmd_quotes,
    "speakers": cmd_speakers,
    "reset-db": cmd_reset_db,
    "search": cmd_search,
    "stories": cmd_stories,
    "story": cmd_story,
    "import-opml": cmd_import_opml,
    "export-opml": cmd_export_opml,
}

if __name__ == "__main__":
    raise SystemExit(main())
