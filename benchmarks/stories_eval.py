"""Story clustering: pair precision/recall on the labelled set, throughput at 100k articles.

    .venv/bin/python benchmarks/stories_eval.py [--articles 100000] [--pairs-only]

Part 1 scores `same_story` on benchmarks/data/story_pairs.jsonl (hand-written wire copies,
rewrites and updates against same-topic stories about other events). Part 2 builds a store of
synthetic articles (events reported by one to four outlets as syndicated copies, updates and
rewrites, plus template stories that differ only in who, where and when), assigns stories in
per-feed batches as the poller would, and prints articles/s and pair P/R against the truth.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from natoread.core.analysis.stories import TextCache, same_story, story_text
from natoread.core.storage.clustering import assign_stories
from natoread.core.storage.store import Store

PAIRS = Path(__file__).parent / "data" / "story_pairs.jsonl"

COUNTRIES = (
    "Ukraine Georgia Moldova Finland Sweden Poland Estonia Latvia Lithuania Romania Bulgaria"
    " Hungary Slovakia Turkey Greece Italy Spain Portugal France Germany Norway Denmark Iceland"
    " Canada Croatia Slovenia Albania Montenegro Kosovo Serbia Bosnia Belgium Netherlands Czechia"
).split()
PEOPLE = (
    "Rutte Stoltenberg Zelensky Tusk Orban Erdogan Kristersson Stubb Macron Scholz Merz Meloni"
    " Sanchez Starmer Carney Frederiksen Store Nauseda Karis Sandu Kobakhidze Vucic Kurti Dodik"
    " Pistorius Kallas Hegseth Rubio Sikorski Tsahkna Budrys Sybiha Umerov Shmyhal Lammy Healey"
).split()
BODIES = (
    "parliament government defence ministry foreign ministry president prime minister cabinet"
    " army navy air force border guard security service"
).split(" ")
VERBS = (
    "approves rejects announces delays signs ratifies criticises welcomes suspends extends"
    " backs blocks orders cancels confirms denies proposes launches postpones funds"
).split()
OBJECTS = (
    "accession protocol|defence budget|air defence package|troop deployment|border closure"
    "|arms contract|sanctions package|security agreement|drone purchase|ammunition order"
    "|cable protection mission|training mission|fighter jet deal|tank order|cyber strategy"
    "|energy agreement|military aid|reform plan|membership bid|exercise plan"
).split("|")
WEEKDAYS = "Monday Tuesday Wednesday Thursday Friday Saturday Sunday".split()
SUBJECTS = (
    "officials|diplomats|analysts|critics|lawmakers|the opposition|a spokesperson|the ministry"
    "|allied envoys|military planners|local authorities|industry groups|the commission"
).split("|")
CLAIMS = (
    "said the decision followed weeks of talks|welcomed the move|warned it could deepen divisions"
    "|called for a debate in parliament|said more meetings were planned|said the timing mattered"
    "|gave no further details|expected a response next week|declined to comment"
    "|said the plan still needs final approval|put the cost at several billion euros"
    "|said the talks would resume in spring|pressed for faster deliveries|backed the measure"
    "|were surprised by the announcement|questioned the legal basis|praised the speed of the work"
    "|said the deadline could slip|asked for guarantees on funding|raised concerns about supplies"
).split("|")
CONTEXTS = (
    "ahead of the summit|after a tense week|despite objections|as winter approaches"
    "|amid pressure from Washington|following the elections|before the budget vote"
    "|after the talks in Brussels|as the war continues|in a closed session"
).split("|")


def _filler(rng: random.Random) -> str:
    """One generic news sentence (thousands of combinations, as in real wire copy)."""
    return f"{rng.choice(SUBJECTS)} {rng.choice(CLAIMS)} {rng.choice(CONTEXTS)}"


SYNONYMS = {
    "said": "stated",
    "approves": "backs",
    "announces": "unveils",
    "government": "cabinet",
    "officials": "sources",
    "decision": "move",
    "talks": "negotiations",
    "allies": "partners",
    "week": "days",
    "warned": "cautioned",
    "planned": "expected",
    "several": "many",
}
OUTLETS = ("Reuters", "AP News", "AFP", "BBC News", "DW", "Euronews", "POLITICO", "RFE/RL")


def pair_scores() -> None:
    """Precision and recall of `same_story` on the labelled pairs, overall and by kind."""
    pairs = [json.loads(line) for line in PAIRS.read_text(encoding="utf-8").splitlines()]
    counts: Counter[tuple[str, str]] = Counter()
    kinds: dict[str, Counter[str]] = {}
    for pair in pairs:
        a = story_text(pair["a"]["title"], pair["a"]["lead"])
        b = story_text(pair["b"]["title"], pair["b"]["lead"])
        said, truth = same_story(a, b), bool(pair["same"])
        outcome = ("tp" if truth else "fp") if said else ("fn" if truth else "tn")
        counts[("all", outcome)] += 1
        kinds.setdefault(pair["kind"].split("+")[0], Counter())[outcome] += 1
    tp, fp, fn = counts[("all", "tp")], counts[("all", "fp")], counts[("all", "fn")]
    print(f"labelled pairs: {len(pairs)} ({tp + fn} same story, {len(pairs) - tp - fn} not)")
    print(f"  precision {tp / max(1, tp + fp):.3f}  recall {tp / max(1, tp + fn):.3f}")
    for kind, c in sorted(kinds.items()):
        if c["tp"] + c["fn"]:
            print(f"  {kind:<20} recall {c['tp'] / (c['tp'] + c['fn']):.2f} ({c['tp'] + c['fn']})")
        else:
            print(f"  {kind:<20} false merges {c['fp']} of {c['fp'] + c['tn']}")


def _event(rng: random.Random) -> tuple[str, str]:
    """A title and lead about one made-up event."""
    country, other = rng.sample(COUNTRIES, 2)
    person = rng.choice(PEOPLE)
    body, verb, obj = rng.choice(BODIES), rng.choice(VERBS), rng.choice(OBJECTS)
    number, day = rng.randint(2, 900), rng.choice(WEEKDAYS)
    title = f"{country}'s {body} {verb} {obj} with {other}"
    sentences = [
        f"{country}'s {body} on {day} {verb.rstrip('s')}d a {obj} with {other},"
        f" {person} said, in a step worth about {number} million euros.",
        f"{_filler(rng).capitalize()}, and {_filler(rng)}.",
        f"{person} told reporters in {rng.choice(COUNTRIES)} that {_filler(rng)}.",
        f"{_filler(rng).capitalize()}.",
    ]
    return title, " ".join(sentences)


def _version(rng: random.Random, title: str, lead: str, kind: str) -> tuple[str, str]:
    """An outlet's version of an event: syndicated copy, update or rewrite."""
    if kind == "syndication":
        outlet = rng.choice(OUTLETS)
        return f"{title} - {outlet}", f"BRUSSELS ({outlet}) - {lead}"
    words = lead.split()
    if kind == "update":
        for _ in range(rng.randint(3, 6)):
            words[rng.randrange(len(words))] = rng.choice(["reportedly", "also", "again", "now"])
        return f"UPDATE {rng.randint(1, 4)}-{title}", " ".join(words) + " More to follow."
    sentences = lead.split(". ")
    rng.shuffle(sentences)
    rewritten = " ".join(SYNONYMS.get(w, w) for w in ". ".join(sentences).split())
    return title.replace("'s", "").replace(" with ", " alongside "), rewritten


def synthetic(n: int, seed: int = 7) -> list[tuple[int, str, str, int, int]]:
    """(feed index, title, lead, published, true event) rows, about 15% rewrites of an event."""
    rng = random.Random(seed)
    rows: list[tuple[int, str, str, int, int]] = []
    start, span = 1_700_000_000, 100 * 86400
    event = 0
    while len(rows) < n:
        title, lead = _event(rng)
        when = start + rng.randrange(span)
        feeds = rng.sample(range(40), rng.choice((1, 1, 1, 1, 1, 1, 2, 2, 3, 4)))
        for position, feed in enumerate(feeds):
            kind = "original" if position == 0 else rng.choice(("syndication", "update", "rewrite"))
            version = (title, lead) if kind == "original" else _version(rng, title, lead, kind)
            rows.append((feed, *version, when + rng.randrange(12 * 3600), event))
        event += 1
    return rows[:n]


def throughput(n: int) -> None:
    """Build a store of `n` synthetic articles and cluster them in per-feed batches."""
    rows = synthetic(n)
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(Path(tmp) / "bench.sqlite3")
        feed_ids = store.sync_feeds(
            (f"https://feed{i}.example/rss", f"Feed {i}", False) for i in range(40)
        )
        started = time.perf_counter()

        def insert(db):  # type: ignore[no-untyped-def]
            db.executemany(
                "INSERT INTO article(id, feed_id, guid, title, body, published, fetched, content_hash)"
                " VALUES (?,?,?,?,?,?,?,?)",
                [
                    (i + 1, feed_ids[f"https://feed{f}.example/rss"], f"g{i}", t, b, p, p, f"h{i}")
                    for i, (f, t, b, p, _) in enumerate(rows)
                ],
            )

        store.write(insert)
        print(f"\nsynthetic store: {n} articles inserted in {time.perf_counter() - started:.1f} s")
        order = sorted(range(n), key=lambda i: rows[i][3])
        batches = [order[i : i + 50] for i in range(0, n, 50)]
        started, cpu = time.perf_counter(), time.process_time()
        slowest = 0.0
        cache = TextCache()
        for batch in batches:
            t0 = time.perf_counter()
            assign_stories(store, [i + 1 for i in batch], cache)
            slowest = max(slowest, time.perf_counter() - t0)
        elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
        print(
            f"  assigned {n} articles in {elapsed:.1f} s ({n / elapsed:,.0f} articles/s;"
            f" {cpu:.1f} s CPU, {n / cpu:,.0f} articles per CPU second);"
            f" slowest 50-article batch {slowest * 1000:.0f} ms"
        )
        predicted = dict(store.execute("SELECT article_id, story_id FROM story"))
        store.close()

    def pairs(counter: Counter[object]) -> int:
        return sum(c * (c - 1) // 2 for c in counter.values())

    truth = Counter(r[4] for r in rows)
    found = Counter(predicted[i + 1] for i in range(n))
    both = Counter((predicted[i + 1], rows[i][4]) for i in range(n))
    tp = pairs(both)  # type: ignore[arg-type]
    print(
        f"  pair precision {tp / max(1, pairs(found)):.4f}  recall {tp / max(1, pairs(truth)):.4f}"  # type: ignore[arg-type]
        f"  ({len(truth)} true events, {len(found)} stories)"
    )


def main() -> int:
    """Run the evaluation."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--pairs-only", action="store_true")
    args = parser.parse_args()
    pair_scores()
    if not args.pairs_only:
        throughput(args.articles)
    return 0


if __name__ == "__main__":
    sys.exit(main())
