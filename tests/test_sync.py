"""Sync with a real Miniflux (tests/servers/miniflux.py) through the installed command: first
and incremental sync, read and star both ways, the offline queue, the conflict rule, a wrong
password and an unreachable server, and the Google Reader API of Miniflux's own endpoint."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import run_natoread, write_config
from tests.feedserver import FeedServer
from tests.servers.miniflux import Miniflux, User, free_port
from tests.test_sync_server import rss

PASSWORD_ENV = "NATOREAD_SYNC_PASSWORD"


def sync_config(tmp_path: Path, url: str, user: User, service: str = "miniflux") -> Path:
    return write_config(
        tmp_path,
        f'[sync]\nservice = "{service}"\nurl = "{url}"\nusername = "{user.username}"\n',
    )


def fetch(config: Path, data: Path) -> tuple[int, list[dict[str, Any]], str]:
    done = run_natoread("--config", str(config), "--data-dir", str(data), "fetch", "--json")
    lines = [json.loads(line) for line in done.stdout.splitlines() if line.strip()]
    return done.returncode, lines, done.stderr


def articles(config: Path, data: Path) -> dict[str, dict[str, Any]]:
    done = run_natoread("--config", str(config), "--data-dir", str(data), "list", "--all", "--json")
    assert done.returncode == 0, done.stderr
    return {a["title"]: a for a in json.loads(done.stdout)}


def mark(config: Path, data: Path, article_id: int, flag: str) -> None:
    done = run_natoread(
        "--config", str(config), "--data-dir", str(data), "mark", "--id", str(article_id), flag
    )
    assert done.returncode == 0, done.stderr


def remote(miniflux: Miniflux, user: User) -> dict[str, dict[str, Any]]:
    return {e["title"]: e for e in miniflux.entries(user)}


@pytest.fixture
def account(
    miniflux: Miniflux, server: FeedServer, request: pytest.FixtureRequest,
    monkeypatch: pytest.MonkeyPatch,
) -> tuple[User, int, str]:  # fmt: skip
    """A fresh Miniflux user subscribed to one loopback feed of two entries."""
    name = request.node.name.replace("_", "-")[:40]
    user = miniflux.create_user(name)
    path = f"/{name}.xml"
    url = server.add(path, rss("NATO summit opens", "Allies agree"))
    feed_id = miniflux.subscribe(user, url)
    monkeypatch.setenv(PASSWORD_ENV, user.password)
    return user, feed_id, path


def test_first_sync_then_incremental_sync_brings_only_the_new_entry(
    miniflux: Miniflux, server: FeedServer, account: tuple[User, int, str], tmp_path: Path,
    data_dir: Path,
) -> None:  # fmt: skip
    user, feed_id, path = account
    config = sync_config(tmp_path, miniflux.url, user)
    code, outcomes, stderr = fetch(config, data_dir)
    assert code == 0, stderr
    assert [(o["status"], o["new"]) for o in outcomes] == [("ok", 2)]
    stored = articles(config, data_dir)
    assert sorted(stored) == ["Allies agree", "NATO summit opens"]
    assert stored["NATO summit opens"]["matched"]  # topics computed locally
    code, outcomes, _ = fetch(config, data_dir)
    assert [o["new"] for o in outcomes] == [0]
    server.add(path, rss("NATO summit opens", "Allies agree", "Article 5 reaffirmed"))
    miniflux.refresh(user, feed_id)
    code, outcomes, _ = fetch(config, data_dir)
    assert code == 0 and [o["new"] for o in outcomes] == [1]
    assert len(articles(config, data_dir)) == 3
    feeds = run_natoread("--config", str(config), "--data-dir", str(data_dir), "feeds", "--json")
    health = json.loads(feeds.stdout)
    assert [(f["url"], f["articles"], f["consecutive_failures"]) for f in health] == [
        (server.url(path), 3, 0)
    ]


def test_read_and_star_go_both_ways(
    miniflux: Miniflux, account: tuple[User, int, str], tmp_path: Path, data_dir: Path
) -> None:
    user, _, _ = account
    config = sync_config(tmp_path, miniflux.url, user)
    assert fetch(config, data_dir)[0] == 0
    on_server = remote(miniflux, user)
    # The server's changes come here.
    summit = on_server["NATO summit opens"]["id"]
    miniflux.api("PUT", "/entries", {"entry_ids": [summit], "status": "read"},
                 (user.username, user.password))  # fmt: skip
    miniflux.api("PUT", f"/entries/{summit}/bookmark", user=(user.username, user.password))
    assert fetch(config, data_dir)[0] == 0
    local = articles(config, data_dir)
    assert local["NATO summit opens"]["read"] and local["NATO summit opens"]["starred"]
    assert not local["Allies agree"]["read"] and not local["Allies agree"]["starred"]
    # Changes made here go to the server.
    mark(config, data_dir, local["Allies agree"]["id"], "--read")
    mark(config, data_dir, local["Allies agree"]["id"], "--star")
    mark(config, data_dir, local["NATO summit opens"]["id"], "--unread")
    code, _, stderr = fetch(config, data_dir)
    assert code == 0, stderr
    on_server = remote(miniflux, user)
    assert on_server["Allies agree"]["status"] == "read" and on_server["Allies agree"]["starred"]
    assert on_server["NATO summit opens"]["status"] == "unread"
    local = articles(config, data_dir)
    assert local["Allies agree"]["read"] and not local["NATO summit opens"]["read"]


def test_changes_made_offline_are_queued_and_sent_next_time(
    miniflux: Miniflux, account: tuple[User, int, str], tmp_path: Path, data_dir: Path
) -> None:
    user, _, _ = account
    config = sync_config(tmp_path, miniflux.url, user)
    assert fetch(config, data_dir)[0] == 0
    local = articles(config, data_dir)
    mark(config, data_dir, local["Allies agree"]["id"], "--read")
    down = sync_config(tmp_path, f"http://127.0.0.1:{free_port()}", user)
    code, outcomes, stderr = fetch(down, data_dir)
    assert code == 1 and outcomes == []
    assert stderr.count("\n") == 1 and "cannot reach http://127.0.0.1:" in stderr
    assert remote(miniflux, user)["Allies agree"]["status"] == "unread"
    assert articles(config, data_dir)["Allies agree"]["read"]  # kept here meanwhile
    config = sync_config(tmp_path, miniflux.url, user)
    assert fetch(config, data_dir)[0] == 0
    assert remote(miniflux, user)["Allies agree"]["status"] == "read"


def test_the_later_change_wins(
    miniflux: Miniflux, account: tuple[User, int, str], tmp_path: Path, data_dir: Path
) -> None:
    user, _, _ = account
    config = sync_config(tmp_path, miniflux.url, user)
    assert fetch(config, data_dir)[0] == 0
    local = articles(config, data_dir)
    mark(config, data_dir, local["Allies agree"]["id"], "--read")
    mark(config, data_dir, local["NATO summit opens"]["id"], "--read")
    # The change to "Allies agree" was made here an hour before the server's own change.
    with sqlite3.connect(data_dir / "natoread.sqlite3") as db:
        db.execute(
            "UPDATE sync_outbox SET made = made - 3600 WHERE article_id=?",
            (local["Allies agree"]["id"],),
        )
    on_server = remote(miniflux, user)
    ids = [on_server["Allies agree"]["id"], on_server["NATO summit opens"]["id"]]
    miniflux.api("PUT", "/entries", {"entry_ids": ids, "status": "unread"},
                 (user.username, user.password))  # fmt: skip
    miniflux.api("PUT", f"/entries/{ids[0]}/bookmark", user=(user.username, user.password))
    assert fetch(config, data_dir)[0] == 0
    local = articles(config, data_dir)
    on_server = remote(miniflux, user)
    # The server's later change wins over the older one made here ...
    assert not local["Allies agree"]["read"] and on_server["Allies agree"]["status"] == "unread"
    assert local["Allies agree"]["starred"]
    # ... and the change made here in the same second as the server's (a tie) is sent.
    assert local["NATO summit opens"]["read"]
    assert on_server["NATO summit opens"]["status"] == "read"


def test_a_wrong_password_is_one_line_and_never_printed(
    miniflux: Miniflux, account: tuple[User, int, str], tmp_path: Path, data_dir: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    user, _, _ = account
    monkeypatch.setenv(PASSWORD_ENV, "wrong-secret-xyz")
    config = sync_config(tmp_path, miniflux.url, user)
    code, outcomes, stderr = fetch(config, data_dir)
    assert code == 1 and outcomes == []
    assert stderr.count("\n") == 1 and "refused the username or password (HTTP 401)" in stderr
    assert "wrong-secret-xyz" not in stderr
    checked = run_natoread("--config", str(config), "check-config")
    assert checked.returncode == 0
    assert f"sync: miniflux {miniflux.url} as {user.username}" in checked.stdout
    assert "wrong-secret-xyz" not in checked.stdout + checked.stderr


def test_the_secret_comes_from_a_command_and_never_from_the_file(
    miniflux: Miniflux, account: tuple[User, int, str], tmp_path: Path, data_dir: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    user, _, _ = account
    monkeypatch.delenv(PASSWORD_ENV)
    config = write_config(
        tmp_path,
        f'[sync]\nservice = "miniflux"\nurl = "{miniflux.url}"\nusername = "{user.username}"\n'
        f'password_command = ["printf", "%s\\\\n", "{user.password}"]\n',
    )
    code, outcomes, stderr = fetch(config, data_dir)
    assert code == 0, stderr
    assert [o["new"] for o in outcomes] == [2]
    written = write_config(
        tmp_path, f'[sync]\nservice = "miniflux"\nurl = "{miniflux.url}"\npassword = "hunter2"\n'
    )
    checked = run_natoread("--config", str(written), "check-config")
    assert checked.returncode == 2 and "hunter2" not in checked.stderr
    assert "sync.password: the password is never written in feeds.toml" in checked.stderr


def test_google_reader_api_of_miniflux(
    miniflux: Miniflux, server: FeedServer, account: tuple[User, int, str], tmp_path: Path, data_dir: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    user, feed_id, path = account
    # Twelve entries: ids past 9 read differently as decimal and as hexadecimal.
    server.add(path, rss("NATO summit opens", "Allies agree", *(f"Item {n}" for n in range(10))))
    miniflux.refresh(user, feed_id)
    miniflux.enable_google_reader(user, "greader-secret")
    monkeypatch.setenv(PASSWORD_ENV, "greader-secret")
    config = sync_config(tmp_path, miniflux.url, user, service="greader")
    summit = remote(miniflux, user)["NATO summit opens"]["id"]
    miniflux.api("PUT", f"/entries/{summit}/bookmark", user=(user.username, user.password))
    code, outcomes, stderr = fetch(config, data_dir)
    assert code == 0, stderr
    assert [o["new"] for o in outcomes] == [12]
    local = articles(config, data_dir)
    assert local["NATO summit opens"]["starred"] and not local["NATO summit opens"]["read"]
    assert local["Item 9"]["title"] == "Item 9" and not local["Item 9"]["starred"]
    mark(config, data_dir, local["Allies agree"]["id"], "--read")
    mark(config, data_dir, local["Item 9"]["id"], "--star")
    code, outcomes, stderr = fetch(config, data_dir)
    assert code == 0, stderr
    assert [o["new"] for o in outcomes] == [0]
    on_server = remote(miniflux, user)
    assert on_server["Allies agree"]["status"] == "read" and on_server["Item 9"]["starred"]
    assert [t for t, e in on_server.items() if e["status"] == "read"] == ["Allies agree"]
    assert sorted(t for t, e in on_server.items() if e["starred"]) == [
        "Item 9",
        "NATO summit opens",
    ]
    monkeypatch.setenv(PASSWORD_ENV, "not-it")
    code, _, stderr = fetch(config, data_dir)
    assert code == 1 and stderr.count("\n") == 1 and "HTTP 401" in stderr
