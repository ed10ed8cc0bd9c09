"""`natoread list --sort` and the store's orders behind it (`storage/ordering.py`), on a real
store: each order, undated articles after dated ones, filters kept, limits equal to the head
of the full list, the indexes the score and title orders read, and the installed command."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from natoread.core.analysis.records import Analysis, TopicResult
from natoread.core.feeds.documents import ParsedEntry
from natoread.core.storage.clustering import assign_stories
from natoread.core.storage.ordering import SORT_ORDERS, sorted_ids
from natoread.core.storage.records import ArticleQuery
from natoread.core.storage.store import Store
from tests.conftest import run_natoread, write_config

NOW = datetime(2026, 12, 7, 12, 0, tzinfo=UTC)
STORY = "Allies agree to send air defence systems to Kyiv before the winter summit"


def _entry(guid: str, title: str, hours_ago: float | None, body: str = "") -> ParsedEntry:
    published = (
        None
        if hours_ago is None
        else datetime.fromtimestamp(NOW.timestamp() - hours_ago * 3600, UTC)
    )
    return ParsedEntry(guid, f"https://news.example/{guid}", title, "", body or title, published)


def _analysis(score: float) -> Analysis:
    matched = score >= 1
    return Analysis(TopicResult(matched, score, ("alliance",) if matched else ()))


def _build(path: Path) -> None:
    """Three feeds: a story carried by all three, one carried by two, and lone articles with
    scores, titles in mixed case and an undated article."""
    feeds = [
        ("https://a.example/rss", "alpha Wire", True),
        ("https://b.example/rss", "Bravo News", True),
        ("https://c.example/rss", "charlie Post", True),
    ]
    with Store(path) as store:
        ids = store.sync_feeds(feeds)
        a, b, c = (ids[url] for url, _, _ in feeds)
        now = int(NOW.timestamp())
        body = f"{STORY}. Ministers met in Brussels and agreed the package on Tuesday."
        other = "Finland and Sweden open a joint logistics hub for the northern flank brigades"
        rows = {
            a: [
                (_entry("a-story", STORY, 5, body), _analysis(2.0)),
                (_entry("a-zulu", "zulu report on Baltic exercises", 1), _analysis(0.0)),
                (_entry("a-undated", "Undated notice", None), _analysis(0.0)),
            ],
            b: [
                (_entry("b-story", STORY, 4, body), _analysis(2.5)),
                (_entry("b-other", other, 2, other + " today."), _analysis(1.5)),
                (_entry("b-best", "Best scored accession analysis", 30), _analysis(9.0)),
            ],
            c: [
                (_entry("c-story", STORY, 3, body), _analysis(1.0)),
                (_entry("c-other", other, 6, other + " today."), _analysis(1.2)),
                (_entry("c-apple", "apple harvest festival", 50), _analysis(0.0)),
            ],
        }
        new: list[int] = []
        for feed_id, entries in rows.items():
            new.extend(store.save_entries(feed_id, entries, now=now).new_ids)
        assign_stories(store, new)


@pytest.fixture(scope="module")
def store_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("sort") / "store.sqlite3"
    _build(path)
    return path


def _guids(store: Store, ids: object) -> list[str]:
    rows = store.rows_by_ids(list(ids))  # type: ignore[call-overload]
    return [str(row.link).rsplit("/", 1)[1] for row in rows]


def test_each_order(store_path: Path) -> None:
    with Store(store_path) as store:

        def order(sort: str, query: ArticleQuery | None = None) -> list[str]:
            return _guids(store, sorted_ids(store, query, sort))

        assert order("newest") == [
            "a-zulu", "b-other", "c-story", "b-story", "a-story", "c-other", "b-best", "c-apple",
            "a-undated",
        ]  # fmt: skip
        # Oldest first, and still the undated article after every dated one.
        assert order("oldest") == [
            "c-apple", "b-best", "c-other", "a-story", "b-story", "c-story", "b-other", "a-zulu",
            "a-undated",
        ]  # fmt: skip
        assert order("score")[:4] == ["b-best", "b-story", "a-story", "b-other"]
        # Titles in any case: Allies (three: newest first), apple, Best, Finland (two), …
        assert order("title") == [
            "c-story", "b-story", "a-story", "c-apple", "b-best", "b-other", "c-other",
            "a-undated", "a-zulu",
        ]  # fmt: skip
        # Feeds by title in any case (alpha, Bravo, charlie), each newest first, undated last.
        assert order("feed") == [
            "a-zulu", "a-story", "a-undated", "b-other", "b-story", "b-best", "c-story",
            "c-other", "c-apple",
        ]  # fmt: skip
        # The story three outlets carry, then the one two carry, then the rest newest first.
        assert order("sources") == [
            "c-story", "b-story", "a-story", "b-other", "c-other", "a-zulu", "b-best", "c-apple",
            "a-undated",
        ]  # fmt: skip


@pytest.mark.parametrize("sort", SORT_ORDERS)
def test_filters_and_limits_hold_in_every_order(store_path: Path, sort: str) -> None:
    with Store(store_path) as store:
        everything = list(sorted_ids(store, None, sort))
        assert sorted(everything) == sorted(store.article_ids())
        for limit in (1, 2, 4, 8, 20):
            assert list(sorted_ids(store, None, sort, limit)) == everything[:limit]
        matching = ArticleQuery(matching=True)
        wanted = set(store.article_ids(matching))
        filtered = list(sorted_ids(store, matching, sort))
        assert filtered == [i for i in everything if i in wanted]
        feed = ArticleQuery(feed="Bravo News")
        assert set(sorted_ids(store, feed, sort)) == set(store.article_ids(feed))


def test_an_unknown_order_is_refused(store_path: Path) -> None:
    with Store(store_path) as store, pytest.raises(ValueError, match="unknown sort order"):
        sorted_ids(store, None, "random")


@pytest.mark.parametrize(
    ("order", "index"),
    [
        ("a.score DESC, a.published DESC, a.id DESC", "article_score"),
        ("a.title COLLATE NOCASE, a.published DESC, a.id DESC", "article_title"),
    ],
)
def test_score_and_title_orders_read_an_index(store_path: Path, order: str, index: str) -> None:
    with Store(store_path) as store:
        plan = str(store.execute(f"EXPLAIN QUERY PLAN SELECT a.id FROM article a ORDER BY {order}"))
    assert index in plan and "TEMP B-TREE" not in plan


def test_list_sort_through_the_installed_command(store_path: Path, tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "natoread.sqlite3").write_bytes(store_path.read_bytes())
    config = write_config(tmp_path, "")
    common = ("--config", str(config), "--data-dir", str(data))
    by_title = run_natoread("list", "--sort", "title", "--json", *common)
    assert by_title.returncode == 0, by_title.stderr
    rows = json.loads(by_title.stdout)
    assert [r["title"][:5] for r in rows[2:5]] == ["Allie", "apple", "Best "]
    newest = json.loads(run_natoread("list", "--json", *common).stdout)
    assert [set(r) for r in rows] == [set(r) for r in newest]  # the same shape
    text = run_natoread("list", "--sort", "oldest", "--limit", "2", *common)
    assert text.stdout.splitlines()[0].endswith("apple harvest festival")
    bad = run_natoread("list", "--sort", "random", *common)
    assert bad.returncode == 2 and "invalid choice: 'random'" in bad.stderr
