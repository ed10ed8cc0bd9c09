"""Shared fixtures: a real loopback feed server, isolated config/data dirs, a real store."""

from __future__ import annotations

import os
import subprocess
import sys
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.feedserver import FeedServer
from tests.servers.miniflux import Miniflux

MIN_WORKERS = 2
"""Even on one core: much of the suite waits on subprocesses (tmux, chromium, servers)."""
MAX_WORKERS = 4
"""Each worker repeats every module- and session-scoped fixture it needs; more workers than
this cost more in those than they win."""

SHARED_SERVER_GROUPS = {"miniflux": "miniflux", "browser": "serve", "served": "serve"}
"""Fixtures with a costly server behind them: under pytest-xdist (`--dist loadgroup`) the
tests that use one run on one worker, so it starts once rather than once per worker."""


def pytest_xdist_auto_num_workers(config: pytest.Config) -> int:
    """`-n auto`: one worker per core, at least MIN_WORKERS and at most MAX_WORKERS."""
    wanted = os.environ.get("PYTEST_XDIST_AUTO_NUM_WORKERS")
    if wanted:
        try:
            return int(wanted)
        except ValueError:
            warnings.warn(
                f"PYTEST_XDIST_AUTO_NUM_WORKERS is not a number: {wanted!r}", stacklevel=1
            )
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return max(MIN_WORKERS, min(MAX_WORKERS, cores or 1))


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Group the tests of each costly shared server (before xdist reads the groups)."""
    for item in items:
        used = getattr(item, "fixturenames", ())
        for group in sorted(
            {SHARED_SERVER_GROUPS[name] for name in used if name in SHARED_SERVER_GROUPS}
        ):
            item.add_marker(pytest.mark.xdist_group(group))


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


def fetch_in_process(config: Path, data: Path) -> None:
    """`natoread fetch --quiet` run in this process: a test's setup, where the command's
    own start (its imports) proves nothing (tests of `fetch` itself run the installed one)."""
    from natoread.cli import main

    assert main(["--config", str(config), "--data-dir", str(data), "fetch", "--quiet"]) == 0


@pytest.fixture(scope="session")
def miniflux() -> Iterator[Miniflux]:
    """A real Miniflux and its PostgreSQL on loopback, shared by the sync tests.

    Per process: under pytest-xdist each worker that needs one starts its own (own cluster,
    directory and ports); `--dist loadgroup` keeps its tests on one worker."""
    server = Miniflux()
    yield server
    server.close()
