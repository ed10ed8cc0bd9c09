"""The per-user directories: natoread's own XDG answer must be platformdirs' answer."""

from __future__ import annotations

import sys

import platformdirs
import pytest

from natoread.core import paths


@pytest.mark.skipif(sys.platform != "linux", reason="the XDG answer is Linux-only")
@pytest.mark.parametrize(
    "env",
    [
        {"HOME": "/home/ann"},
        {"HOME": "/home/ann/"},
        {"HOME": "/"},
        {"HOME": "/home/ann", "XDG_CONFIG_HOME": "/cfg", "XDG_DATA_HOME": "/data/x/"},
        {"HOME": "/home/ann", "XDG_CONFIG_HOME": "", "XDG_DATA_HOME": " "},
        {"HOME": "/home/ann", "XDG_CONFIG_HOME": "relative/cfg", "XDG_DATA_HOME": "~/data"},
        {"HOME": "relative", "XDG_CONFIG_HOME": "/cfg", "XDG_DATA_HOME": "/data"},
    ],
)
def test_the_xdg_directories_are_platformdirs_answer(
    env: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("HOME", "XDG_CONFIG_HOME", "XDG_DATA_HOME", "ANDROID_DATA"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert paths._xdg_dir("XDG_CONFIG_HOME", "~/.config") is not None
    assert paths.user_config_dir() == platformdirs.user_config_path("natoread", appauthor=False)
    assert paths.user_data_dir() == platformdirs.user_data_path("natoread", appauthor=False)


def test_without_a_usable_home_platformdirs_answers(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("XDG_CONFIG_HOME", "XDG_DATA_HOME"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HOME", "relative")
    assert paths._xdg_dir("XDG_CONFIG_HOME", "~/.config") is None
