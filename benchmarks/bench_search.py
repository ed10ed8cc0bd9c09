"""Search latency at 100,000 articles: p50/p95 over a mix of queries.

    .venv/bin/python benchmarks/bench_search.py [--articles 100000] [--repeat 5] [--keep FILE]

Builds a store of synthetic news (titles and 80-250-word bodies drawn from NATO-news
vocabulary with a realistic skew: "NATO" is in most articles, "Montenegro" in few), with
quotes, speakers and topics, in one transaction; then times `search()` per query.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

from natoread.core.analysis.quotes import speaker_key
from natoread.core.storage.search import search
from natoread.core.storage.store import Store

COUNTRIES = (
    "Ukraine Sweden Finland Poland Estonia Latvia Lithuania Romania Hungary Turkey Georgia"
    " Moldova Germany France Italy Spain Norway Denmark Canada Montenegro Kosovo Serbia Bosnia"
    " Albania Croatia Slovakia Czechia Bulgaria Greece Portugal Belgium Netherlands Iceland"
).split()
SPEAKERS = (
    "Mark Rutte|Jens Stoltenberg|Volodymyr Zelensky|Donald Tusk|Viktor Orban|Recep Tayyip Erdogan"
    "|Ulf Kristersson|Alexander Stubb|Emmanuel Macron|Friedrich Merz|Giorgia Meloni|Pedro Sanchez"
    "|Keir Starmer|Mette Frederiksen|Kaja Kallas|Maia Sandu|Pete Hegseth|Marco Rubio"
).split("|")
SUBJECTS = (
    "the alliance|allied leaders|defence ministers|foreign ministers|the government|parliament"
    "|the military committee|NATO officials|European allies|the United States|diplomats"
    "|the secretary general|air force commanders|the defence ministry|lawmakers"
).split("|")
VERBS = (
    "agreed to|pledged to|decided to|refused to|voted to|promised to|moved to|failed to"
    "|announced plans to|were asked to|are expected to|prepared to"
).split("|")
ACTIONS = (
    "raise defence spending|send more air defence systems|ratify the accession protocol"
    "|deploy additional troops to the eastern flank|buy ammunition for Ukraine|protect undersea"
    " cables|train Ukrainian pilots|strengthen cyber defences|extend the air policing mission"
    "|reinforce the Baltic states|approve the membership bid|increase arms production"
    "|sanction the shadow fleet|open a new logistics hub|modernise the fighter fleet"
    "|hold a summit in the spring|review the regional defence plans|counter hybrid attacks"
).split("|")
TAILS = (
    "after weeks of talks|despite objections from Budapest|ahead of the summit in The Hague"
    "|amid fears of Russian sabotage|as winter approaches|following drone incursions"
    "|under pressure from Washington|in a closed-door meeting in Brussels|before the end of the"
    " year|according to a draft communique|without setting a timeline|at a cost of billions of euros"
).split("|")
OUTLETS = (
    "Reuters",
    "AP",
    "AFP",
    "BBC",
    "DW",
    "Euronews",
    "Politico",
    "RFE/RL",
    "Kyiv Independent",
)


def sentence(rng: random.Random) -> str:
    """One sentence of synthetic wire copy."""
    return (
        f"{rng.choice(SUBJECTS).capitalize()} in {rng.choice(COUNTRIES)} {rng.choice(VERBS)}"
        f" {rng.choice(ACTIONS)} {rng.choice(TAILS)}."
    )


def article(rng: random.Random) -> tuple[str, str, list[tuple[str, str]]]:
    """Title, body and (quote, speaker) pairs of one article."""
    country = rng.choice(COUNTRIES)
    nato = "NATO " if rng.random() < 0.6 else ""
    title = f"{country}: {nato}{rng.choice(SUBJECTS)} {rng.choice(VERBS)} {rng.choice(ACTIONS)}"
    parts = [sentence(rng) for _ in range(rng.randint(5, 14))]
    quotes = []
    for _ in range(rng.choice((0, 0, 1, 1, 2))):
        speaker = rng.choice(SPEAKERS)
        said = f"We will {rng.choice(ACTIONS)} {rng.choice(TAILS)}"
        quotes.append((said, speaker))
        parts.insert(rng.randrange(len(parts) + 1), f"“{said},” {speaker} said.")
    return title, " ".join(parts), quotes


def build(path: Path, n: int, now: int, seed: int = 11) -> Store:
    """A store of `n` synthetic articles over the last 180 days, in one transaction."""
    rng = random.Random(seed)
    store = Store(path)
    urls = [(f"https://{o.lower().replace('/', '')}.example/rss", o, False) for o in OUTLETS]
    feed_ids = list(store.sync_feeds(urls).values())
    keys = {name: speaker_key(name) for name in SPEAKERS}

    def insert(db):  # type: ignore[no-untyped-def]
        rows, quotes, topics = [], [], []
        for i in range(1, n + 1):
            title, body, said = article(rng)
            published = now - rng.randrange(180 * 86400)
            topic = "accession" if "accession" in body or "membership" in body else ""
            rows.append(
                (
                    i,
                    rng.choice(feed_ids),
                    f"g{i}",
                    title,
                    body,
                    published,
                    published,
                    f"h{i}",
                    int(rng.random() < 0.7),
                    int(rng.random() < 0.02),
                    int(bool(topic)),
                    topic,
                    len(said),
                )
            )
            if topic:
                topics.append((topic, i, 1.0))
            for text, speaker in said:
                start = body.find(text)
                quotes.append((i, start, start + len(text), text, speaker, keys[speaker]))
        db.executemany(
            "INSERT INTO article(id, feed_id, guid, title, body, published, fetched, content_hash,"
            " read, starred, matched, topics, quote_count) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
            rows,
        )
        db.execute(
            "INSERT INTO article_fts(rowid, title, body) SELECT id, title, body FROM article"
        )
        db.executemany("INSERT INTO article_topic(topic, article_id, score) VALUES (?,?,?)", topics)
        db.executemany(
            "INSERT INTO quote(article_id, start, end, text, speaker, speaker_key) VALUES (?,?,?,?,?,?)",
            quotes,
        )

    store.write(insert)
    store.execute("ANALYZE")
    return store


QUERIES = (
    "nato",
    "ukraine",
    "sweden accession",
    "rutte ukraine",
    '"air defence"',
    '"secretary general" spending',
    "finland OR sweden",
    "nato -turkey",
    "NOT hungary accession",
    "accessi*",
    "montenegro cyber",
    "speaker:rutte",
    'speaker:"Mark Rutte" ukraine',
    "topic:accession ukraine",
    "feed:reuters nato",
    "since:7d nato",
    "since:2d",
    "is:unread sweden",
    "is:starred",
    "(estonia OR latvia) drone*",
    "shadow fleet sanction",
    "speaker:tusk OR speaker:zelensky",
    "title:sweden",
    'text:"air defence" nato',
    "is:starred nato",
    # Filters that leave nothing: a word common everywhere, under a filter no article meets.
    "tag:later nato",
    "is:hidden nato",
    "feedtag:baltic allies",
    "author:nobody ukraine",
    "title:zzzz",
)
OLD_STORE_QUERIES = (
    "since:7d allies",
    "since:7d nato",
    "feed:reuters since:7d nato",
    "since:1d",
)
"""Run as if a year had passed: on a store whose articles are all older, these match nothing."""
A_YEAR_S = 400 * 86400


def main() -> int:
    """Build the store, run the queries, print latencies."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--keep", type=Path, help="build (or reuse) the store at this path")
    args = parser.parse_args()
    now = int(time.time())
    with tempfile.TemporaryDirectory() as tmp:
        path = args.keep or Path(tmp) / "search.sqlite3"
        started = time.perf_counter()
        store = Store(path) if path.exists() else build(path, args.articles, now)
        count = store.count_articles()
        print(f"store: {count} articles, ready in {time.perf_counter() - started:.1f} s")
        timings: list[float] = []
        mix = [(q, now) for q in QUERIES] + [(q, now + A_YEAR_S) for q in OLD_STORE_QUERIES]
        for query, when in mix:
            per_query = []
            for _ in range(args.repeat + 1):
                t0 = time.perf_counter()
                result = search(store, query, limit=50, now=when)
                per_query.append((time.perf_counter() - t0) * 1000)
            timings.extend(per_query[1:])  # the first run warms the page cache
            status = result.error or f"{len(result.ids)} hits"
            print(f"  {statistics.median(per_query[1:]):7.1f} ms  {query:<32} {status}")
        timings.sort()
        p95 = timings[min(len(timings) - 1, int(0.95 * len(timings)))]
        print(
            f"search latency over {len(timings)} runs: p50 {statistics.median(timings):.1f} ms, p95 {p95:.1f} ms"
        )
        store.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
