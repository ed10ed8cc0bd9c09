"""The `B` screen, the accession board: one row per country with its weekly coverage, total,
latest headline and latest quote. Enter lists the country's articles in the main list."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option
from textual.worker import Worker, WorkerState

from natoread.core.storage.board import CountryRow
from natoread.core.storage.store import Store
from natoread.ui.keys import bindings_for
from natoread.ui.render import list_date, neutralise
from natoread.ui.screens.ledger import stored_quote_marks
from natoread.ui.widgets.key_hints import screen_hints

LEVELS = "▁▂▃▄▅▆▇█"
TITLE = "Accession board · matching articles naming each country, weekly for 8 weeks"


def board_query(country: str) -> str:
    """The search that lists a country's board articles: its name as a phrase, matches only."""
    return f'"{" ".join(country.replace(chr(34), " ").split())}" is:matching'


def sparkline(weekly: Sequence[int], peak: int) -> Content:
    """Weekly counts as block characters scaled to `peak` (empty weeks dim, never blank)."""
    parts: list[tuple[str, str]] = []
    for count in weekly:
        if count <= 0 or peak <= 0:
            parts.append((LEVELS[0], "dim"))
        else:
            level = 1 + round((count / peak) * (len(LEVELS) - 2))
            parts.append((LEVELS[min(level, len(LEVELS) - 1)], "bold $text-accent"))
    return Content.assemble(*parts)


def country_item(row: CountryRow, name_width: int, peak: int) -> Content:
    """Three lines: country, sparkline and total; latest headline; latest quote naming it."""
    name = Content.styled(neutralise(row.country), "bold").truncate(name_width, ellipsis=True)
    parts: list[str | Content | tuple[str, str]] = [
        name.pad_right(max(0, name_width - name.cell_length)),
        " ",
        sparkline(row.weekly, peak),
        (f" {row.total:>5}", "bold"),
        (" article" if row.total == 1 else " articles", "dim"),
        "\n  ",
    ]
    if row.latest:
        latest = row.latest[0]
        parts.extend(
            [
                ("▸ ", "dim"),
                neutralise(latest.title),
                (f" — {neutralise(latest.feed_title)}, {list_date(latest.published)}", "dim"),
            ]
        )
    else:
        parts.append(("no matching article names it yet", "dim italic"))
    if row.quotes:
        item = row.quotes[0]
        text = " ".join(neutralise(item.quote.text).split())
        opening, closing = stored_quote_marks(item)
        speaker = neutralise(item.quote.speaker) if item.quote.speaker else "unattributed"
        parts.extend(
            [
                "\n  ",
                ("❝ ", "dim"),
                (f"{opening}{text}{closing}", "italic"),
                " — ",
                (speaker, "bold"),
                (f" ({neutralise(item.feed_title)})", "dim"),
            ]
        )
    return Content.assemble(*parts)


def _load_board(db_path: Path, countries: Sequence[str], now: int) -> list[CountryRow]:
    """The board rows, read on a worker thread through its own connection."""
    from natoread.core.storage.board import accession_board

    with Store(db_path) as store:
        return accession_board(store, countries, now)


@dataclass
class BoardLoaded(Message):
    """The board rows were counted."""

    rows: list[CountryRow]


class AccessionBoardScreen(Screen[str | None]):
    """The countries of `[settings] countries`; Enter returns the chosen country."""

    BINDINGS: ClassVar[list[BindingType]] = bindings_for(
        ["down", "up", "first", "last", "page-down", "page-up", "open", "back", "quit"]
    )
    AUTO_FOCUS = "#board"

    DEFAULT_CSS = """
    AccessionBoardScreen {
        & > #board-title { height: 1; padding: 0 1; background: $panel; text-style: bold; }
        & > #board, & > #board:focus {
            height: 1fr;
            border: none;
            text-wrap: nowrap;
            text-overflow: ellipsis;
            & > .option-list--option { padding: 0 1; }
        }
        & > #board-hints {
            height: 1;
            padding: 0 1;
            background: $footer-background;
            color: $footer-foreground;
            text-wrap: nowrap;
        }
    }
    """

    def __init__(
        self, db_path: Path, countries: Sequence[str], keymap: Mapping[str, str], *, now: int
    ) -> None:
        super().__init__()
        self._db_path = db_path
        self._countries = tuple(countries)
        self._keymap = keymap
        self._now = now
        self.rows: list[CountryRow] | None = None
        """The board once counted (None while loading)."""

    def compose(self) -> ComposeResult:
        yield Static(Content(TITLE), id="board-title", markup=False)
        yield OptionList(id="board", markup=False)
        hints = [("open", "list its articles"), ("back", "back")]
        yield Static(screen_hints(self._keymap, hints), id="board-hints", markup=False)

    @property
    def board(self) -> OptionList:
        return self.query_one("#board", OptionList)

    def on_mount(self) -> None:
        if not self._countries:
            self._message("No countries configured: set countries = [...] in [settings].")
            return
        self._message(f"Counting articles for {len(self._countries)} countries…")
        self.load_board()

    def _message(self, text: str) -> None:
        """Show one disabled line instead of rows."""
        self.board.set_options([Option(Content.styled(text, "dim italic"), disabled=True)])

    @work(group="board", exclusive=True, exit_on_error=False)
    async def load_board(self) -> None:
        """Count the board on a thread, so a large store does not freeze the screen."""
        rows = await asyncio.to_thread(_load_board, self._db_path, self._countries, self._now)
        self.post_message(BoardLoaded(rows))

    def on_board_loaded(self, message: BoardLoaded) -> None:
        self.rows = message.rows
        name_width = min(24, max((len(row.country) for row in self.rows), default=8))
        peak = max((max(row.weekly, default=0) for row in self.rows), default=0)
        board = self.board
        board.set_options(
            Option(country_item(row, name_width, peak), id=f"country-{n}")
            for n, row in enumerate(self.rows)
        )
        board.highlighted = 0 if self.rows else None

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.worker.group == "board" and event.state == WorkerState.ERROR:
            self._message(f"The board could not be counted: {event.worker.error}")

    @on(OptionList.OptionSelected, "#board")
    def _country_chosen(self, event: OptionList.OptionSelected) -> None:
        if self.rows and 0 <= event.option_index < len(self.rows):
            self.dismiss(self.rows[event.option_index].country)

    # -- actions (keys from the action registry) ----------------------------------------------

    def action_down(self) -> None:
        """Next country."""
        self.board.action_cursor_down()

    def action_up(self) -> None:
        """Previous country."""
        self.board.action_cursor_up()

    def action_first(self) -> None:
        """First country."""
        self.board.action_first()

    def action_last(self) -> None:
        """Last country."""
        self.board.action_last()

    def action_page_down(self) -> None:
        """Page down."""
        self.board.action_page_down()  # type: ignore[no-untyped-call]

    def action_page_up(self) -> None:
        """Page up."""
        self.board.action_page_up()  # type: ignore[no-untyped-call]

    def action_open(self) -> None:
        """List the highlighted country's articles in the reader."""
        self.board.action_select()

    def action_back(self) -> None:
        """Back to the reader."""
        self.dismiss(None)

    def action_quit(self) -> None:
        """Back to the reader."""
        self.dismiss(None)
