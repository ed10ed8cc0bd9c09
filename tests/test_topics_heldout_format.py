"""The blind held-out topic set is well-formed, large enough and balanced as issue 19 asks.

Format checks only: no score threshold, because the figures are measured by
benchmarks/topics_eval.py --heldout and a test must not tune the term files to the set.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from types import ModuleType
from typing import Any

from natoread.core.analysis.topics.defaults import LANGUAGES, TOPIC_KNOBS
from tests.scripts import BENCHMARKS, load_script

DATA = Path(__file__).resolve().parents[1] / "benchmarks" / "data"
HELDOUT = DATA / "topics_heldout.jsonl"
EARLIER_SETS = (DATA / "topics_multilingual.jsonl", DATA / "topics_labelled.jsonl")
EVAL_SCRIPT = BENCHMARKS / "topics_eval.py"
STRICT = {"accession", "consensus", "guarantees"}
ITEM_KEYS = {"id", "lang", "split", "hard_negative", "title", "summary", "topics"}
MIN_PER_LANGUAGE = 40
# "about a third relevant to the strict topics"
RELEVANT_SHARE = (0.25, 0.45)
MIN_HARD_NEGATIVES = 10


def load(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def test_every_item_has_the_multilingual_line_format() -> None:
    for item in load(HELDOUT):
        assert set(item) == ITEM_KEYS, item["id"]
        assert item["split"] == "blind"
        assert isinstance(item["hard_negative"], bool)
        assert item["title"].strip() == item["title"] != ""
        assert item["summary"].strip() == item["summary"] != ""
        assert set(item["topics"]) <= set(TOPIC_KNOBS), item["id"]
        assert item["topics"] == sorted(set(item["topics"])), item["id"]


def test_ids_are_unique_and_new() -> None:
    ids = [item["id"] for item in load(HELDOUT)]
    earlier = {item["id"] for path in EARLIER_SETS for item in load(path)}
    assert len(ids) == len(set(ids))
    assert not set(ids) & earlier


def test_no_item_repeats_an_earlier_set() -> None:
    earlier = {item["title"].casefold() for path in EARLIER_SETS for item in load(path)}
    repeated = [item["id"] for item in load(HELDOUT) if item["title"].casefold() in earlier]
    assert not repeated


def test_every_language_is_large_enough_and_a_third_relevant() -> None:
    items = load(HELDOUT)
    sizes = Counter(item["lang"] for item in items)
    assert set(sizes) == set(LANGUAGES)
    relevant = Counter(item["lang"] for item in items if STRICT & set(item["topics"]))
    for lang, size in sizes.items():
        assert size >= MIN_PER_LANGUAGE, lang
        low, high = RELEVANT_SHARE
        assert low <= relevant[lang] / size <= high, (lang, relevant[lang], size)
    # every strict topic is present in every language, so each gets a recall figure
    for lang in LANGUAGES:
        labelled = {t for item in items if item["lang"] == lang for t in item["topics"]}
        assert labelled >= STRICT, lang


def test_hard_negatives_are_many_and_carry_no_topic() -> None:
    items = load(HELDOUT)
    negatives = Counter(item["lang"] for item in items if item["hard_negative"])
    assert all(negatives[lang] >= MIN_HARD_NEGATIVES for lang in LANGUAGES), negatives
    assert all(not item["topics"] for item in items if item["hard_negative"])


def eval_script() -> ModuleType:
    return load_script(EVAL_SCRIPT)


def test_the_scorer_reads_the_held_out_file_in_every_language() -> None:
    scorer = eval_script()
    assert scorer.HELDOUT == HELDOUT
    assert set(scorer.HELDOUT_LANGS) == set(LANGUAGES)
    assert scorer.STRICT == STRICT
