"""Rules judge a new article in memory (`triage/matcher.py`) as search judges the stored
one: the two agree on every field of the query language, in a real SQLite file. Hidden
articles are left out of every list and search unless the query says is:hidden, and an
older store upgrades to the triage schema keeping its articles."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from natoread.core.query import parse_query
from natoread.core.storage.records import ArticleQuery
from natoread.core.storage.schema import MIGRATIONS
from natoread.core.storage.search import matching_ids, search
from natoread.core.storage.store import Store
from natoread.core.triage.actions import Mark, apply_mark
from natoread.core.triage.matcher import ArticleFacts, matches, words
from tests.core.triage_corpus import ARTICLES, FEEDS, NOW, build

FEED_TAGS = {"baltic": (FEEDS["wire"],)}
QUERIES = [
    "sweden",
    "title:sweden",
    "text:sweden",
    "text:storm",
    "title:stor*",
    '"heavy rain"',
    "defense",  # the index and the matcher both drop accents: Défense
    "author:lee",
    "author:kim OR storm",
    "feed:wire",
    "feed:bbc -drones",
    "feedtag:baltic",
    "NOT feedtag:baltic",
    "topic:accession",
    "is:matching",
    "is:unread",
    "is:starred",
    "since:1d",
    "since:2026-11-01",
    "tag:later",
    "NOT tag:later rzeszow",
]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[Store, dict[str, int]]:
    store, ids = build(tmp_path_factory.mktemp("rules") / "natoread.sqlite3")
    apply_mark(store, [ids["drones"]], Mark("tag", "later"))
    return store, ids


def facts(name: str) -> ArticleFacts:
    feed, title, body, author, hours, matched = ARTICLES[name]
    return ArticleFacts(
        title=title,
        body=body,
        author=author,
        feed_url=FEEDS[feed],
        feed_titles=("Wire" if feed == "wire" else "BBC",),
        feed_tags=("baltic",) if feed == "wire" else (),
        topics=("accession",) if matched else (),
        matched=matched,
        published=int(NOW.timestamp()) - hours * 3600,
        tags={"later"} if name == "drones" else set(),
    )


@pytest.mark.parametrize("query", QUERIES)
def test_the_matcher_agrees_with_the_store(
    corpus: tuple[Store, dict[str, int]], query: str
) -> None:
    store, ids = corpus
    node = parse_query(query)
    assert node is not None
    now = NOW.timestamp()
    stored = set(matching_ids(store, node, now, FEED_TAGS))
    in_memory = {ids[name] for name in ARTICLES if matches(node, facts(name), now)}
    assert stored == in_memory, query


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("text:storm", set()),  # only in the title
        ("title:stor*", {"storm"}),
        ("defense", {"budget"}),
        ("author:kim OR storm", {"drones", "storm"}),
        ("feedtag:baltic", {"sweden", "storm"}),
        ("since:1d", {"sweden", "storm"}),
        ("tag:LATER", {"drones"}),
    ],
)
def test_fields_find_what_they_name(
    corpus: tuple[Store, dict[str, int]], query: str, expected: set[str]
) -> None:
    store, ids = corpus
    node = parse_query(query)
    assert node is not None
    found = set(matching_ids(store, node, NOW.timestamp(), FEED_TAGS))
    assert found == {ids[name] for name in expected}


WORDS = ["sweden", "nato", "storm", "rain", "jets", "defense", "32nd", "poland", "spend"]
FIELDS = ["", "title:", "text:", "-", "NOT "]
FILTERS = [
    "feed:bbc",
    "feedtag:baltic",
    "topic:accession",
    "is:unread",
    "since:1d",
    "tag:later",
    "author:kim",
    '"heavy rain"',
    "stor*",
    'title:"sweden joins"',
    "text:rain*",
    "(sweden OR drones)",
]


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.lists(
        st.one_of(
            st.tuples(st.sampled_from(FIELDS), st.sampled_from(WORDS)).map("".join),
            st.sampled_from(FILTERS),
            st.just("OR"),
        ),
        min_size=1,
        max_size=5,
    )
)
def test_any_query_is_judged_alike_in_memory_and_in_the_store(
    corpus: tuple[Store, dict[str, int]], parts: list[str]
) -> None:
    store, ids = corpus
    node = parse_query(" ".join(parts))
    if node is None:
        return
    now = NOW.timestamp()
    stored = set(matching_ids(store, node, now, FEED_TAGS))
    assert stored == {ids[name] for name in ARTICLES if matches(node, facts(name), now)}


def test_words_are_read_as_the_index_reads_them() -> None:
    assert words("Défense-Minister SAID: “Zürich”") == ("defense", "minister", "said", "zurich")


def test_hidden_articles_are_left_out_unless_the_query_names_them(tmp_path: Path) -> None:
    store, ids = build(tmp_path / "natoread.sqlite3")
    assert store.apply_rule_action([ids["storm"]], "hide") == 1
    now = NOW.timestamp()
    assert ids["storm"] not in search(store, "storm OR sweden", now=now).ids
    assert ids["storm"] not in search(store, "feed:wire", now=now).ids
    assert search(store, "is:hidden", now=now).ids == (ids["storm"],)
    assert search(store, "is:hidden storm", now=now).ids == (ids["storm"],)
    assert ids["storm"] not in store.article_ids(ArticleQuery())
    assert list(store.article_ids(ArticleQuery(hidden=True))) == [ids["storm"]]
    assert store.get_article(ids["storm"]) is not None  # still stored, and read
    assert store.rows_by_ids([ids["storm"]])[0].read
    assert store.topic_counts() == {"accession": 2}
    store.apply_rule_action([ids["sweden"]], "drop")  # stored articles are hidden, not deleted
    assert store.topic_counts() == {"accession": 1}
    assert store.get_article(ids["sweden"]) is not None


def test_filters_that_match_nothing_find_nothing_fast_path(tmp_path: Path) -> None:
    store, _ = build(tmp_path / "natoread.sqlite3")
    later = NOW.timestamp() + 400 * 86400  # every article is older than a week
    for query in ("since:7d sweden", "tag:none sweden", "feedtag:none sweden", "is:hidden nato"):
        result = search(store, query, now=later)
        assert result.error is None and result.ids == (), query


def test_an_older_store_upgrades_keeping_its_articles(tmp_path: Path) -> None:
    path = tmp_path / "natoread.sqlite3"
    db = sqlite3.connect(path)
    for number, script in enumerate(MIGRATIONS[:9]):
        db.executescript(script)
        db.execute(f"PRAGMA user_version={number + 1}")
    db.execute("INSERT INTO feed(id, url) VALUES (1, 'https://old.example/rss')")
    db.execute(
        "INSERT INTO article(id, feed_id, title, body, published, fetched, content_hash)"
        " VALUES (1, 1, 'Old news', 'Sweden', 1, 2, 'h')"
    )
    db.commit()
    db.close()
    store = Store(path)
    assert store.rows_by_ids([1])[0].tags == ()
    assert apply_mark(store, [1], Mark("tag", "kept")) == 1
    assert store.rows_by_ids([1])[0].tags == ("kept",)
    assert store.undo_last() is not None
    assert store.dropped_counts() == {}
