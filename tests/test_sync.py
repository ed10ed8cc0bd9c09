"""Sync with a real Miniflux (tests/servers/miniflux.py): first and incremental sync, read and
star both ways, the offline queue, the conflict rule, a server that goes down mid-sync, a
wrong password and the secret, and the Google Reader API of Miniflux's own endpoint.

The command is run as a user runs it where its output is the point (fetch --json, feeds
--json, the one-line errors, check-config); elsewhere the pass runs in this process
(`sync_run`, the reader's entry point) on a real store, which keeps these tests fast."""

from __future__ import annotations

import json
import re
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from natoread.core.config import load_config
from natoread.core.storage.records import ArticleQuery, ArticleRow
from natoread.core.storage.store import Store
from natoread.core.sync import miniflux as miniflux_api
from natoread.core.sync.run import SyncResult, sync_run
from tests.conftest import run_natoread, write_config
from tests.feedserver import FeedServer
from tests.servers.miniflux import Miniflux, User, free_port
from tests.servers.proxy import CuttingProxy
from tests.test_sync_server import rss

PASSWORD_ENV = "NATOREAD_SYNC_PASSWORD"
TOKEN_ENV = "NATOREAD_SYNC_TOKEN"
DB = "natoread.sqlite3"


def sync_config(tmp_path: Path, url: str, user: User, service: str = "miniflux") -> Path:
    return write_config(
        tmp_path,
        f'[sync]\nservice = "{service}"\nurl = "{url}"\nusername = "{user.username}"\n',
    )


def fetch(config: Path, data: Path) -> tuple[int, list[dict[str, Any]], str]:
    """`natoread fetch --json`, as cron runs it."""
    done = run_natoread("--config", str(config), "--data-dir", str(data), "fetch", "--json")
    lines = [json.loads(line) for line in done.stdout.splitlines() if line.strip()]
    return done.returncode, lines, done.stderr


def sync(config: Path, data: Path) -> SyncResult:
    """One sync pass in this process."""
    return sync_run(load_config(config), data / DB)


def new_count(result: SyncResult) -> int:
    assert result.error is None, result.error
    return sum(len(o.new_ids) for o in result.outcomes)


def articles(data: Path) -> dict[str, ArticleRow]:
    with Store(data / DB) as store:
        return {row.title: row for row in store.list_articles(ArticleQuery(), limit=-1)}


def mark(data: Path, title: str, flag: str, value: bool = True) -> None:
    """Mark as the reader does (an undoable change)."""
    article_id = articles(data)[title].id
    with Store(data / DB) as store:
        if flag == "read":
            store.set_read([article_id], value)
        else:
            store.set_starred(article_id, value)


def remote(miniflux: Miniflux, user: User) -> dict[str, dict[str, Any]]:
    return {e["title"]: e for e in miniflux.entries(user)}


@pytest.fixture
def account(
    miniflux: Miniflux, server: FeedServer, request: pytest.FixtureRequest,
    monkeypatch: pytest.MonkeyPatch,
) -> tuple[User, int, str]:  # fmt: skip
    """A fresh Miniflux user subscribed to one loopback feed of two entries."""
    name = re.sub(r"[^a-z0-9]+", "-", request.node.name.lower()).strip("-")[-40:]
    user = miniflux.create_user(name)
    path = f"/{name}.xml"
    url = server.add(path, rss("NATO summit opens", "Allies agree"))
    feed_id = miniflux.subscribe(user, url)
    monkeypatch.setenv(TOKEN_ENV, user.token)  # an API key: fast (see User.token)
    return user, feed_id, path


def test_first_sync_then_incremental_sync_brings_only_the_new_entry(
    miniflux: Miniflux, server: FeedServer, account: tuple[User, int, str], tmp_path: Path,
    data_dir: Path,
) -> None:  # fmt: skip
    user, feed_id, path = account
    config = write_config(
        tmp_path,
        f'[sync]\nservice = "miniflux"\nurl = "{miniflux.url}"\nusername = "{user.username}"\n'
        '[[feeds]]\nurl = "https://ignored.example/feed.xml"\n',
    )
    code, outcomes, stderr = fetch(config, data_dir)
    assert code == 0, stderr
    assert [(o["feed"], o["status"], o["new"]) for o in outcomes] == [(server.url(path), "ok", 2)]
    stored = articles(data_dir)
    assert sorted(stored) == ["Allies agree", "NATO summit opens"]
    assert stored["NATO summit opens"].matched  # topics computed here
    assert "ignored.example" not in str(server.requests)
    assert new_count(sync(config, data_dir)) == 0
    server.add(path, rss("NATO summit opens", "Allies agree", "Article 5 reaffirmed"))
    miniflux.refresh(user, feed_id)
    assert new_count(sync(config, data_dir)) == 1
    assert len(articles(data_dir)) == 3
    feeds = run_natoread("--config", str(config), "--data-dir", str(data_dir), "feeds", "--json")
    health = json.loads(feeds.stdout)
    assert [(f["url"], f["articles"], f["consecutive_failures"]) for f in health] == [
        (server.url(path), 3, 0)
    ]
    # The server reports a feed failing: `natoread feeds` says so, as the server says it.
    server.add(path, "<html>not a feed</html>", content_type="text/html")
    with pytest.raises(Exception, match="HTTP Error 500"):
        miniflux.refresh(user, feed_id)
    result = sync(config, data_dir)
    assert result.error is None and [o.status for o in result.outcomes] == ["failed"]
    feeds = run_natoread("--config", str(config), "--data-dir", str(data_dir), "feeds", "--json")
    (health_row,) = json.loads(feeds.stdout)
    assert health_row["consecutive_failures"] == 1 and health_row["last_error"]


def test_read_and_star_go_both_ways(
    miniflux: Miniflux, account: tuple[User, int, str], tmp_path: Path, data_dir: Path
) -> None:
    user, _, _ = account
    config = sync_config(tmp_path, miniflux.url, user)
    assert new_count(sync(config, data_dir)) == 2
    # The server's changes come here.
    summit = remote(miniflux, user)["NATO summit opens"]["id"]
    miniflux.api("PUT", "/entries", {"entry_ids": [summit], "status": "read"}, user)
    miniflux.api("PUT", f"/entries/{summit}/bookmark", user=user)
    assert sync(config, data_dir).changed == 2
    local = articles(data_dir)
    assert local["NATO summit opens"].read and local["NATO summit opens"].starred
    assert not local["Allies agree"].read and not local["Allies agree"].starred
    # Changes made here go to the server.
    mark(data_dir, "Allies agree", "read")
    mark(data_dir, "Allies agree", "starred")
    mark(data_dir, "NATO summit opens", "read", False)
    result = sync(config, data_dir)
    assert result.error is None and result.sent == 3
    on_server = remote(miniflux, user)
    assert on_server["Allies agree"]["status"] == "read" and on_server["Allies agree"]["starred"]
    assert on_server["NATO summit opens"]["status"] == "unread"
    local = articles(data_dir)
    assert local["Allies agree"].read and not local["NATO summit opens"].read
    assert sync(config, data_dir).sent == 0  # sent once


def test_changes_made_offline_are_queued_and_sent_next_time(
    miniflux: Miniflux, account: tuple[User, int, str], tmp_path: Path, data_dir: Path
) -> None:
    user, _, _ = account
    config = sync_config(tmp_path, miniflux.url, user)
    assert new_count(sync(config, data_dir)) == 2
    mark(data_dir, "Allies agree", "read")
    down = sync_config(tmp_path, f"http://127.0.0.1:{free_port()}", user)
    code, outcomes, stderr = fetch(down, data_dir)
    assert code == 1 and outcomes == []
    assert stderr.count("\n") == 1 and "cannot reach http://127.0.0.1:" in stderr
    assert remote(miniflux, user)["Allies agree"]["status"] == "unread"
    assert articles(data_dir)["Allies agree"].read  # kept here meanwhile
    config = sync_config(tmp_path, miniflux.url, user)
    assert sync(config, data_dir).sent == 1
    assert remote(miniflux, user)["Allies agree"]["status"] == "read"


def test_the_later_change_wins(
    miniflux: Miniflux, account: tuple[User, int, str], tmp_path: Path, data_dir: Path
) -> None:
    user, _, _ = account
    config = sync_config(tmp_path, miniflux.url, user)
    assert new_count(sync(config, data_dir)) == 2
    mark(data_dir, "Allies agree", "read")
    mark(data_dir, "NATO summit opens", "read")
    # The change to "Allies agree" was made here an hour before the server's own change,
    # the one to "NATO summit opens" an hour after it (a device whose sync comes late).
    local = articles(data_dir)
    with sqlite3.connect(data_dir / DB) as db:
        for title, shift in (("Allies agree", -3600), ("NATO summit opens", 3600)):
            db.execute(
                "UPDATE sync_outbox SET made = made + ? WHERE article_id=?",
                (shift, local[title].id),
            )
    on_server = remote(miniflux, user)
    ids = [on_server["Allies agree"]["id"], on_server["NATO summit opens"]["id"]]
    miniflux.api("PUT", "/entries", {"entry_ids": ids, "status": "unread"}, user)
    miniflux.api("PUT", f"/entries/{ids[0]}/bookmark", user=user)
    assert sync(config, data_dir).error is None
    local = articles(data_dir)
    on_server = remote(miniflux, user)
    # The server's later change wins over the older one made here ...
    assert not local["Allies agree"].read and on_server["Allies agree"]["status"] == "unread"
    assert local["Allies agree"].starred
    # ... and the change made here after the server's is kept and sent.
    assert local["NATO summit opens"].read
    assert on_server["NATO summit opens"]["status"] == "read"


def test_rules_star_new_entries_here_and_on_the_server(
    miniflux: Miniflux, account: tuple[User, int, str], tmp_path: Path, data_dir: Path
) -> None:
    user, _, _ = account
    config = write_config(
        tmp_path,
        f'[sync]\nservice = "miniflux"\nurl = "{miniflux.url}"\n'
        '[[rules]]\nquery = "title:summit"\naction = "star"\n',
    )
    result = sync(config, data_dir)
    assert new_count(result) == 2 and result.sent == 1
    local = articles(data_dir)
    assert local["NATO summit opens"].starred and not local["Allies agree"].starred
    on_server = remote(miniflux, user)
    assert on_server["NATO summit opens"]["starred"] and not on_server["Allies agree"]["starred"]


def test_a_server_down_mid_sync_costs_only_the_page_in_flight(
    miniflux: Miniflux, server: FeedServer, account: tuple[User, int, str], tmp_path: Path,
    data_dir: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    user, feed_id, path = account
    titles = [f"NATO story {n}" for n in range(5)]
    server.add(path, rss(*titles))
    miniflux.refresh(user, feed_id)
    monkeypatch.setattr(miniflux_api, "PAGE", 2)
    # The proxy answers the feed list and the first page of entries, then goes down.
    proxy = CuttingProxy(miniflux.url, answers=2)
    try:
        result = sync(sync_config(tmp_path, proxy.url, user), data_dir)
    finally:
        proxy.close()
    assert result.error is not None and result.error.startswith("sync: cannot reach ")
    assert len(articles(data_dir)) == 2  # the first page is stored, its cursor saved
    mark(data_dir, sorted(articles(data_dir))[0], "read")
    result = sync(sync_config(tmp_path, miniflux.url, user), data_dir)
    assert new_count(result) == len(titles) + 2 - 2 and result.sent == 1
    stored = articles(data_dir)
    assert sorted(stored) == sorted(["NATO summit opens", "Allies agree", *titles])
    with Store(data_dir / DB) as store:  # each entry stored once
        assert store.count_articles(ArticleQuery()) == 7


def test_a_feed_subscribed_during_the_pass_loses_no_entry(
    miniflux: Miniflux, server: FeedServer, account: tuple[User, int, str], tmp_path: Path,
    data_dir: Path,
) -> None:  # fmt: skip
    user, _, _ = account
    late = server.add("/late.xml", rss("Late NATO entry"))

    def subscribe_after_the_feed_list(request_number: int) -> None:
        if request_number == 2:  # the feed list was read; the entries are asked next
            miniflux.subscribe(user, late)

    proxy = CuttingProxy(miniflux.url, answers=100, before=subscribe_after_the_feed_list)
    try:
        result = sync(sync_config(tmp_path, proxy.url, user), data_dir)
    finally:
        proxy.close()
    assert new_count(result) == 3
    assert late in [o.feed_url for o in result.outcomes] and len(result.outcomes) == 2
    assert "Late NATO entry" in articles(data_dir)


def test_a_wrong_password_is_one_line_and_never_printed(
    miniflux: Miniflux, account: tuple[User, int, str], tmp_path: Path, data_dir: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    user, _, _ = account
    monkeypatch.delenv(TOKEN_ENV)
    monkeypatch.setenv(PASSWORD_ENV, "wrong-secret-xyz")
    config = sync_config(tmp_path, miniflux.url, user)
    code, outcomes, stderr = fetch(config, data_dir)
    assert code == 1 and outcomes == []
    assert stderr == (
        f"natoread: sync: {miniflux.url} refused the username or password (HTTP 401); "
        "check [sync] username and the password or token\n"
    )
    checked = run_natoread("--config", str(config), "check-config")
    assert checked.returncode == 0
    assert (
        f"sync: miniflux {miniflux.url} as {user.username}, "
        "$NATOREAD_SYNC_TOKEN or $NATOREAD_SYNC_PASSWORD"
    ) in checked.stdout
    assert "wrong-secret-xyz" not in checked.stdout + checked.stderr


def test_the_secret_comes_from_a_command_and_never_from_the_file(
    miniflux: Miniflux, account: tuple[User, int, str], tmp_path: Path, data_dir: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    user, _, _ = account
    monkeypatch.delenv(TOKEN_ENV)
    head = f'[sync]\nservice = "miniflux"\nurl = "{miniflux.url}"\nusername = "{user.username}"\n'
    config = write_config(
        tmp_path, head + f'password_command = ["printf", "%s\\\\n", "{user.password}"]\n'
    )
    assert new_count(sync(config, data_dir)) == 2
    failing = write_config(
        tmp_path, head + 'password_command = ["sh", "-c", "echo s3cr3t; exit 3"]\n'
    )
    result = sync(failing, data_dir)
    assert result.error == "sync: password_command failed (exit status 3)"
    written = write_config(tmp_path, head + 'password = "hunter2"\n')
    checked = run_natoread("--config", str(written), "check-config")
    assert checked.returncode == 2 and "hunter2" not in checked.stderr
    assert "sync.password: the password is never written in feeds.toml" in checked.stderr


def test_google_reader_api_of_miniflux(
    miniflux: Miniflux, server: FeedServer, account: tuple[User, int, str], tmp_path: Path,
    data_dir: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    user, feed_id, path = account
    # Twelve entries: ids past 9 read differently as decimal and as hexadecimal.
    server.add(path, rss("NATO summit opens", "Allies agree", *(f"Item {n}" for n in range(10))))
    miniflux.refresh(user, feed_id)
    miniflux.enable_google_reader(user, "greader-secret")
    monkeypatch.delenv(TOKEN_ENV)
    monkeypatch.setenv(PASSWORD_ENV, "greader-secret")
    config = sync_config(tmp_path, miniflux.url, user, service="greader")
    summit = remote(miniflux, user)["NATO summit opens"]["id"]
    miniflux.api("PUT", f"/entries/{summit}/bookmark", user=user)
    assert new_count(sync(config, data_dir)) == 12
    local = articles(data_dir)
    assert local["NATO summit opens"].starred and not local["NATO summit opens"].read
    assert not local["Item 9"].starred
    mark(data_dir, "Allies agree", "read")
    mark(data_dir, "Item 9", "starred")
    result = sync(config, data_dir)
    assert new_count(result) == 0 and result.sent == 2
    on_server = remote(miniflux, user)
    assert [t for t, e in on_server.items() if e["status"] == "read"] == ["Allies agree"]
    assert sorted(t for t, e in on_server.items() if e["starred"]) == [
        "Item 9",
        "NATO summit opens",
    ]
    # A change on the server comes back through the API's read stream.
    item = on_server["Item 3"]["id"]
    miniflux.api("PUT", "/entries", {"entry_ids": [item], "status": "read"}, user)
    assert sync(config, data_dir).changed == 1 and articles(data_dir)["Item 3"].read
    monkeypatch.setenv(PASSWORD_ENV, "not-it")
    code, _, stderr = fetch(config, data_dir)
    assert code == 1 and stderr.count("\n") == 1 and "HTTP 401" in stderr


def test_entries_retention_deleted_are_not_downloaded_again_through_google_reader(
    miniflux: Miniflux, server: FeedServer, account: tuple[User, int, str], tmp_path: Path,
    data_dir: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    """The Google Reader API lists every entry the server keeps, and new entries are the ids
    the store lacks: an entry deleted here by retention_days must not come back each pass."""
    user, feed_id, path = account
    old = "".join(
        f"<item><title>Old {n}</title><guid>old-{n}</guid><link>http://example.org/old{n}</link>"
        f"<pubDate>Mon, 0{n} Jan 2024 10:00:00 GMT</pubDate><description>NATO</description></item>"
        for n in (1, 2)
    )
    server.add(path, rss("NATO summit opens").replace("</channel>", f"{old}</channel>"))
    miniflux.refresh(user, feed_id)
    miniflux.enable_google_reader(user, "greader-secret")
    monkeypatch.delenv(TOKEN_ENV)
    monkeypatch.setenv(PASSWORD_ENV, "greader-secret")
    config = write_config(
        tmp_path,
        "[settings]\nretention_days = 30\n"
        f'[sync]\nservice = "greader"\nurl = "{miniflux.url}"\nusername = "{user.username}"\n',
    )
    on_server = remote(miniflux, user)
    miniflux.api("PUT", f"/entries/{on_server['Old 2']['id']}/bookmark", user=user)
    code, _, stderr = fetch(config, data_dir)  # stores all; retention runs before the pass
    assert code == 0, stderr
    assert {"Old 1", "Old 2", "NATO summit opens"} <= set(articles(data_dir))
    # Un-starred here: the change waits for the pass that tells the server, then the entry
    # goes like the other old one.
    mark(data_dir, "Old 2", "starred", False)
    for _ in range(2):
        code, lines, stderr = fetch(config, data_dir)
        assert code == 0, stderr
        assert sum(line.get("new", 0) for line in lines if isinstance(line, dict)) == 0, lines
        assert "Old 1" not in articles(data_dir)
    assert not remote(miniflux, user)["Old 2"]["starred"]
    assert not {"Old 1", "Old 2"} & set(articles(data_dir))
    # Starred on the server since: kept by the user, so wanted here again.
    miniflux.api("PUT", f"/entries/{on_server['Old 1']['id']}/bookmark", user=user)
    code, _, stderr = fetch(config, data_dir)
    assert code == 0, stderr
    assert articles(data_dir)["Old 1"].starred


@pytest.mark.parametrize("service", ["miniflux", "greader"])
def test_add_subscribes_on_the_server(
    miniflux: Miniflux, server: FeedServer, account: tuple[User, int, str], tmp_path: Path,
    data_dir: Path, monkeypatch: pytest.MonkeyPatch, service: str,
) -> None:  # fmt: skip
    user, _, _ = account
    if service == "greader":
        miniflux.enable_google_reader(user, "greader-secret")
        monkeypatch.delenv(TOKEN_ENV)
        monkeypatch.setenv(PASSWORD_ENV, "greader-secret")
    config = sync_config(tmp_path, miniflux.url, user, service=service)
    url = server.add(f"/added-{service}.xml", rss("Alliance enlarges"))
    done = run_natoread(
        "--config", str(config), "--data-dir", str(data_dir), "add", url, "--title", "Added"
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout == (
        f"Subscribed to 'Added' <{url}> on {miniflux.url}; the next sync brings its entries.\n"
    )
    assert "[[feeds]]" not in config.read_text()  # the server's list, not the file
    on_server = {f["feed_url"]: f["title"] for f in miniflux.api("GET", "/feeds", user=user)}
    assert on_server[url] == "Added"
    assert new_count(sync(config, data_dir)) == 3
    assert "Alliance enlarges" in articles(data_dir)
    again = run_natoread("--config", str(config), "--data-dir", str(data_dir), "add", url)
    assert again.returncode == 1 and again.stderr.count("\n") == 1


def test_feeds_before_the_first_sync_says_so_in_one_line(tmp_path: Path, data_dir: Path) -> None:
    config = write_config(
        tmp_path, '[sync]\nservice = "miniflux"\nurl = "http://127.0.0.1:9"\nusername = "me"\n'
    )
    base = ("--config", str(config), "--data-dir", str(data_dir), "feeds")
    plain = run_natoread(*base)
    line = "no sync yet: run natoread fetch to read the server's feeds"
    assert (plain.returncode, plain.stdout, plain.stderr) == (0, line + "\n", "")
    as_json = run_natoread(*base, "--json")
    assert (as_json.returncode, json.loads(as_json.stdout)) == (0, [])
    assert as_json.stderr == f"natoread: {line}\n"


def test_an_entry_the_server_rewrote_is_stored_again_keeping_local_state(
    miniflux: Miniflux, server: FeedServer, account: tuple[User, int, str], tmp_path: Path,
    data_dir: Path,
) -> None:  # fmt: skip
    user, feed_id, path = account
    config = sync_config(tmp_path, miniflux.url, user)
    assert new_count(sync(config, data_dir)) == 2
    before = articles(data_dir)["Allies agree"]
    assert before.quote_count == 0
    mark(data_dir, "Allies agree", "read")
    mark(data_dir, "Allies agree", "starred")
    with Store(data_dir / DB) as store:
        store.change_tag([before.id], "later", True, "tag later")
    assert sync(config, data_dir).sent == 2
    # The feed's publisher edits the item (same guid); the server reads the feed again.
    edited = rss("NATO summit opens", "Allies agree").replace(
        "Allies agree: allies met at the NATO summit.",
        "Allies agree: &quot;We stand together,&quot; NATO Secretary General Mark Rutte said "
        "as the allies met at the NATO summit.",
    )
    server.add(path, edited)
    miniflux.refresh(user, feed_id)
    assert "Rutte said" in remote(miniflux, user)["Allies agree"]["content"]
    result = sync(config, data_dir)
    assert new_count(result) == 0
    assert [o.updated for o in result.outcomes] == [1]  # only the rewritten entry
    after = articles(data_dir)["Allies agree"]
    assert after.id == before.id and after.matched
    assert after.quote_count == 1  # quotes derived again
    assert (after.read, after.starred, after.tags) == (True, True, ("later",))
    with Store(data_dir / DB) as store:
        detail = store.get_article(after.id)
    assert detail is not None and "We stand together" in detail.body
    # Nothing changed since: the next pass reads no entry again.
    assert [o.updated for o in sync(config, data_dir).outcomes] == [0]


@pytest.mark.parametrize(
    ("sent", "expected"),
    [
        ("2026-12-07T23:03:46.398105Z", 1796684626_398105),
        ("2026-12-07T23:03:46.3981Z", 1796684626_398100),  # Go trims trailing zeros
        ("2026-12-07T23:03:46.398105123Z", 1796684626_398105),  # nanoseconds
        ("2026-12-07T23:03:46Z", 1796684626_000000),
        ("2026-12-08T00:03:46.5+01:00", 1796684626_500000),
        ("not a time", 0),
        (None, 0),
    ],
)
def test_the_servers_change_times_are_read_to_the_microsecond(sent: Any, expected: int) -> None:
    """The no-op sync stops at the change it already read by these (docs/sync.md)."""
    assert miniflux_api._microseconds(sent) == expected
