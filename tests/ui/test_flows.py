"""End-to-end flows: search, filters, polling a real loopback server, narrow terminals, injection."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from textual.app import App
from textual.command import Hit
from textual.widget import Widget
from textual.widgets import Input, Static

from natoread.core.polling.run import POOL_BACKLOG_BYTES
from natoread.core.storage.records import ArticleQuery
from natoread.core.storage.store import Store
from natoread.ui.app import NatoreadApp
from natoread.ui.commands import NatoreadCommands
from natoread.ui.screens.errors import ErrorsScreen
from natoread.ui.widgets.status_bar import StatusBar, status_content
from tests import feedgen
from tests.feedserver import FeedServer
from tests.ui.factory import DEFENCE, NORDIC, Doc, build_store, make_config
from tests.ui.helpers import (
    AppFactory,
    capture_notifications,
    list_lines,
    main_screen,
    palette_highlights,
    press,
    wait_until,
)

WIDE = (160, 40)


def width(widget: Widget) -> int:
    """How many columns a widget occupies on screen (0 when hidden)."""
    return widget.region.width


def status_text(app: App[Any]) -> str:
    """The status line as plain text."""
    return status_content(app.screen.query_one(StatusBar).state).plain


async def test_search_shows_matching_titles_and_text(make_app: AppFactory) -> None:
    async with make_app().run_test(size=WIDE) as pilot:
        screen = main_screen(pilot)
        await press(pilot, "slash")
        assert isinstance(screen.focused, Input)
        await pilot.press(*"kristersson")
        await press(pilot, "enter")
        titles = {r.title for r in screen.store.rows_by_ids(list(screen.article_list.ids))}
        assert titles == {"NATO leaders meet in Vilnius", "Sweden completes accession"}
        assert "search “kristersson”" in status_text(pilot.app)
        assert screen.focused is screen.article_list  # type: ignore[comparison-overlap]
        await press(pilot, "escape")
        assert screen.view.search is None and len(screen.article_list.ids) == 5


async def test_search_finds_unmatched_articles_and_prefixes(make_app: AppFactory) -> None:
    async with make_app().run_test(size=WIDE) as pilot:
        screen = main_screen(pilot)
        await press(pilot, "slash")
        await pilot.press(*"weath*")  # prefixes are explicit in the query syntax
        await press(pilot, "enter")
        assert len(screen.article_list.ids) == 1
        assert "Weather" in list_lines(pilot)[0]


async def test_search_with_fts_syntax_never_raises(make_app: AppFactory) -> None:
    async with make_app().run_test(size=WIDE) as pilot:
        screen = main_screen(pilot)
        for query in ('"', 'NATO" OR', "title:x AND (", "*", "NEAR(a b)", "[/]", "since:x"):
            screen.listing.run_search(query)
            await pilot.pause()
            assert pilot.app.is_running
            # Either it ran, or its error is on the status line and the list is untouched.
            assert screen.view.search is not None or (
                status_text(pilot.app).startswith("✗ search:") and len(screen.article_list.ids) == 5
            )
        screen.listing.run_search('"stand united"')
        await pilot.pause()
        assert len(screen.article_list.ids) == 1


async def test_sidebar_filters_by_topic_and_feed(make_app: AppFactory) -> None:
    async with make_app().run_test(size=WIDE) as pilot:
        screen = main_screen(pilot)
        await pilot.pause()
        filters = screen.sidebar.filters()
        screen.listing.apply_filter(filters["topic:accession"])
        await pilot.pause()
        assert len(screen.article_list.ids) == 2
        feed_filter = next(f for f in filters.values() if f.label == "[Sweden] Nordic")
        screen.listing.apply_filter(feed_filter)
        await pilot.pause()
        assert len(screen.article_list.ids) == 2
        assert "feed [Sweden] Nordic" in status_text(pilot.app)
        await press(pilot, "escape")
        assert len(screen.article_list.ids) == 5


async def test_sidebar_keys_choose_a_filter(make_app: AppFactory) -> None:
    async with make_app().run_test(size=WIDE) as pilot:
        screen = main_screen(pilot)
        await press(pilot, "tab", "tab")
        assert screen.panes.active == "sidebar"
        await press(pilot, "g", "j", "enter")  # All → "alliance"
        assert screen.view.filter.kind == "topic" and screen.view.filter.value == "alliance"
        assert screen.panes.active == "list"
        assert len(screen.article_list.ids) == 4


async def test_markup_in_feed_text_is_shown_literally(make_app: AppFactory) -> None:
    app = make_app()
    messages = capture_notifications(app)
    async with app.run_test(size=WIDE) as pilot:
        screen = main_screen(pilot)
        await pilot.pause()
        lines = list_lines(pilot)
        assert "[@click=app.quit]click me[/] [bold" in lines[1]
        assert "Stocks fall [1/2] after [NATO]" in lines[2]
        sidebar_text = " ".join(str(o.prompt) for o in screen.sidebar.options)
        assert "[Sweden] Nordic" in sidebar_text
        await pilot.click("#articles", offset=(40, 1))
        await pilot.click("#articles", offset=(40, 1))  # second click on the cursor row opens
        await pilot.pause()
        assert app.is_running
        header = str(screen.reader.query_one("#article-header", Static).content)
        assert header.startswith("[@click=app.quit]click me[/] [bold red]FAKE[/] NATO")
        await pilot.click("#article-header", offset=(3, 0))
        await pilot.pause()
        assert app.is_running
        screen.listing.run_search("[@click=app.quit]")
        await pilot.pause()
        assert app.is_running and all("[" not in m or "markup" not in m for m in messages)


async def test_narrow_terminal_shows_one_pane_at_a_time(make_app: AppFactory) -> None:
    async with make_app().run_test(size=(80, 24)) as pilot:
        screen = main_screen(pilot)
        assert screen.panes.narrow
        assert screen.article_list.display and screen.article_list.region.width == 80
        assert width(screen.sidebar) == 0 and width(screen.reader) == 0
        await press(pilot, "enter")
        assert width(screen.reader) == 80 and width(screen.article_list) == 0
        await press(pilot, "q")  # back, not quit, in a narrow reader
        assert pilot.app.is_running and screen.panes.active == "list"
        assert screen.article_list.region.width == 80
        await press(pilot, "tab")
        assert screen.panes.active == "reader" and screen.reader.region.width == 80
        await press(pilot, "tab")
        assert screen.panes.active == "quotes" and screen.reader.quotes.region.width > 70
        await press(pilot, "tab")
        assert screen.panes.active == "sidebar" and screen.sidebar.region.width == 80
        await press(pilot, "escape")
        assert screen.panes.active == "list"


async def test_narrow_layout_fits_80_by_24(make_app: AppFactory) -> None:
    async with make_app().run_test(size=(80, 24)) as pilot:
        screen = main_screen(pilot)
        for widget in (
            screen.article_list,
            screen.query_one(StatusBar),
            screen.query_one("#hints"),
        ):
            assert widget.region.right <= 80 and widget.region.bottom <= 24
        assert all(len(line) <= 80 for line in list_lines(pilot))
        await press(pilot, "enter")
        assert screen.reader.region.bottom <= 22


async def test_resizing_switches_between_layouts(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=WIDE) as pilot:
        screen = main_screen(pilot)
        assert not screen.panes.narrow and screen.sidebar.region.width > 0
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        assert screen.panes.narrow and screen.sidebar.region.width == 0


async def test_quote_panel_scrolls_the_body_to_the_quote(tmp_path: Path) -> None:
    filler = "\n\n".join(f"Paragraph {n} on the alliance." for n in range(40))
    body = f'{filler}\n\nAt the end, "We will defend every inch," Joe Biden said.'
    path = tmp_path / "quotes.sqlite3"
    doc = Doc(
        "NATO quote at the end",
        body,
        topics=("alliance",),
        quotes=(("We will defend every inch,", "Joe Biden"),),
    )
    build_store(path, {DEFENCE: (doc,)})
    app = NatoreadApp(make_config([DEFENCE]), path, autopoll=False)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = main_screen(pilot)
        await press(pilot, "enter")
        body_widget = screen.reader.body
        assert body_widget.scroll_y == 0
        await press(pilot, "tab")
        assert screen.panes.active == "quotes"
        await press(pilot, "enter")
        await wait_until(pilot, lambda: body_widget.scroll_y > 40)  # scrolled to the quote
        last = str(list(body_widget.query(".paragraph").results(Static))[-1].content)
        assert "Joe Biden said" in last


async def test_poll_brings_new_articles_and_keeps_the_cursor(
    tmp_path: Path, server: FeedServer
) -> None:
    url = server.add("/f.xml", feedgen.rss(feedgen.items(3)))
    path = tmp_path / "poll.sqlite3"
    config = make_config([url])
    app = NatoreadApp(config, path, autopoll=True)
    async with app.run_test(size=WIDE) as pilot:
        screen = main_screen(pilot)
        await wait_until(
            pilot, lambda: screen.polls.progress is None and screen.polls.new_articles == 3
        )
        assert "3 new" in status_text(app) and "last poll" in status_text(app)
        await press(pilot, "a")
        assert len(screen.article_list.ids) == 3
        await press(pilot, "j")
        kept = screen.article_list.current_id
        server.add("/f.xml", feedgen.rss(feedgen.items(2, prefix="Fresh") + feedgen.items(3)))
        await press(pilot, "r")
        await wait_until(
            pilot, lambda: screen.polls.progress is None and screen.polls.new_articles == 5
        )
        assert len(screen.article_list.ids) == 5
        assert screen.article_list.current_id == kept
    with Store(path) as store:
        assert store.count_articles(ArticleQuery()) == 5
        # The reader's passes index what they stored: the new articles are searchable.
        assert store.pending_count() == 0
        found = "SELECT COUNT(*) FROM article_fts WHERE article_fts MATCH 'fresh'"
        assert store.execute(found) == [(2,)]


POOL_FEEDS = 20


async def test_a_big_poll_runs_its_worker_processes_inside_the_app(
    tmp_path: Path, server: FeedServer
) -> None:
    # Enough feeds for the process pool. The app captures sys.stderr (fileno -1), which
    # once kept multiprocessing's helper process from starting: every poll failed.
    padding = "<!--" + "x" * POOL_BACKLOG_BYTES + "-->"  # enough waiting work for the pool
    urls = [
        server.add(f"/p{n}.xml", feedgen.rss(feedgen.items(2, prefix=f"Pool{n}")))
        for n in range(POOL_FEEDS)
    ]
    server.add(
        "/p0.xml",
        feedgen.rss(feedgen.items(2, prefix="Pool0")).replace("<channel>", "<channel>" + padding),
    )
    app = NatoreadApp(make_config(urls), tmp_path / "pool.sqlite3", autopoll=True)
    async with app.run_test(size=WIDE) as pilot:
        screen = main_screen(pilot)

        def polled() -> bool:
            return screen.polls.progress is None and "poll never" not in status_text(app)

        await wait_until(pilot, polled, timeout=30)
        assert screen.polls.new_articles == 2 * POOL_FEEDS, status_text(app)


async def test_a_pass_with_nothing_due_does_not_count_as_a_poll(
    tmp_path: Path, server: FeedServer
) -> None:
    url = server.add("/due.xml", feedgen.rss(feedgen.items(2)))
    path = tmp_path / "due.sqlite3"

    async def start_and_poll() -> datetime | None:
        app = NatoreadApp(make_config([url]), path, autopoll=True)
        async with app.run_test(size=WIDE) as pilot:
            screen = main_screen(pilot)
            await wait_until(pilot, lambda: screen.polls.passes == 1 and not list(app.workers))
            return screen.status.last_poll

    await start_and_poll()
    shown = await start_and_poll()  # finds nothing due
    with Store(path) as store:
        (health,) = store.feeds_health([url])
    assert len(server.requests) == 1
    assert shown == health.last_fetch


async def test_failing_feed_shows_in_status_and_errors(tmp_path: Path, server: FeedServer) -> None:
    good = server.add("/ok.xml", feedgen.rss(feedgen.items(1)))
    missing = server.url("/missing.xml")
    app = NatoreadApp(make_config([good, missing]), tmp_path / "fail.sqlite3", autopoll=True)
    async with app.run_test(size=WIDE) as pilot:
        screen = main_screen(pilot)
        await wait_until(
            pilot, lambda: screen.polls.progress is None and "failing" in status_text(app)
        )
        assert "1 failing" in status_text(app)
        sidebar_text = " ".join(str(o.prompt) for o in screen.sidebar.options)
        assert "✗" in sidebar_text
        await press(pilot, "e")
        assert isinstance(app.screen, ErrorsScreen)
        text = str(app.screen.query_one("#errors", Static).content)
        assert "missing.xml" in text and "404" in text


async def test_empty_store_without_feeds_explains_what_to_do(tmp_path: Path) -> None:
    app = NatoreadApp(make_config([]), tmp_path / "empty.sqlite3", autopoll=True)
    async with app.run_test(size=(80, 24)) as pilot:
        empty = main_screen(pilot).query_one("#empty", Static)
        assert empty.region.height > 0
        text = str(empty.content)
        assert "No feeds yet" in text and "[[feeds]]" in text
        assert "/home/reader/.config/natoread/feeds.toml" in text


async def test_empty_store_while_polling_says_so(tmp_path: Path, server: FeedServer) -> None:
    url = server.add("/slow.xml", feedgen.rss(feedgen.items(1)), drip_s=0.002)
    app = NatoreadApp(make_config([url]), tmp_path / "empty.sqlite3", autopoll=True)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = main_screen(pilot)
        await wait_until(pilot, lambda: screen.polls.progress is not None)
        assert "Polling your feeds now" in str(screen.query_one("#empty", Static).content)
        await wait_until(pilot, lambda: screen.polls.progress is None)


async def test_command_palette_offers_actions_and_literal_feed_titles(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        provider = NatoreadCommands(app.screen)
        hits = [hit async for hit in provider.search("nordic") if isinstance(hit, Hit)]
        assert any(str(hit.match_display) == "Feed: [Sweden] Nordic" for hit in hits)
        star = [hit async for hit in provider.search("star")]
        assert star and all(str(h.help).startswith("Key:") for h in star)
        feed_hit = next(hit for hit in hits if "Nordic" in str(hit.match_display))
        feed_hit.command()
        await pilot.pause()
        assert main_screen(pilot).view.filter.label == "[Sweden] Nordic"


async def test_saved_search_in_sidebar(tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite3"
    build_store(path)
    config = make_config(
        [DEFENCE, NORDIC], searches=[{"name": "Kristersson", "query": "kristersson"}]
    )
    app = NatoreadApp(config, path, autopoll=False)
    async with app.run_test(size=WIDE) as pilot:
        screen = main_screen(pilot)
        await pilot.pause()
        screen.listing.apply_filter(screen.sidebar.filters()["search:0"])
        await pilot.pause()
        assert len(screen.article_list.ids) == 2


async def test_escape_sequences_in_stored_text_never_reach_the_terminal(tmp_path: Path) -> None:
    evil = "Evil \x1b]0;pwned\x07 \x1b[2J \x9b2J \u202eevil\u202c NATO"
    body = 'Body \x1b]52;c;ZXZpbA==\x07 "quoted \x1b[31mred" said Eve \x1b]8;;https://x/\x1b\\.'
    path = tmp_path / "esc.sqlite3"
    doc = Doc(evil, body, topics=("alliance",), quotes=(("quoted \x1b[31mred", "Eve \x1b[1m"),))
    build_store(path, {DEFENCE: (doc,)})
    app = NatoreadApp(make_config([DEFENCE]), path, autopoll=False)
    async with app.run_test(size=WIDE) as pilot:
        screen = main_screen(pilot)
        await press(pilot, "enter")
        rendered = [screen.article_list.render_line(0).text]
        rendered.append(str(screen.reader.query_one("#article-header", Static).content))
        rendered += [str(p.content) for p in screen.reader.body.query(".paragraph").results(Static)]
        rendered += [str(option.prompt) for option in screen.reader.quotes.options]
        joined = "".join(rendered)
        assert "Evil" in joined and "quoted" in joined
        assert not any(ch in joined for ch in "\x1b\x07\x9b\u202e")
        screenshot = app.export_screenshot()
        assert "\x1b" not in screenshot and "pwned" in screenshot


async def test_command_palette_runs_with_hostile_feed_titles(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        await press(pilot, "ctrl+p")
        await pilot.press(*"Sweden")
        await palette_highlights(pilot, "[Sweden] Nordic")
        await press(pilot, "enter")
        await wait_until(pilot, lambda: main_screen(pilot).view.filter.kind == "feed")
        assert app.is_running
        assert main_screen(pilot).view.filter.label == "[Sweden] Nordic"


async def test_poll_notifies_new_articles_in_chosen_topics(
    tmp_path: Path, server: FeedServer
) -> None:
    import sys

    entries = [
        feedgen.Item(
            title="Hungary ratifies Sweden's NATO accession",
            body="<p>NATO membership vote.</p>",
            guid="n",
        ),
        feedgen.Item(title="Local weather: rain", body="<p>Rain.</p>", guid="w"),
    ]
    # A feed's first poll notifies nothing (its backlog is not news): the match comes second.
    url = server.add("/n.xml", feedgen.rss(entries[1:], title="Wire"))
    log = tmp_path / "notified.txt"
    script = tmp_path / "notify.py"
    script.write_text(f"import sys\nopen({str(log)!r}, 'a').write(sys.argv[1] + '\\n')\n")
    settings = {
        "notify_topics": ["accession"],
        "notify_bell": True,
        "notify_command": [sys.executable, str(script)],
    }
    app = NatoreadApp(make_config([url], settings=settings), tmp_path / "n.sqlite3", autopoll=True)
    bells: list[int] = []
    app.bell = lambda: bells.append(1)  # type: ignore[method-assign]
    messages = capture_notifications(app)
    async with app.run_test(size=WIDE) as pilot:
        polls = main_screen(pilot).polls
        await wait_until(pilot, lambda: polls.passes == 1)
        server.add("/n.xml", feedgen.rss(entries, title="Wire"))
        await press(pilot, "r")
        await wait_until(pilot, lambda: "Hungary ratifies Sweden's NATO accession" in messages)
    assert log.read_text().splitlines() == ["Hungary ratifies Sweden's NATO accession"]
    assert bells == [1]
    assert not any("weather" in m for m in messages)


async def test_changed_topic_rules_show_their_re_tagging_before_the_poll(
    tmp_path: Path, server: FeedServer, monkeypatch: Any
) -> None:
    # The store's articles were tagged under other rules (none recorded), so the first pass
    # re-tags them all before planning; at 100,000 articles that takes ~20 s, which the
    # status line must show instead of a stuck "polling 0/0 feeds".
    url = server.add("/retag.xml", feedgen.rss(feedgen.items(2)))
    path = tmp_path / "retag.sqlite3"
    build_store(path)
    with Store(path) as store:
        stored = store.count_articles(ArticleQuery())
    shown: list[str] = []
    original = StatusBar.show

    def spy(self: StatusBar, state: Any) -> None:
        shown.append(status_content(state).plain)
        original(self, state)

    monkeypatch.setattr(StatusBar, "show", spy)
    app = NatoreadApp(make_config([url]), path, autopoll=True)
    async with app.run_test(size=WIDE) as pilot:
        screen = main_screen(pilot)
        await wait_until(
            pilot, lambda: screen.polls.progress is None and screen.polls.new_articles == 2
        )
    retagging = [text for text in shown if "re-tagging" in text]
    assert retagging, shown
    assert f"topic rules changed: re-tagging {stored}/{stored} articles" in retagging[-1]
    assert "polling…" in retagging[-1] and "0/0" not in " ".join(shown)
    assert "re-tagging" not in shown[-1]
