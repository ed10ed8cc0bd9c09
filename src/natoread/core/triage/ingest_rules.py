"""`[[rules]]` at ingest: each new entry of a feed document is judged in memory before the
feed's transaction; dropped entries are never stored, and what the others get (hidden,
read, starred, tags) is written with them, in the same transaction.

Only new entries are judged: an article already stored keeps the state it has (rules reach
stored articles when the rules change, `apply.sync_rules`). Quotes, and so `speaker:`, are
known at ingest only for topic matches (the rest are extracted on first read).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from natoread.core.triage.apply import RuleJudge, Verdict
from natoread.core.triage.matcher import ArticleFacts

if TYPE_CHECKING:
    from natoread.core.analysis.records import Analysis
    from natoread.core.feeds.documents import ParsedEntry
    from natoread.core.query import Node
    from natoread.core.storage.records import PreparedEntry
    from natoread.core.storage.store import Store


def judge_new_entries(
    judge: RuleJudge,
    store: Store,
    feed_id: int,
    url: str,
    analysed: list[tuple[ParsedEntry, Analysis]],
    prepared: list[PreparedEntry],
    now: int,
) -> tuple[list[tuple[ParsedEntry, Analysis]], list[PreparedEntry], list[str], dict[int, Verdict]]:
    """The entries to store, the keys (GUID, link or content hash) of the new ones dropped,
    and each kept new entry's verdict (by its index in the entries kept)."""
    from natoread.core.storage.store import published_epoch

    new = set(store.new_entries(feed_id, prepared))
    if not new:
        return analysed, prepared, [], {}
    titles, tags = judge.feed_facts(url, store.feed_title(feed_id))
    nodes: dict[int, Node | None] = {}
    kept_analysed: list[tuple[ParsedEntry, Analysis]] = []
    kept_prepared: list[PreparedEntry] = []
    verdicts: dict[int, Verdict] = {}
    dropped_keys: list[str] = []
    for index, (pair, ready) in enumerate(zip(analysed, prepared, strict=True)):
        if index in new:
            entry, analysis = pair
            facts = ArticleFacts(
                title=entry.title,
                body=entry.body,
                author=entry.author,
                feed_url=url,
                feed_titles=titles,
                feed_tags=tags,
                topics=analysis.topics.topics,
                matched=analysis.topics.matched,
                speaker_keys=tuple(k for k in ready.speaker_keys if k),
                published=published_epoch(entry, now),
            )
            verdict = judge.judge(facts, now, nodes)
            if verdict.drop:
                dropped_keys.append(entry.guid or entry.link or ready.digest)
                continue
            if verdict.acts:
                verdicts[len(kept_prepared)] = verdict
        kept_analysed.append(pair)
        kept_prepared.append(ready)
    return kept_analysed, kept_prepared, dropped_keys, verdicts


def apply_verdicts(
    store: Store,
    feed_id: int,
    new_ids: Sequence[int],
    new_index: Sequence[int],
    verdicts: dict[int, Verdict],
    dropped_keys: Sequence[str],
    now: int,
) -> None:
    """Write what the rules gave the new articles, and count the dropped ones once each
    (inside the feed's transaction)."""
    store.remember_dropped(feed_id, dropped_keys, now)
    groups: dict[tuple[str, str], list[int]] = {}
    for article_id, index in zip(new_ids, new_index, strict=True):
        verdict = verdicts.get(index)
        if verdict is None:
            continue
        acts = [("hide", "")] if verdict.hide else []
        acts += [("read", "")] if verdict.read and not verdict.hide else []
        acts += [("star", "")] if verdict.star else []
        acts += [("tag", tag) for tag in verdict.tags]
        for act in acts:
            groups.setdefault(act, []).append(article_id)
    for (action, tag), ids in groups.items():
        store.apply_rule_action(ids, action, tag)
