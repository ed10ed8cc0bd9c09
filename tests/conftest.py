"""Shared fixtures: a real loopback feed server, isolated config/data dirs, a real store."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.feedserver import FeedServer
from tests.servers.miniflux import Miniflux


@pytest.fixture(autouse=True)
def isolate_user_dirs(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Keep the developer's config and data out of every test."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / ".local/share"))
    monkeypatch.delenv("NATOREAD_CONFIG", raising=False)
    monkeypatch.delenv("NATOREAD_DATA_DIR", raising=False)
    monkeypatch.chdir(home)


@pytest.fixture
def server() -> Iterator[FeedServer]:
    """A real HTTP server on 127.0.0.1 (ephemeral port)."""
    feed_server = FeedServer()
    yield feed_server
    feed_server.close()


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    """An empty data directory."""
    path = tmp_path / "data"
    path.mkdir()
    return path


def write_config(tmp_path: Path, text: str) -> Path:
    """Write a feeds.toml and return its path."""
    path = tmp_path / "feeds.toml"
    path.write_text(text, encoding="utf-8")
    return path


def natoread_env() -> dict[str, str]:
    """Environment for subprocess runs of the installed command."""
    env = dict(os.environ)
    env.pop("NATOREAD_CONFIG", None)
    env["COLUMNS"] = "120"
    return env


NATOREAD = str(Path(sys.executable).parent / "natoread")
"""The installed command, as a user runs it."""


def run_natoread(
    *args: str, stdin: str | None = None, cwd: Path | None = None, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    """Run the installed `natoread` with `args`; its output is captured as text."""
    return subprocess.run(
        [NATOREAD, *args],
        capture_output=True,
        text=True,
        input=stdin,
        env=natoread_env(),
        timeout=timeout,
        cwd=cwd,
    )


@pytest.fixture(scope="session")
def miniflux() -> Iterator[Miniflux]:
    """A real Miniflux and its PostgreSQL on loopback, shared by the sync tests."""
    server = Miniflux()
    yield server
    server.close()
