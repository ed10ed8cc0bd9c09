"""Where the config and the data live: --config/$NATOREAD_CONFIG/./feeds.toml/user config dir."""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from pathlib import Path

APP_NAME = "natoread"
CONFIG_NAME = "feeds.toml"
DB_NAME = "natoread.sqlite3"


def user_config_dir() -> Path:
    """The per-user config directory (XDG on Linux)."""
    found = _xdg_dir("XDG_CONFIG_HOME", "~/.config")
    if found is not None:
        return found
    from platformdirs import user_config_path

    return user_config_path(APP_NAME, appauthor=False)


def user_data_dir() -> Path:
    """The per-user data directory (XDG on Linux)."""
    found = _xdg_dir("XDG_DATA_HOME", "~/.local/share")
    if found is not None:
        return found
    from platformdirs import user_data_path

    return user_data_path(APP_NAME, appauthor=False)


def _xdg_dir(variable: str, default: str) -> Path | None:
    """The XDG base directory answer on plain Linux, as platformdirs gives it: `$variable`
    when it is an absolute path, else `default` under an absolute $HOME; None for every
    other case (another system, Android, no usable home), which platformdirs answers.

    Every command without --config and --data-dir (a cron `natoread fetch`) asks; loading
    platformdirs (it imports tempfile, random and shutil) costs more than a pass in which no
    feed changed.
    """
    if (
        sys.platform != "linux"
        or hasattr(sys, "getandroidapilevel")
        or "ANDROID_DATA" in os.environ
    ):
        return None
    base = os.environ.get(variable, "")
    if not os.path.isabs(base):
        if not os.path.isabs(os.environ.get("HOME", "")):
            return None
        base = os.path.expanduser(default)
    return Path(os.path.join(base, APP_NAME))


def find_config(
    explicit: str | None, env: Mapping[str, str] | None = None, cwd: Path | None = None
) -> Path | None:
    """The config file to use, by lookup order; None when no file exists anywhere."""
    env = os.environ if env is None else env
    if explicit:
        return Path(explicit).expanduser()
    if env.get("NATOREAD_CONFIG"):
        return Path(env["NATOREAD_CONFIG"]).expanduser()
    local = (cwd or Path.cwd()) / CONFIG_NAME
    if local.is_file():
        return local
    user = user_config_dir() / CONFIG_NAME
    return user if user.is_file() else None


def find_data_dir(explicit: str | None, env: Mapping[str, str] | None = None) -> Path:
    """The data directory: --data-dir, $NATOREAD_DATA_DIR, or the user data dir."""
    env = os.environ if env is None else env
    if explicit:
        return Path(explicit).expanduser()
    if env.get("NATOREAD_DATA_DIR"):
        return Path(env["NATOREAD_DATA_DIR"]).expanduser()
    return user_data_dir()


def can_write_data(db_path: Path) -> bool:
    """True unless the database exists and this process may not write it or its directory.

    SQLite in WAL mode writes beside the file (its -wal and -shm), so both must be writable.
    `os.access` asks the kernel with this process's real ids: root may write anything.
    """
    if not db_path.exists():
        return True
    return os.access(db_path, os.W_OK) and os.access(db_path.parent, os.W_OK)
