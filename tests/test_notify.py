"""notify_command: values fill placeholders inside argv and never become options or files."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from natoread.core.config import parse_config
from natoread.core.errors import ConfigError
from natoread.core.system.notify import COMMAND_LIMIT
from tests import feedgen
from tests.conftest import run_natoread, write_config
from tests.feedserver import FeedServer

SECRET = "top secret file contents"


def notify_config(tmp_path: Path, url: str, command: list[str]) -> Path:
    """A feeds.toml with `url` and notifications for the accession topic by `command`."""
    extra = f'notify_topics = ["accession"]\nnotify_command = {json.dumps(command)}\n'
    return write_config(
        tmp_path, feedgen.config_toml([url]).replace("timeout = 5\n", "timeout = 5\n" + extra)
    )


def fetch(tmp_path: Path, config: Path) -> subprocess.CompletedProcess[str]:
    done = run_natoread(
        "--config", str(config), "--data-dir", str(tmp_path / "d"), "fetch", cwd=tmp_path
    )
    assert done.returncode == 0, done.stderr
    return done


WEATHER = feedgen.Item(title="Local weather: rain", body="<p>Rain.</p>", guid="w")


def fetch_with_notify(server: FeedServer, tmp_path: Path, title: str, command: list[str]) -> None:
    """A first poll (which never notifies), then a second that brings one matching article."""
    item = feedgen.Item(
        title=title, body="<p>NATO membership vote.</p>", guid="a", link="https://news.example/a"
    )
    url = server.add("/n.xml", feedgen.rss([WEATHER], title="-Wire"))
    config = notify_config(tmp_path, url, command)
    fetch(tmp_path, config)
    server.add("/n.xml", feedgen.rss([item, WEATHER], title="-Wire"))
    fetch(tmp_path, config)


def logging_command(tmp_path: Path) -> tuple[list[str], Path]:
    """A notify_command that appends its first argument to a file, one line per run."""
    log = tmp_path / "notified.txt"
    script = tmp_path / "log.py"
    script.write_text(f"import sys\nopen({str(log)!r}, 'a').write(sys.argv[1] + '\\n')\n")
    return [sys.executable, str(script), "{title}"], log


def accession_items(count: int, prefix: str) -> list[feedgen.Item]:
    return [
        feedgen.Item(
            title=f"{prefix} {n}: NATO accession talks",
            body="<p>NATO membership vote.</p>",
            guid=f"{prefix}-{n}",
        )
        for n in range(count)
    ]


def test_a_feeds_first_poll_notifies_nothing_and_later_arrivals_do(
    server: FeedServer, tmp_path: Path
) -> None:
    # A fresh store's first poll brings months of backlog: none of it is news.
    command, log = logging_command(tmp_path)
    url = server.add("/n.xml", feedgen.rss(accession_items(5, "Old")))
    config = notify_config(tmp_path, url, command)
    fetch(tmp_path, config)
    assert not log.exists()
    server.add("/n.xml", feedgen.rss(accession_items(1, "New") + accession_items(5, "Old")))
    fetch(tmp_path, config)
    assert log.read_text().splitlines() == ["New 0: NATO accession talks"]


def test_a_feed_that_failed_until_now_is_still_on_its_first_poll(
    server: FeedServer, tmp_path: Path
) -> None:
    # Offline on the first run: the first poll that succeeds is the one that brings the backlog.
    command, log = logging_command(tmp_path)
    url = server.add("/n.xml", "down", status=503)
    config = notify_config(tmp_path, url, command)
    done = run_natoread("--config", str(config), "--data-dir", str(tmp_path / "d"), "fetch")
    assert done.returncode != 0
    server.add("/n.xml", feedgen.rss(accession_items(3, "Old")))
    fetch(tmp_path, config)
    assert not log.exists()


def test_the_notify_command_cap_is_said_aloud(server: FeedServer, tmp_path: Path) -> None:
    command, log = logging_command(tmp_path)
    url = server.add("/n.xml", feedgen.rss([WEATHER]))
    config = notify_config(tmp_path, url, command)
    fetch(tmp_path, config)
    flood = COMMAND_LIMIT + 12
    server.add("/n.xml", feedgen.rss([*accession_items(flood, "Flood"), WEATHER]))
    done = fetch(tmp_path, config)
    assert len(log.read_text().splitlines()) == COMMAND_LIMIT
    notes = [line for line in done.stderr.splitlines() if "notify" in line]
    assert notes == [
        f"natoread: 12 more articles matched notify_topics; "
        f"ran notify_command for the first {COMMAND_LIMIT}"
    ]


@pytest.mark.skipif(shutil.which("curl") is None, reason="curl is not installed")
def test_curl_webhook_never_posts_a_local_file(server: FeedServer, tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text(SECRET)
    title = f"@{secret}"
    command = ["curl", "-s", server.url("/hook"), "-d", "{title}", "-d", "topic={topic}"]
    fetch_with_notify(server, tmp_path, f"{title} NATO accession", command)
    assert len(server.posts) == 1
    path, body = server.posts[0]
    assert path == "/hook"
    assert SECRET not in body.decode()
    assert body.decode() == f" {title} NATO accession&topic=accession"


def test_placeholders_fill_arguments_and_values_never_start_an_option(
    server: FeedServer, tmp_path: Path
) -> None:
    log = tmp_path / "argv.json"
    script = tmp_path / "show.py"
    script.write_text(
        f"import json, sys\nopen({str(log)!r}, 'w').write(json.dumps(sys.argv[1:]))\n"
    )
    command = [sys.executable, str(script), "{title}", "{feed}", "--link={link}", "{topic}"]
    fetch_with_notify(server, tmp_path, "-rf NATO accession talks", command)
    assert json.loads(log.read_text()) == [
        " -rf NATO accession talks",
        " -Wire",
        "--link=https://news.example/a",
        "accession",
    ]


@pytest.mark.parametrize(
    ("command", "expected"),
    [
        (["notify-send", "{titel}"], "settings.notify_command[2]: unknown placeholder {titel}"),
        (["{title}"], "settings.notify_command[1]: the program itself cannot be a placeholder"),
    ],
)
def test_bad_placeholders_are_config_errors(command: list[str], expected: str) -> None:
    with pytest.raises(ConfigError, match=expected.replace("[", r"\[").replace("]", r"\]")):
        parse_config({"settings": {"notify_command": command}}, "feeds.toml")
