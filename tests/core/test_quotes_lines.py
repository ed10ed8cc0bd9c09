"""Scraped pages: one-line units (navigation, 'read also' links) are paragraphs of their own."""

from __future__ import annotations

from natoread.core.analysis.quotes import extract_quotes
from natoread.core.analysis.quotes.marks import paragraphs


def test_a_short_line_before_a_much_longer_one_is_no_hard_wrap() -> None:
    link = "Читайте также: Приднестровье осталось без российского газа"
    para = (
        "Министр обороны Молдовы Анатолий Носатый сообщил журналистам, что армия получит "
        "новые радары в первом квартале."
    )
    text = f"Заголовок\n{link}\n{para}"
    assert [text[a:b] for a, b in paragraphs(text)] == ["Заголовок", link, para]


def test_hard_wrapped_lines_stay_one_paragraph() -> None:
    lines = [
        "The minister said on Tuesday that the alliance would decide",
        "on the new plans for the northern flank before the summit in",
        "July.",
    ]
    text = "Title\n" + "\n".join(lines)
    assert len(paragraphs(text)) == 2


def test_the_subject_after_a_link_line_is_the_pronoun_s_referent() -> None:
    text = (
        "Санду выступила\n"
        "Президент Молдовы Майя Санду выступила в парламенте.\n"
        "Читайте также: Приднестровье осталось без российского газа\n"
        "Министр обороны Молдовы Анатолий Носатый сообщил журналистам, что армия получит "
        "новые радары. По его словам, армия страны «самая маленькая в регионе»."
    )
    assert [quote.speaker for quote in extract_quotes(text)] == ["Анатолий Носатый"]


def test_a_label_set_off_by_marks_names_the_speaker_after_a_time_stamp() -> None:
    text = (
        "NATO-Gipfel: Der Liveblog\n\n"
        "+++ 18:47 Uhr +++ Selenskyj: „Wir bitten nicht um Almosen“ +++\n"
        "Der ukrainische Präsident Wolodymyr Selenskyj hat die Erwartungen gedämpft.\n\n"
        "+++ 18:20 Uhr +++ Ungarn bleibt bei Nein +++\n"
        "Ungarns Ministerpräsident Viktor Orbán hat seine Ablehnung bekräftigt."
    )
    assert [quote.speaker for quote in extract_quotes(text)] == ["Wolodymyr Selenskyj"]
