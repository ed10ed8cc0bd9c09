"""Score natoread's quote extractor against the hand-annotated article set.

Matching: a predicted quote matches a gold quote when their character spans overlap by at least
half of the longer span (overlap >= 0.5 * max(len(pred), len(gold))); pairs are matched one to one,
best overlap first. Speaker accuracy counts matched pairs whose speakers share a `speaker_key`
(both None counts as agreement). Splits: "dev" was written before the rules; "heldout" and
"fresh" were written after rule freezes and then used to guide general fixes; "final" was
written after the last freeze and never tuned on, so it is the honest generalisation figure.
The multilingual file (uk, ru, pl, de, fr) is scored per language; it is held out, never tuned on.
Throughput runs on ~3.5 KB documents made by joining set articles.
Run: .venv/bin/python benchmarks/quotes_eval.py [-v]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from natoread.core.analysis.quotes import extract_quotes, speaker_key  # noqa: E402
from natoread.core.analysis.records import Quote  # noqa: E402

DATA = ROOT / "benchmarks" / "data" / "quotes_annotated.json"
# uk/ru/pl/de/fr articles written before any rule for those languages, never tuned on
MULTILINGUAL = ROOT / "benchmarks" / "data" / "quotes_multilingual.json"
MIN_OVERLAP = 0.5


@dataclass(frozen=True)
class Gold:
    """One annotated quote."""

    text: str
    start: int
    end: int
    speaker: str | None
    partial: bool


@dataclass
class Tally:
    """Running counts over the whole set."""

    gold: int = 0
    predicted: int = 0
    matched: int = 0
    speaker_ok: int = 0
    partial_ok: int = 0


def overlap(a_start: int, a_end: int, b_start: int, b_end: int) -> int:
    """Number of characters two spans share."""
    return max(0, min(a_end, b_end) - max(a_start, b_start))


def match(preds: list[Quote], golds: list[Gold]) -> list[tuple[int, int]]:
    """One-to-one (pred index, gold index) pairs whose overlap is substantial."""
    pairs: list[tuple[int, int, int]] = []
    for pi, p in enumerate(preds):
        for gi, g in enumerate(golds):
            shared = overlap(p.start, p.end, g.start, g.end)
            if shared and shared >= MIN_OVERLAP * max(p.end - p.start, g.end - g.start):
                pairs.append((shared, pi, gi))
    pairs.sort(reverse=True)
    used_p: set[int] = set()
    used_g: set[int] = set()
    out: list[tuple[int, int]] = []
    for _, pi, gi in pairs:
        if pi not in used_p and gi not in used_g:
            used_p.add(pi)
            used_g.add(gi)
            out.append((pi, gi))
    return out


def same_speaker(pred: str | None, gold: str | None) -> bool:
    """True if two speakers would merge in the quote ledger."""
    if pred is None or gold is None:
        return pred is None and gold is None
    try:
        return speaker_key(pred) == speaker_key(gold)
    except ValueError:  # a key function mid-change must not stop the whole evaluation
        return pred.casefold() == gold.casefold()


def short(text: str, width: int = 60) -> str:
    """A one-line preview of a quote."""
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"


def throughput(texts: list[str], seconds: float = 2.0) -> tuple[float, float]:
    """Articles per second and mean article size (bytes) on ~3 KB articles built from the set."""
    docs: list[str] = []
    buf: list[str] = []
    for text in texts * 3:
        buf.append(text)
        if sum(len(t.encode()) for t in buf) >= 3000:
            docs.append("\n\n".join(buf))
            buf = []
    done = 0
    began = time.perf_counter()
    while time.perf_counter() - began < seconds:
        for doc in docs:
            extract_quotes(doc)
        done += len(docs)
    rate = done / (time.perf_counter() - began)
    return rate, sum(len(d.encode()) for d in docs) / len(docs)


def score(articles: list[dict[str, Any]], verbose: bool, title: str) -> None:
    """Print the figures and the hardest errors for one split of the set."""
    tally = Tally()
    misses: list[str] = []
    false_pos: list[str] = []
    wrong_speaker: list[str] = []
    wrong_partial: list[str] = []
    for article in articles:
        text = article["text"]
        golds = [Gold(**q) for q in article["quotes"]]
        preds = list(extract_quotes(text))
        for p in preds:
            assert text[p.start : p.end] == p.text, (article["id"], p)
        pairs = match(preds, golds)
        tally.gold += len(golds)
        tally.predicted += len(preds)
        tally.matched += len(pairs)
        aid = article["id"]
        for pi, gi in pairs:
            p, g = preds[pi], golds[gi]
            if same_speaker(p.speaker, g.speaker):
                tally.speaker_ok += 1
            else:
                wrong_speaker.append(
                    f"{aid}: “{short(g.text)}” → {p.speaker!r}, gold {g.speaker!r}"
                )
            if p.partial == g.partial:
                tally.partial_ok += 1
            else:
                wrong_partial.append(f"{aid}: “{short(g.text)}” partial={p.partial}")
        got_g = {gi for _, gi in pairs}
        got_p = {pi for pi, _ in pairs}
        misses += [
            f"{aid}: “{short(g.text)}” ({g.speaker})" for i, g in enumerate(golds) if i not in got_g
        ]
        false_pos += [
            f"{aid}: “{short(p.text)}” ({p.speaker})" for i, p in enumerate(preds) if i not in got_p
        ]
    precision = tally.matched / tally.predicted if tally.predicted else 0.0
    recall = tally.matched / tally.gold if tally.gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    spk = tally.speaker_ok / tally.matched if tally.matched else 0.0
    part = tally.partial_ok / tally.matched if tally.matched else 0.0
    print(
        f"== {title}: {len(articles)} articles, {tally.gold} gold quotes, {tally.predicted} predicted"
    )
    print(f"precision {precision:.3f}  recall {recall:.3f}  F1 {f1:.3f}")
    print(f"speaker accuracy {spk:.3f} ({tally.speaker_ok}/{tally.matched} matched)")
    print(f"partial-flag accuracy {part:.3f}")
    limit = None if verbose else 6
    for heading, rows in (
        ("missed (false negatives)", misses),
        ("spurious (false positives)", false_pos),
        ("wrong speaker", wrong_speaker),
        ("wrong partial flag", wrong_partial),
    ):
        if rows:
            print(f"  {heading}: {len(rows)}")
        for row in rows[:limit]:
            print("    " + row)
    print()


def main() -> int:
    """Print precision, recall, F1, speaker accuracy, the hardest misses and throughput."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-v", "--verbose", action="store_true", help="list every error")
    args = parser.parse_args()
    data = json.loads(DATA.read_text(encoding="utf-8"))
    articles = data["articles"]
    for split in ("dev", "heldout", "fresh", "final"):
        subset = [a for a in articles if a.get("split", "dev") == split]
        if subset:
            score(subset, args.verbose, split)
    score(articles, False, "all")
    foreign = json.loads(MULTILINGUAL.read_text(encoding="utf-8"))["articles"]
    for lang in sorted({a.get("lang", "en") for a in foreign}):
        subset = [a for a in foreign if a.get("lang", "en") == lang]
        score(subset, args.verbose, f"held-out {lang}")
    rate, size = throughput([a["text"] for a in articles])
    print(f"throughput {rate:,.0f} articles/s on {size / 1000:.1f} KB articles (one core)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
