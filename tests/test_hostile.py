"""Hostile feeds through the real path: loopback server → fetch → parse → store → CLI output."""

from __future__ import annotations

import asyncio
import gzip
import json
import subprocess
import sys
import time
from pathlib import Path

import pytest

from natoread.core.config import parse_config
from natoread.core.errors import ParseError
from natoread.core.feeds.parser import parse_feed
from natoread.core.polling.plan import PollOutcome, plan_poll
from natoread.core.polling.run import run_poll
from natoread.core.storage.store import Store
from tests import feedgen
from tests.conftest import natoread_env, write_config
from tests.feedserver import FeedServer

NATOREAD = str(Path(sys.executable).parent / "natoread")
MARKUP_TITLES = [
    "[bold red]FAKE[/] [@click=app.quit]click me[/]",
    "[link=file:///etc/passwd]x[/link]",
    "[/",
    "[type=x, v={'a[0]'}]",
    "Stocks fall [1/2] after [NATO] summit [/]",
]
ESCAPES = "Evil \x1b]0;pwned\x1b\\ \x1b[2J \x1b]52;c;ZXZpbA==\x1b\\ \x1b]8;;https://evil.example/\x1b\\click\x1b]8;;\x1b\\ \x9b2J \u202eevil\u202c \x07"


def xml_escapes(text: str) -> str:
    """Encode control characters as XML character references, as a hostile feed would."""
    return "".join(f"&#{ord(c)};" if ord(c) < 32 or 0x7F <= ord(c) <= 0x9F else c for c in text)


def poll_once(urls: list[str], db: Path, **settings: object) -> dict[str, PollOutcome]:
    config = parse_config(
        {"settings": {"timeout": 3, **settings}, "feeds": [{"url": u} for u in urls]}, "t"
    )
    with Store(db) as store:
        plan = plan_poll(config, store, now=1_800_000_000, force=True)

    async def collect() -> list[PollOutcome]:
        return [o async for o in run_poll(config, plan, db, now=1_800_000_000)]

    return {o.feed_url: o for o in asyncio.run(collect())}


def cli(config: Path, data: Path, *args: str) -> str:
    result = subprocess.run(
        [NATOREAD, "--config", str(config), "--data-dir", str(data), *args],
        capture_output=True,
        text=True,
        env=natoread_env(),
        timeout=120,
    )
    return result.stdout + result.stderr


def test_markup_and_escape_injection_shows_literally_in_cli(
    server: FeedServer, tmp_path: Path
) -> None:
    entries = [
        feedgen.Item(title=t, body=t, guid=f"m{n}", link=f"https://e.example/{n}")
        for n, t in enumerate(MARKUP_TITLES)
    ]
    entries.append(
        feedgen.Item(
            title="NATO " + ESCAPES,
            body=ESCAPES,
            author=ESCAPES,
            guid="esc",
            link="https://e.example/esc",
        )
    )
    url = server.add("/hostile.xml", xml_escapes(feedgen.rss(entries)).replace("&#10;", "\n"))
    config = write_config(tmp_path, feedgen.config_toml([url]))
    data = tmp_path / "data"
    cli(config, data, "fetch")
    for args in (
        ["list", "--all"],
        ["list", "--all", "--json"],
        ["feeds"],
        ["feeds", "--json"],
        ["quotes", "--speaker", "x"],
    ):
        out = cli(config, data, *args)
        assert (
            "\x1b" not in out and "\x07" not in out and "\x9b" not in out and "\u202e" not in out
        ), args
    rows = json.loads(cli(config, data, "list", "--all", "--json"))
    titles = {r["title"] for r in rows}
    for title in MARKUP_TITLES:
        assert title in titles
    plain = cli(config, data, "list", "--all")
    assert "Stocks fall [1/2] after [NATO] summit [/]" in plain


def test_links_are_kept_but_never_made_openable(server: FeedServer, tmp_path: Path) -> None:
    from natoread.core.text.sanitize import safe_url

    links = [
        "javascript:alert(1)",
        "file:///etc/passwd",
        "--remote-debugging-port=9222",
        "data:text/html,x",
        "https://e.com/$(id)",
    ]
    entries = [feedgen.Item(title=f"L{n}", guid=f"l{n}", link=link) for n, link in enumerate(links)]
    url = server.add("/links.xml", feedgen.rss(entries))
    db = tmp_path / "db.sqlite3"
    poll_once([url], db)
    with Store(db) as store:
        stored = {r.title: r.link for r in store.list_articles(limit=10)}
    openable = [safe_url(stored[f"L{n}"]) for n in range(5)]
    # A leading "-" is a relative link: it resolves inside the feed's site, never an option.
    assert openable == [
        None,
        None,
        "https://news.example/--remote-debugging-port=9222",
        None,
        "https://e.com/$(id)",
    ]


def test_bombs_and_oversized_bodies_are_refused(server: FeedServer, tmp_path: Path) -> None:
    bomb = server.add("/bomb.xml", b"", raw_gzip=gzip.compress(b" " * (60 * 2**20)))
    big = server.add("/big.xml", b"<rss>" + b"x" * (3 * 2**20))
    slow = server.add("/slow.xml", feedgen.rss(feedgen.items(3)), drip_s=0.2)
    loop_a = server.add("/loop-a", status=302, redirect_to=server.url("/loop-b"))
    server.add("/loop-b", status=302, redirect_to=loop_a)
    to_file = server.add("/to-file", status=302, redirect_to="file:///etc/passwd")
    good = server.add("/good.xml", feedgen.rss(feedgen.items(2)))
    started = time.monotonic()
    outcomes = poll_once(
        [bomb, big, slow, loop_a, to_file, good], tmp_path / "db.sqlite3", max_size="2MB", timeout=2
    )
    assert time.monotonic() - started < 15
    assert "larger than" in (outcomes[bomb].error or "")
    assert "larger than" in (outcomes[big].error or "")
    assert "timed out" in (outcomes[slow].error or "")
    assert "redirect" in (outcomes[loop_a].error or "")
    assert outcomes[to_file].failed
    assert outcomes[good].status == "ok"


def test_quadratic_blowup_and_deep_nesting_are_bounded() -> None:
    entity = "x" * 100_000
    doc = f'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY a "{entity}">]><rss><channel><item><title>{"&a;" * 20000}</title></item></channel></rss>'
    started = time.monotonic()
    try:
        for entry in parse_feed(doc.encode(), "https://e.example/").entries:
            assert len(entry.title) < 1_000_000
    except ParseError:
        pass
    nested = (
        b"<rss><channel><item><title>"
        + b"<a>" * 300_000
        + b"x"
        + b"</a>" * 300_000
        + b"</title></item></channel></rss>"
    )
    try:
        entries = parse_feed(nested, "https://e.example/").entries
        assert all(len(e.title) < 1000 for e in entries)
    except ParseError:
        pass
    assert time.monotonic() - started < 10


REDOS_AUTHOR = "a@" + "a." * 8000 + "!"
REDOS_ITEMS = "".join(
    f"<item><title>t{n} & broken</title><author>{REDOS_AUTHOR}</author>" for n in range(10)
)


def test_redos_author_in_the_fallback_parser_is_killed(monkeypatch: pytest.MonkeyPatch) -> None:
    from natoread.core.feeds import parser

    monkeypatch.setattr(parser, "FALLBACK_TIMEOUT_S", 1.0)
    started = time.monotonic()
    with pytest.raises(ParseError, match="gave up after 1 s"):
        parser._parse_with_fallback(f"<rss><channel>{REDOS_ITEMS}".encode(), "https://e.example/")
    assert time.monotonic() - started < 5


def test_redos_author_feed_is_read_without_the_slow_regex(
    server: FeedServer, tmp_path: Path
) -> None:
    redos = server.add("/redos.xml", f"<rss><channel>{REDOS_ITEMS}</channel>")
    good = server.add("/good.xml", feedgen.rss(feedgen.items(2)))
    started = time.monotonic()
    outcomes = poll_once([redos, good], tmp_path / "db.sqlite3", timeout=20)
    assert time.monotonic() - started < 10
    assert outcomes[good].status == "ok"
    assert (outcomes[redos].status, outcomes[redos].entries) == ("ok", 10)


def test_odd_but_valid_feeds(server: FeedServer, tmp_path: Path) -> None:
    dup = [
        feedgen.Item(title="First", guid="same", link="https://e.example/1"),
        feedgen.Item(title="Second", guid="same", link="https://e.example/2"),
    ]
    long_title = "NATO " + "very long title " * 2000
    urls = {
        "dup": server.add("/dup.xml", feedgen.rss(dup)),
        "empty": server.add("/empty.xml", feedgen.rss([])),
        "long": server.add(
            "/long.xml",
            feedgen.rss([feedgen.Item(title=long_title, body="line " * 50_000, guid="l")]),
        ),
        "html": server.add(
            "/page.html",
            "<!doctype html><html><body>Welcome</body></html>",
            content_type="text/html",
        ),
        "latin1": server.add(
            "/latin1.xml",
            '<?xml version="1.0" encoding="iso-8859-1"?><rss><channel><item><title>Zürich</title><guid>z</guid></item></channel></rss>'.encode(
                "latin-1"
            ),
        ),
        "script": server.add(
            "/script.xml",
            feedgen.rss(
                [feedgen.Item(title="<script>alert(1)</script>Hello <b>NATO</b>", guid="s")]
            ),
        ),
    }
    db = tmp_path / "db.sqlite3"
    outcomes = poll_once(list(urls.values()), db)
    assert outcomes[urls["html"]].error == "not a feed (the server sent an HTML page)"
    assert outcomes[urls["empty"]].status == "ok" and outcomes[urls["empty"]].entries == 0
    with Store(db) as store:
        titles = [r.title for r in store.list_articles(limit=100)]
    assert "Zürich" in titles and "Hello NATO" in titles
    assert (
        titles.count("Second") + titles.count("First") == 1
    )  # one GUID, one article (updated in place)
    assert any(len(t) <= 1000 and t.startswith("NATO very long") for t in titles)
