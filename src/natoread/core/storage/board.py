"""The accession board: where each candidate or recently joined country stands in the news."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from natoread.core.analysis.countries import country_match_query, names_country
from natoread.core.storage.records import ArticleRow, StoredQuote
from natoread.core.storage.store import Store

WEEK_S = 7 * 86400


@dataclass(frozen=True, slots=True)
class CountryRow:
    """One country's line on the board."""

    country: str
    total: int
    """Matching articles that mention the country."""
    weekly: tuple[int, ...]
    """Matching articles per week, oldest first, the current week last."""
    latest: tuple[ArticleRow, ...]
    quotes: tuple[StoredQuote, ...]


def _phrase(country: str) -> str:
    """An FTS5 phrase query for a country name (quotes doubled, so any name is safe)."""
    return '"' + country.replace('"', '""') + '"'


def country_row(
    store: Store, country: str, *, now: int, weeks: int = 8, articles: int = 3, quotes: int = 3
) -> CountryRow:
    """Board line for one country: matching articles that name it, per week, and its quotes."""
    rows: list[tuple[int, int]] = store.read(
        lambda db: db.execute(
            "SELECT a.id, a.published FROM article_fts JOIN article a ON a.id = article_fts.rowid"
            " WHERE article_fts MATCH ? AND a.matched = 1 ORDER BY a.published DESC",
            (country_match_query(country),),
        ).fetchall()
    )
    weekly = [0] * weeks
    for _, published in rows:
        age = (now - int(published)) // WEEK_S
        if 0 <= age < weeks:
            weekly[weeks - 1 - age] += 1
    latest_ids = [int(r[0]) for r in rows[:articles]]
    found: list[StoredQuote] = []
    for row in rows[:200]:
        for item in store.quotes_for_article(int(row[0])):
            if names_country(country, item.quote.text):
                found.append(item)
        if len(found) >= quotes:
            break
    return CountryRow(
        country=country,
        total=len(rows),
        weekly=tuple(weekly),
        latest=tuple(store.rows_by_ids(latest_ids)),
        quotes=tuple(found[:quotes]),
    )


def accession_board(
    store: Store, countries: Sequence[str], now: int | None = None
) -> list[CountryRow]:
    """One row per configured country, in configuration order."""
    moment = now if now is not None else int(datetime.now(UTC).timestamp())
    return [country_row(store, country, now=moment) for country in countries]
