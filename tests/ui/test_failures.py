"""First run offline and failing feeds in plain words: the status line and the empty list say
that no feed could be reached, `e` groups the failures by cause and shows warnings apart, and a
feed's first poll rings no notification."""

from __future__ import annotations

import socket
from pathlib import Path

from textual.widgets import Static

from natoread.core.storage.records import ArticleQuery
from natoread.core.storage.store import FeedHealth
from natoread.ui.app import NatoreadApp
from natoread.ui.screens.errors import (
    ErrorsScreen,
    errors_content,
    group_by_cause,
    unreachable_line,
)
from natoread.ui.screens.main import MainScreen
from natoread.ui.widgets.status_bar import status_content
from tests import feedgen
from tests.feedserver import FeedServer
from tests.ui.factory import make_config
from tests.ui.helpers import capture_notifications, main_screen, press, wait_until

WIDE = (160, 40)
OFFLINE_LINE = "none of 13 feeds could be reached — are you offline? e shows why"


def refused_urls(count: int) -> list[str]:
    """URLs on loopback ports nobody listens on (bound, then closed: connecting is refused)."""
    urls = []
    for n in range(count):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        urls.append(f"http://127.0.0.1:{port}/feed-{n}.xml")
    return urls


def status_text(app: NatoreadApp) -> str:
    screen = next(s for s in app.screen_stack if isinstance(s, MainScreen))
    return status_content(screen.status).plain


def errors_text(app: NatoreadApp) -> str:
    assert isinstance(app.screen, ErrorsScreen)
    return str(app.screen.query_one("#errors", Static).content)


async def test_offline_first_run_says_no_feed_could_be_reached(tmp_path: Path) -> None:
    app = NatoreadApp(make_config(refused_urls(13)), tmp_path / "fresh.sqlite3", autopoll=True)
    async with app.run_test(size=WIDE) as pilot:
        screen = main_screen(pilot)
        await wait_until(pilot, lambda: screen.polls.passes == 1, timeout=20)
        await pilot.pause()
        assert OFFLINE_LINE in status_text(app)
        empty = str(screen.query_one("#empty", Static).content)
        assert OFFLINE_LINE in empty
        assert "No articles yet" not in empty and "poll now" not in empty
        await press(pilot, "e")
        text = errors_text(app)
        # One line for the one cause, with the count and the names; the raw error once.
        causes = [line for line in text.splitlines() if line.startswith("✗")]
        assert len(causes) == 1, text
        assert causes[0].startswith("✗ 13 feeds: cannot connect")
        assert "feed-0.xml" in causes[0] and "and 1 more" in causes[0]
        assert text.count("All connection attempts failed") <= 1


async def test_a_poll_that_reaches_a_feed_takes_the_offline_line_back(
    tmp_path: Path, server: FeedServer
) -> None:
    urls = refused_urls(2)
    app = NatoreadApp(make_config(urls), tmp_path / "back.sqlite3", autopoll=True)
    async with app.run_test(size=WIDE) as pilot:
        screen = main_screen(pilot)
        await wait_until(pilot, lambda: screen.polls.passes == 1, timeout=20)
        assert "none of 2 feeds could be reached" in status_text(app)
        # The network is back: the same feeds now answer.
        good = server.add("/feed.xml", feedgen.rss(feedgen.items(2)))
        screen.config = make_config([good, urls[1]])
        screen.polls.config = screen.config
        await press(pilot, "r")
        await wait_until(pilot, lambda: screen.polls.passes == 2, timeout=20)
        await pilot.pause()
        assert "could be reached" not in status_text(app)
        assert "1 failing" in status_text(app)


async def test_feeds_that_answer_with_errors_are_not_called_offline(
    tmp_path: Path, server: FeedServer
) -> None:
    missing = [server.url(f"/missing-{n}.xml") for n in range(3)]
    app = NatoreadApp(make_config(missing), tmp_path / "404.sqlite3", autopoll=True)
    async with app.run_test(size=WIDE) as pilot:
        screen = main_screen(pilot)
        await wait_until(pilot, lambda: screen.polls.passes == 1, timeout=20)
        assert "none of 3 feeds could be polled — e shows why" in status_text(app)
        assert "offline" not in status_text(app)
        await press(pilot, "e")
        causes = [line for line in errors_text(app).splitlines() if line.startswith("✗")]
        assert causes == [
            "✗ 3 feeds: HTTP 404 Not Found — "
            + ", ".join(server.url(f"/missing-{n}.xml") for n in range(3))
        ]


async def test_parse_warnings_show_as_warnings_not_errors(
    tmp_path: Path, server: FeedServer
) -> None:
    good = server.add("/good.xml", feedgen.rss(feedgen.items(1), title="Clean"))
    broken_doc = feedgen.rss(feedgen.items(2, "Broken"), title="Repaired").replace(
        "</channel>", "<item><title>cut off"
    )
    broken = server.add("/broken.xml", broken_doc)
    app = NatoreadApp(make_config([good, broken]), tmp_path / "warn.sqlite3", autopoll=True)
    async with app.run_test(size=WIDE) as pilot:
        screen = main_screen(pilot)
        await wait_until(pilot, lambda: screen.polls.passes == 1, timeout=20)
        assert "failing" not in status_text(app)
        await press(pilot, "e")
        text = errors_text(app)
        assert "Every feed worked on its last poll." in text
        assert "Warnings" in text
        warned = [line for line in text.splitlines() if line.startswith("⚠")]
        assert len(warned) == 1 and "malformed XML" in warned[0] and "Repaired" in warned[0]
        assert "✗" not in text


async def test_the_first_poll_of_a_fresh_store_rings_nothing(
    tmp_path: Path, server: FeedServer
) -> None:
    old = [
        feedgen.Item(
            title=f"Old {n}: NATO accession talks", body="<p>NATO membership.</p>", guid=f"o{n}"
        )
        for n in range(4)
    ]
    url = server.add("/n.xml", feedgen.rss(old, title="Wire"))
    settings = {"notify_topics": ["accession"], "notify_bell": True}
    app = NatoreadApp(make_config([url], settings=settings), tmp_path / "n.sqlite3", autopoll=True)
    bells: list[int] = []
    app.bell = lambda: bells.append(1)  # type: ignore[method-assign]
    messages = capture_notifications(app)
    async with app.run_test(size=WIDE) as pilot:
        screen = main_screen(pilot)
        await wait_until(pilot, lambda: screen.polls.passes == 1)
        await pilot.pause()
        assert bells == [] and not any("Old" in m for m in messages)
        fresh = [
            feedgen.Item(
                title=f"New {n}: NATO accession vote", body="<p>NATO membership.</p>", guid=f"n{n}"
            )
            for n in range(5)
        ]
        server.add("/n.xml", feedgen.rss([*fresh, *old], title="Wire"))
        await press(pilot, "r")
        await wait_until(pilot, lambda: any("2 more new articles" in m for m in messages))
    assert bells == [1]
    assert sum(m.startswith("New ") for m in messages) == 3


def health(n: int, error: str | None, status: int | None = None, failures: int = 1) -> FeedHealth:
    """A feed's health as the store reports it."""
    return FeedHealth(
        id=n,
        url=f"https://feed{n}.example/rss",
        title=f"Feed {n}",
        articles=0,
        unread=0,
        matching=0,
        last_fetch=None,
        last_success=None,
        last_error=error,
        last_status=status,
        error_count=failures,
        has_etag=False,
        gone=False,
        moved_to=None,
        retry_after=None,
    )


def test_causes_group_feeds_whose_raw_errors_differ_only_in_detail() -> None:
    feeds = [
        health(1, "HTTP 503 Service Unavailable, retry after 5 min", 503),
        health(2, "HTTP 503 Service Unavailable, retry after 40 s", 503),
        health(3, "cannot connect: [Errno -3] Temporary failure in name resolution"),
        health(4, "cannot connect: [Errno -2] Name or service not known"),
        health(5, "kept the first 2,000 of 9,000 items", failures=0),
    ]
    groups = group_by_cause(feeds[:4])
    assert [(g.cause, [f.id for f in g.feeds]) for g in groups] == [
        ("HTTP 503 Service Unavailable", [1, 2]),
        ("host name not found (offline, or a DNS problem)", [3, 4]),
    ]
    lines = errors_content(feeds).plain.splitlines()
    assert "✗ 2 feeds: HTTP 503 Service Unavailable — Feed 1, Feed 2" in lines
    assert "⚠ 1 feed: kept the first 2,000 of 9,000 items — Feed 5" in lines


def test_the_offline_line_counts_and_tells_an_outage_from_errors() -> None:
    refused = ["cannot connect: All connection attempts failed"]
    assert (
        unreachable_line(1, refused)
        == "the one feed could not be reached — are you offline? e shows why"
    )
    assert unreachable_line(2, [*refused, "HTTP 404 Not Found"]) == (
        "none of 2 feeds could be polled — e shows why"
    )


async def test_a_crashed_poll_is_one_sanitised_notification(tmp_path: Path) -> None:
    # A pass that dies (a bug, a library's exception quoting a server) says so in one line
    # with none of the escape sequences its message may carry.
    app = NatoreadApp(make_config([]), tmp_path / "c.sqlite3", autopoll=False)
    messages = capture_notifications(app)

    async def crash() -> None:
        raise RuntimeError("bad answer \x1b]52;c;aGk=\x07from \x1b[31mserver\nline two")

    async with app.run_test(size=WIDE) as pilot:
        screen = main_screen(pilot)
        screen.run_worker(crash(), group="poll", exit_on_error=False)
        await wait_until(pilot, lambda: any(m.startswith("Poll failed") for m in messages))
    (failed,) = [m for m in messages if m.startswith("Poll failed")]
    assert (
        failed
        == "Poll failed: internal error while polling: RuntimeError: bad answer from server line two"
    )


async def test_r_during_a_pass_of_the_due_feeds_polls_every_feed_when_it_ends(
    tmp_path: Path, server: FeedServer
) -> None:
    """`r` while the scheduled pass runs (only due feeds: none here) is not dropped: a pass of
    every feed follows, and the article the feed gained since is stored."""
    first = feedgen.Item(title="First: NATO accession talks", body="<p>NATO.</p>", guid="a")
    url = server.add("/n.xml", feedgen.rss([first], title="Wire"))
    app = NatoreadApp(make_config([url]), tmp_path / "n.sqlite3", autopoll=False)
    messages = capture_notifications(app)
    async with app.run_test(size=WIDE) as pilot:
        screen = main_screen(pilot)
        await press(pilot, "r")
        await wait_until(pilot, lambda: screen.polls.passes == 1)
        second = feedgen.Item(title="Second: NATO accession vote", body="<p>NATO.</p>", guid="b")
        server.add("/n.xml", feedgen.rss([second, first], title="Wire"))
        # The scheduled pass (the feed was polled just now: nothing is due), and `r`'s action
        # while it runs: called in one go, so the pass cannot end in between.
        screen.polls.start(False)
        screen.action_poll()
        assert any("polled again when it ends" in m for m in messages)
        await wait_until(pilot, lambda: screen.polls.passes == 3)
        assert len(screen.store.article_ids(ArticleQuery())) == 2
