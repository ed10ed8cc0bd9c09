"""Feed discovery (`core/feeds/discover.py`) against the loopback server: a feed URL, a page
announcing feeds by link tags, a page announcing none (common paths), hostile link tags, and
pages that lead nowhere."""

from __future__ import annotations

from natoread.core.feeds.discover import Discovery, discover_feeds, feed_links
from natoread.core.feeds.http_policy import FetchLimits
from tests import feedgen
from tests.feedserver import FeedServer

LIMITS = FetchLimits(timeout_s=5.0)
HTML = "text/html; charset=utf-8"


def _page(*links: str) -> str:
    return (
        "<!doctype html><html><head><title>Site</title>" + "".join(links) + "</head>"
        "<body><p>News</p></body></html>"
    )


def _discover(url: str) -> Discovery:
    return discover_feeds(url, LIMITS)


def test_a_feed_url_is_its_own_feed(server: FeedServer) -> None:
    url = server.add("/feed.xml", feedgen.rss(feedgen.items(3), title="Wire"))
    found = _discover(url)
    assert found.how == "feed" and found.problem is None
    assert [(f.url, f.title, f.kind, f.entries) for f in found.feeds] == [(url, "Wire", "rss", 3)]


def test_a_page_announcing_feeds(server: FeedServer) -> None:
    server.add("/news/rss.xml", feedgen.rss(feedgen.items(2), title="Main feed"))
    atom = server.add("/atom.xml", feedgen.atom(feedgen.items(1), title="Atom feed"))
    server.add("/broken.xml", "<html>not a feed</html>")
    page = _page(
        '<link rel="stylesheet" href="/style.css">',
        '<link rel="alternate" type="application/rss+xml" title="RSS" href="news/rss.xml">',
        '<link rel="alternate" type="application/rss+xml" href="javascript:alert(1)">',
        '<link rel="alternate" type="application/rss+xml" href="/broken.xml">',
        f'<link rel="alternate" type="application/atom+xml; charset=utf-8" href="{atom}">',
        '<link rel="alternate" hreflang="de" href="/de/">',
    )
    url = server.add("/index.html", page, content_type=HTML)
    found = _discover(url)
    assert found.how == "links" and found.problem is None
    assert [(f.url, f.title) for f in found.feeds] == [
        (server.url("/news/rss.xml"), "Main feed"),
        (atom, "Atom feed"),
    ]
    # Each candidate was fetched once to check it; nothing else was asked for.
    assert server.hits["/news/rss.xml"] == 1 and server.hits["/broken.xml"] == 1
    assert "/feed" not in server.hits


def test_a_page_announcing_nothing_is_tried_at_common_paths(server: FeedServer) -> None:
    server.add("/index.xml", feedgen.rss(feedgen.items(1), title="Hugo feed"))
    url = server.add("/blog/post.html", _page(), content_type=HTML)
    found = _discover(url)
    assert found.how == "paths"
    assert [f.url for f in found.feeds] == [server.url("/index.xml")]


def test_pages_that_lead_nowhere_say_why_in_one_line(server: FeedServer) -> None:
    nothing = server.add("/empty.html", _page(), content_type=HTML)
    dead = server.add(
        "/dead.html",
        _page('<link rel="alternate" type="application/rss+xml" href="/gone.xml">'),
        content_type=HTML,
    )
    for url, reason in (
        (nothing, "the page announces no feed"),
        (dead, "the page announces feeds, but none could be read"),
        (server.url("/missing"), "HTTP 404"),
        ("ftp://example.org/feed", "cannot fetch this URL: only http:// and https://"),
    ):
        found = _discover(url)
        assert not found.feeds and found.problem is not None
        assert found.problem.startswith(reason) and "\n" not in found.problem
    plain = server.add("/plain", "just words", content_type="text/plain")
    assert str(_discover(plain).problem).startswith("neither a feed nor a web page")


def test_feed_links_on_hostile_markup() -> None:
    page = (
        '<link rel="ALTERNATE" type="application/rss+xml" title="A\x1b[31m\u202eB" href="/a">'
        '<link rel="alternate" type="application/rss+xml" href="/a">'  # twice: once
        '<link rel="alternate" type="application/rss+xml" href="file:///etc/passwd">'
        '<link rel="alternate" type="application/rss+xml" href="http://bad host/x">'
        '<link rel="alternate" type="application/feed+json" href="//cdn.example/f.json">'
        "<link rel=alternate type=application/rss+xml href=/unquoted"
    )
    assert feed_links(page, "https://site.example/page") == [
        ("https://site.example/a", "AB"),
        ("https://cdn.example/f.json", ""),
    ]
