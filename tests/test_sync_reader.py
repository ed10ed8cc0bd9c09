"""The reader with `[sync]`: its poll is a sync pass with a real Miniflux, and the server's
feeds are the sidebar's feeds."""

from __future__ import annotations

from pathlib import Path

import pytest

from natoread.core.config import load_config
from natoread.core.storage.records import ArticleQuery
from natoread.core.storage.store import Store
from natoread.core.sync.feeds import with_server_feeds
from natoread.ui.app import NatoreadApp
from tests.conftest import write_config
from tests.feedserver import FeedServer
from tests.servers.miniflux import Miniflux
from tests.test_sync_server import rss
from tests.ui.helpers import main_screen, press, wait_until


async def test_the_readers_poll_is_a_sync_pass(
    miniflux: Miniflux, server: FeedServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    user = miniflux.create_user("reader-sync")
    url = server.add("/reader-sync.xml", rss("NATO summit opens", "Allies agree"))
    feed_id = miniflux.subscribe(user, url)
    monkeypatch.setenv("NATOREAD_SYNC_TOKEN", user.token)
    config_path = write_config(
        tmp_path,
        f'[sync]\nservice = "miniflux"\nurl = "{miniflux.url}"\nusername = "{user.username}"\n'
        '[[feeds]]\nurl = "https://ignored.example/feed.xml"\n',
    )
    db_path = tmp_path / "reader.sqlite3"
    config = with_server_feeds(load_config(config_path), db_path)
    assert config.feeds == ()  # nothing synced yet; [[feeds]] are not the list
    app = NatoreadApp(config, db_path, autopoll=True)
    async with app.run_test(size=(160, 40)) as pilot:
        screen = main_screen(pilot)
        await wait_until(
            pilot, lambda: screen.polls.progress is None and screen.polls.new_articles == 2
        )
        server.add("/reader-sync.xml", rss("NATO summit opens", "Allies agree", "Article 5"))
        miniflux.refresh(user, feed_id)
        await press(pilot, "r")
        await wait_until(
            pilot, lambda: screen.polls.progress is None and screen.polls.new_articles == 3
        )
    with Store(db_path) as store:
        assert store.count_articles(ArticleQuery()) == 3
    # Next start, the server's feed is the reader's feed list.
    assert [
        (f.url, f.title) for f in with_server_feeds(load_config(config_path), db_path).feeds
    ] == [(url, "Loopback")]
