"""What the reader hands elsewhere: `|` pipes the open article as Markdown to `pipe_command`
(the reader suspended), `L` lists its links to open or copy, `c` copies a quote as a
citation, and the palette's "Add feed…" (discovery on a thread, then feeds.toml, then a poll).
"""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from textual.app import SuspendNotSupported

from natoread.core.articles_markdown import article_markdown, citation
from natoread.core.storage.records import ArticleDetail
from natoread.core.text.sanitize import clean_line, safe_url
from natoread.ui.links import copy_link, copy_link_text, open_link
from natoread.ui.screens.triage_dialogs import MenuScreen, NameInputScreen

if TYPE_CHECKING:
    from natoread.core.feeds.discover import Discovery
    from natoread.ui.screens.main import MainScreen

NO_PIPE = 'No pipe_command in [settings] of feeds.toml (e.g. pipe_command = ["less"]).'


def article_links(detail: ArticleDetail) -> list[str]:
    """The article's own link first, then every http(s) link in its text, each once."""
    found = [safe_url(detail.row.link), *(safe_url(link) for link in detail.links)]
    return list(dict.fromkeys(link for link in found if link))


class ArticleTools:
    """The keys that hand the open article (or a quote of it) to something else."""

    def __init__(self, screen: MainScreen) -> None:
        self.screen = screen

    def _detail(self) -> ArticleDetail | None:
        """The article open in the reader, else the one under the cursor (read from the store)."""
        screen = self.screen
        if (detail := screen.reader.detail) is not None:
            return detail
        row = screen.target_article()
        if row is None:
            return None
        from natoread.core.reading import article_detail

        return article_detail(screen.store, row.id)

    def pipe(self) -> None:
        """Pipe the article as Markdown to `pipe_command`, with the terminal handed over."""
        from natoread.core.system.pipe import pipe_text

        screen = self.screen
        command = screen.config.settings.pipe_command
        if not command:
            screen.notify(NO_PIPE, severity="warning", markup=False)
            return
        detail = self._detail()
        if detail is None:
            return
        text = article_markdown(detail)
        app = screen.app
        if app.is_web:
            screen.notify("Piping runs on the server; not from a browser.", markup=False)
            return
        try:
            with app.suspend():
                result = pipe_text(command, text)
        except SuspendNotSupported:  # no terminal to hand over (tests, a headless driver)
            result = pipe_text(command, text, capture=True)
        if result.problem:
            screen.notify(result.problem, severity="warning", markup=False)
        else:
            screen.notify("Piped the article.", markup=False)

    def links(self) -> None:
        """List the article's links, numbered: enter (or the number) opens one, y copies it."""
        screen = self.screen
        detail = self._detail()
        if detail is None:
            return
        links = article_links(detail)
        if not links:
            screen.notify("This article has no http(s) links.", markup=False)
            return
        menu = MenuScreen(
            f"Links of “{clean_line(detail.row.title, 50)}”",
            links,
            extra={"y": "copy", "c": "copy"},
            hint="enter or 1-9: open · y: copy · esc: close",
        )
        screen.app.push_screen(menu, partial(self._link_chosen, links))

    def _link_chosen(self, links: list[str], choice: tuple[int, str] | None) -> None:
        if choice is None:
            return
        index, verb = choice
        if verb == "copy":
            copy_link(self.screen.app, links[index])
        else:
            open_link(self.screen.app, links[index])

    def cite(self) -> None:
        """Copy the quote highlighted in the panel (or selected in the text) as a citation."""
        screen = self.screen
        reader = screen.reader
        detail = reader.detail
        index = reader.current_quote() if detail is not None else None
        if detail is None or index is None:
            screen.notify("Choose a quote first (tab to the quotes panel).", markup=False)
            return
        cited = citation(detail.quotes[index], detail.row)
        copied = copy_link_text(screen.app, cited)
        screen.notify(copied[:1].upper() + copied[1:], markup=False)

    # -- adding a feed ------------------------------------------------------------------------

    def add_feed(self) -> None:
        """Ask for a feed's or a page's address, then find and add its feed."""
        screen = self.screen
        if screen.config.sync is not None:
            screen.notify(
                "With [sync] the server's feeds are the list: use natoread add URL.", markup=False
            )
            return
        hint = "a feed or a web page that announces one · enter: add · esc: cancel"
        screen.app.push_screen(NameInputScreen("Add feed:", [], hint), self._address_given)

    def config_path(self) -> Path:
        """The feeds.toml the reader was started with (or where it would be)."""
        source = self.screen.config.source
        if source.startswith("("):
            from natoread.core.paths import CONFIG_NAME, user_config_dir

            return user_config_dir() / CONFIG_NAME
        return Path(source)

    def _address_given(self, url: str | None) -> None:
        if not url:
            return
        from natoread.core.feeds.urls import same_feed_key

        screen = self.screen
        known = {same_feed_key(feed.url): feed for feed in screen.config.feeds}
        if same_feed_key(url) in known:
            screen.notify(f"Already a feed: {clean_line(url, 200)}", markup=False)
            return
        screen.update_status(activity=f"looking for a feed at {clean_line(url, 80)}…")
        screen.run_worker(
            partial(self._discover, url), name="add feed", group="add-feed", thread=True
        )

    def _discover(self, url: str) -> None:
        """On a thread: find the feed and add it to feeds.toml (comments and layout kept)."""
        from natoread.core.feeds.discover import discover_feeds
        from natoread.core.polling.plan import fetch_limits

        screen = self.screen
        try:
            found = discover_feeds(url, fetch_limits(screen.config))
        except Exception as exc:  # a failure of discovery is the user's one line, never a crash
            screen.app.call_from_thread(self._added, url, None, clean_line(str(exc), 200))
            return
        screen.app.call_from_thread(self._found, url, found)

    def _found(self, url: str, found: Discovery) -> None:
        from natoread.core.feeds.opml import OpmlFeed, add_feeds
        from natoread.core.feeds.urls import same_feed_key

        screen = self.screen
        if not found.feeds:
            self._added(url, None, found.problem or "no feed found")
            return
        chosen = found.feeds[0]
        if any(same_feed_key(f.url) == same_feed_key(chosen.url) for f in screen.config.feeds):
            self._added(url, None, f"already a feed: {chosen.url}")
            return
        try:
            result = add_feeds(self.config_path(), [OpmlFeed(chosen.url, chosen.title or None)])
        except (OSError, ValueError) as exc:
            self._added(url, None, clean_line(str(exc), 200))
            return
        if not result.added:
            self._added(url, None, result.skipped[0] if result.skipped else "not added")
            return
        self._added(chosen.url, chosen.title or chosen.url, None)

    def _added(self, url: str, title: str | None, problem: str | None) -> None:
        """Say how adding went; a new feed is read into the config and polled at once."""
        from natoread.core.config import load_config
        from natoread.core.errors import NatoreadError

        screen = self.screen
        screen.update_status(activity=screen.activity_text())
        if problem is not None or title is None:
            screen.update_status(error=f"add feed: {clean_line(url, 120)}: {problem}")
            return
        try:
            config = load_config(self.config_path())
        except NatoreadError as exc:
            screen.update_status(error=f"add feed: {clean_line(str(exc), 200)}")
            return
        screen.config = config
        screen.polls.config = config
        screen.listing.feeds_synced = False
        screen.notify(f"Added '{clean_line(title, 80)}' <{url}>; polling it now", markup=False)
        screen.listing.refresh_sidebar()
        screen.polls.start(True)
