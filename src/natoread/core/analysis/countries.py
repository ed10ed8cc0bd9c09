"""The accession board's countries by their names in each language (data in countries.toml).

The board finds a country's articles by full-text search; an article in Polish names Ukraine
"Ukrainy" or "Ukrainie", one in Russian "Украины". Pure: reads package data only.
"""

from __future__ import annotations

import tomllib
from functools import cache
from importlib import resources

from natoread.core.analysis.topics.defaults import expand_forms

__all__ = ["country_match_query", "country_names"]


@cache
def _known() -> dict[str, tuple[str, ...]]:
    """Folded English name -> every form in every language, read once."""
    text = resources.files(__package__).joinpath("countries.toml").read_text("utf-8")
    known: dict[str, tuple[str, ...]] = {}
    for name, table in tomllib.loads(text).items():
        names = table.get("names", []) if isinstance(table, dict) else []
        forms = [form for term in names if isinstance(term, str) for form in expand_forms(term)]
        known[name.casefold()] = tuple(dict.fromkeys(forms))
    return known


def country_names(country: str) -> tuple[str, ...]:
    """The configured name first, then its forms in other languages (none if unknown)."""
    return tuple(dict.fromkeys((country, *_known().get(country.strip().casefold(), ()))))


def _phrase(name: str) -> str:
    """An FTS5 phrase (quotes doubled, so any name is safe)."""
    return '"' + name.replace('"', '""') + '"'


def country_match_query(country: str) -> str:
    """An FTS5 query matching an article that names the country in any known language."""
    return " OR ".join(_phrase(name) for name in country_names(country))
