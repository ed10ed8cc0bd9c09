"""Search on a real SQLite file: each syntax element, ranking, hostile input never raises."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from natoread.core.analysis.records import Analysis, Quote, TopicResult, TopicScore
from natoread.core.feeds.documents import ParsedEntry
from natoread.core.query import parse_query, tokenize
from natoread.core.storage import search as search_module
from natoread.core.storage.search import SearchResult, search
from natoread.core.storage.store import Store

NOW = datetime(2026, 11, 20, 12, tzinfo=UTC)

ARTICLES = {
    "sweden": (
        "reuters",
        "Turkey ratifies Sweden's NATO accession",
        "Turkey's parliament ratified the accession protocol. “This is a good day for the"
        " alliance,” said NATO Secretary General Mark Rutte.",
        1,
        "accession",
    ),
    "finland": (
        "reuters",
        "Finland joins NATO",
        "Finland became the 31st member of the alliance. Zürich café owners cheered.",
        40,
        "accession",
    ),
    "drones": (
        "bbc",
        "Poland shoots down drones",
        "Polish jets shot down Russian drones over Rzeszów. “We will defend every inch,” Donald"
        " Tusk said. Sweden sent condolences.",
        2,
        "",
    ),
    "budget": (
        "bbc",
        "Germany raises defence budget",
        "Germany will raise its defence budget to meet the NATO spending target, officials said.",
        24 * 10,
        "",
    ),
    "weather": (
        "weather",
        "Storm hits the coast",
        "Heavy rain and wind; no NATO link at all.",
        3,
        "",
    ),
}


class Corpus:
    """The ARTICLES above in a store; `ids[name]` is each one's article id."""

    def __init__(self, path: Path) -> None:
        self.store = Store(path)
        urls = [
            ("https://reuters.example/rss", "Reuters World", False),
            ("https://bbc.example/rss", "BBC News", False),
            ("https://weather.example/rss", "", False),
        ]
        feeds = self.store.sync_feeds(urls)
        self.ids: dict[str, int] = {}
        for name, (feed, title, body, hours_ago, topic) in ARTICLES.items():
            quotes = []
            for text, speaker in (
                ("This is a good day for the alliance", "Mark Rutte"),
                ("We will defend every inch", "Donald Tusk"),
            ):
                if text in body:
                    start = body.index(text) + len(title) + 1
                    quotes.append(Quote(text, start, start + len(text), speaker, False))
            scores = (TopicScore(topic, 1.0, True),) if topic else ()
            analysis = Analysis(
                TopicResult(bool(topic), 1.0, (topic,) if topic else (), scores), tuple(quotes)
            )
            entry = ParsedEntry(
                guid=name,
                link=f"https://{feed}.example/{name}",
                title=title,
                author="",
                body=body,
                published=NOW - timedelta(hours=hours_ago),
            )
            saved = self.store.save_entries(
                feeds[f"https://{feed}.example/rss"], [(entry, analysis)], now=int(NOW.timestamp())
            )
            self.ids[name] = saved.new_ids[0]

    def find(self, query: str, **kwargs: object) -> list[str]:
        """Names of the articles a query finds, in result order."""
        result = search(self.store, query, now=NOW.timestamp(), **kwargs)  # type: ignore[arg-type]
        assert result.error is None, result.error
        names = {v: k for k, v in self.ids.items()}
        return [names[i] for i in result.ids]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Corpus]:
    built = Corpus(tmp_path_factory.mktemp("search") / "natoread.sqlite3")
    yield built
    built.store.close()


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("nato", {"sweden", "finland", "budget", "weather"}),
        ("NATO accession", {"sweden"}),
        ("sweden", {"sweden", "drones"}),
        ('"good day for the alliance"', {"sweden"}),
        ('"alliance good day"', set()),
        ("finland OR poland", {"finland", "drones"}),
        ("nato -turkey", {"finland", "budget", "weather"}),
        ("nato NOT turkey NOT germany", {"finland", "weather"}),
        ("(finland OR germany) nato", {"finland", "budget"}),
        ("accessi*", {"sweden"}),
        ("zurich cafe", {"finland"}),
        ("rzeszow", {"drones"}),
        ("-nato", {"drones"}),
        ("NOT nato NOT sweden", set()),
    ],
)
def test_words_phrases_or_not(corpus: Corpus, query: str, expected: set[str]) -> None:
    assert set(corpus.find(query)) == expected


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("speaker:rutte", {"sweden"}),
        ('speaker:"Mark Rutte"', {"sweden"}),
        ("speaker:Tusk sweden", {"drones"}),
        ("speaker:rutte OR speaker:tusk", {"sweden", "drones"}),
        ("speaker:stoltenberg", set()),
        ("topic:accession", {"sweden", "finland"}),
        ("topic:ACCESSION finland", {"finland"}),
        ("feed:bbc", {"drones", "budget"}),
        ("feed:https://reuters.example/rss", {"sweden", "finland"}),
        ("feed:weather.example", {"weather"}),
        ('feed:"Reuters World" finland', {"finland"}),
        ("since:7d", {"sweden", "finland", "drones", "weather"}),
        ("since:24h nato", {"sweden", "weather"}),
        ("since:2026-11-19", {"sweden", "drones", "weather"}),
        ("since:2w -nato", {"drones"}),
        ("is:starred", {"finland"}),
        ("is:unread nato", {"finland", "budget", "weather"}),
        ("is:read", {"sweden"}),
        ("is:matching", {"sweden", "finland"}),
        ("-is:unread", {"sweden"}),
    ],
)
def test_field_filters(corpus: Corpus, query: str, expected: set[str]) -> None:
    corpus.store.set_read([corpus.ids["sweden"]])
    corpus.store.set_starred(corpus.ids["finland"], True)
    assert set(corpus.find(query)) == expected


def test_ranking_prefers_titles_then_falls_back_to_newest(corpus: Corpus) -> None:
    assert corpus.find("sweden")[0] == "sweden"  # in the title beats a body mention
    assert corpus.find("finland OR drones")[0] in ("finland", "drones")
    assert corpus.find("feed:bbc") == ["drones", "budget"]  # no words: newest first
    assert corpus.find("nato", limit=2) == corpus.find("nato")[:2]


def test_ranking_window_grows_until_enough_matches(
    corpus: Corpus, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(search_module, "RANK_WINDOWS", (1, 2))
    assert set(corpus.find("sweden")) == {"sweden", "drones"}  # the oldest ids are searched too
    assert len(corpus.find("nato", limit=1)) == 1


@pytest.mark.parametrize(
    "query", ["speaker:Rutte", "topic:accession", "speaker:rutte OR speaker:tusk", "-weather"]
)
def test_filters_without_words_walk_the_newest_first_index(corpus: Corpus, query: str) -> None:
    # A speaker, topic or word set can hold tens of thousands of articles. Read through the
    # set, they would all be fetched and sorted before the first 50 came out (60-110 ms at
    # 100,000 articles); walked in publication order, the query stops at the limit.
    compiled = search_module.compile_query(parse_query(query), NOW.timestamp())  # type: ignore[arg-type]
    plan = " | ".join(
        str(row[3])
        for row in corpus.store.execute(
            f"EXPLAIN QUERY PLAN {compiled.sql}", (*compiled.params, 0, 50)
        )
    )
    assert not compiled.ranked
    assert "INDEX article_published" in plan, plan
    assert "TEMP B-TREE" not in plan, plan
    assert corpus.find(query) == sorted(
        corpus.find(query), key=lambda name: ARTICLES[name][3]
    )  # newest first


def test_highlight_terms_leave_out_excluded_words_and_filters(corpus: Corpus) -> None:
    result = search(corpus.store, 'nato "air defence" accessi* -turkey speaker:rutte OR x')
    assert result.terms == ("nato", "air defence", "accessi", "x")


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("", "empty query"),
        ("   ", "empty query"),
        ('"" * - : ( ) OR NOT', "empty query"),
        ("since:yesterday", "since:yesterday"),
        ("is:famous", "is:famous"),
        (" ".join(["word"] * 100), "too long"),
    ],
)
def test_unusable_queries_give_a_message(corpus: Corpus, query: str, message: str) -> None:
    result = search(corpus.store, query)
    assert result.ids == () and result.error is not None and message in result.error


HOSTILE = [
    '"unbalanced quote nato',
    "nato)",
    "((((nato",
    "(" * 5000 + "nato",
    "NOT " * 5000 + "nato",
    "- -- --- nato-",
    "* ** nato* *nato",
    "a:b :: nato: :nato speaker: topic:",
    'speaker:"',
    "NEAR(nato sweden) title:nato {title body}:nato ^nato",
    "nato AND OR NOT",
    "OR OR nato OR",
    "'; DROP TABLE article; --",
    "\x00\x1b[31mnato\u202e",
    'nato" OR "sweden',
    "feed:%_\\ since:0d since:99999w",
]


@pytest.mark.parametrize("query", HOSTILE)
def test_hostile_queries_never_raise(corpus: Corpus, query: str) -> None:
    result = search(corpus.store, query)
    assert isinstance(result, SearchResult)
    assert corpus.store.count_articles() == len(ARTICLES)


def test_literal_punctuation_is_searched_as_text(corpus: Corpus) -> None:
    assert corpus.find("nato: accession") == ["sweden"]
    assert corpus.find("foo:bar") == []
    assert parse_query("foo:bar") is not None
    assert tokenize('speaker:"Mark Rutte" -x') == [
        ("field", "speaker:Mark Rutte"),
        ("-", "-"),
        ("word", "x"),
    ]


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.text(alphabet=st.characters(exclude_categories=["Cs"]), max_size=80))
def test_any_text_returns_a_result(corpus: Corpus, text: str) -> None:
    result = search(corpus.store, text, limit=5)
    assert isinstance(result, SearchResult)
    assert result.error is None or not result.ids
    if result.error:
        assert not result.error.startswith("search failed"), result.error


@settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.lists(
        st.sampled_from(
            [
                '"',
                "(",
                ")",
                "-",
                "*",
                ":",
                "OR",
                "NOT",
                "AND",
                "nato",
                "sweden",
                "speaker:",
                "topic:x",
                "is:unread",
                "since:7d",
                "feed:bbc",
                " ",
            ]
        ),
        max_size=20,
    )
)
def test_any_mix_of_syntax_returns_a_result(corpus: Corpus, parts: list[str]) -> None:
    result = search(corpus.store, " ".join(parts), limit=5)
    assert result.error is None or not result.error.startswith("search failed"), result.error
