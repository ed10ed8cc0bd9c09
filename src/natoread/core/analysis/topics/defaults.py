"""The built-in topic tables, read once from one data file per language (`terms/*.toml`).

Adding a language is adding a data file: each file may hold
- `names`: NATO's names in that language (strong terms of `alliance`, context for every topic);
- `context`: further context terms (give weak terms their meaning, score nothing themselves);
- `excludes`: hard negatives vetoing any topic's terms they overlap;
- `[TOPIC]` tables with `terms`, `weak_terms`, `near_terms` (strong only beside context: "стаття 5"
  near "НАТО", not "стаття 5 Конституції"), `context` (more context for that topic only: "the
  alliance" says which alliance a veto is about, not that an article is about NATO), `excludes`
  for that topic only, and `places`: weak terms naming a country, one entry per country with its
  English name first, then its names and capital, separated by "|" ("Ukraine|Україна|Київ").
  (Counting a country's names once was tried: it cost more "X's place is in NATO" headlines than
  it saved "aid for Ukraine, says Kyiv" ones.)
Lists from every file are merged in file order (English first). A term may spell its
inflections as `{a,b,c}` alternatives ("вступ{,у,ом} до НАТО"), expanded here into literals so
the engine's trie and prefilter stay literal. Pure: reads package data, no other I/O.
"""

from __future__ import annotations

import json
import re
from functools import cache
from itertools import product
from pathlib import Path

__all__ = [
    "LANGUAGES",
    "TOPIC_KNOBS",
    "default_topics",
    "expand_forms",
    "language_terms",
    "merged_from_sources",
    "merged_terms",
    "shared_excludes",
    "write_merged",
]

LANGUAGES = ("en", "uk", "ru", "pl", "de", "fr")
"""The term files read, in merge order."""
MERGED_FILE = "merged.json"
"""The term files merged and expanded (see `merged_terms`)."""
TERMS_DIR = Path(__file__).with_name("terms")
"""The data files, beside this module: the package is always installed as plain files
(importlib.resources would cost every command more than reading the file does)."""

_GROUP_WEIGHTS = {"terms": 1.0, "weak_terms": 0.4, "excludes": 1.0}
TOPIC_KNOBS: dict[str, dict[str, object]] = {
    # one passing mention of NATO in a body is not enough
    "alliance": {"threshold": 1.5},
    "accession": {"threshold": 1.0},
    # the vocabulary is narrow: one word with alliance context is enough
    "consensus": {"threshold": 0.4},
    "guarantees": {"threshold": 0.8},
}
_BRACES = re.compile(r"\{([^{}]*)\}")


def expand_forms(term: str) -> list[str]:
    """Every spelling of a term written with `{a,b}` alternatives (regex terms are kept)."""
    if term.startswith("re:") or "{" not in term:
        return [term]
    pieces = _BRACES.split(term)
    choices = [piece.split(",") if index % 2 else [piece] for index, piece in enumerate(pieces)]
    return ["".join(parts) for parts in product(*choices)]


def _expanded(value: object) -> list[str]:
    if not isinstance(value, list):
        return []
    return [form for term in value if isinstance(term, str) for form in expand_forms(term)]


def _expanded_places(value: object) -> list[str]:
    """Each country's entry with every name expanded, the names still joined by "|"."""
    if not isinstance(value, list):
        return []
    return [
        "|".join(form for name in entry.split("|") for form in expand_forms(name))
        for entry in value
        if isinstance(entry, str)
    ]


@cache
def language_terms(language: str) -> dict[str, dict[str, list[str]]]:
    """One language's file as {section: {list name: terms}}; top-level lists go under ""."""
    text = (TERMS_DIR / f"{language}.toml").read_text("utf-8")
    import tomllib  # only to read the term files themselves; commands read merged.json

    raw = tomllib.loads(text)
    shared = {key: _expanded(raw.get(key)) for key in ("names", "context", "excludes")}
    tables: dict[str, dict[str, list[str]]] = {"": shared}
    for name in TOPIC_KNOBS:
        table = raw.get(name, {})
        tables[name] = {
            key: _expanded(table.get(key))
            for key in ("terms", "weak_terms", "near_terms", "context", "excludes")
        }
        tables[name]["places"] = _expanded_places(table.get("places"))
    return tables


def merged_from_sources() -> dict[str, dict[str, list[str]]]:
    """Every language's lists merged in `LANGUAGES` order, repeats dropped, read from the
    TOML files (what `merged.json` must hold)."""
    merged: dict[str, dict[str, list[str]]] = {}
    for language in LANGUAGES:
        for section, lists in language_terms(language).items():
            into = merged.setdefault(section, {})
            for key, terms in lists.items():
                into.setdefault(key, []).extend(terms)
    return {
        section: {key: list(dict.fromkeys(terms)) for key, terms in lists.items()}
        for section, lists in merged.items()
    }


@cache
def merged_terms() -> dict[str, dict[str, list[str]]]:
    """The merged lists as `terms/merged.json` holds them.

    The TOML files are what people edit; reading and expanding them takes tomllib's
    pure-Python parser over every file, on every start of every command (the topic rules'
    hash is checked on each poll pass). `merged.json` is the same data already merged and
    expanded, read by json's C parser; `tests/core/test_topics_languages.py` keeps it equal
    to the TOML files (`python -m natoread.core.analysis.topics.defaults` writes it).
    """
    merged: dict[str, dict[str, list[str]]] = json.loads(
        (TERMS_DIR / MERGED_FILE).read_text("utf-8")
    )
    return merged


def shared_excludes() -> list[str]:
    """The hard negatives every topic shares (a new user topic starts from them)."""
    return list(merged_terms()[""]["excludes"])


def default_topics() -> dict[str, dict[str, object]]:
    """The built-in `[topics]` tables: merged terms plus each topic's knobs."""
    merged = merged_terms()
    shared = merged[""]
    context = [*shared["names"], *shared["context"]]
    topics: dict[str, dict[str, object]] = {}
    for name, knobs in TOPIC_KNOBS.items():
        lists = merged[name]
        strong = lists["terms"]
        if name == "alliance":
            strong = list(dict.fromkeys([*shared["names"], *strong]))
        topics[name] = {
            "terms": strong,
            "weak_terms": list(
                dict.fromkeys([*lists["weak_terms"], *_place_names(lists["places"])])
            ),
            "near_terms": lists["near_terms"],
            "context": list(dict.fromkeys([*context, *lists["context"]])),
            "excludes": list(dict.fromkeys([*shared["excludes"], *lists["excludes"]])),
            "weight": dict(_GROUP_WEIGHTS),
            "title_weight": 2.0,
            "window": 12,
            **knobs,
        }
    return topics


def _place_names(entries: list[str]) -> list[str]:
    return [term for entry in entries for term in entry.split("|")]


def write_merged() -> None:
    """Write `terms/merged.json` from the TOML files (run after editing them)."""
    text = json.dumps(merged_from_sources(), ensure_ascii=False, indent=1) + "\n"
    (TERMS_DIR / MERGED_FILE).write_text(text, encoding="utf-8")


if __name__ == "__main__":
    write_merged()
