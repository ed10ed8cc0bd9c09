"""Poll passes of the main screen: the schedule, the pass as a worker that reports through
messages, its progress on the status line, and the notifications of new articles."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import TYPE_CHECKING

from textual.content import Content
from textual.worker import Worker, WorkerState

from natoread.core.config import Config
from natoread.core.errors import unexpected_error
from natoread.core.storage.store import Store
from natoread.core.text.sanitize import clean_line
from natoread.ui.messages import (
    ArticlesArrived,
    FeedFailed,
    PollFinished,
    PollProgress,
    PollStarted,
    RetagProgress,
)
from natoread.ui.screens.errors import unreachable_line

if TYPE_CHECKING:
    from collections.abc import Callable

    from natoread.core.analysis.analyser import Analyser
    from natoread.core.polling.plan import PollPlan
    from natoread.core.system.notify import Notified
    from natoread.ui.screens.main import MainScreen

MIN_INTERVAL_S = 60
"""Shortest time between scheduled passes, whatever the feeds ask for."""
RELOAD_AFTER_ARRIVAL_S = 0.3
"""Seconds of quiet in arriving articles before the list is read again."""
RECOUNT_AFTER_OUTCOME_S = 0.6
"""Seconds of quiet in feed outcomes before the sidebar counts are read again."""
SHOWN_NOTICES = 3
"""New articles in the notification topics shown one notice each; the rest are counted."""


def _prepare_poll(
    config: Config, db_path: Path, force: bool, progress: Callable[[int, int], None]
) -> tuple[PollPlan, Analyser, frozenset[int]]:
    """Compile topics, re-tag stored articles if the rules changed (reporting `progress`),
    plan the pass, and note the feeds past their first poll (whose new articles may notify).

    The background schedule polls the feeds that are due; a manual refresh (`force`) all.
    """
    # The pass's modules (the poller, HTTP, parsing) are imported here, on this thread:
    # imported by `poll_feeds` they held up the event loop at the first poll.
    import httpx  # noqa: F401

    import natoread.core.polling.run  # noqa: F401
    from natoread.core.polling.plan import analyser_for, now_epoch, plan_poll, sync_topics
    from natoread.core.system.notify import seasoned_feeds

    analyser = analyser_for(config)
    with Store(db_path) as store:
        sync_topics(store, analyser, progress)
        plan = plan_poll(config, store, now=now_epoch(), force=force, due_only=not force)
        seasoned = frozenset[int]()
        if config.settings.notify_topics:
            seasoned = seasoned_feeds(store, [feed.url for feed in config.feeds])
        return plan, analyser, seasoned


class PollController:
    """Starts poll passes (on a schedule, or at `r`) and shows how they go."""

    def __init__(self, screen: MainScreen, config: Config, db_path: Path) -> None:
        self.screen = screen
        self.config = config
        self.db_path = db_path
        self.progress: tuple[int, int] | None = None
        """(feeds done, feeds due) while a pass runs, else None."""
        self.retagging: tuple[int, int] | None = None
        """(done, total) while stored articles are re-tagged under changed topic rules."""
        self.new_articles = 0
        """Articles the passes since start-up stored."""
        self.passes = 0
        """Poll passes finished since start-up."""
        self.pass_errors: list[str] = []
        """The errors of the feeds that failed in the pass under way."""
        self.unreachable: str | None = None
        """Set when every feed of the last pass failed: the one line that says so."""
        self.forced = False
        """The pass under way polls every feed (`r`), not only the due ones."""
        self.force_next = False
        """`r` came during a pass of the due feeds only: every feed is polled when it ends."""

    def schedule(self) -> None:
        """Poll once the screen is shown, then every refresh interval."""
        config = self.config
        if config.sync is not None or any(feed.enabled for feed in config.feeds):
            self.screen.call_after_refresh(self.start, False)
            intervals = [f.refresh_s for f in config.feeds if f.refresh_s]
            every = max(MIN_INTERVAL_S, min([config.settings.refresh_s, *intervals]))
            self.screen.set_interval(every, lambda: self.start(False))

    def start(self, force: bool) -> None:
        """Start a poll pass unless one is already running."""
        screen = self.screen
        screen.keeper.store_replaced()
        if self.progress is not None:
            if force and not self.forced and not self.force_next:
                # The scheduled pass skips feeds that are not due; `r` asks for all of them.
                self.force_next = True
                screen.notify(
                    "A poll is already running; every feed is polled again when it ends.",
                    markup=False,
                )
            elif force:
                screen.notify("A poll is already running.", markup=False)
            return
        self.progress = (0, 0)
        self.forced = force
        screen.update_status()
        screen.listing.update_empty_state()
        screen.run_worker(
            self._poll_feeds(force),
            name="poll_feeds",
            group="poll",
            exclusive=True,
            exit_on_error=False,
        )

    async def _poll_feeds(self, force: bool) -> None:
        """The worker: poll the due feeds (all with `force`), reporting each outcome as a
        message."""
        if self.config.sync is not None:
            await self._sync_pass()
            return
        from natoread.core.polling.run import run_poll

        post = self.screen.post_message
        plan, analyser, seasoned = await asyncio.to_thread(
            _prepare_poll, self.config, self.db_path, force, self._report_retag
        )
        total = len(plan.due)
        post(PollStarted(total))
        done = new = failed = 0
        new_ids: list[int] = []
        async for outcome in run_poll(self.config, plan, self.db_path, analyser=analyser):
            done += 1
            if outcome.new_ids:
                new += len(outcome.new_ids)
                new_ids.extend(outcome.new_ids)
                post(ArticlesArrived(outcome.feed_url, outcome.feed_title, outcome.new_ids))
            if outcome.failed:
                failed += 1
                post(FeedFailed(outcome.feed_url, outcome.feed_title, outcome.error or "failed"))
            post(PollProgress(done, total))
        post(PollFinished(new, failed))
        if new_ids and seasoned and self.config.settings.notify_topics:
            notified = await asyncio.to_thread(self._notify_new, new_ids, seasoned)
            self._show_notified(notified)

    async def _sync_pass(self) -> None:
        """With `[sync]`, a pass is a sync with the feed server (`core/sync`), reported with
        the same messages as a poll pass."""
        from natoread.core.sync.run import sync_run

        post = self.screen.post_message
        post(PollStarted(0))
        result = await asyncio.to_thread(sync_run, self.config, self.db_path, self._report_retag)
        new = failed = 0
        for outcome in result.outcomes:
            if outcome.new_ids:
                new += len(outcome.new_ids)
                post(ArticlesArrived(outcome.feed_url, outcome.feed_title, outcome.new_ids))
            if outcome.failed:
                failed += 1
                post(FeedFailed(outcome.feed_url, outcome.feed_title, outcome.error or "failed"))
        if result.error:
            failed += 1
            post(FeedFailed(self.config.sync.url if self.config.sync else "", "sync", result.error))
        post(PollFinished(new, failed))

    def _notify_new(self, article_ids: list[int], seasoned: frozenset[int]) -> Notified:
        """Bell and notification command for new articles in the notification topics.

        In a browser (`natoread serve`) the bell and the command would sound and run on the
        server, not where the reader is read: there the page's notices are the only signal.
        """
        from natoread.core.system.notify import notify_new

        app = self.screen.app
        web = app.is_web
        with Store(self.db_path) as store:
            return notify_new(
                store,
                article_ids,
                self.config.settings,
                seasoned=seasoned,
                ring=None if web else lambda: app.call_from_thread(app.bell),
                run_command=not web,
            )

    def _show_notified(self, notified: Notified) -> None:
        """A notice per new article in the topics (a few, then how many more), and any
        problem with the notification command."""
        screen = self.screen
        for row in notified.rows[:SHOWN_NOTICES]:
            title = clean_line(row.title, 200)
            screen.notify(title, title="New in your topics", markup=False)
        more = len(notified.rows) - SHOWN_NOTICES
        if more > 0:
            noun = "article" if more == 1 else "articles"
            screen.notify(f"{more} more new {noun} in your topics", markup=False)
        for problem in (notified.limit_note(), notified.command_failure):
            if problem:
                screen.notify(problem, severity="warning", markup=False)

    def _report_retag(self, done: int, total: int) -> None:
        """Re-tagging progress, from the planning thread to the status line."""
        self.screen.post_message(RetagProgress(done, total))

    def retag_note(self) -> str | None:
        """The status line's note on re-tagging under way, if it is."""
        if self.retagging is None:
            return None
        done, total = self.retagging
        return f"topic rules changed: re-tagging {done:,}/{total:,} articles"

    # -- the pass's messages --------------------------------------------------------------------

    def retag_progressed(self, message: RetagProgress) -> None:
        self.retagging = (message.done, message.total)
        self.screen.update_status(activity=self.screen.activity_text())

    def started(self, message: PollStarted) -> None:
        screen = self.screen
        self.progress = (0, message.total)
        self.pass_errors = []
        self.retagging = None
        screen.update_status(activity=screen.activity_text())
        screen.listing.update_empty_state()

    def progressed(self, message: PollProgress) -> None:
        if self.progress is not None:
            self.progress = (message.done, message.total)
            self.screen.update_status()

    def articles_arrived(self, message: ArticlesArrived) -> None:
        screen = self.screen
        self.new_articles += len(message.new_ids)
        screen.debounce.later("reload", RELOAD_AFTER_ARRIVAL_S, screen.listing.reload)
        screen.debounce.later("sidebar", RECOUNT_AFTER_OUTCOME_S, screen.listing.refresh_sidebar)

    def feed_failed(self, message: FeedFailed) -> None:
        screen = self.screen
        self.pass_errors.append(message.error)
        screen.debounce.later("sidebar", RECOUNT_AFTER_OUTCOME_S, screen.listing.refresh_sidebar)

    def finished(self, message: PollFinished) -> None:
        screen = self.screen
        total = self.progress[1] if self.progress else 0
        self.progress = None
        self.passes += 1
        self._judge_reach(total, message.failed)
        screen.debounce.cancel_all()
        screen.listing.reload()
        screen.listing.refresh_sidebar()  # also shows the last fetch the store recorded
        screen.update_status()
        if message.new_articles:
            noun = "article" if message.new_articles == 1 else "articles"
            screen.notify(f"{message.new_articles} new {noun}", markup=False)
        self._start_forced_if_asked()

    def _judge_reach(self, total: int, failed: int) -> None:
        """After a pass: when every feed failed, say so on the status line (and the empty
        list); once one answers again, take it back."""
        screen = self.screen
        before = self.unreachable
        if total and failed >= total:
            self.unreachable = unreachable_line(total, self.pass_errors)
            screen.update_status(error=self.unreachable)
        elif total:
            self.unreachable = None
            if before is not None and screen.status.error == before:
                screen.update_status(error="")

    def empty_state(self) -> Content | None:
        """The empty list's text after a pass in which no feed could be polled, else None."""
        if self.unreachable is None or self.progress is not None:
            return None
        return Content.assemble(
            ("Nothing arrived.", "bold"),
            f"\n\n{self.unreachable}.\n\nPress r to poll again.",
        )

    def worker_changed(self, event: Worker.StateChanged) -> None:
        """A pass that crashed or was cancelled must not stay on the status line; once a pass
        of the due feeds has ended, the full pass `r` asked for during it starts."""
        if event.state == WorkerState.SUCCESS:
            self._start_forced_if_asked()
            return
        if event.state not in (WorkerState.ERROR, WorkerState.CANCELLED):
            return
        screen = self.screen
        self.progress = None
        self.retagging = None
        screen.update_status(activity=screen.activity_text())
        if event.state == WorkerState.ERROR:
            # The exception's text may quote a feed or a server: bounded and sanitised.
            failure = unexpected_error("polling", event.worker.error or Exception())
            screen.notify(f"Poll failed: {failure}", severity="error", markup=False)
        self._start_forced_if_asked()

    def _start_forced_if_asked(self) -> None:
        """The pass that ended polled only the due feeds while `r` asked for all: poll now
        (once its end is reported and its worker is gone, in whichever order they come)."""
        if not self.force_next or self.progress is not None:
            return
        busy = (WorkerState.PENDING, WorkerState.RUNNING)
        if any(w.group == "poll" and w.state in busy for w in self.screen.workers):
            return
        self.force_next = False
        self.start(True)
