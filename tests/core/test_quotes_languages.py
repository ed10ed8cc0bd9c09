"""Attribution shapes of uk/ru/pl/de/fr copy driven by the lexicon data files."""

from __future__ import annotations

import pytest

from natoread.core.analysis.quotes import extract_quotes
from natoread.core.analysis.quotes.registry import inflected


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        (
            "Допомога\n\nМіністр оборони Рустем Умєров прибув до Брюсселя.\n\n"
            "За словами Умєрова, «пакет буде великим».",
            "Рустем Умєров",
        ),
        (
            "Помощь\n\nГенсек НАТО Йенс Столтенберг выступил.\n\n"
            "По словам Столтенберга, «решение принято».",
            "Йенс Столтенберг",
        ),
        (
            "Szczyt\n\nPrezydent Andrzej Duda przyjechał do Wilna.\n\n"
            "Według Dudy „to jest historyczny dzień”.",
            "Andrzej Duda",
        ),
        (
            "Gipfel\n\nKanzler Friedrich Merz kam nach Brüssel.\n\nLaut Merz ist „die Lage ernst“.",
            "Friedrich Merz",
        ),
        (
            "Sommet\n\nLe président Emmanuel Macron est arrivé.\n\n"
            "Selon Macron, « la situation est grave ».",
            "Emmanuel Macron",
        ),
    ],
)
def test_according_to_cues_name_the_full_name(text: str, speaker: str) -> None:
    assert [q.speaker for q in extract_quotes(text)] == [speaker]


def test_inflected_surnames_meet_only_through_case_endings() -> None:
    assert inflected("умєрова", "умєров")
    assert inflected("dudy", "duda")
    assert inflected("kosiniaka-kamysza", "kosiniak-kamysz")
    assert inflected("захаровои", "захарова")
    assert not inflected("johnsen", "johnson")  # English has no case endings in the lexicon
    assert not inflected("duda", "duda")
    assert not inflected("dudek", "duda")


def test_polish_dialogue_lines_opened_by_a_dash_are_quotes() -> None:
    text = (
        "Granica\n\nGenerał Wiesław Kukuła odwiedził jednostkę.\n\n"
        "– Sytuacja jest napięta – powiedział gen. Kukuła. – Ale panujemy nad nią.\n\n"
        "– Nie oddamy ani metra – dodał.\n\n"
        "– Sojusz jest silny – powiedziała premier Anna Kowalska."
    )
    quotes = extract_quotes(text)
    assert [(q.text, q.speaker) for q in quotes] == [
        ("Sytuacja jest napięta", "Wiesław Kukuła"),
        ("Ale panujemy nad nią.", "Wiesław Kukuła"),
        ("Nie oddamy ani metra", "Wiesław Kukuła"),
        ("Sojusz jest silny", "Anna Kowalska"),
    ]
    assert all(text[q.start : q.end] == q.text for q in quotes)


def test_dash_lines_without_a_reporting_verb_are_not_quotes() -> None:
    text = "Plan\n\nPlan obejmuje:\n\n– zakup czołgów – i nowe drony.\n\n– szkolenia – powiedzmy."
    assert extract_quotes(text) == ()


def test_dash_speech_after_a_sentence_of_narration_is_a_quote() -> None:
    text = (
        "Gruzja\n\nByła prezydent Salome Zurabiszwili skrytykowała decyzję. – Gruzini wybrali "
        "Europę – powiedziała w rozmowie z TVN24.\n\n"
        "Minister zapowiedział zmiany. – to jest plan – i nowe drony."
    )
    quotes = extract_quotes(text)
    assert [(q.text, q.speaker) for q in quotes] == [
        ("Gruzini wybrali Europę", "Salome Zurabiszwili")
    ]


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        (
            "Sommet\n\n« La situation est grave », a déclaré le ministre des Armées Sébastien Lecornu.",
            "Sébastien Lecornu",
        ),
        (
            "Szczyt\n\n„Decyzje zapadną szybko” – powiedział szef Biura Bezpieczeństwa "
            "Narodowego Jacek Siewiera.",
            "Jacek Siewiera",
        ),
        ("Szczyt\n\n„Polska jest gotowa” – powiedział Prezydent Andrzej Duda.", "Andrzej Duda"),
        (
            "Брифинг\n\n«Это недопустимо», — заявил председатель Госдумы Вячеслав Володин.",
            "Вячеслав Володин",
        ),
        (
            "Брифинг\n\n«Это недопустимо», — заявил министр иностранных дел "
            "Сергей Викторович Лавров.",
            "Сергей Викторович Лавров",
        ),
        (
            "Брифінг\n\n«Це важливо», — заявив міністр закордонних справ України Андрій Сибіга.",
            "Андрій Сибіга",
        ),
        (
            'Summit\n\n"It is serious," said Brazilian President Luiz Inácio Lula da Silva.',
            "Luiz Inácio Lula da Silva",
        ),
    ],
)
def test_role_words_and_the_office_genitive_stay_out_of_the_name(text: str, speaker: str) -> None:
    assert [q.speaker for q in extract_quotes(text)] == [speaker]


def test_a_dash_paragraph_credited_by_the_next_one_is_a_quote() -> None:
    text = (
        "Захарова ответила Каллас\n\n"
        "Официальный представитель МИД России Мария Захарова прокомментировала заявление.\n\n"
        "— Никто в Москве не собирается нападать на Евросоюз.\n\n"
        "Так Захарова ответила на вопрос журналистов.\n\n"
        "— пункт первый: бюджет."
    )
    assert [(q.text, q.speaker) for q in extract_quotes(text)] == [
        ("Никто в Москве не собирается нападать на Евросоюз.", "Мария Захарова")
    ]


def test_dash_speech_after_a_colon_runs_to_the_paragraph_end_and_a_dash_list_is_no_quote() -> None:
    text = (
        "Gwarancje dla Ukrainy\n\n"
        "Europosłanka Magdalena Sikorska-Wiśniewska odpowiada krótko: – To nie jest sprawa "
        "jednego rządu, tylko całej Europy.\n\nPlan obejmuje: – zakup czołgów – i nowe drony."
    )
    assert [(q.text, q.speaker) for q in extract_quotes(text)] == [
        ("To nie jest sprawa jednego rządu, tylko całej Europy.", "Magdalena Sikorska-Wiśniewska")
    ]
