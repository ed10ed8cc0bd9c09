"""A role with a prepositional complement, then its holder's name in apposition."""

from __future__ import annotations

import pytest

from natoread.core.analysis.quotes import extract_quotes


@pytest.mark.parametrize(
    "attribution",
    [
        "sagte die Direktorin des Stockholmer Instituts für Sicherheitspolitik, Anna Berg.",
        "sagte der Botschafter in Berlin, Jan Knutsson.",
    ],
)
def test_german_role_complement_before_the_apposed_name(attribution: str) -> None:
    text = (
        "Sein Kollege Antti Häkkänen stimmte zu: „Der hohe Norden ist kein Randthema mehr.“\n\n"
        "Beide Länder waren dem Bündnis beigetreten.\n\n"
        f"„Ohne Schweden wäre die Ostsee heute ein offenes Meer“, {attribution}"
    )
    speakers = [quote.speaker for quote in extract_quotes(text)]
    assert speakers[-1] == attribution.rsplit(", ", 1)[-1].rstrip(".")


@pytest.mark.parametrize(
    "role",
    [
        "le directeur du Centre",
        "le directeur du Centre pour la sécurité européenne",
        "la chercheuse de l'Institut",
        "l'ambassadeur de Suède",
    ],
)
def test_french_role_words_name_the_apposed_holder(role: str) -> None:
    text = (
        "Le ministre Jean-Noël Barrot a parlé à Bruxelles. « Nous restons unis », a-t-il dit.\n\n"
        f"« La situation est grave », a déclaré {role}, Claire Martin."
    )
    speakers = [quote.speaker for quote in extract_quotes(text)]
    assert speakers == ["Jean-Noël Barrot", "Claire Martin"]


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        (
            "Историк Иван Петров выступил на конференции. Министр Сергей Лавров тоже "
            "выступил там.\n\n«Это важно», — сказал историк.",
            "Иван Петров",
        ),
        (
            "Profesor Jan Kowalski był na konferencji. Minister Radosław Sikorski też tam "
            "był.\n\n„To jest ważne” – powiedział profesor.",
            "Jan Kowalski",
        ),
    ],
)
def test_role_word_said_again_is_the_person_named_with_it(text: str, speaker: str) -> None:
    assert [quote.speaker for quote in extract_quotes(text)] == [speaker]


def test_a_country_s_role_is_the_untitled_person_named_right_after() -> None:
    text = (
        "Kaja Kallas rarely raises her voice.\n\n"
        "Her counterpart was in Minsk the same day. Hungary's foreign minister told state "
        'media that Europe was "addicted to war." Péter Szijjártó has used the phrase before.'
    )
    assert [quote.speaker for quote in extract_quotes(text)] == ["Péter Szijjártó"]


def test_a_country_s_role_with_nobody_named_after_it_stays_the_description() -> None:
    text = (
        "Kaja Kallas rarely raises her voice.\n\n"
        'Hungary\'s foreign minister told state media that Europe was "addicted to war."'
    )
    assert [quote.speaker for quote in extract_quotes(text)] == ["Hungary's foreign minister"]
