"""Realistic demo feeds built from the benchmark sets, served on loopback or stored directly.

    python -m tests.demo                 # serves two feeds and prints a feeds.toml to use
    python -m tests.demo store DIR       # writes DIR/feeds.toml and a demo store in DIR/data
    python -m tests.demo screenshots DIR # copies the README screenshots (the demo snapshots)

Used by the tmux end-to-end tests, the snapshot tests and for trying the reader by hand. The
demo store holds the annotated news articles under five made-up outlets (by the kind of
outlet each came from), analysed by the real pipeline at a fixed time, so snapshots of it are
stable.
"""

from __future__ import annotations

import json
import sys
import threading
from datetime import timedelta
from html import escape
from pathlib import Path
from typing import Any

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


OUTLETS = {
    "wire": ("https://alliance-wire.example/rss", "Alliance Wire"),
    "broadcaster": ("https://europe-tonight.example/feed", "Europe Tonight"),
    "magazine": ("https://nordic-brief.example/rss", "Nordic Security Brief"),
    "blog": ("https://nordic-brief.example/rss", "Nordic Security Brief"),
    "newsletter": ("https://nordic-brief.example/rss", "Nordic Security Brief"),
    "tabloid": ("https://daily-courier.example/rss", "Daily Courier"),
    "liveblog": ("https://live-desk.example/rss", "Live Desk"),
    "local": ("https://live-desk.example/rss", "Live Desk"),
}
"""Made-up outlets for each kind of source (scraped pages, with their menus, are left out)."""
WORLD = ("https://world-desk.example/atom", "World Desk")
DEMO_NOW = int((feedgen.BASE_TIME + timedelta(hours=1)).timestamp())
"""The demo store's "now": every article was stored then."""


def demo_feeds() -> dict[tuple[str, str], bytes]:
    """(url, title) → the feed document of each demo outlet."""
    articles = json.loads((DATA / "quotes_annotated.json").read_text(encoding="utf-8"))["articles"]
    by_outlet: dict[tuple[str, str], list[feedgen.Item]] = {}
    for article, item in zip(articles, alliance_items(), strict=True):
        outlet = OUTLETS.get(article["style"])
        if outlet is not None:
            link = f"https://{outlet[0].split('/')[2]}/{article['id']}"
            by_outlet.setdefault(outlet, []).append(
                feedgen.Item(item.title, item.body, item.guid, link, item.published)
            )
    documents = {
        outlet: feedgen.rss(items, title=outlet[1]).encode() for outlet, items in by_outlet.items()
    }
    documents[WORLD] = feedgen.atom(other_items(), title=WORLD[1]).encode()
    return documents


def demo_config_toml() -> str:
    """A feeds.toml naming the demo outlets (their URLs are never fetched: the store has them)."""
    urls = list(dict.fromkeys(url for url, _ in demo_feeds()))
    return feedgen.config_toml(urls)


def build_demo_store(path: Path) -> Any:
    """Store every demo outlet's articles at `path` through the real parse → analyse → store
    steps; returns the Config to open it with."""
    from natoread.core.config import parse_config
    from natoread.core.polling.ingest import Ingester
    from natoread.core.polling.plan import analyser_for
    from natoread.core.storage.store import Store

    documents = demo_feeds()
    config = parse_config(
        {"feeds": [{"url": url, "title": title} for url, title in documents]}, str(path)
    )
    with Store(path) as store:
        ids = store.sync_feeds((url, title, False) for url, title in documents)
    ingester = Ingester(path, analyser_for(config))
    try:
        for (url, _), body in documents.items():
            outcome = ingester.ingest(ids[url], body, url, DEMO_NOW, True)
            if outcome.error:
                raise RuntimeError(f"{url}: {outcome.error}")
    finally:
        ingester.close()
    with Store(path) as store:
        store.index_pending()
    return config


_BUILT: list[tuple[Path, Any]] = []
"""The demo store built once per process (its path and config), copied for each test."""


def copy_demo_store(target: Path) -> Any:
    """A fresh copy of the demo store at `target` (built on first use); returns its Config."""
    import atexit
    import shutil
    import tempfile

    if not _BUILT:
        folder = tempfile.mkdtemp(prefix="natoread-demo-")
        atexit.register(shutil.rmtree, folder, True)
        built = Path(folder) / "demo.sqlite3"
        _BUILT.append((built, build_demo_store(built)))
    built, config = _BUILT[0]
    shutil.copyfile(built, target)
    return config


SNAPSHOTS = Path(__file__).resolve().parent / "ui" / "__snapshots__" / "test_snapshots"
README_SCREENSHOTS = {
    "reader-80x24.svg": "test_article_with_quotes[80x24].svg",
    "reader-160x48.svg": "test_article_with_quotes[160x48].svg",
    "list-80x24.svg": "test_list[80x24].svg",
}
"""docs/img file → the snapshot of the demo store it copies (tests/ui/test_snapshots.py checks
they are equal, so the README never shows an older reader than the tests)."""


def save_screenshots(folder: Path) -> list[Path]:
    """Copy the demo store's snapshots (regenerate them first with
    `pytest tests/ui/test_snapshots.py --snapshot-update`) into `folder`."""
    import shutil

    folder.mkdir(parents=True, exist_ok=True)
    saved = []
    for name, snapshot in README_SCREENSHOTS.items():
        shutil.copyfile(SNAPSHOTS / snapshot, folder / name)
        saved.append(folder / name)
    return saved


def main(argv: list[str]) -> None:
    """Serve the demo feeds, or write a demo store and its feeds.toml (see the module doc)."""
    if argv[:1] == ["store"] and len(argv) == 2:
        folder = Path(argv[1])
        (folder / "data").mkdir(parents=True, exist_ok=True)
        build_demo_store(folder / "data" / "natoread.sqlite3")
        (folder / "feeds.toml").write_text(demo_config_toml(), encoding="utf-8")
        print(f"natoread --config {folder / 'feeds.toml'} --data-dir {folder / 'data'}")
        return
    if argv[:1] == ["screenshots"] and len(argv) == 2:
        for saved in save_screenshots(Path(argv[1])):
            print(saved)
        return
    demo = FeedServer()
    urls = serve(demo)
    print(feedgen.config_toml(urls))
    threading.Event().wait()


if __name__ == "__main__":
    main(sys.argv[1:])
