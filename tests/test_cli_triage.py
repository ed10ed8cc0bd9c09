"""Rules, tags, bulk marks and undo through the installed command, a loopback feed server
and the SQLite file: what a user sees, and what survives a restart."""

from __future__ import annotations

import json
from pathlib import Path

from tests import feedgen
from tests.conftest import run_natoread
from tests.feedserver import FeedServer

T = feedgen.BASE_TIME
ITEMS = [
    feedgen.Item("Sweden joins NATO", "Sweden became the 32nd member.", "g1", "https://w.x/1", T),
    feedgen.Item("Storm hits the coast", "Heavy rain and wind.", "g2", "https://w.x/2", T),
    feedgen.Item("Weather: sunny spells", "A weather report.", "g3", "https://w.x/3", T),
    feedgen.Item(
        "Finland hosts drills", "Allied troops train in Lapland.", "g4", "https://w.x/4", T
    ),
    feedgen.Item(
        "Budget talks", "Ministers met on spending.", "g5", "https://w.x/5", T, "Jane Doe"
    ),
]


def config(path: Path, url: str, rules: str) -> Path:
    path.write_text(
        f'[[feeds]]\nurl = "{url}"\ntitle = "Wire"\ntags = ["wire"]\n\n{rules}', encoding="utf-8"
    )
    return path


RULES = """
[[rules]]
query = "weather"
action = "drop"

[[rules]]
query = "title:storm"
action = "hide"
feedtags = ["wire"]

[[rules]]
query = "sweden OR finland"
action = "tag"
tag = "nordic"

[[rules]]
query = "author:doe"
action = "star"
"""


def run(base: list[str], *args: str) -> str:
    done = run_natoread(*base, *args)
    assert done.returncode == 0, done.stderr
    return done.stdout


def titles(base: list[str], *args: str) -> dict[str, dict[str, object]]:
    return {row["title"]: row for row in json.loads(run(base, *args, "--json"))}


def test_rules_at_ingest_tags_marks_and_undo(tmp_path: Path) -> None:
    server = FeedServer()
    try:
        url = server.add("/feed.xml", feedgen.rss(ITEMS))
        cfg = config(tmp_path / "feeds.toml", url, RULES)
        base = ["--config", str(cfg), "--data-dir", str(tmp_path / "d")]
        run(base, "fetch", "--quiet")
        listed = titles(base, "list", "--all")
        # drop: never stored; hide: stored, read and left out of every list and search.
        assert set(listed) == {"Sweden joins NATO", "Finland hosts drills", "Budget talks"}
        assert listed["Sweden joins NATO"]["tags"] == ["nordic"]
        assert listed["Budget talks"]["starred"] is True
        assert titles(base, "search", "storm OR is:starred").keys() == {"Budget talks"}
        hidden = titles(base, "search", "is:hidden")
        assert list(hidden) == ["Storm hits the coast"] and hidden["Storm hits the coast"]["read"]
        assert titles(base, "search", "tag:nordic", "title:finland").keys() == {
            "Finland hosts drills"
        }
        feeds = json.loads(run(base, "feeds", "--json"))
        assert feeds[0]["dropped"] == 1
        # The feed changes and sends the dropped entry again: it is counted once.
        server.add("/feed.xml", feedgen.rss([*ITEMS, feedgen.Item("Extra", "x", "g6")]))
        run(base, "fetch", "--quiet", "--force")
        assert json.loads(run(base, "feeds", "--json"))[0]["dropped"] == 1

        # Bulk: dry run counts, the mark changes, undo takes it back, several levels deep.
        assert json.loads(run(base, "mark", "tag:nordic", "--read", "--dry-run", "--json")) == {
            "matched": 2,
            "changed": 2,
            "dry_run": True,
        }
        assert "2 articles matched; changed 2." in run(base, "mark", "tag:nordic", "--read")
        first = titles(base, "list", "--all")["Finland hosts drills"]["id"]
        assert "changed 1" in run(base, "mark", "--id", str(first), "--tag", "later")
        assert titles(base, "list", "--all")["Finland hosts drills"]["tags"] == ["later", "nordic"]
        assert run(base, "undo", "--list").splitlines() == [
            "tag 1 article 'later'",
            "mark 2 articles read",
        ]
        assert "Undone: tag 1 article 'later'" in run(base, "undo")
        assert titles(base, "list", "--all")["Finland hosts drills"]["tags"] == ["nordic"]
        assert "Undone: mark 2 articles read" in run(base, "undo")
        assert not titles(base, "list", "--all")["Sweden joins NATO"]["read"]
        assert run(base, "undo") == "Nothing to undo.\n"  # rules' own changes are not undone

        # rules test: what each rule matches now (hidden ones included).
        report = json.loads(run(base, "rules", "test", "--json"))
        assert [(r["rule"], r["matches"]) for r in report] == [(1, 0), (2, 1), (3, 2), (4, 1)]
        narrowed = json.loads(run(base, "rules", "test", "sweden", "--json"))
        assert [r["matches"] for r in narrowed] == [0, 0, 1, 0]

        # A changed rule reaches the stored articles at the next fetch: "storm" is no longer
        # hidden, and the new hide rule hides the budget talks.
        config(cfg, url, RULES.replace('query = "title:storm"', 'query = "budget"'))
        run(base, "fetch", "--quiet")
        listed = titles(base, "list", "--all")
        assert "Storm hits the coast" in listed and "Budget talks" not in listed
    finally:
        server.close()


def test_a_bad_rule_is_a_config_error_naming_it(tmp_path: Path) -> None:
    cases = {
        'query = "topic:nope"\naction = "drop"': "rules[2].query: topic:nope: unknown topic",
        'query = "nato"\naction = "burn"': 'rules[2].action: expected one of "drop"',
        'query = "nato"\naction = "tag"': "rules[2].tag: a tag needs a name",
        'query = "nato"\naction = "tag"\ntag = "x\\u202eevil"': "rules[2].tag: a tag name has no",
        'query = "feedtag:baltic"\naction = "hide"': "rules[2].query: feedtag:baltic: unknown",
        'query = "nato"\naction = "hide"\nfeedtags = ["x"]': "rules[2].feedtags[1]: unknown feed",
        'query = ""\naction = "hide"': "rules[2].query: empty query",
    }
    for rule, message in cases.items():
        cfg = config(
            tmp_path / "feeds.toml",
            "https://a.example/rss",
            f'[[rules]]\nquery = "nato"\naction = "read"\n\n[[rules]]\n{rule}\n',
        )
        done = run_natoread("--config", str(cfg), "--data-dir", str(tmp_path / "d"), "check-config")
        assert done.returncode == 2, rule
        assert message in done.stderr, (rule, done.stderr)
        assert len(done.stderr.strip().splitlines()) == 1


def test_mark_refuses_a_bad_query_or_tag_in_one_line(tmp_path: Path) -> None:
    cfg = config(tmp_path / "feeds.toml", "https://a.example/rss", "")
    base = ["--config", str(cfg), "--data-dir", str(tmp_path / "d")]
    for args, message in (
        (["is:maybe", "--read"], "is:maybe: expected one of"),
        (["nato", "--tag", "a,b"], "--tag: a tag name is one line without commas"),
        (["nato", "--tag", "x\u202eevil"], "--tag: a tag name has no invisible"),
        (["--star"], "give a QUERY or --id ID"),
    ):
        done = run_natoread(*base, "mark", *args)
        assert done.returncode == 2, args
        assert message in done.stderr and len(done.stderr.strip().splitlines()) == 1
