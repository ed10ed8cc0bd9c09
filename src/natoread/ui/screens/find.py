"""Find in the article (`/` while the reader has the focus): every match of the words in the
body highlighted, the current one in reverse, n / N to the next / previous, esc to end.

It searches the paragraphs as the reader shows them (quote marks and speaker insertions
included, case folded by `casefold`, accents kept as written), so what is found is what is
seen.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from textual.content import Content
from textual.widgets import Static

from natoread.core.text.sanitize import clean_line
from natoread.ui.screens.triage_dialogs import NameInputScreen

if TYPE_CHECKING:
    from natoread.ui.screens.main import MainScreen

FOUND_STYLE = "on $warning 40%"
"""Every match in the body."""
CURRENT_STYLE = "reverse bold"
"""The match n / N stepped to."""


def find_spans(blocks: list[Content], words: str) -> list[tuple[int, int, int]]:
    """(block, start, end) of each match of `words` in the blocks' plain text, in order."""
    needle = words.casefold()
    if not needle.strip():
        return []
    found: list[tuple[int, int, int]] = []
    for number, block in enumerate(blocks):
        text, sought = block.plain.casefold(), needle
        if len(text) != len(block.plain):
            # casefold changed lengths (ß → ss), so offsets would not be the block's: match
            # both sides lowercased instead, as written.
            text, sought = block.plain.lower(), words.lower()
        start = text.find(sought)
        while start >= 0:
            found.append((number, start, start + len(sought)))
            start = text.find(sought, start + len(sought))
    return found


@dataclass
class Finder:
    """The state of find-in-article on the main screen."""

    screen: MainScreen
    words: str = ""
    article_id: int | None = None
    matches: list[tuple[int, int, int]] = field(default_factory=list)
    current: int = 0
    note: str = ""
    """What the status line says of the find under way ("find “nato”: 1/3 …")."""

    @property
    def active(self) -> bool:
        """True while matches are shown in the article still open."""
        return bool(self.words) and self.article_id == self.screen.reader.article_id

    def start(self) -> None:
        """Ask for the words to find in the open article."""
        screen = self.screen
        if screen.reader.detail is None:
            screen.notify("Open an article first (enter).", markup=False)
            return
        hint = "enter: find · n / N: next / previous · esc: end"
        screen.app.push_screen(NameInputScreen("Find in the article:", [], hint), self._words_given)

    def _words_given(self, words: str | None) -> None:
        screen = self.screen
        self.end()
        if not words:
            return
        self.words = words
        self.article_id = screen.reader.article_id
        self.matches = find_spans(screen.reader.blocks, words)
        self.current = 0
        self.show()

    def step(self, step: int) -> bool:
        """Go to the next (or previous) match; False when find is not on (n/N do their usual)."""
        if not self.active:
            return False
        if self.matches:
            self.current = (self.current + step) % len(self.matches)
        self.show()
        return True

    def show(self) -> None:
        """Highlight every match, the current one apart, scroll to it and say where it is."""
        screen = self.screen
        reader = screen.reader
        shown = clean_line(self.words, 40)
        if not self.matches:
            self.note = f"find “{shown}”: not in this article"
            screen.update_status(activity=screen.activity_text())
            return
        self._paint()
        block, start, _ = self.matches[self.current]
        reader.scroll_to_text(block, start)
        where = f"{self.current + 1}/{len(self.matches)}"
        self.note = f"find “{shown}”: {where} (n / N: next / previous, esc ends)"
        screen.update_status(activity=screen.activity_text())

    def _paint(self, *, clear: bool = False) -> None:
        """Draw the paragraphs with the matches marked (or without, to end)."""
        reader = self.screen.reader
        blocks = reader.blocks
        paragraphs = list(reader.body.query(".paragraph").results(Static))
        if len(paragraphs) != len(blocks):
            return
        marked = dict(enumerate(blocks))
        if not clear:
            for index, (block, start, end) in enumerate(self.matches):
                style = CURRENT_STYLE if index == self.current else FOUND_STYLE
                marked[block] = marked[block].stylize(style, start, end)
        touched = {block for block, _, _ in self.matches}
        for block in touched:
            paragraphs[block].update(marked[block])

    def end(self) -> bool:
        """Stop finding (the highlights go); True when find was on."""
        was = self.active
        if was:
            self._paint(clear=True)
        self.words, self.matches, self.article_id = "", [], None
        if self.note:
            self.note = ""
            self.screen.update_status(activity=self.screen.activity_text())
        return was
