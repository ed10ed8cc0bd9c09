"""Synthetic stores for benchmarks: N realistic-looking articles over 50 feeds, cached on disk."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from pathlib import Path

from natoread.core.analysis.records import Analysis, Quote, Span, TopicResult, TopicScore
from natoread.core.feeds.documents import ParsedEntry
from natoread.core.storage.store import Store

OUT = Path(__file__).resolve().parent / "out"
WORDS = (
    "alliance allies summit ministers defence spending pledge brigade border security talks"
    " parliament vote ratification protocol minister president government capital officials"
    " statement agreement support forces exercise region eastern flank treaty council envoy"
    " economy market weather festival season team match league report analysis week city"
    " Ukraine Georgia Moldova Finland Sweden Hungary Turkey Brussels Kyiv Ankara Budapest"
).split()
SPEAKERS = ["Mark Rutte", "Alexander Stubb", "Ulf Kristersson", "Viktor Orbán", "Annalena Baerbock"]
BASE = datetime(2026, 11, 20, tzinfo=UTC)


def _article(rng: random.Random, n: int) -> tuple[ParsedEntry, Analysis]:
    """One article; about a third match a topic and carry quotes."""
    title = " ".join(rng.choice(WORDS) for _ in range(rng.randint(6, 12))).capitalize()
    matched = rng.random() < 0.35
    if matched:
        title = "NATO " + title
    paragraphs = [
        " ".join(rng.choice(WORDS) for _ in range(rng.randint(25, 50))) + "." for _ in range(4)
    ]
    quotes: list[Quote] = []
    body = ""
    for paragraph in paragraphs:
        if matched and rng.random() < 0.5:
            speaker = rng.choice(SPEAKERS)
            said = paragraph[:80]
            start = len(title) + 1 + len(body) + 1
            quotes.append(Quote(said, start, start + len(said), speaker, False))
            body += f"“{said}” {speaker} said.\n\n"
        else:
            body += paragraph + "\n\n"
    body = body.strip()
    spans = (Span(0, 4, "NATO", "alliance"),) if matched else ()
    topics = TopicResult(
        matched,
        2.0 if matched else 0.0,
        ("alliance",) if matched else (),
        (TopicScore("alliance", 2.0, True, spans),) if matched else (),
        spans,
    )
    entry = ParsedEntry(
        guid=f"urn:synth:{n}",
        link=f"https://synth.example/{n}",
        title=title,
        author="",
        body=body,
        published=BASE - timedelta(minutes=n),
    )
    return entry, Analysis(topics, tuple(quotes))


def synthetic_store(count: int, feeds: int = 50) -> Path:
    """Path of a store with `count` articles (built once, then reused)."""
    OUT.mkdir(exist_ok=True)
    path = OUT / f"synth-{count}.sqlite3"
    if path.exists():
        return path
    tmp = path.with_suffix(".building")
    for suffix in ("", "-wal", "-shm"):
        Path(str(tmp) + suffix).unlink(missing_ok=True)
    rng = random.Random(count)
    with Store(tmp) as store:
        ids = store.sync_feeds(
            [(f"https://synth.example/feed/{f}", f"Outlet {f}", False) for f in range(feeds)]
        )
        feed_ids = list(ids.values())
        now = int(BASE.timestamp())
        # Oldest first, a poll's worth at a time, so ids grow with time as in a real store.
        for start in range(count - 1, -1, -2000):
            batch = range(start, max(start - 2000, -1), -1)
            for offset, feed_id in enumerate(feed_ids):
                items = [_article(rng, n) for n in batch if n % feeds == offset]
                store.save_entries(feed_id, items, now=now)
        store.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    tmp.rename(path)
    return path
