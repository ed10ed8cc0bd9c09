"""`[[rules]]` and saved searches read with one validator: parsed rules, and a feedtag: that
no feed has is an error naming the entry."""

from __future__ import annotations

import pytest

from natoread.core.config import parse_config
from natoread.core.errors import ConfigError
from natoread.core.triage.rules import feed_tags_of, in_scope, rules_digest

FEEDS = [
    {"url": "https://a.example/rss", "title": "Alpha", "tags": ["baltic", "wire"]},
    {"url": "https://b.example/rss", "tags": ["uk"]},
]


def test_rules_are_parsed_with_their_scope() -> None:
    config = parse_config(
        {
            "feeds": FEEDS,
            "rules": [
                {"query": "feedtag:Baltic sport", "action": "hide"},
                {"query": "nato", "action": "tag", "tag": "n", "feeds": ["alpha"]},
                {"query": "nato", "action": "star", "feedtags": ["uk"]},
            ],
        },
        "feeds.toml",
    )
    first, second, third = config.rules
    assert (first.number, first.action, first.name) == (1, "hide", "rules[1]")
    assert second.tag == "n" and second.feeds == ("alpha",)
    assert in_scope(second, "https://a.example/rss", ("Alpha",), ())
    assert not in_scope(second, "https://b.example/rss", (), ("uk",))
    assert in_scope(third, "https://b.example/rss", (), ("uk",))
    assert feed_tags_of(config.feeds)["baltic"] == ("https://a.example/rss",)
    other = parse_config({"feeds": FEEDS, "rules": [{"query": "nato", "action": "read"}]}, "f")
    assert rules_digest(config.rules, config.feeds) != rules_digest(other.rules, other.feeds)


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (
            {"searches": [{"name": "S", "query": "feedtag:baltc"}]},
            "searches[1].query: saved search 'S': feedtag:baltc: unknown feed tag; did you"
            " mean 'baltic'?",
        ),
        ({"rules": [{"query": "nato"}]}, "rules[1].action: missing"),
        ({"rules": [{"query": "nato", "action": "read", "tag": "x"}]}, "rules[1].tag: only for"),
        (
            {"rules": [{"query": "nato", "action": "read", "feeds": "a"}]},
            "rules[1].feeds: expected",
        ),
        ({"rules": [{"query": "nato", "action": "read", "when": 1}]}, "rules[1].when: unknown key"),
        ({"rules": {"query": "x"}}, "rules: must be an array of tables"),
        ({"rules": [{"query": "title:--", "action": "hide"}]}, "rules[1].query: title:--: needs"),
    ],
)
def test_bad_entries_name_their_place(extra: dict[str, object], message: str) -> None:
    with pytest.raises(ConfigError) as caught:
        parse_config({"feeds": FEEDS, **extra}, "feeds.toml")
    assert message in str(caught.value)
