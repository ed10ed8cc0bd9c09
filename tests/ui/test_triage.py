"""Triage in the reader on a real store: tags (t), bulk marks with their count (M, A), undo
several levels deep (u), the remembered sort order (O) and the unread-only toggle (U)."""

from __future__ import annotations

from pathlib import Path

from natoread.core.storage.records import ArticleQuery
from natoread.core.storage.store import Store
from natoread.ui.screens.triage_dialogs import ConfirmScreen, MenuScreen, NameInputScreen
from natoread.ui.widgets.status_bar import status_content
from tests.ui.helpers import (
    AppFactory,
    capture_notifications,
    main_screen,
    press,
    wait_until,
)
from tests.ui.test_store_faults import write_lock_held

WIDE = (160, 40)


def flags(db_path: Path) -> dict[int, tuple[bool, bool, tuple[str, ...]]]:
    """Article id → (read, starred, tags), as stored."""
    with Store(db_path) as store:
        rows = store.list_articles(ArticleQuery(), limit=1000)
        return {r.id: (r.read, r.starred, r.tags) for r in rows}


async def test_t_tags_and_untags_with_completion_and_the_sidebar_counts(
    make_app: AppFactory, db_path: Path
) -> None:
    app = make_app()
    async with app.run_test(size=WIDE) as pilot:
        screen = main_screen(pilot)
        first = screen.article_list.ids[0]
        await press(pilot, "t")
        assert isinstance(app.screen, NameInputScreen)
        await pilot.press(*"later", "enter")
        await press(pilot)
        assert flags(db_path)[first][2] == ("later",)
        sidebar = screen.sidebar
        lines = [str(sidebar.get_option_at_index(i).prompt) for i in range(sidebar.option_count)]
        heading = lines.index("Tags")
        assert lines[heading + 1].split() == ["later", "1"]
        tag_filter = screen.sidebar.filters()["tag:later"]
        # the next article: the completion offers "later" after "la" (→ takes it)
        await press(pilot, "j", "t")
        await pilot.press("l", "a", "right", "enter")
        await press(pilot)
        second = screen.article_list.ids[1]
        assert flags(db_path)[second][2] == ("later",)
        # choosing the tag in the sidebar lists the two tagged articles
        screen.listing.apply_filter(tag_filter)
        await pilot.pause()
        assert set(screen.article_list.ids) == {first, second}
        assert "tag later" in status_content(screen.status).plain
        # t with the same name (any case) removes it
        await press(pilot, "t")
        await pilot.press(*"LATER", "enter")
        await press(pilot)
        assert flags(db_path)[first][2] == ()
        # the meta line of an opened tagged article names its tag
        await press(pilot, "j", "enter")
        assert "#later" in str(screen.reader.query_one("#article-header").render())


async def test_bulk_marks_confirm_with_the_count_and_undo_goes_back_step_by_step(
    make_app: AppFactory, db_path: Path
) -> None:
    app = make_app()
    messages = capture_notifications(app)
    async with app.run_test(size=WIDE) as pilot:
        screen = main_screen(pilot)
        listed = list(screen.article_list.ids)
        before = flags(db_path)
        await press(pilot, "s")  # one star: a step of its own
        await press(pilot, "M")
        assert isinstance(app.screen, MenuScreen)
        await press(pilot, "5")  # Tag…
        await pilot.press(*"brief", "enter")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        assert f"Tag {len(listed)} articles 'brief'? y/n" in str(app.screen.question)
        await press(pilot, "y")
        assert all("brief" in flags(db_path)[i][2] for i in listed)
        await press(pilot, "A")
        assert isinstance(app.screen, ConfirmScreen)
        assert app.screen.question == f"Mark {len(listed)} articles read? y/n"
        await press(pilot, "n")  # no: nothing changes
        assert not any(flags(db_path)[i][0] for i in listed)
        await press(pilot, "A", "y")
        assert all(flags(db_path)[i][0] for i in listed)
        unlisted = [i for i in before if i not in listed]
        assert all(flags(db_path)[i] == before[i] for i in unlisted)
        # u: read marks back, then the tags, then the star
        await press(pilot, "u")
        assert [flags(db_path)[i][0] for i in listed] == [before[i][0] for i in listed]
        assert any(m.startswith(f"Undone: mark {len(listed)} articles read") for m in messages)
        assert "undone: mark" in status_content(screen.status).plain
        await press(pilot, "u")
        assert all("brief" not in flags(db_path)[i][2] for i in listed)
        assert flags(db_path)[listed[0]][1] is True
        await press(pilot, "u")
        assert flags(db_path) == before
        await press(pilot, "u")
        assert messages[-1] == "Nothing to undo."


async def test_the_sort_order_cycles_shows_in_the_status_line_and_is_remembered(
    make_app: AppFactory,
) -> None:
    async with make_app().run_test(size=WIDE) as pilot:
        screen = main_screen(pilot)
        newest = list(screen.article_list.ids)
        await press(pilot, "O")
        assert screen.view.sort == "oldest"
        assert list(screen.article_list.ids) == newest[::-1]
        assert "sorted by oldest" in status_content(screen.status).plain
        await press(pilot, "O", "O", "O", "O")
        assert screen.view.sort == "title"
    async with make_app().run_test(size=WIDE) as pilot:
        screen = main_screen(pilot)
        assert screen.view.sort == "title"
        titles = [
            row.title.casefold() for row in screen.listing.shown_rows(screen.article_list.ids)
        ]
        assert titles == sorted(titles)
        await press(pilot, "O")
        assert screen.view.sort == "newest"


async def test_unread_only_hides_read_articles(make_app: AppFactory) -> None:
    async with make_app().run_test(size=WIDE) as pilot:
        screen = main_screen(pilot)
        first = screen.article_list.ids[0]
        count = len(screen.article_list.ids)
        await press(pilot, "m", "U")
        assert first not in screen.article_list.ids
        assert len(screen.article_list.ids) == count - 1
        assert "unread only" in status_content(screen.status).plain
        await press(pilot, "U")
        assert first in screen.article_list.ids
        await wait_until(pilot, lambda: len(screen.article_list.ids) == count)


async def test_a_bulk_mark_while_another_process_holds_the_lock_changes_nothing_and_says_so(
    make_app: AppFactory, db_path: Path
) -> None:
    app = make_app()
    async with app.run_test(size=WIDE) as pilot:
        screen = main_screen(pilot)
        listed = list(screen.article_list.ids)
        before = flags(db_path)
        with write_lock_held(db_path):
            await press(pilot, "A", "y")
            status = status_content(screen.status).plain
            assert status.startswith(
                f"✗ Mark {len(listed)} articles read failed: the database is busy"
            )
            assert flags(db_path) == before  # one transaction: nothing half done
        await press(pilot, "A", "y")
        assert all(flags(db_path)[i][0] for i in listed)
    assert app.return_code in (None, 0)
