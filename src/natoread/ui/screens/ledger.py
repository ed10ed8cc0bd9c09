"""The `w` screen, who said what: speakers ranked by quotes, each speaker's quotes, a filter."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from natoread.core.storage.records import StoredQuote
from natoread.core.storage.store import Store
from natoread.ui.keys import bindings_for
from natoread.ui.render import DEFAULT_MARKS, list_date, neutralise, written_marks
from natoread.ui.widgets.key_hints import screen_hints

QUOTE_LIMIT = 500
"""Most quotes listed for one speaker."""
FILTER_SCAN = 20_000
"""The filter looks through this many of the newest attributed quotes."""
QUOTE_CHARS = 300
FILTER_HINT = "Filter quotes and speakers (any words, any case)"


@dataclass(frozen=True, slots=True)
class LedgerChoice:
    """The quote chosen in the ledger: its article and where the quote starts in it."""

    article_id: int
    quote_start: int


@dataclass(frozen=True, slots=True)
class Speaker:
    """One line of the speakers list."""

    key: str
    name: str
    count: int


def speaker_item(speaker: Speaker, width: int) -> Content:
    """A speaker's name (feed text, literal) with the number of quotes right-aligned."""
    count = f" {speaker.count:>4}"
    name = Content(neutralise(speaker.name)).truncate(max(4, width - len(count)), ellipsis=True)
    return Content.assemble(name.pad_right(max(0, width - len(count) - name.cell_length)), count)


def stored_quote_marks(item: StoredQuote) -> tuple[str, str]:
    """The marks the article put around a stored quote, as the quotes panel shows them
    (`render.written_marks`, read from the two characters the store gives beside it)."""
    from natoread.core.analysis.records import Quote

    before, after = item.beside
    if not (before and after):
        return DEFAULT_MARKS
    return written_marks(before + after, Quote("", 1, 1, None, False))


def ledger_quote_item(item: StoredQuote) -> Content:
    """A quote with where and when it was printed: outlet · date · article title."""
    text = " ".join(neutralise(item.quote.text).split())
    if len(text) > QUOTE_CHARS:
        text = text[: QUOTE_CHARS - 1].rstrip() + "…"
    opening, closing = stored_quote_marks(item)
    parts: list[str | tuple[str, str]] = [(f"{opening}{text}{closing}", "italic")]
    if item.quote.partial:
        parts.append((" (partial)", "dim"))
    parts.append("\n  ")
    parts.append((neutralise(item.feed_title), "bold"))
    parts.append((f" · {list_date(item.published)} · ", "dim"))
    parts.append((neutralise(item.article_title), "dim"))
    return Content.assemble(*parts)


def matches(item: StoredQuote, needle: str) -> bool:
    """True when the quote's words or its speaker contain `needle`, compared without case,
    accents or script ('szijjarto' finds 'Szijjártó', 'rutte' finds 'Рютте')."""
    from natoread.core.analysis.quotes.names import fold_name

    folded = fold_name(needle)
    return folded in fold_name(item.quote.text) or folded in fold_name(item.quote.speaker or "")


class QuotesLedgerScreen(Screen[LedgerChoice | None]):
    """Speakers ranked by their quotes in one topic (or all); Enter on a quote opens it."""

    BINDINGS: ClassVar[list[BindingType]] = bindings_for(
        [
            "down",
            "up",
            "first",
            "last",
            "page-down",
            "page-up",
            "open",
            "back",
            "quit",
            "search",
            "cycle-pane",
        ]
    )
    AUTO_FOCUS = "#speakers"
    SPEAKERS_WIDTH = 26
    """Cells of a speakers line (the list is 32 wide: border, padding and scrollbar)."""

    DEFAULT_CSS = """
    QuotesLedgerScreen {
        & > #ledger-title { height: 1; padding: 0 1; background: $panel; text-style: bold; }
        & > #ledger-filter { height: 3; }
        & > Horizontal { height: 1fr; }
        & OptionList, & OptionList:focus {
            height: 1fr;
            border: none;
            border-top: solid $primary-muted;
            border-title-align: left;
        }
        & #speakers, & #speakers:focus {
            width: 32;
            border-right: vkey $primary-muted;
            text-wrap: nowrap;
            text-overflow: ellipsis;
        }
        & #ledger-quotes { width: 1fr; }
        & OptionList:focus { background-tint: $foreground 4%; border-title-style: bold; }
        & > #ledger-hints {
            height: 1;
            padding: 0 1;
            background: $footer-background;
            color: $footer-foreground;
            text-wrap: nowrap;
        }
    }
    """

    def __init__(self, store: Store, topic: str | None, keymap: Mapping[str, str]) -> None:
        super().__init__()
        self._store = store
        self._topic = topic
        self._keymap = keymap
        self._speakers: list[Speaker] = []
        self._quotes: list[StoredQuote] = []
        self._needle = ""
        self._scanned: list[StoredQuote] | None = None
        """The newest quotes of the topic, read once when the filter is first used."""
        self._found: tuple[str, list[StoredQuote]] | None = None
        """The filter last applied and the quotes it matched."""
        self._names: dict[str, str] | None = None
        """Person key → the name the unfiltered ledger shows, read when the filter is used."""
        self._persons: dict[str, str] | None = None
        """Stored speaker key → person listed (`Store.speaker_persons`), read with the scan."""

    def compose(self) -> ComposeResult:
        yield Static("", id="ledger-title", markup=False)
        yield Input(placeholder=FILTER_HINT, id="ledger-filter")
        with Horizontal():
            yield OptionList(id="speakers", markup=False)
            yield OptionList(id="ledger-quotes", markup=False)
        hints = [
            ("open", "open quote"),
            ("search", "filter"),
            ("cycle-pane", "switch list"),
            ("back", "back"),
        ]
        yield Static(screen_hints(self._keymap, hints), id="ledger-hints", markup=False)

    def on_mount(self) -> None:
        self.refill()

    # -- state --------------------------------------------------------------------------------

    @property
    def speakers_list(self) -> OptionList:
        return self.query_one("#speakers", OptionList)

    @property
    def quotes_list(self) -> OptionList:
        return self.query_one("#ledger-quotes", OptionList)

    @property
    def filter_box(self) -> Input:
        return self.query_one("#ledger-filter", Input)

    def _person(self, item: StoredQuote) -> str:
        """The person a scanned quote's speaker is listed under (as `Store.speakers` does)."""
        from natoread.core.analysis.quotes import speaker_key

        if self._persons is None:
            self._persons = self._store.speaker_persons()
        key = speaker_key(item.quote.speaker or "")
        return self._persons.get(key, key)

    def _filtered(self) -> list[StoredQuote]:
        """The quotes that match the filter, newest first: the scanned quotes whose words or
        speaker contain it, and every quote of the person it names, found as `natoread quotes
        --speaker` and `speaker:` find them ('Сийярто' finds 'Péter Szijjártó')."""
        if self._found is not None and self._found[0] == self._needle:
            return self._found[1]
        from natoread.core.storage.speakers import query_key

        if self._scanned is None:
            self._scanned = self._store.quotes_by_speaker(None, self._topic, FILTER_SCAN)
        found = [item for item in self._scanned if matches(item, self._needle)]
        seen = {(item.article_id, item.quote.start) for item in found}
        by_speaker = self._store.quotes_by_speaker(
            query_key(self._needle), self._topic, FILTER_SCAN, any_first_name=True
        )
        extra = [item for item in by_speaker if (item.article_id, item.quote.start) not in seen]
        if extra:
            found = sorted(
                found + extra, key=lambda item: (-item.published.timestamp(), item.quote.start)
            )
        self._found = (self._needle, found)
        return found

    def refill(self) -> None:
        """Rebuild the speakers (ranked by quotes, or by matching quotes while filtering)."""
        if self._needle:
            if self._names is None:  # a person is shown as the unfiltered ledger shows them
                self._names = {key: name for key, name, _ in self._store.speakers(self._topic)}
            counts: dict[str, tuple[str, int]] = {}
            for item in self._filtered():
                key = self._person(item)
                shown = self._names.get(key, item.quote.speaker or "")
                name, count = counts.get(key, (shown, 0))
                counts[key] = (name, count + 1)
            ranked = sorted(counts.items(), key=lambda kv: (-kv[1][1], kv[1][0]))
            self._speakers = [Speaker(key, name, count) for key, (name, count) in ranked]
        else:
            self._speakers = [Speaker(*row) for row in self._store.speakers(self._topic)]
        width = self.SPEAKERS_WIDTH
        speakers = self.speakers_list
        speakers.border_title = f"Speakers ({len(self._speakers)})"
        speakers.set_options(
            Option(speaker_item(speaker, width), id=f"speaker-{n}")
            for n, speaker in enumerate(self._speakers)
        )
        if not self._speakers:
            why = "No quote matches." if self._needle else "No attributed quotes yet."
            speakers.add_option(Option(Content.styled(why, "dim"), disabled=True))
        self._title()
        self.show_speaker(0 if self._speakers else None)
        if self._speakers:
            speakers.highlighted = 0

    def _title(self) -> None:
        """The line above the lists: topic, number of speakers and quotes."""
        scope = f"topic {self._topic}" if self._topic else "all topics"
        total = sum(speaker.count for speaker in self._speakers)
        quotes = "quote" if total == 1 else "quotes"
        text = f"Who said what · {scope} · {len(self._speakers)} speakers, {total} {quotes}"
        if self._needle:
            text += f" matching “{self._needle}”"
        self.query_one("#ledger-title", Static).update(Content(neutralise(text)))

    def show_speaker(self, index: int | None) -> None:
        """List the quotes of speaker `index`, newest first."""
        quotes = self.quotes_list
        if index is None or not 0 <= index < len(self._speakers):
            self._quotes = []
            quotes.clear_options()
            quotes.border_title = "Quotes"
            return
        speaker = self._speakers[index]
        if self._needle:
            self._quotes = [item for item in self._filtered() if self._person(item) == speaker.key]
            self._quotes = self._quotes[:QUOTE_LIMIT]
        else:
            self._quotes = self._store.quotes_by_speaker(speaker.key, self._topic, QUOTE_LIMIT)
        quotes.set_options(
            Option(ledger_quote_item(item), id=f"quote-{n}") for n, item in enumerate(self._quotes)
        )
        count = f"{len(self._quotes)} quote{'' if len(self._quotes) == 1 else 's'}"
        quotes.border_title = f"{neutralise(speaker.name)} · {count}, newest first"

    def choose_quote(self, index: int) -> None:
        """Leave the ledger and open the quote's article at the quote."""
        if 0 <= index < len(self._quotes):
            item = self._quotes[index]
            self.dismiss(LedgerChoice(item.article_id, item.quote.start))

    # -- events -------------------------------------------------------------------------------

    @on(OptionList.OptionHighlighted, "#speakers")
    def _speaker_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        self.show_speaker(event.option_index)

    @on(OptionList.OptionSelected, "#speakers")
    def _speaker_chosen(self, event: OptionList.OptionSelected) -> None:
        self._focus_quotes()

    @on(OptionList.OptionSelected, "#ledger-quotes")
    def _quote_chosen(self, event: OptionList.OptionSelected) -> None:
        self.choose_quote(event.option_index)

    @on(Input.Changed, "#ledger-filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        needle = " ".join(event.value.split()).casefold()
        if needle != self._needle:
            self._needle = needle
            self.refill()

    @on(Input.Submitted, "#ledger-filter")
    def _filter_submitted(self, event: Input.Submitted) -> None:
        self.speakers_list.focus()

    def _focus_quotes(self) -> None:
        quotes = self.quotes_list
        if quotes.option_count:
            if quotes.highlighted is None:
                quotes.highlighted = 0
            quotes.focus()

    # -- actions (keys from the action registry) ----------------------------------------------

    def _focused_list(self) -> OptionList | None:
        focused = self.focused
        return focused if isinstance(focused, OptionList) else None

    def action_down(self) -> None:
        """Move down (from the filter box: into the speakers)."""
        if (options := self._focused_list()) is not None:
            options.action_cursor_down()
        else:
            self.speakers_list.focus()

    def action_up(self) -> None:
        """Move up."""
        if (options := self._focused_list()) is not None:
            options.action_cursor_up()

    def action_first(self) -> None:
        """First item."""
        if (options := self._focused_list()) is not None:
            options.action_first()

    def action_last(self) -> None:
        """Last item."""
        if (options := self._focused_list()) is not None:
            options.action_last()

    def action_page_down(self) -> None:
        """Page down."""
        if (options := self._focused_list()) is not None:
            options.action_page_down()  # type: ignore[no-untyped-call]

    def action_page_up(self) -> None:
        """Page up."""
        if (options := self._focused_list()) is not None:
            options.action_page_up()  # type: ignore[no-untyped-call]

    def action_open(self) -> None:
        """Speakers: show their quotes; quotes: open the article at the quote."""
        if (options := self._focused_list()) is not None:
            options.action_select()

    def action_search(self) -> None:
        """Focus the filter box."""
        self.filter_box.focus()

    def action_cycle_pane(self) -> None:
        """Filter → speakers → quotes → filter."""
        focused = self.focused
        if focused is self.speakers_list and self.quotes_list.option_count:
            self._focus_quotes()
        elif focused is self.speakers_list or focused is self.quotes_list:
            self.filter_box.focus()
        else:
            self.speakers_list.focus()

    def action_back(self) -> None:
        """Quotes or filter → speakers; speakers → the reader."""
        if self.focused is self.speakers_list:
            self.dismiss(None)
        else:
            self.speakers_list.focus()

    def action_quit(self) -> None:
        """Back to the reader."""
        self.dismiss(None)
