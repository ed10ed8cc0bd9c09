"""One poll pass: due feeds → conditional GET → parse → topics and quotes → store.

The event loop only does HTTP. Each fetched document is ingested (parsed, analysed, stored,
clustered; see `ingest.py`) by the writer thread, and once enough work waits for it
(`POOL_BACKLOG_BYTES`) by worker processes beside it; the writer thread also records each
fetch on its feed row. Nothing blocks the loop, so a UI on it never stalls. Each feed's
articles are committed in one transaction, so an interrupted pass loses at most one feed.
`timeline.py` records when each stage ran, per process, when asked to (NATOREAD_TIMELINE).
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import os
import time
from collections.abc import AsyncIterator, Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from natoread.core.analysis.analyser import Analyser
from natoread.core.config import Config, FeedSpec
from natoread.core.errors import unexpected_error
from natoread.core.feeds.fetch import Fetcher, FetchResult, make_client
from natoread.core.polling import timeline
from natoread.core.polling.ingest import (
    Ingested,
    Ingester,
    ingest_in_worker,
    pool_size,
    worker_pool,
)
from natoread.core.polling.plan import (
    OutcomeStatus,
    PollOutcome,
    PollPlan,
    analyser_for,
    backoff_s,
    fetch_limits,
    now_epoch,
    refresh_s,
)
from natoread.core.storage.store import FetchRecord, Store

MAX_FULLTEXT_PER_FEED = 30
"""Article pages fetched per feed and pass when the feed has `fulltext = true`."""
POOL_BACKLOG_BYTES = 2_000_000
"""Feed documents waiting for the writer thread, in bytes, that start the worker processes.

A pass whose documents the writer thread clears about as fast as they arrive finishes
sooner without processes to start (each imports the ingest code and compiles the topic
rules); the pool is worth it only when this much work is already waiting, about half a
second of one core's parsing and analysis. So the choice follows the work the pass meets,
not the number of feeds it has."""
MAX_BODIES_IN_FLIGHT = 48
"""Feeds fetched but not yet stored, at most: bounds memory when parsing lags behind."""
RECORDS_PER_WRITE = 64
"""Fetch outcomes written on the feed rows in one transaction (a 304 pass is mostly these)."""
RECORDS_MAX_AGE_S = 1.0
"""…or as soon as the oldest waiting outcome is this old, so the reader's feed list is fresh."""
UPKEEP_EVERY_S = 1.0
"""How often the writer thread looks at the WAL's size and the search backlog."""
CHECKPOINT_WAL_BYTES = 16 * 2**20
"""A WAL this big is checkpointed mid-pass; a smaller one waits for the pass's end, which
checkpoints once (each checkpoint syncs the file to disk)."""
INDEX_BATCH = 2000
"""Articles waiting for the search index that make the writer thread index them mid-pass
(big batches are several times cheaper than one feed at a time; the pass indexes the rest
when it ends)."""
T = TypeVar("T")

if TYPE_CHECKING:
    from concurrent.futures import ProcessPoolExecutor

    from natoread.core.triage.apply import RuleJudge


def rule_judge(config: Config) -> RuleJudge | None:
    """The config's `[[rules]]`, ready to judge new articles (None without rules)."""
    if not config.rules:
        return None
    from natoread.core.triage.apply import RuleJudge

    return RuleJudge(config.rules, config.feeds)


class _Writer:
    """The thread that owns the pass's SQLite connection (and ingests small passes)."""

    def __init__(self, db_path: Path, config: Config, analyser: Analyser) -> None:
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="natoread-writer")
        self._config = config
        self._db_path = db_path
        # Its commits never checkpoint the WAL either: they run under the write lock, where
        # SQLite's automatic checkpoint (once the WAL holds 1,000 pages, which the workers'
        # commits keep it above) copied every page written since the last one while every
        # writer waited. `upkeep` checkpoints instead.
        self.ingester = Ingester(
            db_path,
            analyser,
            checkpoints=False,
            max_items=config.settings.max_items,
            rules=rule_judge(config),
        )
        # Fetch outcomes wait here and are written in batches. Articles are always committed
        # before their feed's outcome, so a crash loses at most outcomes (the next pass
        # fetches those feeds again), never articles behind a recorded ETag.
        self._records: list[FetchRecord] = []
        self._oldest = 0.0
        self._upkept = time.monotonic()

    def store(self) -> Store:
        """The writer thread's connection."""
        return self.ingester.store()

    async def run(self, func: Callable[[], T]) -> T:
        """Run `func` on the writer thread."""
        return await asyncio.get_running_loop().run_in_executor(self._executor, func)

    async def write(self, func: Callable[[], T]) -> T:
        """Run `func` on the writer thread holding the pass's write lock."""

        def locked() -> T:
            with self.ingester.write_lock:
                result = func()
            self.upkeep()
            return result

        return await self.run(locked)

    def upkeep(self, *, final: bool = False) -> None:
        """Index waiting articles in big batches, and checkpoint the WAL (writer thread).

        At most every UPKEEP_EVERY_S during a pass, and once more when it ends. No commit of
        the pass checkpoints (automatic checkpoints are off on every connection of the pass).
        A checkpoint first runs outside the write lock, so copying the bulk of the pages
        never stalls the ingest workers; then again under the lock, where it only copies
        what was written meanwhile. That second one completes (no writer is adding pages), so
        the next commit starts the WAL over: without it the WAL only grew (636 MB at the end
        of a 1,000-feed cold pass, against 64 MB).
        """
        if not final and time.monotonic() - self._upkept < UPKEEP_EVERY_S:
            return
        self._upkept = time.monotonic()
        store = self.store()
        if final or store.pending_count() >= INDEX_BATCH:
            with self.ingester.write_lock:
                store.index_pending()
        if not final and self._wal_bytes() < CHECKPOINT_WAL_BYTES:
            return
        store.checkpoint()
        with self.ingester.write_lock:
            store.checkpoint()

    def _wal_bytes(self) -> int:
        """The size of the store's write-ahead log (0 when there is none)."""
        try:
            return os.stat(f"{self._db_path}-wal").st_size
        except OSError:
            return 0

    def record(self, record: FetchRecord) -> None:
        """Queue a fetch outcome; write the queue when it is full or old enough.

        Only writing takes the write lock: queuing an outcome never waits for the ingesters.
        """
        if not self._records:
            self._oldest = time.monotonic()
        self._records.append(record)
        if (
            len(self._records) >= RECORDS_PER_WRITE
            or time.monotonic() - self._oldest >= RECORDS_MAX_AGE_S
        ):
            self.flush()
        self.upkeep()

    def flush(self) -> None:
        """Write the queued fetch outcomes (on the writer thread, taking the write lock)."""
        records, self._records = self._records, []
        if records:
            with self.ingester.write_lock:
                self.store().record_fetches(records)

    def close(self) -> None:
        """Write what is queued, close the connection on its own thread, stop the thread."""

        def finish() -> None:
            try:
                self.flush()
                self.upkeep(final=True)
            finally:
                self.ingester.close()

        try:
            self._executor.submit(finish).result()
        finally:
            self._executor.shutdown(wait=True)

    def changed_digest(self, feed_id: int, body: bytes) -> str | None:
        """The hash of a 200 body, or None when it is byte-identical to the last one stored
        (a server that sent no 304)."""
        digest = hashlib.sha1(body).hexdigest()
        return None if digest == self.store().feed_state(feed_id).body_hash else digest

    def failed(
        self, spec: FeedSpec, feed_id: int, result: FetchResult, error: str, now: int
    ) -> PollOutcome:
        """Record a failure with backoff (and the server's Retry-After, if any)."""
        errors = self.store().feed_state(feed_id).error_count + 1
        retry = int(result.retry_after.timestamp()) if result.retry_after else None
        self.record(
            FetchRecord(
                feed_id,
                now=now,
                next_fetch=max(now + backoff_s(self._config, spec, errors), retry or 0),
                ok=False,
                status=result.http_status,
                error=error,
                retry_after=retry,
                gone=result.status == "gone",
                moved_to=result.moved_to,
            )
        )
        status: OutcomeStatus = (
            "gone"
            if result.status == "gone"
            else "retry_later"
            if result.status == "retry_later"
            else "failed"
        )
        return PollOutcome(spec.url, spec.title or spec.url, status, error=error)

    def handle(
        self,
        spec: FeedSpec,
        feed_id: int,
        result: FetchResult,
        ingested: Ingested | None,
        now: int,
        digest: str | None = None,
    ) -> PollOutcome:
        """Record one fetch on the feed row (its articles were stored by the ingester;
        `digest` is the body's hash from `changed_digest`)."""
        interval = refresh_s(self._config, spec)
        if result.status not in ("ok", "not_modified"):
            return self.failed(spec, feed_id, result, result.error or result.status, now)
        if ingested is not None and ingested.error is not None:
            return self.failed(spec, feed_id, result, ingested.error, now)
        self.record(
            FetchRecord(
                feed_id,
                now=now,
                next_fetch=now + interval,
                ok=True,
                status=result.http_status,
                etag=result.etag,
                last_modified=result.last_modified,
                body_hash=digest if ingested else None,
                moved_to=result.moved_to,
                title=ingested.title if ingested else None,
                site_url=ingested.site_url if ingested else None,
                warning=ingested.warning if ingested else None,
                unchanged=ingested is None,
            )
        )
        if ingested is None:
            return PollOutcome(spec.url, spec.title or spec.url, "not_modified")
        return PollOutcome(
            spec.url,
            spec.title or ingested.title or spec.url,
            "ok",
            ingested.new_ids,
            ingested.updated,
            ingested.entries,
        )


async def run_poll(
    config: Config,
    plan: PollPlan,
    db_path: Path,
    *,
    analyser: Analyser | None = None,
    now: int | None = None,
) -> AsyncIterator[PollOutcome]:
    """Fetch every due feed concurrently, yielding one outcome per feed as it finishes."""
    if not plan.due:
        return
    limits = fetch_limits(config)
    analyser = analyser or analyser_for(config)
    writer = _Writer(db_path, config, analyser)
    # Documents are ingested by the writer thread, one at a time, until the work waiting
    # for it is worth starting processes for (POOL_BACKLOG_BYTES); the pool starts beside
    # the pass, so no document ever waits for processes to start. Once it is up, each
    # document goes to the writer thread or a worker, whichever is free first: documents
    # are never queued inside the pool, where one would wait for a busy worker while the
    # writer thread idles.
    pool: ProcessPoolExecutor | None = None
    pool_starting: asyncio.Task[None] | None = None
    can_pool = (os.cpu_count() or 1) > 1
    waiting_bytes = 0
    writer_free = True
    pool_free = pool_size()  # workers without a document
    turn = asyncio.Condition()
    in_flight = asyncio.Semaphore(MAX_BODIES_IN_FLIGHT)
    started = now if now is not None else now_epoch()
    fetch_now = datetime.fromtimestamp(started, UTC)
    loop = asyncio.get_running_loop()

    async def start_pool() -> None:
        """Start the workers on a thread; then hand the writer thread their write lock
        (between two of its jobs, so it holds neither lock), and only then send them work."""
        nonlocal pool
        try:
            with timeline.span("start worker pool"):
                new_pool, lock = await asyncio.to_thread(
                    worker_pool,
                    db_path,
                    config.topics,
                    config.settings.max_items,
                    rule_judge(config),
                )
        except Exception as exc:  # no processes here: the writer thread does it all
            timeline.mark("worker pool did not start", error=repr(exc))
            return

        def share_lock() -> None:
            writer.ingester.write_lock = lock

        await writer.run(share_lock)
        async with turn:
            pool = new_pool
            turn.notify_all()

    async def in_pool(feed_id: int, body: bytes, url: str, all_quotes: bool) -> Ingested | None:
        """Ingest in a worker process; None when the pool broke (a worker was killed)."""
        nonlocal pool
        from concurrent.futures.process import BrokenProcessPool

        assert pool is not None
        args = (feed_id, body, url, started, all_quotes)
        try:
            if timeline.enabled():
                return await loop.run_in_executor(
                    pool, timeline.timed, "ingest (worker)", ingest_in_worker, *args
                )
            return await loop.run_in_executor(pool, ingest_in_worker, *args)
        except BrokenProcessPool:
            pool = None
            return None

    async def ingest(feed_id: int, body: bytes, url: str, all_quotes: bool) -> Ingested:
        nonlocal pool_starting, waiting_bytes, writer_free, pool_free

        def on_writer() -> Ingested:
            with timeline.span("ingest (writer thread)", feed=feed_id):
                return writer.ingester.ingest_safely(feed_id, body, url, started, all_quotes)

        def my_turn() -> bool:
            return writer_free or (pool is not None and pool_free > 0)

        waiting_bytes += len(body)
        if can_pool and pool_starting is None and waiting_bytes >= POOL_BACKLOG_BYTES:
            pool_starting = asyncio.create_task(start_pool())
        try:
            while True:
                async with turn:
                    await turn.wait_for(my_turn)
                    on_thread = writer_free or pool is None
                    if on_thread:
                        writer_free = False
                    else:
                        pool_free -= 1
                if not on_thread:
                    try:
                        ingested = await in_pool(feed_id, body, url, all_quotes)
                    finally:
                        async with turn:
                            pool_free += 1
                            turn.notify_all()
                    if ingested is not None:
                        return ingested
                    continue
                try:
                    return await writer.run(on_writer)
                finally:
                    async with turn:
                        writer_free = True
                        turn.notify_all()
        finally:
            waiting_bytes -= len(body)

    try:
        with timeline.span("open the pass's connection"):
            states = await writer.run(lambda: writer.store().feed_states())
        async with make_client(limits) as client:
            fetcher = Fetcher(client, limits)

            async def poll_feed(spec: FeedSpec, feed_id: int) -> PollOutcome:
                state = states[feed_id]
                async with in_flight:
                    with timeline.span("fetch", feed=feed_id):
                        result = await fetcher.fetch(
                            spec.url, state.etag, state.last_modified, now=fetch_now
                        )
                    ingested = digest = None
                    if result.status == "ok":
                        digest = await writer.run(
                            lambda: writer.changed_digest(feed_id, result.body)
                        )
                    if digest is not None:
                        url = result.final_url or spec.url
                        ingested = await ingest(feed_id, result.body, url, spec.show == "all")
                    outcome = await writer.run(
                        lambda: writer.handle(spec, feed_id, result, ingested, started, digest)
                    )
                if spec.fulltext and outcome.new_ids:
                    await _fetch_fulltexts(fetcher, writer, analyser, outcome.new_ids)
                return outcome

            async def one(spec: FeedSpec, feed_id: int) -> PollOutcome:
                """`poll_feed`, sealed: whatever goes wrong is this feed's error alone."""
                try:
                    return await poll_feed(spec, feed_id)
                except Exception as exc:
                    error = unexpected_error("polling", exc)
                failed = FetchResult("error", error=error)
                try:
                    return await writer.run(
                        lambda: writer.failed(spec, feed_id, failed, error, started)
                    )
                except Exception:  # the store itself fails: the outcome still says why
                    return PollOutcome(spec.url, spec.title or spec.url, "failed", error=error)

            tasks = [asyncio.ensure_future(one(spec, fid)) for spec, fid in plan.due]
            try:
                for next_done in asyncio.as_completed(tasks):
                    yield await next_done
            finally:
                for task in tasks:
                    task.cancel()
                await asyncio.gather(*tasks, return_exceptions=True)
    finally:
        if pool_starting is not None:
            # A pool still starting is waited for (its thread cannot be stopped) and stopped.
            with contextlib.suppress(BaseException):
                await asyncio.shield(pool_starting)
        if pool is not None:
            with timeline.span("stop worker pool"):
                pool.shutdown(wait=True, cancel_futures=True)
        with timeline.span("writer: last outcomes, search index, checkpoint"):
            writer.close()


async def _fetch_fulltexts(
    fetcher: Fetcher, writer: _Writer, analyser: Analyser, article_ids: tuple[int, ...]
) -> None:
    """Replace new articles' summaries with their pages' main text (fulltext = true feeds)."""
    from natoread.core.feeds.fulltext import fetch_fulltext, store_fulltext
    from natoread.core.reading import article_detail

    async def one(article_id: int) -> None:
        # Reading may write (deferred quotes), so every store call here takes the write lock.
        detail = await writer.write(lambda: article_detail(writer.store(), article_id))
        if detail is None:
            return
        result = await fetch_fulltext(fetcher, detail.row.link)
        await writer.write(
            lambda: store_fulltext(writer.store(), article_id, detail.row.title, result, analyser)
        )

    async def sealed(article_id: int) -> None:
        # A page that cannot be read leaves the summary; the feed's poll still succeeded.
        with contextlib.suppress(Exception):
            await one(article_id)

    await asyncio.gather(*(sealed(i) for i in article_ids[:MAX_FULLTEXT_PER_FEED]))
