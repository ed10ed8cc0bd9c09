"""The small dialogs of triage: a yes/no confirmation with the count, a name input with
completion (tags, a feed's address), and a numbered menu (bulk actions, an article's links).

Every text shown comes from the caller already sanitised or is built here from plain strings;
nothing is parsed as markup.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.suggester import SuggestFromList
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from natoread.core.text.sanitize import clean_line

DIALOG_CSS = """
{name} {{
    align: center middle;
    & > Vertical {{
        width: 72;
        max-width: 100%;
        height: auto;
        max-height: 80%;
        border: round $primary;
        background: $panel;
        padding: 0 1;
    }}
    & .question {{ width: 100%; }}
    & .hint {{ color: $text-muted; width: 100%; }}
    & OptionList {{ height: auto; max-height: 20; border: none; }}
}}
"""


class ConfirmScreen(ModalScreen[bool]):
    """A one-line question answered with y (or enter) / n (or esc)."""

    DEFAULT_CSS = DIALOG_CSS.format(name="ConfirmScreen")
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y,enter", "answer(True)", "Yes"),
        Binding("n,escape,q", "answer(False)", "No"),
    ]

    def __init__(self, question: str) -> None:
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(self.question, classes="question", markup=False)
            yield Static("y / enter: yes · n / esc: no", classes="hint", markup=False)

    def action_answer(self, yes: bool) -> None:
        """Close with the answer."""
        self.dismiss(yes)


class NameInputScreen(ModalScreen[str | None]):
    """A one-line input with completion from `choices` (right arrow or tab takes it)."""

    DEFAULT_CSS = DIALOG_CSS.format(name="NameInputScreen")
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, prompt: str, choices: Sequence[str], hint: str = "") -> None:
        super().__init__()
        self.prompt = prompt
        self.choices = [clean_line(choice, 200) for choice in choices]
        self.hint = hint

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(self.prompt, classes="question", markup=False)
            yield Input(
                suggester=SuggestFromList(self.choices, case_sensitive=False),
                id="name-input",
            )
            hint = self.hint or "enter: ok · → completes · esc: cancel"
            yield Static(hint, classes="hint", markup=False)

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.dismiss(event.value.strip() or None)

    def action_cancel(self) -> None:
        """Close without a name."""
        self.dismiss(None)


class MenuScreen(ModalScreen[tuple[int, str] | None]):
    """A numbered menu: enter (or the item's number) chooses an item ("open"); the keys in
    `extra` (key → verb, e.g. y → "copy") choose it for another verb."""

    DEFAULT_CSS = DIALOG_CSS.format(name="MenuScreen")
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q", "cancel", "Cancel"),
        Binding("j", "cursor(1)", "Down", show=False),
        Binding("k", "cursor(-1)", "Up", show=False),
    ]

    def __init__(
        self,
        title: str,
        items: Sequence[str],
        *,
        extra: dict[str, str] | None = None,
        hint: str = "",
    ) -> None:
        super().__init__()
        self.title_text = title
        self.items = [clean_line(item, 300) for item in items]
        self.extra = extra or {}
        self.hint = hint

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(self.title_text, classes="question", markup=False)
            options = [
                Option(f"{number:>2}. {item}" if number < 10 else f"{number}. {item}")
                for number, item in enumerate(self.items, 1)
            ]
            yield OptionList(*options, markup=False)
            if self.hint:
                yield Static(self.hint, classes="hint", markup=False)

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    def action_cursor(self, step: int) -> None:
        """Move the highlight."""
        menu = self.query_one(OptionList)
        if step > 0:
            menu.action_cursor_down()
        else:
            menu.action_cursor_up()

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss((event.option_index, "open"))

    def on_key(self, event: events.Key) -> None:
        """A digit chooses that item; an `extra` key chooses the highlighted one for its verb."""
        key = event.character or ""
        menu = self.query_one(OptionList)
        if key.isdigit() and 1 <= int(key) <= min(9, len(self.items)):
            event.stop()
            self.dismiss((int(key) - 1, "open"))
        elif key in self.extra and menu.highlighted is not None:
            event.stop()
            self.dismiss((menu.highlighted, self.extra[key]))

    def action_cancel(self) -> None:
        """Close without a choice."""
        self.dismiss(None)
