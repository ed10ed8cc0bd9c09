"""Commands about feeds: fetch, feeds, check-config, reset-db, OPML import/export."""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from natoread.commands.common import (
    EXIT_CONFIG,
    EXIT_FAILED,
    EXIT_OK,
    Context,
    err,
    iso,
    noun,
    outcome_json,
    plural,
    print_json,
    progress_bar,
)
from natoread.core.errors import ConfigError

if TYPE_CHECKING:
    import argparse

    from natoread.core.config import Config
    from natoread.core.feeds.opml import ImportResult, OpmlFeed
    from natoread.core.polling.plan import PollOutcome
    from natoread.core.storage.store import Store


def cmd_fetch(context: Context, args: argparse.Namespace) -> int:
    """`natoread fetch`: one poll pass.

    Feeds that answered 304 last time are asked first with light probes (`pollplan`); only
    the rest go through the full pass, so a pass where nothing changed imports no HTTP client.
    """
    from natoread.core.polling import timeline
    from natoread.core.polling.plan import (
        analyser_for,
        now_epoch,
        plan_poll,
        settle_unchanged,
        sync_topics,
    )

    config = context.config
    if config.sync is not None:
        from natoread.commands.sync import cmd_sync_fetch

        return cmd_sync_fetch(context, args)
    if not config.feeds:
        err(f'no feeds configured in {config.source}; add [[feeds]] tables with url = "…"')
        return EXIT_CONFIG
    now = now_epoch()
    analyser = analyser_for(config)
    show_progress = sys.stderr.isatty() and not args.json and not args.quiet
    # One connection for the set-up and the probes (closed before the full pass): each
    # close of the last one checkpoints the WAL and syncs it to disk.
    store = context.open_store()
    try:
        with timeline.span("open store, re-derive, plan"):
            # Changed topic rules re-tag every stored article first: long on a big store.
            with progress_bar("re-tagging", "articles", show_progress) as retagged:
                sync_topics(store, analyser, retagged)
            if config.rules or store.get_meta("rules:applied"):
                from natoread.core.triage.apply import sync_rules

                with progress_bar("applying rules", "rules", show_progress) as applied:
                    sync_rules(store, config.rules, config.feeds, applied)
            plan = plan_poll(config, store, now=now, force=args.force, due_only=args.due)
            store.prune(config.settings.retention_days, now)
            seasoned = _seasoned_feeds(config, store)
    except BaseException:
        store.close()
        raise
    counts = {"ok": 0, "not_modified": 0, "failed": 0, "skipped": len(plan.skipped)}
    new_total = 0
    outcomes: list[PollOutcome] = []

    def report(outcome: PollOutcome) -> None:
        nonlocal new_total
        outcomes.append(outcome)
        key = "failed" if outcome.failed else outcome.status
        counts[key] += 1
        new_total += len(outcome.new_ids)
        if args.json:
            print_json(outcome_json(outcome))
            sys.stdout.flush()
        elif outcome.failed:
            name = outcome.feed_url
            if outcome.feed_title != outcome.feed_url:
                name = f"{outcome.feed_title} <{outcome.feed_url}>"
            err(f"{name}: {outcome.error}")

    def run(progress: Callable[[], None]) -> None:
        def settled(outcome: PollOutcome) -> None:
            report(outcome)
            progress()

        try:
            rest = settle_unchanged(config, store, plan, now=now, on_outcome=settled)
        finally:
            store.close()
        if not rest.due:
            return
        import asyncio

        from natoread.core.polling.run import run_poll

        async def full_pass() -> None:
            async for outcome in run_poll(
                config, rest, context.db_path, analyser=analyser, now=now
            ):
                settled(outcome)

        with timeline.span("full pass", feeds=len(rest.due)):
            asyncio.run(full_pass())

    polled = 0

    with progress_bar("polling", "feeds", show_progress) as polling:

        def advance() -> None:
            nonlocal polled
            polled += 1
            polling(polled, len(plan.due))

        polling(0, len(plan.due))
        run(advance)
    if not args.json and not args.quiet:
        print(
            f"{plural(len(plan.due), 'feed')} polled: {counts['ok']} updated, "
            f"{counts['not_modified']} not modified, {counts['failed']} failed"
            + (f", {counts['skipped']} skipped" if counts["skipped"] else "")
            + f"; {new_total} new {noun(new_total, 'article')}"
        )
    _notify(config, context, [o for o in outcomes if o.new_ids], seasoned)
    return EXIT_FAILED if counts["failed"] else EXIT_OK


def _seasoned_feeds(config: Config, store: Store) -> frozenset[int]:
    """Feeds past their first successful poll, read before the pass (none without
    notification topics): a first poll's backlog is not news."""
    if not config.settings.notify_topics:
        return frozenset()
    from natoread.core.system.notify import seasoned_feeds

    return seasoned_feeds(store, [feed.url for feed in config.feeds])


def _notify(
    config: Config, context: Context, outcomes: list[PollOutcome], seasoned: frozenset[int]
) -> None:
    """Bell and/or notification command for new articles in the chosen topics, saying aloud
    when the command's cap left some out."""
    settings = config.settings
    if not outcomes or not settings.notify_topics or not seasoned:
        return
    from natoread.core.system.notify import notify_new

    with context.open_store() as store:
        ids = [i for o in outcomes for i in o.new_ids]
        notified = notify_new(store, ids, settings, seasoned=seasoned)
    if notified.command_failure:
        err(notified.command_failure)
    note = notified.limit_note()
    if note:
        err(note)


def cmd_feeds(context: Context, args: argparse.Namespace) -> int:
    """`natoread feeds`: health per configured feed."""
    from natoread.core.text.dates import format_date
    from natoread.core.text.sanitize import clean_line

    urls = [f.url for f in context.config.feeds]
    with context.open_store() as store:
        store.sync_feeds((f.url, f.title, f.show == "all") for f in context.config.feeds)
        if context.config.sync is not None:  # the server's feeds, with its health
            from natoread.core.storage.sync import SyncStore

            with SyncStore(context.db_path) as synced:
                urls = synced.synced_feed_urls()
        health = store.feeds_health(urls)
        dropped = store.dropped_counts()
    if context.config.sync is not None and not health:
        from natoread.commands.sync import feeds_not_synced

        return feeds_not_synced(context, args)
    enabled = {f.url: f.enabled for f in context.config.feeds}
    if args.json:
        print_json(
            [
                {
                    "url": h.url,
                    "title": h.title,
                    "enabled": enabled.get(h.url, True),
                    "articles": h.articles,
                    "unread": h.unread,
                    "matching": h.matching,
                    "dropped": dropped.get(h.id, 0),
                    "last_fetch": iso(h.last_fetch),
                    "last_success": iso(h.last_success),
                    "last_error": h.last_error,
                    "last_status": h.last_status,
                    "consecutive_failures": h.error_count,
                    "etag": h.has_etag,
                    "gone": h.gone,
                    "moved_to": h.moved_to,
                    "retry_after": iso(h.retry_after),
                }
                for h in health
            ]
        )
        return EXIT_OK
    for h in health:
        state = (
            "GONE" if h.gone else ("FAIL" if h.error_count else ("ok" if h.last_success else "new"))
        )
        when = format_date(h.last_success, "%Y-%m-%d %H:%M", local=False, missing="never")
        count = f"{h.articles:>5} {noun(h.articles, 'article'):<9}"
        print(f"{state:<4} {count} last ok {when:<16} {clean_line(h.title)[:50]}")
        if h.last_error:
            # An ok feed's note is a warning (a broken document that was read anyway).
            label = "error" if h.error_count or h.gone else "warning"
            print(f"     {label}: {clean_line(h.last_error)}")
        if h.moved_to:
            print(f"     moved permanently to {clean_line(h.moved_to)}; update feeds.toml")
    return EXIT_OK


def cmd_check_config(context: Context, args: argparse.Namespace) -> int:
    """`natoread check-config`: print the validated config.

    Everything printed from the file goes through the sanitiser: a title or a search name
    may hold control sequences (written as TOML escapes, or imported from OPML).
    """
    from natoread.core.text.sanitize import clean_line

    config = context.config
    settings = config.settings
    written = _AsWritten(config)
    retention = written.get("retention_days", "0")
    print(f"config: {clean_line(config.source)} (valid)")
    print(f"data:   {clean_line(str(context.db_path))}")
    print(
        f"settings: refresh {written.get('refresh', '30m', unit=' min')},"
        f" concurrency {written.get('concurrency', '16')}"
        f" ({written.get('per_host', '4')} per host),"
        f" timeout {written.get('timeout', '20')} s,"
        f" max size {written.get('max_size', '10MiB', unit=' bytes')},"
        f" max {written.get('max_items', '2000')} items a document, retention "
        + (f"{retention} days" if retention != "0" else "forever")
    )
    if settings.notify_command:
        print("notify: " + " ".join(clean_line(part, 200) for part in settings.notify_command))
    if settings.pipe_command:
        print("pipe: " + " ".join(clean_line(part, 200) for part in settings.pipe_command))
    if settings.text_width:
        print(f"reader: text width {written.get('text_width', '0')} cells")
    if config.sync is not None:  # never the secret, only where it comes from
        sync = config.sync
        user = f" as {clean_line(sync.username, 100)}" if sync.username else ""
        print(f"sync: {sync.service} {clean_line(sync.url, 300)}{user}, {sync.secret_source()}")
    print(f"feeds: {len(config.feeds)} ({sum(f.enabled for f in config.feeds)} enabled)")
    for feed in config.feeds:
        flags = [] if feed.enabled else ["disabled"]
        if feed.fulltext:
            flags.append("fulltext")
        if feed.show == "all":
            flags.append("show all")
        tags = f" [{', '.join(clean_line(tag, 60) for tag in feed.tags)}]" if feed.tags else ""
        extra = f" ({', '.join(flags)})" if flags else ""
        print(f"  {clean_line(feed.title or '-', 200)}: {clean_line(feed.url, 500)}{tags}{extra}")
    print("topics: " + ", ".join(clean_line(t.name, 60) for t in config.topics if t.enabled))
    for search in config.searches:
        print(f"search: {clean_line(search.name, 100)}: {clean_line(search.query, 300)}")
    for rule in config.rules:
        action = f"tag {clean_line(rule.tag, 60)}" if rule.action == "tag" else rule.action
        scope = ", ".join(clean_line(name, 100) for name in (*rule.feeds, *rule.feedtags))
        where = f" (only {scope})" if scope else ""
        print(f"rule {rule.number}: {action}: {clean_line(rule.query, 300)}{where}")
    if config.keys:
        print("keys: " + ", ".join(f"{k}={clean_line(v, 60)}" for k, v in config.keys.items()))
    return EXIT_OK


class _AsWritten:
    """`[settings]` values as the file writes them ("90s", "10MB"), or the default's text."""

    def __init__(self, config: Config) -> None:
        self.values = config.settings_as_written

    def get(self, key: str, default: str, unit: str = "") -> str:
        """The value of `key` as written; a bare number gets its implied `unit`."""
        from natoread.core.text.sanitize import clean_line

        value = self.values.get(key)
        if value is None:
            return default
        if isinstance(value, str):
            return clean_line(value, 60)
        return f"{value}{unit}"


def cmd_reset_db(context: Context, args: argparse.Namespace) -> int:
    """`natoread reset-db`: move the database aside (never delete it)."""
    from natoread.core.storage.store import move_aside

    if not context.db_path.exists():
        print(f"No database at {context.db_path}; nothing to do.")
        return EXIT_OK
    if not args.yes:
        if not sys.stdin.isatty():
            err("refusing to move the database without --yes")
            return EXIT_CONFIG
        answer = input(f"Move {context.db_path} aside and start empty? [y/N] ")
        if answer.strip().lower() not in ("y", "yes"):
            return EXIT_OK
    target = move_aside(context.db_path)
    print(f"Moved the old database to {target}; the next run starts a new one.")
    return EXIT_OK


def cmd_import_opml(context: Context, args: argparse.Namespace) -> int:
    """`natoread import-opml FILE`: append its feeds to the config in use (or create one)."""
    from natoread.core.feeds.opml import add_feeds, read_opml
    from natoread.core.paths import CONFIG_NAME, user_config_dir
    from natoread.core.text.sanitize import clean_line

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
    result = _dry_run(target, document.feeds) if args.dry_run else add_feeds(target, document.feeds)
    for line in result.skipped:
        print(line)
    verb = "would add" if args.dry_run else "added"
    for feed in result.added:
        print(f"{verb} {clean_line(feed.title or feed.url, 200)} <{clean_line(feed.url, 500)}>")
    print(
        f"{plural(len(result.added), 'feed')} {'would be ' if args.dry_run else ''}added to"
        f" {target}; {len(result.skipped)} already there, {len(document.refused)} refused"
    )
    return EXIT_OK


def _dry_run(target: Path, feeds: Sequence[OpmlFeed]) -> ImportResult:
    """What `add_feeds` would do to `target`: the real import, run on a copy of the file (so
    the counts, the duplicates skipped and the validation are the real run's)."""
    import shutil
    import tempfile

    from natoread.core.feeds.opml import ImportResult, add_feeds

    with tempfile.TemporaryDirectory(prefix="natoread-dry-run-") as directory:
        copy = Path(directory) / target.name
        if target.exists():
            shutil.copyfile(target, copy)
        try:
            result = add_feeds(copy, feeds)
        except ConfigError as exc:
            raise ConfigError(str(target), exc.where, exc.message) from None
    return ImportResult(target, result.added, result.skipped)


def cmd_export_opml(context: Context, args: argparse.Namespace) -> int:
    """`natoread export-opml`: the configured feeds as OPML 2.0."""
    from natoread.core.feeds.opml import export_opml

    data = export_opml(context.config.feeds)
    if args.output is None:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return EXIT_OK
    try:
        Path(args.output).write_bytes(data)
    except OSError as exc:
        raise ConfigError(args.output, "", f"cannot write: {exc.strerror}") from None
    written = plural(len(context.config.feeds), "feed")
    print(f"{written} written to {args.output}", file=sys.stderr)
    return EXIT_OK
