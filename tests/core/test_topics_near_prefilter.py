"""The needle prefilter and near terms: one near term alone never reaches the full path."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from natoread.core.analysis.topics.engine import (
    TopicEngine,
    compile_topics,
    fold_text,
    parse_topics,
)
from natoread.core.analysis.topics.prefilter import holding, minimal

DEFAULT = compile_topics(parse_topics(None, "test"))

NEAR_VOCAB = [
    "defence",
    "spending",
    "defence spending",
    "defense-spending",
    "military spending",
    "collective defence",
    "Article 5",
    "Article V",
    "article 5-style",
    "security guarantees",
    "security guarantee",
    "Verteidigungsausgaben",
    "взаємна оборона",
    "взаємної оборони",
    "расходы на оборону",
    "NATO",
    "the Alliance",
    "allies",
    "UN",
    "veto",
    " ",
    ". ",
    "\n",
]
NEAR_TEXT = st.lists(st.one_of(st.sampled_from(NEAR_VOCAB), st.text(max_size=4)), max_size=24).map(
    "".join
)


def passes_prefilter(engine: TopicEngine, doc: str) -> bool:
    assert engine._needle_filter is not None
    return engine._needle_filter.passes(fold_text(doc))


def test_common_words_of_one_near_term_do_not_pass_the_prefilter() -> None:
    doc = "Budget\nThe council cut spending on roads; the defence of the city went on."
    assert not passes_prefilter(DEFAULT, doc)
    assert DEFAULT.classify("Budget", doc.split("\n", 1)[1]) == DEFAULT._classify_folded(
        doc, fold_text(doc), len("Budget")
    )


def test_two_near_terms_of_one_topic_pass_the_prefilter_and_match() -> None:
    title, body = "Article 5 in question", "Talks on collective defence and defence spending."
    assert passes_prefilter(DEFAULT, f"{title}\n{body}")
    assert "guarantees" in DEFAULT.classify(title, body).topics


def test_a_near_term_with_a_strong_or_context_anchor_passes_the_prefilter() -> None:
    assert passes_prefilter(DEFAULT, "x\nNATO allies debate defence spending")


@settings(max_examples=400, deadline=None)
@given(title=NEAR_TEXT, body=NEAR_TEXT)
def test_near_prefilter_never_changes_a_verdict(title: str, body: str) -> None:
    doc = f"{title}\n{body}"
    full = DEFAULT._classify_folded(doc, fold_text(doc), len(title))
    assert DEFAULT.classify(title, body) == full
    assert passes_prefilter(DEFAULT, doc) or not full.scores


def test_the_filter_finds_first_pieces_at_word_starts_only() -> None:
    assert passes_prefilter(DEFAULT, "x\nl'OTAN")  # after an elision
    assert passes_prefilter(DEFAULT, "NATO-Gipfel")  # at the very start
    assert passes_prefilter(DEFAULT, "x\ntransatlantic alliance")
    assert not passes_prefilter(DEFAULT, "x\nsubnato superalliance")


@settings(max_examples=300, deadline=None)
@given(words=st.sets(st.text(alphabet="ab \n\0", min_size=1, max_size=5), max_size=12))
def test_holding_and_minimal_match_their_pairwise_definitions(words: set[str]) -> None:
    """The joined-text search finds exactly the pairs a test per pair finds (a word held at a
    word start), whatever the words hold (the joint character included)."""
    pairwise = {
        w for w in words if any(o != w and re.search(f"(?<!\\w){re.escape(o)}", w) for o in words)
    }
    assert holding(words, words) == pairwise
    assert minimal(words) == sorted(words - pairwise)
