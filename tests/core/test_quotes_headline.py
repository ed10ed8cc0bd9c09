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
