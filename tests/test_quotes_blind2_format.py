"""The second blind quote set (quotes_blind2.json) is well-formed and large enough.

Format checks only: the set is scored at the end of the session by benchmarks/quotes_eval.py, and
nothing here runs the extractor on it, so no test can be tuned to its contents.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from tests.test_quotes_heldout_format import check_quotes_at_offsets

DATA = Path(__file__).resolve().parents[1] / "benchmarks" / "data"
BLIND2 = DATA / "quotes_blind2.json"
# the sets written for tuning, whose ids the blind set must not reuse
TUNING_SETS = (DATA / "quotes_dev.json", DATA / "quotes_dev2.json")
CONVENTIONS_SOURCE = DATA / "quotes_dev2.json"
MIN_ARTICLES = {"en": 20, "uk": 10, "ru": 10, "pl": 10, "de": 10, "fr": 10}
LANGUAGES = {"en", "uk", "ru", "pl", "de", "fr"}
ARTICLE_KEYS = {"id", "split", "lang", "style", "text", "quotes"}
# real article lengths, headline and page furniture included
MIN_WORDS, MAX_WORDS = 120, 450


def load(path: Path) -> dict[str, Any]:
    document: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return document


def articles() -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = load(BLIND2)["articles"]
    return found


def test_the_file_keeps_the_second_development_sets_conventions() -> None:
    document = load(BLIND2)
    assert set(document) == {"description", "conventions", "articles"}
    assert document["conventions"] == load(CONVENTIONS_SOURCE)["conventions"]
    assert "blind2" in document["description"]


def test_every_language_has_enough_articles() -> None:
    counts = Counter(a["lang"] for a in articles())
    assert set(counts) == LANGUAGES
    short = {lang: counts[lang] for lang, least in MIN_ARTICLES.items() if counts[lang] < least}
    assert not short, f"languages under their minimum: {short}"


def test_ids_are_unique_and_name_their_split_and_language() -> None:
    ids = [a["id"] for a in articles()]
    assert len(ids) == len(set(ids))
    for article in articles():
        assert set(article) == ARTICLE_KEYS
        assert article["split"] == "blind2"
        assert article["lang"] in LANGUAGES
        assert article["id"].startswith(f"{article['lang']}-blind2-")
    tuning_ids = {a["id"] for path in TUNING_SETS for a in load(path)["articles"]}
    assert not tuning_ids & set(ids)


def test_every_language_keeps_negatives_partial_and_unattributed_quotes() -> None:
    # marks around titles and scare words only: nothing is a quotation
    assert {a["lang"] for a in articles() if not a["quotes"]} == LANGUAGES
    quotes = [(a["lang"], q) for a in articles() for q in a["quotes"]]
    assert {lang for lang, q in quotes if q["partial"]} == LANGUAGES
    # anonymous sources and documents
    assert {lang for lang, q in quotes if q["speaker"] is None} == LANGUAGES


@pytest.mark.parametrize("article", articles(), ids=lambda a: str(a["id"]))
def test_every_quote_is_the_text_at_its_offsets(article: dict[str, Any]) -> None:
    text = article["text"]
    assert isinstance(text, str) and text == text.strip()
    assert MIN_WORDS <= len(text.split()) <= MAX_WORDS
    check_quotes_at_offsets(article)
