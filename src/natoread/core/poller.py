"""One poll pass: due feeds → conditional GET → parse → topics and quotes → store.

The event loop only does HTTP; parsing, analysis and the SQLite writes run on one worker
thread that owns its own connection, so a UI on the same loop never stalls. Each feed's
articles are committed in one transaction, so an interrupted pass loses at most one feed.
"""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import AsyncIterator, Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

from natoread.core.config import Config, FeedSpec
from natoread.core.errors import NatoreadError
from natoread.core.fetch import Fetcher, FetchLimits, FetchResult, make_client
from natoread.core.models import Analysis, ParsedEntry
from natoread.core.store import Store
from natoread.core.topics import TopicEngine, compile_topics

OutcomeStatus = Literal["ok", "not_modified", "failed", "gone", "retry_later"]
MAX_BACKOFF_S = 24 * 3600


@dataclass(frozen=True, slots=True)
class PollOutcome:
    """What happened to one feed in a pass."""

    feed_url: str
    feed_title: str
    status: OutcomeStatus
    new_ids: tuple[int, ...] = ()
    updated: int = 0
    entries: int = 0
    error: str | None = None

    @property
    def failed(self) -> bool:
        """True when the feed could not be polled."""
        return self.status in ("failed", "gone", "retry_later")


@dataclass(frozen=True, slots=True)
class PollPlan:
    """The feeds a pass will fetch, and those it skips with the reason."""

    due: tuple[tuple[FeedSpec, int], ...]
    skipped: tuple[tuple[FeedSpec, str], ...]


class Analyser:
    """Topics and quotes for an article, with rules compiled once."""

    def __init__(self, engine: TopicEngine) -> None:
        self.engine = engine

    def __call__(self, title: str, body: str) -> Analysis:
        """Analyse one article document (`title + "\\n" + body`)."""
        from natoread.core.quotes import extract_quotes

        return Analysis(self.engine.classify(title, body), extract_quotes(f"{title}\n{body}"))


def analyser_for(config: Config) -> Analyser:
    """An Analyser compiled from the config's topics."""
    return Analyser(compile_topics(config.topics))


def now_epoch() -> int:
    """The current time in integer seconds."""
    return int(datetime.now(UTC).timestamp())


def plan_poll(config: Config, store: Store, *, now: int, force: bool = False) -> PollPlan:
    """Decide which enabled feeds are due (all with `force`, except paused or gone ones)."""
    specs = [f for f in config.feeds if f.enabled]
    ids = store.sync_feeds((f.url, f.title, f.show == "all") for f in specs)
    due: list[tuple[FeedSpec, int]] = []
    skipped: list[tuple[FeedSpec, str]] = []
    for spec in specs:
        state = store.feed_state(ids[spec.url])
        if state.gone and not force:
            skipped.append((spec, "gone (HTTP 410); use --force to try again"))
        elif state.retry_after and state.retry_after > now:
            when = datetime.fromtimestamp(state.retry_after, UTC)
            skipped.append((spec, f"server asked to wait until {when:%Y-%m-%d %H:%M} UTC"))
        elif not force and state.next_fetch and state.next_fetch > now:
            skipped.append((spec, "not due yet"))
        else:
            due.append((spec, state.id))
    return PollPlan(tuple(due), tuple(skipped))


def _backoff(config: Config, spec: FeedSpec, errors: int) -> int:
    """Seconds until the next try after `errors` consecutive failures."""
    base = min(spec.refresh_s or config.settings.refresh_s, 3600)
    return int(min(base * 2 ** min(errors, 8), MAX_BACKOFF_S))


class _Writer:
    """The one thread that parses, analyses and writes to SQLite during a pass."""

    def __init__(self, db_path: Path, config: Config, analyser: Analyser) -> None:
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="natoread-writer")
        self._db_path = db_path
        self._config = config
        self._analyser = analyser
        self._store: Store | None = None

    def store(self) -> Store:
        """The writer thread's own connection (opened lazily on that thread)."""
        if self._store is None:
            self._store = Store(self._db_path)
        return self._store

    async def run(self, func: Callable[[], PollOutcome]) -> PollOutcome:
        """Run `func` on the writer thread."""
        return await asyncio.get_running_loop().run_in_executor(self._executor, func)

    def close(self) -> None:
        """Close the connection on its own thread and stop the thread."""
        if self._store is not None:
            self._executor.submit(self._store.close).result()
        self._executor.shutdown(wait=True)

    def handle(self, spec: FeedSpec, feed_id: int, result: FetchResult, now: int) -> PollOutcome:
        """Record one fetch result and store its articles (runs on the writer thread)."""
        from natoread.core.parser import parse_feed

        store = self.store()
        state = store.feed_state(feed_id)
        title = spec.title or spec.url
        interval = spec.refresh_s or self._config.settings.refresh_s
        if result.status == "not_modified":
            store.record_fetch(feed_id, now=now, next_fetch=now + interval, ok=True, status=304)
            return PollOutcome(spec.url, title, "not_modified")
        if result.status != "ok":
            errors = state.error_count + 1
            retry = int(result.retry_after.timestamp()) if result.retry_after else None
            next_fetch = max(now + _backoff(self._config, spec, errors), retry or 0)
            store.record_fetch(
                feed_id,
                now=now,
                next_fetch=next_fetch,
                ok=False,
                status=result.http_status,
                error=result.error,
                retry_after=retry,
                gone=result.status == "gone",
                moved_to=result.moved_to,
            )
            status: OutcomeStatus = (
                "gone"
                if result.status == "gone"
                else "retry_later"
                if result.status == "retry_later"
                else "failed"
            )
            return PollOutcome(spec.url, title, status, error=result.error)
        digest = hashlib.sha1(result.body).hexdigest()
        if digest == state.body_hash:
            store.record_fetch(
                feed_id,
                now=now,
                next_fetch=now + interval,
                ok=True,
                status=result.http_status,
                etag=result.etag,
                last_modified=result.last_modified,
                moved_to=result.moved_to,
            )
            return PollOutcome(spec.url, title, "not_modified")
        try:
            feed = parse_feed(result.body, result.final_url or spec.url)
        except NatoreadError as exc:
            errors = state.error_count + 1
            store.record_fetch(
                feed_id,
                now=now,
                next_fetch=now + _backoff(self._config, spec, errors),
                ok=False,
                status=result.http_status,
                error=str(exc),
            )
            return PollOutcome(spec.url, title, "failed", error=str(exc))
        analysed: list[tuple[ParsedEntry, Analysis]] = [
            (entry, self._analyser(entry.title, entry.body)) for entry in feed.entries
        ]
        saved = store.save_entries(
            feed_id, analysed, now=now, rules_hash=self._analyser.engine.rules_hash
        )
        store.record_fetch(
            feed_id,
            now=now,
            next_fetch=now + interval,
            ok=True,
            status=result.http_status,
            etag=result.etag,
            last_modified=result.last_modified,
            body_hash=digest,
            moved_to=result.moved_to,
            title=feed.title or None,
            site_url=feed.link,
        )
        return PollOutcome(
            spec.url,
            spec.title or feed.title or spec.url,
            "ok",
            saved.new_ids,
            saved.updated,
            len(feed.entries),
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
    settings = config.settings
    limits = FetchLimits(
        concurrency=settings.concurrency,
        per_host=settings.per_host,
        timeout_s=settings.timeout_s,
        max_bytes=settings.max_bytes,
        user_agent=settings.user_agent,
    )
    writer = _Writer(db_path, config, analyser or analyser_for(config))
    started = now if now is not None else now_epoch()
    try:
        states = await asyncio.get_running_loop().run_in_executor(
            writer._executor,
            lambda: {fid: writer.store().feed_state(fid) for _, fid in plan.due},
        )
        async with make_client(limits) as client:
            fetcher = Fetcher(client, limits)

            async def one(spec: FeedSpec, feed_id: int) -> PollOutcome:
                state = states[feed_id]
                result = await fetcher.fetch(
                    spec.url,
                    state.etag,
                    state.last_modified,
                    now=datetime.fromtimestamp(started, UTC),
                )
                return await writer.run(lambda: writer.handle(spec, feed_id, result, started))

            tasks = [asyncio.ensure_future(one(spec, fid)) for spec, fid in plan.due]
            try:
                for next_done in asyncio.as_completed(tasks):
                    yield await next_done
            finally:
                for task in tasks:
                    task.cancel()
                await asyncio.gather(*tasks, return_exceptions=True)
    finally:
        writer.close()


def sync_topics(
    store: Store, analyser: Analyser, progress: Callable[[int, int], None] | None = None
) -> int:
    """Recompute stored topic verdicts when the rules changed since they were computed."""
    rules = analyser.engine.rules_hash
    if store.get_meta("rules_hash") == rules:
        return 0
    count = store.retopic(analyser.engine.classify, rules, progress=progress)
    store.set_meta("rules_hash", rules)
    return count
