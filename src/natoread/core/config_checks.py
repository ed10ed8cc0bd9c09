"""Checks of feeds.toml that look across entries: saved searches against the topics and the
feeds' tags (rules are checked the same way, in `triage/rules.py`), and
key bindings against each other and the reader's built-in keys.

Each problem is a ConfigError naming the place, so `natoread check-config` and the reader's
start-up report it as one line (the reader does not start with a key that would silently
take over another action).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from natoread.core.errors import ConfigError

if TYPE_CHECKING:
    from natoread.core.analysis.topics.rules import TopicSpec
    from natoread.core.config import FeedSpec, SavedSearch

BUILT_IN_KEYS: Mapping[str, str] = {
    "ctrl+q": "quit",
    "ctrl+c": "quit",
    "ctrl+p": "the command palette",
}
"""Keys the reader's framework binds before any action; an action bound to one never runs."""


def check_saved_searches(
    searches: Sequence[SavedSearch],
    topics: Sequence[TopicSpec],
    source: str,
    feeds: Sequence[FeedSpec] = (),
) -> None:
    """Each saved search is a query that can run: the same checks as `/`, `natoread search`
    and `[[rules]]` (feed titles are not checked here: they come from the feeds themselves;
    `feedtag:` names a tag of `feeds`)."""
    from natoread.core.query import KnownNames, QueryError, check_query, shown

    feed_tags = sorted({tag for feed in feeds for tag in feed.tags}, key=str.casefold)
    known = KnownNames(topics=[topic.name for topic in topics], feed_tags=feed_tags)
    for index, search in enumerate(searches):
        where = f"searches[{index + 1}].query"
        try:
            node = check_query(search.query, known)
        except QueryError as exc:
            problem = f"saved search '{shown(search.name)}': {exc}"
            raise ConfigError(source, where, problem) from None
        if node is None:
            raise ConfigError(
                source,
                where,
                f"saved search '{shown(search.name)}': empty query; give words, \"a phrase\""
                " or a filter",
            )


def check_key_conflicts(keys: Mapping[str, str], source: str) -> None:
    """Reject a `[keys]` entry whose key is a built-in key or another action's key (after the
    overrides: rebinding the other action too resolves the conflict)."""
    from natoread.core.actions import ACTIONS

    defaults: dict[str, str] = {}  # key → the action that has it by default, not rebound
    for action in ACTIONS:
        if action.name not in keys:
            for key in _split(action.keys):
                defaults.setdefault(key, action.name)
    taken: dict[str, str] = {}  # key → the `[keys]` entry above that took it
    for action_name, value in keys.items():
        where = f"keys.{action_name}"
        for key in _split(value):
            if key in BUILT_IN_KEYS:
                raise ConfigError(
                    source,
                    where,
                    f"'{key}' is the reader's built-in key for {BUILT_IN_KEYS[key]};"
                    " choose another key",
                )
            if key in taken:
                raise ConfigError(
                    source, where, f"'{key}' is also keys.{taken[key]}; choose another key"
                )
            if key in defaults:
                other = defaults[key]
                raise ConfigError(
                    source,
                    where,
                    f"'{key}' is also the default key of {other!r}; choose another key,"
                    f" or bind {other!r} to another key too",
                )
            taken[key] = action_name


def _split(keys: str) -> list[str]:
    """The keys of a comma-separated list, once each."""
    return list(dict.fromkeys(key.strip() for key in keys.split(",") if key.strip()))
