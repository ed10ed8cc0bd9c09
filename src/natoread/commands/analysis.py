"""Commands about topics and quotes: match, quotes, speakers."""

from __future__ import annotations

import argparse

from natoread.commands.common import (
    EXIT_OK,
    Context,
    check_topic,
    iso,
    print_json,
    quote_json,
    read_input,
)
from natoread.core.errors import ConfigError


def cmd_match(context: Context, args: argparse.Namespace) -> int:
    """`natoread match FILE`: topic verdict for one article."""
    from natoread.core.analysis.topics.engine import compile_topics

    text = read_input(args.file)
    result = compile_topics(context.config.topics).classify_document(text)
    if args.json:
        print_json(
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


def cmd_quotes(context: Context, args: argparse.Namespace) -> int:
    """`natoread quotes FILE` or `natoread quotes --speaker NAME`."""
    from natoread.core.text.dates import format_date
    from natoread.core.text.sanitize import clean_line

    if args.speaker is None:
        if args.file is None:
            raise ConfigError("quotes", "", "give a FILE (or - for stdin) or --speaker NAME")
        from natoread.core.analysis.quotes import extract_quotes

        quotes = extract_quotes(read_input(args.file))
        if args.json:
            print_json([quote_json(q) for q in quotes])
        for q in [] if args.json else quotes:
            kind = "partial" if q.partial else "quote"
            who = clean_line(q.speaker) if q.speaker else "(unattributed)"
            print(f"{who} [{kind} {q.start}-{q.end}]: “{clean_line(q.text, 400)}”")
        return EXIT_OK
    from natoread.core.storage.speakers import query_key

    check_topic(context, args.topic)
    with context.open_store() as store:
        found = store.quotes_by_speaker(
            query_key(args.speaker), args.topic, args.limit, any_first_name=True
        )
    if args.json:
        print_json(
            [
                {
                    **quote_json(item.quote),
                    "article_id": item.article_id,
                    "article": item.article_title,
                    "feed": item.feed_title,
                    "published": iso(item.published),
                }
                for item in found
            ]
        )
        return EXIT_OK
    if not found:
        print(f"No stored quotes by {clean_line(args.speaker)}.")
    for item in found:
        source = clean_line(item.feed_title)[:20]
        when = format_date(item.published, "%Y-%m-%d", local=False)
        print(f"{when} {source:<20} “{clean_line(item.quote.text, 300)}”")
    return EXIT_OK


def cmd_speakers(context: Context, args: argparse.Namespace) -> int:
    """`natoread speakers`: who is quoted most."""
    from natoread.core.text.sanitize import clean_line

    check_topic(context, args.topic)
    with context.open_store() as store:
        ranked = store.speakers(args.topic)[: args.limit]
    if args.json:
        print_json([{"speaker": name, "key": key, "count": count} for key, name, count in ranked])
        return EXIT_OK
    for _, name, count in ranked:
        print(f"{count:>5}  {clean_line(name)}")
    return EXIT_OK
