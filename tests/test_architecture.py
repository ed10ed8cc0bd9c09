"""Layering and documentation: the core never imports the UI stack; every command and key is documented."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

import pytest

from natoread.cli import COMMANDS, build_parser, command_in, handler_for
from natoread.core.actions import ACTIONS
from tests import feedgen
from tests.conftest import write_config
from tests.feedserver import FeedServer

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
FORBIDDEN_IN_CORE = ("textual", "rich", "natoread.ui", "natoread.cli")


def test_core_modules_never_import_the_ui_stack() -> None:
    for path in (ROOT / "src/natoread/core").rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            for name in names:
                assert not name.startswith(FORBIDDEN_IN_CORE), f"{path.name} imports {name}"


def test_core_and_headless_cli_load_without_textual() -> None:
    code = (
        "import sys, natoread.core.polling.run, natoread.core.storage.store, natoread.cli\n"
        "from natoread.cli import main\n"
        "print(','.join(m for m in ('textual', 'rich', 'natoread.ui') if m in sys.modules))"
    )
    loaded = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert loaded.stdout.strip() == ""


def test_warm_fetch_path_imports_nothing_heavy() -> None:
    code = (
        "import sys, natoread.cli\n"
        "natoread.cli.handler_for('fetch')\n"
        "import natoread.core.polling.run\n"
        "heavy = ('textual', 'trafilatura', 'feedparser', 'lxml', 'multiprocessing')\n"
        "print(','.join(m for m in heavy if m in sys.modules))"
    )
    loaded = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert loaded.stdout.strip() == ""


def test_a_pass_where_nothing_changed_imports_no_http_client(
    server: FeedServer, tmp_path: Path
) -> None:
    """All feeds answer 304: the standard-library probes settle the pass (see revalidate.py).

    Nor does it define the article records and analysis models (see `feedrecords.py`).
    """
    urls = [server.add(f"/f{i}.xml", feedgen.rss(feedgen.items(2, f"F{i}"))) for i in range(3)]
    config = write_config(tmp_path, feedgen.config_toml(urls))
    code = (
        "import sys\n"
        "from natoread.cli import main\n"
        f"rc = main(['--config', {str(config)!r}, '--data-dir', {str(tmp_path)!r}, 'fetch'])\n"
        "heavy = ('httpx', 'asyncio', 'natoread.core.polling.run', 'natoread.core.feeds.parser',"
        " 'natoread.core.analysis.topics.engine', 'natoread.core.analysis.records',"
        " 'natoread.core.storage.records', 'natoread.core.feeds.documents')\n"
        "print(rc, ','.join(m for m in heavy if m in sys.modules))"
    )

    def fetch() -> str:
        result = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True
        )
        return result.stdout.splitlines()[-1]

    cold = (
        "0 httpx,asyncio,natoread.core.polling.run,natoread.core.feeds.parser,natoread.core.analysis.topics.engine,"
        "natoread.core.analysis.records,natoread.core.storage.records,natoread.core.feeds.documents"
    )
    assert fetch() == cold
    assert fetch().startswith("0 httpx")  # answers 304, but last time they answered 200
    before = dict(server.hits)
    assert fetch() == "0 "
    assert all(server.hits[f"/f{i}.xml"] == before[f"/f{i}.xml"] + 1 for i in range(3))


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_a_command_alone_has_the_grammar_it_has_among_all(
    command: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """`main` builds only the running command's parser; it must be the same parser."""
    helps = []
    for parser in (build_parser(), build_parser(command)):
        with pytest.raises(SystemExit):
            parser.parse_args([command, "--help"])
        helps.append(capsys.readouterr().out)
    assert helps[0] == helps[1] and "usage: natoread" in helps[0]


@pytest.mark.parametrize(
    "argv, command",
    [
        (["fetch", "--json"], "fetch"),
        (["--config", "list", "fetch"], "fetch"),
        (["--conf", "list", "--data-dir", "search", "fetch"], "fetch"),
        (["--config=list", "search", "x"], "search"),
        (["-q"], None),
        ([], None),
        (["--help"], None),
        (["fecth"], None),
        (["--", "fetch"], None),
    ],
)
def test_the_running_command_is_found_past_global_options(
    argv: list[str], command: str | None
) -> None:
    assert command_in(argv) == command


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_every_command_is_documented_and_has_help(command: str) -> None:
    assert handler_for(command).__name__ == "cmd_" + command.replace("-", "_")
    assert re.search(rf"`natoread {re.escape(command)}\b", README), command
    parser = build_parser()
    with pytest.raises(SystemExit) as caught:
        parser.parse_args([command, "--help"])
    assert caught.value.code == 0


@pytest.mark.parametrize("action", [a.name for a in ACTIONS])
def test_every_action_is_in_the_readme_key_table(action: str) -> None:
    assert f"`{action}`" in README, action


def test_readme_quickstart_has_exactly_two_commands_and_ci_runs_the_test_one() -> None:
    quickstart = README.split("## Quickstart", 1)[1].split("\n## ", 1)[0]
    commands = re.findall(r"```sh\n(.+?)\n```", quickstart)
    assert len(commands) == 2
    ci = (ROOT / ".ci/run").read_text(encoding="utf-8")
    assert commands[1] in ci
    assert "pytest" in commands[1]
