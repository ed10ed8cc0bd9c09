"""One grammar of errors, through the installed `natoread`: the same query checks in `search`,
`list` and saved searches, usage errors with a hint, key conflicts, and the small things a
script or a daily user meets (whole titles in a pipe, settings as written, a dry run that
agrees with the run, no reader drawn into a file)."""

from __future__ import annotations

import json
import os
import pty
import subprocess
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from tests import feedgen
from tests.conftest import NATOREAD, natoread_env, write_config
from tests.conftest import run_natoread as run
from tests.feedserver import FeedServer

LONG_TITLE = (
    "Turkey's parliament ratifies Sweden's NATO accession protocol after twenty months of"
    " delay, clearing the way for the alliance's thirty-second member to join at a ceremony"
    " in Washington next week"
)


@pytest.fixture(scope="module")
def polled(tmp_path_factory: pytest.TempPathFactory) -> Iterator[list[str]]:
    """Global options for a config of two feeds ("Alliance Wire" and an Atom feed), polled
    once for the module (the tests only read the store)."""
    server = FeedServer()
    tmp_path = tmp_path_factory.mktemp("polled")
    entries = [
        feedgen.Item(
            title=LONG_TITLE,
            body="<p>Turkey's parliament approved Sweden's NATO membership bid.</p>"
            "<p>“This is a good day for the alliance,” Rutte said.</p>",
            guid="n1",
            link="https://news.example/n1",
            published=feedgen.BASE_TIME + timedelta(hours=1),
        ),
        *feedgen.items(2, "Weather"),
    ]
    urls = [
        server.add("/nato.xml", feedgen.rss(entries, title="Alliance Wire")),
        server.add("/atom.xml", feedgen.atom(feedgen.items(2, "Sport"))),
    ]
    config = write_config(tmp_path, feedgen.config_toml(urls))
    options = ["--config", str(config), "--data-dir", str(tmp_path / "data")]
    fetched = run("fetch", *options)
    server.close()
    assert fetched.returncode == 0, fetched.stderr
    yield options


def one_line_error(result: subprocess.CompletedProcess[str]) -> str:
    """The one line a failed command printed, after checking it failed with status 2."""
    assert result.returncode == 2, (result.stdout, result.stderr)
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, lines
    return lines[0]


def test_unknown_topics_and_feeds_are_errors_naming_the_known_ones(polled: list[str]) -> None:
    line = one_line_error(run("search", "topic:nosuch", *polled))
    assert line.startswith("natoread: topic:nosuch: unknown topic; known: ")
    assert "accession" in line
    line = one_line_error(run("search", "nato", "topic:accesion", *polled))
    assert "did you mean 'accession'?" in line
    line = one_line_error(run("list", "--topic", "nosuch", *polled))
    assert line.startswith("natoread: --topic: nosuch: unknown topic; known: ")
    line = one_line_error(run("search", "feed:Nope", *polled))
    assert line.startswith("natoread: feed:Nope: unknown feed; known: ") and "Alliance Wire" in line
    line = one_line_error(run("list", "--feed", "Aliance Wire", *polled))
    assert line.startswith("natoread: --feed: Aliance Wire: unknown feed; did you mean")
    assert "'Alliance Wire'" in line
    # Names that are known still work, in any case, by title or URL.
    by_title = json.loads(run("list", "--feed", "alliance wire", "--json", *polled).stdout)
    assert len(by_title) == 3 and {row["feed"] for row in by_title} == {"Alliance Wire"}
    found = json.loads(run("search", "topic:Accession", "feed:wire", "--json", *polled).stdout)
    assert [row["title"] for row in found] == [LONG_TITLE]


def test_a_filter_with_no_value_is_an_error(tmp_path: Path) -> None:
    # Every filter problem is checked by the core (tests/core/test_query_check.py); here,
    # that the command reports one: `speaker:` alone used to list an arbitrary article.
    line = one_line_error(run("search", "speaker:", "--data-dir", str(tmp_path / "d")))
    assert line == 'natoread: speaker: needs a value, e.g. speaker:Rutte or speaker:"Mark Rutte"'


def test_a_dash_word_on_the_command_line_hints_at_the_double_dash(polled: list[str]) -> None:
    result = run("search", "summit", "-weather", *polled)
    assert result.returncode == 2
    assert result.stderr.splitlines()[0] == (
        "natoread: error: unrecognized arguments: -weather (to search for a word starting"
        " with '-', put -- before the query)"
    )
    listed = run("list", "-weather", *polled)  # not a search: no hint about queries
    assert listed.returncode == 2 and "put --" not in listed.stderr
    done = run("search", *polled, "--json", "--", "alliance", "-weather")
    assert done.returncode == 0, done.stderr
    assert [row["title"] for row in json.loads(done.stdout)] == [LONG_TITLE]


def test_list_into_a_pipe_keeps_whole_titles(polled: list[str]) -> None:
    listed = run("list", "--all", *polled)  # stdout is a pipe; COLUMNS is 120
    assert listed.returncode == 0
    rows = [line for line in listed.stdout.splitlines() if "Turkey's" in line]
    assert len(rows) == 1 and f"Alliance Wire      {LONG_TITLE} [accession," in rows[0]


SEARCHES = """
[[searches]]
name = "Good"
query = "topic:accession is:unread"

[[searches]]
name = "Typo"
query = "{query}"
"""


def test_check_config_names_the_saved_search_and_its_problem(tmp_path: Path) -> None:
    config = write_config(tmp_path, SEARCHES.format(query="is:foo"))
    line = one_line_error(run("check-config", "--config", str(config)))
    assert line == (
        f"natoread: {config}: searches[2].query: saved search 'Typo': is:foo: expected one of"
        " unread, read, starred, matching, hidden"
    )


def test_check_config_lists_good_saved_searches(tmp_path: Path) -> None:
    config = write_config(tmp_path, SEARCHES.format(query="speaker:Rutte since:7d"))
    checked = run("check-config", "--config", str(config))
    assert checked.returncode == 0, checked.stderr
    assert "search: Typo: speaker:Rutte since:7d" in checked.stdout


def test_key_conflicts_are_reported_by_check_config_and_at_start_up(tmp_path: Path) -> None:
    config = write_config(tmp_path, '[keys]\nsearch = "j"\n')
    for command in (["check-config"], []):  # [] starts the reader: it refuses first
        line = one_line_error(run(*command, "--config", str(config)))
        assert line == (
            f"natoread: {config}: keys.search: 'j' is also the default key of 'down';"
            " choose another key, or bind 'down' to another key too"
        )


def test_rebinding_the_other_action_resolves_a_key_conflict(tmp_path: Path) -> None:
    config = write_config(tmp_path, '[keys]\nsearch = "j"\ndown = "down"\n')
    checked = run("check-config", "--config", str(config))
    assert checked.returncode == 0, checked.stderr
    assert "keys: search=j, down=down" in checked.stdout


@pytest.mark.parametrize(
    ("settings", "expected"),
    [
        (
            'refresh = "90s"\nmax_size = "10MB"\ntimeout = 7.5\nretention_days = 30',
            "settings: refresh 90s, concurrency 16 (4 per host), timeout 7.5 s, max size 10MB,"
            " max 2000 items a document, retention 30 days",
        ),
        (
            "refresh = 45\nmax_size = 2000000\nmax_items = 500",
            "settings: refresh 45 min, concurrency 16 (4 per host), timeout 20 s,"
            " max size 2000000 bytes, max 500 items a document, retention forever",
        ),
        (
            "",
            "settings: refresh 30m, concurrency 16 (4 per host), timeout 20 s, max size 10MiB,"
            " max 2000 items a document, retention forever",
        ),
        ('pipe_command = "less -R"', "pipe: less -R"),
        ("text_width = 88", "reader: text width 88 cells"),
    ],
)
def test_check_config_shows_settings_as_written(
    tmp_path: Path, settings: str, expected: str
) -> None:
    config = write_config(tmp_path, f"[settings]\n{settings}\n")
    checked = run("check-config", "--config", str(config))
    assert checked.returncode == 0, checked.stderr
    assert expected in checked.stdout.splitlines()


OPML = """<?xml version="1.0"?>
<opml version="2.0"><body>
  <outline text="Wire again" xmlUrl="https://WIRE.example/rss/"/>
  <outline text="Guardian" xmlUrl="https://guardian.example/nato/rss"/>
  <outline text="Guardian twice" xmlUrl="https://guardian.example/nato/rss"/>
  <outline text="local" xmlUrl="file:///etc/passwd"/>
</body></opml>
"""


def test_import_opml_dry_run_agrees_with_the_run(tmp_path: Path) -> None:
    text = '# mine\n[[feeds]]\ntitle = "Wire"\nurl = "https://wire.example/rss"\n'
    config = write_config(tmp_path, text)
    opml = tmp_path / "subs.opml"
    opml.write_text(OPML, encoding="utf-8")
    dry = run("import-opml", str(opml), "--dry-run", "--config", str(config))
    assert dry.returncode == 0, dry.stderr
    assert config.read_text(encoding="utf-8") == text  # nothing written
    real = run("import-opml", str(opml), "--config", str(config))
    assert real.returncode == 0, real.stderr
    assert (
        dry.stdout.replace("would add ", "added ").replace("1 feed would be added", "1 feed added")
        == real.stdout
    )
    lines = real.stdout.splitlines()
    assert "added Guardian <https://guardian.example/nato/rss>" in lines
    assert lines[-1] == f"1 feed added to {config}; 2 already there, 1 refused"
    assert sum("skipped" in line for line in lines) == 2  # the Wire again, the Guardian twice


def test_the_reader_refuses_to_draw_without_a_terminal(tmp_path: Path) -> None:
    config = write_config(tmp_path, "")
    piped = run("--config", str(config), "--data-dir", str(tmp_path / "d"), stdin="")
    line = one_line_error(piped)
    assert line.startswith(
        "natoread: the reader needs a terminal, but stdin and stdout and stderr are not one;"
    )
    # `natoread 2>log` on a terminal: the log gets one line, not a screen; the terminal too.
    log = tmp_path / "log"
    leader, follower = pty.openpty()
    try:
        with log.open("w") as stderr:
            status = subprocess.run(
                [NATOREAD, "--config", str(config), "--data-dir", str(tmp_path / "d")],
                stdin=follower,
                stdout=follower,
                stderr=stderr,
                env=natoread_env(),
                timeout=60,
            ).returncode
        shown = os.read(leader, 65536).decode()
    finally:
        os.close(leader)
        os.close(follower)
    assert status == 2
    written = log.read_text()
    assert written.splitlines() == [
        "natoread: the reader needs a terminal, but stderr is not one; for a file or a pipe"
        " use a command such as `natoread list` (see --help)"
    ]
    assert "\x1b" not in written and "\x1b" not in shown
    assert "the reader needs a terminal" in shown


def test_error_lines_echo_no_escape_sequences(tmp_path: Path) -> None:
    """A file name or an argument that carries escape sequences (a recolouring CSI, an
    OSC 52 clipboard write) is echoed in the error line without them."""
    config = write_config(tmp_path, "")
    options = ["--config", str(config), "--data-dir", str(tmp_path / "d")]
    hostile = "state\x1b[31m\x1b]52;c;aGk=\x07.jsonl"
    unreadable = one_line_error(run("import-state", str(tmp_path / hostile), *options))
    assert unreadable.endswith("state.jsonl: cannot read: No such file or directory")
    unwritable = run("export-state", "-o", str(tmp_path / "no-dir" / hostile), *options)
    assert unwritable.returncode == 2
    assert unwritable.stderr.rstrip().endswith(
        "state.jsonl: cannot write: No such file or directory"
    )
    usage = run("list", "--sort", "newest", hostile, *options)
    assert usage.returncode == 2
    for output in (unreadable, unwritable.stderr, usage.stderr):
        assert "\x1b" not in output and "\x07" not in output
    assert "state.jsonl" in usage.stderr
