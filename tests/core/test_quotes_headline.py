"""A headline and the body under it are separate sentences for quote attribution."""

from __future__ import annotations

import pytest

from natoread.core.analysis.quotes import extract_quotes

_BODY = 'Rutte said: "We will defend every inch of allied territory."'


@pytest.mark.parametrize(
    "title",
    [
        "Nato warns Moscow",
        "Nato Chief Warns Moscow Over Baltic Airspace Violations Today",  # long: not a wrap
    ],
)
@pytest.mark.parametrize("gap", ["\n", "\n\n"])
def test_headline_name_never_joins_the_body_speaker(title: str, gap: str) -> None:
    quotes = extract_quotes(f"{title}{gap}{_BODY}")
    assert [q.speaker for q in quotes] == ["Rutte"]


def test_hard_wrapped_body_lines_still_join() -> None:
    text = (
        "Headline\n"
        "The alliance's new members were welcomed on Tuesday by Prime Minister\n"
        'Ulf Kristersson, who said: "This is a historic day for all of us."'
    )
    assert [q.speaker for q in extract_quotes(text)] == ["Ulf Kristersson"]


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        (
            "Брифінг\n\nМіністр Андрій Сибіга виступив.\n\n«Ми просимо чесної відповіді», — заявив Сибіга.",
            "Андрій Сибіга",
        ),
        (
            "Брифинг\n\nМария Захарова выступила.\n\n«Расширение не добавляет безопасности», — заявила Захарова.",
            "Мария Захарова",
        ),
        (
            "Szczyt\n\nMark Rutte spotkał się z premierem.\n\n„Polska jest wzorem dla Sojuszu” – oświadczył Rutte.",
            "Mark Rutte",
        ),
    ],
)
def test_dash_attribution_after_the_quote(text: str, speaker: str) -> None:
    assert [q.speaker for q in extract_quotes(text)] == [speaker]
