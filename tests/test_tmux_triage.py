"""The installed reader in a real terminal (tmux): tag an article, mark the whole list read
through the confirmation with its count, undo, pipe the article with the reader suspended,
quit, start again and undo once more — the undo log lives in the store."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from natoread.core.storage.records import ArticleQuery
from natoread.core.storage.store import Store
from tests import feedgen
from tests.conftest import natoread_env, write_config
from tests.feedserver import FeedServer
from tests.test_tmux_e2e import NATOREAD, Tmux

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")


def stored(data: Path) -> list[tuple[str, bool, tuple[str, ...]]]:
    """(title, read, tags) of every stored article, newest first."""
    with Store(data / "natoread.sqlite3") as store:
        rows = store.list_articles(ArticleQuery(), limit=100)
        return [(row.title, row.read, row.tags) for row in rows]


def test_tag_bulk_mark_undo_restart_undo(server: FeedServer, tmp_path: Path) -> None:
    url = server.add("/wire.xml", feedgen.rss(feedgen.items(3, "Wire"), title="Wire"))
    piped = tmp_path / "piped.md"
    pipe = ["sh", "-c", f"cat > {piped}"]
    config = write_config(tmp_path, feedgen.config_toml([url], pipe_command=pipe))
    data = tmp_path / "data"
    options = ["--config", str(config), "--data-dir", str(data)]
    fetched = subprocess.run(
        [NATOREAD, *options, "fetch"],
        capture_output=True,
        text=True,
        timeout=120,
        env=natoread_env(),
    )
    assert fetched.returncode == 0, fetched.stderr
    command = " ".join([NATOREAD, *options])
    status = tmp_path / "status"
    tmux = Tmux(tmp_path / "tmux.sock", 120, 30, f"{command}; echo $? > {status}")
    try:
        tmux.keys("a")  # every article, not only topic matches
        tmux.wait_for(lambda s: "Wire 2" in s and "Wire 0" in s)
        tmux.keys("t")
        tmux.wait_for(lambda s: "Tag “Wire 0”" in s)
        tmux.keys("later", "Enter")
        tmux.wait_for(lambda s: "Tags" in s and "later" in s)
        assert stored(data)[0] == ("Wire 0", False, ("later",))
        tmux.keys("M")  # the whole list: mark read
        tmux.wait_for(lambda s: "Apply to the 3 articles listed:" in s)
        tmux.keys("1")
        tmux.wait_for(lambda s: "Mark 3 articles read? y/n" in s)
        tmux.keys("y")
        tmux.wait_for(lambda s: "Marked 3 articles read" in s)
        assert [read for _, read, _ in stored(data)] == [True, True, True]
        tmux.keys("u")
        tmux.wait_for(lambda s: "undone: mark 3 articles read" in s)
        assert [read for _, read, _ in stored(data)] == [False, False, False]
        # | hands the terminal to pipe_command and takes it back
        tmux.keys("|")
        tmux.wait_for(lambda s: "Piped the article." in s)
        assert piped.read_text(encoding="utf-8").startswith("# Wire 0")
        tmux.keys("q")
        tmux.wait_for(lambda s: status.exists(), timeout=10)
        assert status.read_text().strip() == "0"
    finally:
        tmux.kill()
    # A new reader: the tag is still there, and u takes it back.
    status.unlink()
    tmux = Tmux(tmp_path / "tmux.sock", 120, 30, f"{command}; echo $? > {status}")
    try:
        tmux.keys("a")
        tmux.wait_for(lambda s: "Wire 2" in s and "later" in s)
        tmux.keys("u")
        tmux.wait_for(lambda s: "undone: tag 1 article 'later'" in s)
        assert stored(data)[0] == ("Wire 0", False, ())
        tmux.keys("q")
        tmux.wait_for(lambda s: status.exists(), timeout=10)
        assert status.read_text().strip() == "0"
    finally:
        tmux.kill()
