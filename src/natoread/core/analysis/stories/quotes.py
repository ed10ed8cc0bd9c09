"""Quotes of one story across outlets: each distinct quote once, with every source (pure)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime

from natoread.core.text.words import words

QuoteRow = tuple[str, str | None, str | None, bool, int, str, int]
"""(text, speaker, speaker key, partial, article id, feed title, published epoch)."""


@dataclass(frozen=True, slots=True)
class QuoteSource:
    """Where one version of a quote appeared."""

    article_id: int
    feed_title: str
    published: datetime


@dataclass(frozen=True, slots=True)
class MergedQuote:
    """A quote printed by several outlets, shown once with all its sources."""

    text: str
    speaker: str | None
    speaker_key: str | None
    partial: bool
    sources: tuple[QuoteSource, ...]


def quote_key(text: str) -> str:
    """A quote's text normalised for comparison across outlets."""
    return " ".join(words(text))


def merge_quotes(rows: list[QuoteRow]) -> list[MergedQuote]:
    """The quotes of a story's versions (in publication order), each distinct one merged."""
    groups: dict[str, list[QuoteRow]] = {}
    for row in rows:
        key = quote_key(row[0])
        if key:
            groups.setdefault(key, []).append(row)
    # A quote cut short by one outlet joins the longer version that contains it.
    keys = sorted(groups, key=len, reverse=True)
    for short in keys[::-1]:
        if len(short.split()) < 4:
            continue
        host = next((k for k in keys if len(k) > len(short) and f" {short} " in f" {k} "), None)
        if host is not None and short in groups:
            groups[host].extend(groups.pop(short))
    merged = []
    for group in (part for rows in groups.values() for part in _by_speaker(rows)):
        longest = max(group, key=lambda r: len(r[0]))
        speakers = Counter(r[1] for r in group if r[1])
        keys_seen = Counter(r[2] for r in group if r[2])
        sources = {r[4]: QuoteSource(r[4], r[5], _epoch(r[6])) for r in group}
        merged.append(
            MergedQuote(
                text=longest[0],
                speaker=speakers.most_common(1)[0][0] if speakers else None,
                speaker_key=keys_seen.most_common(1)[0][0] if keys_seen else None,
                partial=all(r[3] for r in group),
                sources=tuple(sorted(sources.values(), key=lambda s: (s.published, s.article_id))),
            )
        )
    return sorted(merged, key=lambda m: (m.sources[0].published, m.sources[0].article_id))


def _epoch(value: int) -> datetime:
    """Epoch seconds → aware UTC datetime."""
    return datetime.fromtimestamp(value, UTC)


def _by_speaker(rows: list[QuoteRow]) -> list[list[QuoteRow]]:
    """Split one quote's versions by who they are attributed to (by surname, so "Mark Rutte"
    and "Rutte" stay together): outlets that credit different people are shown apart, never
    merged under one name. Unattributed versions join the most common attribution."""
    by_name: dict[str, list[QuoteRow]] = {}
    loose = []
    for row in rows:
        name = words(str(row[1] or ""))
        if name:
            by_name.setdefault(name[-1], []).append(row)
        else:
            loose.append(row)
    parts = sorted(by_name.values(), key=len, reverse=True)
    if not parts:
        return [loose]
    parts[0].extend(loose)
    return parts
