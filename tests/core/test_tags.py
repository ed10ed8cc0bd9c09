"""Article tags in a real SQLite file: names, counts for the sidebar, rows and queries."""

from __future__ import annotations

from pathlib import Path

import pytest

from natoread.core.storage.records import ArticleQuery
from natoread.core.triage.actions import Mark, apply_mark, select_articles, tag_problem
from tests.core.triage_corpus import NOW, build


def test_tags_on_rows_counts_and_queries(tmp_path: Path) -> None:
    store, ids = build(tmp_path / "natoread.sqlite3")
    apply_mark(store, [ids["sweden"], ids["drones"]], Mark("tag", "later"))
    apply_mark(store, [ids["drones"]], Mark("tag", "Ukraine war"))
    # One tag in any case: "LATER" is the tag "later".
    assert apply_mark(store, [ids["sweden"]], Mark("tag", "LATER")) == 0
    assert store.rows_by_ids([ids["drones"]])[0].tags == ("later", "Ukraine war")
    assert store.tag_counts() == [("later", 2), ("Ukraine war", 1)]
    store.apply_rule_action([ids["sweden"]], "hide")
    assert store.tag_counts() == [("later", 1), ("Ukraine war", 1)]  # hidden ones left out
    assert list(store.article_ids(ArticleQuery(tag="later"))) == [ids["drones"]]
    found = select_articles(store, 'tag:"ukraine war" OR tag:later', now=NOW.timestamp())
    assert found == [ids["drones"]]
    assert select_articles(store, "tag:later is:hidden", now=NOW.timestamp()) == [ids["sweden"]]
    # --id and a query together: the ids the query finds.
    assert select_articles(store, "tag:later", [ids["storm"], ids["drones"]]) == [ids["drones"]]
    assert select_articles(store, None, [ids["storm"], 999_999]) == [ids["storm"]]
    assert apply_mark(store, list(ids.values()), Mark("untag", "later")) == 2
    assert sorted(store.tag_names()) == ["Ukraine war"]


@pytest.mark.parametrize(
    ("name", "problem"),
    [
        ("", "a tag needs a name"),
        ("a,b", "without commas"),
        (' "x"', "without commas or double quotes"),
        (" padded", "does not start or end with a space"),
        ("x" * 41, "at most 40"),
        ("line\nbreak", "one line"),
        ("later\u202eretal", "no invisible or direction-changing"),
        ("late\u200br", "no invisible or direction-changing"),
    ],
)
def test_bad_tag_names_are_refused(name: str, problem: str) -> None:
    found = tag_problem(name)
    assert found is not None and problem in found


def test_a_good_tag_name_passes() -> None:
    assert tag_problem("Ukraine war – später") is None
