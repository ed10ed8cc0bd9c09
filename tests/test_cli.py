"""End-to-end runs of the installed `natoread` command against a loopback feed server."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest

from tests import feedgen
from tests.conftest import NATOREAD, fetch_in_process, natoread_env, write_config
from tests.conftest import run_natoread as run
from tests.feedserver import FeedServer

ARTICLE = """Turkey's parliament ratifies Sweden's NATO accession protocol
Turkey's parliament on Tuesday approved Sweden's bid to join NATO, removing the last hurdle but one.

“This is a good day for the alliance,” said NATO Secretary General Mark Rutte.
"""


@pytest.fixture
def farm(server: FeedServer, tmp_path: Path) -> tuple[Path, Path]:
    entries = [
        feedgen.Item(
            title="Turkey ratifies Sweden's NATO accession",
            body="<p>Turkey's parliament approved Sweden's NATO membership bid.</p>"
            "<p>“This is a good day for the alliance,” Rutte said.</p>",
            guid="n1",
            link="https://news.example/n1",
            published=feedgen.BASE_TIME + timedelta(hours=1),
        ),
        *feedgen.items(3, "Weather"),
    ]
    urls = [
        server.add("/nato.xml", feedgen.rss(entries, title="Alliance Wire")),
        server.add("/atom.xml", feedgen.atom(feedgen.items(2, "Sport"))),
    ]
    config = write_config(tmp_path, feedgen.config_toml(urls))
    return config, tmp_path / "data"


def test_version_and_help() -> None:
    assert run("--version").stdout.startswith("natoread ")
    for command in ("fetch", "list", "feeds", "check-config", "match", "quotes", "speakers"):
        result = run(command, "--help")
        assert result.returncode == 0 and "usage:" in result.stdout


def test_fetch_then_list_json(farm: tuple[Path, Path]) -> None:
    config, data = farm
    fetched = run("--config", str(config), "--data-dir", str(data), "fetch")
    assert fetched.returncode == 0, fetched.stderr
    assert "2 feeds polled: 2 updated" in fetched.stdout and "6 new articles" in fetched.stdout
    listed = run("list", "--all", "--json", "--config", str(config), "--data-dir", str(data))
    rows = json.loads(listed.stdout)
    assert len(rows) == 6
    assert set(rows[0]) >= {"id", "feed", "title", "link", "published", "read", "starred"}
    assert rows[0]["title"] == "Turkey ratifies Sweden's NATO accession"
    assert rows[0]["feed"] == "Alliance Wire"
    matching = json.loads(
        run("list", "--matching", "--json", "--config", str(config), "--data-dir", str(data)).stdout
    )
    assert [r["title"] for r in matching] == ["Turkey ratifies Sweden's NATO accession"]
    assert "accession" in matching[0]["topics"]
    topic = json.loads(
        run(
            "list",
            "--topic",
            "accession",
            "--json",
            "--config",
            str(config),
            "--data-dir",
            str(data),
        ).stdout
    )
    assert len(topic) == 1
    warm = run("fetch", "--force", "--json", "--config", str(config), "--data-dir", str(data))
    outcomes = [json.loads(line) for line in warm.stdout.splitlines()]
    assert [o["status"] for o in outcomes] == ["not_modified", "not_modified"]


def test_fetch_exit_status_and_feeds_health(server: FeedServer, tmp_path: Path) -> None:
    good = server.add("/ok.xml", feedgen.rss(feedgen.items(1)))
    bad = server.url("/missing.xml")
    config = write_config(tmp_path, feedgen.config_toml([good, bad]))
    data = tmp_path / "data"
    result = run("--config", str(config), "--data-dir", str(data), "fetch")
    assert result.returncode == 1
    assert "HTTP 404" in result.stderr and "/missing.xml" in result.stderr
    health = json.loads(
        run("--config", str(config), "--data-dir", str(data), "feeds", "--json").stdout
    )
    by_url = {h["url"]: h for h in health}
    assert by_url[good]["etag"] is True and by_url[good]["articles"] == 1
    assert by_url[bad]["last_error"].startswith("HTTP 404")


def test_env_vars_locate_config_and_data(farm: tuple[Path, Path], tmp_path: Path) -> None:
    config, data = farm
    env = {**natoread_env(), "NATOREAD_CONFIG": str(config), "NATOREAD_DATA_DIR": str(data)}
    result = subprocess.run(
        [NATOREAD, "fetch"], capture_output=True, text=True, env=env, timeout=120
    )
    assert result.returncode == 0
    assert (data / "natoread.sqlite3").exists()


def test_config_error_exit_2_one_line(tmp_path: Path) -> None:
    config = write_config(tmp_path, '[[feeds]]\nurl = "https://a.example/"\ntitel = "x"\n')
    result = run("--config", str(config), "check-config")
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1
    assert "feeds[1].titel" in result.stderr and "did you mean 'title'" in result.stderr
    assert "Traceback" not in result.stderr


def test_check_config_ok(tmp_path: Path) -> None:
    config = write_config(tmp_path, '[[feeds]]\nurl = "https://a.example/rss"\ntags = ["x"]\n')
    result = run("--config", str(config), "check-config")
    assert (
        result.returncode == 0
        and "valid" in result.stdout
        and "https://a.example/rss" in result.stdout
    )


def test_usage_errors_are_not_tracebacks(tmp_path: Path) -> None:
    for args in (
        ["--bogus"],
        ["list", "--limit", "x"],
        ["match", str(tmp_path / "missing.txt")],
        ["nope"],
    ):
        result = run(*args)
        assert result.returncode == 2, args
        assert "Traceback" not in result.stderr and result.stderr.strip()


def test_no_feeds_says_how_to_add_them(tmp_path: Path) -> None:
    result = run("fetch", cwd=tmp_path)
    assert result.returncode == 2 and "no feeds configured" in result.stderr
    listed = run("--data-dir", str(tmp_path / "d"), "list", cwd=tmp_path)
    assert "natoread fetch" in listed.stdout


def test_match_json(tmp_path: Path) -> None:
    result = run("match", "-", "--json", stdin=ARTICLE)
    verdict = json.loads(result.stdout)
    assert verdict["matched"] is True and "accession" in verdict["topics"]
    for span in verdict["spans"]:
        assert ARTICLE[span["start"] : span["end"]]
        assert set(span) >= {"start", "end", "term", "topic"}
    negative = json.loads(
        run(
            "match",
            "-",
            "--json",
            stdin="Star Alliance adds a new airline member\nThe airline alliance welcomed a carrier.",
        ).stdout
    )
    assert negative["matched"] is False


def test_quotes_json(tmp_path: Path) -> None:
    path = tmp_path / "article.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    quotes = json.loads(run("quotes", str(path), "--json").stdout)
    assert quotes and quotes[0]["speaker"] == "Mark Rutte"
    assert ARTICLE[quotes[0]["start"] : quotes[0]["end"]] == quotes[0]["text"]
    assert set(quotes[0]) >= {"text", "speaker", "start", "end", "partial"}


def test_stored_quotes_by_speaker(farm: tuple[Path, Path]) -> None:
    config, data = farm
    fetch_in_process(config, data)
    quotes = json.loads(
        run(
            "--config",
            str(config),
            "--data-dir",
            str(data),
            "quotes",
            "--speaker",
            "Rutte",
            "--json",
        ).stdout
    )
    assert [q["text"] for q in quotes] == ["This is a good day for the alliance,"]
    speakers = json.loads(
        run("--config", str(config), "--data-dir", str(data), "speakers", "--json").stdout
    )
    assert speakers and speakers[0]["count"] == 1


def test_hostile_titles_do_not_reach_the_terminal(server: FeedServer, tmp_path: Path) -> None:
    evil = feedgen.Item(
        title="Evil \x1b]0;pwned\x07 \x1b[2J [bold red]FAKE[/] \u202eNATO",
        body="x",
        guid="e",
        link="javascript:alert(1)",
    )
    url = server.add(
        "/evil.xml", feedgen.rss([evil]).replace("\x1b", "&#27;").replace("\x07", "&#7;")
    )
    config = write_config(tmp_path, feedgen.config_toml([url]))
    fetch_in_process(config, tmp_path / "d")
    for args in (["list", "--all"], ["list", "--all", "--json"], ["feeds"]):
        out = run("--config", str(config), "--data-dir", str(tmp_path / "d"), *args).stdout
        assert "\x1b" not in out and "\x07" not in out and "\u202e" not in out
    out = run("--config", str(config), "--data-dir", str(tmp_path / "d"), "list", "--all").stdout
    assert "[bold red]FAKE[/]" in out


def test_notify_command_gets_each_new_matching_title_without_a_shell(
    server: FeedServer, tmp_path: Path
) -> None:
    entries = [
        feedgen.Item(
            title="Hungary ratifies Sweden's NATO accession; $(touch pwned)",
            body="<p>NATO membership vote.</p>",
            guid="a",
        ),
        feedgen.Item(title="Local weather: rain", body="<p>Rain.</p>", guid="b"),
    ]
    # A feed's first poll notifies nothing (its backlog is not news): the match comes second.
    url = server.add("/n.xml", feedgen.rss(entries[1:]))
    log = tmp_path / "notified.txt"
    script = tmp_path / "notify.py"
    script.write_text(f"import sys\nopen({str(log)!r}, 'a').write(repr(sys.argv[1:]) + '\\n')\n")
    extra = f'notify_topics = ["accession"]\nnotify_command = [{json.dumps(sys.executable)}, {json.dumps(str(script))}]\n'
    config = write_config(
        tmp_path, feedgen.config_toml([url]).replace("timeout = 5\n", "timeout = 5\n" + extra)
    )
    fetch_in_process(config, tmp_path / "d")
    assert not log.exists()
    server.add("/n.xml", feedgen.rss(entries))
    result = run("--config", str(config), "--data-dir", str(tmp_path / "d"), "fetch", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    lines = log.read_text().splitlines()
    assert len(lines) == 1
    assert lines[0] == repr(
        ["Hungary ratifies Sweden's NATO accession; $(touch pwned)", "Test feed"]
    )
    assert not (tmp_path / "pwned").exists()


def run_on_terminal(*args: str) -> tuple[str, str]:
    """Run natoread with its stderr on a pseudo-terminal: (what the terminal showed, stdout)."""
    import os
    import pty

    main, terminal = pty.openpty()
    process = subprocess.Popen(
        [NATOREAD, *args], stdout=subprocess.PIPE, stderr=terminal, env=natoread_env()
    )
    os.close(terminal)
    shown = b""
    while True:
        try:
            chunk = os.read(main, 4096)
        except OSError:  # the terminal's other end closed
            break
        if not chunk:
            break
        shown += chunk
    os.close(main)
    assert process.wait(timeout=120) == 0
    assert process.stdout is not None
    return shown.decode(errors="replace"), process.stdout.read().decode()


def test_fetch_on_a_terminal_shows_the_re_tagging_and_the_polling(farm: tuple[Path, Path]) -> None:
    import sqlite3

    config, data = farm
    fetch_in_process(config, data)
    with sqlite3.connect(data / "natoread.sqlite3") as db:  # as if the topic rules had changed
        db.execute("UPDATE meta SET value='older rules' WHERE key='rules_hash'")
        db.execute("UPDATE article SET rules_hash='older rules'")
    db.close()
    shown, out = run_on_terminal(
        "--config", str(config), "--data-dir", str(data), "fetch", "--force"
    )
    assert "re-tagging" in shown and "6/6" in shown and "articles" in shown, shown
    assert "polling" in shown and "feeds" in shown, shown
    assert "feeds polled" in out  # the summary stays on stdout


def test_stories_on_a_terminal_shows_the_clustering_of_older_articles(
    farm: tuple[Path, Path],
) -> None:
    import sqlite3

    config, data = farm
    fetch_in_process(config, data)
    with sqlite3.connect(data / "natoread.sqlite3") as db:  # as if stored before stories
        clustered = db.execute("SELECT COUNT(*) FROM story").fetchone()[0]
        db.execute("DELETE FROM story")
    db.close()
    assert clustered > 0
    shown, out = run_on_terminal(
        "--config", str(config), "--data-dir", str(data), "stories", "--min-sources", "1"
    )
    assert "clustering" in shown and f"{clustered}/{clustered}" in shown, shown
    assert "Turkey ratifies Sweden" in out


@pytest.mark.parametrize(
    "value",
    [
        [],
        [{"title": "Zürich „café“ \u2028 \x1b[31m", "score": 1.5, "topics": ["a", "b"], "x": None}],
        [1, "two", [3.25, {"nested": True}], {}],
        {"feed": "https://e.example/", "new": 0, "error": None},
        "text",
    ],
)
def test_json_output_is_exactly_what_json_dumps_gives(
    value: object, capsys: pytest.CaptureFixture[str]
) -> None:
    # Arrays are streamed item by item (the C encoder; `json.dump` to a file is pure Python
    # and took ~14 s for 100,000 articles): the text must not change for scripts. Strings
    # are sanitised first (ESC and U+2028 go; see tests/test_long_tail_text.py).
    from natoread.commands.common import _clean_json, print_json

    print_json(value)
    assert capsys.readouterr().out == json.dumps(_clean_json(value), ensure_ascii=False) + "\n"
