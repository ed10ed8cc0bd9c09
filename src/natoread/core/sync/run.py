"""One sync pass: the server's feeds, its changed flags, its new entries (stored through the
ingest path of polled feeds), then the changes queued here.

Order and conflict rule (docs/sync.md): the flags the server changed since the last sync are
applied first, except where a change queued here is later (the later change wins; the Google
Reader API gives no change times, so there a queued change wins); then new entries come in,
page by page, each page's cursor saved once it is stored, so a server that goes down
mid-sync costs only the page in flight; then the queue is sent.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from natoread.core.analysis.analyser import Analyser
from natoread.core.config import Config
from natoread.core.feeds.records import FetchRecord
from natoread.core.polling.plan import PollOutcome
from natoread.core.storage.sync import PendingChange, RemoteState, SyncStore
from natoread.core.sync.config import SyncError, SyncSpec, credentials
from natoread.core.sync.remote import RemoteEntry, RemoteFeed, Session
from natoread.core.text.sanitize import clean_line, safe_url

if TYPE_CHECKING:
    from natoread.core.feeds.documents import ParsedEntry
    from natoread.core.polling.ingest import Ingester

INGEST_CHUNK = 500
"""Entries analysed and stored in one transaction (well inside the ingest time budget)."""


class SyncClient(Protocol):
    """What the pass asks of a server's API."""

    def feeds(self) -> list[RemoteFeed]: ...

    def changed_states(self, cursor: str | None) -> tuple[list[RemoteState], str | None]: ...

    def new_entries(
        self, cursor: str | None, known: Callable[[], set[str]]
    ) -> Iterable[tuple[list[RemoteEntry], str]]: ...

    def edited_entries(self, feed: RemoteFeed) -> list[RemoteEntry]: ...

    def send(self, changes: Sequence[PendingChange]) -> None: ...


class SyncResult:
    """What a pass did: per-feed outcomes (as a poll pass reports them) and counts.

    (A plain class, as the records of this module are named tuples: defining dataclasses
    is a measurable part of a sync with nothing new.)"""

    __slots__ = ("changed", "error", "outcomes", "sent")

    def __init__(self) -> None:
        self.outcomes: list[PollOutcome] = []
        self.sent = 0
        self.changed = 0
        self.error: str | None = None


def guid_of(spec: SyncSpec, remote_id: str) -> str:
    """The GUID a server entry is stored under (unique per server account)."""
    return f"{spec.service}:{remote_id}"


def parsed_entry(spec: SyncSpec, entry: RemoteEntry) -> ParsedEntry:
    """A server entry as the parser would have made it: plain, sanitised text."""
    # Imported here: a sync that brings no entry never needs the HTML code.
    from natoread.core.feeds.documents import ParsedEntry
    from natoread.core.text.dates import from_epoch
    from natoread.core.text.html import html_to_text

    link = safe_url(entry.link) if entry.link else None
    body, links = html_to_text(entry.content_html, link)
    title = clean_line(html_to_text(entry.title)[0]) or clean_line(body.split("\n", 1)[0], 120)
    return ParsedEntry(
        guid=guid_of(spec, entry.remote_id),
        link=link,
        title=title or "(untitled)",
        author=clean_line(entry.author, 300),
        body=body,
        published=None if entry.published is None else from_epoch(entry.published),
        links=links,
    )


def open_client(spec: SyncSpec, config: Config) -> tuple[SyncClient, Session]:
    """Log in to the server the config names."""
    creds = credentials(spec)
    session = Session(spec.url, config.settings.timeout_s, config.settings.user_agent)
    try:
        if spec.service == "miniflux":
            from natoread.core.sync.miniflux_pass import MinifluxSync

            return MinifluxSync(session, creds), session
        from natoread.core.sync.greader import GReaderClient

        return GReaderClient(session, creds), session
    except BaseException:
        session.close()
        raise


def sync_run(
    config: Config, db_path: Path, retag_progress: Callable[[int, int], None] | None = None
) -> SyncResult:
    """A whole pass as the reader runs it: re-derive what changed rules or versions made
    stale (as before a poll pass), then sync."""
    from natoread.core.polling.plan import analyser_for, now_epoch, sync_topics
    from natoread.core.storage.store import Store

    analyser = analyser_for(config)
    with Store(db_path) as store:
        sync_topics(store, analyser, retag_progress)
    return sync_pass(config, db_path, analyser, now=now_epoch())


def sync_pass(
    config: Config,
    db_path: Path,
    analyser: Analyser,
    *,
    now: int,
    on_progress: Callable[[int], None] | None = None,
) -> SyncResult:
    """Sync the store with the server of `config.sync`; a failure is the result's one line."""
    assert config.sync is not None
    spec = config.sync
    result = SyncResult()
    store = SyncStore(db_path)
    ingesters: list[Ingester] = []

    def ingester() -> Ingester:
        # Made at the first new entry: a sync that brings none loads no analysis code.
        if not ingesters:
            from natoread.core.polling.ingest import Ingester
            from natoread.core.polling.run import rule_judge

            ingesters.append(Ingester(db_path, analyser, rules=rule_judge(config)))
        return ingesters[0]

    session: Session | None = None
    try:
        client, session = open_client(spec, config)
        _pass(spec, client, store, ingester, now, result, on_progress)
    except SyncError as exc:
        result.error = str(exc)
    finally:
        if session is not None:
            session.close()
        for made in ingesters:
            made.close()
        if ingesters:
            store.index_pending()
        store.close()
    return result


def _pass(
    spec: SyncSpec,
    client: SyncClient,
    store: SyncStore,
    ingester: Callable[[], Ingester],
    now: int,
    result: SyncResult,
    on_progress: Callable[[int], None] | None,
) -> None:
    account = spec.account_key
    feeds = client.feeds()
    # The feed list and its health as last stored: when the server reports them unchanged,
    # nothing is written (the usual case of a sync with nothing new).
    listed = hashlib.sha1(json.dumps(feeds).encode(), usedforsecurity=False).hexdigest()
    feed_ids = store.synced_feed_ids() if store.cursor(account, "feeds") == listed else None
    if feed_ids is None or len(feed_ids) != len(feeds):
        feed_ids = store.map_feeds([(f.remote_id, f.url or f.remote_id, f.title) for f in feeds])
        store.record_fetches(
            [
                FetchRecord(
                    feed_ids[f.remote_id],
                    now=f.checked or now,
                    next_fetch=now,
                    ok=not f.error_count,
                    error=clean_line(f.error, 500) if f.error else None,
                )
                for f in feeds
            ]
        )
        store.set_cursor(account, "feeds", listed)
    by_remote = {f.remote_id: f for f in feeds}
    # `natoread feeds` tells "not synced yet" from "the server has no feeds" by this.
    if store.cursor(account, "synced") is None:
        store.set_cursor(account, "synced", str(now))
    # 1. What other devices changed, unless a change queued here is later.
    states, cursor = client.changed_states(store.cursor(account, "cursor"))
    if states:
        result.changed += store.apply_remote(states)
        store.forget_pruned(state.remote_id for state in states if state.starred)
    if cursor is not None and cursor != store.cursor(account, "cursor"):
        store.set_cursor(account, "cursor", cursor)
    # 2. New entries, stored through the poll pass's ingest path.
    new_ids: dict[str, list[int]] = defaultdict(list)
    updated: dict[str, int] = defaultdict(int)
    seen = 0
    for page, page_cursor in client.new_entries(cursor, store.known_remote_ids):
        if any(entry.feed_remote_id not in feed_ids for entry in page):
            # A feed subscribed since the list was read: read it again rather than skip
            # entries the cursor is about to pass.
            feeds = client.feeds()
            feed_ids = store.map_feeds(
                [(f.remote_id, f.url or f.remote_id, f.title) for f in feeds]
            )
            by_remote = {f.remote_id: f for f in feeds}
        grouped: dict[str, list[RemoteEntry]] = defaultdict(list)
        for entry in page:
            if entry.feed_remote_id in feed_ids:
                grouped[entry.feed_remote_id].append(entry)
        for remote_feed, entries in grouped.items():
            feed_id = feed_ids[remote_feed]
            feed = by_remote[remote_feed]
            for start in range(0, len(entries), INGEST_CHUNK):
                chunk = entries[start : start + INGEST_CHUNK]
                from natoread.core.feeds.documents import ParsedFeed

                document = ParsedFeed(
                    title=clean_line(feed.title),
                    link=None,
                    entries=tuple(parsed_entry(spec, e) for e in chunk),
                )
                stored = ingester().ingest_parsed(feed_id, document, feed.url, now, False)
                if stored.error:
                    raise SyncError(f"sync: {clean_line(feed.title or feed.url)}: {stored.error}")
                new_ids[remote_feed].extend(stored.new_ids)
                updated[remote_feed] += stored.updated
                store.link_entries(
                    feed_id, {e.remote_id: guid_of(spec, e.remote_id) for e in chunk}
                )
                store.apply_remote(
                    (RemoteState(e.remote_id, e.read, e.starred, e.changed) for e in chunk),
                    ruled=frozenset(stored.new_ids),
                    now=now,
                )
        store.set_cursor(account, "cursor", page_cursor)
        seen += len(page)
        if on_progress is not None:
            on_progress(seen)
    # 3. Entries the server rewrote: re-read in the feeds whose document changed since the
    # last pass (not on the first), and stored as a poll pass stores an updated item.
    previous = store.feed_revisions(account)
    revisions = {f.remote_id: f.revision for f in feeds if f.revision}
    for feed in feeds:
        before = None if previous is None else previous.get(feed.remote_id)
        if before is None or before == feed.revision or feed.remote_id not in feed_ids:
            continue
        feed_id = feed_ids[feed.remote_id]
        from natoread.core.feeds.documents import ParsedFeed
        from natoread.core.text.normalise import content_hash

        parsed = [parsed_entry(spec, e) for e in client.edited_entries(feed)]
        stored_hashes = store.content_hashes(feed_id, [p.guid or "" for p in parsed])
        edited = tuple(
            p for p in parsed
            if p.guid in stored_hashes and stored_hashes[p.guid] != content_hash(p.title, p.body)
        )  # fmt: skip
        if edited:
            document = ParsedFeed(title=clean_line(feed.title), link=None, entries=edited)
            stored = ingester().ingest_parsed(feed_id, document, feed.url, now, False)
            if stored.error:
                raise SyncError(f"sync: {clean_line(feed.title or feed.url)}: {stored.error}")
            updated[feed.remote_id] += stored.updated
    if revisions != previous:
        store.set_feed_revisions(account, revisions)
    # 4. What changed here (the reader, `natoread mark`, rules, undo; and the flags rules set
    # on the new entries): the queue, sent oldest first and forgotten once taken.
    pending = store.pending_changes()
    if pending:
        client.send(pending)
        store.clear_sent(pending)
        result.sent = len(pending)
    for feed in feeds:
        result.outcomes.append(
            PollOutcome(
                feed.url,
                feed.title or feed.url,
                "failed" if feed.error_count else "ok",
                new_ids=tuple(new_ids[feed.remote_id]),
                updated=updated[feed.remote_id],
                error=clean_line(feed.error, 500) if feed.error_count and feed.error else None,
            )
        )
