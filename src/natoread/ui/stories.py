"""Story facts the article list needs per page of rows, on top of `natoread.core.stories`.

Both are single read queries on the story table (indexed by story_id), so they can run on
every page load of the virtual list. They belong in the core next to `story_of`; they live
here until the core offers them (see the UI hand-over notes).
"""

from __future__ import annotations

import json
from array import array
from collections.abc import Sequence

from natoread.core.store import Store


def source_counts(store: Store, article_ids: Sequence[int]) -> dict[int, int]:
    """Article id → number of distinct feeds in its story, for the ids whose story has 2+."""
    if not article_ids:
        return {}
    rows = store.execute(
        "SELECT s.article_id, COUNT(DISTINCT a.feed_id) FROM story s"
        " JOIN story m ON m.story_id = s.story_id JOIN article a ON a.id = m.article_id"
        " WHERE s.article_id IN (SELECT value FROM json_each(?))"
        " GROUP BY s.article_id HAVING COUNT(DISTINCT a.feed_id) > 1",
        (json.dumps(list(article_ids)),),
    )
    return {int(r[0]): int(r[1]) for r in rows}  # type: ignore[call-overload]


def one_per_story(store: Store, ids: array[int]) -> array[int]:
    """`ids` with every story after its first (newest) listed version left out.

    Only stories with more than one article are read, so this costs one query over the
    clustered articles plus one pass over the ids.
    """
    rows = store.execute(
        "SELECT article_id, story_id FROM story WHERE story_id IN"
        " (SELECT story_id FROM story GROUP BY story_id HAVING COUNT(*) > 1)"
    )
    story = {int(r[0]): int(r[1]) for r in rows}  # type: ignore[call-overload]
    if not story:
        return ids
    seen: set[int] = set()
    kept: array[int] = array("q")
    for article_id in ids:
        key = story.get(article_id)
        if key is None:
            kept.append(article_id)
        elif key not in seen:
            seen.add(key)
            kept.append(article_id)
    return kept
