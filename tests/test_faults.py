"""Faults: kill -9 mid-pass, two processes at once, a full disk, bad data dirs, a farm of bad servers."""

from __future__ import annotations

import asyncio
import os
import signal
import sqlite3
import subprocess
import time
from pathlib import Path

import pytest

from natoread.core.analysis.records import Analysis, TopicResult
from natoread.core.config import parse_config
from natoread.core.errors import StoreError
from natoread.core.feeds.documents import ParsedEntry
from natoread.core.polling.plan import PollOutcome, PollPlan, plan_poll
from natoread.core.polling.run import run_poll
from natoread.core.storage.records import ArticleQuery
from natoread.core.storage.store import Store
from tests import feedgen
from tests.conftest import NATOREAD, natoread_env, write_config
from tests.feedserver import FeedServer


def many_feeds(server: FeedServer, count: int, items: int = 3, **options: object) -> list[str]:
    return [
        server.add(f"/f{n}.xml", feedgen.rss(feedgen.items(items, f"Feed{n}")), **options)
        for n in range(count)
    ]


def _processes_with(marker: str) -> list[int]:
    """Pids of live processes whose environment holds `marker` (Linux /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            environ = (entry / "environ").read_bytes()
            state = (entry / "stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if marker.encode() in environ and state != "Z":
            found.append(int(entry.name))
    return found


def test_kill_9_mid_pass_keeps_db_and_state(server: FeedServer, tmp_path: Path) -> None:
    fast = many_feeds(server, 40)
    slow = [
        server.add(f"/slow{n}.xml", feedgen.rss(feedgen.items(2, f"Slow{n}")), drip_s=0.05)
        for n in range(10)
    ]
    config = write_config(tmp_path, feedgen.config_toml(fast[:5]))
    data = tmp_path / "data"
    subprocess.run(
        [NATOREAD, "--config", str(config), "--data-dir", str(data), "fetch"],
        check=True,
        env=natoread_env(),
        capture_output=True,
    )
    db_path = data / "natoread.sqlite3"
    with Store(db_path) as store:
        starred = store.list_articles(limit=3)
        store.set_starred(starred[0].id, True)
        store.set_read([starred[1].id])
    config.write_text(feedgen.config_toml(fast + slow))
    marker = f"natoread-kill-test-{os.getpid()}-{time.monotonic_ns()}"
    process = subprocess.Popen(
        [NATOREAD, "--config", str(config), "--data-dir", str(data), "fetch", "--force"],
        env={**natoread_env(), "NATOREAD_TEST_MARKER": marker},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        with sqlite3.connect(db_path, timeout=10) as db:
            if db.execute("SELECT COUNT(*) FROM article").fetchone()[0] > 15 * 3:
                break
        time.sleep(0.05)
    assert _processes_with(marker), "the pass should run in worker processes"
    process.send_signal(signal.SIGKILL)
    process.wait()
    # Its ingest workers (and their fork server) leave by themselves within a few seconds.
    deadline = time.monotonic() + 10
    while _processes_with(marker) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert _processes_with(marker) == []
    with Store(db_path) as store:
        assert store.integrity_ok()
        assert store.get_article(starred[0].id).row.starred  # type: ignore[union-attr]
        assert store.get_article(starred[1].id).row.read  # type: ignore[union-attr]
        partial = store.count_articles()
    assert partial >= 15
    for route in server.routes.values():
        route.drip_s = 0
    again = subprocess.run(
        [NATOREAD, "--config", str(config), "--data-dir", str(data), "fetch", "--force"],
        env=natoread_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert again.returncode == 0, again.stderr
    with Store(db_path) as store:
        assert store.count_articles() == 40 * 3 + 10 * 2
        # Articles the killed pass saved but had not indexed are searchable after the next one.
        assert store.execute("SELECT COUNT(*) FROM fts_pending") == [(0,)]
        assert store.execute("SELECT COUNT(*) FROM article_fts") == [(40 * 3 + 10 * 2,)]
        store.execute("INSERT INTO article_fts(article_fts, rank) VALUES ('integrity-check', 1)")


def test_two_processes_at_once(server: FeedServer, tmp_path: Path) -> None:
    urls = many_feeds(server, 30)
    config = write_config(tmp_path, feedgen.config_toml(urls))
    data = tmp_path / "data"
    argv = [NATOREAD, "--config", str(config), "--data-dir", str(data), "fetch", "--force"]
    procs = [
        subprocess.Popen(
            argv, env=natoread_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        for _ in range(2)
    ]
    results = [p.communicate(timeout=120) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], results
    with Store(data / "natoread.sqlite3") as store:
        assert store.count_articles() == 90
        assert store.integrity_ok()


def test_disk_full_is_a_clear_error_and_loses_nothing(tmp_path: Path) -> None:
    store = Store(tmp_path / "natoread.sqlite3")
    fid = store.sync_feeds([("https://a.example/", "A", False)])["https://a.example/"]
    first = ParsedEntry("g0", None, "kept", "", "small", None)
    store.save_entries(fid, [(first, Analysis(TopicResult(False, 0.0, ())))], now=1)
    pages = store.execute("PRAGMA page_count")[0][0]
    store.execute(f"PRAGMA max_page_count={pages + 2}")
    big = [ParsedEntry(f"g{n}", None, f"t{n}", "", "x" * 50_000, None) for n in range(1, 20)]
    with pytest.raises(StoreError, match="disk is full") as caught:
        store.save_entries(fid, [(e, Analysis(TopicResult(False, 0.0, ()))) for e in big], now=1)
    assert "\n" not in str(caught.value)
    store.close()
    with Store(tmp_path / "natoread.sqlite3") as reopened:
        assert reopened.integrity_ok()
        assert [r.title for r in reopened.list_articles()] == ["kept"]


def test_data_dir_that_is_a_file_gives_clear_error(tmp_path: Path) -> None:
    blocker = tmp_path / "data"
    blocker.write_text("not a directory")
    config = write_config(tmp_path, feedgen.config_toml(["https://a.example/rss"]))
    result = subprocess.run(
        [NATOREAD, "--config", str(config), "--data-dir", str(blocker), "list"],
        capture_output=True,
        text=True,
        env=natoread_env(),
    )
    assert result.returncode == 3
    assert "Traceback" not in result.stderr and str(blocker) in result.stderr


def test_corrupt_database_cli_message_and_reset(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "natoread.sqlite3").write_bytes(b"garbage" * 1000)
    base = [NATOREAD, "--data-dir", str(data)]
    result = subprocess.run(
        [*base, "list"], capture_output=True, text=True, env=natoread_env(), cwd=tmp_path
    )
    assert result.returncode == 3 and "reset-db" in result.stderr
    reset = subprocess.run(
        [*base, "reset-db", "--yes"],
        capture_output=True,
        text=True,
        env=natoread_env(),
        cwd=tmp_path,
    )
    assert reset.returncode == 0 and "broken-" in reset.stdout
    assert any(p.name.startswith("natoread.sqlite3.broken-") for p in data.iterdir())
    assert (
        subprocess.run(
            [*base, "list"], capture_output=True, env=natoread_env(), cwd=tmp_path
        ).returncode
        == 0
    )


def _rss_mb() -> float:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


@pytest.mark.slow
def _hostile_but_healthy(n: int) -> str:
    """A feed whose text is hostile (year-1 and year-9999 dates, lone surrogates, an endless
    unclosed tag, controls in links) but which must be stored in full."""
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>Odd{n} &#55357;&#56832;</title>"
        f"<item><title>Odd{n} a &#55357; surrogate</title><guid>odd{n}-a</guid>"
        "<pubDate>0001-01-01T00:00:00Z</pubDate>"
        "<link>javascript:\u009b31m&#x202e;x</link>"
        f"<description>{'&lt;img ' * 5000}</description></item>"
        f"<item><title>Odd{n} b</title><guid>odd{n}-b</guid>"
        "<pubDate>Fri, 31 Dec 9999 23:59:59 GMT</pubDate>"
        f"<description>{'&lt;a ' * 5000}</description></item>"
        "</channel></rss>"
    )


def _farm_route(server: FeedServer, n: int, path: str) -> str | None:
    """Serve feed `n` of the farm; returns the words its error must contain (None: healthy).

    About a quarter of the feeds misbehave: statuses, limits, timeouts and broken XML every
    pass, and the long tail of answers that are legal but unusual.
    """
    kind, tail = n % 10, n % 40
    if kind == 1:
        status = ["404", "410", "500"][n % 3]
        server.add(path, "x", status=int(status))
        return status
    if kind == 3 and n % 20 == 3:
        server.add(path, "busy", status=429, headers={"Retry-After": "7200"})
        return "429"
    if kind == 5 and n % 200 == 5:
        server.add(path, feedgen.rss(feedgen.items(2)), drip_s=0.3)
        return "timed out"
    if kind == 7 and n % 20 == 7:
        server.add(path, "<rss><channel><item><title>broken")
        return "malformed"
    if kind == 9 and n % 20 == 9:
        server.add(path, b"x" * 400_000)
        return "limit"
    if tail == 13:
        server.add(path, b"", status=204)
        return "HTTP 204 No Content"
    if tail == 17:
        target = ["mailto:editor@example.org", "http://127.0.0.1:99999/x", ""][n % 3]
        if target:
            server.add(path, redirect_to=target, status=302)
        else:
            server.add(path, b"", status=302)
        return "redirect"
    if tail == 19:
        server.add(path, "busy", status=503, headers={"Retry-After": "99999999999999"})
        return "503"
    if tail == 39:
        body = feedgen.rss(feedgen.items(2))
        server.add(path, body, headers={"Content-Encoding": "br"})
        return "'br'"
    if tail == 33:  # validators that cannot be sent back: read every pass, stored once
        server.add(
            path,
            feedgen.rss(feedgen.items(2, f"F{n}")),
            validators=False,
            headers={"ETag": '"caf\u00e9"', "Last-Modified": "Mon, 01 D\u00e9c 2025"},
        )
        return None
    if tail == 37:
        server.add(path, _hostile_but_healthy(n))
        return None
    server.add(path, feedgen.rss(feedgen.items(2, f"F{n}")), gzip=n % 2 == 0)
    return None


def test_farm_of_1000_feeds_with_faults(server: FeedServer, tmp_path: Path) -> None:
    healthy: list[str] = []
    faulty: dict[str, str] = {}
    for n in range(1000):
        path = f"/farm/{n}.xml"
        fault = _farm_route(server, n, path)
        if fault is None:
            healthy.append(server.url(path))
        else:
            faulty[server.url(path)] = fault
    urls = [server.url(f"/farm/{n}.xml") for n in range(1000)]
    config = parse_config(
        {"settings": {"timeout": 1.5, "max_size": "300KB"}, "feeds": [{"url": u} for u in urls]},
        "farm",
    )
    db = tmp_path / "farm.sqlite3"
    rss_after: list[float] = []
    now = 1_800_000_000
    for pass_number in range(3):
        with Store(db) as store:
            plan = plan_poll(config, store, now=now + pass_number * 60, force=True)

        async def collect(
            plan: PollPlan = plan, pass_number: int = pass_number
        ) -> list[PollOutcome]:
            return [o async for o in run_poll(config, plan, db, now=now + pass_number * 60)]

        outcomes = {o.feed_url: o for o in asyncio.run(collect())}
        rss_after.append(_rss_mb())
        for url in healthy:
            assert outcomes[url].status in ("ok", "not_modified"), outcomes[url]
        for url, kind in faulty.items():
            if kind in ("429", "503") and pass_number > 0:
                assert url not in outcomes  # Retry-After honoured: not asked again
            elif kind != "malformed":
                assert outcomes[url].failed, (url, kind)
                error = outcomes[url].error or ""
                assert kind in error or kind == "limit", (url, error)
                assert "internal error" not in error and "Traceback" not in error
    with Store(db) as store:
        malformed = sum(1 for kind in faulty.values() if kind == "malformed")
        # A truncated document is recovered up to its last complete item (one here).
        assert store.count_articles() == 2 * len(healthy) + malformed
        health = {h.url: h for h in store.feeds_health()}
        for url in faulty:
            assert health[url].last_error
        for url in healthy:
            assert store.count_articles(ArticleQuery(feed=url)) == 2, url
    assert rss_after[2] - rss_after[1] < 25, rss_after
