"""Commands that change reading state in bulk, undo, and try rules: mark, undo, rules."""

from __future__ import annotations

import argparse

from natoread.commands.common import (
    EXIT_CONFIG,
    EXIT_OK,
    Context,
    err,
    known_names,
    plural,
    print_json,
)


def _feed_tags(context: Context) -> dict[str, tuple[str, ...]]:
    from natoread.core.triage.rules import feed_tags_of

    return feed_tags_of(context.config.feeds)


def cmd_mark(context: Context, args: argparse.Namespace) -> int:
    """`natoread mark [QUERY] [--id ID ...] --read|--unread|--star|--unstar|--tag|--untag`."""
    from natoread.core.query import QueryError
    from natoread.core.triage.actions import Mark, apply_mark, select_articles, tag_problem

    if args.tag is not None or args.untag is not None:
        name = args.tag if args.tag is not None else args.untag
        problem = tag_problem(name)
        if problem is not None:
            err(f"--{'tag' if args.tag is not None else 'untag'}: {problem}")
            return EXIT_CONFIG
        mark = Mark("tag" if args.tag is not None else "untag", name)
    else:
        kind = next(k for k in ("read", "unread", "star", "unstar") if getattr(args, k))
        mark = Mark(kind)
    text = " ".join(args.query)
    if not text.strip() and not args.id:
        err("give a QUERY or --id ID (to mark every article, use the query is:read OR is:unread)")
        return EXIT_CONFIG
    with context.open_store() as store:
        known = known_names(context, store)
        try:
            ids = select_articles(store, text or None, args.id or (), known, _feed_tags(context))
        except QueryError as exc:
            err(str(exc))
            return EXIT_CONFIG
        changed = apply_mark(store, ids, mark, dry_run=args.dry_run)
    if args.json:
        print_json({"matched": len(ids), "changed": changed, "dry_run": args.dry_run})
    else:
        verb = "would change" if args.dry_run else "changed"
        print(f"{plural(len(ids), 'article')} matched; {verb} {changed}.")
    return EXIT_OK


def cmd_undo(context: Context, args: argparse.Namespace) -> int:
    """`natoread undo [--list]`: take back the newest change."""
    from natoread.core.text.sanitize import clean_line
    from natoread.core.triage.actions import undo_last

    with context.open_store() as store:
        if args.list:
            steps = store.undo_steps()
            if args.json:
                print_json(
                    [{"label": s.label, "made": s.made, "articles": s.articles} for s in steps]
                )
            for step in [] if args.json else steps:
                print(clean_line(step.label))
            if not steps and not args.json:
                print("Nothing to undo.")
            return EXIT_OK
        undone = undo_last(store)
    if args.json:
        print_json(None if undone is None else {"label": undone.label, "articles": undone.articles})
    elif undone is None:
        print("Nothing to undo.")
    else:
        print(f"Undone: {clean_line(undone.label)}.")
    return EXIT_OK


def cmd_rules(context: Context, args: argparse.Namespace) -> int:
    """`natoread rules test [QUERY]`: what each rule matches in the store now."""
    import time

    from natoread.core.query import QueryError, check_query
    from natoread.core.storage.search import matching_ids
    from natoread.core.text.sanitize import clean_line
    from natoread.core.triage.apply import stored_matches

    rules = context.config.rules
    extra = " ".join(args.query)
    results = []
    with context.open_store() as store:
        known = known_names(context, store)
        try:
            node = check_query(extra, known)
        except QueryError as exc:
            err(str(exc))
            return EXIT_CONFIG
        narrow: set[int] | None = None
        if node is not None:
            tags = _feed_tags(context)
            narrow = set(matching_ids(store, node, time.time(), tags))
        for rule in rules:
            ids = stored_matches(store, rule, context.config.feeds)
            if narrow is not None:
                ids = [i for i in ids if i in narrow]
            rows = store.rows_by_ids(ids[: args.limit])
            results.append((rule, ids, rows))
    if args.json:
        print_json(
            [
                {
                    "rule": rule.number,
                    "query": rule.query,
                    "action": rule.action,
                    "tag": rule.tag or None,
                    "matches": len(ids),
                    "articles": [row.id for row in rows],
                }
                for rule, ids, rows in results
            ]
        )
        return EXIT_OK
    if not rules:
        print("No rules: add [[rules]] to feeds.toml (see docs/configuration.md).")
    for rule, ids, rows in results:
        action = f"tag '{clean_line(rule.tag, 60)}'" if rule.action == "tag" else rule.action
        print(f"{rule.name} {action}: {clean_line(rule.query)} — {plural(len(ids), 'article')}")
        for row in rows:
            print(f"  {row.id:>6} {clean_line(row.feed_title)[:18]:<18} {clean_line(row.title)}")
    return EXIT_OK
