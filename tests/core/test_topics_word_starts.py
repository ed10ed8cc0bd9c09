"""Terms inside and across longer terms: every word start is a place a term may begin.

An elided article ("l'OTAN", "dell'Alleanza"), a hyphenated compound ("NATO-Beitrittsgesuch",
"НАТО-блока") or a term overlapping a longer one ("проти розширення НАТО": a consensus phrase
and an accession phrase sharing a word) must not hide a term, in any language (issue 19).
"""

from __future__ import annotations

import pytest

from natoread.core.analysis.topics.engine import TopicEngine, compile_topics, parse_topics
from natoread.core.analysis.topics.rules import DEFAULT_TOPICS

ALL_OFF = {name: {"enabled": False} for name in DEFAULT_TOPICS}


@pytest.fixture(scope="module")
def engine() -> TopicEngine:
    return compile_topics(parse_topics(None, "test"))


def demo(**topic: object) -> TopicEngine:
    """A one-topic engine, the default topics switched off."""
    return compile_topics(parse_topics({**ALL_OFF, "demo": {"threshold": 1.0, **topic}}, "t"))


def found(engine: TopicEngine, doc: str) -> list[str]:
    """The text under every span of `doc` (title line first)."""
    return [doc[s.start : s.end] for s in engine.classify_document(doc).spans]


@pytest.mark.parametrize(
    ("title", "topics"),
    [
        # French: the accession phrase starts after the elided article of a consensus phrase
        (
            "Orbán brandit son veto à l'adhésion de la Suède à l'OTAN",
            {"alliance", "accession", "consensus"},
        ),
        (
            "Budapest oppose son veto à l'adhésion de l'Ukraine à l'OTAN",
            {"alliance", "accession", "consensus"},
        ),
        # German: NATO is a name inside the compound that the accession stem matched
        (
            "Ungarn blockiert weiter das NATO-Beitrittsgesuch Schwedens",
            {"alliance", "accession", "consensus"},
        ),
        ("Schweden reicht NATO-Beitrittsantrag ein", {"alliance", "accession"}),
        # Russian, Ukrainian, Polish: a consensus phrase and an accession phrase share a word
        ("Кремль против расширения НАТО-блока на восток", {"alliance", "accession", "consensus"}),
        ("Кремль проти розширення НАТО на схід", {"alliance", "accession", "consensus"}),
        ("Фіцо проти членства України в НАТО", {"alliance", "accession", "consensus"}),
        ("Kreml przeciwko rozszerzeniu NATO", {"alliance", "accession", "consensus"}),
        ("Węgry przeciw przystąpieniu Szwecji do NATO", {"alliance", "accession", "consensus"}),
    ],
)
def test_default_terms_are_found_inside_and_across_longer_terms(
    engine: TopicEngine, title: str, topics: set[str]
) -> None:
    assert set(engine.classify(title, "").topics) == topics


def test_a_name_after_an_elided_article_inside_a_longer_term_is_context() -> None:
    """The other topic's term holds the whole phrase; the name in it still gives the veto
    its context (French "l'", Italian "dell'" alike)."""
    raw = {
        **ALL_OFF,
        "veto": {
            "terms": [],
            "weak_terms": ["veto"],
            "context": ["OTAN", "Alleanza"],
            "threshold": 0.4,
        },
        "other": {
            "terms": ["adhésion de l'Ukraine à l'OTAN", "allargamento dell'Alleanza"],
            "context": ["Kyiv"],
        },
    }
    engine = compile_topics(parse_topics(raw, "t"))
    for body in (
        "Budapest oppose son veto à l'adhésion de l'Ukraine à l'OTAN.",
        "Budapest mette il veto sull'allargamento dell'Alleanza.",
    ):
        assert set(engine.classify("", body).topics) == {"other", "veto"}, body
    assert engine.classify("", "Budapest oppose son veto au budget.").topics == ()


def test_a_term_after_a_hyphen_inside_a_stem_hit_is_found() -> None:
    engine = demo(terms=["NATO-Beitritt*", "Beitrittsgesuch", "NATO"], title_weight=1.0)
    doc = "x\nDas NATO-Beitrittsgesuch liegt vor."
    assert found(engine, doc) == ["NATO", "NATO-Beitrittsgesuch", "Beitrittsgesuch"]
    assert engine.classify_document(doc).score == pytest.approx(3.0)


def test_terms_overlapping_a_longer_term_are_found() -> None:
    engine = demo(terms=["против расширения", "расширения НАТО"], title_weight=1.0)
    doc = "x\nМосква против расширения НАТО на восток."
    assert found(engine, doc) == ["против расширения", "расширения НАТО"]
    assert engine.classify_document(doc).score == pytest.approx(2.0)


def test_an_overlapping_exclude_vetoes_the_term_it_overlaps() -> None:
    engine = demo(terms=["переговори про вступ"], excludes=["вступ до ЄС"])
    assert not engine.classify("", "Грузія призупинила переговори про вступ до ЄС").matched
    assert engine.classify("", "Грузія почала переговори про вступ до НАТО").matched


@pytest.mark.parametrize("doc", ["x\nl'otanien", "x\nsubveto", "x\nNATO_Beitritt"])
def test_a_word_start_still_needs_a_separator_before_it(doc: str) -> None:
    engine = demo(terms=["OTAN", "veto", "Beitritt"])
    assert found(engine, doc) == []
