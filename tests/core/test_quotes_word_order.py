"""Word order: the subject after the verb when an adjective or an adverb opens the sentence."""

from __future__ import annotations

from natoread.core.analysis.quotes import extract_quotes


def test_german_opening_adjective_gives_way_to_the_person_after_the_verb() -> None:
    text = (
        "Der litauische Präsident Gitanas Nausėda lobte die Bundeswehr. „Ohne die Deutschen "
        "wäre unsere Abschreckung nur ein Versprechen“, sagte er in Vilnius.\n\n"
        "Kritischer äußerte sich die Wehrbeauftragte Eva Högl (SPD). „Das ist nicht "
        "akzeptabel.“"
    )
    speakers = [quote.speaker for quote in extract_quotes(text)]
    assert speakers == ["Gitanas Nausėda", "Eva Högl"]


def test_a_sentence_opened_by_a_role_keeps_its_named_subject_before_the_verb() -> None:
    text = (
        "Президент Молдовы Майя Санду выступила в парламенте.\n\n"
        "Лидер оппозиционного блока «Победа» Илан Шор, находящийся в Москве, назвал "
        "выступление Санду «подготовкой к вступлению в НАТО»."
    )
    assert [quote.speaker for quote in extract_quotes(text)] == ["Илан Шор"]


def test_a_surname_written_from_its_particle_after_an_inverted_verb() -> None:
    text = (
        "Ursula von der Leyen sagte Moldau Hilfe zu. Kremlsprecher Dmitri Peskow warnte.\n\n"
        "„Moldau steht nicht allein“, sagte von der Leyen der Zeitung „Die Welt“."
    )
    assert [quote.speaker for quote in extract_quotes(text)] == ["Ursula von der Leyen"]


def test_reported_speech_closed_by_an_inverted_verb_sets_the_speaker() -> None:
    text = (
        "Der litauische Präsident Gitanas Nausėda lobte die Bundeswehr. „Ohne die Deutschen "
        "wäre unsere Abschreckung nur ein Versprechen“, sagte er in Vilnius.\n\n"
        "Kritischer äußerte sich die Wehrbeauftragte Eva Högl (SPD). Die Soldaten in Litauen "
        "klagten über fehlende Wohnungen und Schulen, sagte sie. Es sei „nicht akzeptabel, "
        "dass Familien monatelang getrennt leben müssen“."
    )
    speakers = [quote.speaker for quote in extract_quotes(text)]
    assert speakers == ["Gitanas Nausėda", "Eva Högl"]


def test_a_sentence_adverb_before_the_subject_opens_no_name() -> None:
    text = (
        "Regierungssprecher Stefan Kornelius sagte, man habe die Äußerungen „zur Kenntnis "
        "genommen“.\n\n"
        "Auch das Auswärtige Amt meldete sich zu Wort: „Wer mit Atomwaffen droht, zeigt vor "
        "allem Schwäche.“"
    )
    speakers = [quote.speaker for quote in extract_quotes(text)]
    assert speakers[0] == "Stefan Kornelius"
    assert speakers[1] != "Stefan Kornelius"
    assert speakers[1] is not None and "Amt" in speakers[1]


def test_french_verb_with_its_pronoun_joined_on() -> None:
    text = (
        "Emmanuel Macron et Amélie Zima ont parlé mardi.\n\n"
        "« Nous partageons le même diagnostic », souligne-t-on à l'Élysée.\n\n"
        "« Nous partageons le même avis », explique-t-elle."
    )
    assert [quote.speaker for quote in extract_quotes(text)] == ["Élysée", "Amélie Zima"]


def test_french_infinitive_after_a_reporting_verb_keeps_its_subject() -> None:
    text = (
        "Le secrétaire général Mark Rutte était à Chisinau. Maia Sandu a rappelé la "
        "neutralité. « Nous ne demandons pas à adhérer », a-t-elle expliqué, avant d'ajouter : "
        "« La neutralité n'a jamais voulu dire la naïveté. »"
    )
    assert [quote.speaker for quote in extract_quotes(text)] == ["Maia Sandu", "Maia Sandu"]


def test_slavic_inverted_verb_names_its_subject_past_an_outlet_adverbial() -> None:
    text = (
        "На думку Альони Гетьманчук, пауза не означає відмови.\n\n"
        "Як зазначив у коментарі для ZN.UA військовий аналітик Олег Жданов, армія "
        "інтегрується в стандарти НАТО «швидше, ніж будь-яка країна-кандидат»."
    )
    assert [quote.speaker for quote in extract_quotes(text)] == ["Олег Жданов"]
