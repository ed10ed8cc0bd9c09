"""`natoread add URL [--title T] [--tag X …] [--pick N]`: subscribe to a feed, or to the feed
a web page announces (`core/feeds/discover.py`), appending it to feeds.toml with its comments
and layout kept (`core/feeds/opml.add_feeds`, the writer `import-opml` uses).

When a page leads to several feeds, the first is added (a site lists its main feed first)
and the others are listed, numbered, with `--pick N` to choose another; scripts get the same
answer every time and never wait for a question.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from natoread.commands.common import EXIT_CONFIG, EXIT_FAILED, EXIT_OK, Context, err


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The options of `natoread add`."""
    parser.add_argument("url", metavar="URL", help="a feed, or a web page that announces one")
    parser.add_argument("--title", metavar="T", help="the feed's title (default: its own)")
    parser.add_argument(
        "--tag",
        action="append",
        default=[],
        metavar="X",
        help="a tag for the feed (repeat for several)",
    )
    parser.add_argument(
        "--pick",
        type=int,
        metavar="N",
        help="when the page leads to several feeds, add the Nth (default: the first)",
    )


def _configured(context: Context, target: Path) -> dict[str, str]:
    """same_feed_key of every feed in feeds.toml → its title (or URL)."""
    from natoread.core.feeds.urls import same_feed_key

    if not target.exists() or context.config.sync is not None:  # the server's list counts
        return {}
    return {same_feed_key(f.url): f.title or f.url for f in context.config.feeds}


def cmd_add(context: Context, args: argparse.Namespace) -> int:
    """`natoread add URL`."""
    from natoread.core.feeds.discover import discover_feeds
    from natoread.core.feeds.opml import OpmlFeed, add_feeds
    from natoread.core.feeds.urls import same_feed_key
    from natoread.core.paths import CONFIG_NAME, user_config_dir
    from natoread.core.polling.plan import fetch_limits
    from natoread.core.text.sanitize import clean_line

    url = args.url.strip()
    target = context.config_path or user_config_dir() / CONFIG_NAME
    known = _configured(context, target)
    if same_feed_key(url) in known:
        err(f"{clean_line(url, 300)}: already in {target.name} as '{known[same_feed_key(url)]}'")
        return EXIT_CONFIG
    found = discover_feeds(url, fetch_limits(context.config))
    if not found.feeds:
        err(f"{clean_line(url, 300)}: {clean_line(found.problem or 'no feed found', 600)}")
        return EXIT_FAILED
    pick = 1 if args.pick is None else args.pick
    count = len(found.feeds)
    if not 1 <= pick <= count:
        err(f"--pick {args.pick}: the page leads to {count} feeds; pick 1 to {count}")
        return EXIT_CONFIG
    chosen = found.feeds[pick - 1]
    if len(found.feeds) > 1:
        print(f"{len(found.feeds)} feeds found on {clean_line(url, 300)}:")
        for number, feed in enumerate(found.feeds, 1):
            mark = "*" if number == pick else " "
            print(f" {mark}{number}. {feed.title or '(untitled)'} <{feed.url}> ({feed.kind})")
        if args.pick is None:
            print("Adding the first; run again with --pick N for another.")
    if same_feed_key(chosen.url) in known:
        where = known[same_feed_key(chosen.url)]
        err(f"{clean_line(chosen.url, 300)}: already in {target.name} as '{where}'")
        return EXIT_CONFIG
    title = clean_line(args.title, 200) if args.title else chosen.title
    tags = tuple(dict.fromkeys(clean_line(tag, 60) for tag in args.tag if tag.strip()))
    if context.config.sync is not None:  # the server's subscriptions are the feed list
        from natoread.commands.sync import add_to_server

        return add_to_server(context, chosen.url, title)
    result = add_feeds(target, [OpmlFeed(chosen.url, title or None, tags)])
    if not result.added:  # written by someone else meanwhile
        err(result.skipped[0] if result.skipped else f"{chosen.url}: not added")
        return EXIT_CONFIG
    entries = f"{chosen.entries} {'entry' if chosen.entries == 1 else 'entries'}"
    shown = f"'{title}' " if title else ""
    print(f"Added {shown}<{chosen.url}> ({chosen.kind}, {entries} now) to {target}.")
    return EXIT_OK
