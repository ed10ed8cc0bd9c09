"""Transcript prefixes ('NAME. - …') found by their dash: hyphens and dashes elsewhere on a
line, or a dot-dash with no space after it, open no prefixed line."""

from __future__ import annotations

import pytest

from natoread.core.analysis.quotes import extract_quotes


def _said(text: str) -> list[tuple[str, str | None]]:
    return [(q.text, q.speaker) for q in extract_quotes(text)]


@pytest.mark.parametrize("dash", ["-", "–", "—"])
def test_dot_dash_interview_among_hyphens_and_dashes(dash: str) -> None:
    text = (
        "Jean Morel : « L'Europe doit payer pour sa défense »\n\n"
        "L'ancien ministre franco-allemand Jean Morel a répondu – longuement – au Monde.\n\n"
        f"LE MONDE{dash}{dash} une note.-Faut-il une armée européenne ?\n\n"
        f"LE MONDE. {dash} Faut-il une armée européenne ?\n\n"
        f"JEAN MOREL. {dash} Il faut d'abord des usines. Une armée sans munitions est un défilé.\n\n"
        f"LE MONDE. {dash} Et l'OTAN ?\n\n"
        f"JEAN MOREL. {dash} L'OTAN reste notre assurance. Mais on ne vit pas d'assurance.\n"
    )
    assert _said(text)[1:] == [
        ("Il faut d'abord des usines. Une armée sans munitions est un défilé.", "Jean Morel"),
        ("L'OTAN reste notre assurance. Mais on ne vit pas d'assurance.", "Jean Morel"),
    ]


def test_dot_dash_without_a_space_after_it_opens_no_answer() -> None:
    text = (
        "Jean Morel : « L'Europe doit payer pour sa défense »\n\n"
        "LE MONDE. -Faut-il une armée européenne ?\n\n"
        "JEAN MOREL. -Il faut d'abord des usines.\n\n"
        "LE MONDE. -Et l'OTAN ?\n\n"
        "JEAN MOREL. -L'OTAN reste notre assurance.\n"
    )
    assert [quote for quote, _ in _said(text)] == ["L'Europe doit payer pour sa défense"]
