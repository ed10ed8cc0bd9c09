"""`natoread fetch` when feeds.toml has `[sync]`: one sync pass with the feed server."""

from __future__ import annotations

import argparse
import sys

from natoread.commands.common import (
    EXIT_FAILED,
    EXIT_OK,
    Context,
    err,
    noun,
    outcome_json,
    plural,
    print_json,
    progress_bar,
)


def cmd_sync_fetch(context: Context, args: argparse.Namespace) -> int:
    """Sync with the server of `[sync]`; prints as `fetch` does, one line on failure."""
    from natoread.core.polling.plan import analyser_for, now_epoch, sync_topics
    from natoread.core.sync.feeds import with_server_feeds
    from natoread.core.sync.run import sync_pass

    written = context.config.feeds
    if written and not args.quiet and not args.json:
        err(
            f"note: [sync] is set: the server's subscriptions are the feed list; "
            f"the {plural(len(written), 'feed')} of [[feeds]] are not polled"
        )
    # The server's feeds as last synced stand for [[feeds]] (rules that name a feed).
    config = with_server_feeds(context.config, context.db_path)
    assert config.sync is not None
    now = now_epoch()
    analyser = analyser_for(config)
    show_progress = sys.stderr.isatty() and not args.json and not args.quiet
    with context.open_store() as store:
        with progress_bar("re-tagging", "articles", show_progress) as retagged:
            sync_topics(store, analyser, retagged)
        if config.rules or store.get_meta("rules:applied"):
            from natoread.core.triage.apply import sync_rules

            with progress_bar("applying rules", "rules", show_progress) as applied:
                sync_rules(store, config.rules, config.feeds, applied)
        store.prune(config.settings.retention_days, now)
    seasoned = frozenset[int]()
    if config.settings.notify_topics:  # as `fetch`: a feed's first backlog is not news
        from natoread.core.storage.sync import SyncStore
        from natoread.core.system.notify import seasoned_feeds

        with SyncStore(context.db_path) as synced:
            seasoned = seasoned_feeds(synced, synced.synced_feed_urls())
    with progress_bar("syncing", "entries", show_progress) as syncing:
        result = sync_pass(
            config, context.db_path, analyser, now=now, on_progress=lambda n: syncing(n, 0)
        )
    new_total = 0
    failed = 0
    for outcome in result.outcomes:
        new_total += len(outcome.new_ids)
        failed += outcome.failed
        if args.json:
            print_json(outcome_json(outcome))
        elif outcome.failed and not args.quiet:
            err(f"{outcome.feed_title} <{outcome.feed_url}>: {outcome.error} (as the server says)")
    if result.error:
        err(result.error)
    if not args.json and not args.quiet:
        print(
            f"synced {plural(len(result.outcomes), 'feed')}: {new_total} new "
            f"{noun(new_total, 'article')}, {result.changed} read/star "
            f"{noun(result.changed, 'change')} from the server, {result.sent} sent to it"
        )
    from natoread.commands.feeds import _notify

    _notify(config, context, [o for o in result.outcomes if o.new_ids], seasoned)
    return EXIT_FAILED if result.error or failed else EXIT_OK


NO_SYNC_YET = "no sync yet: run natoread fetch to read the server's feeds"


def feeds_not_synced(context: Context, args: argparse.Namespace) -> int:
    """`natoread feeds` with `[sync]` and no server feed stored: before the first sync pass
    say so (on stderr with --json, whose output stays an empty array); after it, the server
    has no subscriptions and the list is empty. Not a failure either way."""
    from natoread.core.storage.sync import SyncStore

    assert context.config.sync is not None
    with SyncStore(context.db_path) as store:
        synced = store.cursor(context.config.sync.account_key, "synced") is not None
    if args.json:
        print_json([])
        if not synced:
            err(NO_SYNC_YET)
    elif not synced:
        print(NO_SYNC_YET)
    return EXIT_OK


def add_to_server(context: Context, url: str, title: str | None) -> int:
    """`natoread add` while syncing: subscribe on the server, which polls the feed."""
    from natoread.core.sync.config import SyncError
    from natoread.core.sync.subscribe import subscribe
    from natoread.core.text.sanitize import clean_line

    sync = context.config.sync
    assert sync is not None
    try:
        subscribe(context.config, url, title)
    except SyncError as exc:
        err(str(exc))
        return EXIT_FAILED
    shown = f"'{clean_line(title, 200)}' " if title else ""
    print(
        f"Subscribed to {shown}<{clean_line(url, 300)}> on {clean_line(sync.url, 300)}; "
        "the next sync brings its entries."
    )
    return EXIT_OK
