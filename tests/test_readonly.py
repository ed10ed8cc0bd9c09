"""A read-only data directory: the reading commands work, the writing ones say why not in one line.

Tests run as root, for whom file modes stop nothing: the command then runs without the
capabilities that override them (dropped from its bounding set before exec), so 0444/0555
bind it as they bind any user.
"""

from __future__ import annotations

import ctypes
import json
import os
import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests import feedgen
from tests.conftest import NATOREAD, natoread_env, write_config
from tests.feedserver import FeedServer

DB_NAME = "natoread.sqlite3"
PR_CAPBSET_DROP = 24
CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH = 1, 2


def _drop_file_override() -> None:
    """In the child: lose root's power to write what file modes forbid (at exec)."""
    libc = ctypes.CDLL(None, use_errno=True)
    for capability in (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH):
        if libc.prctl(PR_CAPBSET_DROP, capability, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP)")


def run_unprivileged(*args: str) -> subprocess.CompletedProcess[str]:
    """The installed command, as a process that the file modes bind (even when root)."""
    return subprocess.run(
        [NATOREAD, *args],
        capture_output=True,
        text=True,
        timeout=120,
        env=natoread_env(),
        preexec_fn=_drop_file_override if os.geteuid() == 0 else None,
    )


@pytest.fixture
def shared_dir(tmp_path: Path) -> Iterator[Path]:
    """A directory for the locked-down copy (writable again afterwards, for the clean-up)."""
    path = tmp_path / "locked"
    path.mkdir()
    yield path
    for sub in (path, *path.rglob("*")):
        sub.chmod(0o755 if sub.is_dir() else 0o644)


@pytest.fixture
def fetched(server: FeedServer, tmp_path: Path) -> tuple[Path, Path]:
    """(config, data dir) after one fetch of two feeds with a quote by Rutte."""
    entries = [
        feedgen.Item(
            title="Rutte welcomes Sweden to NATO",
            body="<p>“This is a good day for the alliance,” Rutte said on Tuesday.</p>",
            guid="n1",
            link="https://news.example/n1",
        ),
        *feedgen.items(3, "Weather"),
    ]
    urls = [
        server.add("/nato.xml", feedgen.rss(entries, title="Alliance Wire")),
        server.add("/atom.xml", feedgen.atom(feedgen.items(2, "Sport"))),
    ]
    config = write_config(tmp_path, feedgen.config_toml(urls))
    data = tmp_path / "data"
    done = subprocess.run(
        [NATOREAD, "--config", str(config), "--data-dir", str(data), "fetch", "-q"],
        capture_output=True,
        text=True,
        timeout=120,
        env=natoread_env(),
    )
    assert done.returncode == 0, done.stderr
    return config, data


def make_read_only(fetched: tuple[Path, Path], shared: Path, files: list[Path]) -> list[str]:
    """Copy the config and `files` into `shared`, lock the copy down; the global options."""
    config, _ = fetched
    shutil.copy(config, shared / "feeds.toml")
    data = shared / "data"
    data.mkdir()
    for path in files:
        shutil.copy(path, data / path.name)
        (data / path.name).chmod(0o444)
    (shared / "feeds.toml").chmod(0o444)
    data.chmod(0o555)
    return ["--config", str(shared / "feeds.toml"), "--data-dir", str(data)]


def test_reading_commands_work_on_a_read_only_data_directory(
    fetched: tuple[Path, Path], shared_dir: Path
) -> None:
    _, data = fetched
    assert not (data / f"{DB_NAME}-wal").exists()  # closed cleanly: the file holds everything
    options = make_read_only(fetched, shared_dir, [data / DB_NAME])
    probe = run_unprivileged("--version")
    assert probe.returncode == 0, probe.stderr

    listed = run_unprivileged(*options, "list", "--json")
    assert listed.returncode == 0, listed.stderr
    assert len(json.loads(listed.stdout)) == 6
    found = run_unprivileged(*options, "search", "Sweden", "--json")
    assert found.returncode == 0, found.stderr
    assert [row["title"] for row in json.loads(found.stdout)] == ["Rutte welcomes Sweden to NATO"]
    feeds = run_unprivileged(*options, "feeds", "--json")
    assert feeds.returncode == 0, feeds.stderr
    assert sorted(feed["articles"] for feed in json.loads(feeds.stdout)) == [2, 4]
    speakers = run_unprivileged(*options, "speakers", "--json")
    assert speakers.returncode == 0, speakers.stderr
    # "Rutte" is keyed as transliterated surnames are (SPEAKERS_VERSION 2)
    assert [s["key"] for s in json.loads(speakers.stdout)] == ["rute"]
    quotes = run_unprivileged(*options, "quotes", "--speaker", "Rutte", "--json")
    assert quotes.returncode == 0, quotes.stderr
    assert "good day for the alliance" in json.loads(quotes.stdout)[0]["text"]
    # Nothing was created beside the database.
    assert sorted(p.name for p in (shared_dir / "data").iterdir()) == [DB_NAME]

    fetch = run_unprivileged(*options, "fetch")
    assert fetch.returncode == 3
    assert "Traceback" not in fetch.stderr
    assert len(fetch.stderr.strip().splitlines()) == 1
    assert "read-only" in fetch.stderr or "cannot write" in fetch.stderr


def test_a_read_only_store_with_changes_in_its_write_ahead_log_shows_them(
    fetched: tuple[Path, Path], shared_dir: Path
) -> None:
    """A copy taken while another connection held the WAL open: the star lives in the -wal."""
    _, data = fetched
    db_path = data / DB_NAME
    holder = sqlite3.connect(db_path, isolation_level=None)
    try:
        holder.execute("PRAGMA wal_autocheckpoint=0")
        holder.execute("UPDATE article SET starred=1 WHERE title LIKE 'Rutte%'")
        wal = db_path.with_name(DB_NAME + "-wal")
        assert wal.stat().st_size > 0
        options = make_read_only(
            fetched, shared_dir, [db_path, wal, db_path.with_name(DB_NAME + "-shm")]
        )
    finally:
        holder.close()

    starred = run_unprivileged(*options, "list", "--starred", "--json")
    assert starred.returncode == 0, starred.stderr
    assert [row["title"] for row in json.loads(starred.stdout)] == ["Rutte welcomes Sweden to NATO"]
