"""Transcripts, interviews, live blogs and headline quotes in six languages (quotes/transcripts.py).

The articles are made up in the styles outlets use: Q&A with initials, press-conference and
radio transcripts with names in capitals, dash interviews, French 'NOM. -' interviews,
timestamped live blogs and headlines that carry a quote.
"""

from __future__ import annotations

from natoread.core.analysis.quotes import extract_quotes


def said(text: str) -> list[tuple[str, str | None]]:
    """(quote, speaker) pairs in text order."""
    return [(q.text, q.speaker) for q in extract_quotes(text)]


def speakers(text: str) -> list[str | None]:
    return [speaker for _, speaker in said(text)]


# --- English -------------------------------------------------------------------------------


def test_qa_initials_answer_as_the_interviewee_and_questions_are_no_quotes() -> None:
    text = (
        "Anna Lindqvist on the Arctic and the alliance\n\n"
        "Anna Lindqvist, Sweden's defence minister, spoke to us in Stockholm.\n\n"
        "Q: Is the High North the next front line?\n"
        "AL: It already is. The submarines are there, the cables are there.\n\n"
        "Q: Does Sweden need more troops in the north?\n"
        "AL: We need more of everything. But first we need the roads and the rail.\n"
    )
    assert said(text) == [
        ("It already is. The submarines are there, the cables are there.", "Anna Lindqvist"),
        (
            "We need more of everything. But first we need the roads and the rail.",
            "Anna Lindqvist",
        ),
    ]


def test_press_transcript_in_capitals_resolves_surnames_and_skips_the_moderator() -> None:
    text = (
        "Remarks by Prime Minister Jonas Mork after the Nordic defence meeting\n\n"
        "MODERATOR: Good morning. The Prime Minister will speak first.\n\n"
        "PRIME MINISTER JONAS MORK: Thank you. We agreed to buy air defence together.\n\n"
        "QUESTION: Prime Minister, when will the first systems arrive?\n\n"
        "MORK: Next year, if industry keeps its promises. I expect it will.\n"
    )
    assert said(text) == [
        ("Thank you. We agreed to buy air defence together.", "Jonas Mork"),
        ("Next year, if industry keeps its promises. I expect it will.", "Jonas Mork"),
    ]


def test_section_labels_of_a_newsletter_are_no_transcript() -> None:
    text = (
        "MORNING BRIEFING: Allies count the cost\n\n"
        "BUDGET WATCH: Ministers meet again on Tuesday to close the gap.\n\n"
        "SPOTTED: The Dutch defence minister, at a Brussels cafe, ordering two waffles.\n\n"
        "ON OUR RADAR: The summit agenda lands on Thursday.\n"
    )
    assert said(text) == []


def test_live_blog_entry_does_not_inherit_the_previous_entry_speaker() -> None:
    text = (
        "Summit day one – live\n\n"
        "09:15 Finnish President Eero Halonen has arrived. "
        '"We came to decide, not to talk," Halonen told reporters.\n\n'
        "10:05 GMT The Hungarian delegation has still not agreed the text. "
        '"We need more time," he said.\n\n'
        "2.15pm Estonia's prime minister Kadri Saar, speaking outside: "
        '"Time is the one thing Ukraine does not have."\n'
    )
    assert speakers(text) == ["Eero Halonen", None, "Kadri Saar"]


def test_one_time_at_a_line_start_is_no_live_blog() -> None:
    text = (
        "Ministers meet\n\n"
        "10:05 is when the meeting began, and Defence Minister Lars Berg spoke first.\n\n"
        '"We are ready," Berg said. "The brigade is ready," he added.\n'
    )
    assert speakers(text) == ["Lars Berg", "Lars Berg"]


def test_headline_quote_takes_the_speaker_of_the_same_words_in_the_body() -> None:
    text = (
        "'WE WILL NOT BLINK FIRST': General's warning to Moscow\n\n"
        "Britain's most senior officer, General Sir Mark Hollis, has warned the Kremlin.\n\n"
        'Hollis said: "We will not blink first. Moscow should know that by now."\n'
    )
    assert speakers(text) == ["Mark Hollis", "Mark Hollis"]


# --- Ukrainian -----------------------------------------------------------------------------


def test_ukrainian_dash_interview_answers_go_to_the_headline_person() -> None:
    text = (
        "Олег Коваленко: Україна має бути в НАТО до кінця десятиліття\n\n"
        "Олег Коваленко, заступник міністра оборони, відповів на запитання нашого видання.\n\n"
        "— Пане Коваленку, коли Україна отримає запрошення?\n\n"
        "— Тоді, коли союзники перестануть боятися власної тіні. Ми готові вже сьогодні.\n\n"
        "— Що заважає найбільше?\n\n"
        "— Страх. Не Москва, а страх перед Москвою.\n"
    )
    assert said(text) == [
        (
            "Тоді, коли союзники перестануть боятися власної тіні. Ми готові вже сьогодні.",
            "Олег Коваленко",
        ),
        ("Страх. Не Москва, а страх перед Москвою.", "Олег Коваленко"),
    ]


def test_ukrainian_live_blog_with_updated_times() -> None:
    text = (
        "Засідання Ради НАТО: пряма трансляція\n\n"
        "Оновлено 16:40 Міністр закордонних справ Андрій Мельник прибув до Брюсселя. "
        "«Ми чекаємо рішень, а не заяв», — сказав він.\n\n"
        "Оновлено 17:05 Делегації досі сперечаються про текст. "
        "«Ще не все узгоджено», — сказав він.\n"
    )
    assert speakers(text) == ["Андрій Мельник", None]


# --- Russian -------------------------------------------------------------------------------


def test_russian_radio_transcript_with_initials_and_a_host_asking() -> None:
    text = (
        "Особое мнение. Андрей Петров о Балтии\n\n"
        "Гость студии — политолог Андрей Петров. Ведущая — Ирина Смирнова.\n\n"
        "И.СМИРНОВА: Андрей Викторович, Балтия готовится к войне?\n\n"
        "А.ПЕТРОВ: Балтия готовится к тому, чтобы войны не было. Это разные вещи.\n\n"
        "И.СМИРНОВА: А что НАТО?\n\n"
        "А.ПЕТРОВ: НАТО там уже стоит, и это меняет расчёты в Москве.\n"
    )
    assert said(text) == [
        ("Балтия готовится к тому, чтобы войны не было. Это разные вещи.", "Андрей Петров"),
        ("НАТО там уже стоит, и это меняет расчёты в Москве.", "Андрей Петров"),
    ]


# --- Polish --------------------------------------------------------------------------------


def test_polish_conference_transcript_with_full_names_in_the_nominative() -> None:
    text = (
        "Konferencja prasowa ministra Tomasza Nowaka i minister Marty Wójcik. Zapis\n\n"
        "Tomasz Nowak: Podpisaliśmy umowę o wspólnych zakupach amunicji.\n\n"
        "Dziennikarz Polsatu: Kiedy pierwsze dostawy?\n\n"
        "Marta Wójcik: Jeszcze w tym roku. Fabryka już pracuje na trzy zmiany.\n\n"
        "Tomasz Nowak: I dodam, że to dopiero początek.\n"
    )
    assert speakers(text) == ["Tomasz Nowak", "Marta Wójcik", "Tomasz Nowak"]


def test_polish_headline_prefix_names_the_speaker() -> None:
    text = (
        "Nowak: „Tarcza Wschód będzie gotowa przed terminem”\n\n"
        "Minister Tomasz Nowak odwiedził w poniedziałek budowę umocnień na granicy.\n"
    )
    assert speakers(text) == ["Tomasz Nowak"]


def test_headline_quote_followed_by_a_dash_and_a_name() -> None:
    ukrainian = (
        "«Ми не відступимо від курсу на НАТО» — Коваленко\n\n"
        "Заступник міністра оборони Олег Коваленко провів зустріч з послами країн ЄС у Києві.\n"
    )
    german = (
        "„Die Tür bleibt offen“ – Berger\n\n"
        "Bundeskanzler Klaus Berger traf am Montag den ukrainischen Präsidenten.\n"
    )
    assert speakers(ukrainian) == ["Олег Коваленко"]
    assert speakers(german) == ["Klaus Berger"]


# --- German --------------------------------------------------------------------------------


def test_german_interview_with_outlet_and_frage_prefixes() -> None:
    text = (
        "Litauens Verteidigungsminister im Gespräch\n\n"
        "Rasa Kairienė ist seit 2024 Verteidigungsministerin Litauens. Das ZDF traf sie.\n\n"
        "ZDF: Frau Ministerin, reicht die deutsche Brigade?\n\n"
        "Kairienė: Sie ist ein Anfang. Aber ein Anfang ist noch keine Abschreckung.\n\n"
        "Frage (ARD): Und wenn Washington abzieht?\n\n"
        "Kairienė: Dann muss Europa erwachsen werden, und zwar schnell.\n"
    )
    assert speakers(text) == ["Rasa Kairienė", "Rasa Kairienė"]


def test_german_live_blog_uhr_entries_reset_who_is_salient() -> None:
    text = (
        "Gipfel im Liveblog\n\n"
        "10:14 Uhr – Bundeskanzler Klaus Berger ist eingetroffen. "
        "„Wir halten Wort“, sagte er.\n\n"
        "10:40 Uhr – Ein Diplomat berichtet von Streit um den Text. "
        "„Es geht um Nuancen“, sagte er.\n"
    )
    assert speakers(text) == ["Klaus Berger", None]


# --- French --------------------------------------------------------------------------------


def test_french_name_dot_dash_interview_and_the_outlet_asking() -> None:
    text = (
        "Jean Morel : « L'Europe doit payer pour sa défense »\n\n"
        "L'ancien ministre Jean Morel a répondu aux questions du Monde.\n\n"
        "LE MONDE. - Faut-il une armée européenne ?\n\n"
        "JEAN MOREL. - Il faut d'abord des usines. Une armée sans munitions est un défilé.\n\n"
        "LE MONDE. - Et l'OTAN ?\n\n"
        "JEAN MOREL. - L'OTAN reste notre assurance. Mais on ne vit pas d'assurance.\n"
    )
    assert said(text)[1:] == [
        ("Il faut d'abord des usines. Une armée sans munitions est un défilé.", "Jean Morel"),
        ("L'OTAN reste notre assurance. Mais on ne vit pas d'assurance.", "Jean Morel"),
    ]
    assert said(text)[0][1] == "Jean Morel"


def test_french_radio_transcript_with_a_space_before_the_colon() -> None:
    text = (
        "Transcription : l'invitée du matin, Claire Duval\n\n"
        "France Culture : Claire Duval, l'Ukraine entrera-t-elle dans l'OTAN ?\n\n"
        "Claire Duval : Un jour, oui. La question est le prix que nous aurons payé avant.\n\n"
        "France Culture : Et la Moldavie ?\n\n"
        "Claire Duval : La Moldavie a choisi l'Europe. À nous de la protéger.\n"
    )
    assert speakers(text) == ["Claire Duval", "Claire Duval"]


def test_dialogue_line_with_inner_quote_marks_is_one_quote() -> None:
    polish = (
        "Generał ostrzega\n\n"
        "Generał Adam Zieliński nie owija w bawełnę.\n\n"
        "– Pytanie nie brzmi „czy”, tylko „kiedy”. Musimy być gotowi – mówi generał.\n"
    )
    russian = (
        "Генерал предупреждает\n\n"
        "Генерал Олег Смирнов дал интервью.\n\n"
        "— «Красные линии давно стерты», — сказал Смирнов.\n"
    )
    assert said(polish) == [
        ("Pytanie nie brzmi „czy”, tylko „kiedy”. Musimy być gotowi", "Adam Zieliński")
    ]
    assert said(russian) == [("Красные линии давно стерты", "Олег Смирнов")]  # marks kept


def test_q_and_a_letters_answer_as_the_person_the_headline_names() -> None:
    text = (
        "Entretien avec Sophie Lambert, ambassadrice auprès de l'OTAN\n\n"
        "Sophie Lambert représente la France au siège de l'Alliance depuis 2023.\n\n"
        "Q : La garantie de l'article 5 tient-elle encore ?\n"
        "R : Elle tient, parce que nous la faisons tenir chaque jour.\n\n"
        "Q : Et si Washington se retire ?\n"
        "R : Alors l'Europe devra faire seule ce qu'elle promet depuis trente ans.\n"
    )
    assert said(text) == [
        ("Elle tient, parce que nous la faisons tenir chaque jour.", "Sophie Lambert"),
        (
            "Alors l'Europe devra faire seule ce qu'elle promet depuis trente ans.",
            "Sophie Lambert",
        ),
    ]


def test_a_host_who_mostly_asks_is_no_speaker_and_a_guest_in_capitals_is_named() -> None:
    text = (
        "Transcript: The Morning Briefing\n\n"
        "ANNA REED: The minister is in our studio. Minister, are the Baltic states safer?\n\n"
        "JAAK LEHT: Safer, yes. Safe, no.\n\n"
        "ANNA REED: And if the troops leave?\n\n"
        "JAAK LEHT: Then we will still be ready.\n\n"
        "ANNA REED: Jaak Leht, thank you."
    )
    quotes = extract_quotes(text)
    assert [(q.text, q.speaker) for q in quotes] == [
        ("Safer, yes. Safe, no.", "Jaak Leht"),
        ("Then we will still be ready.", "Jaak Leht"),
    ]


def test_initials_with_full_stops_and_particles_and_a_no_break_space_before_the_colon() -> None:
    text = (
        "Pierre de Moreau : « Il faut du temps »\n\n"
        "Le général Pierre de Moreau a répondu aux questions de Ouest-France.\n\n"
        "Ouest-France\u00a0: L'Europe est-elle prête ?\n\n"
        "Pierre de Moreau\u00a0: Pas encore. Il faut du temps.\n\n"
        "Ouest-France\u00a0: Et l'Ukraine ?\n\n"
        "P. de M.\u00a0: Elle se bat pour nous tous.\n\n"
        "Ouest-France\u00a0: Et la France ?\n\n"
        "P. de M.\u00a0: Elle a la dissuasion."
    )
    speakers = [q.speaker for q in extract_quotes(text) if q.start > text.index("\n")]
    assert speakers == ["Pierre de Moreau"] * 3
