"""Command palette: every registry action, plus one entry per topic, feed and saved search.

Feed titles and saved-search names are hostile, so every entry's text goes through the
sanitiser (an "ESC]2;…BEL" in a title would otherwise retitle the terminal), and hits are
built as Content from plain strings; the matcher's own `highlight` parses markup and is never
given feed text.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Matcher, Provider
from textual.content import Content

from natoread.core.actions import ACTIONS
from natoread.core.text.sanitize import clean_line
from natoread.ui.keys import effective_keys, keys_label, method_name
from natoread.ui.screens.main import MainScreen
from natoread.ui.widgets.sidebar import Filter


def highlight_plain(matcher: Matcher, text: str) -> Content:
    """`text` as literal Content with the fuzzy-matched characters emphasised."""
    content = Content(text)
    score, offsets = matcher.fuzzy_search.match(matcher.query, text)
    if not score:
        return content
    for offset in offsets:
        if not text[offset].isspace():
            content = content.stylize("bold underline", offset, offset + 1)
    return content


class NatoreadCommands(Provider):
    """Actions and list filters for the command palette."""

    def _main(self) -> MainScreen | None:
        """The main screen, wherever the palette was opened from."""
        for screen in self.app.screen_stack:
            if isinstance(screen, MainScreen):
                return screen
        return None

    def _entries(self) -> list[tuple[str, Callable[[], object], str]]:
        """(sanitised text, command, help) for every entry; help never holds feed text."""
        return [(clean_line(text), command, help_text) for text, command, help_text in self._raw()]

    def _raw(self) -> list[tuple[str, Callable[[], object], str]]:
        """(text as given, command, help) for every entry."""
        main = self._main()
        if main is None:
            return []
        keymap = main.config.keys
        entries: list[tuple[str, Callable[[], object], str]] = []
        for action in ACTIONS:
            keys = keys_label(effective_keys(action, keymap))
            entries.append(
                (
                    action.description,
                    partial(main.run_action, method_name(action.name)),
                    f"Key: {keys}",
                )
            )
        for option_id, chosen in main.sidebar.filters().items():
            entries.append(self._filter_entry(main, option_id, chosen))
        return entries

    @staticmethod
    def _filter_entry(
        main: MainScreen, option_id: str, chosen: Filter
    ) -> tuple[str, Callable[[], object], str]:
        """A palette entry that filters the list like the sidebar entry does."""
        names = {"all": "Show", "topic": "Topic", "feed": "Feed", "search": "Saved search"}
        names["tag"] = "Tag"
        text = (
            "Show all articles" if chosen.kind == "all" else f"{names[chosen.kind]}: {chosen.label}"
        )
        return text, partial(main.listing.apply_filter, chosen), "Filter the article list"

    async def discover(self) -> Hits:
        """Every action, before anything is typed."""
        for text, command, help_text in self._entries():
            yield DiscoveryHit(Content(text), command, text=text, help=help_text)

    async def search(self, query: str) -> Hits:
        """Actions and filters that fuzzily match `query`."""
        matcher = self.matcher(query)
        for text, command, help_text in self._entries():
            score = matcher.match(text)
            if score > 0:
                yield Hit(score, highlight_plain(matcher, text), command, text=text, help=help_text)
