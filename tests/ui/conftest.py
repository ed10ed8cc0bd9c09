"""UI fixtures: a real store file with hand-made articles, a UTC clock zone, an app factory."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from natoread.core.config import Config
from natoread.ui.app import NatoreadApp
from tests.ui.factory import DEFENCE, NORDIC, TOKYO, build_store, make_config

ALL_FEEDS = (DEFENCE, NORDIC, TOKYO)


@pytest.fixture(autouse=True)
def utc_and_headless(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Local time is UTC (stable dates) and no browser or SSH session is around."""
    monkeypatch.setenv("TZ", "UTC")
    for name in ("DISPLAY", "WAYLAND_DISPLAY", "SSH_CONNECTION", "SSH_TTY", "SSH_CLIENT"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("TEXTUAL_ANIMATIONS", "none")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    """A store holding the sample articles of tests.ui.factory."""
    path = tmp_path / "natoread.sqlite3"
    build_store(path)
    return path


@pytest.fixture
def sample_config() -> Config:
    """A config listing the three sample feeds."""
    return make_config(ALL_FEEDS)


@pytest.fixture
def make_app(db_path: Path, sample_config: Config) -> Callable[..., NatoreadApp]:
    """Build an app over the sample store; polling is off unless asked for."""

    def build(config: Config | None = None, *, path: Path | None = None, **kw: Any) -> NatoreadApp:
        kw.setdefault("autopoll", False)
        return NatoreadApp(config or sample_config, path or db_path, **kw)

    return build
