"""Language detection, names inflected after a cue, same-mark nesting and dash lines."""

from __future__ import annotations

from pathlib import Path

import pytest

from natoread.core.analysis.quotes import extract_quotes
from natoread.core.analysis.quotes.cases import from_oblique, nominative
from natoread.core.analysis.quotes.languages import detect, load_profiles, profiles_of


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Генсек НАТО заявил, что альянс готов. Это было сказано после встречи.", "ru"),
        ("Міністр заявив, що Україна готова. Це було сказано після зустрічі.", "uk"),
        ("Minister powiedział, że Polska jest gotowa. To już jest decyzja.", "pl"),
        ("Der Kanzler sagte, dass die Bundeswehr nicht bereit sei.", "de"),
        ("Le ministre a déclaré que la France est prête et qu'il faut agir.", "fr"),
        ("The minister said that the alliance was ready, and it would act.", "en"),
    ],
)
def test_the_language_of_an_article_is_detected(text: str, language: str) -> None:
    assert detect(text)[0] == language


def test_a_mixed_article_reads_as_both_of_its_languages() -> None:
    text = (
        "Rutte in Kyiv\n\nNATO Secretary General Mark Rutte said the alliance was with Ukraine, "
        "and that the path was irreversible.\n\n"
        "Українською: «Ми з вами», — заявив він. За словами генсека, це важливо для України, "
        "і це вже не питання часу, а питання рішення, яке буде ухвалене після саміту."
    )
    assert set(detect(text)) == {"en", "uk"}


def test_text_without_evidence_is_read_by_its_script() -> None:
    assert detect("Столтенберг") == ("ru", "uk")
    assert detect("Stoltenberg") == ("en",)


@pytest.mark.parametrize(
    ("language", "genitive", "name"),
    [
        ("ru", "Йенса Столтенберга", "Йенс Столтенберг"),
        ("ru", "Марии Захаровой", "Мария Захарова"),
        ("ru", "Сергея Лаврова", "Сергей Лавров"),
        ("ru", "Урсулы фон дер Ляйен", "Урсула фон дер Ляйен"),
        ("ru", "Марка Рютте", "Марк Рютте"),
        ("uk", "Андрія Сибіги", "Андрій Сибіга"),
        ("uk", "Ольги Стефанішиної", "Ольга Стефанішина"),
        ("uk", "Дениса Шмигаля", "Денис Шмигаль"),
        ("uk", "Володимира Зеленського", "Володимир Зеленський"),
        ("pl", "Radosława Sikorskiego", "Radosław Sikorski"),
        ("pl", "Anny Kowalskiej", "Anna Kowalska"),
        ("pl", "Władysława Kosiniaka-Kamysza", "Władysław Kosiniak-Kamysz"),
        ("pl", "Pawła Zalewskiego", "Paweł Zalewski"),
        ("pl", "Marka Ruttego", "Mark Rutte"),
    ],
)
def test_a_genitive_name_is_brought_back_to_the_nominative(
    language: str, genitive: str, name: str
) -> None:
    assert nominative(genitive, profiles_of((language,))) == name


def test_english_names_have_no_case_endings() -> None:
    assert nominative("Anna Kowalska", profiles_of(("en",))) == "Anna Kowalska"
    assert nominative("Столтенберга", profiles_of(("pl",))) == "Столтенберга"  # not its script


def test_a_bad_genitive_rule_is_a_one_line_error(tmp_path: Path) -> None:
    (tmp_path / "xx.toml").write_text(
        '[words]\n[language]\ncode = "xx"\nscript = "latin"\ngenitive_endings = ["a-b"]\n',
        encoding="utf-8",
    )
    with pytest.raises(ValueError, match=r"^lexicon/xx: bad genitive rule 'a-b'"):
        load_profiles(tmp_path)


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        (  # Russian wire copy: the full name only ever printed in the genitive
            "Альянс готов к расширению\n\nМОСКВА, 12 июля. Генеральный секретарь альянса "
            "выступил в Брюсселе после встречи министров.\n\n"
            "По словам Йенса Столтенберга, «двери НАТО остаются открытыми для новых членов». "
            "Это было сказано после заседания совета.",
            "Йенс Столтенберг",
        ),
        (  # Russian: a woman's name after a role in the genitive
            "МИД ответил\n\nПо словам официального представителя МИД России Марии Захаровой, "
            "«это очередная провокация Запада». Она также заявила, что Москва ответит.",
            "Мария Захарова",
        ),
        (  # Ukrainian broadcaster: role words in the genitive before the name
            "Сибіга: вступ не є питанням часу\n\nЗа словами міністра закордонних справ "
            "України Андрія Сибіги, «Україна вже зараз робить альянс сильнішим». Він також "
            "наголосив, що це було обговорено після зустрічі.",
            "Андрій Сибіга",
        ),
        (  # Polish: no comma after the cue, the subject runs on after the name
            "Nawrocki o bazach\n\nWedług prezydenta Karola Nawrockiego Polska powinna mieć "
            "stałe bazy. „To jest kwestia naszego przetrwania” – stwierdził Nawrocki, który "
            "już wcześniej mówił, że to dla niego najważniejsze.",
            "Karol Nawrocki",
        ),
        (  # Polish portal: the genitive name, the nominative printed later in the article
            "Sikorski w Brukseli\n\nWedług Radosława Sikorskiego „Polska jest gotowa na "
            "każdy scenariusz”. Minister Radosław Sikorski przyjechał do Brukseli, gdzie "
            "spotkał się z sojusznikami.",
            "Radosław Sikorski",
        ),
    ],
)
def test_a_full_name_inflected_after_a_cue_is_the_speaker_in_the_nominative(
    text: str, speaker: str
) -> None:
    quotes = extract_quotes(text)
    assert [q.speaker for q in quotes][:1] == [speaker]


def test_an_inflected_full_name_joins_the_registered_one() -> None:
    text = (
        "Сибіга у Брюсселі\n\nМіністр Андрій Сибіга прибув до Брюсселя, де також "
        "зустрівся з колегами.\n\n"
        "За словами Андрія Сибіги, «вступ України до НАТО вже не питання часу». "
        "«Ми готові», — сказав він."
    )
    assert [q.speaker for q in extract_quotes(text)] == ["Андрій Сибіга", "Андрій Сибіга"]


@pytest.mark.parametrize(
    ("text", "content", "speaker"),
    [
        (
            "Песков о НАТО\n\n«Мы называем это «красной линией», и она не будет пересечена», "
            "— заявил Дмитрий Песков журналистам.",
            "Мы называем это «красной линией», и она не будет пересечена",
            "Дмитрий Песков",
        ),
        (
            'Title\n\n"We call it "deterrence" and we mean every word of it," said Mark '
            "Rutte, the NATO secretary general.",
            'We call it "deterrence" and we mean every word of it,',
            "Mark Rutte",
        ),
        (
            "Titel\n\n„Das nennen wir „Abschreckung“, und das meinen wir ernst“, sagte "
            "Verteidigungsminister Boris Pistorius.",
            "Das nennen wir „Abschreckung“, und das meinen wir ernst",
            "Boris Pistorius",
        ),
        (
            "Title\n\n“Some call it “a red line” but we call it a border,” said Kaja Kallas.",
            "Some call it “a red line” but we call it a border,",
            "Kaja Kallas",
        ),
    ],
)
def test_a_quote_nested_in_the_same_marks_is_not_cut(text: str, content: str, speaker: str) -> None:
    assert [(q.text, q.speaker) for q in extract_quotes(text)] == [(content, speaker)]


def test_unbalanced_same_marks_still_close_at_the_first_closer() -> None:
    text = 'Title\n\n"We are ready," said Rutte. "The "alliance is strong," he added.'
    assert next(q.text for q in extract_quotes(text)) == "We are ready,"


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        (
            "Песков о расширении\n\n«Мы не допустим расширения альянса на восток».\n\n"
            "– заявил пресс-секретарь президента Дмитрий Песков.\n\nКремль ранее предупреждал.",
            "Дмитрий Песков",
        ),
        (
            "Зеленський\n\n«Україна буде в НАТО, і це питання часу».\n\n"
            "— заявив Володимир Зеленський.",
            "Володимир Зеленський",
        ),
        (
            "Tusk o sojuszu\n\nPremier Donald Tusk spotkał się z sojusznikami.\n\n"
            "„Polska nie zmieni zdania w tej sprawie”.\n\n– powiedział premier.",
            "Donald Tusk",
        ),
        (
            "Министр о помощи\n\nМинистр обороны Андрей Белоусов прибыл в Минск.\n\n"
            "«Мы выполним все задачи».\n\n— сказал он.",
            "Андрей Белоусов",
        ),
    ],
)
def test_a_dash_line_after_a_quote_paragraph_attributes_it(text: str, speaker: str) -> None:
    assert [q.speaker for q in extract_quotes(text)] == [speaker]


def test_a_dash_line_that_is_no_attribution_attributes_nothing() -> None:
    text = (
        "Список\n\n«Мы готовы ко всему, что будет дальше».\n\n"
        "– поставки оружия;\n– обучение военных."
    )
    assert [q.speaker for q in extract_quotes(text)] == [None]


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        (
            "Зустріч\n\nЗеленський зустрівся з Йенсом Столтенбергом у Брюсселі. Йенс Столтенберг "
            "заявив, що альянс готовий.\n\n«Двері НАТО відчинені для України», — сказав "
            "Столтенберг.",
            "Йенс Столтенберг",
        ),
        (
            "Встреча\n\nПрезидент встретился с Марией Захаровой в Москве. Мария Захарова "
            "заявила, что решение принято.\n\n«Мы против», — сказала Захарова журналистам.",
            "Мария Захарова",
        ),
        (
            "Spotkanie\n\nPrezydent spotkał się z Władysławem Kosiniakiem-Kamyszem w Warszawie. "
            "Władysław Kosiniak-Kamysz powiedział, że to ważne.\n\n„Jesteśmy gotowi” – "
            "powiedział Kosiniak-Kamysz dziennikarzom.",
            "Władysław Kosiniak-Kamysz",
        ),
    ],
)
def test_a_name_met_first_in_another_case_is_filed_under_its_nominative(
    text: str, speaker: str
) -> None:
    assert [q.speaker for q in extract_quotes(text)] == [speaker]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Лавров\n\nМинистр иностранных дел России Сергей Лавров выступил в Москве.\n\n"
            "«Западные страны играют с огнем», — подчеркнул глава МИД. По его словам, «ответ "
            "будет адекватным».",
            ["Сергей Лавров", "Сергей Лавров"],
        ),
        (
            "Зеленський\n\nПрезидент Володимир Зеленський звернувся до лідерів G7. За словами "
            "глави держави, «Україна потребує більше систем ППО».",
            ["Володимир Зеленський"],
        ),
        (
            "Rutte à Paris\n\nLe secrétaire général Mark Rutte est arrivé à Paris. Selon lui, "
            "« l'Alliance est prête ».",
            ["Mark Rutte"],
        ),
        (
            "Rutte in Berlin\n\nGeneralsekretär Mark Rutte kam nach Berlin. Ihm zufolge ist "
            "„die Allianz bereit“.",
            ["Mark Rutte"],
        ),
        (
            "Tusk o zbrojeniach\n\nZdaniem premiera Donalda Tuska „Europa musi się zbroić”. "
            "Szef rządu mówił o tym w czwartek w Brukseli, gdzie spotkał się z przywódcami.",
            ["Donald Tusk"],
        ),
    ],
)
def test_according_to_him_and_a_role_in_the_genitive(text: str, expected: list[str]) -> None:
    assert [q.speaker for q in extract_quotes(text)] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Кулеба\n\nКолишній міністр Дмитро Кулеба виступив у Києві.\n\n«Історія не "
            "повторюється, — додав він, — але вона дуже любить римуватися.»",
            [("Історія не повторюється", "Дмитро Кулеба"),
             ("але вона дуже любить римуватися.", "Дмитро Кулеба")],
        ),
        (
            "Косачев\n\n«Они говорили, что вступают ради безопасности, — напомнил Константин "
            "Косачев. — А получили самую длинную линию соприкосновения».",
            [("Они говорили, что вступают ради безопасности", "Константин Косачев"),
             ("А получили самую длинную линию соприкосновения", "Константин Косачев")],
        ),
        (
            "Sandu à Paris\n\n« La neutralité est inscrite dans notre Constitution, a rappelé "
            "Maia Sandu, mais la neutralité ne nous protège pas. »",
            [("La neutralité est inscrite dans notre Constitution", "Maia Sandu"),
             ("mais la neutralité ne nous protège pas.", "Maia Sandu")],
        ),
    ],
)  # fmt: skip
def test_an_attribution_inside_the_marks_splits_the_quote(
    text: str, expected: list[tuple[str, str]]
) -> None:
    assert [(q.text, q.speaker) for q in extract_quotes(text)] == expected


def test_commas_inside_a_quote_without_a_reporting_verb_do_not_split_it() -> None:
    text = "Title\n\n“We came, we saw, and we stayed, for years,” said Rutte."
    assert [q.text for q in extract_quotes(text)] == ["We came, we saw, and we stayed, for years,"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (  # 'она' goes to the woman named before a man of unknown gender
            "Грузия\n\nПолитолог Анна Белова считает, что партия отказалась от курса на ЕС. "
            "Премьер-министр Ираклий Кобахидзе при этом продолжает говорить иное.\n\n"
            "«Это классическая стратегия: говорить одно, а делать другое», — отметила она.",
            ["Анна Белова"],
        ),
        (  # a role's genitive chain before the name: the name is the subject
            "Совфед\n\nСенатор Григорий Карасин выступил в среду.\n\nПредседатель комитета "
            "Госдумы по обороне Андрей Картаполов выразился резче. «Эта бригада будет в зоне "
            "досягаемости», — отметил депутат.",
            ["Андрей Картаполов"],
        ),
        (  # a surname with a soft sign meets its instrumental ('Шмигаль' / 'Шмигалем')
            "Фронт\n\nСирський зустрівся з міністром оборони Денисом Шмигалем.\n\nШмигаль, "
            "своєю чергою, повідомив про нові поставки. «До кінця року ми отримаємо ще "
            "чотири системи ППО», — заявив міністр оборони.",
            ["Шмигал"],
        ),
    ],
)
def test_gender_role_chains_and_soft_signs(text: str, expected: list[str]) -> None:
    found = [q.speaker or "" for q in extract_quotes(text)]
    assert len(found) == len(expected)
    assert all(want in speaker for speaker, want in zip(found, expected, strict=True))


@pytest.mark.parametrize(
    ("name", "nominative_form"),
    [
        ("Кястутісом Будрісом", "Кястутіс Будріс"),  # instrumental
        ("Марией Захаровой", "Мария Захарова"),
        ("Anną Fotygą", "Anna Fotyga"),  # 'ą' is not the nominative 'a'
        ("Donaldem Tuskiem", "Donald Tusk"),
        ("Гітанасу Науседі", "Гітанас Науседа"),  # dative
        ("Андрій Сибіга", None),  # already the nominative
        ("Hakeem Jeffries", None),
    ],
)
def test_a_full_name_in_an_oblique_case_comes_back_to_the_nominative(
    name: str, nominative_form: str | None
) -> None:
    profiles = profiles_of(("uk", "ru", "pl"))
    assert from_oblique(name, profiles) == nominative_form


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        (
            "Сибіга провів зустріч з Кястутісом Будрісом у Вільнюсі.\n\n"
            "«Литва з Україною», — сказав Будріс.",
            "Кястутіс Будріс",
        ),
        (
            "Premier Donald Tusk spotkał się z minister Anną Fotygą.\n\n– To jest ważne – dodała.",
            "Anna Fotyga",
        ),
        (
            "Premier Donald Tusk spotkał się z minister Anną Fotygą.\n\n– To jest ważne – dodał.",
            "Donald Tusk",
        ),
        (
            "Марк Рютте встретился с Марией Захаровой.\n\n– Это важно, – сказала она.",
            "Мария Захарова",
        ),
    ],
)
def test_a_feminine_verb_and_an_oblique_name_steer_the_speaker(text: str, speaker: str) -> None:
    assert [q.speaker for q in extract_quotes(text)] == [speaker]


@pytest.mark.parametrize(
    "text",
    [
        "Водночас співрозмовник в Офісі президента визнав, що розмови «поки що заморожені».",
        "Источник в российской делегации на переговорах в Стамбуле сообщил, что Москва "
        "«не видит предмета для обсуждения».",
        "„Nie ma na to zgody” – powiedział w rozmowie z «Rzeczpospolitą» rozmówca z MSZ.",
    ],
)
def test_outlets_places_and_unnamed_sources_never_speak(text: str) -> None:
    assert [q.speaker for q in extract_quotes(text)] == [None]


def test_a_name_after_an_outlet_cue_is_no_person() -> None:
    text = (
        "У коментарі Радіо Свобода політологиня Марія Золкіна заявила, що не очікує рішень.\n\n"
        "«Головним буде не Україна», — сказала вона."
    )
    assert [q.speaker for q in extract_quotes(text)] == ["Марія Золкіна"]


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        (
            "WILNO. Minister spraw zagranicznych Litwy Kęstutis Budrys spotkał się z "
            "Radosławem Sikorskim.\n\n– Nie ma dziś w Sojuszu dwóch zdań – powiedział Budrys.",
            "Kęstutis Budrys",
        ),
        ("« Nous ne céderons pas », a réagi Bucarest.", None),
        ("„Wir bleiben standhaft“, sagte Ungarn.", None),
    ],
)
def test_places_are_no_speakers_and_no_part_of_a_name(text: str, speaker: str | None) -> None:
    assert [q.speaker for q in extract_quotes(text)] == [speaker]


def test_a_demonym_or_an_adjective_is_no_place() -> None:
    from natoread.core.analysis.quotes.tokens import is_place

    assert is_place("litwy") and is_place("угорщини") and is_place("estlands")
    assert not is_place("estonians") and not is_place("european")


def test_a_role_word_in_another_case_is_a_role() -> None:
    from natoread.core.analysis.quotes.tokens import is_title

    assert is_title("президентові") and is_title("міністром") and is_title("голові")
    assert not is_title("україною")
    text = (
        "ВІЛЬНЮС. Президентові Литви Гітанасу Науседі поставили питання про присутність військ."
        "\n\n«Постійна присутність — це сигнал», — відповів Науседа."
    )
    assert [q.speaker for q in extract_quotes(text)] == ["Гітанас Науседа"]


@pytest.mark.parametrize(
    ("text", "content", "speaker"),
    [
        (
            "Minister obrony spotkał się z żołnierzami.\n\n– To jest ważne dla nas wszystkich "
            "– minister Jan Kowalski powiedział po spotkaniu.",
            "To jest ważne dla nas wszystkich",
            "Jan Kowalski",
        ),
        (
            "Захарова провела брифинг.\n\n— Это провокация, — Захарова заявила журналистам.",
            "Это провокация",
            "Захарова",
        ),
    ],
)
def test_a_dash_line_is_speech_when_its_tail_holds_a_reporting_verb(
    text: str, content: str, speaker: str
) -> None:
    assert [(q.text, q.speaker) for q in extract_quotes(text)] == [(content, speaker)]


def test_a_dash_list_is_no_speech() -> None:
    assert extract_quotes("Lista:\n\n– jabłka – gruszki i śliwki\n\n– chleb – masło") == ()


def test_a_dash_line_after_an_announcing_colon_is_the_speech_announced() -> None:
    text = "Minister Jan Kowalski powiedział po spotkaniu:\n\n– To jest ważne. Nie ustąpimy."
    assert [(q.text, q.speaker) for q in extract_quotes(text)] == [
        ("To jest ważne. Nie ustąpimy.", "Jan Kowalski")
    ]
    assert extract_quotes("Lista zakupów:\n\n– jabłka\n– gruszki") == ()
