"""The feed list when syncing: the server's feeds as last synced, as `[[feeds]]` entries, so
the reader's sidebar, filters and notifications treat them as configured feeds."""

from __future__ import annotations

from pathlib import Path

from natoread.core.config import Config, FeedSpec


def with_server_feeds(config: Config, db_path: Path) -> Config:
    """`config` with the server's feeds (stored by the last sync) in place of `[[feeds]]`."""
    if config.sync is None:
        return config
    from natoread.core.storage.sync import SyncStore

    with SyncStore(db_path) as store:
        feeds = store.synced_feeds()
    return config._replace(feeds=tuple(FeedSpec(url, title or None) for url, title in feeds))
