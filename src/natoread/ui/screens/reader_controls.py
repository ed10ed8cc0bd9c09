"""The reader's modes and the keys that step through articles from it: the sidebar, quotes
panel and details toggles, the content-only (zen) mode, next/previous (unread) article, and
the theme, remembered in the store with the rest of the reader's state."""

from __future__ import annotations

from contextlib import suppress
from dataclasses import replace
from typing import TYPE_CHECKING

from textual.theme import Theme

from natoread.ui.store_writes import STORE_FAILURES

if TYPE_CHECKING:
    from natoread.ui.screens.main import MainScreen

THEME_KEY = "reader.theme"
"""The store's meta key holding the last theme chosen."""


class ReaderControls:
    """Toggles of what the screen shows, and moving between articles from the reader."""

    def __init__(self, screen: MainScreen) -> None:
        self.screen = screen
        self._saved_theme: str | None = None

    # -- what is shown ------------------------------------------------------------------------

    @property
    def zen(self) -> bool:
        """True in the content-only mode (the reader alone, no status or key lines)."""
        return self.screen.has_class("-zen")

    @property
    def sidebar_hidden(self) -> bool:
        """True when the user hid the sidebar column (wide terminals)."""
        return self.screen.has_class("-no-sidebar")

    @property
    def reader_visible(self) -> bool:
        """True when the reader column is on screen (always on wide terminals)."""
        panes = self.screen.panes
        return panes.in_reader or self.zen or not panes.narrow

    def toggle_sidebar(self) -> None:
        """Hide or show the sidebar; when one pane fits, go to it or back to the list."""
        screen = self.screen
        panes = screen.panes
        self.leave_zen()
        if panes.narrow:
            panes.set_pane("list" if panes.active == "sidebar" else "sidebar")
            return
        hide = not self.sidebar_hidden
        screen.set_class(hide, "-no-sidebar")
        if hide and panes.active == "sidebar":
            panes.set_pane("list")
        elif not hide:
            panes.set_pane("sidebar")

    def toggle_quotes(self) -> None:
        """Expand the quotes panel or fold it to its one-line summary."""
        screen = self.screen
        shown = screen.reader.toggle_quotes()
        if not shown and screen.panes.active in ("quotes", "versions"):
            screen.panes.set_pane("reader")

    def toggle_details(self) -> None:
        """Show or hide the article's author, link and why it matched."""
        reader = self.screen.reader
        if reader.detail is None:
            return
        if reader.toggle_details():
            reader.body.scroll_home(animate=False)
        if not self.reader_visible:
            self.screen.panes.set_pane("reader")

    def toggle_zen(self) -> None:
        """Enter or leave the content-only mode: the article alone on the whole screen."""
        screen = self.screen
        if self.leave_zen():
            return
        if screen.reader.detail is None:
            screen.notify("Open an article first (enter).", markup=False)
            return
        screen.add_class("-zen")
        screen.panes.set_pane("reader")

    def leave_zen(self) -> bool:
        """Back to the usual panes; True when the zen mode was on."""
        if not self.zen:
            return False
        self.screen.remove_class("-zen")
        self.screen.panes.set_pane("reader")
        return True

    # -- moving between articles ----------------------------------------------------------------

    async def step_unread(self, step: int) -> None:
        """Move to the next (or previous) unread article; open it when the reader is visible."""
        screen = self.screen
        articles = screen.article_list
        stored = set(screen.store.article_ids(replace(screen.view.query(), unread=True)))
        unread = screen.keeper.unread_view(stored)
        found = articles.find(articles.cursor + step, step, unread.__contains__)
        if found is None:
            screen.notify("No more unread articles here.", markup=False)
            return
        articles.move_to(found)
        if self.reader_visible:
            await screen.articles.open(articles.ids[found])

    async def step_article(self, step: int) -> None:
        """Open the article after (or before) the one in the reader."""
        screen = self.screen
        articles = screen.article_list
        reader_id = screen.reader.article_id
        if reader_id is not None and articles.current_id != reader_id:
            with suppress(ValueError):
                articles.move_to(articles.ids.index(reader_id))
        before = articles.cursor
        articles.move_by(step)
        if articles.cursor != before and (article_id := articles.current_id) is not None:
            await screen.articles.open(article_id)

    # -- theme ----------------------------------------------------------------------------------

    def restore_theme(self) -> None:
        """Apply the theme chosen last time, then remember every later change."""
        app = self.screen.app
        with suppress(*STORE_FAILURES):
            self._saved_theme = self.screen.store.get_meta(THEME_KEY)
        if self._saved_theme in app.available_themes:
            app.theme = self._saved_theme
        app.theme_changed_signal.subscribe(self.screen, self._remember_theme)

    def next_theme(self) -> None:
        """Switch to the next theme (remembered for the next start)."""
        app = self.screen.app
        names = sorted(app.available_themes)
        current = app.theme
        app.theme = names[(names.index(current) + 1) % len(names)] if current in names else names[0]
        self.screen.notify(f"Theme: {app.theme}", markup=False)

    def _remember_theme(self, theme: Theme) -> None:
        """Store the theme now shown (a store that cannot be written keeps the old one)."""
        if theme.name == self._saved_theme:
            return
        with suppress(*STORE_FAILURES):
            self.screen.store.set_meta(THEME_KEY, theme.name)
            self._saved_theme = theme.name
