"""Parse → analyse → store one fetched feed document.

For big passes this runs in worker processes, each with its own SQLite connection, compiled
topic rules and story cache, so parsing, analysis and writing use every core and the event
loop only does HTTP. The writers take turns through the pass's write lock; each feed's
articles and stories are one transaction, and everything that needs no database is done
before the lock is taken. Small passes run the same code on one writer thread.
"""

from __future__ import annotations

import contextlib
import os
import sys
import threading
import time
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from natoread.core.analysis.analyser import Analyser
from natoread.core.analysis.records import Analysis
from natoread.core.analysis.stories.similarity import TextCache, entry_story_text
from natoread.core.analysis.topics.rules import TopicSpec
from natoread.core.errors import NatoreadError, StoreError, unexpected_error
from natoread.core.feeds.documents import ParsedEntry, ParsedFeed
from natoread.core.storage.clustering import assign_stories, prematch_stories
from natoread.core.storage.store import Store, prepare_entries, published_epoch

if TYPE_CHECKING:
    from concurrent.futures import ProcessPoolExecutor

    from natoread.core.triage.apply import RuleJudge, Verdict


INGEST_BUDGET_S = 20.0
"""Time one document's analysis may take. Every step is bounded on its own, but a feed of
thousands of long items still must not hold a worker (or a small pass) for minutes."""


@dataclass(frozen=True, slots=True)
class Ingested:
    """What storing one feed document changed (or why it could not be read)."""

    new_ids: tuple[int, ...] = ()
    updated: int = 0
    entries: int = 0
    title: str | None = None
    site_url: str | None = None
    warning: str | None = None
    error: str | None = None
    dropped: int = 0
    """New articles `[[rules]]` kept out of the store."""


class Ingester:
    """Parses, analyses and stores documents through one connection and one story cache."""

    def __init__(
        self,
        db_path: Path,
        analyser: Analyser,
        write_lock: AbstractContextManager[object] | None = None,
        *,
        checkpoints: bool = True,
        budget_s: float = INGEST_BUDGET_S,
        max_items: int | None = None,
        rules: RuleJudge | None = None,
    ) -> None:
        self.analyser = analyser
        self.rules = rules
        self.budget_s = budget_s
        self.max_items = max_items
        self.write_lock: AbstractContextManager[object] = write_lock or contextlib.nullcontext()
        self._checkpoints = checkpoints
        self._db_path = db_path
        self._store: Store | None = None
        self._stories = TextCache()

    def store(self) -> Store:
        """The connection (opened on first use, on the thread or process that uses it)."""
        if self._store is None:
            self._store = Store(self._db_path)
            if not self._checkpoints:
                self._store.defer_checkpoints()
        return self._store

    def close(self) -> None:
        """Close the connection."""
        if self._store is not None:
            self._store.close()
            self._store = None

    def ingest(self, feed_id: int, body: bytes, url: str, now: int, all_quotes: bool) -> Ingested:
        """Parse `body`, analyse each entry and store the feed's articles in one transaction."""
        from natoread.core.feeds.parser import parse_feed

        try:
            cap = {} if self.max_items is None else {"max_items": self.max_items}
            feed = parse_feed(body, url, **cap)
        except NatoreadError as exc:
            return Ingested(error=str(exc))
        return self.ingest_parsed(feed_id, feed, url, now, all_quotes)

    def ingest_parsed(
        self, feed_id: int, feed: ParsedFeed, url: str, now: int, all_quotes: bool
    ) -> Ingested:
        """Analyse a parsed document's entries and store them in one transaction (also the
        path of the entries a sync server sends, `core/sync`)."""
        want = True if all_quotes else None
        analysed: list[tuple[ParsedEntry, Analysis]] = []
        warning = feed.warning
        deadline = time.monotonic() + self.budget_s
        for entry in feed.entries:
            analysed.append((entry, self.analyser(entry.title, entry.body, quotes=want)))
            if time.monotonic() > deadline and len(analysed) < len(feed.entries):
                # What was analysed is kept; the rest waits for the document to change.
                stopped = (
                    f"analysis stopped after {self.budget_s:g} s: "
                    f"stored {len(analysed):,} of {len(feed.entries):,} items"
                )
                warning = f"{warning}; {stopped}" if warning else stopped
                break
        # Everything that needs no write lock is done before taking it: the rows' values
        # (hashes, JSON, speaker keys), and for the topic matches that look new, their story
        # texts and sketches, and their comparison with the stories already stored.
        prepared = prepare_entries(analysed)
        store = self.store()
        dropped: list[str] = []
        verdicts: dict[int, Verdict] = {}
        if self.rules:
            from natoread.core.triage.ingest_rules import judge_new_entries

            analysed, prepared, dropped, verdicts = judge_new_entries(
                self.rules, store, feed_id, url, analysed, prepared, now
            )
        matched = [i for i, (_, analysis) in enumerate(analysed) if analysis.topics.matched]
        if matched:
            new = set(store.new_entries(feed_id, prepared))
            matched = [i for i in matched if i in new]
        story_texts = {
            index: (
                entry_story_text(analysed[index][0].title, analysed[index][0].body),
                published_epoch(analysed[index][0], now),
                feed_id,
            )
            for index in matched
        }
        prematched = prematch_stories(store, story_texts, self._stories)
        # One transaction per feed: its articles and their stories (a failure fails the feed,
        # which the next pass fetches again). Stories group the alliance news natoread is for,
        # so only topic matches are clustered (other articles stay single rows), which keeps
        # ingestion fast on busy feeds. The search index is built later, in big batches.
        with self.write_lock, store.transaction():
            saved = store.save_prepared(
                feed_id,
                prepared,
                now=now,
                rules_hash=self.analyser.rules_hash,
                index_now=False,  # the pass indexes everything it saved when it ends
            )
            if verdicts or dropped:
                from natoread.core.triage.ingest_rules import apply_verdicts

                apply_verdicts(
                    store, feed_id, saved.new_ids, saved.new_index, verdicts, dropped, now
                )
            # A matched entry that turned out new only now is read back by assign_stories.
            by_id = {
                article_id: index
                for article_id, index in zip(saved.new_ids, saved.new_index, strict=True)
                if analysed[index][1].topics.matched
            }
            assign_stories(
                store,
                list(by_id),
                self._stories,
                {i: story_texts[x] for i, x in by_id.items() if x in story_texts},
                {i: prematched[x] for i, x in by_id.items() if x in prematched},
            )
        return Ingested(
            new_ids=saved.new_ids,
            updated=saved.updated,
            entries=len(feed.entries),
            title=feed.title or None,
            site_url=feed.link,
            warning=warning,
            dropped=len(dropped),
        )

    def ingest_safely(
        self, feed_id: int, body: bytes, url: str, now: int, all_quotes: bool
    ) -> Ingested:
        """`ingest`, reporting store failures and unexpected bugs as the feed's error."""
        try:
            return self.ingest(feed_id, body, url, now, all_quotes)
        except StoreError as exc:
            return Ingested(error=str(exc))
        except Exception as exc:
            return Ingested(error=unexpected_error("reading the feed", exc))


def _start_resource_tracker() -> None:
    """Start multiprocessing's resource tracker (which the pool's lock needs) with a real
    stderr to hand it: a UI that captures `sys.stderr` gives a fileno of -1 (Textual does),
    and the tracker then fails to start ("bad value(s) in fds_to_keep")."""
    from multiprocessing import resource_tracker

    captured = sys.stderr
    try:
        valid = captured is not None and captured.fileno() >= 0
    except (AttributeError, OSError, ValueError):
        valid = False
    if valid:
        resource_tracker.ensure_running()
        return
    with open(os.devnull, "w", encoding="utf-8") as devnull:
        sys.stderr = devnull
        try:
            resource_tracker.ensure_running()
        finally:
            sys.stderr = captured


_WORKER: Ingester | None = None
PARENT_CHECK_S = 0.5
"""How often a pool worker checks that the process that started it is still alive."""


def _init_worker(
    db_path: Path,
    topics: tuple[TopicSpec, ...],
    write_lock: AbstractContextManager[object],
    parent_pid: int,
    max_items: int | None,
    rules: RuleJudge | None = None,
) -> None:
    """Process-pool initialiser: compile the rules once per worker process.

    Workers never checkpoint the WAL: a checkpoint inside a commit would hold the pass's
    write lock while it copies pages and syncs. The pass's writer thread checkpoints instead,
    outside the lock (see `poller._Writer`).
    """
    global _WORKER
    _WORKER = Ingester(
        db_path, Analyser(topics), write_lock, checkpoints=False, max_items=max_items, rules=rules
    )
    threading.Thread(
        target=_exit_with_parent, args=(parent_pid,), name="natoread-parent", daemon=True
    ).start()


def _exit_with_parent(pid: int) -> None:
    """Leave when the process that started the pool is gone (killed with SIGKILL, say).

    Pool workers wait on a queue whose pipe they hold both ends of, so without this they
    would outlive a killed `natoread fetch` forever. Leaving mid-transaction is safe: SQLite
    rolls the unfinished transaction back.
    """
    while True:
        time.sleep(PARENT_CHECK_S)
        try:
            os.kill(pid, 0)
        except (ProcessLookupError, PermissionError):  # gone, or the pid was reused
            os._exit(1)


def ingest_in_worker(feed_id: int, body: bytes, url: str, now: int, all_quotes: bool) -> Ingested:
    """Process-pool task."""
    assert _WORKER is not None
    return _WORKER.ingest_safely(feed_id, body, url, now, all_quotes)


def pool_size() -> int:
    """How many ingest workers a pool has: one per core but the writer thread's."""
    return max(1, (os.cpu_count() or 2) - 1)


def worker_pool(
    db_path: Path,
    topics: tuple[TopicSpec, ...],
    max_items: int | None = None,
    rules: RuleJudge | None = None,
) -> tuple[ProcessPoolExecutor, AbstractContextManager[object]]:
    """A pool of ingest workers, one per core but one, and the lock all writers of the pass share.

    The pass's writer thread goes on ingesting beside the workers (see `run_poll`), so it
    has the remaining core: a worker more would only compete with it, and each one pays for
    its start-up (imports, compiling the topic rules, warming its caches) again.

    SQLite's own busy handler waits by sleeping in growing steps, which stalls writers that
    take turns hundreds of times a second; an explicit lock hands over at once.
    """
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    _start_resource_tracker()
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["natoread.core.polling.ingest"])
    lock = context.Lock()
    workers = pool_size()
    pool = ProcessPoolExecutor(
        max_workers=workers,
        mp_context=context,
        initializer=_init_worker,
        initargs=(db_path, topics, lock, os.getpid(), max_items, rules),
    )
    # The executor starts a process per task submitted while none is idle: starting them all
    # here (with the fork server) keeps that work off the caller of the first real task.
    for _ in range(workers):
        pool.submit(_ready)
    return pool, lock


def _ready() -> None:
    """A task that does nothing: submitting it starts a worker process."""
