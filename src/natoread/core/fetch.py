"""One polite conditional GET per feed with httpx: total deadline, size cap, per-host limits."""

from __future__ import annotations

import asyncio
import zlib
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from typing import TYPE_CHECKING, Literal
from urllib.parse import urlsplit

from natoread.core.models import FetchLimits

if TYPE_CHECKING:
    import httpx

FetchStatus = Literal["ok", "not_modified", "error", "gone", "retry_later"]
_PERMANENT = (301, 308)


@dataclass(frozen=True, slots=True)
class FetchResult:
    """What one request produced."""

    status: FetchStatus
    body: bytes = b""
    etag: str | None = None
    last_modified: str | None = None
    final_url: str | None = None
    moved_to: str | None = None
    """Set when the request followed a permanent redirect (301/308)."""
    error: str | None = None
    http_status: int | None = None
    retry_after: datetime | None = None


class BodyTooLarge(Exception):
    """The decoded body passed the size limit."""


def make_client(limits: FetchLimits) -> httpx.AsyncClient:
    """The one AsyncClient for a pass: redirects on, no automatic decoding of bodies."""
    import httpx

    class TLSOnDemand(httpx.AsyncBaseTransport):
        """The https transport, made at the first https request: loading the certificate
        store costs ~50 ms, which a pass over plain-http feeds never needs. It is loaded on
        a thread, once, so the event loop (the reader's, during a poll) never waits for it."""

        def __init__(self, pool: httpx.Limits) -> None:
            self._pool = pool
            self._inner: httpx.AsyncHTTPTransport | None = None
            self._making = asyncio.Lock()

        async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
            if self._inner is None:
                async with self._making:
                    if self._inner is None:
                        self._inner = await asyncio.to_thread(
                            httpx.AsyncHTTPTransport, limits=self._pool
                        )
            return await self._inner.handle_async_request(request)

        async def aclose(self) -> None:
            if self._inner is not None:
                await self._inner.aclose()

    pool = httpx.Limits(
        max_connections=limits.concurrency,
        max_keepalive_connections=limits.concurrency,
        keepalive_expiry=30,
    )
    return httpx.AsyncClient(
        follow_redirects=True,
        max_redirects=5,
        timeout=httpx.Timeout(limits.timeout_s, connect=min(10.0, limits.timeout_s)),
        # Plain http never uses TLS settings; every https request (redirects included) is
        # routed to the verifying transport by its URL scheme.
        transport=httpx.AsyncHTTPTransport(limits=pool, verify=False),
        mounts={"https://": TLSOnDemand(pool)},
        headers={"User-Agent": limits.user_agent, "Accept-Encoding": "gzip, deflate"},
        trust_env=False,
    )


class Fetcher:
    """Fetches feeds with bounded global and per-host concurrency."""

    def __init__(self, client: httpx.AsyncClient, limits: FetchLimits) -> None:
        self._client = client
        self._limits = limits
        self._global = asyncio.Semaphore(limits.concurrency)
        self._hosts: dict[str, asyncio.Semaphore] = {}

    @asynccontextmanager
    async def slot(self, url: str) -> AsyncIterator[None]:
        """Hold one global and one per-host slot."""
        host = (urlsplit(url).hostname or "").lower()
        per_host = self._hosts.setdefault(host, asyncio.Semaphore(self._limits.per_host))
        async with per_host, self._global:
            yield

    async def fetch(
        self,
        url: str,
        etag: str | None = None,
        last_modified: str | None = None,
        *,
        now: datetime | None = None,
        accept: str = "application/rss+xml, application/atom+xml, application/feed+json, "
        "application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5",
    ) -> FetchResult:
        """GET `url` conditionally; never raises for network or HTTP problems."""
        import httpx

        headers = {"Accept": accept}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        try:
            async with self.slot(url), asyncio.timeout(self._limits.timeout_s):
                try:
                    return await self._get(url, headers, now or datetime.now(UTC))
                except (httpx.ReadError, httpx.WriteError, httpx.RemoteProtocolError):
                    # The connection broke (reset, closed before or during the answer, or the
                    # answer was not HTTP): a GET is safe to repeat, so it is asked once more
                    # on a fresh connection, within the same deadline, before the feed is
                    # marked failing.
                    return await self._get(url, headers, now or datetime.now(UTC))
        except TimeoutError:
            return FetchResult("error", error=f"timed out after {self._limits.timeout_s:g} s")
        except httpx.TooManyRedirects:
            return FetchResult("error", error="too many redirects (a redirect loop?)")
        except httpx.UnsupportedProtocol as exc:
            return FetchResult("error", error=f"refused redirect to a non-http URL ({exc})")
        except httpx.ConnectError as exc:
            return FetchResult("error", error=f"cannot connect: {_short(exc)}")
        except httpx.HTTPError as exc:
            return FetchResult("error", error=f"{type(exc).__name__}: {_short(exc)}")
        except BodyTooLarge:
            return FetchResult(
                "error", error=f"response larger than the {_size(self._limits.max_bytes)} limit"
            )
        except (zlib.error, OSError, ValueError) as exc:
            return FetchResult("error", error=f"bad response body: {_short(exc)}")

    async def _get(self, url: str, headers: dict[str, str], now: datetime) -> FetchResult:
        """The request itself, inside the deadline."""
        async with self._client.stream("GET", url, headers=headers) as response:
            moved_to = None
            if response.history and all(r.status_code in _PERMANENT for r in response.history):
                moved_to = str(response.url)
            meta = {
                "http_status": response.status_code,
                "final_url": str(response.url),
                "moved_to": moved_to,
            }
            code = response.status_code
            if code != 200:
                # Drain small bodies so the connection goes back to the pool for reuse.
                await _drain(response)
            if code == 304:
                return FetchResult("not_modified", **meta)  # type: ignore[arg-type]
            if code in (429, 503):
                retry = parse_retry_after(response.headers.get("Retry-After"), now)
                wait = f"; retry after {retry:%H:%M} UTC" if retry else ""
                return FetchResult(
                    "retry_later",
                    error=f"HTTP {code} {response.reason_phrase}{wait}",
                    retry_after=retry,
                    **meta,  # type: ignore[arg-type]
                )
            if code == 410:
                return FetchResult("gone", error="HTTP 410 Gone: the feed was removed", **meta)  # type: ignore[arg-type]
            if code >= 400 or code < 200:
                return FetchResult("error", error=f"HTTP {code} {response.reason_phrase}", **meta)  # type: ignore[arg-type]
            length = response.headers.get("Content-Length")
            encoding = response.headers.get("Content-Encoding", "identity").strip().lower()
            if (
                encoding in ("", "identity")
                and length
                and length.isdigit()
                and int(length) > self._limits.max_bytes
            ):
                raise BodyTooLarge
            body = await read_capped(response, encoding, self._limits.max_bytes)
            return FetchResult(
                "ok",
                body=body,
                etag=response.headers.get("ETag"),
                last_modified=response.headers.get("Last-Modified"),
                **meta,  # type: ignore[arg-type]
            )


async def read_capped(response: httpx.Response, encoding: str, max_bytes: int) -> bytes:
    """Read raw bytes and inflate them ourselves, stopping as soon as `max_bytes` is passed."""
    if encoding in ("", "identity"):
        decoder = None
    elif encoding in ("gzip", "x-gzip"):
        decoder = zlib.decompressobj(16 + zlib.MAX_WBITS)
    elif encoding == "deflate":
        decoder = None
    else:
        raise ValueError(f"unsupported Content-Encoding {encoding!r}")
    chunks: list[bytes] = []
    total = 0
    first = True
    async for raw in response.aiter_raw():
        if encoding == "deflate" and first:
            # "deflate" is zlib-wrapped by the RFC but raw deflate in practice; sniff it.
            decoder = zlib.decompressobj(zlib.MAX_WBITS if raw[:1] == b"\x78" else -zlib.MAX_WBITS)
        first = False
        if decoder is None:
            pieces = [raw]
        else:
            pieces = []
            data = raw
            while data:
                out = decoder.decompress(data, max_bytes - total + 1)
                pieces.append(out)
                total_now = total + sum(len(p) for p in pieces)
                if total_now > max_bytes:
                    raise BodyTooLarge
                data = decoder.unconsumed_tail
        for piece in pieces:
            total += len(piece)
            if total > max_bytes:
                raise BodyTooLarge
            chunks.append(piece)
    if decoder is not None:
        tail = decoder.flush()
        total += len(tail)
        if total > max_bytes:
            raise BodyTooLarge
        chunks.append(tail)
    return b"".join(chunks)


async def _drain(response: httpx.Response, limit: int = 65536) -> None:
    """Read and discard up to `limit` bytes of a body we do not need."""
    received = 0
    async for chunk in response.aiter_raw():
        received += len(chunk)
        if received > limit:
            break


def parse_retry_after(value: str | None, now: datetime) -> datetime | None:
    """Retry-After as seconds or an HTTP date → absolute UTC time (capped at one week)."""
    if not value:
        return None
    value = value.strip()
    when: datetime | None
    if value.isdigit():
        when = now + timedelta(seconds=int(value))
    else:
        try:
            when = parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return None
        if when.tzinfo is None:
            when = when.replace(tzinfo=UTC)
    return min(when, now + timedelta(days=7))


def _short(exc: BaseException) -> str:
    """A one-line, bounded description of an exception."""
    text = str(exc).replace("\n", " ").strip() or type(exc).__name__
    return text[:200]


def _size(count: int) -> str:
    """Human-readable byte count."""
    for unit in ("B", "KB", "MB", "GB"):
        if count < 1000 or unit == "GB":
            return f"{count:g} {unit}" if unit == "B" else f"{count:.0f} {unit}"
        count //= 1000
    return f"{count} GB"
