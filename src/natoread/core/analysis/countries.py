"""The accession board's countries by their names in each language (data in countries.toml).

The board finds a country's articles by full-text search; an article in Polish names Ukraine
"Ukrainy" or "Ukrainie", one in Russian "Украины". Pure: reads package data only.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from functools import cache
from importlib import resources

from natoread.core.analysis.topics.defaults import expand_forms

__all__ = ["country_match_query", "country_names", "names_country"]


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


def _fold(text: str) -> str:
    """Casefolded, accents dropped (as the full-text index compares): 'Géorgie' → 'georgie'."""
    if text.isascii():
        return text.casefold()
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


@cache
def _country_pattern(country: str) -> re.Pattern[str]:
    """Any of the country's names as whole words, in folded text."""
    forms = sorted({_fold(name) for name in country_names(country)}, key=len, reverse=True)
    names = "|".join(r"\s+".join(map(re.escape, form.split())) for form in forms)
    return re.compile(rf"(?<!\w)(?:{names})(?!\w)")


def names_country(country: str, text: str) -> bool:
    """True when `text` names the country in any known language, whatever the case or accents
    ('Україна', 'Ukrainy', 'UKRAINE'), as a whole word ('Ukrainian' does not count)."""
    return _country_pattern(country).search(_fold(text)) is not None
