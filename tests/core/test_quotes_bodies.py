"""Speaking bodies and the words that name them again later in uk/ru/pl/de/fr copy."""

from __future__ import annotations

import pytest

from natoread.core.analysis.quotes import extract_quotes


def _speakers(text: str) -> list[str | None]:
    return [quote.speaker for quote in extract_quotes(text)]


@pytest.mark.parametrize(
    "text",
    [
        # the body first spoke through its press service, then as a bare locative body word
        "Накануне в пресс-службе Минобороны России сообщили, что учения носят «плановый "
        "характер». «Никаких угроз соседям эти мероприятия не несут», — заявили в ведомстве.",
        "Учения\n\nМинобороны России сообщило о начале учений.\n\n"
        "«Никаких угроз соседям эти мероприятия не несут», — заявили в ведомстве.",
    ],
)
def test_bare_locative_body_word_is_the_body_named_last(text: str) -> None:
    assert _speakers(text)[-1] == "Минобороны России"


@pytest.mark.parametrize(
    "text",
    [
        "Президентка Майя Санду виступила в парламенті.\n\n"
        "Проросійська опозиція звинувачує уряд: «Вона тихо веде Молдову в НАТО».",
        "Prezydent Maia Sandu przemawiała w parlamencie.\n\n"
        "Prorosyjska opozycja oskarża rząd: „Ona po cichu prowadzi Mołdawię do NATO”.",
    ],
)
def test_an_unnamed_opposition_is_no_capitalised_adjective_speaker(text: str) -> None:
    assert _speakers(text) == [None]
