"""`natoread show ID`: the installed command prints an article fetched from a loopback server
as text, Markdown (quotes marked and attributed) or JSON; an unknown id is one line, exit 2."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest

from tests import feedgen
from tests.conftest import run_natoread, write_config
from tests.feedserver import FeedServer


@pytest.fixture
def fetched(server: FeedServer, tmp_path: Path) -> tuple[str, ...]:
    entry = feedgen.Item(
        title="Turkey ratifies Sweden's NATO accession \u202e*now*",
        body="<p>Turkey's parliament approved Sweden's NATO membership bid.</p>"
        "<p>“This is a good day for the alliance,” NATO Secretary General Mark Rutte said.</p>",
        guid="n1",
        link="https://news.example/n1",
        published=feedgen.BASE_TIME + timedelta(hours=1),
    )
    url = server.add("/nato.xml", feedgen.rss([entry], title="Alliance Wire"))
    config = write_config(tmp_path, feedgen.config_toml([url]))
    common = ("--config", str(config), "--data-dir", str(tmp_path / "data"))
    assert run_natoread("fetch", "--quiet", *common).returncode == 0
    return common


def test_show_in_each_format_and_an_unknown_id(fetched: tuple[str, ...]) -> None:
    listed = json.loads(run_natoread("list", "--json", *fetched).stdout)[0]
    article_id = str(listed["id"])
    markdown = run_natoread("show", article_id, "--format", "markdown", *fetched)
    assert markdown.returncode == 0, markdown.stderr
    lines = markdown.stdout.splitlines()
    assert lines[0] == "# Turkey ratifies Sweden's NATO accession \\*now\\*"  # no ESC, no markup
    assert lines[2].startswith("Alliance Wire · 2026-")
    assert "<https://news.example/n1>" in lines
    assert "“**This is a good day for the alliance,**” NATO Secretary General" in markdown.stdout
    assert "> “This is a good day for the alliance,”\n> — Mark Rutte" in markdown.stdout

    text = run_natoread("show", article_id, *fetched)
    assert text.stdout.splitlines()[0] == "Turkey ratifies Sweden's NATO accession *now*"
    assert "  “This is a good day for the alliance,” — Mark Rutte" in text.stdout
    assert "\u202e" not in text.stdout + markdown.stdout

    shown = json.loads(run_natoread("show", article_id, "--format", "json", *fetched).stdout)
    assert {k: shown[k] for k in listed} == listed  # list --json's fields, then the article's
    assert set(shown) - set(listed) == {"author", "text", "links", "quotations"}
    assert shown["quotations"][0]["speaker"] == "Mark Rutte" and shown["quotes"] == 1
    document = f"{shown['title']}\n{shown['text']}"
    quote = shown["quotations"][0]
    assert document[quote["start"] : quote["end"]] == quote["text"]

    # An unknown article is one line.
    result = run_natoread("show", "999999", *fetched)
    assert result.returncode == 2
    assert result.stderr == "natoread: no article 999999; see `natoread list`\n"
    bad = run_natoread("show", "7", "--format", "pdf", *fetched)
    assert bad.returncode == 2 and "invalid choice: 'pdf'" in bad.stderr
