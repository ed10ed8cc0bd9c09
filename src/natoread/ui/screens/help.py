"""The `?` help screen, generated from the action registry and the user's `[keys]`."""

from __future__ import annotations

from collections.abc import Mapping
from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content

from natoread.core.actions import ACTIONS
from natoread.ui.keys import effective_keys, keys_label
from natoread.ui.screens.text_modal import TextModal

SCREEN_NOTES = (
    (
        "Who said what",
        "speakers of the sidebar's topic (or all), most quoted first; their quotes newest "
        "first. / filters quotes and speakers; enter on a quote opens its article at the quote.",
    ),
    (
        "Accession board",
        'enter lists the articles naming the country (the search "Country" is:matching); '
        "esc clears it.",
    ),
    (
        "Reader",
        "a short terminal folds the quotes to one line (Q shows them); \\ hides the sidebar, "
        "z shows the article alone, i its link and why it matched. Names the article gives "
        "beside a quote are in bold; [Name] after a quote names a speaker the text calls "
        '"he" or named far away. text_width in [settings] caps the line length.',
    ),
    (
        "Search",
        'words (all required), "a phrase", OR, -word or NOT word, word*, speaker:NAME, '
        "topic:NAME, feed:TITLE, since:7d or since:2026-01-31, is:unread|starred.",
    ),
    (
        "Stories",
        '"N sources" marks a story several outlets carry; its other versions and merged '
        "quotes show under the article. ctrl+p → One row per story collapses the list.",
    ),
)
"""How the secondary screens and views behave (shown under the key table)."""


def help_content(keymap: Mapping[str, str]) -> Content:
    """A two-column table of keys and what they do."""
    rows = [(keys_label(effective_keys(action, keymap)), action) for action in ACTIONS]
    width = max(len(keys) for keys, _ in rows) + 2
    parts: list[str | tuple[str, str]] = [("Keys", "bold $text-accent"), "\n\n"]
    for keys, action in rows:
        parts.append((keys.ljust(width), "bold"))
        parts.append(action.description)
        parts.append("\n")
    parts.append(("\nOn the other screens", "bold $text-accent"))
    parts.append("\n\n")
    for title, text in SCREEN_NOTES:
        parts.extend([(title, "bold"), "  ", text, "\n"])
    parts.append(
        "\nctrl+p opens the command palette. Rebind keys in the [keys] table of feeds.toml"
    )
    return Content.assemble(*parts)


class HelpScreen(TextModal):
    """Every key, as configured."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,question_mark,h", "dismiss", "Close", id="help-close"),
        Binding("g,home", "scroll_to(False)", show=False, id="help-top"),
        Binding("G,end", "scroll_to(True)", show=False, id="help-end"),
        Binding("space,pagedown", "page(1)", show=False, id="help-page-down"),
        Binding("b,pageup", "page(-1)", show=False, id="help-page-up"),
    ]

    DEFAULT_CSS = """
    HelpScreen > VerticalScroll {
        width: 70;
    }
    """

    def __init__(self, keymap: Mapping[str, str]) -> None:
        super().__init__()
        self._keymap = keymap

    def content(self) -> Content:
        """The key table."""
        return help_content(self._keymap)

    def action_scroll_to(self, end: bool) -> None:
        """Go to the top (g) or the end (G) of the help."""
        scroll = self.query_one(VerticalScroll)
        scroll.scroll_end(animate=False) if end else scroll.scroll_home(animate=False)

    def action_page(self, direction: int) -> None:
        """Page the help down or up."""
        scroll = self.query_one(VerticalScroll)
        if direction > 0:
            scroll.scroll_page_down(animate=False)
        else:
            scroll.scroll_page_up(animate=False)
