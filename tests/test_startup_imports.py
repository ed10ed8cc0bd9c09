"""What starting a command imports: a command must not pay for the parts it does not use.

Each case runs a whole `python -m natoread` process with `-X importtime` and reads the names
of the modules it imported from stderr.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from natoread.cli import build_parser, main, plain_fetch

HEAVY = ("httpx", "sqlite3", "textual", "asyncio", "natoread.core.storage", "natoread.ui")
"""The network client, the store, the reader: none is needed to print a version or a config."""


def imported_by(*argv: str, home: Path | None = None) -> set[str]:
    """The modules a `natoread` process with these arguments imports (with `home`, run
    there with it as $HOME and no XDG variables)."""
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    if home is not None:
        for name in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "NATOREAD_CONFIG", "NATOREAD_DATA_DIR"):
            env.pop(name, None)
        env["HOME"] = str(home)
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "natoread", *argv],
        capture_output=True,
        text=True,
        env=env,
        cwd=home,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    lines = [line for line in done.stderr.splitlines() if line.startswith("import time:")]
    names = {line.rsplit("|", 1)[1].strip() for line in lines}
    assert "natoread.cli" in names  # the parse above read importtime's format
    return names


def _top_level(names: set[str], heavy: str) -> bool:
    return any(name == heavy or name.startswith(heavy + ".") for name in names)


def test_version_imports_no_network_store_or_reader() -> None:
    names = imported_by("--version")
    assert [heavy for heavy in HEAVY if _top_level(names, heavy)] == []
    # nor the configuration and topic rules, nor any command's module
    assert "tomllib" not in names and "natoread.core.config" not in names
    assert not any(
        name.startswith("natoread.commands.") for name in names - {"natoread.commands.common"}
    )


def test_check_config_imports_no_network_store_or_reader(tmp_path: Path) -> None:
    config = tmp_path / "feeds.toml"
    config.write_text('[[feeds]]\nurl = "https://example.org/feed.xml"\n', encoding="utf-8")
    names = imported_by("--config", str(config), "--data-dir", str(tmp_path), "check-config")
    assert [heavy for heavy in HEAVY if _top_level(names, heavy)] == []
    assert "importlib.resources" not in names


@pytest.mark.parametrize(
    "argv",
    [["--hel"], ["-h"], ["--vers"], ["--"], ["--", "fetch"], ["fecth"], ["--data-dir=x", "-q"]],
)
def test_a_line_without_a_command_is_parsed_as_by_the_whole_grammar(
    argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    """`main` builds no command's parser when none can be needed; the outcome is the same."""
    outcomes = []
    for parse in (main, build_parser().parse_args):
        with pytest.raises(SystemExit) as exited:
            parse(argv)
        outcomes.append((exited.value.code, capsys.readouterr()))
    assert outcomes[0] == outcomes[1]


def test_importing_the_store_compiles_none_of_the_sanitisers_large_patterns() -> None:
    """The store imports the sanitiser, and a pass in which no feed changed cleans no text:
    the patterns with large character classes are compiled at their first use."""
    code = (
        "import natoread.core.storage.store\n"
        "from natoread.core.text import sanitize\n"
        "print(sorted(vars(sanitize._RX)))\n"
        "sanitize.clean_line('a\\x1b[31m b')\n"
        "print(sorted(vars(sanitize._RX)))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )
    before, after = done.stdout.splitlines()
    assert before == "[]"
    assert "'escape_sequence'" in after  # the probe above would see a compiled one


def test_fetch_imports_no_argparse(tmp_path: Path) -> None:
    """A cron `fetch` reads its line without argparse (`cli.plain_fetch`); the one feed is
    disabled, so the pass goes through the store, the plan and the probes without a network."""
    config = tmp_path / "feeds.toml"
    config.write_text(
        '[[feeds]]\nurl = "https://example.org/feed.xml"\nenabled = false\n', encoding="utf-8"
    )
    names = imported_by("--config", str(config), "--data-dir", str(tmp_path), "fetch", "-q")
    assert "natoread.core.polling.plan" in names  # it did run the pass
    assert [name for name in ("argparse", "natoread.grammar", "shutil") if name in names] == []


def test_a_second_fetch_with_the_same_config_defines_no_dataclass(tmp_path: Path) -> None:
    """The config's parse is remembered (`toml_memo`) and the records a pass uses are named
    tuples: a cron pass with an unchanged feeds.toml imports neither tomllib nor dataclasses
    (with `inspect`, which dataclasses imports)."""
    config = tmp_path / "feeds.toml"
    config.write_text(
        '[[feeds]]\nurl = "https://example.org/feed.xml"\nenabled = false\n', encoding="utf-8"
    )
    argv = ("--config", str(config), "--data-dir", str(tmp_path), "fetch", "-q")
    imported_by(*argv)  # the first pass writes the memo
    names = imported_by(*argv)
    assert "natoread.core.polling.plan" in names
    assert [name for name in ("tomllib", "dataclasses", "inspect") if name in names] == []


def test_fetch_with_the_default_places_imports_no_platformdirs(tmp_path: Path) -> None:
    """A cron line is often `natoread fetch` alone: ./feeds.toml and the XDG data directory,
    found without platformdirs on Linux."""
    (tmp_path / "feeds.toml").write_text(
        '[[feeds]]\nurl = "https://example.org/feed.xml"\nenabled = false\n', encoding="utf-8"
    )
    names = imported_by("fetch", "-q", home=tmp_path)
    assert "natoread.core.polling.plan" in names
    assert (tmp_path / ".local/share/natoread/natoread.sqlite3").exists()
    if sys.platform == "linux":
        assert "platformdirs" not in names


@pytest.mark.parametrize(
    "argv",
    [
        ["fetch"],
        ["fetch", "--json", "-q", "--json"],
        ["--config", "a.toml", "fetch", "--due", "--force", "--quiet"],
        ["--config=a", "--data-dir", "d", "fetch", "--config", "b", "--data-dir=e=f"],
        ["fetch", "--data-dir=x"],
        ["--config", "fetch", "fetch"],
        ["fetch", "--data-dir", "a dir", "-q"],
    ],
)
def test_a_plain_fetch_line_is_read_as_the_grammar_reads_it(argv: list[str]) -> None:
    plain = plain_fetch(argv)
    assert plain is not None
    assert vars(plain) == vars(build_parser("fetch").parse_args(argv))


@pytest.mark.parametrize(
    "argv",
    [
        [],
        ["list"],
        ["fetch", "fetch"],
        ["fetch", "--jso"],
        ["--conf", "a", "fetch"],
        ["-q", "fetch"],
        ["fetch", "-h"],
        ["fetch", "--"],
        ["fetch", "--config"],
        ["fetch", "--config", "-x"],
        ["--config=", "fetch"],
        ["fetch", "-qj"],
        ["fetch", "--due=1"],
    ],
)
def test_any_other_line_is_left_to_the_grammar(argv: list[str]) -> None:
    assert plain_fetch(argv) is None
