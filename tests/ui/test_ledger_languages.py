"""The ledger over quotes in several languages and scripts: one person is one entry whatever
the spelling, quotes keep the marks they were printed with, and the ledger's filter,
`natoread quotes --speaker` and `speaker:` find the same quotes for any spelling."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from textual.widgets import OptionList

from natoread.core.paths import DB_NAME
from natoread.core.storage.search import search
from natoread.core.storage.store import Store
from natoread.ui.app import NatoreadApp
from natoread.ui.screens.ledger import QuotesLedgerScreen
from tests import feedgen
from tests.conftest import run_natoread, write_config
from tests.ui.factory import DEFENCE, NOW, Doc, build_store, make_config
from tests.ui.helpers import press

WIDE = (160, 40)
ACCESSION = ("accession",)
DOCS = (
    Doc(
        "Сіярто про вступ",
        "«Україна не готова до вступу в ЄС і НАТО», — заявив Петер Сіярто.",
        topics=ACCESSION,
        quotes=(("Україна не готова до вступу в ЄС і НАТО", "Петер Сіярто"),),
        hours_ago=1,
    ),
    Doc(
        "Сийярто о позиции",
        "«Венгрия не изменит позицию по Украине», — сказал Сийярто.",
        topics=ACCESSION,
        quotes=(("Венгрия не изменит позицию по Украине", "Сийярто"),),
        hours_ago=2,
    ),
    Doc(
        "Szijjártó in Berlin",
        "„Wir blockieren die Ukraine nicht“, sagte Szijjártó.",
        topics=ACCESSION,
        quotes=(("Wir blockieren die Ukraine nicht", "Szijjártó"),),
        hours_ago=3,
    ),
    Doc(
        "Hungary on Ukraine",
        '"Hungary will not block Ukraine," Peter Szijjarto said.',
        topics=ACCESSION,
        quotes=(("Hungary will not block Ukraine,", "Peter Szijjarto"),),
        hours_ago=4,
    ),
    Doc(
        "Rutte à Kyiv",
        "«L'Ukraine sera membre», a déclaré Mark Rutte. Mark Rutte a ajouté : "
        "«J'ai parlé avec Szijjártó».",
        topics=ACCESSION,
        quotes=(
            ("L'Ukraine sera membre", "Mark Rutte"),
            ("J'ai parlé avec Szijjártó", "Mark Rutte"),
        ),
        hours_ago=5,
    ),
    Doc(
        "Tusk o Ukrainie",
        "„Ukraina musi wygrać tę wojnę” – powiedział Donald Tusk.",
        topics=ACCESSION,
        quotes=(("Ukraina musi wygrać tę wojnę", "Donald Tusk"),),
        hours_ago=6,
    ),
)
SZIJJARTO = {"Сіярто про вступ", "Сийярто о позиции", "Szijjártó in Berlin", "Hungary on Ukraine"}


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data directory whose store holds DOCS."""
    data = tmp_path_factory.mktemp("ledger-languages")
    build_store(data / DB_NAME, {DEFENCE: DOCS})
    return data


def options_text(options: OptionList) -> list[str]:
    return [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]


async def test_one_person_is_one_entry_and_quotes_keep_their_marks(data_dir: Path) -> None:
    app = NatoreadApp(make_config([DEFENCE]), data_dir / DB_NAME, autopoll=False)
    async with app.run_test(size=WIDE) as pilot:
        await press(pilot, "w")
        ledger = app.screen
        assert isinstance(ledger, QuotesLedgerScreen)
        speakers = options_text(ledger.speakers_list)
        assert speakers[0].startswith("Peter Szijjarto") and speakers[0].endswith(" 4")
        assert len(speakers) == 3  # Szijjártó, Rutte, Tusk
        quotes = [quote.splitlines()[0] for quote in options_text(ledger.quotes_list)]
        assert quotes == [
            "«Україна не готова до вступу в ЄС і НАТО»",
            "«Венгрия не изменит позицию по Украине»",
            "„Wir blockieren die Ukraine nicht“",
            '"Hungary will not block Ukraine,"',  # typewriter marks, as written
        ]
        await press(pilot, "j", "j")  # Donald Tusk
        assert options_text(ledger.quotes_list)[0].startswith("„Ukraina musi wygrać tę wojnę”")


def ledger_titles(ledger: QuotesLedgerScreen, person: str) -> set[str]:
    """The article titles of the quotes the filtered ledger lists under `person`."""
    names = [line.rsplit(" ", 1)[0].strip() for line in options_text(ledger.speakers_list)]
    ledger.show_speaker(names.index(person))
    return {quote.splitlines()[1].rsplit(" · ", 1)[1] for quote in options_text(ledger.quotes_list)}


def command_titles(data: Path, config: Path, name: str) -> set[str]:
    """What the installed `natoread quotes --speaker NAME --json` finds."""
    done = run_natoread(
        "--config", str(config), "--data-dir", str(data), "quotes", "--speaker", name, "--json"
    )
    assert done.returncode == 0, done.stderr
    return {quote["article"] for quote in json.loads(done.stdout)}


def search_titles(data: Path, name: str) -> set[str]:
    with Store(data / DB_NAME) as store:
        term = f'speaker:"{name}"' if " " in name else f"speaker:{name}"
        found = search(store, term, now=NOW)
        assert found.error is None, found.error
        return {row.title for row in store.rows_by_ids(list(found.ids))}


@pytest.mark.parametrize("name", ["Сийярто", "Сіярто", "szijjarto", "Péter Szijjártó"])
async def test_the_ledger_filter_the_command_and_search_agree(
    data_dir: Path, tmp_path: Path, name: str
) -> None:
    config = write_config(tmp_path, feedgen.config_toml([DEFENCE]))
    assert command_titles(data_dir, config, name) == SZIJJARTO
    assert search_titles(data_dir, name) == SZIJJARTO
    app = NatoreadApp(make_config([DEFENCE]), data_dir / DB_NAME, autopoll=False)
    async with app.run_test(size=WIDE) as pilot:
        await press(pilot, "w")
        ledger = app.screen
        assert isinstance(ledger, QuotesLedgerScreen)
        ledger.filter_box.value = name
        await pilot.pause()
        assert ledger_titles(ledger, "Peter Szijjarto") == SZIJJARTO
        if name.isascii():  # Rutte's quote names Szijjártó: its words match, he is not him
            assert ledger_titles(ledger, "Mark Rutte") == {"Rutte à Kyiv"}
