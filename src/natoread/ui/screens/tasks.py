"""Background work of the main screen: poll passes and full-text fetches, as workers that
report through messages; the handlers here own the state they change."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import TYPE_CHECKING

from textual import work
from textual.worker import Worker, WorkerState

from natoread.core.config import Config
from natoread.core.storage.store import Store
from natoread.ui.messages import (
    ArticlesArrived,
    FeedFailed,
    FulltextFetched,
    PollFinished,
    PollProgress,
    PollStarted,
    RetagProgress,
)
from natoread.ui.screens.keeper import StoreKeeper
from natoread.ui.store_writes import STORE_FAILURES

if TYPE_CHECKING:
    from collections.abc import Callable

    from natoread.core.analysis.analyser import Analyser
    from natoread.core.polling.plan import PollPlan


def _prepare_poll(
    config: Config, db_path: Path, force: bool, progress: Callable[[int, int], None]
) -> tuple[PollPlan, Analyser]:
    """Compile topics, re-tag stored articles if the rules changed (reporting `progress`),
    and plan the pass.

    The background schedule polls the feeds that are due; a manual refresh (`force`) all.
    """
    # The pass's modules (the poller, HTTP, parsing) are imported here, on this thread:
    # imported by `poll_feeds` they held up the event loop for ~0.1 s at the first poll.
    import httpx  # noqa: F401

    import natoread.core.polling.run  # noqa: F401
    from natoread.core.polling.plan import analyser_for, now_epoch, plan_poll, sync_topics

    analyser = analyser_for(config)
    with Store(db_path) as store:
        sync_topics(store, analyser, progress)
        plan = plan_poll(config, store, now=now_epoch(), force=force, due_only=not force)
        return plan, analyser


class ReaderTasks(StoreKeeper):
    """The reader with its poll schedule and full-text fetches."""

    def on_mount(self) -> None:
        if self.autopoll and any(feed.enabled for feed in self.config.feeds):
            self.call_after_refresh(self.start_poll, False)
            intervals = [f.refresh_s for f in self.config.feeds if f.refresh_s]
            every = max(60, min([self.config.settings.refresh_s, *intervals]))
            self.set_interval(every, lambda: self.start_poll(False))

    # -- polling ------------------------------------------------------------------------------

    def start_poll(self, force: bool) -> None:
        """Start a poll pass unless one is already running."""
        self.store_replaced()
        if self.polling is not None:
            if force:
                self.notify("A poll is already running.", markup=False)
            return
        self.polling = (0, 0)
        self.update_status()
        self.update_empty_state()
        self.poll_feeds(force)

    @work(exclusive=True, group="poll", exit_on_error=False)
    async def poll_feeds(self, force: bool) -> None:
        """Poll the due feeds (all with `force`), reporting each outcome as a message."""
        from natoread.core.polling.run import run_poll

        plan, analyser = await asyncio.to_thread(
            _prepare_poll,
            self.config,
            self.db_path,
            force,
            self._report_retag,
        )
        total = len(plan.due)
        self.post_message(PollStarted(total))
        done = new = failed = 0
        new_ids: list[int] = []
        async for outcome in run_poll(self.config, plan, self.db_path, analyser=analyser):
            done += 1
            if outcome.new_ids:
                new += len(outcome.new_ids)
                new_ids.extend(outcome.new_ids)
                self.post_message(
                    ArticlesArrived(outcome.feed_url, outcome.feed_title, outcome.new_ids)
                )
            if outcome.failed:
                failed += 1
                self.post_message(
                    FeedFailed(outcome.feed_url, outcome.feed_title, outcome.error or "failed")
                )
            self.post_message(PollProgress(done, total))
        self.post_message(PollFinished(new, failed))
        if new_ids and self.config.settings.notify_topics:
            titles = await asyncio.to_thread(self._notify_new, new_ids)
            for title in titles[:3]:
                self.notify(title, title="New in your topics", markup=False)

    def _notify_new(self, article_ids: list[int]) -> list[str]:
        """Bell and notification command for new articles in the notification topics."""
        from natoread.core.storage.store import Store
        from natoread.core.system.notify import notify_new

        with Store(self.db_path) as store:
            rows = notify_new(
                store,
                article_ids,
                self.config.settings,
                ring=lambda: self.app.call_from_thread(self.app.bell),
            )
        return [row.title for row in rows]

    def _report_retag(self, done: int, total: int) -> None:
        """Re-tagging progress, from the planning thread to the status line."""
        self.post_message(RetagProgress(done, total))

    def on_retag_progress(self, message: RetagProgress) -> None:
        self.retagging = (message.done, message.total)
        self.update_status(activity=self.activity_text())

    def on_poll_started(self, message: PollStarted) -> None:
        self.polling = (0, message.total)
        self.retagging = None
        self.update_status(activity=self.activity_text())
        self.update_empty_state()

    def on_poll_progress(self, message: PollProgress) -> None:
        if self.polling is not None:
            self.polling = (message.done, message.total)
            self.update_status()

    def on_articles_arrived(self, message: ArticlesArrived) -> None:
        self.new_articles += len(message.new_ids)
        self.later("reload", 0.3, self.reload)
        self.later("sidebar", 0.6, self.refresh_sidebar)

    def on_feed_failed(self, message: FeedFailed) -> None:
        self.later("sidebar", 0.6, self.refresh_sidebar)

    def on_poll_finished(self, message: PollFinished) -> None:
        self.polling = None
        for timer in self._debouncers.values():
            timer.stop()
        self._debouncers.clear()
        self.reload()
        self.refresh_sidebar()  # also shows the last fetch the store recorded as "last poll"
        self.update_status()
        if message.new_articles:
            noun = "article" if message.new_articles == 1 else "articles"
            self.notify(f"{message.new_articles} new {noun}", markup=False)

    # -- full text ----------------------------------------------------------------------------

    def start_fulltext(self, article_id: int) -> None:
        """Fetch an article's page in the background (status line shows it under way)."""
        if article_id in self.fetching.values():
            self.notify("Already fetching this article's full text.", markup=False)
            return
        worker = self.fetch_fulltext(article_id)
        self.fetching[id(worker)] = article_id
        self.update_status(activity=self.activity_text())

    def activity_text(self) -> str:
        """The status line's note on work under way besides polling feeds."""
        notes: list[str] = []
        if self.retagging is not None:
            done, total = self.retagging
            notes.append(f"topic rules changed: re-tagging {done:,}/{total:,} articles")
        count = len(self.fetching)
        if count:
            notes.append(
                "fetching full text…" if count == 1 else f"fetching full text of {count} articles…"
            )
        return " · ".join(notes)

    @work(group="fulltext", exit_on_error=False)
    async def fetch_fulltext(self, article_id: int) -> None:
        """Fetch, extract and store the full text of one article, then report the note."""
        from natoread.core.feeds.fulltext import fulltext_for_articles

        notes = await fulltext_for_articles(self.config, self.db_path, [article_id])
        note = notes[0][1] if notes else "full text unavailable: the article is no longer stored"
        self.post_message(FulltextFetched(article_id, note))

    async def on_fulltext_fetched(self, message: FulltextFetched) -> None:
        """Show the new text (body, topics, quotes) if the article is open, and the note."""
        self.fetching = {w: a for w, a in self.fetching.items() if a != message.article_id}
        self.update_status(activity=self.activity_text())
        self.article_list.forget_rows()
        self.later("sidebar", 0.5, self.refresh_sidebar)
        if self.reader.article_id == message.article_id:
            try:
                detail = self.store.get_article(message.article_id)
                if detail is not None:
                    await self.show_in_reader(detail)
            except STORE_FAILURES as exc:
                self.store_failed(exc)
        failed = "unavailable" in message.note
        self.notify(message.note, severity="warning" if failed else "information", markup=False)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """A poll or fetch that crashed or was cancelled must not stay on the status line."""
        if event.worker.group == "fulltext":
            if event.state in (WorkerState.ERROR, WorkerState.CANCELLED):
                self.fetching.pop(id(event.worker), None)
                self.update_status(activity=self.activity_text())
                if event.state == WorkerState.ERROR:
                    error = f"Full text failed: {event.worker.error}"
                    self.notify(error, severity="error", markup=False)
            return
        if event.worker.group != "poll":
            return
        if event.state in (WorkerState.ERROR, WorkerState.CANCELLED):
            self.polling = None
            self.retagging = None
            self.update_status(activity=self.activity_text())
            if event.state == WorkerState.ERROR:
                self.notify(f"Poll failed: {event.worker.error}", severity="error", markup=False)
