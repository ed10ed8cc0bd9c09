"""Triage in the reader: tags, bulk marks on the visible list, undo, the sort order and the
hide-read toggle — a thin layer over `core/triage` (select, `apply_mark`, `undo_last`) and
`storage/ordering`.

Every change is one step of the store's undo log, written on a thread (the keeper's star and
read marks are written first, so steps stay in the order they were made) with a short busy
timeout and a few attempts; `u` takes back the newest step, after a restart too.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from contextlib import suppress
from dataclasses import replace
from functools import cached_property, partial
from typing import TYPE_CHECKING, cast

from natoread.core.errors import StoreError
from natoread.core.storage.ordering import SORT_ORDERS
from natoread.core.storage.store import Store
from natoread.core.text.sanitize import clean_line
from natoread.core.triage.actions import Mark, apply_mark, tag_problem, undo_last
from natoread.ui.screens.article_tools import ArticleTools
from natoread.ui.screens.find import Finder
from natoread.ui.screens.triage_dialogs import ConfirmScreen, MenuScreen, NameInputScreen
from natoread.ui.store_writes import (
    STORE_FAILURES,
    WRITE_ATTEMPTS,
    WRITE_BUSY_MS,
    failure_text,
)

if TYPE_CHECKING:
    from pathlib import Path

    from natoread.ui.screens.main import MainScreen

SORT_KEY = "reader.sort"
"""The store's meta key holding the list's sort order (beside the theme's)."""
NOTE_S = 15.0
"""Seconds the status line says what the last undo took back."""
WAIT_FOR_WRITES_S = 0.05
"""Seconds between looks at the keeper's write under way before a logged change starts."""
BULK_MARKS: tuple[tuple[str, str], ...] = (
    ("read", "Mark read"),
    ("unread", "Mark unread"),
    ("star", "Star"),
    ("unstar", "Unstar"),
    ("tag", "Tag…"),
    ("untag", "Remove a tag…"),
)
_DONE = {
    "read": "Marked {n} read",
    "unread": "Marked {n} unread",
    "star": "Starred {n}",
    "unstar": "Unstarred {n}",
    "tag": "Tagged {n} '{tag}'",
    "untag": "Removed '{tag}' from {n}",
}


def articles(count: int) -> str:
    """'1 article', '42 articles'."""
    return f"{count:,} article" + ("" if count == 1 else "s")


def question(mark: Mark, count: int) -> str:
    """The confirmation of a bulk mark: "Mark 42 articles read? y/n"."""
    noun = articles(count)
    verbs = {
        "read": f"Mark {noun} read?",
        "unread": f"Mark {noun} unread?",
        "star": f"Star {noun}?",
        "unstar": f"Unstar {noun}?",
        "tag": f"Tag {noun} '{mark.tag}'?",
        "untag": f"Remove the tag '{mark.tag}' from {noun}?",
    }
    return verbs[mark.kind] + " y/n"


def write_logged(
    db_path: Path, identity: tuple[int, int] | None, change: Callable[[Store], object]
) -> tuple[object, str | None]:
    """Run one logged change on a connection of its own (on a worker thread): its result,
    or None and the one-line reason it could not be written."""
    from natoread.core.storage.storefile import file_identity

    error = ""
    for _ in range(WRITE_ATTEMPTS):
        if identity is not None and file_identity(db_path) != identity:
            return None, "the database was replaced; nothing changed"
        try:
            with Store(db_path, busy_timeout_ms=WRITE_BUSY_MS) as store:
                return change(store), None
        except (StoreError, OSError) as exc:
            error = failure_text(exc, db_path)
    return None, error


class Triage:
    """The triage keys of the main screen."""

    def __init__(self, screen: MainScreen) -> None:
        self.screen = screen
        self.note = ""
        """What the status line says of the last undo ("undone: mark 9 articles read")."""

    # -- writing a logged change --------------------------------------------------------------

    def after_writes(self, job: Callable[[], None]) -> None:
        """Run `job` once the keeper's write under way (star and read marks) has ended."""
        keeper = self.screen.keeper
        keeper.write_pending()
        if keeper.writing:
            self.screen.set_timer(WAIT_FOR_WRITES_S, partial(self.after_writes, job))
            return
        job()

    def write(
        self, change: Callable[[Store], object], done: Callable[[object], None], what: str
    ) -> None:
        """Write `change` on a thread after the pending marks; `done(result)` on the loop."""
        screen = self.screen

        def work() -> None:
            result, error = write_logged(screen.db_path, screen.store.identity, change)
            screen.app.call_from_thread(self._written, result, error, done, what)

        def start() -> None:
            screen.run_worker(work, name=what, group="writes", thread=True, exit_on_error=False)

        self.after_writes(start)

    def _written(
        self, result: object, error: str | None, done: Callable[[object], None], what: str
    ) -> None:
        screen = self.screen
        if error is not None:
            screen.update_status(error=f"{what} failed: {error}")
            return
        done(result)
        self.refresh()

    def refresh(self) -> None:
        """Show the store's state again: the list's rows, the sidebar, the open article."""
        screen = self.screen
        screen.article_list.forget_rows()
        screen.listing.reload()
        screen.listing.refresh_sidebar()
        detail = screen.reader.detail
        if detail is not None:
            rows = screen.listing.shown_rows([detail.row.id])
            if rows:
                screen.reader.refresh_header(replace(detail, row=rows[0]))

    # -- tags ---------------------------------------------------------------------------------

    def known_tags(self) -> list[str]:
        """Every tag in the store, the most used first (for completion)."""
        try:
            counts = self.screen.store.tag_counts()
        except STORE_FAILURES:
            return []
        return [name for name, _ in sorted(counts, key=lambda item: -item[1])]

    def tag(self) -> None:
        """Add a tag to the article, or remove one it has (`t`)."""
        screen = self.screen
        row = screen.target_article()
        if row is None:
            return
        has = ", ".join(row.tags) if row.tags else "none"
        prompt = f"Tag “{clean_line(row.title, 50)}” (tags: {clean_line(has, 80)})"
        hint = "a new name adds it, a name it has removes it · → completes · esc: cancel"
        choices = [*row.tags, *(t for t in self.known_tags() if t not in row.tags)]
        screen.app.push_screen(
            NameInputScreen(prompt, choices, hint), partial(self._tag_named, row.id, row.tags)
        )

    def _tag_named(self, article_id: int, has: Sequence[str], name: str | None) -> None:
        if not name:
            return
        if (problem := tag_problem(name)) is not None:
            self.screen.update_status(error=f"tag: {problem}")
            return
        present = next((tag for tag in has if tag.casefold() == name.casefold()), None)
        mark = Mark("untag", present) if present else Mark("tag", name)
        verb = f"Removed the tag '{present}'" if present else f"Tagged '{name}'"
        self.write(
            partial(apply_mark, article_ids=[article_id], mark=mark),
            lambda _: self.screen.notify(f"{verb} (u undoes)", markup=False),
            verb,
        )

    # -- bulk marks on the visible list -------------------------------------------------------

    def bulk(self) -> None:
        """Choose a mark for every article the list shows, then confirm it with the count."""
        screen = self.screen
        count = len(screen.article_list.ids)
        if not count:
            screen.notify("The list is empty.", markup=False)
            return
        menu = MenuScreen(
            f"Apply to the {articles(count)} listed:",
            [label for _, label in BULK_MARKS],
            hint="enter or 1-6: choose · esc: cancel",
        )
        screen.app.push_screen(menu, self._bulk_chosen)

    def _bulk_chosen(self, choice: tuple[int, str] | None) -> None:
        if choice is None:
            return
        kind = BULK_MARKS[choice[0]][0]
        if kind in ("tag", "untag"):
            prompt = "Tag every listed article:" if kind == "tag" else "Remove the tag:"
            self.screen.app.push_screen(
                NameInputScreen(prompt, self.known_tags()), partial(self._bulk_tag, kind)
            )
        else:
            self.confirm(Mark(kind))

    def _bulk_tag(self, kind: str, name: str | None) -> None:
        if not name:
            return
        if (problem := tag_problem(name)) is not None:
            self.screen.update_status(error=f"tag: {problem}")
            return
        self.confirm(Mark(kind, name))

    def mark_all_read(self) -> None:
        """`A`: the bulk "read" of the visible list (confirmed, one undo step)."""
        if not self.screen.article_list.ids:
            return
        self.confirm(Mark("read"))

    def confirm(self, mark: Mark) -> None:
        """Ask "Mark 42 articles read? y/n" for the visible list, then apply the mark."""
        ids = list(self.screen.article_list.ids)
        self.screen.app.push_screen(
            ConfirmScreen(question(mark, len(ids))), partial(self._confirmed, mark, ids)
        )

    def _confirmed(self, mark: Mark, ids: list[int], yes: bool | None) -> None:
        if not yes:
            return

        def done(changed: object) -> None:
            message = _DONE[mark.kind].format(n=articles(cast(int, changed)), tag=mark.tag)
            self.screen.notify(f"{message} (u undoes)", markup=False)

        what = question(mark, len(ids)).removesuffix("? y/n")
        self.write(partial(apply_mark, article_ids=ids, mark=mark), done, what)

    # -- undo ---------------------------------------------------------------------------------

    def undo(self) -> None:
        """Take back the newest change (read, star, tag, a bulk mark), saying what it was."""

        def done(step: object) -> None:
            if step is None:
                self.screen.notify("Nothing to undo.", markup=False)
                return
            label = clean_line(str(getattr(step, "label", "")), 120)
            self.note = f"undone: {label}"
            self.screen.update_status(error="", activity=self.screen.activity_text())
            self.screen.set_timer(NOTE_S, partial(self._clear_note, self.note))
            self.screen.notify(f"Undone: {label}", markup=False)

        self.write(undo_last, done, "Undo")

    def _clear_note(self, note: str) -> None:
        """The undo's note has been read: leave the status line to the rest."""
        if self.note == note:
            self.note = ""
            self.screen.update_status(activity=self.screen.activity_text())

    # -- sort order and unread only -----------------------------------------------------------

    def restore(self) -> None:
        """The sort order chosen last time (kept in the store, as the theme is)."""
        with suppress(*STORE_FAILURES):
            sort = self.screen.store.get_meta(SORT_KEY)
            if sort in SORT_ORDERS:
                self.screen.view.sort = sort

    def cycle_sort(self) -> None:
        """Next order: newest → oldest → score → sources → feed → title (remembered)."""
        screen = self.screen
        view = screen.view
        view.sort = SORT_ORDERS[(SORT_ORDERS.index(view.sort) + 1) % len(SORT_ORDERS)]
        with suppress(*STORE_FAILURES):
            screen.store.set_meta(SORT_KEY, view.sort)
        screen.listing.reload(top=True)
        screen.notify(f"Sorted by {view.sort}", markup=False)

    def toggle_unread_only(self) -> None:
        """Show only unread articles, or every one."""
        screen = self.screen
        view = screen.view
        view.unread_only = not view.unread_only
        screen.listing.reload()
        screen.notify("Unread only" if view.unread_only else "Read and unread", markup=False)


class TriageKeys:
    """The main screen's actions for triage and the article tools (a mixin of MainScreen, so
    the screen module stays small); each delegates to its controller."""

    @cached_property
    def triage(self) -> Triage:
        """The triage controller (made on first use)."""
        return Triage(cast("MainScreen", self))

    @cached_property
    def tools(self) -> ArticleTools:
        """Pipe, links, citations and adding feeds (made on first use)."""
        return ArticleTools(cast("MainScreen", self))

    @cached_property
    def finder(self) -> Finder:
        """Find in the article (made on first use)."""
        return Finder(cast("MainScreen", self))

    def action_tag(self) -> None:
        """Add a tag to the article or remove one (completion from the store's tags)."""
        self.triage.tag()

    def action_bulk(self) -> None:
        """Mark every listed article read, unread, starred, unstarred, tagged or untagged."""
        self.triage.bulk()

    def action_undo(self) -> None:
        """Undo the last change (several levels deep, across restarts)."""
        self.triage.undo()

    def action_cycle_sort(self) -> None:
        """Next sort order (remembered)."""
        self.triage.cycle_sort()

    def action_toggle_unread_only(self) -> None:
        """Show unread articles only, or every article."""
        self.triage.toggle_unread_only()

    def action_pipe(self) -> None:
        """Pipe the article as Markdown to `pipe_command`."""
        self.tools.pipe()

    def action_links(self) -> None:
        """The article's links, numbered: open or copy one."""
        self.tools.links()

    def action_cite_quote(self) -> None:
        """Copy the highlighted quote as a citation."""
        self.tools.cite()

    def action_find(self) -> None:
        """Find words in the open article."""
        self.finder.start()

    def action_add_feed(self) -> None:
        """Add a feed by its address or a page that announces it."""
        self.tools.add_feed()
