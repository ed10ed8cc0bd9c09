"""The blind held-out quote sets and the development set are well-formed, large enough, and
scored with strict coverage.

These tests check the data and the scoring rule only; they set no score threshold, because the
figures are measured by benchmarks/quotes_eval.py and a test must not tune the extractor to the set.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from tests.scripts import BENCHMARKS, load_script

DATA = Path(__file__).resolve().parents[1] / "benchmarks" / "data"
EVAL_SCRIPT = BENCHMARKS / "quotes_eval.py"
ENGLISH = DATA / "quotes_heldout_en.json"
INTERNATIONAL = DATA / "quotes_heldout_intl.json"
# for tuning, every language in one file (benchmarks/quotes_eval.py --dev)
DEVELOPMENT = DATA / "quotes_dev.json"
# the second development set, in styles the first lacks (benchmarks/quotes_eval.py --dev2)
SECOND_DEVELOPMENT = DATA / "quotes_dev2.json"
# the third development set, in styles the first two lack (benchmarks/quotes_eval.py --dev3)
THIRD_DEVELOPMENT = DATA / "quotes_dev3.json"
MIN_DEV3_ENGLISH = 20
MIN_DEV3_PER_OTHER_LANGUAGE = 14
MIN_DEV_ENGLISH = 30
MIN_DEV2_PER_OTHER_LANGUAGE = 12
OTHER_LANGUAGES = {"uk", "ru", "pl", "de", "fr"}
MIN_ENGLISH = 40
MIN_PER_OTHER_LANGUAGE = 10
QUOTE_KEYS = {"text", "start", "end", "speaker", "partial"}


def load(path: Path) -> list[dict[str, Any]]:
    articles: list[dict[str, Any]] = json.loads(path.read_text(encoding="utf-8"))["articles"]
    return articles


def all_articles() -> list[dict[str, Any]]:
    return load(ENGLISH) + load(INTERNATIONAL)


def test_language_codes_and_counts_meet_the_targets() -> None:
    english = Counter(a["lang"] for a in load(ENGLISH))
    others = Counter(a["lang"] for a in load(INTERNATIONAL))
    assert set(english) == {"en"}
    assert english["en"] >= MIN_ENGLISH
    assert set(others) == OTHER_LANGUAGES
    short = {lang: n for lang, n in others.items() if n < MIN_PER_OTHER_LANGUAGE}
    assert not short, f"languages under {MIN_PER_OTHER_LANGUAGE} articles: {short}"


def test_the_development_set_covers_every_language() -> None:
    langs = Counter(a["lang"] for a in load(DEVELOPMENT))
    assert set(langs) == OTHER_LANGUAGES | {"en"}
    assert langs["en"] >= MIN_DEV_ENGLISH
    short = {lang: n for lang, n in langs.items() if lang != "en" and n < MIN_PER_OTHER_LANGUAGE}
    assert not short, f"languages under {MIN_PER_OTHER_LANGUAGE} articles: {short}"


def test_the_second_development_set_covers_every_language() -> None:
    articles = load(SECOND_DEVELOPMENT)
    langs = Counter(a["lang"] for a in articles)
    assert set(langs) == OTHER_LANGUAGES | {"en"}
    assert langs["en"] >= MIN_DEV_ENGLISH
    short = {
        lang: n for lang, n in langs.items() if lang != "en" and n < MIN_DEV2_PER_OTHER_LANGUAGE
    }
    assert not short, f"languages under {MIN_DEV2_PER_OTHER_LANGUAGE} articles: {short}"
    assert {a["split"] for a in articles} == {"dev2"}
    # every language keeps a negative: quote marks around titles and scare words only
    assert {a["lang"] for a in articles if not a["quotes"]} == OTHER_LANGUAGES | {"en"}


def test_the_third_development_set_covers_every_language() -> None:
    articles = load(THIRD_DEVELOPMENT)
    langs = Counter(a["lang"] for a in articles)
    assert set(langs) == OTHER_LANGUAGES | {"en"}
    assert langs["en"] >= MIN_DEV3_ENGLISH
    short = {
        lang: n for lang, n in langs.items() if lang != "en" and n < MIN_DEV3_PER_OTHER_LANGUAGE
    }
    assert not short, f"languages under {MIN_DEV3_PER_OTHER_LANGUAGE} articles: {short}"
    assert {a["split"] for a in articles} == {"dev3"}
    assert all(a["id"].startswith(f"{a['lang']}-dev3-") for a in articles)
    # every language keeps a negative (no quotations at all) and an anonymous or document quote
    assert {a["lang"] for a in articles if not a["quotes"]} == OTHER_LANGUAGES | {"en"}
    unattributed = {a["lang"] for a in articles for q in a["quotes"] if q["speaker"] is None}
    assert unattributed >= {"en", "uk", "ru", "pl", "fr"}


def test_the_third_development_set_follows_the_second_sets_conventions() -> None:
    third = json.loads(THIRD_DEVELOPMENT.read_text(encoding="utf-8"))
    second = json.loads(SECOND_DEVELOPMENT.read_text(encoding="utf-8"))
    assert third["conventions"] == second["conventions"]
    assert third["description"].strip()


def dev_articles() -> list[dict[str, Any]]:
    return load(DEVELOPMENT) + load(SECOND_DEVELOPMENT) + load(THIRD_DEVELOPMENT)


def test_article_ids_are_unique_across_all_files() -> None:
    ids = [a["id"] for a in all_articles() + dev_articles()]
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize(
    "article",
    all_articles() + dev_articles(),
    ids=lambda a: str(a["id"]),
)
def test_every_quote_is_the_text_at_its_offsets(article: dict[str, Any]) -> None:
    text = article["text"]
    assert isinstance(text, str) and text.strip()
    check_quotes_at_offsets(article)


def check_quotes_at_offsets(article: dict[str, Any]) -> None:
    """Every annotated quote of an article is the text at its offsets, in order, trimmed,
    with a trimmed speaker or none (the format every quote set shares)."""
    text = article["text"]
    previous_end = 0
    for quote in article["quotes"]:
        assert set(quote) == QUOTE_KEYS
        start, end = quote["start"], quote["end"]
        assert previous_end <= start < end <= len(text), (quote, previous_end)
        assert text[start:end] == quote["text"]
        assert quote["text"] == quote["text"].strip(), "a quote keeps no padding spaces"
        speaker = quote["speaker"]
        assert speaker is None or (isinstance(speaker, str) and speaker == speaker.strip() != "")
        assert isinstance(quote["partial"], bool)
        previous_end = end


def test_every_language_keeps_hard_negatives() -> None:
    # articles whose quote marks hold only titles, names or scare quotes must find nothing
    without_quotes = Counter(a["lang"] for a in all_articles() if not a["quotes"])
    assert set(without_quotes) == OTHER_LANGUAGES | {"en"}


def test_every_language_has_unattributed_and_partial_quotes() -> None:
    quotes = [(a["lang"], q) for a in all_articles() for q in a["quotes"]]
    assert {lang for lang, q in quotes if q["partial"]} == OTHER_LANGUAGES | {"en"}
    assert {lang for lang, q in quotes if q["speaker"] is None} >= {"en", "uk", "ru", "pl"}


def eval_script() -> ModuleType:
    return load_script(EVAL_SCRIPT)


def test_strict_coverage_does_not_count_a_fragment() -> None:
    scorer = eval_script()
    # gold quote spans 0..100
    assert scorer.covers(0, 100, 0, 100)
    assert scorer.covers(0, 99, 0, 100), "a dropped final mark or comma still finds the quote"
    assert not scorer.covers(0, 60, 0, 100), "60% of a quote is a fragment, not the quote"
    assert not scorer.covers(0, 300, 0, 100), "a prediction that is mostly other text"
    assert not scorer.covers(100, 200, 0, 100)


def test_the_scorer_reads_both_blind_files() -> None:
    scorer = eval_script()
    langs = Counter(a["lang"] for a in scorer.load_blind())
    assert set(langs) == set(scorer.BLIND_LANGS)


def test_the_scorer_scores_the_second_development_set() -> None:
    scorer = eval_script()
    assert scorer.DEV2_SET == SECOND_DEVELOPMENT
    langs = Counter(a["lang"] for a in load(scorer.DEV2_SET))
    assert set(langs) <= set(scorer.BLIND_LANGS)


def test_the_scorer_scores_the_third_development_set() -> None:
    scorer = eval_script()
    assert scorer.DEV3_SET == THIRD_DEVELOPMENT
    langs = Counter(a["lang"] for a in load(scorer.DEV3_SET))
    assert set(langs) == set(scorer.BLIND_LANGS)


def test_the_second_blind_set_is_scored_from_its_own_file() -> None:
    # the file is written by someone else; only its path is checked here, never its contents
    scorer = eval_script()
    assert scorer.BLIND2_SET == DATA / "quotes_blind2.json"
    assert scorer.BLIND2_SET not in (scorer.DEV_SET, scorer.DEV2_SET, scorer.DEV3_SET)


def test_the_second_blind_set_prints_figures_and_never_its_errors(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    scorer = eval_script()
    # a quote without marks or a reporting verb: the extractor misses it, an error to keep hidden
    text = "Minister Jane Roe spoke at noon. The plan is a detour, in her view."
    quote = "The plan is a detour,"
    start = text.index(quote)
    article: dict[str, Any] = {
        "id": "en-blind2-made-up-for-this-test",
        "lang": "en",
        "text": text,
        "quotes": [
            {
                "text": quote,
                "start": start,
                "end": start + len(quote),
                "speaker": "Jane Roe",
                "partial": False,
            }
        ],
    }
    stand_in = tmp_path / "quotes_blind2.json"
    stand_in.write_text(json.dumps({"articles": [article]}), encoding="utf-8")
    monkeypatch.setattr(scorer, "BLIND2_SET", stand_in)
    monkeypatch.setattr("sys.argv", ["quotes_eval.py", "--blind2", "--show-errors"])
    assert scorer.main() == 0
    out = capsys.readouterr().out
    assert "second blind set" in out and "\nen " in out
    assert article["id"] not in out and "missed" not in out
