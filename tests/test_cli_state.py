"""`natoread export-state` / `import-state`: read, starred and tags round-trip from one store
into a fresh one fetched from the same loopback feeds; link as the fallback key; unknown
articles and malformed lines counted; an import is one undo step."""

from __future__ import annotations

import json
from pathlib import Path

from natoread.commands.state import parse_state_line
from natoread.core.storage.state import ArticleState, import_state
from natoread.core.storage.store import Store
from tests import feedgen
from tests.conftest import run_natoread, write_config
from tests.feedserver import FeedServer


def _fetch(config: Path, data: Path) -> tuple[str, ...]:
    common = ("--config", str(config), "--data-dir", str(data))
    fetched = run_natoread("fetch", "--quiet", *common)
    assert fetched.returncode == 0, fetched.stderr
    return common


def _ids_by_title(data: Path) -> dict[str, int]:
    with Store(data / "natoread.sqlite3") as store:
        return {row.title: row.id for row in store.list_articles(limit=-1)}


def test_state_round_trips_into_a_fresh_store(server: FeedServer, tmp_path: Path) -> None:
    items = feedgen.items(4, "Wire")
    # An entry without a GUID: its link is its key.
    items.append(feedgen.Item(title="No guid", body="<p>x</p>", link="https://news.example/ng"))
    urls = [
        server.add("/a.xml", feedgen.rss(items, title="A")),
        server.add("/b.xml", feedgen.atom(feedgen.items(2, "Other"), title="B")),
    ]
    config = write_config(tmp_path, feedgen.config_toml(urls))
    first = _fetch(config, tmp_path / "one")
    ids = _ids_by_title(tmp_path / "one")
    with Store(tmp_path / "one" / "natoread.sqlite3") as store:
        store.change_flag([ids["Wire 1"], ids["No guid"], ids["Other 0"]], "read", True, "read")
        store.change_flag([ids["Wire 2"], ids["No guid"]], "starred", True, "star")
        store.change_tag([ids["Wire 2"], ids["Other 1"]], "later", True, "tag")
        store.change_tag([ids["Wire 2"]], "Baltic sea", True, "tag")

    out = tmp_path / "state.jsonl"
    exported = run_natoread("export-state", "-o", str(out), *first)
    assert exported.returncode == 0, exported.stderr
    assert exported.stderr == f"Exported the state of 7 articles to {out}.\n"
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(lines) == 7 and {tuple(line) for line in lines} == {
        ("feed", "guid", "link", "read", "starred", "tags")
    }
    wire2 = next(line for line in lines if line["link"].endswith("/2") and "a.xml" in line["feed"])
    assert wire2["starred"] and wire2["tags"] == ["Baltic sea", "later"]

    # A fresh store of the same feeds takes the state; its own export is the same.
    second = _fetch(config, tmp_path / "two")
    imported = run_natoread("import-state", str(out), *second)
    assert imported.returncode == 0, imported.stderr
    assert imported.stdout == (
        "7 articles matched (5 changed), 0 not in this store; `natoread undo` takes it back.\n"
    )
    again = run_natoread("export-state", *second).stdout.splitlines()
    assert sorted(again) == sorted(out.read_text(encoding="utf-8").splitlines())
    with Store(tmp_path / "two" / "natoread.sqlite3") as store:
        # Applying it twice changes nothing more, and logs no step.
        records = [parse_state_line(line) for line in again]
        counts = import_state(store, [r for r in records if not isinstance(r, str)])
        assert (counts.matched, counts.changed) == (7, 0)
        # The import is one undo step.
        step = store.undo_last()
        # 3 read, 2 starred, 3 tags: the undo log counts each change
        assert step is not None and step.label == "import state" and step.articles == 8
        assert not any(row.read or row.starred for row in store.list_articles(limit=-1))
        assert store.tag_names() == []


def test_keys_fallbacks_and_bad_lines(server: FeedServer, tmp_path: Path) -> None:
    url = server.add("/a.xml", feedgen.rss(feedgen.items(2, "Wire"), title="A"))
    config = write_config(tmp_path, feedgen.config_toml([url]))
    common = _fetch(config, tmp_path / "data")
    exported = [
        json.loads(line) for line in run_natoread("export-state", *common).stdout.splitlines()
    ]
    moved = dict(exported[0], guid="urn:changed", feed=url.replace("http://", "HTTP://") + "/")
    moved["starred"] = True
    unknown = dict(exported[1], guid="urn:nope", link="https://elsewhere.example/x")
    only_read = {"feed": url, "guid": exported[1]["guid"], "read": True}
    bad = [
        "not json",
        "[1, 2]",
        json.dumps({"feed": url, "read": True}),
        json.dumps(dict(exported[1], read="yes")),
        json.dumps(dict(exported[1], tags=["a,b"])),
        json.dumps(dict(exported[1], tags=["x" * 41])),
    ]
    text = "\n".join([json.dumps(moved), json.dumps(unknown), json.dumps(only_read), *bad, ""])
    result = run_natoread("import-state", "-", *common, stdin=text)
    assert result.returncode == 0, result.stderr
    assert result.stdout == (
        "2 articles matched (2 changed), 1 not in this store, 6 lines skipped;"
        " `natoread undo` takes it back.\n"
    )
    problems = result.stderr.splitlines()
    assert problems[0] == "natoread: -:4: skipped: not JSON"
    assert problems[1] == "natoread: -:5: skipped: not a JSON object"
    assert problems[2] == "natoread: -:6: skipped: neither a guid nor a link"
    assert problems[3] == "natoread: -:7: skipped: read and starred must be true or false"
    assert problems[4].startswith("natoread: -:8: skipped: tag 'a,b': ")
    assert problems[5] == "natoread: … and 1 more skipped line"
    after = {
        line["guid"]: line
        for line in map(json.loads, run_natoread("export-state", *common).stdout.splitlines())
    }
    assert after[exported[0]["guid"]]["starred"]  # found by its link, its feed URL respelt
    assert after[exported[1]["guid"]]["read"] and not after[exported[1]["guid"]]["starred"]

    missing = run_natoread("import-state", str(tmp_path / "nope.jsonl"), *common)
    assert missing.returncode == 2 and missing.stderr.count("\n") == 1
    assert "cannot read" in missing.stderr


def test_import_into_an_empty_store_matches_nothing(tmp_path: Path) -> None:
    with Store(tmp_path / "s.sqlite3") as store:
        record = ArticleState("https://a.example/rss", "g", None, True, None)
        counts = import_state(store, [record])
        assert (counts.matched, counts.unmatched, counts.changed) == (0, 1, 0)
        assert store.undo_steps() == []
