"""notify_command: values fill placeholders inside argv and never become options or files."""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import pytest

from natoread.core.config import parse_config
from natoread.core.errors import ConfigError
from tests import feedgen
from tests.conftest import run_natoread, write_config
from tests.feedserver import FeedServer

SECRET = "top secret file contents"


def fetch_with_notify(server: FeedServer, tmp_path: Path, title: str, command: list[str]) -> None:
    item = feedgen.Item(
        title=title, body="<p>NATO membership vote.</p>", guid="a", link="https://news.example/a"
    )
    url = server.add("/n.xml", feedgen.rss([item], title="-Wire"))
    extra = f'notify_topics = ["accession"]\nnotify_command = {json.dumps(command)}\n'
    config = write_config(
        tmp_path, feedgen.config_toml([url]).replace("timeout = 5\n", "timeout = 5\n" + extra)
    )
    done = run_natoread(
        "--config", str(config), "--data-dir", str(tmp_path / "d"), "fetch", cwd=tmp_path
    )
    assert done.returncode == 0, done.stderr


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
