"""Names in oblique cases and run-on names, gendered pronouns and where gender comes from."""

from __future__ import annotations

import pytest

from natoread.core.analysis.quotes import extract_quotes
from natoread.core.analysis.quotes.mentions import _gender_of
from natoread.core.analysis.quotes.tokens import tokenize


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        (  # the clause's subject runs on after the cue's genitive
            "Szczyt\n\nMinister Radosław Sikorski przyjechał do Brukseli.\n\n"
            "Według ministra Sikorskiego Polska nie zamierza „wywierać presji przez media”.",
            "Radosław Sikorski",
        ),
        (  # a role word in the dative before the surname
            "Szczyt\n\nPremier Donald Tusk przyjechał do Wilna.\n\nPremierowi Tuskowi zadano "
            "pytanie. – Nie będziemy czekać w nieskończoność – powiedział Tusk.",
            "Donald Tusk",
        ),
        (  # adverbials between an inverted verb and its subject
            "Заголовок\n\n«Відповідь Альянсу не зміниться», — написала на своїй сторінці у "
            "фейсбуці народна депутатка Іванна Климпуш-Цинцадзе.",
            "Іванна Климпуш-Цинцадзе",
        ),
        (  # a body after a locative before the verb; the adverb before it is no speaker
            "Заголовок\n\nНакануне в Кремле заявили, что «статус Украины является условием».",
            "Кремль",
        ),
    ],
)
def test_names_in_oblique_cases_and_run_on_names_come_back_to_the_person(
    text: str, speaker: str
) -> None:
    assert [q.speaker for q in extract_quotes(text)] == [speaker]


def test_a_feminine_pronoun_never_goes_to_a_man_and_an_affiliation_leaves_the_name() -> None:
    text = (
        "Titel\n\nNationalrat Franz Grüter sprach von einem „Spiel mit dem Feuer“.\n\n"
        "Die Sicherheitsexpertin Elisabeth Schmid-Heller von der ETH Zürich hält die Aufregung "
        "für übertrieben. „Pfister sagt nichts Neues“, sagte sie."
    )
    assert [q.speaker for q in extract_quotes(text)] == ["Franz Grüter", "Elisabeth Schmid-Heller"]


@pytest.mark.parametrize(
    ("title", "first", "last", "gender"),
    [
        ("", "Karola", "Nawrockiego", "m"),  # a given name in the genitive
        ("", "Марии", "Захаровой", "f"),
        ("", "Alexandru", "Rusu", None),  # no rule undoes '-u': the name tells nothing
        ("sicherheitsexpertin", "", "Schmid", "f"),  # a feminine title
        ("spokeswoman", "", "Lee", "f"),
        ("", "", "Šakalienė", "f"),  # a feminine surname ending
    ],
)
def test_gender_from_given_names_in_any_case_titles_and_surname_endings(
    title: str, first: str, last: str, gender: str | None
) -> None:
    words = [*(f"{w} " for w in (first,) if w), last]
    toks = tokenize("".join(words))[0]
    first_tok = toks[0] if first else None
    titles = frozenset({title} if title else ())
    assert _gender_of(first_tok, titles, toks[-1].bare) == gender


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        (
            'Title\n\nA Ministry of Defence spokesperson said: "Planning continues."',
            "Ministry of Defence",
        ),
        ('Title\n\nA Biden spokesperson said: "Planning continues."', None),  # a person's
        (
            "Titel\n\nEine Sprecherin des Auswärtigen Amts sagte in Berlin: „Wir reden vertraulich.“",
            "Auswärtigen Amts",
        ),
        ("Nagłówek\n\n„Jesteśmy w kontakcie” – powiedział rzecznik MSZ.", "MSZ"),
        (
            "Titre\n\n« Nous restons en contact », a déclaré un porte-parole du Quai d'Orsay.",
            "Quai d'Orsay",
        ),
    ],
)
def test_an_unnamed_spokesperson_of_a_named_body_speaks_for_the_body(
    text: str, speaker: str | None
) -> None:
    assert [q.speaker for q in extract_quotes(text)] == [speaker]


def test_german_definite_noun_after_the_verb_is_a_role_that_its_apposition_names() -> None:
    text = (
        "Cassis: «Neutral, aber nicht naiv»\n\n"
        "Bern – Aussenminister Ignazio Cassis hat sich gegen einen Beitritt ausgesprochen. "
        "«Die Schweiz bleibt neutral», sagte der FDP-Bundesrat am Dienstag vor den Medien.\n\n"
        "«Das ist ein historischer Wert», sagt die Co-Autorin der Studie, Jacqueline Moser."
    )
    speakers = [q.speaker for q in extract_quotes(text) if q.start > text.index("\n")]
    assert speakers == ["Ignazio Cassis", "Jacqueline Moser"]


def test_the_spokesperson_named_again_speaks_for_the_same_body() -> None:
    text = (
        "Title\n\nA NATO spokesperson said consultations were continuing. "
        '"Allies are in close contact," the spokesperson said.\n\n'
        'Asked about the letter, a Downing Street spokesperson said: "We will respond."'
    )
    assert [q.speaker for q in extract_quotes(text)] == ["NATO", "Downing Street"]


def test_a_role_whose_words_tell_a_gender_goes_to_a_person_of_that_gender() -> None:
    text = (
        "Titre\n\nKaja Kallas a parlé à Tallinn. Mark Rutte préfère la prudence.\n\n"
        "Interrogée sur leurs divergences, l'ancienne Première ministre estonienne a souri : "
        "« Mark est un ami. »"
    )
    assert [q.speaker for q in extract_quotes(text)] == ["Kaja Kallas"]
