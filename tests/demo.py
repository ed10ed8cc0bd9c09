"""Realistic demo feeds built from the benchmark sets, served on loopback.

    python -m tests.demo            # serves two feeds and prints a feeds.toml to use

Used by the tmux end-to-end test and for trying the reader by hand.
"""

from __future__ import annotations

import json
import threading
from datetime import timedelta
from html import escape
from pathlib import Path

from tests import feedgen
from tests.feedserver import FeedServer

DATA = Path(__file__).resolve().parents[1] / "benchmarks" / "data"


def alliance_items() -> list[feedgen.Item]:
    """Annotated news articles (title = first line) as feed items with HTML paragraphs."""
    articles = json.loads((DATA / "quotes_annotated.json").read_text(encoding="utf-8"))["articles"]
    items = []
    for n, article in enumerate(articles):
        title, _, body = article["text"].partition("\n")
        paragraphs = "".join(f"<p>{escape(p)}</p>" for p in body.split("\n") if p.strip())
        items.append(
            feedgen.Item(
                title=title.strip(),
                body=paragraphs,
                guid=f"urn:demo:{article['id']}",
                link=f"https://news.example/{article['id']}",
                published=feedgen.BASE_TIME - timedelta(hours=n),
            )
        )
    return items


def other_items() -> list[feedgen.Item]:
    """Labelled short items (many hard negatives) as a second feed."""
    lines = (DATA / "topics_labelled.jsonl").read_text(encoding="utf-8").splitlines()
    items = []
    for n, line in enumerate(lines[:80]):
        record = json.loads(line)
        items.append(
            feedgen.Item(
                title=record["title"],
                body=f"<p>{escape(record.get('summary', record.get('text', '')))}</p>",
                guid=f"urn:other:{n}",
                link=f"https://world.example/{n}",
                published=feedgen.BASE_TIME - timedelta(minutes=37 * n + 1),
            )
        )
    return items


def serve(server: FeedServer) -> list[str]:
    """Add the demo feeds to `server`; returns their URLs."""
    return [
        server.add("/alliance.xml", feedgen.rss(alliance_items(), title="Alliance Wire")),
        server.add("/world.xml", feedgen.atom(other_items(), title="World Desk")),
    ]


if __name__ == "__main__":
    demo = FeedServer()
    urls = serve(demo)
    print(feedgen.config_toml(urls))
    threading.Event().wait()
