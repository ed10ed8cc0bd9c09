"""Commands that list stored articles: list, search, stories, story."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from natoread.commands.common import (
    EXIT_CONFIG,
    EXIT_OK,
    Context,
    article_json,
    check_feed,
    check_topic,
    err,
    iso,
    known_names,
    print_json,
    print_rows,
    progress_bar,
)
from natoread.core.errors import ConfigError

if TYPE_CHECKING:
    from natoread.core.storage.store import Store


def add_sort_argument(parser: argparse.ArgumentParser) -> None:
    """`list --sort`: the orders are the store's (`storage/ordering.py`)."""
    from natoread.core.storage.ordering import SORT_ORDERS

    parser.add_argument(
        "--sort",
        choices=SORT_ORDERS,
        default=SORT_ORDERS[0],
        help="newest (default) or oldest first, by topic score, by number of outlets"
        " carrying the story (sources), by feed title, or by title",
    )


def cmd_list(context: Context, args: argparse.Namespace) -> int:
    """`natoread list`."""
    from natoread.core.storage.ordering import sorted_rows
    from natoread.core.storage.records import ArticleQuery

    query = ArticleQuery(
        unread=args.unread,
        starred=args.starred,
        matching=args.matching,
        topic=args.topic,
        feed=args.feed,
    )
    check_topic(context, args.topic)
    with context.open_store() as store:
        check_feed(context, store, args.feed)
        limit = -1 if args.all else args.limit
        sort = args.sort
        if sort == "sources" and not store.read_only:  # read-only: listed as clustered
            _cluster_first(store, shown=not args.json)
        rows = sorted_rows(store, query, sort, limit)
        if args.json:
            print_json([article_json(row) for row in rows])
        elif not rows:
            total = store.count_articles()
            hint = "run `natoread fetch` first" if total == 0 else "no article matches the filters"
            print(f"No articles ({hint}).")
        else:
            print_rows(rows)
    return EXIT_OK


def _cluster_first(store: Store, *, shown: bool) -> None:
    """Cluster the topic matches stored before stories existed (as `stories` does), so
    that a list by number of sources counts them; a bar on a terminal, long on a big store."""
    from natoread.core.storage.clustering import assign_unassigned

    with progress_bar("clustering", "articles", shown and sys.stderr.isatty()) as bar:
        assign_unassigned(store, progress=bar)


def cmd_search(context: Context, args: argparse.Namespace) -> int:
    """`natoread search QUERY` or `natoread search --saved NAME`."""
    from natoread.core.query import QueryError, check_query
    from natoread.core.storage.search import search

    text = " ".join(args.query)
    if args.saved is not None:
        saved = {s.name: s.query for s in context.config.searches}
        if args.saved not in saved:
            known = ", ".join(saved) or "none configured; add [[searches]] to feeds.toml"
            raise ConfigError("--saved", args.saved, f"unknown saved search; known: {known}")
        text = f"({saved[args.saved]}) {text}" if text.strip() else saved[args.saved]
    with context.open_store() as store:
        try:
            check_query(text, known_names(context, store))
        except QueryError as exc:
            err(str(exc))
            return EXIT_CONFIG
        from natoread.core.triage.rules import feed_tags_of

        result = search(store, text, limit=args.limit, feed_tags=feed_tags_of(context.config.feeds))
        if result.error is not None:
            err(result.error)
            return EXIT_CONFIG
        rows = store.rows_by_ids(result.ids)
    if args.json:
        print_json([article_json(row) for row in rows])
    elif not rows:
        print("No articles match.")
    else:
        print_rows(rows)
    return EXIT_OK


def cmd_stories(context: Context, args: argparse.Namespace) -> int:
    """`natoread stories`: events covered by several feeds, latest first."""
    from natoread.core.storage.clustering import assign_unassigned
    from natoread.core.storage.records import ArticleQuery
    from natoread.core.storage.stories import list_stories
    from natoread.core.text.dates import format_date
    from natoread.core.text.sanitize import clean_line

    check_topic(context, args.topic)
    query = ArticleQuery(topic=args.topic, matching=args.matching)
    with context.open_store() as store:
        # Articles stored before stories existed are clustered first: long on a big store.
        with progress_bar("clustering", "articles", sys.stderr.isatty() and not args.json) as bar:
            assign_unassigned(store, progress=bar)
        stories = list_stories(store, args.min_sources, args.limit, query)
    if args.json:
        print_json(
            [
                {
                    "story_id": s.story_id,
                    "title": s.title,
                    "sources": s.sources,
                    "feeds": list(s.feeds),
                    "articles": list(s.article_ids),
                    "first_published": iso(s.first_published),
                    "latest_published": iso(s.latest_published),
                }
                for s in stories
            ]
        )
        return EXIT_OK
    if not stories:
        print(f"No stories reported by {args.min_sources} or more feeds.")
    for s in stories:
        when = format_date(s.latest_published, "%Y-%m-%d", local=False)
        print(f"{s.story_id:>6} {when} {s.sources:>2} feeds  {clean_line(s.title)}")
        print(f"       {clean_line(', '.join(s.feeds), 200)}")
    return EXIT_OK


def cmd_story(context: Context, args: argparse.Namespace) -> int:
    """`natoread story ARTICLE_ID`: all versions and the quotes merged across them."""
    from natoread.core.reading import article_detail
    from natoread.core.storage.clustering import assign_stories
    from natoread.core.storage.stories import story_id_of, story_of, story_quotes
    from natoread.core.text.sanitize import clean_line

    with context.open_store() as store:
        if article_detail(store, args.article_id) is None:
            err(f"no article {args.article_id}; see `natoread list`")
            return EXIT_CONFIG
        assign_stories(store, [args.article_id])
        story_id = story_id_of(store, args.article_id) or args.article_id
        rows = story_of(store, args.article_id)
        quotes = story_quotes(store, story_id)
    if args.json:
        print_json(
            {
                "story_id": story_id,
                "articles": [article_json(row) for row in rows],
                "quotes": [
                    {
                        "text": q.text,
                        "speaker": q.speaker,
                        "partial": q.partial,
                        "sources": [
                            {
                                "article_id": s.article_id,
                                "feed": s.feed_title,
                                "published": iso(s.published),
                            }
                            for s in q.sources
                        ],
                    }
                    for q in quotes
                ],
            }
        )
        return EXIT_OK
    print_rows(rows)
    for q in quotes:
        who = clean_line(q.speaker) if q.speaker else "(unattributed)"
        feeds = ", ".join(dict.fromkeys(clean_line(s.feed_title, 40) for s in q.sources))
        print(f"  {who}: “{clean_line(q.text, 300)}” [{feeds}]")
    return EXIT_OK
