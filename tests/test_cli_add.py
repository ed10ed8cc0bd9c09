"""`natoread add URL`: the installed command discovers a page's feeds on the loopback server,
adds the first (or --pick N) to feeds.toml with its comments and layout kept, refuses a feed
already there in one line, and says in one line why a page leads to no feed."""

from __future__ import annotations

import tomllib
from pathlib import Path

from tests import feedgen
from tests.conftest import run_natoread, write_config
from tests.feedserver import FeedServer

CONFIG = """\
# My feeds. This comment stays.
[settings]
timeout = 5   # seconds, short for tests

[[feeds]]
title = "Kept"  # a trailing comment
url = "https://kept.example/rss"
"""


def test_add_discovers_picks_and_refuses_duplicates(server: FeedServer, tmp_path: Path) -> None:
    rss = server.add("/news/rss.xml", feedgen.rss(feedgen.items(2), title="Main feed"))
    atom = server.add("/atom.xml", feedgen.atom(feedgen.items(1), title="Atom feed"))
    page = (
        "<!doctype html><html><head>"
        '<link rel="alternate" type="application/rss+xml" href="/news/rss.xml">'
        '<link rel="alternate" type="application/atom+xml" href="/atom.xml">'
        "</head><body>Site</body></html>"
    )
    url = server.add("/", page, content_type="text/html")
    config = write_config(tmp_path, CONFIG)
    common = ("--config", str(config))

    added = run_natoread("add", url, "--tag", "baltic", "--tag", "wire", *common)
    assert added.returncode == 0, added.stderr
    assert added.stdout.splitlines() == [
        f"2 feeds found on {url}:",
        f" *1. Main feed <{rss}> (rss)",
        f"  2. Atom feed <{atom}> (atom)",
        "Adding the first; run again with --pick N for another.",
        f"Added 'Main feed' <{rss}> (rss, 2 entries now) to {config}.",
    ]
    text = config.read_text(encoding="utf-8")
    assert text.startswith(CONFIG)  # comments and layout kept, the feed appended
    feeds = tomllib.loads(text)["feeds"]
    assert feeds[1] == {"title": "Main feed", "url": rss, "tags": ["baltic", "wire"]}

    again = run_natoread("add", url, *common)
    assert again.returncode == 2
    assert again.stderr == f"natoread: {rss}: already in feeds.toml as 'Main feed'\n"
    respelt = run_natoread("add", rss.replace("http://", "HTTP://") + "/", *common)
    assert respelt.returncode == 2 and "already in feeds.toml" in respelt.stderr

    picked = run_natoread("add", url, "--pick", "2", "--title", "Mine", *common)
    assert picked.returncode == 0, picked.stderr
    assert tomllib.loads(config.read_text(encoding="utf-8"))["feeds"][2] == {
        "title": "Mine",
        "url": atom,
    }
    assert run_natoread("check-config", *common).returncode == 0

    out_of_range = run_natoread("add", url, "--pick", "3", *common)
    assert out_of_range.returncode == 2
    assert out_of_range.stderr == "natoread: --pick 3: the page leads to 2 feeds; pick 1 to 2\n"


def test_a_page_without_feeds_is_one_line(server: FeedServer, tmp_path: Path) -> None:
    url = server.add("/empty.html", "<html><body>nothing</body></html>", content_type="text/html")
    config = write_config(tmp_path, CONFIG)
    result = run_natoread("add", url, "--config", str(config))
    assert result.returncode == 1
    assert result.stderr.startswith(f"natoread: {url}: the page announces no feed")
    assert result.stderr.count("\n") == 1
    assert config.read_text(encoding="utf-8") == CONFIG
