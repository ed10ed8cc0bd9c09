"""The article's tools in the reader: find in the article (/ in the reader pane, n / N, esc),
| to pipe_command, L for the links, c for a citation, and "Add feed…" from the palette
through the loopback server."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.content import Content
from textual.widgets import Static

from natoread.core.config import load_config
from natoread.core.errors import ConfigError
from natoread.core.storage.records import ArticleQuery
from natoread.core.storage.store import Store
from natoread.ui.screens.find import find_spans
from natoread.ui.screens.triage_dialogs import MenuScreen, NameInputScreen
from natoread.ui.widgets.status_bar import status_content
from tests import feedgen
from tests.feedserver import FeedServer
from tests.ui.factory import make_config
from tests.ui.helpers import (
    AppFactory,
    capture_notifications,
    main_screen,
    palette_highlights,
    press,
    wait_until,
)

WIDE = (160, 40)


def styled_spans(paragraph: Static, style: str) -> list[str]:
    """The texts of a paragraph's spans drawn in `style`."""
    content = paragraph.content
    assert isinstance(content, Content)
    plain = content.plain
    return [plain[s.start : s.end] for s in content.spans if str(s.style) == style]


async def test_slash_in_the_reader_finds_in_the_article_with_next_and_previous(
    make_app: AppFactory,
) -> None:
    app = make_app()
    async with app.run_test(size=WIDE) as pilot:
        screen = main_screen(pilot)
        await press(pilot, "enter")
        screen.reader.body.focus()
        await pilot.pause()
        assert screen.panes.active == "reader"
        await press(pilot, "slash")
        assert isinstance(app.screen, NameInputScreen)
        await pilot.press(*"ALLIANCE", "enter")
        await pilot.pause()
        assert len(screen.finder.matches) == 2  # "the alliance met", "the whole alliance"

        def status() -> str:
            return status_content(screen.status).plain

        assert "find “ALLIANCE”: 1/2" in status()
        paragraphs = list(screen.reader.body.query(".paragraph").results(Static))
        assert styled_spans(paragraphs[0], "reverse bold") == ["alliance"]
        await press(pilot, "n")
        assert "2/2" in status()
        assert styled_spans(paragraphs[0], "reverse bold") == []
        await press(pilot, "n")
        assert "1/2" in status()  # wraps round
        await press(pilot, "N")
        assert "2/2" in status()
        await press(pilot, "escape")
        assert "find" not in status()
        assert not screen.finder.active
        assert all(styled_spans(p, "reverse bold") == [] for p in paragraphs)
        # n is next-unread again; / in the list is the search
        await press(pilot, "escape", "slash")
        assert screen.searching


async def test_pipe_sends_the_article_as_markdown_to_pipe_command(
    db_path: Path, tmp_path: Path, make_app: AppFactory
) -> None:
    out = tmp_path / "piped.md"
    config = make_config(settings={"pipe_command": f"sh -c 'cat > {out}'"})
    assert config.settings.pipe_command == ("sh", "-c", f"cat > {out}")
    app = make_app(config)
    messages = capture_notifications(app)
    async with app.run_test(size=WIDE) as pilot:
        await press(pilot, "enter", "vertical_line")
        text = out.read_text(encoding="utf-8")
        assert text.startswith("# NATO leaders meet in Vilnius")
        assert "https://defence.example/vilnius" in text
        assert messages[-1] == "Piped the article."
    app = make_app()  # no pipe_command: a one-line hint
    messages = capture_notifications(app)
    async with app.run_test(size=WIDE) as pilot:
        await press(pilot, "vertical_line")
        assert messages[-1].startswith("No pipe_command in [settings]")


async def test_L_lists_the_links_to_open_or_copy_and_c_cites_a_quote(
    make_app: AppFactory,
) -> None:
    app = make_app()
    async with app.run_test(size=WIDE) as pilot:
        screen = main_screen(pilot)
        await press(pilot, "enter", "L")
        assert isinstance(app.screen, MenuScreen)
        assert app.screen.items[0] == "https://defence.example/vilnius"
        await press(pilot, "y")
        assert app.clipboard == "https://defence.example/vilnius"
        screen.reader.quotes.focus()
        screen.reader.quotes.highlighted = 1
        await press(pilot, "c")
        assert app.clipboard.startswith("“Our accession makes the whole alliance stronger,” —")
        assert "Ulf Kristersson" in app.clipboard
        assert "https://defence.example/vilnius" in app.clipboard


async def test_add_feed_from_the_palette_discovers_adds_and_polls(
    server: FeedServer, db_path: Path, tmp_path: Path, make_app: AppFactory
) -> None:
    feed_url = server.add(
        "/feed.xml", feedgen.rss(feedgen.items(2, "Alliance"), title="Loopback News")
    )
    page_url = server.add(
        "/",
        f'<html><head><link rel="alternate" type="application/rss+xml" href="{feed_url}">'
        "</head><body>news</body></html>",
        content_type="text/html",
    )
    path = tmp_path / "feeds.toml"
    path.write_text("# my feeds\n", encoding="utf-8")
    app = make_app(load_config(path))
    async with app.run_test(size=WIDE) as pilot:
        screen = main_screen(pilot)
        await pilot.press("ctrl+p", *"Add feed")  # the palette offers every action
        await palette_highlights(pilot, "Add feed…")
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, NameInputScreen))
        await pilot.press(*page_url, "enter")
        await wait_until(pilot, lambda: any(f.url == feed_url for f in screen.config.feeds))
        assert "# my feeds" in path.read_text(encoding="utf-8")
        assert feed_url in path.read_text(encoding="utf-8")

        def polled() -> bool:
            with Store(db_path) as store:
                return any(
                    row.feed_title == "Loopback News"
                    for row in store.list_articles(ArticleQuery(), limit=100)
                )

        await wait_until(pilot, polled)


def test_a_pipe_command_that_names_no_command_is_a_one_line_config_error() -> None:
    for value, reason in (
        ([], "names no command"),
        ("", "names no command"),
        ("less 'unclosed", "cannot split"),
        (["less", 3], "expected a string"),
    ):
        with pytest.raises(ConfigError) as caught:
            make_config(settings={"pipe_command": value})
        message = str(caught.value)
        assert "settings.pipe_command" in message and "\n" not in message, message
        assert reason in message, message


@pytest.mark.parametrize(
    ("block", "words", "found"),
    [
        ("Die Straße nach Brüssel", "straße", "Straße"),
        ("Die Straße nach Brüssel", "STRASSE", None),  # as written, where offsets must hold
        ("DIE STRASSE NACH BRÜSSEL", "straße", "STRASSE"),
        ("Rutte in Den Haag", "den haag", "Den Haag"),
    ],
)
def test_find_matches_whatever_casefolding_does_to_lengths(
    block: str, words: str, found: str | None
) -> None:
    """A block whose casefolded text changes length (ß → ss) is still searched, and the span
    is the block's own characters."""
    spans = find_spans([Content(block)], words)
    if found is None:
        assert spans == []
    else:
        assert [block[start:end] for _, start, end in spans] == [found]
