"""Tests for the topic engine: default rules, spans, scoring knobs, config errors, properties."""

from __future__ import annotations

import re
from collections.abc import Mapping

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from natoread.core.analysis.records import TopicResult
from natoread.core.analysis.topics.engine import (
    DEFAULT_TOPICS,
    TopicEngine,
    TopicSpec,
    compile_topics,
    fold_text,
    parse_topics,
)
from natoread.core.errors import ConfigError

ALL_OFF = {name: {"enabled": False} for name in DEFAULT_TOPICS}


@pytest.fixture(scope="module")
def engine() -> TopicEngine:
    """The default profile, compiled once."""
    return compile_topics(parse_topics(None, "test"))


def engine_for(topics: Mapping[str, object], *, defaults: bool = False) -> TopicEngine:
    """Compile `topics`, with the default topics switched off unless `defaults`."""
    raw = dict(topics) if defaults else {**ALL_OFF, **topics}
    return compile_topics(parse_topics(raw, "test.toml"))


def spans_text(doc: str, result: TopicResult, topic: str) -> list[str]:
    """The document text under each span of `topic`."""
    return [doc[s.start : s.end] for s in result.spans if s.topic == topic]


# ----------------------------------------------------------------------------- default profile

POSITIVES = [
    ("NATO allies agree to boost air defences on eastern flank", "", {"alliance", "guarantees"}),
    ("Finland and Sweden sign accession protocols at NATO headquarters", "", {"accession"}),
    (
        "Hungary again postpones vote on Sweden's NATO membership",
        "Budapest remains the last ally yet to ratify the bid.",
        {"alliance", "accession", "consensus"},
    ),
    ("L'OTAN promet une adhésion future à l'Ukraine", "", {"alliance", "accession"}),
    ("Russland droht wegen NATO-Beitritt Finnlands mit Konsequenzen", "", {"accession"}),
    ("Allies reaffirm Article 5 at Brussels meeting", "", {"guarantees"}),
    ("Secretary-General Mark Rutte opens defence ministers' meeting", "", {"alliance"}),
    (
        "Turkey drops objection, clearing way for Sweden",
        "Ankara's parliament ratified the NATO accession protocol on Tuesday.",
        {"accession", "consensus"},
    ),
    ("Kremlin insists it must have a say over NATO enlargement", "", {"accession", "consensus"}),
    (
        "Die NATO sichert Polen Beistand zu",
        "Der Bündnisfall nach Artikel 5 gilt für jeden Verbündeten.",
        {"guarantees"},
    ),
    ("НАТО: Финляндия стала членом альянса", "", {"alliance"}),
    (
        "Defence ministers meet in Brussels",
        "NATO defence ministers agreed on Thursday to widen the alliance's air mission.",
        {"alliance"},
    ),
    ("Western military alliance to invite new members next year", "", {"alliance", "accession"}),
    ("Why Ukraine's bid to join the North Atlantic Treaty Organization stalled", "", {"accession"}),
    ("ANALYSIS | Can Europe defend itself without Article Five?", "", {"guarantees"}),
]

NEGATIVES = [
    ("Lufthansa celebrates 25 years in Star Alliance", "The airline alliance now has 26 members."),
    (
        "Nissan and Renault finalise new alliance terms",
        "The carmakers will hold 15% of each other.",
    ),
    (
        "Croatia completes eurozone accession",
        "The country joined the single currency on 1 January.",
    ),
    ("Prince William's accession to the throne: what happens next", ""),
    ("Georgia Bulldogs land five-star quarterback", "The recruit will join the team in January."),
    ("Finland edge Sweden in World Cup qualifier", "A late header settled the Nordic derby."),
    ("Alpha, Bravo, Charlie: why the NATO alphabet still matters", ""),
    ("Winchester 5.56 NATO 62gr green tip - 500 rounds", "In stock, ships today."),
    ("Ukraine reports heavy fighting near Pokrovsk", "Russian forces attacked overnight."),
    ("Anthony Natoli named head coach at Natomas High", ""),
    ("EU summit: Hungary wields veto over Ukraine aid", "Budget decisions require unanimity."),
    (
        "What Article 5 of the Treaty on European Union says",
        "It sets out the principle of conferral.",
    ),
    ("Gym chain raises membership prices", "Members will pay £3 more a month."),
    ("Moldova votes in EU membership referendum", "Voters narrowly backed joining the bloc."),
    ("WTO members approve Ethiopia accession roadmap", ""),
    ("Trump allies eye Georgia governor race", "Candidates for the state's top job held a debate."),
    ("UN Secretary-General urges ceasefire", "Guterres spoke to the Security Council."),
    ("Japan to raise defence spending to 2% of GDP", "The government cited threats from China."),
]


@pytest.mark.parametrize(("title", "body", "expected"), POSITIVES)
def test_default_profile_matches_alliance_news(
    engine: TopicEngine, title: str, body: str, expected: set[str]
) -> None:
    result = engine.classify(title, body)
    assert result.matched
    assert expected <= set(result.topics), result.scores


@pytest.mark.parametrize(("title", "body"), NEGATIVES)
def test_default_profile_ignores_hard_negatives(engine: TopicEngine, title: str, body: str) -> None:
    result = engine.classify(title, body)
    assert not result.matched, result.scores
    assert result.topics == ()
    assert result.spans == ()


def test_nato_needs_word_boundaries(engine: TopicEngine) -> None:
    doc = "Natoli and Donato met the NATO-led mission and NATO's chief"
    result = engine.classify_document(doc)
    assert spans_text(doc, result, "alliance") == ["NATO", "NATO"]


@pytest.mark.parametrize(
    ("title", "body", "matched"),
    [
        # A person named Nato, with nothing else about the alliance: not alliance news.
        (
            "Nato Gelashvili scores twice as Millbrook Town cruise past Redmoor United",
            "Georgian forward Nato Gelashvili, signed in the summer, now has 16 goals.",
            False,
        ),
        ("Nato Beridze wins the women's 400m final", "She ran a season's best.", False),
        # The same spelling for the alliance: corroborated, or followed by its usual words.
        (
            "Nato Secretary General Mark Rutte urges faster ratification",
            "Nato Secretary General Mark Rutte said the alliance would welcome Sweden.",
            True,
        ),
        ("Nato Summit Opens In Vilnius", "Leaders Gathered On Tuesday.", True),
        ("Nato leaders meet in Vilnius", "", True),
        ("NATO Gelashvili", "", True),  # written as the acronym: the alliance
    ],
)
def test_an_acronym_written_as_a_name_needs_corroboration(
    engine: TopicEngine, title: str, body: str, matched: bool
) -> None:
    assert engine.classify(title, body).matched is matched


def test_calibre_exclude_vetoes_only_the_overlapping_mention(engine: TopicEngine) -> None:
    doc = "NATO summit opens\nStalls sold 5.56 NATO rounds outside."
    result = engine.classify_document(doc)
    alliance = next(s for s in result.scores if s.topic == "alliance")
    assert [doc[s.start : s.end] for s in alliance.spans] == ["NATO", "summit"]
    assert all(s.start < doc.index("5.56") for s in result.spans)
    assert alliance.score == pytest.approx(2.0 - 1.0 + 0.8)  # title NATO, exclude, title weak


def test_nato_membership_counts_for_both_accession_and_alliance(engine: TopicEngine) -> None:
    doc = "x\nThey discussed NATO membership."
    result = engine.classify_document(doc)
    assert "NATO membership" in spans_text(doc, result, "accession")
    assert "NATO" in spans_text(doc, result, "alliance") or "alliance" not in result.topics
    terms = {(s.term, s.topic) for s in result.spans}
    assert ("NATO membership", "accession") in terms


def test_result_orders_topics_by_score_and_keeps_unmatched_scores(engine: TopicEngine) -> None:
    result = engine.classify(
        "NATO allies vow to defend every inch, Rutte says", "Hungary did not block it."
    )
    assert result.topics == tuple(
        s.topic for s in sorted((s for s in result.scores if s.matched), key=lambda s: -s.score)
    )
    assert result.score == max(s.score for s in result.scores)
    for score in result.scores:
        if not score.matched:
            assert score.spans == ()
    assert {s.topic for s in result.spans} == set(result.topics)


# ----------------------------------------------------------------------------- spans and documents


def test_span_offsets_index_title_newline_body(engine: TopicEngine) -> None:
    title = "Finland joins NATO"
    body = "Helsinki became the 31st member of the North Atlantic Treaty Organization."
    doc = f"{title}\n{body}"
    result = engine.classify(title, body)
    assert result.matched
    for span in result.spans:
        assert 0 <= span.start < span.end <= len(doc)
    alliance = spans_text(doc, result, "alliance")
    assert alliance[0] == "NATO"
    assert "North Atlantic Treaty" in alliance
    first = next(s for s in result.spans if s.topic == "alliance")
    assert (first.start, first.end, first.term) == (14, 18, "NATO")


@pytest.mark.parametrize(
    "text",
    [
        "NATO summit opens in Vilnius",
        "Title here\nNATO summit opens in Vilnius as allies gather",
        "\n\nNATO summit opens in Vilnius\nallies gather",
        "İİİ ẞ straße\nNATO summit and NATO allies",
        "Σίσυφος ΣΑΣ NATO\r\nallies meet at the NATO summit",
    ],
)
def test_classify_document_offsets_index_the_text_as_given(engine: TopicEngine, text: str) -> None:
    result = engine.classify_document(text)
    assert result.matched
    for span in result.spans:
        assert fold_text(text[span.start : span.end]) in {"nato", "summit", "allies"}


def test_classify_document_splits_title_at_first_newline(engine: TopicEngine) -> None:
    as_title = engine.classify_document("NATO\nsomething")
    as_body = engine.classify_document("something\nNATO")
    both = engine.classify("NATO", "something")
    assert as_title.scores == both.scores
    assert as_title.score > as_body.score


def test_fold_text_keeps_length_for_expanding_characters() -> None:
    for text in ("Straße", "İstanbul", "ﬁnal", "ŉ", "NATO’s — “deal”"):
        assert len(fold_text(text)) == len(text)
    assert fold_text("İSTANBUL NATO") == "istanbul nato"
    assert fold_text("NATO’s – x") == "nato's - x"


# ----------------------------------------------------------------------------- scoring knobs

DEMO = {
    "weak_terms": ["widget*"],
    "context": ["acme"],
    "excludes": [],
    "weight": {"terms": 1.0, "weak_terms": 0.5, "excludes": 1.0},
    "threshold": 0.5,
    "window": 3,
}


def demo(**changes: object) -> TopicEngine:
    """A one-topic engine built from DEMO with `changes`."""
    return engine_for({"demo": {**DEMO, **changes}})


@pytest.mark.parametrize(
    ("body", "matched"),
    [
        ("acme sells widgets", True),
        ("widgets sold by acme", True),
        ("acme one two three widget", True),
        ("acme one two three four widget.", True),  # same sentence, within 4x window
        ("acme one. Two three four widget.", False),  # another sentence, beyond the window
        (
            "widget one two three four five six seven eight nine ten eleven twelve thirteen acme",
            False,
        ),
        ("widgets everywhere", False),
    ],
)
def test_weak_terms_need_context_nearby(body: str, matched: bool) -> None:
    assert demo().classify("News", body).matched is matched


NEAR = {
    "terms": [],
    "near_terms": ["clause five", "mutual shield"],
    "context": ["acme"],
    "excludes": ["clause five of the lease"],
    "threshold": 1.0,
    "window": 3,
}


@pytest.mark.parametrize(
    ("title", "body", "score"),
    [
        ("", "acme invoked clause five", 1.0),  # context nearby: as much as a strong term
        ("", "clause five was invoked", 0.0),  # no context: nothing
        ("", "acme. " + "x " * 60 + "clause five", 0.0),  # context too far away
        ("Clause five", "x " * 60 + "acme", 2.0),  # in the title: context anywhere, title weight
        (
            "",
            "clause five and a mutual shield",
            2.0,
        ),  # two different near terms vouch for each other
        ("", "clause five, clause five", 0.0),  # the same near term twice is one term
        ("", "acme signed clause five of the lease", 0.0),  # an exclude vetoes it and subtracts
    ],
)
def test_near_terms_count_fully_but_only_beside_context(
    title: str, body: str, score: float
) -> None:
    result = engine_for({"near": NEAR}).classify(title, body)
    assert result.score == pytest.approx(score)
    assert result.matched is (score >= 1.0)


def test_near_terms_are_a_config_key_with_an_extra_form() -> None:
    engine = engine_for({"near": {**NEAR, "extra_near_terms": ["iron dome"]}})
    assert engine.classify("", "acme iron dome").matched
    spec = parse_topics({"near": {"near_terms": ["x y"]}}, "test.toml")[-1]
    assert spec.near_terms == ("x y",) and not spec.terms
    with pytest.raises(ConfigError, match="near_terms"):
        parse_topics({"near": {"near_terms": "x"}}, "test.toml")


def test_title_context_covers_the_whole_body() -> None:
    far = "x " * 200 + "widget"
    assert demo().classify("acme news", far).matched
    assert not demo().classify("news", "acme. " + far).matched


def test_weak_term_in_title_accepts_context_anywhere() -> None:
    result = demo().classify("Widget news", "x " * 200 + "acme")
    assert result.matched
    assert result.score == pytest.approx(0.5 * 2.0)


def test_title_weight_multiplies_title_hits() -> None:
    engine = engine_for({"demo": {"terms": ["acme"], "title_weight": 3.0}})
    assert engine.classify("acme", "").score == pytest.approx(3.0)
    assert engine.classify("", "acme").score == pytest.approx(1.0)


def test_each_distinct_term_counts_once() -> None:
    engine = engine_for({"demo": {"terms": ["acme", "globex"], "title_weight": 1.0}})
    assert engine.classify("", "acme acme acme").score == pytest.approx(1.0)
    assert engine.classify("", "acme globex").score == pytest.approx(2.0)


def test_excludes_veto_overlaps_and_subtract() -> None:
    engine = engine_for({"demo": {"terms": ["acme"], "excludes": ["acme tools", "catalogue"]}})
    assert not engine.classify("", "acme tools").matched
    assert not engine.classify("", "acme in the catalogue").matched
    lenient = engine_for(
        {"demo": {"terms": ["acme"], "excludes": ["catalogue"], "weight": {"excludes": 0.0}}}
    )
    assert lenient.classify("", "acme in the catalogue").matched


def test_threshold_and_weight_scale_together() -> None:
    strict = engine_for({"demo": {"terms": ["acme"], "threshold": 1.5}})
    assert not strict.classify("", "acme").matched
    scaled = engine_for({"demo": {"terms": ["acme"], "threshold": 1.5, "weight": 2}})
    assert scaled.classify("", "acme").score == pytest.approx(2.0)
    assert scaled.classify("", "acme").matched


def test_term_syntax_separators_stems_and_regexes() -> None:
    engine = engine_for(
        {"demo": {"terms": ["open door", "veto*", r"re:art(?:icle)?\s*5\b", "re:NATO\\s+summit"]}}
    )
    doc = "x\nAn Open-Door policy; vetoed twice; ART. 5? Art 5 and a NATO  Summit; aveto"
    found = [doc[s.start : s.end] for s in engine.classify_document(doc).spans]
    assert found == ["Open-Door", "vetoed", "Art 5", "NATO  Summit"]


def test_stem_does_not_match_inside_words() -> None:
    engine = engine_for({"demo": {"terms": ["veto*"]}})
    assert not engine.classify("", "aveto, subveto").matched
    assert engine.classify("", "VETOES").matched


# ----------------------------------------------------------------------------- config merging


def test_parse_topics_without_config_returns_defaults() -> None:
    specs = parse_topics(None, "x")
    assert [s.name for s in specs] == list(DEFAULT_TOPICS)
    assert all(isinstance(s, TopicSpec) and s.enabled for s in specs)
    accession = next(s for s in specs if s.name == "accession")
    assert "Membership Action Plan" in accession.terms


def test_extra_terms_extend_and_terms_replace() -> None:
    base = next(s for s in parse_topics(None, "x") if s.name == "accession")
    extended = next(
        s
        for s in parse_topics({"accession": {"extra_terms": ["Nordic enlargement"]}}, "x")
        if s.name == "accession"
    )
    assert extended.terms == (*base.terms, "Nordic enlargement")
    replaced = next(
        s
        for s in parse_topics({"accession": {"terms": ["only this"]}}, "x")
        if s.name == "accession"
    )
    assert replaced.terms == ("only this",)
    assert replaced.weak_terms == base.weak_terms


def test_user_extra_terms_take_effect(engine: TopicEngine) -> None:
    assert not engine.classify("Zorbania", "").matched
    custom = engine_for({"alliance": {"extra_terms": ["Zorbania"]}}, defaults=True)
    assert custom.classify("Zorbania", "").topics == ("alliance",)


def test_disabled_topic_is_left_out(engine: TopicEngine) -> None:
    off = engine_for({"consensus": {"enabled": False}}, defaults=True)
    assert "consensus" not in off.names
    assert off.names == tuple(n for n in engine.names if n != "consensus")
    result = off.classify("Turkey vetoes Sweden's NATO bid", "")
    assert "consensus" not in {s.topic for s in result.scores}
    spec = next(
        s for s in parse_topics({"consensus": {"enabled": False}}, "x") if s.name == "consensus"
    )
    assert not spec.enabled


def test_new_topic_gets_alliance_context_and_defaults() -> None:
    engine = engine_for({"baltics": {"weak_terms": ["Narva"], "threshold": 0.4}})
    assert engine.names == ("baltics",)
    assert engine.classify("", "NATO troops arrived in Narva").matched
    assert not engine.classify("", "Tourists arrived in Narva").matched


def test_weight_table_sets_groups() -> None:
    spec = next(
        s
        for s in parse_topics({"guarantees": {"weight": {"weak_terms": 0.25}}}, "x")
        if s.name == "guarantees"
    )
    assert (spec.term_weight, spec.weak_weight, spec.exclude_weight) == (1.0, 0.25, 1.0)


def test_rules_hash_is_stable_and_tracks_rule_changes() -> None:
    first = compile_topics(parse_topics(None, "a")).rules_hash
    assert first == compile_topics(parse_topics(None, "b")).rules_hash
    changes: list[dict[str, object]] = [
        {"accession": {"extra_terms": ["Nordic enlargement"]}},
        {"accession": {"threshold": 2}},
        {"accession": {"window": 5}},
        {"consensus": {"enabled": False}},
        {"guarantees": {"weight": 1.1}},
        {"newtopic": {"terms": ["x"]}},
    ]
    hashes = {compile_topics(parse_topics(raw, "c")).rules_hash for raw in changes}
    assert first not in hashes
    assert len(hashes) == len(changes)
    assert re.fullmatch(r"[0-9a-f]{16}", first)


# ----------------------------------------------------------------------------- config errors


@pytest.mark.parametrize(
    ("raw", "where", "message"),
    [
        ({"accession": {"treshold": 1}}, "topics.accession.treshold", "did you mean 'threshold'?"),
        ({"accession": {"extra_term": []}}, "topics.accession.extra_term", "did you mean"),
        ({"accession": {"zzz": 1}}, "topics.accession.zzz", "valid keys: enabled"),
        ({"accession": {"weight": {"weak": 1}}}, "topics.accession.weight.weak", "weak_terms"),
        ({"accession": {"enabled": "yes"}}, "topics.accession.enabled", "true or false"),
        ({"accession": {"terms": "NATO"}}, "topics.accession.terms", 'terms = ["NATO"]'),
        ({"accession": {"terms": ["ok", 3]}}, "topics.accession.terms[1]", "expected a string"),
        (
            {"accession": {"extra_weak_terms": [True]}},
            "topics.accession.extra_weak_terms[0]",
            "string",
        ),
        ({"accession": {"threshold": "high"}}, "topics.accession.threshold", "threshold = 1.5"),
        ({"accession": {"threshold": 0}}, "topics.accession.threshold", "above 0"),
        ({"accession": {"title_weight": -1}}, "topics.accession.title_weight", "0 or more"),
        ({"accession": {"weight": "heavy"}}, "topics.accession.weight", "expected a number"),
        ({"accession": {"weight": {"terms": True}}}, "topics.accession.weight.terms", "number"),
        ({"accession": {"window": -1}}, "topics.accession.window", "whole number"),
        ({"accession": {"window": 2.5}}, "topics.accession.window", "whole number"),
        ({"accession": {"window": True}}, "topics.accession.window", "whole number"),
        ({"accession": {"terms": ["re:(unclosed"]}}, "topics.accession.terms[0]", "bad regular"),
        ({"accession": {"excludes": ["re:x*"]}}, "topics.accession.excludes[0]", "empty text"),
        (
            {"accession": {"context": ["ok", "re:x(?i)y"]}},
            "topics.accession.context[1]",
            "bad regular",
        ),
        ({"accession": {"terms": ["---"]}}, "topics.accession.terms[0]", "no letters"),
        ({"accession": {"terms": ["x" * 201]}}, "topics.accession.terms[0]", "shorten it"),
        ({"accession": 5}, "topics.accession", "expected a [topics.accession] table"),
        ({"acession": {"weight": 2}}, "topics.acession", "did you mean [topics.accession]?"),
        ({"brandnew": {"enabled": True}}, "topics.brandnew", 'add terms = ["..."]'),
        ({"bad name!": {"terms": ["x"]}}, "topics.bad name!", "topic names may use"),
    ],
)
def test_config_errors_name_the_key_and_a_fix(
    raw: Mapping[str, object], where: str, message: str
) -> None:
    with pytest.raises(ConfigError) as caught:
        parse_topics(raw, "feeds.toml")
    error = caught.value
    assert error.source == "feeds.toml"
    assert error.where == where
    assert message in error.message
    assert str(error).startswith(f"feeds.toml: {where}: ")


def test_topics_must_be_a_table() -> None:
    with pytest.raises(ConfigError, match="table"):
        parse_topics(["accession"], "feeds.toml")  # type: ignore[arg-type]  # checks bad input


def test_regex_with_inline_flags_is_accepted_when_valid() -> None:
    engine = engine_for({"demo": {"terms": ["re:(?x) nato \\s+ summit"]}})
    assert engine.classify("", "NATO summit").matched


# ----------------------------------------------------------------------------- properties

VOCAB = [
    "NATO",
    "nato",
    "OTAN",
    "НАТО",
    "Article 5",
    "membership",
    "veto",
    "vetoed",
    "allies",
    "5.56 NATO",
    "Star Alliance",
    "Georgia",
    "North-Atlantic  Treaty",
    "İ",
    "ß",
    "ﬁ",
    "’",
    "—",
    "\n",
    " ",
    ".",
]
TEXT = st.lists(st.one_of(st.sampled_from(VOCAB), st.text(max_size=8)), max_size=40).map("".join)


def assert_spans_valid(engine: TopicEngine, doc: str, result: TopicResult) -> None:
    """Every span lies in `doc` and its text matches the rule it names."""
    specs = {spec.name: spec for spec in parse_topics(None, "x")}
    for span in result.spans:
        assert 0 <= span.start < span.end <= len(doc)
        text = doc[span.start : span.end]
        spec = specs[span.topic]
        assert span.term in (*spec.terms, *spec.weak_terms, *spec.near_terms)
        folded = re.sub(r"[\s-]+", " ", fold_text(text))
        if span.term.startswith("re:"):
            assert re.fullmatch(span.term[3:], fold_text(text), re.IGNORECASE)
        elif span.term.endswith("*"):
            assert folded.startswith(re.sub(r"[\s-]+", " ", fold_text(span.term[:-1])))
        else:
            assert folded == re.sub(r"[\s-]+", " ", fold_text(span.term)).strip()
        # Word boundaries as the engine sees them: apostrophe-like letters (U+02BC) are folded
        # to "'", so "NATOʼs" is NATO followed by a possessive.
        seen = [fold_text(ch) for ch in doc]
        assert not (span.start and seen[span.start - 1].isalnum())
        assert not (span.end < len(doc) and seen[span.end].isalnum())
    assert engine.names == tuple(specs)


@settings(max_examples=300, deadline=None)
@given(title=TEXT, body=TEXT)
def test_classify_never_raises_and_spans_slice_to_terms(
    engine: TopicEngine, title: str, body: str
) -> None:
    result = engine.classify(title, body)
    assert_spans_valid(engine, f"{title}\n{body}", result)
    assert result.matched == bool(result.topics)


@settings(max_examples=300, deadline=None)
@given(text=TEXT)
def test_classify_document_spans_index_the_text(engine: TopicEngine, text: str) -> None:
    result = engine.classify_document(text)
    assert_spans_valid(engine, text, result)


@given(text=st.text())
def test_fold_text_never_changes_length(text: str) -> None:
    assert len(fold_text(text)) == len(text)


# ----------------------------------------------------------------------------- prefilter

PREFILTERED = engine_for(
    {
        "demo": {
            "terms": ["acme", "open door", "veto*", "l'otan", "Straße", "ﬁnland", "NATO"],
            "weak_terms": ["widget*", "allies", "members", "vetoes"],
            "context": ["globex corp", "North-Atlantic Treaty", "ΝΑΤΟ"],
            "excludes": ["acme tools", "re:catalog\\w*"],
            "window": 2,
        }
    },
    defaults=True,
)
FULL_PATH_VOCAB = [
    *VOCAB,
    "acme",
    "Acme tools",
    "Open-Door",
    "vetoes",
    "L’OTAN",
    "STRASSE",
    "Straße",
    "ﬁnland",
    "Globex  Corp",
    "widgets",
    "Nato Gelashvili",
    "Secretary General Mark Rutte",
    "alliance's",
    "veto à l'adhésion de l'Ukraine à l'OTAN",
    "NATO-Beitrittsgesuch",
    "проти розширення НАТО",
]
FULL_PATH_TEXT = st.lists(
    st.one_of(st.sampled_from(FULL_PATH_VOCAB), st.text(max_size=6)), max_size=30
).map("".join)


@pytest.mark.parametrize("prefiltered", [False, True])
def test_needle_prefilter_applies_only_without_regex_anchors(prefiltered: bool) -> None:
    engine = PREFILTERED if prefiltered else demo(context=["re:acme\\w*"])
    assert (engine._needle_filter is not None) is prefiltered


def test_every_strong_and_context_term_passes_the_needle_prefilter() -> None:
    for engine in (compile_topics(parse_topics(None, "x")), PREFILTERED):
        for spec in engine._specs:
            for term in (*spec.terms, *spec.context):
                if term.startswith("re:"):
                    continue
                text = f"x {term.rstrip('*')} x"
                assert engine._needle_filter is not None
                assert engine._needle_filter.passes(fold_text(text)), term
                if term in spec.terms:
                    assert engine.classify("", text).scores, term


@settings(max_examples=400, deadline=None)
@given(title=FULL_PATH_TEXT, body=FULL_PATH_TEXT)
def test_prefilter_never_changes_a_verdict(engine: TopicEngine, title: str, body: str) -> None:
    """`classify` (with the needle prefilter and the `\\W`-led literal scan) equals the full
    path run on every document, for the default profile and a custom one."""
    doc = f"{title}\n{body}"
    for each in (engine, PREFILTERED):
        full = each._classify_folded(doc, fold_text(doc), len(title))
        assert each.classify(title, body) == full
        assert each._anchored(fold_text(doc)) or not full.scores


@pytest.mark.parametrize(
    ("doc", "found"),
    [
        ("NATO\n", True),
        ("\nNATO", True),
        ("(NATO)\n", True),
        ("x’NATO\n", True),
        ("–NATO\n", True),
        ("éNATO\n", False),
        ("_NATO\n", False),
        ("5NATO\n", False),
    ],
)
def test_literal_scan_finds_terms_at_the_start_and_after_any_separator(
    engine: TopicEngine, doc: str, found: bool
) -> None:
    assert bool(engine.classify_document(doc).scores) is found


def test_built_in_terms_pass_the_checks_a_user_term_gets() -> None:
    """The built-in tables skip term checks at start-up; written as a user's tables, every
    term must pass them (letters, length, the regex safety walk)."""
    from natoread.core.analysis.topics.rules import DEFAULT_TOPICS, parse_topics

    as_user = parse_topics(dict(DEFAULT_TOPICS), "feeds.toml")
    built_in = parse_topics(None, "feeds.toml")
    assert as_user == built_in
