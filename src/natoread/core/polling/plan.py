"""Which feeds a poll pass fetches, and the pass's first step: the 304 probes.

Nothing here imports httpx, asyncio or the parsing and analysis code: a pass in which every
feed answers "304 Not Modified" ends here (see `revalidate.py`), and only the feeds that may
have changed go on to the full pass in `poller.py`.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Literal, NamedTuple

from natoread.core.analysis.analyser import Analyser
from natoread.core.config import Config, FeedSpec
from natoread.core.feeds.http_policy import FetchLimits
from natoread.core.feeds.records import FetchRecord
from natoread.core.polling import timeline
from natoread.core.polling.derived import derivations, sync_derived
from natoread.core.storage.store import Store

OutcomeStatus = Literal["ok", "not_modified", "failed", "gone", "retry_later"]
MAX_BACKOFF_S = 24 * 3600


class PollOutcome(NamedTuple):
    """What happened to one feed in a pass.

    (Named tuples here, not dataclasses: they are cheaper to define, and this module is on
    the path of every cron pass.)
    """

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


class PollPlan(NamedTuple):
    """The feeds a pass will fetch, and those it skips with the reason."""

    due: tuple[tuple[FeedSpec, int], ...]
    skipped: tuple[tuple[FeedSpec, str], ...]


def analyser_for(config: Config) -> Analyser:
    """An Analyser for the config's topics (compiled when first needed)."""
    return Analyser(config.topics)


def fetch_limits(config: Config) -> FetchLimits:
    """The fetch limits the config asks for."""
    settings = config.settings
    return FetchLimits(
        concurrency=settings.concurrency,
        per_host=settings.per_host,
        timeout_s=settings.timeout_s,
        max_bytes=settings.max_bytes,
        user_agent=settings.user_agent,
    )


def now_epoch() -> int:
    """The current time in integer seconds."""
    return int(datetime.now(UTC).timestamp())


def plan_poll(
    config: Config, store: Store, *, now: int, force: bool = False, due_only: bool = False
) -> PollPlan:
    """Decide which enabled feeds a pass fetches.

    By default every feed is fetched (conditional GET makes that cheap), except feeds backing
    off after failures, feeds whose server asked to wait (Retry-After) and gone (410) feeds.
    `due_only` also skips feeds polled less than their refresh interval ago (the reader's
    background schedule); `force` fetches backing-off and gone feeds too. A server's
    Retry-After is always honoured.
    """
    specs = [f for f in config.feeds if f.enabled]
    ids = store.sync_feeds((f.url, f.title, f.show == "all") for f in specs)
    if config.rules or store.get_meta("rules:applied"):
        # Changed [[rules]] reach the stored articles before new ones come (the reader's
        # passes too; `natoread fetch` has done it already, with a progress bar).
        from natoread.core.triage.apply import sync_rules

        sync_rules(store, config.rules, config.feeds)
    states = store.feed_states()
    due: list[tuple[FeedSpec, int]] = []
    skipped: list[tuple[FeedSpec, str]] = []
    for spec in specs:
        state = states[ids[spec.url]]
        waiting = bool(state.next_fetch and state.next_fetch > now)
        if state.gone and not force:
            skipped.append((spec, "gone (HTTP 410); use --force to try again"))
        elif state.retry_after and state.retry_after > now:
            when = datetime.fromtimestamp(state.retry_after, UTC)
            skipped.append((spec, f"server asked to wait until {when:%Y-%m-%d %H:%M} UTC"))
        elif waiting and state.error_count and not force:
            failures = f"{state.error_count} failure{'s' if state.error_count > 1 else ''}"
            skipped.append((spec, f"backing off after {failures}; use --force to try now"))
        elif waiting and due_only and not force:
            skipped.append((spec, "not due yet"))
        else:
            due.append((spec, state.id))
    return PollPlan(tuple(due), tuple(skipped))


def backoff_s(config: Config, spec: FeedSpec, errors: int) -> int:
    """Seconds until the next try after `errors` consecutive failures."""
    base = min(spec.refresh_s or config.settings.refresh_s, 3600)
    return int(min(base * 2 ** min(errors, 8), MAX_BACKOFF_S))


def sync_topics(
    store: Store, analyser: Analyser, progress: Callable[[int, int], None] | None = None
) -> int:
    """Re-derive stored outputs made under other rules or versions (topic verdicts when the
    rules changed, content hashes, speakers and stories when their code's version did; see
    `derived.py`); returns the rows re-derived."""
    return sync_derived(store, derivations(analyser), progress)


def refresh_s(config: Config, spec: FeedSpec) -> int:
    """Seconds between two polls of `spec` on the reader's schedule."""
    return spec.refresh_s or config.settings.refresh_s


def settle_unchanged(
    config: Config,
    store: Store,
    plan: PollPlan,
    *,
    now: int,
    on_outcome: Callable[[PollOutcome], None] | None = None,
) -> PollPlan:
    """Probe the due feeds that answered 304 last time; record those that still do.

    Returns the plan for the other feeds, which the full pass fetches. Only a feed whose last
    fetch was a clean 304 is probed: one that changed last time will likely change again, and
    probing it would cost its server a second request; so would a feed that moved (the probe
    does not follow redirects).
    """
    specs: dict[int, FeedSpec] = {}
    # Imported here: a sync pass (core/sync) uses this module but never probes.
    from natoread.core.feeds.probe import Probe, unchanged_feeds

    probes: list[Probe] = []
    states = store.feed_states()
    for spec, feed_id in plan.due:
        state = states[feed_id]
        if state.last_status == 304 and not state.error_count and not state.moved_to:
            specs[feed_id] = spec
            probes.append(Probe(feed_id, spec.url, state.etag, state.last_modified))
    if not probes:
        return plan
    settings = config.settings  # the same limits as the full pass (`fetch_limits`)
    with timeline.span("304 probes", feeds=len(probes)):
        unchanged = unchanged_feeds(
            probes,
            user_agent=settings.user_agent,
            concurrency=settings.concurrency,
            per_host=settings.per_host,
            timeout_s=settings.timeout_s,
        )
    if not unchanged:
        return plan
    store.record_fetches(
        [
            FetchRecord(
                feed_id,
                now=now,
                next_fetch=now + refresh_s(config, specs[feed_id]),
                ok=True,
                status=304,
                unchanged=True,
            )
            for feed_id in sorted(unchanged)
        ]
    )
    if on_outcome is not None:
        for spec, feed_id in plan.due:
            if feed_id in unchanged:
                on_outcome(PollOutcome(spec.url, spec.title or spec.url, "not_modified"))
    return PollPlan(tuple(d for d in plan.due if d[1] not in unchanged), plan.skipped)
