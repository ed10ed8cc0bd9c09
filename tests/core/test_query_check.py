"""The one query validator (`check_query`) and the config checks built on it: saved searches
and `[keys]` conflicts. The installed command's side is in tests/test_cli_errors.py."""

from __future__ import annotations

from pathlib import Path

import pytest

from natoread.core.actions import ACTIONS
from natoread.core.config import Config, load_config
from natoread.core.config_checks import BUILT_IN_KEYS
from natoread.core.errors import ConfigError
from natoread.core.query import Filter, KnownNames, QueryError, check_query, parse_query

TOPICS = ("alliance", "accession", "consensus", "guarantees")
FEEDS = ("Alliance Wire", "https://wire.example/rss", "Kyiv Independent", "https://kyiv.example/")


def known(feeds_asked: list[int] | None = None) -> KnownNames:
    def feeds() -> tuple[str, ...]:
        if feeds_asked is not None:
            feeds_asked.append(1)
        return FEEDS

    return KnownNames(topics=TOPICS, feeds=feeds)


def problem(query: str) -> str:
    with pytest.raises(QueryError) as caught:
        check_query(query, known())
    message = str(caught.value)
    assert "\n" not in message
    return message


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("topic:nosuch", "topic:nosuch: unknown topic; known: alliance, accession, consensus,"),
        ("nato -topic:acession", "topic:acession: unknown topic; did you mean 'accession'?"),
        ("(a OR topic:x)", "topic:x: unknown topic;"),
        ("feed:Nope", "feed:Nope: unknown feed; known: Alliance Wire, Kyiv Independent"),
        ("feed:Kiyv", "feed:Kiyv: unknown feed; known:"),
        ("speaker:", 'speaker: needs a value, e.g. speaker:Rutte or speaker:"Mark Rutte"'),
        ('speaker:""', "speaker: needs a value"),
        ("nato topic: x", "topic: needs a value, e.g. topic:accession"),
        ("is:foo", "is:foo: expected one of unread, read, starred, matching"),
        ("since:soon", "since:soon: expected a date (2025-06-24) or an age such as 7d"),
        ("since:2026-13-01", "since:2026-13-01: expected a date"),
        ("topic:\u202ered", "topic:red: unknown topic"),  # no bidi control in a message
    ],
)
def test_filters_that_cannot_match_are_one_line_errors(query: str, expected: str) -> None:
    assert problem(query).startswith(expected)


@pytest.mark.parametrize(
    "query",
    [
        "topic:Accession",
        "feed:wire",
        "feed:https://kyiv.example/",
        "feed:independent",
        'speaker:"Mark Rutte" since:7d is:UNREAD',
        "since:2026-11-01 -is:read",
        "nato: foo:bar",  # not filters: searched as text
    ],
)
def test_queries_that_can_match_pass(query: str) -> None:
    assert check_query(query, known()) is not None


def test_feed_names_are_asked_for_only_when_a_query_has_a_feed_filter() -> None:
    asked: list[int] = []
    check_query("topic:accession nato", known(asked))
    assert asked == []
    check_query("feed:wire", known(asked))
    assert asked == [1]


def test_unchecked_names_are_left_alone() -> None:
    assert check_query("topic:anything feed:anything", KnownNames()) == parse_query(
        "topic:anything feed:anything"
    )
    assert parse_query("topic:anything") == Filter("topic", "anything")


def test_long_lists_of_known_names_stay_one_short_line() -> None:
    many = KnownNames(feeds=lambda: [f"Feed number {n}" for n in range(300)])
    with pytest.raises(QueryError) as caught:
        check_query("feed:zzz", many)
    assert str(caught.value).endswith("Feed number 11 and 288 more")


def load(tmp_path: Path, text: str) -> Config:
    path = tmp_path / "feeds.toml"
    path.write_text(text, encoding="utf-8")
    return load_config(path)


def config_error(tmp_path: Path, text: str) -> str:
    with pytest.raises(ConfigError) as caught:
        load(tmp_path, text)
    message = str(caught.value)
    assert "\n" not in message
    return message.removeprefix(f"{tmp_path / 'feeds.toml'}: ")


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("is:foo", "searches[1].query: saved search 'Mine': is:foo: expected one of unread,"),
        ("speaker:", "searches[1].query: saved search 'Mine': speaker: needs a value"),
        ("topic:nosuch", "searches[1].query: saved search 'Mine': topic:nosuch: unknown topic"),
        ("- ( )", "searches[1].query: saved search 'Mine': empty query; give words"),
    ],
)
def test_saved_searches_are_checked_as_queries(tmp_path: Path, query: str, expected: str) -> None:
    text = f'[[searches]]\nname = "Mine"\nquery = "{query}"\n'
    assert config_error(tmp_path, text).startswith(expected)


def test_saved_searches_may_name_topics_of_the_config(tmp_path: Path) -> None:
    text = (
        '[topics.drills]\nterms = ["exercise"]\n\n'
        '[[searches]]\nname = "Drills"\nquery = "topic:drills feed:whatever"\n'
    )
    config = load(tmp_path, text)
    assert [s.query for s in config.searches] == ["topic:drills feed:whatever"]


@pytest.mark.parametrize(
    ("keys", "expected"),
    [
        ('search = "j"', "keys.search: 'j' is also the default key of 'down'; choose another key,"),
        ('star = "x"\npoll = "x"', "keys.poll: 'x' is also keys.star; choose another key"),
        ('poll = ["r", "f5", "ctrl+p"]', "keys.poll: 'ctrl+p' is the reader's built-in key for"),
        ('poll = "ctrl+c"', "keys.poll: 'ctrl+c' is the reader's built-in key for quit"),
    ],
)
def test_key_conflicts_are_config_errors(tmp_path: Path, keys: str, expected: str) -> None:
    assert config_error(tmp_path, f"[keys]\n{keys}\n").startswith(expected)


@pytest.mark.parametrize(
    ("keys", "bound"),
    [
        ('search = "slash"', {"search": "slash"}),  # its own default
        ('search = "j"\ndown = "down"', {"search": "j", "down": "down"}),  # the other rebound
        ('down = "k"\nup = "j"', {"down": "k", "up": "j"}),  # swapped
        ('poll = ["r", "r", "f5"]', {"poll": "r,r,f5"}),  # a key twice in one list
    ],
)
def test_keys_without_conflicts_are_accepted(
    tmp_path: Path, keys: str, bound: dict[str, str]
) -> None:
    assert dict(load(tmp_path, f"[keys]\n{keys}\n").keys) == bound


def test_default_keys_conflict_with_nothing() -> None:
    keys = [key.strip() for action in ACTIONS for key in action.keys.split(",")]
    assert len(keys) == len(set(keys))
    assert not set(keys) & set(BUILT_IN_KEYS)
