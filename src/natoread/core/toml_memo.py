"""feeds.toml as tomllib reads it, remembered between commands ("the parse memo").

A cron job starts natoread every few minutes with the same feeds.toml. Importing tomllib (its
regular expressions are compiled at import) and parsing a few hundred `[[feeds]]` tables in
pure Python costs a sizeable part of a pass in which no feed changed. The memo keeps the
parsed tables in the data directory with the exact text they came from: the same text gives
the same tables, so a command whose feeds.toml is unchanged takes them from the memo
(`marshal`, C speed) and only validates them again (`config.parse_config`, which is always
run). Any other text, a missing or unreadable memo, or tables marshal cannot store (TOML
dates): the file is parsed, as without a memo.
"""

from __future__ import annotations

import contextlib
import marshal
import os
import sys
from pathlib import Path
from typing import Any

MEMO_NAME = "feeds-toml.memo"
"""The memo's file name in the data directory."""


def parse_toml(text: str, memo: Path | None = None) -> dict[str, Any]:
    """`tomllib.loads(text)`, from `memo` when it was made from this text by this Python.

    Raises tomllib.TOMLDecodeError as tomllib does (a file that does not parse is never
    remembered).
    """
    key = (sys.version, text)
    if memo is not None:
        remembered = _read(memo)
        if remembered is not None and remembered[0] == key:
            return remembered[1]
    import tomllib  # the memo's boundary: loaded only when the text has to be parsed

    tables = tomllib.loads(text)
    if memo is not None:
        _write(memo, (key, tables))
    return tables


def _read(memo: Path) -> tuple[Any, dict[str, Any]] | None:
    """The memo's (key, tables), or None when there is none or it is not one."""
    try:
        stored = marshal.loads(memo.read_bytes())
    except (OSError, EOFError, ValueError, TypeError):
        return None
    if isinstance(stored, tuple) and len(stored) == 2 and isinstance(stored[1], dict):
        return stored
    return None


def _write(memo: Path, value: tuple[Any, dict[str, Any]]) -> None:
    """Replace the memo at once (a command reading it meanwhile sees the old or the new one);
    a memo that cannot be written (no data directory yet, a read-only one, TOML dates) is
    simply not kept."""
    try:
        data = marshal.dumps(value)
    except ValueError:
        return
    partial = memo.with_name(f"{memo.name}.{os.getpid()}.tmp")
    try:
        partial.write_bytes(data)
        os.replace(partial, memo)
    except OSError:
        with contextlib.suppress(OSError):  # e.g. the "data directory" is a file
            partial.unlink(missing_ok=True)
