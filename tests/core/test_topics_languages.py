"""Topics and the accession board in the languages accession news comes in (uk/ru/pl/de/fr).

The strict topics (accession, consensus, guarantees) must fire on inflected forms and NATO's
other names, and stay quiet on the hard negatives: EU accession, a throne, university entrance,
the insurer Allianz, parties named Bündnis, other defence pacts. The board counts a country
named in any of the languages, on a real SQLite store.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from natoread.core.analysis.countries import country_match_query, country_names
from natoread.core.analysis.records import Analysis, TopicResult, TopicScore
from natoread.core.analysis.topics.defaults import (
    LANGUAGES,
    TOPIC_KNOBS,
    expand_forms,
    language_terms,
)
from natoread.core.analysis.topics.engine import TopicEngine, compile_topics, parse_topics
from natoread.core.feeds.documents import ParsedEntry
from natoread.core.storage.board import accession_board
from natoread.core.storage.store import Store

STRICT = {"accession", "consensus", "guarantees"}


@pytest.fixture(scope="module")
def engine() -> TopicEngine:
    return compile_topics(parse_topics(None, "(defaults)"))


@pytest.mark.parametrize(
    ("title", "body", "topic"),
    [
        ("Фінляндія вступила до НАТО", "", "accession"),
        ("Членство України в НАТО — питання часу", "", "accession"),
        ("Сенат ратифікував вступ Швеції до Північноатлантичного альянсу", "", "accession"),
        (
            "Орбан пригрозив вето",
            "Угорщина не погодиться на рішення НАТО без консенсусу.",
            "consensus",
        ),
        ("Рютте: стаття 5 залишається основою", "Генсек НАТО виступив у Брюсселі.", "guarantees"),
        ("Финляндия официально вступила в НАТО", "", "accession"),
        (
            "Лавров о расширении НАТО",
            "Москва против членства Киева в Североатлантическом альянсе.",
            "accession",
        ),
        (
            "Рютте: статья 5 защищает каждого союзника",
            "Генсек НАТО выступил в Брюсселе.",
            "guarantees",
        ),
        ("Przystąpienie Szwecji do NATO ratyfikowane", "", "accession"),
        ("Sikorski: członkostwo Ukrainy w NATO to kwestia czasu", "", "accession"),
        (
            "Gwarancje dla Kijowa",
            "Tylko art. 5 traktatu daje ochronę, mówi ekspert NATO.",
            "guarantees",
        ),
        (
            "Schweden tritt der NATO bei",
            "Stockholm ist das 32. Mitglied des Nordatlantikpakts.",
            "accession",
        ),
        (
            "Bundestag billigt Beitrittsprotokolle",
            "Die NATO-Erweiterung ist beschlossen.",
            "accession",
        ),
        ("Experte: Nur der Bündnisfall schützt", "Die NATO-Partner beraten.", "guarantees"),
        ("La Suède rejoint l'OTAN", "Stockholm a déposé ses instruments.", "accession"),
        ("Orban menace d'opposer son droit de veto", "L'OTAN décide par consensus.", "consensus"),
        (
            "Rutte : l'article 5 protège chaque allié",
            "Le secrétaire général de l'OTAN parle.",
            "guarantees",
        ),
    ],
)
def test_strict_topic_fires_on_inflected_forms(
    engine: TopicEngine, title: str, body: str, topic: str
) -> None:
    assert topic in engine.classify(title, body).topics


@pytest.mark.parametrize(
    ("title", "body"),
    [
        (
            "Вступна кампанія 2026",
            "МОН оприлюднило правила вступу до університетів; НАТО тут ні до чого.",
        ),
        ("Україна отримала статус кандидата на вступ до ЄС", "Європейська рада ухвалила рішення."),
        ("Карл III: рік після вступу на престол", "Монарх скорочує візити."),
        (
            "Вірменія заморозила участь в ОДКБ",
            "Організація не виконала зобов'язань щодо колективної оборони.",
        ),
        ("Венгрия блокирует переговоры о вступлении Украины в Евросоюз", "Будапешт наложил вето."),
        ("Вступительная кампания 2026", "Абитуриенты подают документы в вузы."),
        ("Akcesja Ukrainy do UE", "Komisja zarekomendowała negocjacje akcesyjne."),
        (
            "Państwa Sahelu tworzą sojusz obronny",
            "Mali i Niger podpisały pakt o zbiorowej obronie.",
        ),
        ("Allianz steigert Gewinn", "Der Münchner Versicherer Allianz profitiert."),
        ("Bündnis 90/Die Grünen streiten", "Der Parteitag debattierte über die Bundeswehr."),
        ("EU-Beitritt der Ukraine", "Die Kommission empfiehlt Beitrittsverhandlungen mit der EU."),
        ("L'Alliance des États du Sahel lance une force", "Le Mali promet une défense collective."),
        ("Adhésion de l'Ukraine à l'UE", "La Commission recommande l'ouverture des négociations."),
        (
            "Sahel juntas launch joint force",
            "They promised collective defence under the Alliance of Sahel States.",
        ),
    ],
)
def test_hard_negatives_fire_no_strict_topic(engine: TopicEngine, title: str, body: str) -> None:
    assert not STRICT & set(engine.classify(title, body).topics)


@pytest.mark.parametrize(
    ("title", "body", "topic"),
    [
        # consensus: veto, blocking and unanimity, inflected, with NATO or its allies nearby
        (
            "Budapest threatens to hold up the NATO communiqué",
            "Allies need every capital.",
            "consensus",
        ),
        ("Allies fail to agree on NATO's Black Sea mission", "Two capitals object.", "consensus"),
        (
            "Словаччина блокуватиме заяву НАТО",
            "Братислава не приєднається до консенсусу.",
            "consensus",
        ),
        ("Угорщина ветує рішення Альянсу", "Союзники шукають компроміс.", "consensus"),
        (
            "Анкара заблокировала решение НАТО",
            "Без единогласия союзников план отложен.",
            "consensus",
        ),
        (
            "Будапешт держит заявку Киева в заложниках",
            "Решения НАТО требуют согласия всех.",
            "consensus",
        ),
        ("Węgry zawetują deklarację NATO", "Sojusznicy szukają kompromisu.", "consensus"),
        ("Słowacja blokuje decyzję NATO", "Bez jednomyślności nie ma zaproszenia.", "consensus"),
        (
            "Ankara blockiert NATO-Beschluss",
            "Ohne Einstimmigkeit der Verbündeten geht nichts.",
            "consensus",
        ),
        (
            "Kein Konsens in der NATO über die Mission",
            "Zwei Staaten legen ein Veto ein.",
            "consensus",
        ),
        (
            "Budapest bloquera la déclaration de l'OTAN",
            "Les alliés cherchent l'unanimité.",
            "consensus",
        ),
        (
            "L'OTAN sans consensus sur la mission",
            "Deux capitales s'opposent au projet.",
            "consensus",
        ),
        # guarantees: security guarantees, the treaty's article, collective defence, near NATO
        ("Гарантії безпеки від країн НАТО", "Київ хоче зобов'язань, як у статті 5.", "guarantees"),
        (
            "Союзники по НАТО обсуждают статью 5",
            "Речь о коллективной обороне Прибалтики.",
            "guarantees",
        ),
        ("Gwarancje bezpieczeństwa NATO dla Bałtów", "Chodzi o artykuł 5 traktatu.", "guarantees"),
        (
            "NATO und die Sicherheitsgarantien",
            "Berlin will eine Zusage ähnlich Artikel 5.",
            "guarantees",
        ),
        (
            "L'OTAN et les garanties de sécurité",
            "Paris évoque l'article 5 du traité.",
            "guarantees",
        ),
        (
            "Article 5 in the age of drones",
            "NATO's collective defence clause is tested.",
            "guarantees",
        ),
    ],
)
def test_consensus_and_guarantees_fire_in_every_language(
    engine: TopicEngine, title: str, body: str, topic: str
) -> None:
    assert topic in engine.classify(title, body).topics


@pytest.mark.parametrize(
    ("title", "body"),
    [
        # vetoes and unanimity outside NATO
        (
            "Mayor vetoes zoning bill",
            "The council may override the veto; the allies of the mayor agree.",
        ),
        ("Russia vetoes UN Security Council text on Sudan", "NATO members condemned the move."),
        (
            "OPEC+ ministers fail to reach consensus",
            "Riyadh blocked a deal; NATO was not mentioned.",
        ),
        ("Президент ветував закон про бюджет", "Рада може подолати вето."),
        ("Совбез ООН: Китай наложил вето", "Страны НАТО выразили сожаление."),
        ("Prezydent zawetował ustawę o mediach", "Weto prezydenta trafi do Sejmu."),
        ("Opec+ blockiert Förderplan", "Kein Konsens unter den Produzenten."),
        ("Le président oppose son veto à la loi sur l'eau", "Le Parlement votera à nouveau."),
        # another text's article 5
        ("Стаття 5 Конституції України", "Народ є джерелом влади."),
        ("Статья 5 Конституции и выборы", "Юристы спорят."),
        ("Artykuł 5 konstytucji w sądzie", "Trybunał orzekł."),
        ("Artikel 5 des Grundgesetzes", "Die Pressefreiheit gilt auch online."),
        ("L'article 5 de la Constitution", "Le président veille au respect du texte."),
        # other pacts' collective defence, exercise names, loan guarantees
        ("ОДКБ обещает коллективную оборону", "Москва защитит союзников по ОДКБ."),
        ("Exercise Cold Response begins in Norway", "Defenders practised winter landings."),
        ("Regierung übernimmt Kreditgarantien für Werften", "Die Bürgschaften decken 80 Prozent."),
        ("Rząd udzieli gwarancji kredytowych", "Gwarancje BGK dla eksporterów."),
        ("Держава надасть гарантії за кредитами", "Кредитні гарантії для аграріїв."),
    ],
)
def test_vetoes_and_articles_outside_nato_fire_no_strict_topic(
    engine: TopicEngine, title: str, body: str
) -> None:
    assert not STRICT & set(engine.classify(title, body).topics)


def test_article_4_or_5_of_the_nato_treaty_is_not_another_text(engine: TopicEngine) -> None:
    """The exclude for "article 5 of the X" must not swallow "of the NATO treaty"."""
    result = engine.classify("Estonia asks for talks", "It invoked Article 4 of the NATO treaty.")
    assert "guarantees" in result.topics
    other = engine.classify("Court ruling", "Article 5 of the constitution protects NATO critics.")
    assert "guarantees" not in other.topics


def test_the_alliance_gives_a_veto_its_meaning_only_for_consensus(engine: TopicEngine) -> None:
    """Per-topic context: "the Alliance" says whose veto it is, not that troops mean guarantees;
    "allies" is no context (Kyiv's allies' delays are not NATO's consensus)."""
    assert "consensus" in engine.classify("Veto im Bündnis", "Ungarn droht erneut.").topics
    troops = engine.classify("Das Bündnis verlegt eine Brigade", "Sie soll verteidigen.")
    assert "guarantees" not in troops.topics
    delays = engine.classify("Zelensky presses allies for air defence", "Every delay costs lives.")
    assert not delays.topics
    carmakers = engine.classify("Carmakers' alliance delays plant", "The partners blocked it.")
    assert not carmakers.topics


@pytest.mark.parametrize(
    ("title", "body", "topic"),
    [
        # holdouts: postponing, slowing, unblocking, conditions, divisions (inflected)
        ("Угорщина знову відклала ратифікацію", "Будапешт гальмує рішення НАТО.", "consensus"),
        ("Анкара разблокировала план НАТО", "Турция выдвигает условия союзникам.", "consensus"),
        ("Słowacja nie poparła deklaracji NATO", "Bratysława stawia warunki.", "consensus"),
        ("Türkei gibt Widerstand gegen NATO-Plan auf", "Ankara hatte ihn vertagt.", "consensus"),
        ("La Turquie lève son veto", "Ankara faisait traîner la décision de l'OTAN.", "consensus"),
        (
            "Slovakia blocks NATO statement",
            "Bratislava sets conditions for the communique.",
            "consensus",
        ),
        # "an attack on one is an attack on all": the two halves vouch for each other
        ("Що буде після нападу", "Договір: напад на одного є нападом на всіх.", "guarantees"),
        ("Что будет после нападения", "Нападение на одного — нападение на всех.", "guarantees"),
        ("Co po ataku?", "Atak na jednego to atak na wszystkich.", "guarantees"),
        (
            "Was nach einem Angriff passiert",
            "Angriff auf einen ist Angriff auf alle.",
            "guarantees",
        ),
        (
            "Et après une attaque ?",
            "Une attaque contre l'un est une attaque contre tous.",
            "guarantees",
        ),
        # Article 4 consultations beside NATO
        ("Естонія просить консультацій за статтею 4", "Союзники по НАТО зберуться.", "guarantees"),
        (
            "Estland beantragt Konsultationen nach Artikel 4",
            "Die NATO-Partner beraten.",
            "guarantees",
        ),
    ],
)
def test_holdouts_and_the_treaty_pledge_fire_in_every_language(
    engine: TopicEngine, title: str, body: str, topic: str
) -> None:
    assert topic in engine.classify(title, body).topics


@pytest.mark.parametrize(
    ("title", "body"),
    [
        ("Hungary blocks €50bn EU aid for Ukraine", "The budget needs unanimity of all 27 states."),
        ("Словаччина блокує пакет санкцій ЄС", "Братислава вимагає гарантій і погрожує вето."),
        ("Словакия блокирует санкции ЕС", "Братислава требует гарантий и грозит вето."),
        ("Węgry zablokowały pieniądze z budżetu UE", "Decyzja wymaga jednomyślności."),
        ("Allianz erhöht Dividende", "Der Versicherer gibt eine Garantie für Policen."),
        (
            "Un distributeur étend la garantie à cinq ans",
            "Les clients peuvent bloquer le prélèvement.",
        ),
        ("Senate blocks jet sale to Gulf state", "The decision followed objections from Israel."),
    ],
)
def test_eu_vetoes_and_consumer_guarantees_fire_no_topic(
    engine: TopicEngine, title: str, body: str
) -> None:
    assert not engine.classify(title, body).topics


def test_a_possessive_is_not_joining_the_alliance(engine: TopicEngine) -> None:
    result = engine.classify("Poland wants to join NATO's nuclear sharing", "Warsaw asked allies.")
    assert "accession" not in result.topics
    assert "alliance" in result.topics  # the name inside the excluded phrase still counts
    assert "accession" in engine.classify("Moldova will not join NATO", "").topics


def test_a_french_name_inside_a_longer_term_stays_context(engine: TopicEngine) -> None:
    """ "l'OTAN" inside "adhésion de l'Ukraine à l'OTAN" still gives a veto its meaning."""
    result = engine.classify(
        "Orban refuse l'adhésion de l'Ukraine à l'OTAN", "Il invoque l'unanimité et son veto."
    )
    assert {"accession", "consensus"} <= set(result.topics)


def test_eu_accession_beside_nato_accession_still_finds_nato(engine: TopicEngine) -> None:
    result = engine.classify("Вступ України до НАТО і до ЄС", "Київ чекає на запрошення до НАТО.")
    assert "accession" in result.topics


def test_expand_forms_spells_every_inflection() -> None:
    assert expand_forms("вступ{,у} {до,в} НАТО") == [
        "вступ до НАТО",
        "вступ в НАТО",
        "вступу до НАТО",
        "вступу в НАТО",
    ]
    assert expand_forms("re:a{2}") == ["re:a{2}"]
    assert expand_forms("NATO") == ["NATO"]


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_language_file_gives_each_strict_topic_terms(language: str) -> None:
    tables = language_terms(language)
    for topic in STRICT:
        assert tables[topic]["terms"] or tables[topic]["weak_terms"], (language, topic)
    assert set(tables) == {"", *TOPIC_KNOBS}
    for lists in tables.values():
        for terms in lists.values():
            assert not any("{" in t or "}" in t for t in terms if not t.startswith("re:"))


def test_built_in_rules_compile_once_per_process() -> None:
    specs = parse_topics(None, "(defaults)")
    assert compile_topics(specs) is compile_topics(parse_topics(None, "(defaults)"))
    changed = parse_topics({"accession": {"threshold": 2.0}}, "user.toml")
    assert compile_topics(changed) is not compile_topics(specs)


def test_country_names_in_every_language() -> None:
    names = country_names("Ukraine")
    assert names[0] == "Ukraine"
    assert {"України", "Украины", "Ukrainie"} <= set(names)
    assert country_names("Narnia") == ("Narnia",)
    assert country_match_query('Nar"nia') == '"Nar""nia"'


def test_board_counts_a_country_named_in_other_languages(tmp_path: Path) -> None:
    now = datetime(2026, 11, 20, 12, tzinfo=UTC)
    store = Store(tmp_path / "natoread.sqlite3")
    try:
        feed = store.sync_feeds([("https://news.example/rss", "News", False)])[
            "https://news.example/rss"
        ]
        matched = Analysis(
            TopicResult(True, 2.0, ("accession",), (TopicScore("accession", 2.0, True),)), ()
        )
        stories = [
            ("pl", "Członkostwo Ukrainy w NATO", "Sikorski o przyszłości Ukrainy."),
            ("ru", "Вступление Украины в НАТО", "Киев ждет приглашения."),
            ("uk", "Вступ України до НАТО", "Київ чекає на запрошення."),
            ("en", "Ukraine's NATO bid", "Kyiv waits."),
            ("adj", "Український бізнес", "Українські компанії і НАТО."),
        ]
        entries = [
            (
                ParsedEntry(
                    guid=guid,
                    link=f"https://news.example/{guid}",
                    title=title,
                    author="",
                    body=body,
                    published=now,
                ),
                matched,
            )
            for guid, title, body in stories
        ]
        store.save_entries(feed, entries, now=int(now.timestamp()))
        [row] = accession_board(store, ["Ukraine"], now=int(now.timestamp()))
        assert row.total == 4  # the adjective "український" is not the country's name
        [sweden] = accession_board(store, ["Sweden"], now=int(now.timestamp()))
        assert sweden.total == 0
    finally:
        store.close()


def test_the_merged_terms_file_is_what_the_term_files_say() -> None:
    """`terms/merged.json` (read at start-up) must be the TOML files merged and expanded:
    after editing a term file, run `python -m natoread.core.analysis.topics.defaults`."""
    from natoread.core.analysis.topics.defaults import merged_from_sources, merged_terms

    assert merged_terms() == merged_from_sources()
