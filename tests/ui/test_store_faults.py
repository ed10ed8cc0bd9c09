"""The reader never blocks on, or dies of, its store: a locked, failing or replaced database."""

from __future__ import annotations

import sqlite3
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from natoread.ui.screens import keeper
from natoread.ui.widgets.status_bar import StatusBar, status_content
from tests.conftest import NATOREAD, natoread_env
from tests.ui.helpers import AppFactory, main_screen, press, settle_writes, wait_until

WIDE = (160, 40)


@pytest.fixture(autouse=True)
def quick_retries(monkeypatch: pytest.MonkeyPatch) -> None:
    """Retry and check the store often, so that the tests wait little for a retry."""
    monkeypatch.setattr(keeper, "TEND_S", 0.1)


def status_text(pilot: Pilot[Any]) -> str:
    """The status line as plain text."""
    return status_content(main_screen(pilot).query_one(StatusBar).state).plain


def stored_flags(db_path: Path, article_id: int) -> tuple[bool, bool]:
    """(read, starred) of an article, read by a connection of its own."""
    with sqlite3.connect(db_path) as db:
        read, starred = db.execute(
            "SELECT read, starred FROM article WHERE id=?", (article_id,)
        ).fetchone()
    return bool(read), bool(starred)


@contextmanager
def write_lock_held(db_path: Path) -> Iterator[None]:
    """Another process's writer holding the lock (a poll in cron, say) until the block ends."""
    holder = sqlite3.connect(db_path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        yield
    finally:
        holder.execute("ROLLBACK")
        holder.close()


async def test_a_star_pressed_while_another_process_holds_the_lock_is_kept_and_written(
    make_app: AppFactory, db_path: Path
) -> None:
    app = make_app()
    async with app.run_test(size=WIDE) as pilot:
        screen = main_screen(pilot)
        article_id = screen.article_list.current_id
        assert article_id is not None and stored_flags(db_path, article_id) == (False, False)
        with write_lock_held(db_path):
            await pilot.press("s")
            # The key returned while its write still waits on the lock (on a thread), and
            # the star shows.
            assert any(w.group == "writes" and not w.is_finished for w in app.workers)
            row = screen.article_list.current_row()
            assert row is not None and row.starred
            await settle_writes(pilot)
            assert "1 change not saved yet (retrying)" in status_text(pilot)
            assert "busy" in status_text(pilot)
            assert stored_flags(db_path, article_id) == (False, False)
            # Reads still answer: the list can be re-read and keeps showing the star.
            screen.article_list.forget_rows()
            row = screen.article_list.current_row()
            assert row is not None and row.starred
        await wait_until(pilot, lambda: stored_flags(db_path, article_id) == (False, True))
        await settle_writes(pilot)
        assert "not saved" not in status_text(pilot)
    assert app.return_code in (None, 0)  # never ended by an error


async def test_changes_still_pending_at_quit_are_written_on_the_way_out(
    make_app: AppFactory, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(keeper, "TEND_S", 3600.0)  # no retry before the quit
    app = make_app()
    async with app.run_test(size=WIDE) as pilot:
        article_id = main_screen(pilot).article_list.current_id
        assert article_id is not None
        with write_lock_held(db_path):
            await press(pilot, "s")
            assert "not saved yet" in status_text(pilot)
        await pilot.press("q")
    assert stored_flags(db_path, article_id) == (False, True)


async def test_read_marks_and_opening_under_a_held_lock_all_reach_the_store(
    make_app: AppFactory, db_path: Path
) -> None:
    app = make_app()
    async with app.run_test(size=WIDE) as pilot:
        screen = main_screen(pilot)
        ids = list(screen.article_list.ids)
        with write_lock_held(db_path):
            await press(pilot, "m", "j", "s", "s", "s")  # read; then starred, unstarred, starred
            await press(pilot, "j", "enter")  # opening marks read
            assert screen.reader.article_id == ids[2]
            assert "not saved yet" in status_text(pilot)
            assert [stored_flags(db_path, i) for i in ids[:3]] == [(False, False)] * 3
        await wait_until(
            pilot,
            lambda: (
                [stored_flags(db_path, i) for i in ids[:3]]
                == [(True, False), (False, True), (True, False)]
            ),
        )
        await press(pilot, "escape", "A", "y")
        await wait_until(pilot, lambda: all(stored_flags(db_path, i)[0] for i in ids))
    assert app.return_code in (None, 0)  # never ended by an error


async def test_a_failing_store_read_on_a_key_press_is_a_message_not_a_crash(
    make_app: AppFactory,
) -> None:
    app = make_app()
    async with app.run_test(size=WIDE) as pilot:
        screen = main_screen(pilot)
        screen.store.close()  # every read now raises sqlite3.ProgrammingError
        await press(pilot, "s")
        assert status_text(pilot).startswith("✗ database:")
        await press(pilot, "a", "enter", "n", "slash")
        await pilot.press(*"sweden", "enter")
        await pilot.pause()
        assert "closed database" in status_text(pilot)
    assert app.return_code in (None, 0)  # never ended by an error


async def test_reset_db_while_the_reader_runs_opens_a_new_store(
    make_app: AppFactory, db_path: Path, tmp_path: Path
) -> None:
    config = tmp_path / "empty.toml"
    config.write_text("", encoding="utf-8")
    app = make_app()
    async with app.run_test(size=WIDE) as pilot:
        screen = main_screen(pilot)
        await press(pilot, "enter")
        assert screen.article_list.ids and screen.reader.article_id is not None
        old_identity = screen.store.identity
        options = ["--config", str(config), "--data-dir", str(db_path.parent)]
        reset = subprocess.run(
            [NATOREAD, *options, "reset-db", "--yes"],
            capture_output=True,
            text=True,
            timeout=60,
            env=natoread_env(),
        )
        assert reset.returncode == 0, reset.stderr
        moved = next(db_path.parent.glob(f"{db_path.name}.broken-*"))
        await wait_until(pilot, lambda: screen.store.identity != old_identity)
        assert "moved aside" in status_text(pilot)
        assert len(screen.article_list.ids) == 0
        assert screen.reader.article_id is None
        assert db_path.exists() and screen.store.identity == (
            db_path.stat().st_dev,
            db_path.stat().st_ino,
        )
        # Keys now act on the new store; the moved-aside file is left alone.
        before = moved.read_bytes()
        await press(pilot, "s", "m", "A")
        assert moved.read_bytes() == before
    assert app.return_code in (None, 0)  # never ended by an error
