"""The parts of the reader pane: the scrolling body, its compact header, the quotes and other
versions panels, and the story an open article belongs to."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import OptionList, Static

from natoread.core.storage.records import ArticleDetail, ArticleRow
from natoread.ui.render import article_header

if TYPE_CHECKING:
    from natoread.core.analysis.stories import MergedQuote

PLACEHOLDER = Content.assemble(
    ("No article open.", "bold"), "\n\nPress Enter on an article in the list to read it here."
)


SIDE_QUOTES_WIDTH = 110
"""A reader at least this wide keeps the quotes panel beside the body."""
TALL_SCREEN = 36
"""Terminals at least this tall show the quotes panel under the body; shorter ones a summary."""


class ArticleBody(VerticalScroll):
    """The scrolling article text (its own widget so focus and paging target it); with a
    `text_width`, wider bodies pad both sides so lines stay that long."""

    DEFAULT_CSS = """
    ArticleBody {
        padding: 0 1;
        scrollbar-size-vertical: 1;
        & > .paragraph { margin-bottom: 1; }
        & > #article-header { border-bottom: solid $primary-muted; }
        & > #article-details { display: none; border-bottom: solid $primary-muted; }
    }
    """

    def __init__(self, *, text_width: int = 0, id: str | None = None) -> None:
        super().__init__(id=id)
        self.text_width = text_width
        """Longest line of text in cells (0: as wide as the pane)."""
        if text_width:
            self.styles.align_horizontal = "center"

    def capped(self, widget: Static) -> Static:
        """`widget` no wider than the text width (centred in a wider body)."""
        if self.text_width:
            widget.styles.max_width = self.text_width
        return widget


class ArticleHeader(Static):
    """Title (at most two lines, cut with an ellipsis) and the meta line, redrawn on resize."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(PLACEHOLDER, id=id, markup=False)
        self._shown: tuple[ArticleDetail, Sequence[tuple[int, int]]] | None = None

    def show(self, detail: ArticleDetail | None, search: Sequence[tuple[int, int]] = ()) -> None:
        """Show `detail`'s header, or the placeholder."""
        self._shown = None if detail is None else (detail, search)
        self._draw()

    def _draw(self) -> None:
        if self._shown is None:
            self.update(PLACEHOLDER)
            return
        detail, search = self._shown
        self.update(article_header(detail, search, width=self.content_region.width))

    def on_resize(self) -> None:
        self._draw()


class ReaderPanel(OptionList):
    """A list panel under the reader body: a rule on top, brighter when focused; each
    subclass keeps only what differs (its height cap, its wrapping)."""

    DEFAULT_CSS = """
    ReaderPanel {
        height: auto;
        border: none;
        border-top: solid $primary-muted;
        border-title-align: left;
        &:focus { border: none; border-top: solid $primary; }
    }
    """


class QuotesPanel(ReaderPanel):
    """Each quote with its speaker; highlighting one scrolls the body to it."""

    DEFAULT_CSS = """
    QuotesPanel { max-height: 30%; }
    """


class VersionsPanel(ReaderPanel):
    """The same story from other outlets; choosing one opens it."""

    DEFAULT_CSS = """
    VersionsPanel {
        max-height: 25%;
        text-wrap: nowrap;
        text-overflow: ellipsis;
    }
    """


@dataclass(frozen=True, slots=True)
class StoryContext:
    """The story an open article belongs to, when more than one outlet carries it."""

    sources: int
    """Distinct feeds that carry the story."""
    versions: tuple[ArticleRow, ...] = ()
    """The other articles of the story (not the open one), earliest first."""
    quotes: tuple[MergedQuote, ...] = ()
    """The story's quotes, each once with every outlet that printed it."""


def same_quote(local: str, merged: str) -> bool:
    """True when a quote of this article is (part of) a story quote."""
    from natoread.core.analysis.stories import quote_key

    mine, theirs = quote_key(local), quote_key(merged)
    return bool(mine) and (mine == theirs or f" {mine} " in f" {theirs} ")
