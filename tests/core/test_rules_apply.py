"""Changed rules reach the stored articles (as the reader's and `fetch`'s passes plan):
hiding follows the rules exactly, one-time acts are applied once per new or changed rule."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from natoread.core.config import Config, parse_config
from natoread.core.polling.plan import plan_poll
from natoread.core.storage.records import ArticleQuery
from natoread.core.triage.actions import Mark, apply_mark
from tests.core.triage_corpus import FEEDS, NOW, build


def config_with(*rules: Mapping[str, object]) -> Config:
    feeds = [{"url": FEEDS["wire"], "title": "Wire", "tags": ["baltic"]}, {"url": FEEDS["bbc"]}]
    return parse_config({"feeds": feeds, "rules": list(rules)}, "feeds.toml")


def test_changed_rules_reach_stored_articles(tmp_path: Path) -> None:
    store, ids = build(tmp_path / "natoread.sqlite3")
    now = int(NOW.timestamp())
    hide_storm = {"query": "storm", "action": "hide"}
    tag_nordic = {"query": "sweden", "action": "tag", "tag": "nordic", "feedtags": ["baltic"]}
    plan_poll(config_with(hide_storm, tag_nordic), store, now=now)
    assert ids["storm"] not in store.article_ids(ArticleQuery())
    assert store.rows_by_ids([ids["sweden"]])[0].tags == ("nordic",)
    # You untag it; a later change of another rule does not tag it again.
    apply_mark(store, [ids["sweden"]], Mark("untag", "nordic"))
    star_bbc = {"query": "feed:bbc", "action": "star"}
    plan_poll(config_with(hide_storm, tag_nordic, star_bbc), store, now=now)
    assert store.rows_by_ids([ids["sweden"]])[0].tags == ()
    assert [r.starred for r in store.rows_by_ids([ids["drones"], ids["budget"]])] == [True, True]
    # Without the hide rule, the storm article is shown again (and stays read).
    plan_poll(config_with(tag_nordic, star_bbc), store, now=now)
    shown = store.rows_by_ids([ids["storm"]])[0]
    assert ids["storm"] in store.article_ids(ArticleQuery()) and shown.read
    # Nothing changed: nothing to do.
    assert store.get_meta("rules:applied") is not None
    before = store.execute("SELECT id, read, starred, hidden FROM article ORDER BY id")
    plan_poll(config_with(tag_nordic, star_bbc), store, now=now)
    assert store.execute("SELECT id, read, starred, hidden FROM article ORDER BY id") == before
