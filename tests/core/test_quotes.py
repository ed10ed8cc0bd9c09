"""Tests for the quote extractor: shapes, speakers, names, offsets and robustness."""

from __future__ import annotations

import json
import random
import re
import time
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from natoread.core.analysis.quotes import (
    clear_caches,
    extract_quotes,
    normalise_speaker,
    speaker_key,
)
from natoread.core.analysis.quotes.tokens import tokenize
from natoread.core.analysis.quotes.words import ABBREVIATIONS
from natoread.core.analysis.records import Quote

Row = tuple[str, str | None, bool]
DATA = Path(__file__).resolve().parents[2] / "benchmarks" / "data" / "quotes_annotated.json"


def rows(text: str) -> list[Row]:
    """(quote, speaker, partial) for every quote found in text."""
    return [(q.text, q.speaker, q.partial) for q in extract_quotes(text)]


def assert_offsets(text: str, quotes: tuple[Quote, ...]) -> None:
    """The invariants every Quote must satisfy."""
    for q in quotes:
        assert 0 <= q.start <= q.end <= len(text)
        assert text[q.start : q.end] == q.text
        if q.speaker_start is not None or q.speaker_end is not None:
            assert q.speaker_start is not None and q.speaker_end is not None
            assert 0 <= q.speaker_start <= q.speaker_end <= len(text)


SHAPES: list[tuple[str, str, list[Row]]] = [
    (
        "curly-post-said",
        "NATO Secretary General Mark Rutte spoke in Brussels.\n\n"
        "“We are stronger together,” Rutte said.",
        [("We are stronger together,", "Mark Rutte", False)],
    ),
    (
        "straight-post-said",
        '"We are ready," Kristersson said on Monday.',
        [("We are ready,", "Kristersson", False)],
    ),
    (
        "inverted-said-full-name",
        "“We will not be intimidated,” said Jens Stoltenberg, NATO’s former chief.",
        [("We will not be intimidated,", "Jens Stoltenberg", False)],
    ),
    (
        "colon-before",
        "Stoltenberg said: “We are ready to welcome Sweden.”",
        [("We are ready to welcome Sweden.", "Stoltenberg", False)],
    ),
    (
        "told-outlet-pronoun",
        "Kaja Kallas met ministers in Brussels on Monday.\n\n"
        "“Europe has to grow up,” she told Germany’s Der Spiegel.",
        [("Europe has to grow up,", "Kaja Kallas", False)],
    ),
    (
        "outlet-after-colon-is-not-speaker",
        "Viktor Orbán told Spain’s El País: “We will not be rushed.”",
        [("We will not be rushed.", "Viktor Orbán", False)],
    ),
    (
        "according-to-after",
        "“The door remains open,” according to NATO Secretary General Mark Rutte.",
        [("The door remains open,", "Mark Rutte", False)],
    ),
    (
        "according-to-before",
        "According to a senior NATO official, “the decision is final.”",
        [("the decision is final.", None, False)],
    ),
    (
        "split-quote",
        "“Sweden is ready,” Kristersson said, “and so is Finland.”",
        [("Sweden is ready,", "Kristersson", False), ("and so is Finland.", "Kristersson", False)],
    ),
    (
        "headline-colon",
        "Rutte: ‘Alliance stronger than ever’\n\nNATO Secretary General Mark Rutte spoke on Friday.",
        [("Alliance stronger than ever", "Mark Rutte", False)],
    ),
    (
        "no-verb-continues-speaker",
        "“We are ready,” Stubb said. “We have been ready for a long time.”",
        [
            ("We are ready,", "Stubb", False),
            ("We have been ready for a long time.", "Stubb", False),
        ],
    ),
    (
        "pronoun-is-subject-not-last-name",
        "Kaja Kallas, the EU’s top diplomat, addressed ministers. She also warned that "
        "Hungarian Prime Minister Viktor Orbán could not hold the alliance hostage. "
        "“We will not be blackmailed.”",
        [("We will not be blackmailed.", "Kaja Kallas", False)],
    ),
    (
        "role-noun-prime-minister",
        "Swedish Prime Minister Ulf Kristersson and Foreign Minister Tobias Billström met "
        "reporters.\n\n“This is a historic day,” the prime minister said.",
        [("This is a historic day,", "Ulf Kristersson", False)],
    ),
    (
        "role-noun-minister-most-recent",
        "Prime Minister Ulf Kristersson spoke first. Foreign Minister Tobias Billström followed."
        "\n\n“We will respect it,” the minister told SVT.",
        [("We will respect it,", "Tobias Billström", False)],
    ),
    (
        "surname-resolves-to-full-name",
        "Finnish President Alexander Stubb arrived in Vilnius.\n\n“We are ready,” Stubb said.",
        [("We are ready,", "Alexander Stubb", False)],
    ),
    (
        "diacritics-variant-surname",
        "Turkish President Recep Tayyip Erdoğan spoke.\n\n“No,” Erdogan said.",
        [("No,", "Recep Tayyip Erdoğan", False)],
    ),
    (
        "organisation-kremlin",
        "“This is a hostile step,” the Kremlin said in a statement.",
        [("This is a hostile step,", "Kremlin", False)],
    ),
    (
        "organisation-ministry-resolves",
        "In Moscow, Russia's foreign ministry criticised the move. "
        "“Expansion does not bring security,” the ministry said.",
        [("Expansion does not bring security,", "Russia's foreign ministry", False)],
    ),
    (
        "organisation-alliance-is-nato",
        "“This is not about making NATO a party to the conflict,” the alliance said.",
        [("This is not about making NATO a party to the conflict,", "NATO", False)],
    ),
    (
        "organisation-white-house",
        "“We welcome the vote,” the White House said.",
        [("We welcome the vote,", "White House", False)],
    ),
    (
        "anonymous-source",
        "“Everyone gets what they need,” a senior NATO official said.",
        [("Everyone gets what they need,", None, False)],
    ),
    (
        "anonymous-source-definite-later",
        "A Turkish official said Ankara was satisfied. “This was never about Sweden alone,” "
        "the official said.",
        [("This was never about Sweden alone,", None, False)],
    ),
    (
        "partial-quote",
        "Finnish President Alexander Stubb called the draft “a workable starting point” for talks.",
        [("a workable starting point", "Alexander Stubb", True)],
    ),
    (
        "partial-single-word-with-verb",
        "Estonia's Prime Minister Kristen Michal described the damage as “deliberate”.",
        [("deliberate", "Kristen Michal", True)],
    ),
    (
        "german-low-high",
        "„Wir sind bereit“, sagte Pistorius.",
        [("Wir sind bereit", "Pistorius", False)],
    ),
    (
        "german-low-english-close",
        "„Deutschland übernimmt Verantwortung”, so Rutte.",
        [("Deutschland übernimmt Verantwortung", "Rutte", False)],
    ),
    (
        "german-reversed-guillemets",
        "»Schweden muss liefern«, sagte Erdoğan am Mittwoch.",
        [("Schweden muss liefern", "Erdoğan", False)],
    ),
    (
        "french-guillemets",
        "« Nous sommes prêts », a déclaré Macron.",
        [("Nous sommes prêts", "Macron", False)],
    ),
    (
        "swedish-right-marks",
        "Recruits arrived. ”It feels more serious now,” said Elsa Lindqvist, 19.",
        [("It feels more serious now,", "Elsa Lindqvist", False)],
    ),
    (
        "nested-single-in-double",
        "“When he said ‘never again’, he meant it,” Stoltenberg said.",
        [("When he said ‘never again’, he meant it,", "Stoltenberg", False)],
    ),
    (
        "british-single-with-plural-possessive",
        "‘The allies’ resolve is firm,’ he said. Mette Frederiksen agreed.",
        [("The allies’ resolve is firm,", None, False)],
    ),
    (
        "multi-paragraph",
        "Jens Stoltenberg was careful:\n\n“Ukraine will become a member.\n\n“I do not want to "
        "repeat that mistake.”",
        [
            ("Ukraine will become a member.", "Jens Stoltenberg", False),
            ("I do not want to repeat that mistake.", "Jens Stoltenberg", False),
        ],
    ),
    (
        "unclosed-at-end",
        "Ukraine’s foreign ministry said: “Security in the Black Sea is inseparable from",
        [("Security in the Black Sea is inseparable from", "Ukraine’s foreign ministry", False)],
    ),
    (
        "quote-after-full-stop-is-not-attributed-to-next-subject",
        'Speaker Laszlo Kover said: "Hungary keeps its word." Critics called it a "climbdown."',
        [("Hungary keeps its word.", "Laszlo Kover", False), ("climbdown.", None, True)],
    ),
    (
        "ellipsis-another",
        "Western diplomats are unhappy. One described it as “a hostage situation”. "
        "Another was blunter: “They sell their signature.”",
        [
            ("a hostage situation", None, True),
            ("They sell their signature.", None, False),
        ],
    ),
    (
        "dateline-is-not-a-subject",
        "VISBY, Sweden (AP) — Sweden is sending more troops, the armed forces said Monday, "
        "calling the island “the unsinkable aircraft carrier” of the region.",
        [("the unsinkable aircraft carrier", "armed forces", True)],
    ),
    (
        "parenthetical-affiliation",
        "“That is not how NATO works,” Sen. Jeanne Shaheen (D-NH) said in a statement.",
        [("That is not how NATO works,", "Jeanne Shaheen", False)],
    ),
    (
        "as-x-told-me",
        "The plan is 200 km by 2026 — “if the money holds,” as one Border Guard officer told me.",
        [("if the money holds,", None, True)],
    ),
    (
        "possessive-subject-keeps-person-in-focus",
        "I put a question to President Alexander Stubb. His answer was crisp.\n\n"
        "“A fence is not a wall.”",
        [("A fence is not a wall.", "Alexander Stubb", False)],
    ),
    (
        "country-role-without-named-person",
        'Omer Celik spoke in Ankara.\nFinland\'s president: "We will not leave Sweden behind"',
        [("We will not leave Sweden behind", "Finland's president", False)],
    ),
    (
        "noun-comments-is-not-a-verb",
        'A Biden campaign spokesman blasted the comments as "dangerous and unhinged."',
        [("dangerous and unhinged.", None, True)],
    ),
    (
        "sentence-final-german-attribution",
        "Verteidigungsminister Boris Pistorius zeigte sich offen. Sein Entwurf sei „eine gute "
        "Grundlage“, man könne aber „über alles reden“, sagte er.",
        [
            ("eine gute Grundlage", "Boris Pistorius", True),
            ("über alles reden", "Boris Pistorius", True),
        ],
    ),
    (
        "as-x-put-it",
        "The new floor, as one Nordic defence minister put it, is “whatever it takes.”",
        [("whatever it takes.", None, True)],
    ),
]


@pytest.mark.parametrize(
    ("text", "expected"), [(t, e) for _, t, e in SHAPES], ids=[i for i, _, _ in SHAPES]
)
def test_extract_quotes_shapes(text: str, expected: list[Row]) -> None:
    quotes = extract_quotes(text)
    assert [(q.text, q.speaker, q.partial) for q in quotes] == expected
    assert_offsets(text, quotes)


VERBS = [
    "added", "noted", "stressed", "warned", "emphasised", "emphasized", "underlined", "insisted",
    "wrote", "tweeted", "posted on X", "told reporters", "said in a statement", "explained",
    "argued", "declared", "says", "adds",
]  # fmt: skip


@pytest.mark.parametrize("verb", VERBS)
def test_extract_quotes_reporting_verbs_after_quote(verb: str) -> None:
    text = f"Hungarian Prime Minister Viktor Orbán spoke.\n\n“We are in no hurry,” Orbán {verb}."
    assert rows(text) == [("We are in no hurry,", "Viktor Orbán", False)]


@pytest.mark.parametrize(
    "text",
    [
        "Kyiv has rejected a so-called “peace plan” floated by Moscow.",
        'Kyiv has rejected a so-called "peace plan" floated by Moscow.',
        "In his book “The Veto Playbook”, the author argues otherwise.",
        "She watched the documentary “Winter War” twice.",
        "The “neutral” country changed its mind.",
        "The “Coalition of the Willing” has a new website.",
        "Timothy Garton Ash’s essay “Europe’s Hour” is worth reading.",
        "Some held signs reading “Welcome to the club.”",
        "Russia’s “shadow fleet” of ageing tankers evades sanctions, EU officials said.",
        "Die sogenannte „Zeitenwende“ sei ein Schlagwort geblieben.",
        "Sweden's 'total defence' explained",
    ],
)
def test_extract_quotes_ignores_scare_quotes_and_titles(text: str) -> None:
    assert extract_quotes(text) == ()


@pytest.mark.parametrize(
    "text",
    [
        "Finland’s leaders don’t expect Kyiv's bid to move fast.",
        "A band played ’90s rock ’n’ roll at the allies’ summit.",
        "A band played '80s rock 'n' roll for the leaders' dinner.",
        "It's the alliance's biggest test since the 1990s.",
        "He's gone. Everybody's livid, the ministers' aides said.",
    ],
)
def test_extract_quotes_apostrophes_are_not_quotes(text: str) -> None:
    assert extract_quotes(text) == ()


def test_extract_quotes_speaker_offsets_cut_the_mention() -> None:
    text = "Finnish President Alexander Stubb arrived. “We are ready,” he said."
    (quote,) = extract_quotes(text)
    assert quote.speaker == "Alexander Stubb"
    assert quote.speaker_start is not None and quote.speaker_end is not None
    assert text[quote.speaker_start : quote.speaker_end] == "he"


def test_extract_quotes_inverted_speaker_offsets_cover_full_mention() -> None:
    text = "“We are ready,” said Finnish President Alexander Stubb."
    (quote,) = extract_quotes(text)
    assert quote.speaker_start is not None and quote.speaker_end is not None
    assert text[quote.speaker_start : quote.speaker_end] == "Finnish President Alexander Stubb"


def test_extract_quotes_multi_paragraph_segments_share_group_speaker() -> None:
    text = (
        "“We are ready,” Stubb said. “We have prepared for decades.\n\n"
        "“And we will keep preparing.\n\n"
        "“Nobody should doubt it.”\n\nSweden agreed."
    )
    quotes = extract_quotes(text)
    assert [q.text for q in quotes] == [
        "We are ready,",
        "We have prepared for decades.",
        "And we will keep preparing.",
        "Nobody should doubt it.",
    ]
    assert {q.speaker for q in quotes} == {"Stubb"}
    assert_offsets(text, quotes)


def test_extract_quotes_scraped_page_with_junk_lines() -> None:
    text = (
        "Home | World | Share this article\nSkip to content\n"
        "Erdogan says Finland can join NATO before Sweden\nShare\nTwitter\n"
        "Turkish President Recep Tayyip Erdoğan has spoken.\n"
        '"We have decided to start the ratification," Erdoğan said in Ankara.\n'
        'Related Topics\nSweden\'s "Nato dilemma" explained\n'
    )
    assert rows(text) == [
        ("We have decided to start the ratification,", "Recep Tayyip Erdoğan", False)
    ]


def test_extract_quotes_hard_wrapped_lines_keep_quote_and_speaker_together() -> None:
    text = (
        "3) TURKEY. Ankara is marketing its Bayraktar TB2 drones to Nordic\n"
        'buyers. "The Nordics know quality when they see it," Selcuk\n'
        "Bayraktar, the company's chief technology officer, wrote on X."
    )
    (quote,) = extract_quotes(text)
    assert (quote.text, quote.speaker) == (
        "The Nordics know quality when they see it,",
        "Selcuk Bayraktar",
    )


def test_extract_quotes_empty_and_markless_text() -> None:
    assert extract_quotes("") == ()
    assert extract_quotes("No quotation marks here at all.") == ()


NAMES = [
    ("Finnish President Alexander Stubb", "Alexander Stubb"),
    ("NATO Secretary General Mark Rutte", "Mark Rutte"),
    ("Nato Secretary-General Jens Stoltenberg", "Jens Stoltenberg"),
    ("Sweden's foreign minister Tobias Billström", "Tobias Billström"),
    ("Finland’s President Alexander Stubb", "Alexander Stubb"),
    ("the Kremlin's spokesman Dmitry Peskov", "Dmitry Peskov"),
    ("U.S. Secretary of State Antony Blinken", "Antony Blinken"),
    ("le ministre des Armées Sébastien Lecornu", "Sébastien Lecornu"),
    ("Verteidigungsminister Boris Pistorius", "Boris Pistorius"),
    ("Finnlands Präsident Alexander Stubb", "Alexander Stubb"),
    ("Mr Stoltenberg", "Stoltenberg"),
    ("Capt. Erik Lindqvist", "Erik Lindqvist"),
    ("Ursula von der Leyen", "Ursula von der Leyen"),
    ("defense analyst Claudia Major", "Claudia Major"),
    ("the Kremlin", "Kremlin"),
    ("Russia's foreign ministry", "Russia's foreign ministry"),
    ("The opposition Left party", "Left party"),
    ("a senior NATO official", "a senior NATO official"),
    ("A spokesperson for Fidesz", "a spokesperson for Fidesz"),
]


@pytest.mark.parametrize(("raw", "normal"), NAMES)
def test_normalise_speaker(raw: str, normal: str) -> None:
    assert normalise_speaker(raw) == normal


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Recep Tayyip Erdoğan", "Recep Tayyip Erdogan"),
        ("J. Stoltenberg", "Jens Stoltenberg"),
        ("Volodymyr Zelenskyy", "Volodymyr Zelensky"),
        ("Dmitry Peskov", "Dmitri Peskov"),
        ("Finnish President Alexander Stubb", "Alexander Stubb"),
        ("Péter Szijjártó", "Peter Szijjarto"),
        ("the Kremlin", "Kremlin"),
        ("Ukraine’s foreign ministry", "Ukraine's foreign ministry"),
        ("a senior NATO official", "senior NATO official"),
    ],
)
def test_speaker_key_merges_variants(a: str, b: str) -> None:
    assert speaker_key(a) == speaker_key(b)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Viktor Orbán", "Balázs Orbán"),
        ("Jens Stoltenberg", "Mark Rutte"),
        ("one NATO diplomat", "another NATO diplomat"),
        ("Russia's foreign ministry", "Ukraine's foreign ministry"),
    ],
)
def test_speaker_key_keeps_different_speakers_apart(a: str, b: str) -> None:
    assert speaker_key(a) != speaker_key(b)


PIECES = [*"\"'“”„«»‘’‹› \n\t.,:;!?—-()abcXYZéß0", "said", " he ", "she", "Mr ", "\n\n"]
PIECES += ["Stoltenberg", "according to ", "the minister", "One of them", "sagte er", "Another,"]
MARKY = st.lists(
    st.sampled_from(PIECES),
    max_size=200,
).map("".join)


@settings(max_examples=300, deadline=None)
@given(MARKY)
def test_extract_quotes_never_raises_and_keeps_offsets(text: str) -> None:
    assert_offsets(text, extract_quotes(text))


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_extract_quotes_any_unicode_text(text: str) -> None:
    assert_offsets(text, extract_quotes(text))


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=80), st.text(max_size=80))
def test_normalise_speaker_and_key_never_raise(name: str, other: str) -> None:
    assert isinstance(normalise_speaker(name), str)
    assert isinstance(speaker_key(name + other), str)


def _random_marks(size: int, seed: int) -> str:
    """Random text made mostly of quote marks."""
    rng = random.Random(seed)
    alphabet = [*"\"'“”„«»‘’‹› \n.,:;abcXYZ", "said ", " he ", "\n\n"]
    return "".join(rng.choice(alphabet) for _ in range(size))


@pytest.mark.slow
def test_extract_quotes_one_megabyte_of_random_marks_is_fast() -> None:
    text = _random_marks(1_000_000, seed=7)[:1_000_000]
    began = time.perf_counter()
    quotes = extract_quotes(text)
    assert time.perf_counter() - began < 30
    assert_offsets(text, quotes)


@pytest.mark.slow
@pytest.mark.parametrize(
    "unit",
    ["“a ", "‘x ", '"x ', "«a ", "Mr Stubb said ", "“We are ready.\n\n", "also also said, “x” "],
)
def test_extract_quotes_scales_linearly(unit: str) -> None:
    def cost(n: int) -> float:
        text = unit * n
        began = time.perf_counter()
        extract_quotes(text)
        return time.perf_counter() - began

    small, large = cost(5_000), cost(20_000)
    assert large < 10 * small + 0.5  # 4× the input: a quadratic path would cost ~16×


def _annotated() -> list[dict[str, Any]]:
    """The hand-annotated benchmark articles."""
    data: dict[str, list[dict[str, Any]]] = json.loads(DATA.read_text(encoding="utf-8"))
    return data["articles"]


def test_annotated_set_offsets_are_consistent() -> None:
    for article in _annotated():
        text = str(article["text"])
        for gold in article["quotes"]:
            assert text[gold["start"] : gold["end"]] == gold["text"]
        assert_offsets(text, extract_quotes(text))


def test_annotated_set_meets_targets() -> None:
    gold_total = predicted = matched = speaker_ok = 0
    for article in _annotated():
        text = str(article["text"])
        golds = article["quotes"]
        preds = extract_quotes(text)
        gold_total += len(golds)
        predicted += len(preds)
        used: set[int] = set()
        for p in preds:
            for gi, g in enumerate(golds):
                shared = max(0, min(p.end, g["end"]) - max(p.start, g["start"]))
                if gi not in used and shared >= 0.5 * max(p.end - p.start, g["end"] - g["start"]):
                    used.add(gi)
                    matched += 1
                    if p.speaker is None or g["speaker"] is None:  # an unnamed source: None
                        speaker_ok += p.speaker is None and g["speaker"] is None
                    else:
                        speaker_ok += speaker_key(p.speaker) == speaker_key(g["speaker"])
                    break
    precision, recall = matched / predicted, matched / gold_total
    assert 2 * precision * recall / (precision + recall) >= 0.9
    assert speaker_ok / matched >= 0.9


# Regression guards for the fast paths (no timing: speed lives in benchmarks/quotes_eval.py).

_ABBREVIATION_ALTERNATIVES = "|".join(sorted(ABBREVIATIONS, key=len, reverse=True))
_REFERENCE_TOKEN_RE = re.compile(
    r"(\s*+)((?:[A-Z]\.){2,}|(?i:" + _ABBREVIATION_ALTERNATIVES + r")\.|[A-Z]\."
    r"|[^\W_]+(?:[’'\-][^\W_]+)*|[^\w\s]|_+)"
)


def _reference_tokens(text: str) -> list[tuple[int, str]]:
    """Tokens from one regex pass over the whole text (the tokenizer splits on blanks first)."""
    return [(m.start(2), m.group(2)) for m in _REFERENCE_TOKEN_RE.finditer(text)]


def test_abbreviations_fit_the_tokenizer_lookahead() -> None:
    assert max(map(len, ABBREVIATIONS)) <= 5  # the token regex looks at most five letters ahead


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.sampled_from([*"aZé.-'’_ \n\t(),:1", "Mr.", "U.S.", "Gen.", "no.", "Sept."])).map(
        "".join
    )
    | st.text(max_size=200)
)
def test_tokenize_matches_a_single_regex_pass(text: str) -> None:
    words, starts = tokenize(text)
    assert [(s, w.text) for s, w in zip(starts, words, strict=True)] == _reference_tokens(text)


def test_extract_quotes_same_with_cold_and_warm_caches() -> None:
    texts = [str(article["text"]) for article in _annotated()]
    warm = [extract_quotes(text) for text in texts]
    for text, expected in zip(texts, warm, strict=True):
        clear_caches()  # word, chunk and noun-phrase memos are shared across articles
        assert extract_quotes(text) == expected
    assert [extract_quotes(text) for text in texts] == warm


def test_extract_quotes_without_pairable_marks_is_empty() -> None:
    assert extract_quotes("Finland’s leaders don’t expect NATO’s ’90s rules to return.") == ()


@pytest.mark.parametrize(
    "text",
    [
        "Rutte\tsaid:\u00a0“We are ready.”",
        "a\u2009b  said,\r\nStubb.\x0bNATO’s\u3000chief\x1c\x85end",
        "\t\u00a0 \n",
        "Mr.\u00a0Stoltenberg\tsaid\u2009“no.”\u00a0\u00a0",
    ],
)
def test_tokenize_other_whitespace_cold_and_warm(text: str) -> None:
    # tokenize splits on spaces and newlines only; a piece holding a tab or a no-break space
    # must still be split like str.split() would, and must never be memoised as one chunk
    clear_caches()
    cold = tokenize(text)
    warm = tokenize(text)
    for words, starts in (cold, warm):
        assert [(s, w.text) for s, w in zip(starts, words, strict=True)] == _reference_tokens(text)
    assert [(w.text, w.low, w.cap, w.npw) for w in cold[0]] == [
        (w.text, w.low, w.cap, w.npw) for w in warm[0]
    ]


def _reference_paragraphs(text: str) -> list[tuple[int, int]]:
    """Paragraph spans computed the plain way: strip every line on both sides.

    The text's first line (the headline of `title + "\\n" + body`) never wraps into the next,
    nor does a line into one much longer than itself.
    """
    paras: list[list[int]] = []
    prev = ""
    pos = 0
    for line in text.split("\n"):
        a, pos = pos, pos + len(line) + 1
        if not line.strip():
            prev = ""
            continue
        lead = a + len(line) - len(line.lstrip())
        tail = a + len(line.rstrip())
        cur = line.strip()
        first_word = cur.split(" ", 1)[0]  # a hard wrap moved at most this word down
        wraps = len(cur) <= len(prev) + 1 + len(first_word)
        if prev and len(prev) >= 45 and (prev[-1].isalnum() or prev[-1] in ",;-–(") and wraps:
            paras[-1][1] = tail
        else:
            paras.append([lead, tail])
        prev = line.strip() if a > 0 else ""
    return [(a, b) for a, b in paras]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["a", "b,", " ", "\t", "\u00a0", "\n", "\n\n", "x" * 50, "."])))
def test_paragraph_spans_match_plain_stripping(pieces: list[str]) -> None:
    from natoread.core.analysis.quotes.marks import paragraphs

    text = "".join(pieces)
    assert paragraphs(text) == _reference_paragraphs(text)


_ARRIVED = "Jens Stoltenberg arrived in Vilnius on Tuesday.\n\n"


@pytest.mark.parametrize(
    ("rest", "speaker"),
    [
        # narration after the close of a quote that ran over two paragraphs
        (
            "“We will stand with Ukraine for as long as it takes.\n\n“This is our promise,” "
            "the statement read, while ministers argued about money.",
            "Jens Stoltenberg",
        ),
        (
            "“We will stand with Ukraine for as long as it takes.\n\n“This is our promise to "
            "every ally” and nothing will change that in the years ahead.",
            "Jens Stoltenberg",
        ),
        # the attribution after the close, in the later paragraph
        (
            "«Мы будем с Украиной столько, сколько нужно.\n\n«Это наше обещание», — заявил "
            "Йенс Столтенберг.",
            "Йенс Столтенберг",
        ),
    ],
)
def test_a_quote_over_two_paragraphs_keeps_both_and_its_speaker(rest: str, speaker: str) -> None:
    assert [q.speaker for q in extract_quotes(_ARRIVED + rest)] == [speaker, speaker]
