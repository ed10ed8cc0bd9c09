"""A centred, scrollable modal showing one block of (plain-text) Content."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static


class TextModal(ModalScreen[None]):
    """Shows `content()` in a bordered box; j/k scroll, the close keys dismiss."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j,down", "scroll_down", show=False),
        Binding("k,up", "scroll_up", show=False),
    ]

    DEFAULT_CSS = """
    TextModal {
        align: center middle;
        & > VerticalScroll {
            width: 80;
            max-width: 100%;
            height: auto;
            max-height: 90%;
            border: round $primary;
            padding: 0 1;
            background: $surface;
        }
    }
    """

    CONTENT_ID: ClassVar[str | None] = None
    """Id of the Static holding the content (for tests and CSS)."""

    def content(self) -> Content:
        """What the modal shows."""
        raise NotImplementedError

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Static(self.content(), id=self.CONTENT_ID, markup=False)

    def action_scroll_down(self) -> None:
        """Scroll down."""
        self.query_one(VerticalScroll).scroll_down()

    def action_scroll_up(self) -> None:
        """Scroll up."""
        self.query_one(VerticalScroll).scroll_up()
