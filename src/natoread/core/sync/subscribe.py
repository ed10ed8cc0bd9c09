"""Subscribing while syncing: `natoread add` asks the server, whose subscriptions are the
feed list; the next sync brings the feed's entries."""

from __future__ import annotations

from natoread.core.config import Config
from natoread.core.sync.config import SyncError
from natoread.core.sync.run import open_client


def subscribe(config: Config, url: str, title: str | None) -> str:
    """Subscribe the `[sync]` account to `url`; returns the server's id of the feed."""
    assert config.sync is not None
    client, session = open_client(config.sync, config)
    try:
        if config.sync.service == "miniflux":
            categories = session.json("GET", "/v1/categories")
            if not isinstance(categories, list) or not categories:
                raise SyncError("sync: the server has no category to put the feed in")
            made = session.json(
                "POST",
                "/v1/feeds",
                json_body={"feed_url": url, "category_id": categories[0]["id"]},
            )
            feed_id = str(made.get("feed_id", "")) if isinstance(made, dict) else ""
            if title and feed_id:
                session.call("PUT", f"/v1/feeds/{feed_id}", json_body={"title": title})
            return feed_id
        from natoread.core.sync.greader import GReaderClient

        assert isinstance(client, GReaderClient)
        answer = client.quick_add(url)
        stream = str(answer.get("streamId", "")) if isinstance(answer, dict) else ""
        if not stream:
            raise SyncError("sync: the server did not subscribe to the feed")
        if title:
            client.rename(stream, title)
        return stream
    finally:
        session.close()
