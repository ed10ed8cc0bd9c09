"""One name's spellings across languages and scripts share a speaker key (the phonetic
skeleton of `quotes/spellings.toml`); different people's names do not."""

from __future__ import annotations

import tomllib
from importlib import resources

import pytest

from natoread.core.analysis.quotes import speaker_key
from natoread.core.analysis.quotes.names import skeleton
from natoread.core.storage.speakers import query_key


@pytest.mark.parametrize(
    "spellings",
    [
        # Hungarian sz is s: Russian and Ukrainian write С; jj is й.
        ["Szijjártó", "Szijjarto", "Сийярто", "Сіярто", "SZIJJÁRTÓ", "Sijjarto"],
        ["Péter Szijjártó", "Peter Szijjarto", "Петер Сийярто", "Петер Сіярто"],
        # German sch and z, Russian ш and ц (Sholts).
        ["Scholz", "Шольц", "SCHOLZ"],
        ["Olaf Scholz", "Олаф Шольц"],
        # English, German, Polish, Ukrainian and Russian spellings, final -yy/-iy/-yj/-i.
        ["Зеленський", "Зеленский", "Zelensky", "Zelenskyy", "Zelenskiy", "Selenskyj", "Zełenski"],
        ["Volodymyr Zelensky", "Wolodymyr Selenskyj", "Wołodymyr Zełenski", "Володимир Зеленський"],
        # Turkish ğ, Russian э, Ukrainian г read as h.
        ["Эрдоган", "Ердоган", "Erdoğan", "Erdogan"],
        ["Recep Tayyip Erdoğan", "Реджеп Тайип Эрдоган"],
        # Polish -cki and cz, German tsch, Czech and Latvian carons.
        ["Nawrocki", "Навроцький", "Навроцкий"],
        ["Kaczyński", "Качинський", "Качиньский"],
        ["Klitschko", "Klychko", "Кличко"],
        ["Rinkēvičs", "Ринкевичс"],
        # ch is х in a word spelled the German or Polish way (w, sz, cz …), ч in English.
        ["Sacharowa", "Zacharowa", "Zakharova", "Захарова"],
        ["Chodorkowski", "Khodorkovsky", "Ходорковский"],
        ["Shevchenko", "Schewtschenko", "Szewczenko", "Шевченко"],
        ["Çavuşoğlu", "Чавушоглу"],
        ["Sikorski", "Sikorsky", "Сікорський", "Сикорский"],
        ["Lavrov", "Lawrow", "Лавров"],
        ["Peskov", "Peskow", "Песков"],
        ["Baerbock", "Бербок"],
        ["Macron", "Макрон"],
        ["Habeck", "Хабек"],
        ["Sybiha", "Сибіга", "Сибига"],
        ["Jens Stoltenberg", "J. Stoltenberg", "Йенс Столтенберг", "Єнс Столтенберг"],
    ],
)
def test_spellings_of_one_name_share_a_key(spellings: list[str]) -> None:
    assert len({speaker_key(spelling) for spelling in spellings}) == 1, [
        speaker_key(s) for s in spellings
    ]


@pytest.mark.parametrize(
    "different",
    [
        ["Boris Johnson", "Boris Johnsen", "Boris Jonson"],  # Pål Jonson is Sweden's minister
        ["Olaf Scholz", "Olaf Schulz"],  # Martin Schulz is someone else
        ["Donald Tusk", "Donald Tusch"],
        ["Sergei Lavrov", "Sergei Lavrova"],  # a surname's feminine form is another person
        ["Maria Zakharova", "Maria Zakharov"],
        ["Mark Rutte", "Mark Rubio"],
        ["Jens Stoltenberg", "Camilla Stoltenberg", "Jens Stoltenburg"],  # his sister
        ["Annalena Baerbock", "Annalena Bärbach"],
        ["Radosław Sikorski", "Radosław Sikora"],
        ["Dmytro Kuleba", "Dmytro Kulebyaka"],
        ["Andrzej Duda", "Andrzej Dudek"],
    ],
)
def test_names_that_differ_keep_different_keys(different: list[str]) -> None:
    keys = [speaker_key(name) for name in different]
    assert len(set(keys)) == len(keys), keys


def test_the_skeleton_is_a_key_not_a_name() -> None:
    """Keys are for matching; the ledger shows the names as printed."""
    assert skeleton("Szijjártó") == "sijarto"
    assert skeleton("Шольц") == skeleton("Scholz") == "sols"
    assert speaker_key("Péter Szijjártó") == "sijarto p"
    assert query_key("сийярто") == query_key("szijjarto") == "sijarto"
    assert query_key("olaf scholz") == speaker_key("Олаф Шольц") == "sols o"


def test_bodies_are_not_folded_by_sound() -> None:
    """Bodies keep their words (a body's abbreviations are their own table)."""
    assert speaker_key("the Kremlin") == speaker_key("Кремль") == "kremlin"
    assert speaker_key("Ministry of Defence") == "defence ministry"


def test_the_spelling_table_is_well_formed() -> None:
    """Every group is lowercase Latin letters, and every rule says why it exists."""
    text = resources.files("natoread.core.analysis.quotes").joinpath("spellings.toml")
    data = tomllib.loads(text.read_text("utf-8"))
    assert all(group.isascii() and group.isalpha() and group.islower() for group in data["groups"])
    assert all(rule["why"] and "pattern" in rule for rule in data["rules"])
    assert all(len(letter) == 1 for letter in data["letters"])


@pytest.mark.parametrize(
    ("short", "full"),
    [
        ("MSZ", "Ministerstwo Spraw Zagranicznych"),
        ("MFA", "Auswärtiges Amt"),
        ("MFA", "Quai d'Orsay"),
        ("MON", "Ministerstwo Obrony Narodowej"),
        ("Élysée", "l'Élysée"),
    ],
)
def test_a_body_in_capitalised_words_is_a_body_not_a_person(short: str, full: str) -> None:
    """'Auswärtiges Amt' is the foreign ministry, not a person 'Amt A.'."""
    assert speaker_key(short) == speaker_key(full)
