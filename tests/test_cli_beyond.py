"""End-to-end runs of the installed `natoread` for search, stories and OPML (no network)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from natoread.core.analysis.records import Analysis, Quote, TopicResult, TopicScore
from natoread.core.feeds.documents import ParsedEntry
from natoread.core.paths import DB_NAME
from natoread.core.storage.store import Store
from tests.conftest import natoread_env, write_config
from tests.conftest import run_natoread as run

NOW = datetime.now(UTC).replace(microsecond=0)
LIST_KEYS = {
    "id",
    "feed",
    "feed_id",
    "title",
    "link",
    "published",
    "read",
    "starred",
    "matched",
    "score",
    "topics",
    "quotes",
    "tags",
}
SAID = "This is a good day for the alliance"
LEAD = (
    "Turkey's parliament voted on Tuesday evening to ratify Sweden's bid to join NATO, removing a"
    " major obstacle to the Nordic country's membership after 20 months of wrangling. The protocol"
    " passed by 287 votes to 55 and now needs President Erdogan's signature."
)
CONFIG = """\
# my feeds, hand-written
[[feeds]]
title = "Wire"   # the wire
url = "https://wire.example/rss"

[[feeds]]
title = "AP"
url = "https://ap.example/rss"
tags = ["us"]

[[searches]]
name = "rutte"
query = 'speaker:"Mark Rutte"'
"""


MATCHED = TopicResult(True, 2.0, ("alliance",), (TopicScore("alliance", 2.0, True),))


def publish(store: Store, feed_id: int, guid: str, title: str, body: str, hours: float) -> int:
    quotes: tuple[Quote, ...] = ()
    if SAID in body:
        start = len(title) + 1 + body.index(SAID)
        quotes = (Quote(SAID, start, start + len(SAID), "Mark Rutte", False),)
    entry = ParsedEntry(
        guid=guid,
        link=f"https://news.example/{guid}",
        title=title,
        author="",
        body=body,
        published=NOW - timedelta(hours=hours),
    )
    saved = store.save_entries(
        feed_id, [(entry, Analysis(MATCHED, quotes))], now=int(NOW.timestamp())
    )
    return saved.new_ids[0]


@pytest.fixture
def reader(tmp_path: Path) -> tuple[Path, Path, dict[str, int]]:
    """A config and a data dir holding three articles, two of them one story."""
    config = write_config(tmp_path, CONFIG)
    data = tmp_path / "data"
    with Store(data / DB_NAME) as store:
        feeds = store.sync_feeds(
            [("https://wire.example/rss", "Wire", False), ("https://ap.example/rss", "AP", False)]
        )
        ids = {
            "wire": publish(
                store,
                feeds["https://wire.example/rss"],
                "w1",
                "Turkey's parliament ratifies Sweden's NATO accession",
                f"{LEAD} “{SAID},” said Mark Rutte.",
                5,
            ),
            "ap": publish(
                store,
                feeds["https://ap.example/rss"],
                "a1",
                "Turkey's parliament ratifies Sweden's NATO accession | AP News",
                f'{LEAD} "{SAID}," Rutte said.',
                4,
            ),
            "other": publish(
                store,
                feeds["https://ap.example/rss"],
                "a2",
                "Finland closes its border with Russia",
                "Finland closed the last crossing on its border on Wednesday.",
                1,
            ),
        }
    return config, data, ids


def common(config: Path, data: Path) -> list[str]:
    return ["--config", str(config), "--data-dir", str(data)]


def test_search_json_has_the_list_shape(reader: tuple[Path, Path, dict[str, int]]) -> None:
    config, data, ids = reader
    done = run("search", "sweden accession", "--json", *common(config, data))
    assert done.returncode == 0, done.stderr
    rows = json.loads(done.stdout)
    assert {r["id"] for r in rows} == {ids["wire"], ids["ap"]}
    assert all(set(r) == LIST_KEYS for r in rows)
    listed = json.loads(run("list", "--all", "--json", *common(config, data)).stdout)
    assert all(r in listed for r in rows)


def test_search_syntax_and_limit(reader: tuple[Path, Path, dict[str, int]]) -> None:
    config, data, ids = reader
    done = run("search", "--json", "--limit", "1", *common(config, data), "--", "nato", "-finland")
    assert len(json.loads(done.stdout)) == 1
    done = run("search", "--json", "finland OR feed:wire", *common(config, data))
    assert {r["id"] for r in json.loads(done.stdout)} == {ids["wire"], ids["other"]}
    done = run("search", "border", *common(config, data))
    assert done.returncode == 0 and "Finland closes its border" in done.stdout
    done = run("search", "nothing-like-this", *common(config, data))
    assert done.stdout.strip() == "No articles match."


def test_saved_search(reader: tuple[Path, Path, dict[str, int]]) -> None:
    config, data, ids = reader
    done = run("search", "--saved", "rutte", "--json", *common(config, data))
    assert done.returncode == 0, done.stderr
    assert {r["id"] for r in json.loads(done.stdout)} == {ids["wire"], ids["ap"]}
    narrowed = run("search", "--saved", "rutte", "feed:AP", "--json", *common(config, data))
    assert [r["id"] for r in json.loads(narrowed.stdout)] == [ids["ap"]]
    unknown = run("search", "--saved", "nope", *common(config, data))
    assert unknown.returncode == 2 and "unknown saved search" in unknown.stderr


@pytest.mark.parametrize("query", ["", '"', "since:tomorrow", "is:famous"])
def test_bad_queries_exit_2_with_one_line(
    reader: tuple[Path, Path, dict[str, int]], query: str
) -> None:
    config, data, _ = reader
    done = run("search", query, *common(config, data))
    assert done.returncode == 2
    assert done.stderr.startswith("natoread: ") and done.stderr.count("\n") == 1
    assert "Traceback" not in done.stderr


def test_stories_and_story(reader: tuple[Path, Path, dict[str, int]]) -> None:
    config, data, ids = reader
    done = run("stories", "--json", *common(config, data))
    assert done.returncode == 0, done.stderr
    (story,) = json.loads(done.stdout)
    assert story["sources"] == 2 and story["feeds"] == ["Wire", "AP"]
    assert story["articles"] == [ids["wire"], ids["ap"]]
    assert story["title"] == "Turkey's parliament ratifies Sweden's NATO accession"
    assert set(story) == {
        "story_id",
        "title",
        "sources",
        "feeds",
        "articles",
        "first_published",
        "latest_published",
    }
    everything = json.loads(
        run("stories", "--min-sources", "1", "--json", *common(config, data)).stdout
    )
    assert len(everything) == 2
    done = run("story", str(ids["ap"]), "--json", *common(config, data))
    detail = json.loads(done.stdout)
    assert [a["id"] for a in detail["articles"]] == [ids["wire"], ids["ap"]]
    (quote,) = detail["quotes"]
    assert quote["text"] == SAID and quote["speaker"] == "Mark Rutte"
    assert [s["feed"] for s in quote["sources"]] == ["Wire", "AP"]
    text = run("story", str(ids["wire"]), *common(config, data))
    assert "Mark Rutte: “This is a good day for the alliance” [Wire, AP]" in text.stdout
    missing = run("story", "999", *common(config, data))
    assert missing.returncode == 2 and "no article 999" in missing.stderr


HOSTILE_OPML = """<?xml version="1.0"?>
<opml version="2.0"><head><title>shared</title></head><body>
  <outline text="World">
    <outline text="Guardian" type="rss" xmlUrl="https://guardian.example/nato/rss" category="uk"/>
    <outline text="Wire again" xmlUrl="https://WIRE.example/rss/"/>
  </outline>
  <outline text="pipe" xmlUrl="|touch {canary}"/>
  <outline text="local" xmlUrl="file:///etc/passwd"/>
  <outline text="filter" xmlUrl="https://ok.example/rss" filtercmd="touch {canary}"/>
</body></opml>
"""


def test_import_opml_appends_keeps_comments_and_refuses_hostile_outlines(tmp_path: Path) -> None:
    config = write_config(tmp_path, CONFIG)
    canary = tmp_path / "canary"
    opml = tmp_path / "shared.opml"
    opml.write_text(HOSTILE_OPML.format(canary=canary), encoding="utf-8")
    done = run("import-opml", str(opml), "--config", str(config), "--data-dir", str(tmp_path / "d"))
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert sum(line.startswith("refused ") for line in lines) == 3
    assert any(line.startswith("skipped https://WIRE.example/rss/") for line in lines)
    assert "added Guardian <https://guardian.example/nato/rss>" in lines
    assert lines[-1].startswith("1 feed added to") and lines[-1].endswith(
        "1 already there, 3 refused"
    )
    text = config.read_text(encoding="utf-8")
    lines_left = iter(text.splitlines())
    assert all(line in lines_left for line in CONFIG.splitlines() if line)  # same order
    assert "# my feeds, hand-written" in text and '"World", "uk"' in text
    assert not canary.exists()
    check = run("check-config", "--config", str(config))
    assert (
        check.returncode == 0
        and "Guardian: https://guardian.example/nato/rss [World, uk]" in check.stdout
    )


def test_import_opml_creates_the_user_config(tmp_path: Path) -> None:
    opml = tmp_path / "subs.opml"
    opml.write_text(
        '<opml version="2.0"><body><outline text="A" xmlUrl="https://a.example/rss"/></body></opml>',
        encoding="utf-8",
    )
    done = run("import-opml", str(opml), "--data-dir", str(tmp_path / "d"), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    created = Path(natoread_env()["XDG_CONFIG_HOME"]) / "natoread" / "feeds.toml"
    assert created.is_file() and str(created) in done.stdout
    again = run("feeds", "--json", "--data-dir", str(tmp_path / "d"), cwd=tmp_path)
    assert [f["url"] for f in json.loads(again.stdout)] == ["https://a.example/rss"]


def test_import_opml_refuses_xxe_with_one_line(tmp_path: Path) -> None:
    config = write_config(tmp_path, CONFIG)
    opml = tmp_path / "xxe.opml"
    opml.write_text(
        '<?xml version="1.0"?><!DOCTYPE opml [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        '<opml><body><outline text="&x;" xmlUrl="https://a.example/"/></body></opml>',
        encoding="utf-8",
    )
    done = run("import-opml", str(opml), "--config", str(config))
    assert done.returncode == 2 and "DOCTYPE" in done.stderr and "root:" not in done.stderr
    assert config.read_text(encoding="utf-8") == CONFIG


def test_export_opml_to_stdout_and_file(tmp_path: Path) -> None:
    config = write_config(tmp_path, CONFIG.replace('title = "AP"', 'title = "AP & <Friends>"'))
    done = run("export-opml", "--config", str(config))
    assert done.returncode == 0 and done.stdout.startswith("<?xml")
    assert 'text="AP &amp; &lt;Friends&gt;"' in done.stdout and 'category="us"' in done.stdout
    out = tmp_path / "out.opml"
    done = run("export-opml", "-o", str(out), "--config", str(config))
    assert done.returncode == 0 and out.read_bytes().startswith(b"<?xml")
    (tmp_path / "copy").mkdir()
    other = write_config(tmp_path / "copy", "# empty\n")
    imported = run("import-opml", str(out), "--config", str(other))
    assert imported.returncode == 0, imported.stderr
    assert "2 feeds added" in imported.stdout
