"""Rules at work: on new articles at ingest (`RuleJudge`, in memory, before storing) and on
stored articles when the rules change (`sync_rules`, like re-scoring topics).

What the store already holds is never deleted by a rule: "drop" keeps new articles out, and
hides (and reads) the stored articles it matches. Hiding follows the current rules exactly
(an article is hidden while a drop or hide rule matches it); read, star and tag are one-time
acts, applied to the stored articles once per new or changed rule, so a person's later
unstar or untag stands.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from natoread.core.query import AllOf, Node, parse_query
from natoread.core.triage.matcher import ArticleFacts, matches
from natoread.core.triage.rules import RuleSpec, feed_tags_of, in_scope

if TYPE_CHECKING:
    from natoread.core.config import FeedSpec
    from natoread.core.storage.store import Store

APPLIED_KEY = "rules:applied"
"""Meta key: the digests of the rules whose one-time acts were applied to stored articles,
and of the hiding rules the hidden flags follow."""
HIDING = ("drop", "hide")
Progress = Callable[[int, int], None]


@dataclass(frozen=True, slots=True)
class Verdict:
    """What the rules do to one new article."""

    drop: bool = False
    hide: bool = False
    read: bool = False
    star: bool = False
    tags: tuple[str, ...] = ()

    @property
    def acts(self) -> bool:
        return self.hide or self.read or self.star or bool(self.tags)


class RuleJudge:
    """The rules of feeds.toml, parsed once, judging new articles of one feed at a time
    (picklable: ingest workers get it whole)."""

    def __init__(self, rules: Sequence[RuleSpec], feeds: Sequence[FeedSpec]) -> None:
        self.rules = tuple(rules)
        self._feeds = {feed.url: (feed.title or "", feed.tags) for feed in feeds}

    def __bool__(self) -> bool:
        return bool(self.rules)

    def judge(
        self,
        facts: ArticleFacts,
        now: float,
        nodes: dict[int, Node | None],
    ) -> Verdict:
        """Apply every rule in scope, in order; a drop ends the judgement."""
        hide = read = star = False
        tags: list[str] = []
        for rule in self.rules:
            if not in_scope(rule, facts.feed_url, facts.feed_titles, facts.feed_tags):
                continue
            if rule.number not in nodes:
                nodes[rule.number] = parse_query(rule.query)
            node = nodes[rule.number]
            if node is None or not matches(node, facts, now):
                continue
            if rule.action == "drop":
                return Verdict(drop=True)
            if rule.action == "hide":
                hide = read = facts.hidden = facts.read = True
            elif rule.action == "read":
                read = facts.read = True
            elif rule.action == "star":
                star = facts.starred = True
            else:
                tags.append(rule.tag)
                facts.tags.add(rule.tag)
        return Verdict(hide=hide, read=read, star=star, tags=tuple(dict.fromkeys(tags)))

    def feed_facts(
        self, url: str, stored_title: str | None
    ) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """A feed's titles (configured and stored) and tags."""
        title, tags = self._feeds.get(url, ("", ()))
        return tuple(t for t in (title, stored_title or "") if t), tuple(tags)


def stored_matches(store: Store, rule: RuleSpec, feeds: Sequence[FeedSpec]) -> list[int]:
    """The stored articles a rule matches (hidden ones too), in its scope."""
    from natoread.core.query import Filter, Not
    from natoread.core.storage.search import matching_ids

    node = parse_query(rule.query)
    if node is None:
        return []
    # Hidden or not: a rule judges every article of its scope.
    either = AllOf((node, Not(AllOf((Filter("is", "hidden"), Not(Filter("is", "hidden")))))))
    tags = feed_tags_of(feeds)
    found = matching_ids(store, either, time.time(), tags)
    if not rule.feeds and not rule.feedtags:
        return found
    titles = {feed.url: feed.title or "" for feed in feeds}
    in_feeds = {
        health.id
        for health in store.feeds_health()
        if in_scope(
            rule,
            health.url,
            (health.title, titles.get(health.url, "")),
            next((f.tags for f in feeds if f.url == health.url), ()),
        )
    }
    feed_of = store.feed_ids_of(found)
    return [i for i in found if feed_of.get(i) in in_feeds]


def sync_rules(
    store: Store,
    rules: Sequence[RuleSpec],
    feeds: Sequence[FeedSpec],
    progress: Progress | None = None,
) -> int:
    """Bring stored articles in line with changed rules; returns the articles changed."""
    if store.read_only:
        return 0
    raw = store.get_meta(APPLIED_KEY)
    applied = set(json.loads(raw)) if raw else set()
    hiding = sorted(f"hide:{r.digest()}" for r in rules if r.action in HIDING)
    acting = [r for r in rules if r.action not in HIDING and r.digest() not in applied]
    hiding_changed = set(hiding) != {d for d in applied if d.startswith("hide:")}
    if not acting and not hiding_changed:
        return 0
    todo = [r for r in rules if r.action in HIDING] if hiding_changed else []
    todo += acting
    changed = store.unhide_all() if hiding_changed else 0
    for done, rule in enumerate(todo, start=1):
        ids = stored_matches(store, rule, feeds)
        changed += store.apply_rule_action(ids, rule.action, rule.tag)
        if progress:
            progress(done, len(todo))
    record = hiding + [r.digest() for r in rules if r.action not in HIDING]
    store.set_meta(APPLIED_KEY, json.dumps(sorted(record)))
    return changed
