"""Miniflux's REST API (/v1): feeds, entries after an id, entries changed after a time,
read status and bookmarks. Auth: an API key (X-Auth-Token) or HTTP basic auth."""

from __future__ import annotations

import base64
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from typing import Any

from natoread.core.sync.config import Credentials, SyncError
from natoread.core.sync.remote import RemoteEntry, RemoteFeed, Session
from natoread.core.text.dates import parse_date

PAGE = 500
RECHECK = 100
"""Entries of a changed feed compared with what is stored (a feed document holds fewer)."""


def _epoch(value: Any) -> int | None:
    parsed = parse_date(value) if isinstance(value, str) else None
    return None if parsed is None or parsed.year < 1971 else int(parsed.timestamp())


def _microseconds(value: Any) -> int:
    """A time the server sends (RFC 3339, with up to nine decimals) as whole microseconds
    since the epoch; 0 when it is missing or not a time."""
    if not isinstance(value, str):
        return 0
    whole, _, rest = value.partition(".")
    zone = rest.lstrip("0123456789")
    digits = rest[: len(rest) - len(zone)][:6]
    try:
        stamp = datetime.fromisoformat(whole + zone)
    except ValueError:
        return 0
    if stamp.tzinfo is None:
        stamp = stamp.replace(tzinfo=UTC)
    return int(stamp.timestamp()) * 1_000_000 + int(digits.ljust(6, "0") or 0)


def _revision(feed: dict[str, Any]) -> str:
    """The validators of the feed document as the server last read it, else its last check:
    Miniflux rewrites an entry's content when the document changed and keeps its
    `changed_at` (which only read and star changes move)."""
    validators = f"{feed.get('etag_header') or ''} {feed.get('last_modified_header') or ''}"
    return validators.strip() or str(feed.get("checked_at") or "")


class MinifluxClient:
    """A Miniflux account."""

    def __init__(self, session: Session, creds: Credentials) -> None:
        self.session = session
        if creds.token is not None:
            session.headers["X-Auth-Token"] = creds.token.reveal()
        elif creds.password is not None and creds.username:
            pair = f"{creds.username}:{creds.password.reveal()}".encode()
            session.headers["Authorization"] = "Basic " + base64.b64encode(pair).decode()

    def feeds(self) -> list[RemoteFeed]:
        """The account's subscriptions and their health."""
        answer = self.session.json("GET", "/v1/feeds")
        if not isinstance(answer, list):
            raise SyncError("sync: the server's feed list is not a list")
        feeds = []
        for feed in answer:
            if not isinstance(feed, dict) or "id" not in feed:
                continue
            errors = int(feed.get("parsing_error_count") or 0)
            feeds.append(
                RemoteFeed(
                    remote_id=str(feed["id"]),
                    url=str(feed.get("feed_url") or ""),
                    title=str(feed.get("title") or ""),
                    error=str(feed.get("parsing_error_message") or "") or None,
                    error_count=errors,
                    checked=_epoch(feed.get("checked_at")),
                    revision=_revision(feed),
                )
            )
        return feeds

    def _entries(self, query: str, path: str = "/v1/entries") -> tuple[list[RemoteEntry], int]:
        answer = self.session.json("GET", f"{path}?{query}")
        raw = answer.get("entries") if isinstance(answer, dict) else None
        if not isinstance(raw, list):
            raise SyncError("sync: the server's entry list is not a list")
        return [self._entry(e) for e in raw if isinstance(e, dict) and "id" in e], len(raw)

    @staticmethod
    def _entry(raw: dict[str, Any]) -> RemoteEntry:
        return RemoteEntry(
            remote_id=str(raw["id"]),
            feed_remote_id=str(raw.get("feed_id") or ""),
            title=str(raw.get("title") or ""),
            link=str(raw.get("url") or "") or None,
            author=str(raw.get("author") or ""),
            content_html=str(raw.get("content") or ""),
            published=_epoch(raw.get("published_at")),
            read=raw.get("status") == "read",
            starred=bool(raw.get("starred")),
            changed=_epoch(raw.get("changed_at")),
            changed_us=_microseconds(raw.get("changed_at")),
        )

    def entries_after(self, after_id: int) -> Iterator[list[RemoteEntry]]:
        """Pages of the entries with ids above `after_id`, by id."""
        while True:
            page, count = self._entries(
                f"after_entry_id={after_id}&order=id&direction=asc&limit={PAGE}"
                "&status=read&status=unread"
            )
            if page:
                yield page
                after_id = max(int(e.remote_id) for e in page)
            if count < PAGE:
                return

    def changed_since(self, epoch: int, upto_id: int, seen: int) -> Iterator[list[RemoteEntry]]:
        """Pages of the entries with ids up to `upto_id` changed after `epoch` (whole
        seconds) and after `seen` (the latest change time read, in microseconds), newest
        change first. The first page is one entry: when nothing changed, that one is the
        change already seen, and the pass stops there (and downloads no entry's text)."""
        offset, limit = 0, 1
        while True:
            page, count = self._entries(
                f"changed_after={epoch}&before_entry_id={upto_id + 1}&order=changed_at"
                f"&direction=desc&limit={limit}&offset={offset}&status=read&status=unread"
            )
            fresh = [e for e in page if e.changed_us > seen]
            if fresh:
                yield fresh
            if count < limit or len(fresh) < len(page):
                return
            offset += count
            limit = PAGE

    def newest_entries(self, feed_id: str, upto_id: int) -> list[RemoteEntry]:
        """The feed's newest entries with ids up to `upto_id` (those its document still
        holds, whose content the server rewrites when the document changes)."""
        page, _ = self._entries(
            f"before_entry_id={upto_id + 1}&order=id&direction=desc&limit={RECHECK}"
            "&status=read&status=unread",
            f"/v1/feeds/{int(feed_id)}/entries",
        )
        return page

    def set_read(self, remote_ids: Sequence[str], read: bool) -> None:
        """Mark entries read or unread."""
        body = {"entry_ids": [int(i) for i in remote_ids], "status": "read" if read else "unread"}
        self.session.call("PUT", "/v1/entries", json_body=body)

    def set_starred(self, remote_id: str, starred: bool) -> None:
        """Star or unstar an entry (the API toggles, so the flag is read first)."""
        entry = self.session.json("GET", f"/v1/entries/{int(remote_id)}")
        if bool(entry.get("starred")) != starred:
            self.session.call("PUT", f"/v1/entries/{int(remote_id)}/bookmark")
