"""One odd answer from one feed is that feed's error: the pass records every other feed.

Real servers on loopback (a raw-socket one for answers no HTTP library writes), a real
SQLite file, the real pass; faults nobody listed are injected at each stage of one feed.
"""

from __future__ import annotations

import asyncio
import gzip
from collections.abc import Awaitable, Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from natoread.core.analysis.analyser import Analyser
from natoread.core.config import Config, FeedSpec, parse_config
from natoread.core.feeds import fulltext, parser
from natoread.core.feeds.fetch import Fetcher, FetchResult
from natoread.core.polling import ingest
from natoread.core.polling.ingest import Ingester
from natoread.core.polling.plan import PollOutcome, plan_poll
from natoread.core.polling.run import _Writer, run_poll
from natoread.core.storage.store import Store
from tests import feedgen
from tests.conftest import run_natoread, write_config
from tests.feedserver import FeedServer
from tests.rawserver import RawServer, answer

NOW = 1_800_000_000
RSS = feedgen.rss(feedgen.items(2, "Odd")).encode()


@pytest.fixture
def raw() -> Iterator[RawServer]:
    raw_server = RawServer()
    yield raw_server
    raw_server.close()


def poll(config: Config, db: Path, *, now: int = NOW, force: bool = True) -> list[PollOutcome]:
    with Store(db) as store:
        plan = plan_poll(config, store, now=now, force=force)

    async def collect() -> list[PollOutcome]:
        return [outcome async for outcome in run_poll(config, plan, db, now=now)]

    return asyncio.run(collect())


def healthy_feeds(server: FeedServer, count: int) -> list[str]:
    return [
        server.add(f"/h{n}.xml", feedgen.rss(feedgen.items(2, f"Healthy{n}"))) for n in range(count)
    ]


def config_for(urls: list[str], timeout: int = 5) -> Config:
    feeds = [{"url": url} for url in urls]
    return parse_config({"settings": {"timeout": timeout}, "feeds": feeds}, "test.toml")


# path → (the answer, words its feed's error must contain)
ODD_ANSWERS: dict[str, tuple[bytes, str]] = {
    "/204": (answer("204 No Content"), "HTTP 204 No Content: the server sent no feed"),
    "/202": (answer("202 Accepted"), "HTTP 202 Accepted: the server sent no feed"),
    "/206": (answer("206 Partial Content", body=RSS[:40]), "HTTP 206"),
    "/299": (answer("299 Odd", body=RSS), "HTTP 299 Odd"),
    "/300": (answer("300 Multiple Choices"), "HTTP 300 Multiple Choices: not a redirect"),
    "/999": (answer("999 Whatever"), "HTTP 999 Whatever"),
    "/302-no-location": (answer("302 Found"), "HTTP 302 Found redirect without a Location"),
    "/mailto": (
        answer("302 Found", {"Location": b"mailto:editor@example.org"}),
        "refused redirect to 'mailto:editor@example.org': only http:// and https://",
    ),
    "/javascript": (
        answer("301 Moved Permanently", {"Location": b"javascript:alert(1)"}),
        "refused redirect to 'javascript:alert(1)'",
    ),
    "/bad-port": (
        answer("307 Temporary Redirect", {"Location": b"http://127.0.0.1:99999/x"}),
        "the port must be a number from 1 to 65535",
    ),
    "/word-port": (
        answer("308 Permanent Redirect", {"Location": b"http://127.0.0.1:abc/x"}),
        "the port must be a number from 1 to 65535",
    ),
    "/bad-idna": (
        answer("302 Found", {"Location": "http://a\u200db.example/".encode()}),
        "refused redirect",
    ),
    "/brotli": (
        answer("200 OK", {"Content-Encoding": b"br"}, RSS),
        "compressed the feed with 'br', which natoread does not ask for",
    ),
    "/escape-reason": (
        answer("500 \x1b]2;owned\x07Oops"),
        "HTTP 500 Oops",
    ),
}


def test_odd_answers_are_each_one_feeds_error(
    server: FeedServer, raw: RawServer, tmp_path: Path
) -> None:
    healthy = healthy_feeds(server, 30)
    odd = {raw.add(path, body): words for path, (body, words) in ODD_ANSWERS.items()}
    db = tmp_path / "db.sqlite3"
    outcomes = {o.feed_url: o for o in poll(config_for(healthy + list(odd)), db)}
    assert len(outcomes) == len(healthy) + len(odd)
    assert all(outcomes[url].status == "ok" for url in healthy)
    for url, words in odd.items():
        assert outcomes[url].status == "failed", url
        assert words in (outcomes[url].error or ""), (url, outcomes[url].error)
        assert "\x1b" not in (outcomes[url].error or "")
    with Store(db) as store:
        assert store.count_articles() == 2 * len(healthy)
        health = {h.url: h for h in store.feeds_health()}
    for url, words in odd.items():
        assert words in (health[url].last_error or "")


def test_retry_after_is_clamped_and_a_bad_one_ignored(raw: RawServer, tmp_path: Path) -> None:
    huge = raw.add("/huge", answer("503 Busy", {"Retry-After": b"99999999999999"}))
    digits = raw.add("/digits", answer("429 Slow", {"Retry-After": b"9" * 5000}))
    garbage = raw.add("/garbage", answer("429 Slow", {"Retry-After": b"\xff\xfe soon"}))
    db = tmp_path / "db.sqlite3"
    outcomes = {o.feed_url: o for o in poll(config_for([huge, digits, garbage]), db)}
    assert {o.status for o in outcomes.values()} == {"retry_later"}
    assert outcomes[garbage].error == "HTTP 429 Slow"
    week = datetime.fromtimestamp(NOW, UTC) + timedelta(days=7)
    with Store(db) as store:
        health = {h.url: h for h in store.feeds_health()}
    assert health[huge].retry_after == week
    assert health[digits].retry_after == week
    assert "bad response body" not in (health[garbage].last_error or "")


def test_double_gzip_is_read(raw: RawServer, tmp_path: Path) -> None:
    url = raw.add(
        "/gzgz",
        answer("200 OK", {"Content-Encoding": b"gzip, gzip"}, gzip.compress(gzip.compress(RSS))),
    )
    outcome = poll(config_for([url]), tmp_path / "db.sqlite3")[0]
    assert outcome.status == "ok" and len(outcome.new_ids) == 2


def test_a_non_ascii_validator_is_dropped_not_sent_back(raw: RawServer, tmp_path: Path) -> None:
    url = raw.add(
        "/etag",
        answer(
            "200 OK",
            {"ETag": '"café"'.encode(), "Last-Modified": "Mon, 01 Déc 2025".encode()},
            RSS,
        ),
    )
    db = tmp_path / "db.sqlite3"
    for _ in range(3):
        outcome = poll(config_for([url]), db)[0]
        assert outcome.status in ("ok", "not_modified"), outcome.error
    with Store(db) as store:
        state = next(iter(store.feed_states().values()))
    assert state.etag is None and state.last_modified is None


def test_a_stored_invalid_url_is_the_feeds_error_not_a_crash(
    server: FeedServer, tmp_path: Path
) -> None:
    # Config validation refuses these now; a spec made before it (or by hand) still must not
    # take the pass down.
    healthy = healthy_feeds(server, 3)
    bad = ["http://127.0.0.1:99999/x", "http://127.0.0.1:abc/x", "http://exa mple.org/"]
    config = Config(source="test", feeds=tuple(FeedSpec(url=u) for u in [*healthy, *bad]))
    outcomes = {o.feed_url: o for o in poll(config, tmp_path / "db.sqlite3")}
    assert [outcomes[u].status for u in healthy] == ["ok"] * 3
    for url in bad:
        assert outcomes[url].status == "failed"
        assert (outcomes[url].error or "").startswith("cannot fetch this URL: ")


class Injected(Exception):
    """A failure nobody listed."""


POISON = "Poisoned"


def _poisoned_fetch(
    original: Callable[..., Awaitable[FetchResult]],
) -> Callable[..., Awaitable[FetchResult]]:
    async def fetch(self: Fetcher, url: str, *args: object, **kwargs: object) -> FetchResult:
        if POISON in url:
            raise Injected("fetch")
        return await original(self, url, *args, **kwargs)

    return fetch


def _when_poisoned(
    original: Callable[..., Any], key: Callable[..., object] = lambda *args: args
) -> Callable[..., Any]:
    """Wrap `original` to raise Injected when any argument mentions the poisoned feed."""

    def wrapped(*args: object, **kwargs: object) -> object:
        if POISON in repr(key(*args, *kwargs.values())):
            raise Injected(original.__name__)
        return original(*args, **kwargs)

    return wrapped


STAGES = ["fetch", "digest", "parse", "analyse", "store", "stories", "record"]


@pytest.mark.parametrize("stage", STAGES)
def test_an_exception_at_any_stage_is_that_feeds_error(
    stage: str, server: FeedServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    healthy = healthy_feeds(server, 8)
    poisoned = server.add(
        f"/{POISON}.xml",
        feedgen.rss(
            [feedgen.Item(title=f"{POISON}: NATO summit", body="NATO allies met.", guid="p1")]
        ),
    )
    feeds = [*healthy[:4], poisoned, *healthy[4:]]
    if stage == "fetch":
        monkeypatch.setattr(Fetcher, "fetch", _poisoned_fetch(Fetcher.fetch))
    elif stage == "digest":
        monkeypatch.setattr(_Writer, "changed_digest", _when_poisoned(_Writer.changed_digest))
    elif stage == "parse":
        monkeypatch.setattr(parser, "parse_feed", _when_poisoned(parser.parse_feed))
    elif stage == "analyse":
        monkeypatch.setattr(Analyser, "__call__", _when_poisoned(Analyser.__call__))
    elif stage == "store":
        monkeypatch.setattr(Store, "save_prepared", _when_poisoned(Store.save_prepared))
    elif stage == "stories":
        monkeypatch.setattr(
            ingest, "assign_stories", _when_poisoned(vars(ingest)["assign_stories"])
        )
    elif stage == "record":
        monkeypatch.setattr(_Writer, "handle", _when_poisoned(_Writer.handle))
    db = tmp_path / "db.sqlite3"
    outcomes = {o.feed_url: o for o in poll(config_for(feeds), db)}
    assert len(outcomes) == len(feeds)
    assert all(outcomes[url].status == "ok" for url in healthy)
    assert outcomes[poisoned].status == "failed"
    assert "internal error while" in (outcomes[poisoned].error or "")
    assert "Injected" in (outcomes[poisoned].error or "")
    # Articles are committed before their feed's outcome: a failure in recording the fetch
    # keeps them (the next pass reads the document again and finds them stored).
    kept = 1 if stage == "record" else 0
    with Store(db) as store:
        assert store.count_articles() == 2 * len(healthy) + kept
        health = {h.url: h for h in store.feeds_health()}
    assert health[poisoned].error_count == 1
    assert all(health[url].error_count == 0 for url in healthy)


def test_a_failing_fulltext_page_leaves_the_feed_ok(
    server: FeedServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = server.add("/ft.xml", feedgen.rss(feedgen.items(2, "Full")))
    monkeypatch.setattr(
        fulltext, "fetch_fulltext", _when_poisoned(fulltext.fetch_fulltext, key=lambda *a: POISON)
    )
    config = parse_config({"feeds": [{"url": url, "fulltext": True}]}, "test.toml")
    outcome = poll(config, tmp_path / "db.sqlite3")[0]
    assert outcome.status == "ok" and len(outcome.new_ids) == 2


def test_the_cli_pass_survives_every_odd_answer(
    server: FeedServer, raw: RawServer, tmp_path: Path
) -> None:
    healthy = healthy_feeds(server, 5)
    odd = [raw.add(path, body) for path, (body, _) in ODD_ANSWERS.items()]
    config = write_config(tmp_path, feedgen.config_toml(healthy + odd))
    done = run_natoread("--config", str(config), "--data-dir", str(tmp_path / "d"), "fetch")
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr + done.stdout
    assert "\x1b" not in done.stderr + done.stdout
    with Store(tmp_path / "d" / "natoread.sqlite3") as store:
        assert store.count_articles() == 2 * len(healthy)


# Random answers for one feed beside healthy ones: whatever they are, the pass records them all.
_HEADER_NAMES = [
    "Location",
    "Retry-After",
    "Content-Encoding",
    "Content-Length",
    "Transfer-Encoding",
    "ETag",
    "Last-Modified",
    "Content-Type",
]
_header_value = st.one_of(
    st.binary(max_size=40).filter(lambda b: b"\r" not in b and b"\n" not in b),
    st.sampled_from(
        [
            b"gzip",
            b"deflate, gzip",
            b"chunked",
            b"99999999999999",
            b"-1",
            b"0",
            b"mailto:x",
            b"http://127.0.0.1:0/",
            b"//[::1",
            b"\xe9t\xe9",
            b"\xff",
        ]
    ),
)
_random_answer = st.builds(
    lambda status, headers, body: answer(
        f"{status} X", {name: value for name, value in headers}, body
    ),
    st.integers(100, 999),
    st.lists(st.tuples(st.sampled_from(_HEADER_NAMES), _header_value), max_size=4),
    st.one_of(st.binary(max_size=300), st.just(RSS), st.just(gzip.compress(RSS))),
)


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(random_answer=_random_answer)
def test_random_answers_never_stop_the_pass(
    random_answer: bytes,
    server: FeedServer,
    raw: RawServer,
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    healthy = healthy_feeds(server, 3)
    odd = raw.add("/random", random_answer)
    db = tmp_path_factory.mktemp("random") / "db.sqlite3"
    outcomes = {o.feed_url: o for o in poll(config_for([*healthy, odd], timeout=2), db)}
    assert len(outcomes) == 4
    assert all(outcomes[url].status == "ok" for url in healthy)
    error = outcomes[odd].error or ""
    assert "\n" not in error and "\x1b" not in error and len(error) < 400
    with Store(db) as store:
        assert store.count_articles() >= 2 * len(healthy)
        assert {h.url for h in store.feeds_health() if h.last_fetch} == {*healthy, odd}


def test_analysis_stops_at_the_documents_budget_and_keeps_what_it_did(tmp_path: Path) -> None:
    db = tmp_path / "db.sqlite3"
    with Store(db) as store:
        feed_id = store.sync_feeds([("https://news.example/feed", None, False)])[
            "https://news.example/feed"
        ]
    body = feedgen.rss(feedgen.items(5, "Budget")).encode()
    analyser = Analyser(parse_config({}, "test.toml").topics)
    hurried = Ingester(db, analyser, budget_s=0.0)
    try:
        first = hurried.ingest_safely(feed_id, body, "https://news.example/feed", NOW, False)
    finally:
        hurried.close()
    assert first.error is None and len(first.new_ids) == 1 and first.entries == 5
    assert "analysis stopped after 0 s: stored 1 of 5 items" in (first.warning or "")
    patient = Ingester(db, analyser)
    try:
        second = patient.ingest_safely(feed_id, body, "https://news.example/feed", NOW, False)
    finally:
        patient.close()
    assert len(second.new_ids) == 4 and second.warning is None


def test_a_documents_items_are_capped_by_max_items(server: FeedServer, tmp_path: Path) -> None:
    url = server.add("/many.xml", feedgen.rss(feedgen.items(50, "Many")))
    config = parse_config(
        {"settings": {"timeout": 5, "max_items": 10}, "feeds": [{"url": url}]}, "test.toml"
    )
    db = tmp_path / "db.sqlite3"
    outcome = poll(config, db)[0]
    assert outcome.status == "ok" and len(outcome.new_ids) == 10
    with Store(db) as store:
        (health,) = store.feeds_health()
    assert health.error_count == 0
    assert "kept the first 10 of 50 items" in (health.last_error or "")
