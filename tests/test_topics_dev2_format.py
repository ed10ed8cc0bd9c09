"""The second topic development set is well-formed and shaped as issue 19 asks.

Format checks only: the figures are printed by benchmarks/topics_eval.py.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

from natoread.core.analysis.topics.defaults import LANGUAGES, TOPIC_KNOBS
from tests.scripts import BENCHMARKS, load_script

DATA = Path(__file__).resolve().parents[1] / "benchmarks" / "data"
DEV2 = DATA / "topics_dev2.jsonl"
OTHER_SETS = (
    DATA / "topics_multilingual.jsonl",
    DATA / "topics_labelled.jsonl",
    DATA / "topics_heldout.jsonl",
)
STRICT = ("accession", "consensus", "guarantees")
ITEM_KEYS = {"id", "lang", "split", "hard_negative", "title", "summary", "topics"}
MIN_PER_LANGUAGE = 25
MIN_HARD_NEGATIVES = 8


def load(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def test_every_item_has_the_multilingual_line_format() -> None:
    for item in load(DEV2):
        assert set(item) == ITEM_KEYS, item["id"]
        assert item["split"] == "dev2"
        assert item["title"].strip() == item["title"] != ""
        assert item["summary"].strip() == item["summary"] != ""
        assert set(item["topics"]) <= set(TOPIC_KNOBS), item["id"]
        assert item["topics"] == sorted(set(item["topics"])), item["id"]
        # a strict topic is a sub-theme of a story about the alliance
        assert not set(STRICT) & set(item["topics"]) or "alliance" in item["topics"], item["id"]


def test_ids_and_titles_are_new() -> None:
    items = load(DEV2)
    ids = [item["id"] for item in items]
    assert len(ids) == len(set(ids))
    others = [item for path in OTHER_SETS for item in load(path)]
    assert not set(ids) & {item["id"] for item in others}
    titles = {item["title"].casefold() for item in others}
    assert not [item["id"] for item in items if item["title"].casefold() in titles]


def test_every_language_has_each_strict_topic_and_many_hard_negatives() -> None:
    items = load(DEV2)
    sizes = Counter(item["lang"] for item in items)
    assert set(sizes) == set(LANGUAGES)
    for lang in LANGUAGES:
        mine = [item for item in items if item["lang"] == lang]
        assert len(mine) >= MIN_PER_LANGUAGE, lang
        for topic in STRICT:  # about a third of a language's items per strict topic
            share = sum(topic in item["topics"] for item in mine) / len(mine)
            assert 0.15 <= share <= 0.45, (lang, topic, share)
        negatives = [item for item in mine if item["hard_negative"]]
        assert len(negatives) >= MIN_HARD_NEGATIVES, lang
        assert all(not item["topics"] for item in negatives), lang


def test_the_scorer_reads_the_second_development_set() -> None:
    scorer = load_script(BENCHMARKS / "topics_eval.py")
    assert scorer.DEV2 == DEV2
