"""Quotes as written: the quotes panel keeps the article's marks («…» stays «…»), and the
body names a speaker in place or once, dim, after the closing mark — never inside it."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from textual.content import Content

from natoread.core.analysis.records import Quote
from natoread.core.storage.records import ArticleDetail
from natoread.core.storage.store import Store
from natoread.ui.app import NatoreadApp
from natoread.ui.render import (
    DEFAULT_MARKS,
    QUOTE_STYLE,
    SPEAKER_LABEL_STYLE,
    SPEAKER_STYLE,
    body_blocks,
    quote_item,
    written_marks,
)
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
        ('He said: "Wir sind bereit".', ('"', '"')),  # typewriter marks, as written
        ("He said: 'Wir sind bereit'.", ("'", "'")),
        ('He said: "Wir sind bereit«.', DEFAULT_MARKS),  # an unmatched pair is not the article's
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


def detail_with(
    tmp_path: Path, body: str, quotes: list[tuple[str, str, str | None]]
) -> ArticleDetail:
    """A stored article with hand-made quotes: (quoted words, speaker, the words of the text
    the extractor took as the speaker's mention, or None)."""
    path = tmp_path / "speakers.sqlite3"
    build_store(path, {DEFENCE: (Doc("Talks", body, topics=("alliance",)),)})
    with Store(path) as store:
        detail = store.get_article(1)
    assert detail is not None
    document = detail.document
    made = []
    for words, speaker, mention in quotes:
        start = document.index(words)
        at = document.find(mention, start if mention in document[start:] else 0) if mention else -1
        span = (at, at + len(mention or "")) if at >= 0 else (None, None)
        made.append(Quote(words, start, start + len(words), speaker, False, *span))
    return replace(detail, quotes=tuple(made))


def labels(block: Content) -> list[str]:
    """The dim speaker labels added to a block."""
    return [block.plain[s.start : s.end] for s in block.spans if str(s.style) == "dim"]


@pytest.mark.parametrize(
    ("body", "words", "shown"),
    [
        ("“We are ready,” he said.", "We are ready,", "“We are ready,” [Friedrich Merz] he said."),
        (
            "„Wir stehen zusammen“, sagte er.",
            "Wir stehen zusammen",
            "„Wir stehen zusammen“ [Friedrich Merz], sagte er.",
        ),
        (
            "Il a déclaré : « Nous sommes prêts », a-t-il dit.",
            "Nous sommes prêts",
            "« Nous sommes prêts » [Friedrich Merz], a-t-il dit.",
        ),
        ("Er sagte: »Wir sind bereit«.", "Wir sind bereit", "»Wir sind bereit« [Friedrich Merz]."),
        ("Er sagte: ‚Wir sind bereit‘.", "Wir sind bereit", "‚Wir sind bereit‘ [Friedrich Merz]."),
    ],
)
def test_a_pronoun_speaker_is_named_once_dim_after_the_closing_mark(
    tmp_path: Path, body: str, words: str, shown: str
) -> None:
    pronoun = "er" if "sagte er" in body else None
    detail = detail_with(tmp_path, body, [(words, "Friedrich Merz", pronoun)])
    (block,), _ = body_blocks(detail)
    assert shown in block.plain
    assert labels(block) == [" [Friedrich Merz]"]
    assert SPEAKER_LABEL_STYLE == "dim"


def test_a_name_beside_the_quote_is_highlighted_in_place_and_nothing_is_added(
    tmp_path: Path,
) -> None:
    body = "„Waffenstillstand jetzt“, sagte Merz. „Wir bleiben dran“, fügte er hinzu."
    detail = detail_with(
        tmp_path,
        body,
        [
            ("Waffenstillstand jetzt", "Friedrich Merz", "Merz"),
            ("Wir bleiben dran", "Friedrich Merz", "er"),  # the same speaker, same paragraph
        ],
    )
    (block,), _ = body_blocks(detail)
    assert block.plain == body
    bold = [block.plain[s.start : s.end] for s in block.spans if str(s.style) == SPEAKER_STYLE]
    assert bold == ["Merz"]


def test_a_speaker_named_in_another_paragraph_is_named_again(tmp_path: Path) -> None:
    body = "Mark Rutte arrived in Vilnius on Monday.\n\n“We are ready,” he said."
    detail = detail_with(tmp_path, body, [("We are ready,", "Mark Rutte", "Mark Rutte")])
    first, second = body_blocks(detail)[0]
    assert first.plain == "Mark Rutte arrived in Vilnius on Monday."
    assert second.plain == "“We are ready,” [Mark Rutte] he said."


def test_a_role_is_not_a_name(tmp_path: Path) -> None:
    body = "“We are ready,” the secretary general said."
    detail = detail_with(tmp_path, body, [("We are ready,", "Mark Rutte", "secretary general")])
    (block,), _ = body_blocks(detail)
    assert block.plain == "“We are ready,” [Mark Rutte] the secretary general said."


def test_the_quote_style_is_calm() -> None:
    style = QUOTE_STYLE.split()
    assert not {"underline", "italic", "reverse", "blink", "bold"} & set(style)
    assert len(style) == 1  # one colour; the marks as written delimit the quote without it
