"""Who may speak: people and bodies, the paragraph's subject, inverted word order, shared
attributions, and German nouns that are not names."""

from __future__ import annotations

import pytest

from natoread.core.analysis.quotes import extract_quotes, normalise_speaker, speaker_key
from natoread.core.analysis.quotes.grammar import Grammar


def speakers(text: str) -> list[str | None]:
    """The speakers of every quote in an article, in order."""
    return [q.speaker for q in extract_quotes(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (  # German agency copy: an adverb opens the sentence, the subject follows the verb
            "Merz in Vilnius\n\nBundeskanzler Friedrich Merz besuchte die Brigade in Litauen. "
            "Dazu sagte Merz: „Wir stehen an der Seite der Balten.“",
            ["Friedrich Merz"],
        ),
        (  # a weapon system before the verb is the object of a preposition, not the speaker
            "Taurus\n\nMit Blick auf Taurus-Marschflugkörper sagte der Kanzler Olaf Scholz: "
            "„Das kommt nicht infrage.“",
            ["Olaf Scholz"],
        ),
        (  # a compound noun before the verb, nobody after it: no speaker rather than a noun
            "Debatte\n\nIm Bundestag wurde über die Wehrpflicht debattiert. Wehrpflicht sagte: "
            "„Nein, niemals“, war auf einem Plakat zu lesen.",
            [None],
        ),
        (  # an adverb before a colon labels nothing
            "Brigade\n\nDie Bundeswehr verlegt eine Brigade nach Litauen. Allerdings: „Die "
            "Brigade ist erst 2027 einsatzbereit.“",
            [None],
        ),
        (  # a noun subject in reported speech is not the paragraph's subject
            "Wehrdienst\n\nVerteidigungsminister Boris Pistorius (SPD) zeigte sich offen. Sein "
            "Gesetzentwurf sei „eine gute Grundlage“, sagte er.",
            ["Boris Pistorius"],
        ),
        (  # Polish: the subject after the verb
            "Szczyt\n\nW Wilnie trwa szczyt. Dodał też premier Donald Tusk: „Jesteśmy gotowi.”",
            ["Donald Tusk"],
        ),
    ],
)
def test_inverted_order_and_german_nouns(text: str, expected: list[str | None]) -> None:
    assert speakers(text) == expected


@pytest.mark.parametrize(
    ("text", "thing"),
    [
        (
            'Vote\n\nThe Defence Act passed on Tuesday. "It is a historic day," Kristersson '
            'said of the act. "It is a historic day," the Defence Act said.',
            "Act",
        ),
        ('Title\n\nBrexit changed everything. "It was a mistake," Brexit said.', "Brexit"),
        (
            "Закон\n\nВерховна Рада ухвалила закон. «Це історичний день», — заявив Закон.",
            "Закон",
        ),
        (
            "Gesetz\n\nDas Gesetz tritt im Januar in Kraft. „Ein guter Tag“, sagte das Gesetz.",
            "Gesetz",
        ),
    ],
)
def test_laws_events_and_topics_never_speak(text: str, thing: str) -> None:
    assert all(speaker is None or thing not in speaker for speaker in speakers(text))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (  # a pronoun goes to the paragraph's subject, not to the last name mentioned
            "Hungary votes\n\nThe vote had been delayed for months, Kristersson told reporters "
            "in March.\n\n"
            "Kristersson, speaking after talks with Viktor Orbán in Budapest, was upbeat. "
            '"We are close," he said.',
            ["Kristersson"],
        ),
        (  # French: 'a-t-il ajouté' is the subject of the paragraph
            "Lecornu à Vilnius\n\nSébastien Lecornu s'est rendu à Vilnius pour rencontrer les "
            "soldats déployés auprès du président Gitanas Nausėda. « La France tient parole », "
            "a-t-il affirmé.",
            ["Sébastien Lecornu"],
        ),
        (  # a capitalised common noun opening a sentence is not a subject a pronoun finds
            "Five takeaways\n\nMark Rutte opened the summit.\n\nAllies promised Ukraine an "
            "irreversible path. When asked about the wording, Rutte smiled. He said: "
            '"It is a bridge."',
            ["Mark Rutte"],
        ),
    ],
)
def test_a_pronoun_resolves_to_the_paragraph_subject(text: str, expected: list[str]) -> None:
    assert speakers(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Helsinki\n\nFinnish President Alexander Stubb spoke first.\n\n"
            '"We are ready." "We will not be intimidated," Ulf Kristersson said.',
            ["Ulf Kristersson", "Ulf Kristersson"],
        ),
        (
            "Berlin\n\nKanzler Friedrich Merz sprach zuerst.\n\n„Wir sind bereit.“ „Wir lassen "
            "uns nicht einschüchtern“, sagte Verteidigungsminister Boris Pistorius.",
            ["Boris Pistorius", "Boris Pistorius"],
        ),
        (
            "Paris\n\nLe président Emmanuel Macron a parlé.\n\n« Nous sommes prêts. » « Nous "
            "ne céderons pas », a déclaré le ministre Sébastien Lecornu.",
            ["Sébastien Lecornu", "Sébastien Lecornu"],
        ),
        (
            "Berlin\n\n„Wir sind bereit“, sagte Pistorius, „aber wir brauchen Zeit.“",
            ["Pistorius", "Pistorius"],
        ),
        (  # words between the quotes: the first keeps its own frame
            'Helsinki\n\nFinnish President Alexander Stubb spoke first. "We are ready." Then '
            'the Swedish leader added: "We will not be intimidated," Ulf Kristersson said.',
            ["Alexander Stubb", "Ulf Kristersson"],
        ),
    ],
)
def test_two_quotes_share_one_attribution(text: str, expected: list[str]) -> None:
    assert speakers(text) == expected


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        (
            "Title\n\nKristi Raik of the ICDS think tank spoke in Tallinn.\n\n"
            '"It is a matter of weeks, not a month," said Raik.',
            "Kristi Raik",
        ),
        (
            "Title\n\nSweden's ambassador to NATO, Jan Knutsson, went further. "
            '"We are ready to join."',
            "Jan Knutsson",
        ),
    ],
)
def test_a_name_in_the_sentence_beats_a_role(text: str, speaker: str) -> None:
    assert speakers(text) == [speaker]


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        ("Кремль\n\n«Это очередная провокация», — заявили в Кремле.", "Кремль"),
        ("МЗС\n\n«Ми засуджуємо цей удар», — заявили в МЗС України.", "МЗС України"),
        (  # a place, then the speaker
            "Саммит\n\n«Двери альянса открыты», — заявил в Брюсселе Марк Рютте.",
            "Марк Рютте",
        ),
        ("Кремль\n\n«Это провокация», — заявил в Кремле Дмитрий Песков.", "Дмитрий Песков"),
    ],
)
def test_a_body_after_a_locative_speaks(text: str, speaker: str) -> None:
    assert speakers(text) == [speaker]


def test_a_city_after_a_locative_is_no_speaker() -> None:
    text = (
        "Саммит\n\nГенсек Марк Рютте прибыл.\n\n"
        "«Двери альянса открыты для всех, кто готов», — заявили в Брюсселе."
    )
    found = speakers(text)
    assert len(found) == 1
    assert found[0] != "Брюсселе"


# Scraped pages, broadcasters and dialogue: navigation lines, bylines, datelines, captions.
STYLES = [
    (  # English scraped page: navigation, byline, caption, then wire copy
        "Home | World | Europe | Live\nNATO chief: door stays open\n"
        "By Jane Doe, Reuters\n\nMark Rutte speaks in Brussels. Photo: AP\n\n"
        "BRUSSELS (Reuters) - NATO Secretary General Mark Rutte said on Tuesday the alliance "
        'would not bow to pressure. "The door is open and it stays open," Rutte told '
        "reporters.\n\nShare this article\nRelated: Sweden joins",
        ["Mark Rutte"],
    ),
    (  # Ukrainian broadcaster: a quote paragraph, the attribution on its own line
        "Новини | Політика | Світ\nСибіга: вступ до НАТО — питання часу\n\n"
        "Міністр закордонних справ України Андрій Сибіга виступив у Брюсселі.\n\n"
        "«Вступ України до НАТО вже не питання "
        "«якщо», а питання «коли»».\n\n— заявив Сибіга.\n\nЧитайте також: Саміт НАТО",
        ["Андрій Сибіга"],
    ),
    (  # Russian agency copy with a dateline and 'по словам' with the genitive full name
        "Главное\nМОСКВА, 3 апр — РИА Новости. Расширение альянса на восток продолжится, "
        "считают в Брюсселе.\n\nПо словам Йенса Столтенберга, «двери НАТО открыты». "
        "Об этом он заявил после встречи министров.",
        ["Йенс Столтенберг"],
    ),
    (  # Polish portal: dash dialogue without quote marks
        "Wiadomości | Kraj | Świat\nKosiniak-Kamysz o granicy\n\n"
        "Wicepremier Władysław Kosiniak-Kamysz odwiedził żołnierzy na granicy.\n\n"
        "– Granica jest bezpieczna – powiedział wicepremier. – Nie oddamy ani metra.\n\n"
        "Czytaj także: Szczyt NATO",
        ["Władysław Kosiniak-Kamysz", "Władysław Kosiniak-Kamysz"],
    ),
    (  # German broadcaster: the subject after the verb, a nested quote
        "Startseite > Politik > Ausland\nPistorius in Litauen\n\n"
        "Verteidigungsminister Boris Pistorius besuchte die Brigade in Vilnius. Dort sagte "
        "Pistorius: „Wir nennen das „Abschreckung“, und wir meinen es ernst.“\n\nMehr zum Thema",
        ["Boris Pistorius"],
    ),
    (  # French daily: inverted 'a-t-elle', two quotes sharing one attribution
        "Accueil › International\nLa ministre à Vilnius\n\n"
        "La ministre Catherine Vautrin a rencontré son homologue lituanienne Dovilė Šakalienė. "
        "« Nous sommes là. » « Nous resterons », a-t-elle déclaré.\n\nLire aussi : l'OTAN",
        ["Catherine Vautrin", "Catherine Vautrin"],
    ),
]


@pytest.mark.parametrize(("text", "expected"), STYLES)
def test_real_world_page_styles(text: str, expected: list[str]) -> None:
    assert speakers(text) == expected


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        ("Сибіга\n\n«Ми готові до будь-якого сценарію», — каже Андрій Сибіга.", "Андрій Сибіга"),
        ("Песков\n\n«Мы внимательно следим за этим», — говорит Дмитрий Песков.", "Дмитрий Песков"),
        ("Tusk\n\n„Jesteśmy gotowi na każdy scenariusz” – mówi Donald Tusk.", "Donald Tusk"),
        (
            "Lecornu\n\n« Nous serons prêts le moment venu », a indiqué Sébastien Lecornu.",
            "Sébastien Lecornu",
        ),
        (
            "Pistorius\n\n„Wir sind auf jeden Fall vorbereitet“, ergänzte Boris Pistorius.",
            "Boris Pistorius",
        ),
    ],
)
def test_present_tense_and_more_reporting_verbs(text: str, speaker: str) -> None:
    assert speakers(text) == [speaker]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (  # a role over a body ('szef MSZ') is a role, resolved to the minister
            "Sikorski: Rosja nie zastraszy NATO\n\nMinister spraw zagranicznych Radosław "
            "Sikorski odniósł się w poniedziałek do gróźb Kremla.\n\n– Rosja nie zastraszy "
            "Sojuszu – powiedział szef MSZ na konferencji prasowej. – Jesteśmy gotowi.",
            ["Radosław Sikorski", "Radosław Sikorski"],
        ),
        (  # 'Jak dodał': the verb alone says 'he added'
            "Duda o gwarancjach\n\n„Potrzebujemy stałej obecności wojsk USA” – mówił prezydent "
            "Andrzej Duda w rozmowie z dziennikarzami. Jak dodał, „to kwestia bezpieczeństwa "
            "całego regionu”.",
            ["Andrzej Duda", "Andrzej Duda"],
        ),
        (  # a broadcaster inside the opening phrase is not the subject
            "Wadephul warnt Moskau\n\nBundesaußenminister Johann Wadephul (CDU) hat Russland "
            "gewarnt. Im Interview mit der ARD sagte Wadephul: „Wir lassen uns nicht "
            "einschüchtern.“",
            ["Johann Wadephul"],
        ),
        (  # an embedded fragment of lowercase words and acronyms is speech, not a title
            "Baerbock in Kiew\n\nAußenministerin Annalena Baerbock hat der Ukraine weitere "
            "Unterstützung zugesagt. Die Ukraine gehöre „in die EU und in die NATO“, betonte "
            "Baerbock.",
            ["Annalena Baerbock"],
        ),
    ],
)
def test_agency_and_broadcaster_shapes(text: str, expected: list[str]) -> None:
    assert speakers(text) == expected


def test_a_trailing_so_attributes_the_reported_speech_before_it() -> None:
    text = (
        "Pistorius in Litauen\n\nDie Lage an der Ostflanke sei ernst, so Pistorius. "
        "„Wir müssen kriegstüchtig werden.“\n\nAuch die Opposition äußerte sich."
    )
    assert speakers(text) == ["Pistorius"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (  # German compound roles before a name are roles ('Sicherheitsexpertin')
            "Major\n\n„Wir sollten auf das Schlimmste vorbereitet sein“, sagte "
            "Sicherheitsexpertin Claudia Major der Zeitung.",
            ["Claudia Major"],
        ),
        (
            "Hensoldt\n\n„Wir investieren in neue Werke“, sagte Finanzvorstand Christian Ladurner.",
            ["Christian Ladurner"],
        ),
        (  # 'zu BILD', 'der F.A.Z.': the outlet told is no part of the name
            "Rheinmetall\n\nRheinmetall-Chef Armin Papperger warnte.\n\n„Wir haben keine Zeit "
            "mehr“, sagte Papperger zu BILD.",
            ["Armin Papperger"],
        ),
        (  # a contracted preposition opens no label
            "Breuer\n\nGeneralinspekteur Carsten Breuer sprach in Berlin über die Lage der "
            "Bundeswehr und die Wehrpflicht. Zum Personalmangel: „Wir brauchen jedes Jahr "
            "Zehntausende junge Menschen.“",
            ["Carsten Breuer"],
        ),
        (  # a first name alone before the full name
            'Norway\n\n"Presence is the best deterrent we have," Eirik said at the base. '
            "General Eirik Kristoffersen has led the armed forces since 2020.",
            ["Eirik Kristoffersen"],
        ),
        (  # a country in the genitive between the role and the name
            "Валтонен\n\nПо словам главы МИД Финляндии Элины Валтонен, «это гибридная атака». "
            "Об этом она заявила после встречи.",
            ["Элина Валтонен"],
        ),
        (  # a news agency is no speaker
            "Budapeszt\n\n„Budapeszt gra na czas, jak zwykle” – powiedział PAP.",
            [None],
        ),
    ],
)
def test_dev_set_shapes(text: str, expected: list[str | None]) -> None:
    assert speakers(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (  # TV reportage: dash dialogue whose line holds an apostrophe
            "На позиціях\n\nПоруч працює медикиня Марта Гнатюк. Вона прийшла до війська "
            "добровольцем.\n\n— Найважче — це евакуація. Машина не може під'їхати ближче, — "
            "розповідає вона.",
            ["Марта Гнатюк"],
        ),
        (  # 'his neighbour <Name>' is the subject a later pronoun refers to
            "Нарва\n\nВиктор Кузнецов всю жизнь проработал в Нарве.\n\n— Я боюсь только "
            "одного, — говорит Кузнецов.\n\nЕго соседка Людмила Тамм, учительница, с ним не "
            "согласна.\n\n— Мы свои, но нам приходится это доказывать, — объясняет она.",
            ["Виктор Кузнецов", "Людмила Тамм"],
        ),
        (  # a lowercase role and its genitive in apposition, then the name
            "Tarcza Wschód\n\nWicepremier, minister obrony narodowej Władysław Kosiniak-Kamysz "
            "odwiedził w czwartek budowę umocnień.\n\n– Budujemy szybciej, niż zakładaliśmy – "
            "powiedział szef MON.",
            ["Władysław Kosiniak-Kamysz"],
        ),
        (  # an attribution inside the marks closed by a full stop
            "Moldavie\n\nLa présidente moldave Maia Sandu a répondu aux questions.\n\n« La "
            "neutralité est inscrite dans notre Constitution, a rappelé Maia Sandu. Mais elle "
            "ne nous protège pas. »",
            ["Maia Sandu", "Maia Sandu"],
        ),
    ],
)
def test_reportage_and_interview_shapes(text: str, expected: list[str]) -> None:
    assert speakers(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (  # an outlet's name in guillemets is no quote
            "Карасин\n\nСенатор Григорий Карасин выступил.\n\n«Германия возвращается на восток "
            "с оружием», — сказал Карасин «Коммерсанту».\n\nДепутат Андрей Картаполов "
            "выразился резче. «Эта бригада будет в зоне досягаемости», — отметил депутат.",
            ["Григорий Карасин", "Андрей Картаполов"],
        ),
        (  # a German name running into a noun ('Papperger Alarm!') ends at the surname
            "Rheinmetall\n\nJetzt schlägt Rheinmetall-Chef Armin Papperger Alarm! „Wir haben "
            "keine Zeit mehr“, sagte Papperger und die Manager nickten.",
            ["Armin Papperger"],
        ),
        (  # a role after its adjective in the genitive, after a cue
            "Wilno\n\nLitewska minister obrony Dovilė Šakalienė przyjechała do Warszawy. "
            "Towarzyszył jej wiceminister Cezary Tomczyk.\n\n– Polska i Litwa to jeden teatr "
            "działań – odpowiedział Tomczyk.\n\nZdaniem litewskiej minister wspólne zamówienia "
            "obniżą ceny „nawet o jedną trzecią”.",
            ["Cezary Tomczyk", "Dovilė Šakalienė"],
        ),
    ],
)
def test_outlets_nouns_and_roles_after_adjectives(text: str, expected: list[str]) -> None:
    assert speakers(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (  # a place after 'from' is no speaker ('a mum-of-three from Leeds told')
            "Poll\n\nOne mum-of-three from Leeds told The Sun: \"I don't want my lad coming "
            'home in a box."',
            [None],
        ),
        (  # a party affiliation in brackets between the name and the verb
            "Senator\n\nSen. Bradley Cutwater (R-Mont.) blasted NATO's European members, "
            'accusing them of "freeloading" on American taxpayers.',
            ["Bradley Cutwater"],
        ),
        (  # 'His fellow Republican, Sen. <Name>,' is the subject 'she' refers to
            'Senator\n\n"They are laughing at us," Sen. Bradley Cutwater fumed on Fox News.\n\n'
            "His fellow Republican, Sen. Marcia Delgado of Arizona, wasn't having it. "
            '"Poland spends more on defense than we do," she told The Post.',
            ["Bradley Cutwater", "Marcia Delgado"],
        ),
        (  # a manner-of-speaking verb attributes
            "Narva\n\nLjudmila Orav has lived in Narva for 60 years. Orav says she trusts NATO "
            'more than politicians. "The soldiers at least come when they say they will," '
            "she laughed.",
            ["Ljudmila Orav"],
        ),
    ],
)
def test_tabloid_and_feature_shapes(text: str, expected: list[str | None]) -> None:
    assert speakers(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Neutralität\n\nKritik kommt von der SVP. Nationalrat Urs Bachmann sprach von "
            "einem «schleichenden Nato-Beitritt».",
            ["Urs Bachmann"],
        ),
        (
            "Brest\n\nLa chercheuse Camille Perrin, spécialiste des questions navales, y voit "
            "« une forme de guerre des nerfs ».",
            ["Camille Perrin"],
        ),
    ],
)
def test_characterising_verbs_attribute_a_fragment(text: str, expected: list[str]) -> None:
    assert speakers(text) == expected


def test_a_body_loses_its_place_complement_and_a_stop_word_is_no_name() -> None:
    text = "“It is a provocation,” the Russian embassy in Oslo said on Monday."
    assert [q.speaker for q in extract_quotes(text)] == ["Russian embassy"]
    text = "Sur l'antenne de France Inter, il a salué les pays baltes, « en première ligne »."
    assert "Sur" not in [q.speaker for q in extract_quotes(text)]


def test_a_role_over_an_acronym_opening_a_sentence_is_the_person_it_titles() -> None:
    """'Szef BBN dodał' is the head of the office named earlier, not a body called 'Szef BBN'."""
    text = (
        "Dwa głosy\n\nSzef Biura Bezpieczeństwa Narodowego Sławomir Cenckiewicz mówił o Ukrainie."
        "\n\nSzef BBN dodał jednak, że o metodach warto się spierać, „ale nie publicznie”."
    )
    assert speakers(text) == ["Sławomir Cenckiewicz"]


def test_a_country_possessive_before_a_bodys_proper_name_is_no_part_of_it() -> None:
    """ "Britain's Foreign Office" and "the Foreign Office" are one speaker, shown alike; a
    lowercase body keeps its country, which tells whose ministry it is."""
    text = (
        "Drills\n\nBritain's Foreign Office dismissed the warning as “familiar bluster.”\n\n"
        "In London, the Foreign Office said: “These are defensive exercises.”\n\n"
        "“We will respond,” Russia's foreign ministry said."
    )
    assert speakers(text) == ["Foreign Office", "Foreign Office", "Russia's foreign ministry"]
    # a body every country has keeps its country, capitalised or not: it tells whose
    assert normalise_speaker("Ukraine's Ministry of Foreign Affairs").startswith("Ukraine's")
    assert speaker_key("Russia's Defence Ministry") != speaker_key("Ukraine's Defence Ministry")


def test_french_elided_articles_and_bodies_named_in_several_words() -> None:
    """ "l'Élysée" is the Élysée (the word after the elided article counts, and the phrase
    ends before 'dans un communiqué'); "Le Quai d'Orsay" is one body, not a person 'Quai'."""
    text = (
        "L'Élysée dénonce\n\n« La France se tient aux côtés de la Moldavie », a indiqué "
        "l'Élysée dans un communiqué.\n\nLe Quai d'Orsay a pour sa part rappelé que « la "
        "neutralité de la Moldavie ne saurait servir de prétexte à l'ingérence »."
    )
    assert speakers(text) == ["Élysée", "Quai d'Orsay"]
    assert speaker_key("Quai d'Orsay") == speaker_key("MFA")
    assert speaker_key("Hôtel de Brienne") == speaker_key("Ministère des Armées")
    assert normalise_speaker("Valéry Giscard d'Estaing") == "Valéry Giscard d'Estaing"


def test_a_surname_with_particles_and_german_sie_go_to_the_woman_named() -> None:
    """'Von der Leyen' in a headline is the 'Ursula von der Leyen' of the body, and her 'sagte
    sie' goes to her, not to the man named last ('sie' is she, never a man)."""
    text = (
        "Von der Leyen und Wadephul: zwei Wege\n\nKommissionspräsidentin Ursula von der Leyen "
        "und Außenminister Johann Wadephul gelten als Verbündete.\n\nVon der Leyen spricht "
        "lieber über Geld. „Europa muss seine Verteidigung selbst bezahlen können“, sagte sie "
        "in Straßburg.\n\nWadephul dagegen wirbt offen. „Die Ukraine gehört in die NATO“, "
        "sagte er.\n\nSie wiederum betonte später, die Kommission habe „keine Zuständigkeit "
        "für Bündnisfragen“."
    )
    assert speakers(text) == ["Ursula von der Leyen", "Johann Wadephul", "Ursula von der Leyen"]


@pytest.mark.parametrize(
    ("sentence", "head"),
    [
        ("Das sei entschieden, sagte sie nach dem Treffen.", "sie"),
        ("Das sei entschieden, sagten sie nach dem Treffen.", "they"),
        ("Sie betonten später, das sei entschieden.", "they"),
        ("Sie betonte später, das sei entschieden.", "sie"),
    ],
)
def test_german_sie_is_she_or_they_by_its_verbs_number(sentence: str, head: str) -> None:
    """'sie' is she with a singular reporting verb and they with a plural one."""
    grammar = Grammar(sentence)
    at = next(k for k, tok in enumerate(grammar.toks) if tok.low == "sie")
    mention = grammar.mention(at, at + 1)
    assert mention is not None and mention.kind == "pronoun" and mention.head == head


def test_an_unnamed_source_of_an_outlet_before_a_place_complement_is_no_speaker() -> None:
    """'співрозмовник Радіо Свобода в Офісі президента визнав': the outlet's name is no person
    and 'в Офісі президента' is where the source sits, not who speaks; the expert named earlier
    never gets the source's words."""
    text = (
        "Політологиня\n\nУ коментарі Радіо Свобода політологиня Марія Золкіна заявила, що не "
        "очікує рішень.\n\nВодночас співрозмовник Радіо Свобода в Офісі президента визнав, що "
        "розмови про запрошення «поки що заморожені»."
    )
    assert speakers(text) == [None]


def test_an_article_of_a_law_never_speaks_and_a_sentence_opening_for_names_no_one() -> None:
    """'The constitution's Article 78 says …' is a text, not a speaker; 'For Kateryna
    Odarchenko, …' names Kateryna Odarchenko, whom 'she said' then means."""
    text = (
        "Declaration\n\nThe constitution's Article 78 says the authorities \"shall take all "
        'measures to ensure the full integration of Georgia."\n\nFor Kateryna Odarchenko, a '
        'Kyiv-based political analyst, the omission speaks for itself. "When a text stops '
        'mentioning a promise, the promise has been shelved," she said.'
    )
    assert speakers(text) == [None, "Kateryna Odarchenko"]


def test_a_role_with_a_lowercase_complement_before_the_verb_is_its_subject() -> None:
    """'le chef de la diplomatie a estimé que …' is said by the foreign minister named before,
    although 'diplomatie' is no role word itself."""
    text = (
        "Barrot\n\nLe ministre des Affaires étrangères, Jean-Noël Barrot, était l'invité de la "
        "matinale.\n\nInterrogé sur le blocage hongrois, le chef de la diplomatie a estimé que "
        "Budapest « finira par comprendre où est son intérêt »."
    )
    assert speakers(text) == ["Jean-Noël Barrot"]


def test_a_french_adverb_between_the_subject_and_its_verb_is_skipped() -> None:
    """'il a également salué …, « … »': the pronoun before the adverb is the subject."""
    text = (
        "Barrot\n\nLe ministre Jean-Noël Barrot était l'invité de la matinale.\n\nSur "
        "l'antenne de France Inter, il a également salué l'engagement des pays baltes, « en "
        "première ligne depuis le premier jour »."
    )
    assert speakers(text) == ["Jean-Noël Barrot"]


def test_a_role_with_a_nationality_goes_to_the_person_of_that_country() -> None:
    """'Litewski minister' is the Lithuanian named ('… Litwy Kęstutis Budrys'), not the Polish
    minister named last (Polish country names and adjectives in every case, as data)."""
    text = (
        "Budrys w Wilnie\n\nWILNO. Minister spraw zagranicznych Litwy Kęstutis Budrys spotkał "
        "się w piątek z Radosławem Sikorskim.\n\n– Nie ma dziś w Sojuszu dwóch krajów, które "
        "rozumieją się lepiej – powiedział Sikorski.\n\nLitewski minister podkreślił, że "
        "przesmyk suwalski to „najważniejsze 65 kilometrów w Europie”."
    )
    assert speakers(text) == ["Radosław Sikorski", "Kęstutis Budrys"]
