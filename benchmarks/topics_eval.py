"""Precision, recall and F1 of the default topic rules, plus throughput on 3 KB articles.

Labels in data/topics_labelled.jsonl: "alliance" marks any story centred on NATO (the umbrella
tag); "accession", "consensus" and "guarantees" mark sub-themes. An item is relevant when it
has any label. Throughput uses ~3 KB one-story articles (a labelled title, then its summary repeated with
neutral filler sentences), classified with rules compiled once; the data-set mix has the same
share of relevant items as the labels, the second line only relevant ones (the slow path).

The multilingual set (data/topics_multilingual.jsonl, en/uk/ru/pl/de/fr) is scored strictly: an
item counts as found only when accession, consensus or guarantees fires, per language and per
split ("dev" items were looked at while writing the term files, "heldout" items were not), with
the share of hard negatives (EU accession, thrones, Allianz, other pacts...) wrongly matched.
The blind held-out set (data/topics_heldout.jsonl, 40+ items per language, written without reading
the term files) is scored by --heldout alone: per language, precision/recall/F1 of each strict topic
and of "a strict topic fires", and the share of hard negatives wrongly matched (any topic firing on
an item not labelled with it). Only figures are printed, never the items, so the set stays blind.
Run: .venv/bin/python benchmarks/topics_eval.py [--misses] [--heldout]
"""

from __future__ import annotations

import json
import random
import sys
import time
from pathlib import Path

from natoread.core.analysis.topics.engine import TopicEngine, compile_topics, parse_topics

DATA = Path(__file__).parent / "data" / "topics_labelled.jsonl"
MULTILINGUAL = Path(__file__).parent / "data" / "topics_multilingual.jsonl"
HELDOUT = Path(__file__).parent / "data" / "topics_heldout.jsonl"
HELDOUT_LANGS = ("en", "uk", "ru", "pl", "de", "fr")
# issue 19's targets on held-out items: strict-topic F1 and hard negatives wrongly matched
TARGET_F1 = 0.90
TARGET_HARD_NEGATIVES = 0.05
STRICT = frozenset(("accession", "consensus", "guarantees"))
ARTICLE_BYTES = 3_000


def load_items(path: Path) -> list[dict[str, object]]:
    """Read the labelled items."""
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    """Precision, recall and F1 from counts."""
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def evaluate(engine: TopicEngine, items: list[dict[str, object]], show_misses: bool) -> None:
    """Print per-topic and overall figures."""
    names = engine.names
    counts = {name: [0, 0, 0] for name in (*names, "overall")}
    misses: list[str] = []
    for item in items:
        gold = set(item["topics"])  # type: ignore[call-overload]  # JSON list of str
        result = engine.classify(str(item["title"]), str(item["summary"]))
        predicted = set(result.topics)
        for name in names:
            cell = counts[name]
            cell[0] += name in gold and name in predicted
            cell[1] += name not in gold and name in predicted
            cell[2] += name in gold and name not in predicted
        overall = counts["overall"]
        overall[0] += bool(gold) and result.matched
        overall[1] += not gold and result.matched
        overall[2] += bool(gold) and not result.matched
        if gold != predicted:
            misses.append(
                f"  #{item['id']}: gold={sorted(gold)} got={sorted(predicted)} "
                f"score={result.score:.2f} | {item['title']}"
            )
    relevant = sum(1 for item in items if item["topics"])
    print(f"items: {len(items)} ({relevant} relevant)")
    print(f"{'topic':<12} {'P':>6} {'R':>6} {'F1':>6}   tp  fp  fn")
    for name, (tp, fp, fn) in counts.items():
        precision, recall, f1 = prf(tp, fp, fn)
        print(f"{name:<12} {precision:6.3f} {recall:6.3f} {f1:6.3f}  {tp:3d} {fp:3d} {fn:3d}")
    if show_misses:
        print("label differences:")
        print("\n".join(misses))


def evaluate_strict(engine: TopicEngine, items: list[dict[str, object]], show_misses: bool) -> None:
    """Per language and split: P/R/F1 of "a strict topic fires", hard negatives matched."""
    cells: dict[tuple[str, str], list[int]] = {}
    misses: list[str] = []
    for item in items:
        gold = bool(STRICT & set(item["topics"]))  # type: ignore[call-overload]
        result = engine.classify(str(item["title"]), str(item["summary"]))
        found = bool(STRICT & set(result.topics))
        negative = bool(item.get("hard_negative"))
        for key in ((str(item["lang"]), str(item["split"])), ("all", str(item["split"]))):
            cell = cells.setdefault(key, [0, 0, 0, 0, 0])
            cell[0] += gold and found
            cell[1] += found and not gold
            cell[2] += gold and not found
            cell[3] += negative
            cell[4] += negative and result.matched
        if gold != found or (negative and result.matched):
            misses.append(
                f"  {item['id']} ({item['split']}): gold={sorted(item['topics'])} "  # type: ignore[call-overload]
                f"got={sorted(result.topics)} | {item['title']}"
            )
    print("strict topics (accession/consensus/guarantees), multilingual set:")
    print(f"{'lang':<5} {'split':<8} {'P':>6} {'R':>6} {'F1':>6}   tp  fp  fn  hard-neg matched")
    for (lang, split), (tp, fp, fn, negatives, wrong) in sorted(cells.items()):
        precision, recall, f1 = prf(tp, fp, fn)
        share = wrong / negatives if negatives else 0.0
        print(
            f"{lang:<5} {split:<8} {precision:6.3f} {recall:6.3f} {f1:6.3f}  {tp:3d} {fp:3d} {fn:3d}"
            f"  {wrong}/{negatives} ({share:.0%})"
        )
    if show_misses:
        print("strict differences:")
        print("\n".join(misses))


def evaluate_heldout(engine: TopicEngine, items: list[dict[str, object]]) -> None:
    """Per language: P/R/F1 of each strict topic and of any strict topic, hard negatives matched."""
    rows = (*sorted(STRICT), "any strict")
    counts = {(lang, row): [0, 0, 0] for lang in HELDOUT_LANGS for row in rows}
    negatives = {lang: [0, 0] for lang in HELDOUT_LANGS}
    for item in items:
        lang = str(item["lang"])
        gold = set(item["topics"])  # type: ignore[call-overload]  # JSON list of str
        predicted = set(engine.classify(str(item["title"]), str(item["summary"])).topics)
        pairs = [(name, name in gold, name in predicted) for name in sorted(STRICT)]
        pairs.append(("any strict", bool(STRICT & gold), bool(STRICT & predicted)))
        for row, wanted, found in pairs:
            cell = counts[(lang, row)]
            cell[0] += wanted and found
            cell[1] += found and not wanted
            cell[2] += wanted and not found
        if item.get("hard_negative"):
            negatives[lang][0] += 1
            negatives[lang][1] += bool(predicted - gold)
    print(f"blind held-out topics ({len(items)} items; items are never listed, to keep it blind)")
    print(f"{'lang':<5} {'topic':<11} {'P':>6} {'R':>6} {'F1':>6}   tp  fp  fn")
    for lang in HELDOUT_LANGS:
        for row in rows:
            tp, fp, fn = counts[(lang, row)]
            precision, recall, f1 = prf(tp, fp, fn)
            print(
                f"{lang:<5} {row:<11} {precision:6.3f} {recall:6.3f} {f1:6.3f}  {tp:3d} {fp:3d} {fn:3d}"
            )
        total, wrong = negatives[lang]
        share = wrong / total if total else 0.0
        f1 = prf(*counts[(lang, "any strict")])[2]
        met = "yes" if f1 >= TARGET_F1 and share <= TARGET_HARD_NEGATIVES else "no"
        print(
            f"{lang:<5} hard negatives wrongly matched {wrong}/{total} ({share:.0%});"
            f" target F1 >= {TARGET_F1:.2f}, <= {TARGET_HARD_NEGATIVES:.0%}: {met}"
        )


def make_articles(
    items: list[dict[str, object]], count: int, relevant_share: float, seed: int = 7
) -> list[str]:
    """Build ~3 KB one-story articles: a title, then its summary repeated with varied fillers."""
    rng = random.Random(seed)
    relevant = [item for item in items if item["topics"]]
    other = [item for item in items if not item["topics"]]
    articles = []
    for _ in range(count):
        lead = rng.choice(relevant if rng.random() < relevant_share else other)
        sentences = [str(lead["summary"])]
        size = len(str(lead["title"])) + len(sentences[0])
        while size < ARTICLE_BYTES:
            sentences.append(rng.choice(_FILLERS))
            sentences.append(str(lead["summary"]))
            size += len(sentences[-1]) + len(sentences[-2]) + 2
        articles.append(f"{lead['title']}\n" + " ".join(sentences))
    return articles


_FILLERS = (
    "The statement was released on Tuesday evening after a day of meetings.",
    "Officials declined to give further details, citing the sensitivity of the talks.",
    "Analysts said the decision had been expected for several weeks.",
    "The story has been updated with additional reporting from correspondents.",
    "Markets reacted calmly, with the main index closing slightly higher.",
    "A spokesperson said more information would be published in the coming days.",
    "Critics questioned the timing, pointing to the upcoming elections.",
    "Photographs from the scene were shared widely on social media.",
)


def throughput(engine: TopicEngine, items: list[dict[str, object]]) -> None:
    """Print articles/s for classify_document on ~3 KB articles (rules compiled once)."""
    share = sum(1 for item in items if item["topics"]) / len(items)
    for label, relevant_share in (("data-set mix", share), ("all on-topic", 1.0)):
        articles = make_articles(items, 2_000, relevant_share)
        for text in articles[:200]:  # warm up
            engine.classify_document(text)
        best = 0.0
        for _ in range(5):  # CPU time of this process: fair for "one core" on a busy machine
            started = time.process_time()
            matched = sum(engine.classify_document(text).matched for text in articles)
            best = max(best, len(articles) / (time.process_time() - started))
        mean_kb = sum(len(a.encode("utf-8")) for a in articles) / len(articles) / 1024
        print(
            f"throughput ({label}): {best:,.0f} articles/s "
            f"(mean {mean_kb:.1f} KB, {matched}/{len(articles)} matched, best of 5, CPU time)"
        )


def main() -> None:
    """Evaluate the default profile."""
    items = load_items(DATA)
    started = time.perf_counter()
    engine = compile_topics(parse_topics(None, "(defaults)"))
    if "--heldout" in sys.argv:
        evaluate_heldout(engine, load_items(HELDOUT))
        return
    print(f"compile: {1000 * (time.perf_counter() - started):.1f} ms, rules {engine.rules_hash}")
    evaluate(engine, items, "--misses" in sys.argv)
    evaluate_strict(engine, load_items(MULTILINGUAL), "--misses" in sys.argv)
    throughput(engine, items)


if __name__ == "__main__":
    main()
