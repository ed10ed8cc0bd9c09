"""The quotes panel shows a quote between the marks the article printed («…» stays «…»)."""

from __future__ import annotations

from pathlib import Path

import pytest

from natoread.core.analysis.records import Quote
from natoread.ui.app import NatoreadApp
from natoread.ui.render import DEFAULT_MARKS, quote_item, written_marks
from tests.ui.factory import DEFENCE, Doc, build_store, make_config
from tests.ui.helpers import main_screen, press


def quoted(document: str, words: str) -> Quote:
    start = document.index(words)
    return Quote(words, start, start + len(words), "Someone", False)


@pytest.mark.parametrize(
    ("document", "marks"),
    [
        ("Він сказав: «Ми готові».", ("«", "»")),
        ("Er sagte: „Wir sind bereit“.", ("„", "“")),
        ("Powiedział: „Wir sind bereit”.", ("„", "”")),
        ("Er sagte: »Wir sind bereit«.", ("»", "«")),
        ('He said: "Wir sind bereit".', DEFAULT_MARKS),  # typewriter marks stand in for “…”
        ("He said: “Wir sind bereit”.", ("“", "”")),
        ("– Wir sind bereit – powiedział.", DEFAULT_MARKS),  # a dash quote has no marks
        ("Wir sind bereit", DEFAULT_MARKS),  # at the very edges of the document
    ],
)
def test_written_marks_are_the_article_s_own(document: str, marks: tuple[str, str]) -> None:
    words = "Ми готові" if "Ми" in document else "Wir sind bereit"
    assert written_marks(document, quoted(document, words)) == marks


def test_quote_item_prints_the_marks_it_is_given() -> None:
    quote = Quote("Ми готові", 0, 9, "Сибіга", False)
    assert quote_item(quote, marks=("«", "»")).plain == "«Ми готові» — Сибіга"
    assert quote_item(quote).plain == "“Ми готові” — Сибіга"


async def test_the_quotes_panel_keeps_guillemets(tmp_path: Path) -> None:
    path = tmp_path / "marks.sqlite3"
    body = "Міністр заявив: «Україна буде в НАТО». Він додав: „Це питання часу“."
    doc = Doc(
        "Сибіга про НАТО",
        body,
        topics=("alliance",),
        quotes=(("Україна буде в НАТО", "Андрій Сибіга"), ("Це питання часу", "Андрій Сибіга")),
    )
    build_store(path, {DEFENCE: (doc,)})
    app = NatoreadApp(make_config([DEFENCE]), path, autopoll=False)
    async with app.run_test(size=(120, 30)) as pilot:
        screen = main_screen(pilot)
        await press(pilot, "enter")
        shown = [str(option.prompt) for option in screen.reader.quotes.options]
    assert shown == [
        "«Україна буде в НАТО» — Андрій Сибіга",
        "„Це питання часу“ — Андрій Сибіга",
    ]
