"""What a feed server sends, as plain records, and the HTTP session both clients share."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import httpx

from natoread.core.sync.config import SyncAuthError, SyncError
from natoread.core.text.sanitize import clean_line


@dataclass(frozen=True, slots=True)
class RemoteFeed:
    """A subscription on the server, with its health as the server reports it."""

    remote_id: str
    url: str
    title: str
    error: str | None = None
    error_count: int = 0
    checked: int | None = None


@dataclass(frozen=True, slots=True)
class RemoteEntry:
    """An entry on the server: its text (HTML as sent) and its flags."""

    remote_id: str
    feed_remote_id: str
    title: str
    link: str | None
    author: str
    content_html: str
    published: int | None
    read: bool
    starred: bool
    changed: int | None = None


class Session:
    """One httpx client to the server; every failure becomes one SyncError line."""

    def __init__(self, base_url: str, timeout_s: float, user_agent: str) -> None:
        self.base_url = base_url
        self.client = httpx.Client(
            timeout=timeout_s, headers={"User-Agent": user_agent}, follow_redirects=False
        )

    def close(self) -> None:
        """Close the connections."""
        self.client.close()

    def call(self, method: str, path: str, **options: Any) -> httpx.Response:
        """One request; 401/403 raise SyncAuthError, other failures SyncError."""
        where = clean_line(self.base_url, 200)
        try:
            response = self.client.request(method, f"{self.base_url}{path}", **options)
        except httpx.TimeoutException:
            raise SyncError(f"sync: {where} did not answer in time") from None
        except httpx.HTTPError as exc:
            reason = clean_line(str(exc) or type(exc).__name__, 200)
            raise SyncError(f"sync: cannot reach {where}: {reason}") from None
        if response.status_code in (401, 403):
            raise SyncAuthError(
                f"sync: {where} refused the username or password (HTTP {response.status_code}); "
                "check [sync] username and the password or token"
            )
        if response.status_code >= 400:
            raise SyncError(
                f"sync: {where}{clean_line(path.split('?')[0], 100)} answered "
                f"HTTP {response.status_code}"
            )
        return response

    def json(self, method: str, path: str, **options: Any) -> Any:
        """A request whose answer is JSON."""
        response = self.call(method, path, **options)
        try:
            return response.json()
        except ValueError:
            raise SyncError(
                f"sync: {clean_line(self.base_url, 200)} sent something other than JSON"
            ) from None
