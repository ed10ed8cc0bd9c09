"""`[[rules]]` in feeds.toml: a query, an optional scope (feeds by URL or title, or feed
tags) and an action — drop, hide, read, star, or tag with a tag's name.

Parsing and checking are pure; a bad rule is a ConfigError naming it (`rules[2].query: …`).
Rules run at ingest on each new article (`matcher.py`, before anything is stored, so a
dropped article is never written) and on stored articles when they change (`apply.py`).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from natoread.core.errors import ConfigError

if TYPE_CHECKING:
    from natoread.core.analysis.topics.rules import TopicSpec
    from natoread.core.config import FeedSpec

RULE_ACTIONS = ("drop", "hide", "read", "star", "tag")
RULE_KEYS = ("query", "action", "tag", "feeds", "feedtags")


@dataclass(frozen=True, slots=True)
class RuleSpec:
    """One `[[rules]]` entry."""

    number: int
    """Its place in feeds.toml, from 1 (`rules[N]`)."""
    query: str
    action: str
    tag: str = ""
    feeds: tuple[str, ...] = ()
    """Only articles of these feeds (URL, or title in any case); empty: every feed."""
    feedtags: tuple[str, ...] = ()
    """Only articles of feeds with one of these tags; empty: every feed."""

    @property
    def name(self) -> str:
        """How messages name it: rules[2]."""
        return f"rules[{self.number}]"

    def digest(self) -> str:
        """What the rule does, as a short hash (a changed rule is applied again)."""
        text = json.dumps([self.query, self.action, self.tag, self.feeds, self.feedtags])
        return hashlib.sha256(text.encode()).hexdigest()[:16]


def feed_tags_of(feeds: Sequence[FeedSpec]) -> dict[str, tuple[str, ...]]:
    """Each feed tag (casefolded) → the URLs of the configured feeds that carry it."""
    found: dict[str, list[str]] = {}
    for feed in feeds:
        for tag in feed.tags:
            found.setdefault(tag.casefold(), []).append(feed.url)
    return {tag: tuple(urls) for tag, urls in found.items()}


def rules_digest(rules: Sequence[RuleSpec], feeds: Sequence[FeedSpec]) -> str:
    """The digest of every rule and of the feed tags they may read (`feedtag:`, scopes)."""
    parts = [rule.digest() for rule in rules]
    parts.append(json.dumps(sorted(feed_tags_of(feeds).items())))
    parts.append(json.dumps(sorted((f.url, f.title or "") for f in feeds)))
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:16]


def parse_rules(
    raw: Any, feeds: Sequence[FeedSpec], topics: Sequence[TopicSpec], source: str
) -> tuple[RuleSpec, ...]:
    """`[[rules]]` tables → RuleSpecs, each checked as the reader checks a query."""
    from natoread.core.config import check_keys
    from natoread.core.query import KnownNames, QueryError, check_query, shown
    from natoread.core.triage.actions import tag_problem

    if not isinstance(raw, list):
        raise ConfigError(source, "rules", "must be an array of tables: write [[rules]]")
    feed_tags = sorted({tag for feed in feeds for tag in feed.tags}, key=str.casefold)
    known = KnownNames(topics=[topic.name for topic in topics], feed_tags=feed_tags)
    rules = []
    for index, entry in enumerate(raw):
        where = f"rules[{index + 1}]"
        if not isinstance(entry, Mapping):
            raise ConfigError(source, where, 'must be a table with query = "…" and action = "…"')
        check_keys(entry, RULE_KEYS, source, where)
        for key in ("query", "action"):
            if key not in entry:
                raise ConfigError(source, f"{where}.{key}", "missing")
        query = entry["query"]
        if not isinstance(query, str):
            raise ConfigError(source, f"{where}.query", f"expected a string, got {query!r}")
        try:
            node = check_query(query, known)
        except QueryError as exc:
            raise ConfigError(source, f"{where}.query", str(exc)) from None
        if node is None:
            raise ConfigError(
                source, f"{where}.query", 'empty query; give words, "a phrase" or a filter'
            )
        action = entry["action"]
        if action not in RULE_ACTIONS:
            wanted = ", ".join(f'"{a}"' for a in RULE_ACTIONS)
            got = shown(action) if isinstance(action, str) else repr(action)
            raise ConfigError(source, f"{where}.action", f"expected one of {wanted}, got {got!r}")
        tag = entry.get("tag", "")
        if action == "tag":
            if not isinstance(tag, str) or (problem := tag_problem(tag)) is not None:
                message = problem if isinstance(tag, str) else "expected a string"
                raise ConfigError(source, f"{where}.tag", f'{message}; write tag = "NAME"')
        elif "tag" in entry:
            raise ConfigError(source, f"{where}.tag", 'only for action = "tag"; remove it')
        scope_feeds = _strings(entry.get("feeds", []), source, f"{where}.feeds")
        scope_tags = _strings(entry.get("feedtags", []), source, f"{where}.feedtags")
        for number, value in enumerate(scope_tags):
            if value.casefold() not in {t.casefold() for t in feed_tags}:
                from natoread.core.query import unknown_name

                raise ConfigError(
                    source,
                    f"{where}.feedtags[{number + 1}]",
                    unknown_name("feed tag", value, feed_tags),
                )
        rules.append(RuleSpec(index + 1, query, action, tag, scope_feeds, scope_tags))
    return tuple(rules)


def _strings(value: Any, source: str, where: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ConfigError(source, where, 'expected a list of strings such as ["a", "b"]')
    return tuple(value)


def in_scope(rule: RuleSpec, url: str, titles: Sequence[str], tags: Sequence[str]) -> bool:
    """Whether a rule applies to a feed (its URL, titles and tags)."""
    if rule.feeds:
        folded = {title.casefold() for title in titles if title}
        if not any(name == url or name.casefold() in folded for name in rule.feeds):
            return False
    if rule.feedtags:
        have = {tag.casefold() for tag in tags}
        if not any(tag.casefold() in have for tag in rule.feedtags):
            return False
    return True
