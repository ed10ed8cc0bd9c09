"""Whole poll passes against a real loopback server and a real SQLite file."""

from __future__ import annotations

import asyncio
import sqlite3
import threading
import time
from pathlib import Path

from natoread.core.config import Config, parse_config
from natoread.core.polling.plan import PollOutcome, analyser_for, plan_poll, settle_unchanged
from natoread.core.polling.run import _Writer, run_poll
from natoread.core.storage.records import ArticleQuery
from natoread.core.storage.store import Store
from tests import feedgen
from tests.feedserver import FeedServer


def config_for(urls: list[str], **feed_options: object) -> Config:
    feeds = [{"url": url, **feed_options} for url in urls]
    return parse_config({"settings": {"timeout": 5}, "feeds": feeds}, "test.toml")


def poll(
    config: Config,
    db: Path,
    *,
    force: bool = False,
    due_only: bool = False,
    now: int = 1_800_000_000,
) -> list[PollOutcome]:
    with Store(db) as store:
        plan = plan_poll(config, store, now=now, force=force, due_only=due_only)

    async def collect() -> list[PollOutcome]:
        return [o async for o in run_poll(config, plan, db, now=now)]

    return asyncio.run(collect())


def test_cold_then_warm_pass(server: FeedServer, tmp_path: Path) -> None:
    urls = [
        server.add("/rss", feedgen.rss(feedgen.items(5, "Rss"))),
        server.add("/atom", feedgen.atom(feedgen.items(4, "Atom")), gzip=True),
        server.add("/json", feedgen.json_feed(feedgen.items(3, "Json"))),
        server.add("/rdf", feedgen.rdf(feedgen.items(2, "Rdf"))),
    ]
    db = tmp_path / "db.sqlite3"
    cold = poll(config_for(urls), db)
    assert sorted(o.status for o in cold) == ["ok"] * 4
    assert sum(len(o.new_ids) for o in cold) == 14
    with Store(db) as store:
        first_id = store.list_articles()[0].id
        store.set_read([first_id])
    warm = poll(config_for(urls), db, force=True)
    assert [o.status for o in warm] == ["not_modified"] * 4
    with Store(db) as store:
        assert store.count_articles() == 14
        assert store.count_articles(ArticleQuery(unread=True)) == 13
        assert all(h.has_etag for h in store.feeds_health())


def test_updated_entry_is_updated_in_place(server: FeedServer, tmp_path: Path) -> None:
    items = feedgen.items(2)
    url = server.add("/rss", feedgen.rss(items))
    db = tmp_path / "db.sqlite3"
    poll(config_for([url]), db)
    items[0] = feedgen.Item(**{**items[0].__dict__, "body": "<p>Corrected text.</p>"})
    server.add("/rss", feedgen.rss(items))
    outcome = poll(config_for([url]), db, force=True)[0]
    assert (outcome.status, outcome.new_ids, outcome.updated) == ("ok", (), 1)
    with Store(db) as store:
        bodies = {store.get_article(r.id).body for r in store.list_articles()}  # type: ignore[union-attr]
        assert "Corrected text." in bodies


def test_failures_are_recorded_per_feed_and_never_stop_the_pass(
    server: FeedServer, tmp_path: Path
) -> None:
    good = server.add("/good", feedgen.rss(feedgen.items(2)))
    missing = server.url("/missing")
    broken = server.add("/broken", "<html><body>Not a feed</body></html>", content_type="text/html")
    gone = server.add("/gone", "bye", status=410)
    db = tmp_path / "db.sqlite3"
    outcomes = {o.feed_url: o for o in poll(config_for([good, missing, broken, gone]), db)}
    assert outcomes[good].status == "ok"
    assert outcomes[missing].status == "failed" and "404" in (outcomes[missing].error or "")
    assert "not a feed" in (outcomes[broken].error or "")
    assert outcomes[gone].status == "gone"
    with Store(db) as store:
        health = {h.url: h for h in store.feeds_health()}
        assert health[missing].error_count == 1 and health[missing].last_status == 404
        assert health[gone].gone
    # A pass right after polls the good feed again, skips the failed ones (backoff) and the
    # gone one; --force retries them all.
    feeds = config_for([good, missing, broken, gone])
    with Store(db) as store:
        plan = plan_poll(feeds, store, now=1_800_000_000)
        reasons = {spec.url: why for spec, why in plan.skipped}
    assert reasons == {
        missing: "backing off after 1 failure; use --force to try now",
        broken: "backing off after 1 failure; use --force to try now",
        gone: "gone (HTTP 410); use --force to try again",
    }
    assert [o.feed_url for o in poll(feeds, db)] == [good]
    assert poll(feeds, db, due_only=True) == []
    assert len(poll(feeds, db, force=True)) == 4


def test_retry_after_is_honoured_even_with_force(server: FeedServer, tmp_path: Path) -> None:
    url = server.add("/busy", "slow down", status=429, headers={"Retry-After": "3600"})
    db = tmp_path / "db.sqlite3"
    assert poll(config_for([url]), db)[0].status == "retry_later"
    hits = server.hits["/busy"]
    assert poll(config_for([url]), db, force=True, now=1_800_000_100) == []
    assert server.hits["/busy"] == hits
    later = poll(config_for([url]), db, force=True, now=1_800_000_000 + 3601)
    assert len(later) == 1


def test_per_feed_refresh_interval(server: FeedServer, tmp_path: Path) -> None:
    url = server.add("/rss", feedgen.rss(feedgen.items(1)))
    db = tmp_path / "db.sqlite3"
    config = config_for([url], refresh="2h")
    poll(config, db)
    hits = server.hits["/rss"]
    assert poll(config, db, due_only=True, now=1_800_000_000 + 3600) == []
    assert server.hits["/rss"] == hits
    assert len(poll(config, db, due_only=True, now=1_800_000_000 + 7201)) == 1
    # Without due_only (`natoread fetch`), every feed is polled: the server answers 304.
    assert [o.status for o in poll(config, db, now=1_800_000_000 + 7300)] == ["not_modified"]


def test_disabled_feeds_are_not_polled(server: FeedServer, tmp_path: Path) -> None:
    url = server.add("/rss", feedgen.rss(feedgen.items(1)))
    assert poll(config_for([url], enabled=False), tmp_path / "db.sqlite3") == []
    assert server.hits == {}


def test_permanent_redirect_is_reported(server: FeedServer, tmp_path: Path) -> None:
    target = server.add("/new", feedgen.rss(feedgen.items(1)))
    url = server.add("/old", status=308, redirect_to=target)
    db = tmp_path / "db.sqlite3"
    poll(config_for([url]), db)
    with Store(db) as store:
        assert store.feeds_health()[0].moved_to == target


def test_same_body_without_validators_skips_parsing(server: FeedServer, tmp_path: Path) -> None:
    url = server.add("/nv", feedgen.rss(feedgen.items(2)), validators=False)
    db = tmp_path / "db.sqlite3"
    poll(config_for([url]), db)
    assert poll(config_for([url]), db, force=True)[0].status == "not_modified"


ARTICLE_PAGE = """<!doctype html><html><head><title>Story</title></head><body>
<nav><a href="/">Home</a> | <a href="/world">World</a> | <a href="/sport">Sport</a></nav>
<article><h1>Hungary ratifies Sweden's NATO accession</h1>
<p>Hungary's parliament on Monday ratified Sweden's accession to NATO, ending months of delay
that had frustrated the other allies and left the Nordic country waiting at the door.</p>
<p>“This is a historic day for our alliance,” Secretary General Jens Stoltenberg said after the
vote, adding that Sweden would make the alliance stronger and safer.</p>
<p>The vote was 188 to 6. Prime Minister Viktor Orbán had said the ratification would come
once Sweden showed more respect for Hungary, and a deal on fighter jets sealed the change.</p>
</article><footer>Cookies | Privacy | Contact</footer></body></html>"""


def test_fulltext_feeds_store_the_page_text(server: FeedServer, tmp_path: Path) -> None:
    page = server.add("/story/1", ARTICLE_PAGE, content_type="text/html")
    items = [
        feedgen.Item(title="Hungary ratifies", body="<p>Short summary.</p>", guid="a", link=page),
        feedgen.Item(
            title="Missing page",
            body="<p>Only a summary.</p>",
            guid="b",
            link=server.url("/story/404"),
        ),
    ]
    url = server.add("/rss", feedgen.rss(items))
    db = tmp_path / "db.sqlite3"
    poll(config_for([url], fulltext=True), db)
    with Store(db) as store:
        details = {
            d.row.title: d for d in (store.get_article(r.id) for r in store.list_articles()) if d
        }
    full = details["Hungary ratifies"]
    assert "188 to 6" in full.body and "Cookies" not in full.body
    assert full.fulltext_note == "full text fetched from the article page"
    assert [q.speaker for q in full.quotes] == ["Jens Stoltenberg"]
    assert "accession" in full.row.topics
    missing = details["Missing page"]
    assert missing.body == "Only a summary."
    assert "404" in (missing.fulltext_note or "")


def test_only_feeds_that_answered_304_last_time_are_probed(
    server: FeedServer, tmp_path: Path
) -> None:
    """The probe stage settles unchanged feeds; changed and never-304 feeds get a full fetch."""
    steady = server.add("/steady.xml", feedgen.rss(feedgen.items(2, "Steady")))
    changing = server.add("/changing.xml", feedgen.rss(feedgen.items(2, "Changing")))
    bare = server.add("/bare.xml", feedgen.rss(feedgen.items(2, "Bare")), validators=False)
    config = config_for([steady, changing, bare])
    db = tmp_path / "db.sqlite3"
    poll(config, db, force=True)  # cold: every feed answers 200
    poll(config, db, force=True)  # now the feeds with validators answer 304
    server.add("/changing.xml", feedgen.rss(feedgen.items(3, "Changing")))
    before = dict(server.hits)
    later = 1_800_000_600
    with Store(db) as store:
        plan = plan_poll(config, store, now=later, force=True)
        settled: list[PollOutcome] = []
        rest = settle_unchanged(config, store, plan, now=later, on_outcome=settled.append)
    assert [(o.feed_url, o.status) for o in settled] == [(steady, "not_modified")]
    assert sorted(spec.url for spec, _ in rest.due) == sorted([changing, bare])

    async def full_pass() -> list[PollOutcome]:
        return [o async for o in run_poll(config, rest, db, now=later)]

    full = {o.feed_url: o for o in asyncio.run(full_pass())}
    assert full[changing].status == "ok" and len(full[changing].new_ids) == 1
    assert full[bare].status == "not_modified"  # same bytes again (no validators to ask with)
    hits = {path: server.hits[path] - before.get(path, 0) for path in server.hits}
    # One request each, except the feed that changed since its 304: probe, then full fetch.
    assert hits == {"/steady.xml": 1, "/changing.xml": 2, "/bare.xml": 1}
    with Store(db) as store:
        states = {s.url: s for s in (store.feed_state(fid) for _, fid in plan.due)}
    assert states[steady].last_fetch == later and states[steady].last_status == 304
    assert states[steady].next_fetch == later + config.settings.refresh_s
    assert states[changing].last_status == 200


def test_a_feed_that_moved_is_not_probed(server: FeedServer, tmp_path: Path) -> None:
    """A probe does not follow redirects: asking a moved feed would always cost two requests."""
    target = server.add("/new.xml", feedgen.rss(feedgen.items(2, "Moved")))
    old = server.add("/old.xml", status=301, redirect_to=target)
    config = config_for([old])
    db = tmp_path / "db.sqlite3"
    poll(config, db, force=True)
    poll(config, db, force=True)  # answers 304 after the redirect
    before = server.hits["/old.xml"]
    with Store(db) as store:
        plan = plan_poll(config, store, now=1_800_000_600, force=True)
        assert store.feed_states()[plan.due[0][1]].last_status == 304
        rest = settle_unchanged(config, store, plan, now=1_800_000_600)
    assert rest == plan and server.hits["/old.xml"] == before


def test_the_wal_starts_over_while_workers_keep_committing(tmp_path: Path) -> None:
    """The pass's writer checkpoints while the ingest workers commit. The WAL must still
    start over now and then: a checkpoint that runs beside commits never finishes, and the
    WAL then only grows (to 636 MB in a 1,000-feed cold pass)."""
    db = tmp_path / "natoread.sqlite3"
    config = config_for([])
    writer = _Writer(db, config, analyser_for(config))
    lock = threading.Lock()
    writer.ingester.write_lock = lock
    writer.store()  # creates the schema
    commits = 300

    def worker() -> None:  # a pool worker: automatic checkpoints off, commits under the lock
        with Store(db) as store:
            store.defer_checkpoints()
            for n in range(commits):
                rows = [(f"{n}-{i}", "x" * 3000) for i in range(10)]

                def insert(c: sqlite3.Connection, rows: list[tuple[str, str]] = rows) -> None:
                    c.executemany("INSERT INTO meta VALUES (?, ?)", rows)

                with lock:
                    store.write(insert)
                time.sleep(0.001)

    thread = threading.Thread(target=worker)
    thread.start()
    while thread.is_alive():
        writer.upkeep(final=True)
        time.sleep(0.005)
    wal_pages = db.with_name(db.name + "-wal").stat().st_size // 4096
    writer.ingester.close()
    assert wal_pages < commits * 10 / 2  # each commit writes 10-14 pages
