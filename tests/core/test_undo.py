"""The undo log in a real SQLite file: every change is one step, undone exactly, several
levels deep, after a restart too, and the log stays within its bounds."""

from __future__ import annotations

from pathlib import Path

import pytest

from natoread.core.storage import triage
from natoread.core.storage.store import Store
from natoread.core.triage.actions import Mark, apply_mark, undo_last
from tests.core.triage_corpus import build


def state(store: Store) -> list[tuple[int, int, int, str]]:
    return [
        (int(i), int(r), int(s), str(t or ""))
        for i, r, s, t in store.execute(
            "SELECT a.id, a.read, a.starred, (SELECT group_concat(tag) FROM article_tag"
            " WHERE article_id=a.id) FROM article a ORDER BY a.id"
        )
    ]


def test_each_change_is_undone_exactly_several_levels_deep_after_a_restart(tmp_path: Path) -> None:
    path = tmp_path / "natoread.sqlite3"
    store, ids = build(path)
    first = state(store)
    store.set_read([ids["sweden"]])  # the reader opening an article
    after_read = state(store)
    store.set_starred(ids["drones"], True)
    after_star = state(store)
    assert apply_mark(store, list(ids.values()), Mark("tag", "later")) == len(ids)
    apply_mark(store, [ids["sweden"], ids["storm"]], Mark("untag", "later"))
    assert apply_mark(store, list(ids.values()), Mark("read")) == len(ids) - 1
    store.close()

    store = Store(path)  # the log lives in the store
    assert [s.label for s in store.undo_steps()] == [
        f"mark {len(ids) - 1} articles read",
        "untag 2 articles 'later'",
        f"tag {len(ids)} articles 'later'",
        "star 1 article",
        "mark 1 article read",
    ]
    for _ in range(3):
        assert undo_last(store) is not None
    assert state(store) == after_star
    step = undo_last(store)
    assert step is not None and step.label == "star 1 article" and step.articles == 1
    assert state(store) == after_read
    assert undo_last(store) is not None
    assert state(store) == first
    assert undo_last(store) is None


def test_a_change_that_changes_nothing_leaves_no_step(tmp_path: Path) -> None:
    store, ids = build(tmp_path / "natoread.sqlite3")
    assert apply_mark(store, [ids["sweden"]], Mark("unread")) == 0
    assert apply_mark(store, [ids["sweden"]], Mark("untag", "nope")) == 0
    assert apply_mark(store, [ids["sweden"]], Mark("star"), dry_run=True) == 1
    assert store.undo_steps() == []
    assert state(store)[0][2] == 0  # the dry run changed nothing


def test_the_log_is_bounded_and_keeps_the_newest_steps(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store, ids = build(tmp_path / "natoread.sqlite3")
    monkeypatch.setattr(triage, "UNDO_STEPS", 3)
    monkeypatch.setattr(triage, "UNDO_ROWS", 7)
    every = list(ids.values())
    for n in range(6):
        apply_mark(store, every, Mark("read" if n % 2 == 0 else "unread"))
    assert len(store.undo_steps()) <= 3
    logged = store.execute("SELECT COUNT(*) FROM undo_change")[0][0]
    assert logged <= max(7, len(every))
    # A step bigger than the row bound is still kept: the newest change can be undone.
    assert len(store.undo_steps()) >= 1
    assert undo_last(store) is not None
