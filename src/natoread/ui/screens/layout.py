"""The pane layout of the main screen: which pane is active (shown alone when narrow), the
focus that goes with it, and moving within the active pane."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.widget import Widget
from textual.widgets import OptionList

if TYPE_CHECKING:
    from natoread.ui.screens.main import MainScreen

WIDE = 100
"""Terminals at least this wide show all three panes; narrower ones show one at a time."""
PANES = ("sidebar", "list", "reader", "quotes", "versions")
READER_PANES = ("reader", "quotes", "versions")
"""Panes shown inside the reader column."""


class PaneLayout:
    """The active pane and the keys that move within it; the screen's classes show it."""

    def __init__(self, screen: MainScreen) -> None:
        self.screen = screen
        self.active = "list"

    @property
    def narrow(self) -> bool:
        """True when one pane is shown at a time."""
        return self.screen.has_class("-narrow")

    @property
    def in_reader(self) -> bool:
        """True when the active pane is in the reader column."""
        return self.active in READER_PANES

    def widget_for(self, pane: str) -> Widget:
        """The focusable widget of a pane."""
        reader = self.screen.reader
        if pane == "sidebar":
            return self.screen.sidebar
        if pane == "reader":
            return reader.body
        if pane == "quotes":
            return reader.quotes
        if pane == "versions":
            return reader.versions
        return self.screen.article_list

    def _options(self) -> OptionList:
        """The option list of the active quotes or versions pane."""
        reader = self.screen.reader
        return reader.quotes if self.active == "quotes" else reader.versions

    def _show_column(self, pane: str) -> None:
        """Mark the column holding `pane` as the one shown (alone, when narrow); a folded
        quotes panel opens while it is the active pane."""
        self.screen.reader.peek_quotes(pane in ("quotes", "versions"))
        shown = "reader" if pane in READER_PANES else pane
        for name in ("sidebar", "list", "reader"):
            self.screen.set_class(name == shown, f"-pane-{name}")

    def set_pane(self, pane: str) -> None:
        """Make `pane` the active one (shown alone when narrow) and focus it."""
        self.active = pane
        self._show_column(pane)
        widget = self.widget_for(pane)
        if pane in ("quotes", "versions"):
            options = self._options()
            if options.highlighted is None and options.option_count:
                options.highlighted = 0
        self.screen.call_after_refresh(widget.focus)

    def focus_changed(self, focused: Widget | None) -> None:
        """Track the pane that holds the focus (mouse clicks change it too)."""
        for pane in PANES:
            if focused is not None and focused is self.widget_for(pane):
                if pane != self.active:
                    self.active = pane
                    self._show_column(pane)
                return

    def cycle(self) -> None:
        """Focus the next pane (sidebar → list → reader → quotes → other versions)."""
        reader = self.screen.reader
        controls = self.screen.controls
        panes = ["reader"] if controls.zen else ["sidebar", "list", "reader"]
        if controls.sidebar_hidden and not self.narrow and "sidebar" in panes:
            panes.remove("sidebar")
        if reader.detail is not None and reader.quotes.option_count:
            panes.append("quotes")
        if reader.detail is not None and reader.versions.option_count:
            panes.append("versions")
        current = self.active if self.active in panes else panes[0]
        self.set_pane(panes[(panes.index(current) + 1) % len(panes)])

    # -- moving within the active pane ----------------------------------------------------------

    def step(self, delta: int) -> None:
        """Move one item (or line) down or up in the active pane."""
        if self.active == "list":
            self.screen.article_list.move_by(delta)
        elif self.active == "sidebar":
            sidebar = self.screen.sidebar
            sidebar.action_cursor_down() if delta > 0 else sidebar.action_cursor_up()
        elif self.active in ("quotes", "versions"):
            options = self._options()
            options.action_cursor_down() if delta > 0 else options.action_cursor_up()
        else:
            body = self.screen.reader.body
            body.scroll_down(animate=False) if delta > 0 else body.scroll_up(animate=False)

    def edge(self, *, last: bool) -> None:
        """Go to the first or last item of the active pane."""
        if self.active == "list":
            articles = self.screen.article_list
            articles.move_to(len(articles.ids) - 1 if last else 0)
        elif self.active == "sidebar":
            sidebar = self.screen.sidebar
            sidebar.action_last() if last else sidebar.action_first()
        elif self.active in ("quotes", "versions"):
            options = self._options()
            options.action_last() if last else options.action_first()
        else:
            body = self.screen.reader.body
            body.scroll_end(animate=False) if last else body.scroll_home(animate=False)

    def page(self, direction: int) -> None:
        """Page the reader (the list when no article is visible, the sidebar when active)."""
        reader = self.screen.reader
        reader_visible = reader.detail is not None and (not self.narrow or self.in_reader)
        if self.active == "sidebar":
            sidebar = self.screen.sidebar
            # OptionList's paging actions are not annotated in Textual 8.2.
            if direction > 0:
                sidebar.action_page_down()  # type: ignore[no-untyped-call]
            else:
                sidebar.action_page_up()  # type: ignore[no-untyped-call]
        elif reader_visible:
            body = reader.body
            body.scroll_page_down(animate=False) if direction > 0 else body.scroll_page_up(
                animate=False
            )
        else:
            self.screen.article_list.page(direction)
