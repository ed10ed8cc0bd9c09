"""Build real SQLite stores with hand-made topic spans and quotes for the UI tests."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from natoread.core.analysis.records import Analysis, Quote, Span, TopicResult, TopicScore
from natoread.core.config import Config, parse_config
from natoread.core.feeds.documents import ParsedEntry
from natoread.core.storage.store import Store

BASE_TIME = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
NOW = int((BASE_TIME + timedelta(hours=1)).timestamp())
DEFENCE = "https://defence.example/rss"
NORDIC = "https://nordic.example/feed"
TOKYO = "https://tokyo.example/atom"


@dataclass(frozen=True)
class Doc:
    """One hand-made article: title, body, the topics it matched and where."""

    title: str
    body: str = ""
    topics: tuple[str, ...] = ()
    terms: tuple[tuple[str, str], ...] = ()
    """(term, topic): every occurrence in the document becomes a span."""
    quotes: tuple[tuple[str, str | None], ...] = ()
    """(quoted words, speaker): located in the document."""
    hours_ago: float = 0
    link: str | None = "https://news.example/a"
    author: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


def _find_all(document: str, needle: str) -> list[int]:
    """Every start offset of `needle` in `document`."""
    found, start = [], document.find(needle)
    while start >= 0:
        found.append(start)
        start = document.find(needle, start + len(needle))
    return found


def analysed(doc: Doc, guid: str) -> tuple[ParsedEntry, Analysis]:
    """A ParsedEntry and its hand-made Analysis (spans and quotes located in the document)."""
    document = f"{doc.title}\n{doc.body}"
    spans = tuple(
        Span(start, start + len(term), term, topic)
        for term, topic in doc.terms
        for start in _find_all(document, term)
    )
    quotes = []
    for words, speaker in doc.quotes:
        start = document.index(words)
        speaker_at = document.find(speaker) if speaker else -1
        quotes.append(
            Quote(
                text=words,
                start=start,
                end=start + len(words),
                speaker=speaker,
                partial=False,
                speaker_start=speaker_at if speaker_at >= 0 else None,
                speaker_end=speaker_at + len(speaker) if speaker and speaker_at >= 0 else None,
            )
        )
    scores = tuple(TopicScore(topic, 2.0 - 0.5 * n, True) for n, topic in enumerate(doc.topics))
    result = TopicResult(
        matched=bool(doc.topics),
        score=max((s.score for s in scores), default=0.0),
        topics=doc.topics,
        scores=scores,
        spans=tuple(sorted(spans, key=lambda s: s.start)),
    )
    entry = ParsedEntry(
        guid=guid,
        link=doc.link,
        title=doc.title,
        author=doc.author,
        body=doc.body,
        published=BASE_TIME - timedelta(hours=doc.hours_ago),
    )
    return entry, Analysis(result, tuple(sorted(quotes, key=lambda q: q.start)))


SUMMIT_BODY = (
    "Leaders of the alliance met in Vilnius on Tuesday. "
    'Jens Stoltenberg told reporters: "We stand united with Ukraine." '
    "The summit agreed new defence plans for the eastern flank.\n\n"
    "Sweden's prime minister welcomed the decision. "
    '"Our accession makes the whole alliance stronger," Ulf Kristersson said, '
    "adding that the Baltic Sea was now safer.\n\n"
    "Critics said the plans lacked funding."
)

DOCS: dict[str, tuple[Doc, ...]] = {
    DEFENCE: (
        Doc(
            "NATO leaders meet in Vilnius",
            SUMMIT_BODY,
            topics=("alliance", "accession"),
            terms=(("NATO", "alliance"), ("alliance", "alliance"), ("accession", "accession")),
            quotes=(
                ("We stand united with Ukraine.", "Jens Stoltenberg"),
                ("Our accession makes the whole alliance stronger,", "Ulf Kristersson"),
            ),
            hours_ago=1,
            link="https://defence.example/vilnius",
            author="Ana Ruiz",
        ),
        Doc(
            "Stocks fall [1/2] after [NATO] summit [/]",
            "Markets reacted to the NATO summit.",
            topics=("alliance",),
            terms=(("NATO", "alliance"),),
            hours_ago=3,
            link="https://defence.example/stocks",
        ),
        Doc("Weather: rain over the Baltic", "No alliance news here.", hours_ago=5, link=None),
    ),
    NORDIC: (
        Doc(
            "[@click=app.quit]click me[/] [bold red]FAKE[/] NATO",
            "A hostile title that must show literally.",
            topics=("alliance",),
            terms=(("NATO", "alliance"),),
            hours_ago=2,
            link="javascript:alert(1)",
        ),
        Doc(
            "Sweden completes accession",
            'Sweden became the 32nd member. "A historic day," said Ulf Kristersson.',
            topics=("accession",),
            terms=(("accession", "accession"),),
            quotes=(("A historic day,", "Ulf Kristersson"),),
            hours_ago=4,
            link="https://nordic.example/sweden",
        ),
    ),
    TOKYO: (
        Doc(
            "北大西洋条約機構の首脳会議 🇺🇦 NATO summit coverage in Japanese with a long title",
            "日本語の本文。",
            topics=("alliance",),
            terms=(("NATO", "alliance"),),
            hours_ago=6,
            link="https://tokyo.example/nato",
        ),
    ),
}
FEED_TITLES = {DEFENCE: "Defence Wire", NORDIC: "[Sweden] Nordic", TOKYO: "東京 Times"}


def build_store(path: Path, docs: Mapping[str, Sequence[Doc]] | None = None) -> dict[str, int]:
    """Create a store at `path` holding `docs` (default: DOCS) per feed URL; url → feed id."""
    chosen: Mapping[str, Sequence[Doc]] = DOCS if docs is None else docs
    with Store(path) as store:
        ids = store.sync_feeds((url, FEED_TITLES.get(url, url), False) for url in chosen)
        for url, feed_docs in chosen.items():
            entries = [analysed(doc, f"{url}#{n}") for n, doc in enumerate(feed_docs)]
            store.save_entries(ids[url], entries, now=NOW)
    return ids


def make_config(feeds: Sequence[str] = (), **extra: Any) -> Config:
    """A validated Config listing `feeds` (titled as in FEED_TITLES when known)."""
    raw: dict[str, Any] = {
        "feeds": [
            {"url": url, **({"title": FEED_TITLES[url]} if url in FEED_TITLES else {})}
            for url in feeds
        ],
        **extra,
    }
    return parse_config(raw, "/home/reader/.config/natoread/feeds.toml")


def many_docs(count: int, prefix: str = "Story") -> tuple[Doc, ...]:
    """`count` matching articles an hour apart."""
    return tuple(
        Doc(f"{prefix} {n} about NATO", f"Body {n}.", topics=("alliance",), hours_ago=n)
        for n in range(count)
    )


# -- "Beyond Newsboat": several speakers, countries in the text, one story from two outlets --

DRILLS_LEAD = (
    "Finland and Sweden held joint air drills over the Baltic Sea on Monday, with forty jets "
    "from eight allies taking part in the largest exercise the region has seen since Finland "
    "joined the alliance last year."
)
COUNTRIES = ("Ukraine", "Georgia", "Sweden", "Moldova")
WEEK_H = 7 * 24


def _ukraine_weeks() -> tuple[Doc, ...]:
    """Older Ukraine coverage spread over past weeks (for the board's sparkline)."""
    weeks = (1, 1, 2, 2, 2, 4, 6)
    return tuple(
        Doc(
            f"Ukraine aid package {n} agreed by NATO allies",
            f"Allies agreed support for Ukraine, package {n}.",
            topics=("alliance",),
            terms=(("NATO", "alliance"),),
            hours_ago=week * WEEK_H + n,
            link=f"https://defence.example/aid-{n}",
        )
        for n, week in enumerate(weeks)
    )


BEYOND_DOCS: dict[str, tuple[Doc, ...]] = {
    DEFENCE: (
        *DOCS[DEFENCE],
        Doc(
            "Allies hold largest Baltic air drills since Finland joined NATO",
            f'{DRILLS_LEAD} "This shows the alliance is ready," said Mark Rutte. '
            '"Georgia and Ukraine are watching closely," Mark Rutte added.',
            topics=("alliance",),
            terms=(("NATO", "alliance"), ("alliance", "alliance")),
            quotes=(
                ("This shows the alliance is ready,", "Mark Rutte"),
                ("Georgia and Ukraine are watching closely,", "Mark Rutte"),
            ),
            hours_ago=7,
            link="https://defence.example/drills",
        ),
        Doc(
            "Georgia renews its bid to join NATO",
            'Tbilisi asked again to start accession talks. "Georgia belongs in the alliance," '
            "said Irakli Kobakhidze.",
            topics=("accession",),
            terms=(("accession", "accession"), ("NATO", "alliance")),
            quotes=(("Georgia belongs in the alliance,", "Irakli Kobakhidze"),),
            hours_ago=WEEK_H + 3,
            link="https://defence.example/georgia",
        ),
        *_ukraine_weeks(),
    ),
    NORDIC: (
        *DOCS[NORDIC],
        Doc(
            "Allies hold largest Baltic air drills since Finland joined NATO - Nordic",
            f'{DRILLS_LEAD} "This shows the alliance is ready," said Mark Rutte. Swedish pilots '
            'were "proud to fly with Finland and every ally," Ulf Kristersson said.',
            topics=("alliance",),
            terms=(("NATO", "alliance"),),
            quotes=(
                ("This shows the alliance is ready,", "Mark Rutte"),
                ("proud to fly with Finland and every ally,", "Ulf Kristersson"),
            ),
            hours_ago=8,
            link="https://nordic.example/drills",
        ),
    ),
    TOKYO: DOCS[TOKYO],
}


def build_beyond_store(path: Path) -> dict[str, int]:
    """The sample store plus the "Beyond" articles, clustered into stories."""
    from natoread.core.storage.clustering import assign_unassigned

    ids = build_store(path, BEYOND_DOCS)
    with Store(path) as store:
        assign_unassigned(store)
    return ids


def beyond_config(**extra: Any) -> Config:
    """The three sample feeds with the board's countries."""
    return make_config((DEFENCE, NORDIC, TOKYO), settings={"countries": list(COUNTRIES)}, **extra)
