"""The accession board's quotes in every language: a quote names a country by its name in
the quote's language (Україна, Ukrainy, Украине, Georgien), and keeps its printed marks."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import OptionList

from natoread.core.analysis.countries import names_country
from natoread.core.paths import DB_NAME
from natoread.core.storage.board import country_row
from natoread.core.storage.store import Store
from natoread.ui.app import NatoreadApp
from natoread.ui.screens.board import AccessionBoardScreen
from tests.ui.factory import DEFENCE, NOW, Doc, build_store, make_config
from tests.ui.helpers import main_screen, press, wait_until

WIDE = (160, 40)
ACCESSION = ("accession",)
DOCS = (
    Doc(
        "Сибіга про вступ",
        "«Україна буде членом НАТО», — заявив Андрій Сибіга.",
        topics=ACCESSION,
        quotes=(("Україна буде членом НАТО", "Андрій Сибіга"),),
        hours_ago=1,
    ),
    Doc(
        "Tusk o Ukrainie",
        "„Bez Ukrainy nie ma bezpiecznej Europy” – powiedział Donald Tusk.",
        topics=ACCESSION,
        quotes=(("Bez Ukrainy nie ma bezpiecznej Europy", "Donald Tusk"),),
        hours_ago=2,
    ),
    Doc(
        "Песков об Украине",
        "«Мы не будем мешать Украине», — сказал Дмитрий Песков.",
        topics=ACCESSION,
        quotes=(("Мы не будем мешать Украине", "Дмитрий Песков"),),
        hours_ago=3,
    ),
    Doc(
        "Ukrainian troops train in Poland",
        'Ukraine sent more troops. "Our soldiers are ready," a Ukrainian officer said.',
        topics=ACCESSION,
        quotes=(("Our soldiers are ready,", "a Ukrainian officer"),),
        hours_ago=4,
    ),
    Doc(
        "Baerbock zu Georgien",
        "»Georgien gehört nach Europa«, sagte Annalena Baerbock.",
        topics=ACCESSION,
        quotes=(("Georgien gehört nach Europa", "Annalena Baerbock"),),
        hours_ago=5,
    ),
)


@pytest.fixture(scope="module")
def db_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("board-languages") / DB_NAME
    build_store(path, {DEFENCE: DOCS})
    return path


@pytest.mark.parametrize(
    ("country", "text", "named"),
    [
        ("Ukraine", "«Україна буде членом НАТО»", True),
        ("Ukraine", "Мы не будем мешать Украине", True),
        ("Ukraine", "Bez Ukrainy nie ma bezpiecznej Europy", True),
        ("Ukraine", "Die Ukraine gehört dazu", True),
        ("Ukraine", "l'Ukraine sera membre", True),
        ("Ukraine", "UKRAINE WILL JOIN", True),
        ("Ukraine", "a Ukrainian officer", False),  # an adjective, not the country
        ("Ukraine", "український народ", False),
        ("Georgia", "la Géorgie et la Georgie", True),
        ("Georgia", "Грузія", True),
        ("North Macedonia", "Північна  Македонія", True),  # any spacing
        ("Sweden", "Szwecja", True),
        ("Sweden", "Swedish", False),
    ],
)
def test_a_quote_names_a_country_in_its_own_language(country: str, text: str, named: bool) -> None:
    assert names_country(country, text) is named


def test_the_board_row_holds_quotes_in_every_language(db_path: Path) -> None:
    with Store(db_path) as store:
        ukraine = country_row(store, "Ukraine", now=NOW)
    assert [item.quote.speaker for item in ukraine.quotes] == [
        "Андрій Сибіга",
        "Donald Tusk",
        "Дмитрий Песков",
    ]


async def open_board(pilot: Pilot[Any]) -> AccessionBoardScreen:
    main_screen(pilot).clock = lambda: NOW
    await press(pilot, "B")
    board = pilot.app.screen
    assert isinstance(board, AccessionBoardScreen)
    await wait_until(pilot, lambda: board.rows is not None)
    await pilot.pause()
    return board


def options_text(options: OptionList) -> list[str]:
    return [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]


async def test_the_board_shows_the_latest_quote_with_its_marks(db_path: Path) -> None:
    config = make_config([DEFENCE], settings={"countries": ["Ukraine", "Georgia"]})
    app = NatoreadApp(config, db_path, autopoll=False)
    async with app.run_test(size=WIDE) as pilot:
        board = await open_board(pilot)
        ukraine, georgia = options_text(board.board)
        assert "«Україна буде членом НАТО» — Андрій Сибіга" in ukraine.splitlines()[2]
        assert "»Georgien gehört nach Europa« — Annalena Baerbock" in georgia.splitlines()[2]
