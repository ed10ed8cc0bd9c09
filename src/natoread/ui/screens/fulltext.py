"""Full text on demand: an article's page fetched by a worker, shown when it arrives."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from textual.worker import Worker, WorkerState

from natoread.core.config import Config
from natoread.core.reading import article_detail
from natoread.ui.messages import FulltextFetched
from natoread.ui.store_writes import STORE_FAILURES

if TYPE_CHECKING:
    from natoread.ui.screens.main import MainScreen

SIDEBAR_RECOUNT_S = 0.5
"""Seconds of quiet after new text before the sidebar counts are read again."""


class FulltextController:
    """Fetches of articles' pages under way, and what their outcome changes on screen."""

    def __init__(self, screen: MainScreen, config: Config, db_path: Path) -> None:
        self.screen = screen
        self.config = config
        self.db_path = db_path
        self.fetching: dict[int, int] = {}
        """Full-text fetches under way: worker id → article id."""

    def start(self, article_id: int) -> None:
        """Fetch an article's page in the background (status line shows it under way)."""
        screen = self.screen
        if article_id in self.fetching.values():
            screen.notify("Already fetching this article's full text.", markup=False)
            return
        worker = screen.run_worker(
            self._fetch(article_id),
            name="fetch_fulltext",
            group="fulltext",
            exit_on_error=False,
        )
        self.fetching[id(worker)] = article_id
        screen.update_status(activity=screen.activity_text())

    def note(self) -> str | None:
        """The status line's note on fetches under way, if any."""
        count = len(self.fetching)
        if not count:
            return None
        return "fetching full text…" if count == 1 else f"fetching full text of {count} articles…"

    async def _fetch(self, article_id: int) -> None:
        """The worker: fetch, extract and store the full text of one article, then report."""
        from natoread.core.feeds.fulltext import fulltext_for_articles

        notes = await fulltext_for_articles(self.config, self.db_path, [article_id])
        note = notes[0][1] if notes else "full text unavailable: the article is no longer stored"
        self.screen.post_message(FulltextFetched(article_id, note))

    async def fetched(self, message: FulltextFetched) -> None:
        """Show the new text (body, topics, quotes) if the article is open, and the note."""
        screen = self.screen
        self.fetching = {w: a for w, a in self.fetching.items() if a != message.article_id}
        screen.update_status(activity=screen.activity_text())
        screen.article_list.forget_rows()
        screen.debounce.later("sidebar", SIDEBAR_RECOUNT_S, screen.listing.refresh_sidebar)
        if screen.reader.article_id == message.article_id:
            try:
                detail = article_detail(screen.store, message.article_id)
                if detail is not None:
                    await screen.articles.show_in_reader(detail)
            except STORE_FAILURES as exc:
                screen.store_failed(exc)
        failed = "unavailable" in message.note
        screen.notify(message.note, severity="warning" if failed else "information", markup=False)

    def worker_changed(self, event: Worker.StateChanged) -> None:
        """A fetch that crashed or was cancelled must not stay on the status line."""
        if event.state not in (WorkerState.ERROR, WorkerState.CANCELLED):
            return
        screen = self.screen
        self.fetching.pop(id(event.worker), None)
        screen.update_status(activity=screen.activity_text())
        if event.state == WorkerState.ERROR:
            error = f"Full text failed: {event.worker.error}"
            screen.notify(error, severity="error", markup=False)
