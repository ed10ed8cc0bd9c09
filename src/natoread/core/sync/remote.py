"""What a feed server sends, as plain records, and the HTTP session both clients share.

The session is one kept-alive connection (core/sync/wire.py), not httpx: a sync in which
nothing changed is three small requests, and the process should not pay for importing a
client built for hundreds of concurrent feeds."""

from __future__ import annotations

import json
import socket
from collections.abc import Mapping
from typing import Any, NamedTuple
from urllib.parse import urlencode, urlsplit

from natoread.core.sync.config import SyncAuthError, SyncError
from natoread.core.sync.wire import Connection
from natoread.core.text.sanitize import clean_line


class RemoteFeed(NamedTuple):
    """A subscription on the server, with its health as the server reports it."""

    remote_id: str
    url: str
    title: str
    error: str | None = None
    error_count: int = 0
    checked: int | None = None
    revision: str = ""
    """Changes when the server may have changed the feed's entries ("" when it cannot say)."""


class RemoteEntry(NamedTuple):
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
    changed_us: int = 0
    """`changed` in microseconds, where the server says (Miniflux); 0 otherwise."""


class Response:
    """A read answer: status, body."""

    def __init__(self, status: int, body: bytes) -> None:
        self.status_code = status
        self.content = body

    @property
    def text(self) -> str:
        """The body as text."""
        return self.content.decode("utf-8", "replace")


MAX_ANSWER_BYTES = 256 * 2**20
"""The largest answer read (a page of entries with their full HTML is a few megabytes)."""


class Session:
    """One kept-alive connection to the server; every failure becomes one SyncError line."""

    def __init__(self, base_url: str, timeout_s: float, user_agent: str) -> None:
        parts = urlsplit(base_url)
        self.base_url = base_url
        self._https = parts.scheme == "https"
        self._host = parts.hostname or ""
        self._port = parts.port
        self._prefix = parts.path.rstrip("/")
        self._timeout = timeout_s
        self.headers: dict[str, str] = {"User-Agent": user_agent, "Accept-Encoding": "identity"}
        self._connection: Connection | None = None

    def close(self) -> None:
        """Close the connection."""
        if self._connection is not None:
            self._connection.close()
            self._connection = None

    def _connect(self) -> Connection:
        if self._connection is None:
            wrap = None
            if self._https:
                from natoread.core.feeds.http_policy import tls_context

                context, host = tls_context(), self._host

                def wrap(raw: socket.socket) -> socket.socket:
                    return context.wrap_socket(raw, server_hostname=host)

            self._connection = Connection(self._host, self._port, self._timeout, wrap)
        return self._connection

    def _send(
        self, method: str, target: str, body: bytes | None, headers: dict[str, str]
    ) -> Response:
        for attempt in (1, 2):
            connection = self._connect()
            try:
                answer = connection.request(method, target, body, headers, MAX_ANSWER_BYTES)
                if answer.will_close:
                    self.close()
                return Response(answer.status, answer.body)
            except (BrokenPipeError, ConnectionResetError):
                self.close()  # a kept-alive connection the server closed: once more, anew
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    def call(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, Any] | None = None,
        data: Mapping[str, Any] | None = None,
        json_body: object = None,
    ) -> Response:
        """One request; 401/403 raise SyncAuthError, other failures SyncError."""
        where = clean_line(self.base_url, 200)
        target = self._prefix + path
        if params:
            target += ("&" if "?" in target else "?") + urlencode(params, doseq=True)
        headers = dict(self.headers)
        body: bytes | None = None
        if data is not None:
            body = urlencode(data, doseq=True).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        elif json_body is not None:
            body = json.dumps(json_body).encode()
            headers["Content-Type"] = "application/json"
        try:
            response = self._send(method, target, body, headers)
        except TimeoutError:
            self.close()
            raise SyncError(f"sync: {where} did not answer in time") from None
        except OSError as exc:
            self.close()
            reason = clean_line(
                getattr(exc, "strerror", None) or str(exc) or type(exc).__name__, 200
            )
            raise SyncError(f"sync: cannot reach {where}: {reason}") from None
        if len(response.content) > MAX_ANSWER_BYTES:
            raise SyncError(f"sync: {where} sent an answer over {MAX_ANSWER_BYTES // 2**20} MiB")
        if response.status_code in (401, 403):
            raise SyncAuthError(
                f"sync: {where} refused the username or password (HTTP {response.status_code}); "
                "check [sync] username and the password or token"
            )
        if response.status_code >= 400:
            reason = _error_message(response.content)
            raise SyncError(
                f"sync: {where}{clean_line(path.split('?')[0], 100)} answered "
                f"HTTP {response.status_code}" + (f": {reason}" if reason else "")
            )
        return response

    def json(self, method: str, path: str, **options: Any) -> Any:
        """A request whose answer is JSON."""
        response = self.call(method, path, **options)
        try:
            return json.loads(response.content)
        except (ValueError, RecursionError):
            raise SyncError(
                f"sync: {clean_line(self.base_url, 200)} sent something other than JSON"
            ) from None


def _error_message(body: bytes) -> str:
    """The reason a JSON error answer gives (Miniflux: error_message), sanitised."""
    try:
        answer = json.loads(body)
    except (ValueError, RecursionError):
        return ""
    reason = answer.get("error_message") if isinstance(answer, dict) else None
    return clean_line(reason, 200) if isinstance(reason, str) else ""
