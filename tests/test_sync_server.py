"""The sync tests' server: a real Miniflux on PostgreSQL reads the loopback feed server."""

from __future__ import annotations

from tests.feedserver import FeedServer
from tests.servers.miniflux import Miniflux


def rss(*titles: str) -> str:
    """An RSS document with one item per title (guid = title)."""
    items = "".join(
        f"<item><title>{t}</title><guid>{t}</guid><link>http://example.org/{i}</link>"
        f"<description>{t}: allies met at the NATO summit.</description></item>"
        for i, t in enumerate(titles)
    )
    return (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Loopback</title>'
        f"<link>http://example.org/</link>{items}</channel></rss>"
    )


def test_miniflux_reads_a_feed_of_the_loopback_server(
    miniflux: Miniflux, server: FeedServer
) -> None:
    url = server.add("/server-test.xml", rss("One", "Two"))
    user = miniflux.create_user("server-test")
    feed_id = miniflux.subscribe(user, url)
    assert sorted(e["title"] for e in miniflux.entries(user)) == ["One", "Two"]
    server.add("/server-test.xml", rss("One", "Two", "Three"))
    miniflux.refresh(user, feed_id)
    assert sorted(e["title"] for e in miniflux.entries(user)) == ["One", "Three", "Two"]
