"""Golden outputs of every `--json` command on a fixed set of realistic feeds.

Scripts depend on these outputs, and they are made by heuristic code (topics, quotes,
speakers, stories): any change to them must be deliberate. To accept a change, run
`NATOREAD_UPDATE_GOLDEN=1 python -m pytest tests/test_cli_golden.py` and review the diff of
`tests/golden/cli/`.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from tests import demo, feedgen
from tests.conftest import run_natoread, write_config
from tests.feedserver import FeedServer

GOLDEN = Path(__file__).resolve().parent / "golden" / "cli"
UPDATE = os.environ.get("NATOREAD_UPDATE_GOLDEN") == "1"
_CHANGING = ("last_fetch", "last_success")
"""Fields that hold the time of the test run."""


def syndicated_items() -> list[feedgen.Item]:
    """The first alliance stories again, as another outlet runs them: other titles and
    links, the same text an hour later (so stories group them)."""
    return [
        feedgen.Item(
            title=f"{item.title} (wire)",
            body=item.body,
            guid=f"{item.guid}:wire",
            link=f"https://wire.example/{n}",
            published=(item.published or feedgen.BASE_TIME) + timedelta(hours=1),
        )
        for n, item in enumerate(demo.alliance_items()[:12])
    ]


@pytest.fixture(scope="module")
def fetched(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[list[str], str]]:
    """A data directory holding one fetch of the demo feeds: (base argv, server origin)."""
    server = FeedServer()
    urls = [*demo.serve(server), server.add("/wire.xml", feedgen.rss(syndicated_items()))]
    tmp_path = tmp_path_factory.mktemp("golden")
    # One request at a time, so the articles get the same ids on every run.
    config = write_config(tmp_path, feedgen.config_toml(urls, concurrency=1))
    base = ["--config", str(config), "--data-dir", str(tmp_path / "d")]
    done = run_natoread(*base, "fetch", "--quiet")
    assert done.returncode == 0, done.stderr
    yield base, server.url("")
    server.close()


def run_json(base: list[str], origin: str, *args: str) -> str:
    done = run_natoread(*base, *args)
    assert done.returncode == 0, done.stderr
    value = json.loads(done.stdout)
    for row in value if isinstance(value, list) else [value]:
        for key in _CHANGING:
            if isinstance(row, dict) and row.get(key):
                row[key] = "<time of the run>"
    text = json.dumps(value, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
    return text.replace(origin, "http://feeds.test") if origin else text


def first_id(base: list[str], origin: str, *args: str, key: str = "id") -> str:
    return str(json.loads(run_json(base, origin, *args))[0][key])


CASES = {
    "list_all": ["list", "--all", "--json"],
    "list_accession": ["list", "--topic", "accession", "--json"],
    "list_unread_matching": ["list", "--unread", "--matching", "--limit", "5", "--json"],
    "search_words": ["search", "Sweden", "accession", "--json"],
    "search_topic_since": ["search", "topic:consensus", "since:2026-11-01", "--json"],
    "stories": ["stories", "--json"],
    "speakers": ["speakers", "--json"],
    "speakers_accession": ["speakers", "--topic", "accession", "--json"],
    "feeds": ["feeds", "--json"],
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_json_outputs_match_the_golden_files(name: str, fetched: tuple[list[str], str]) -> None:
    check(name, run_json(*fetched, *CASES[name]))


def test_story_and_quote_outputs_match_the_golden_files(fetched: tuple[list[str], str]) -> None:
    base, origin = fetched
    story_article = json.loads(run_json(base, origin, "stories", "--json"))[0]["articles"][0]
    check("story", run_json(base, origin, "story", str(story_article), "--json"))
    speaker = first_id(base, origin, "speakers", "--json", key="speaker")
    check("quotes_speaker", run_json(base, origin, "quotes", "--speaker", speaker, "--json"))
    search = first_id(base, origin, "search", f'speaker:"{speaker}"', "--json")
    assert search


def test_text_commands_match_the_golden_files(tmp_path: Path) -> None:
    article = max(demo.alliance_items(), key=lambda item: item.body.count("said"))
    text = article.title + "\n" + re.sub(r"<[^>]+>", "\n", article.body)
    path = tmp_path / "article.txt"
    path.write_text(text, encoding="utf-8")
    base = ["--data-dir", str(tmp_path / "d")]
    check("match_file", run_json(base, "", "match", str(path), "--json"))
    check("quotes_file", run_json(base, "", "quotes", str(path), "--json"))


def check(name: str, actual: str) -> None:
    path = GOLDEN / f"{name}.json"
    if UPDATE:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(actual, encoding="utf-8")
    assert path.exists(), f"no golden file {path}; run with NATOREAD_UPDATE_GOLDEN=1"
    assert actual == path.read_text(encoding="utf-8"), f"{name} changed; see {path}"
