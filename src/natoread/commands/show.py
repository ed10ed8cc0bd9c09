"""`natoread show ID`: one article as text, Markdown or JSON (`core/articles_markdown.py`)."""

from __future__ import annotations

import argparse
import sys

from natoread.commands.common import (
    EXIT_CONFIG,
    EXIT_OK,
    Context,
    article_json,
    err,
    print_json,
    quote_json,
)

FORMATS = ("text", "markdown", "json")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The options of `natoread show`."""
    parser.add_argument("article_id", type=int, metavar="ID", help="the article's id (see list)")
    parser.add_argument(
        "--format",
        choices=FORMATS,
        default="text",
        help="text (default), markdown (title, source, date, link, text with quotes marked and"
        " attributed), or json",
    )


def cmd_show(context: Context, args: argparse.Namespace) -> int:
    """`natoread show ID [--format text|markdown|json]`."""
    from natoread.core.articles_markdown import article_markdown, article_text
    from natoread.core.reading import article_detail

    with context.open_store() as store:
        detail = article_detail(store, args.article_id) if args.article_id > 0 else None
    if detail is None:
        err(f"no article {args.article_id}; see `natoread list`")
        return EXIT_CONFIG
    if args.format == "json":
        print_json(
            {
                **article_json(detail.row),
                "author": detail.author,
                "text": detail.body,
                "links": list(detail.links),
                "quotations": [quote_json(q) for q in detail.quotes],
            }
        )
    elif args.format == "markdown":
        sys.stdout.write(article_markdown(detail))
    else:
        sys.stdout.write(article_text(detail))
    return EXIT_OK
