"""One polite conditional GET per feed with httpx: total deadline, size cap, per-host limits."""

from __future__ import annotations

import asyncio
import re
import sys
import zlib
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from typing import TYPE_CHECKING, Any, Literal
from urllib.parse import urljoin

from natoread.core.errors import unexpected_error
from natoread.core.feeds.http_policy import (
    CONNECT_TIMEOUT_S,
    FEED_ACCEPT,
    FetchLimits,
    host_key,
    request_headers,
    tls_context,
)
from natoread.core.feeds.urls import url_problem
from natoread.core.text.sanitize import clean_line

if TYPE_CHECKING:
    import httpx

FetchStatus = Literal["ok", "not_modified", "error", "gone", "retry_later"]
MAX_REDIRECTS = 5
MAX_CODINGS = 2
"""Content codings undone for one body ("gzip, gzip" happens; more is not a feed server)."""
MAX_RETRY_AFTER = timedelta(days=7)
"""The longest wait a server's Retry-After can impose."""
_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_PERMANENT = frozenset({301, 308})
_FEED_STATUSES = frozenset({200, 203})
"""The answers whose body is a feed (203: the same, passed on by a transforming proxy)."""
_CODINGS = frozenset({"gzip", "x-gzip", "deflate"})
_NO_FEED = {2: ": the server sent no feed", 3: ": not a redirect natoread can follow"}
_ASCII_VALIDATOR = re.compile(r"[\x21-\x7e](?:[\x20-\x7e]{0,1022}[\x21-\x7e])?")


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


def _skip_httpx_cli() -> None:
    """Keep `import httpx` from importing httpx's command-line tool.

    The package's `__init__` imports `httpx._main` (the `httpx` command, built on click, rich
    and pygments), and falls back to a stub when that import fails. natoread never runs the
    command, so the import is made to fail: `None` in `sys.modules` is Python's mark for a
    module that cannot be imported. That is most of what importing httpx costs. Nothing is
    changed once httpx is imported (the command is then imported already).
    """
    if "httpx" not in sys.modules and "httpx._main" not in sys.modules:
        sys.modules["httpx._main"] = None  # type: ignore[assignment]  # (typeshed has no None)


def make_client(limits: FetchLimits) -> httpx.AsyncClient:
    """The one AsyncClient for a pass: redirects on, no automatic decoding of bodies."""
    _skip_httpx_cli()
    import httpx

    class TLSOnDemand(httpx.AsyncBaseTransport):
        """The https transport, made at the first https request: loading the certificate
        store is slow, and a pass over plain-http feeds never needs it. It is loaded on a
        thread, once, so the event loop (the reader's, during a poll) never waits for it."""

        def __init__(self, pool: httpx.Limits) -> None:
            self._pool = pool
            self._inner: httpx.AsyncHTTPTransport | None = None
            self._making = asyncio.Lock()

        async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
            if self._inner is None:
                async with self._making:
                    if self._inner is None:
                        self._inner = await asyncio.to_thread(self._make)
            return await self._inner.handle_async_request(request)

        def _make(self) -> httpx.AsyncHTTPTransport:
            return httpx.AsyncHTTPTransport(limits=self._pool, verify=tls_context())

        async def aclose(self) -> None:
            if self._inner is not None:
                await self._inner.aclose()

    pool = httpx.Limits(
        max_connections=limits.concurrency,
        max_keepalive_connections=limits.concurrency,
        keepalive_expiry=30,
    )
    return httpx.AsyncClient(
        # Redirects are followed by `Fetcher`, which checks each target before requesting it.
        follow_redirects=False,
        timeout=httpx.Timeout(limits.timeout_s, connect=min(CONNECT_TIMEOUT_S, limits.timeout_s)),
        # Plain http never uses TLS settings; every https request (redirects included) is
        # routed to the verifying transport by its URL scheme.
        transport=httpx.AsyncHTTPTransport(limits=pool, verify=False),
        mounts={"https://": TLSOnDemand(pool)},
        headers=request_headers(limits.user_agent),
        trust_env=False,
        event_hooks={"response": [refuse_bad_redirects]},
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
        host = host_key(url)
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
        accept: str = FEED_ACCEPT,
    ) -> FetchResult:
        """GET `url` conditionally; never raises (any failure is the result's `error`)."""
        try:
            return await self._fetch(url, etag, last_modified, now or datetime.now(UTC), accept)
        except Exception as exc:
            # Whatever nobody listed (a library bug, an answer no rule foresaw) is still
            # this one feed's error, never the pass's.
            return FetchResult("error", error=unexpected_error("fetching", exc))

    async def _fetch(
        self,
        url: str,
        etag: str | None,
        last_modified: str | None,
        now: datetime,
        accept: str,
    ) -> FetchResult:
        import httpx

        problem = url_problem(url)
        if problem is not None:
            return FetchResult("error", error=f"cannot fetch this URL: {problem}")
        headers = {"Accept": accept}
        # A validator that is not printable ASCII cannot be sent back as a header (httpx
        # refuses it): such a value stored before it was filtered out is dropped here.
        if etag := ascii_validator(etag):
            headers["If-None-Match"] = etag
        if last_modified := ascii_validator(last_modified):
            headers["If-Modified-Since"] = last_modified
        try:
            async with self.slot(url), asyncio.timeout(self._limits.timeout_s):
                try:
                    return await self._follow(url, headers, now)
                except (httpx.ReadError, httpx.WriteError, httpx.RemoteProtocolError):
                    # The connection broke (reset, closed before or during the answer, or the
                    # answer was not HTTP): a GET is safe to repeat, so it is asked once more
                    # on a fresh connection, within the same deadline, before the feed is
                    # marked failing.
                    return await self._follow(url, headers, now)
        except TimeoutError:
            return FetchResult("error", error=f"timed out after {self._limits.timeout_s:g} s")
        except httpx.ConnectError as exc:
            return FetchResult("error", error=f"cannot connect: {_short(exc)}")
        except httpx.HTTPError as exc:
            return FetchResult("error", error=f"{type(exc).__name__}: {_short(exc)}")
        except BodyTooLarge:
            return FetchResult(
                "error", error=f"response larger than the {_size(self._limits.max_bytes)} limit"
            )
        except (UnsupportedEncoding, RefusedRedirect) as exc:
            return FetchResult("error", error=str(exc))
        except zlib.error as exc:
            return FetchResult("error", error=f"corrupt compressed body: {_short(exc)}")

    async def _follow(self, url: str, headers: dict[str, str], now: datetime) -> FetchResult:
        """The request and its redirects, each target checked before it is requested."""
        history: list[int] = []
        for _ in range(MAX_REDIRECTS + 1):
            async with self._client.stream(
                "GET", url, headers=headers, follow_redirects=False
            ) as response:
                code = response.status_code
                if code not in _REDIRECTS:
                    return await self._answer(response, url, history, now)
                await _drain(response)
                location = (response.headers.get("Location") or "").strip()
                if not location:
                    return FetchResult(
                        "error",
                        error=f"{_status(response)} redirect without a Location header",
                        http_status=code,
                    )
                history.append(code)
                url = urljoin(url, location)  # checked by `refuse_bad_redirects`
        return FetchResult("error", error="too many redirects (a redirect loop?)")

    async def _answer(
        self, response: httpx.Response, url: str, history: list[int], now: datetime
    ) -> FetchResult:
        """Turn the final answer into a result; only a 200 (or 203) has its body read."""
        code = response.status_code
        moved = bool(history) and all(c in _PERMANENT for c in history)
        meta = {"http_status": code, "final_url": url, "moved_to": url if moved else None}
        if code not in _FEED_STATUSES:
            # Drain small bodies so the connection goes back to the pool for reuse.
            await _drain(response)
        if code == 304:
            return FetchResult("not_modified", **meta)  # type: ignore[arg-type]
        if code in (429, 503):
            retry = parse_retry_after(response.headers.get("Retry-After"), now)
            wait = f"; retry after {retry:%Y-%m-%d %H:%M} UTC" if retry else ""
            return FetchResult(
                "retry_later",
                error=f"{_status(response)}{wait}",
                retry_after=retry,
                **meta,  # type: ignore[arg-type]
            )
        if code == 410:
            return FetchResult("gone", error="HTTP 410 Gone: the feed was removed", **meta)  # type: ignore[arg-type]
        if code not in _FEED_STATUSES:
            reason = _NO_FEED.get(code // 100, "") if code < 400 else ""
            return FetchResult("error", error=f"{_status(response)}{reason}", **meta)  # type: ignore[arg-type]
        encodings = content_codings(response.headers.get("Content-Encoding", ""))
        length = response.headers.get("Content-Length", "")
        if (
            not encodings
            and length.isascii()
            and length.isdigit()
            and int(length[:20]) > self._limits.max_bytes
        ):
            raise BodyTooLarge
        body = await read_capped(response, encodings, self._limits.max_bytes)
        return FetchResult(
            "ok",
            body=body,
            etag=ascii_validator(response.headers.get("ETag")),
            last_modified=ascii_validator(response.headers.get("Last-Modified")),
            **meta,  # type: ignore[arg-type]
        )


class RefusedRedirect(Exception):
    """A server redirected to something natoread will not request."""


async def refuse_bad_redirects(response: httpx.Response) -> None:
    """Response hook: stop at a redirect whose target natoread would not fetch.

    httpx builds the next request of every redirect, followed or not, and some targets
    ("mailto:", "javascript:", a port of 99999) make it raise, or crash the socket layer;
    here they are refused with words, before httpx sees them.
    """
    if response.status_code not in _REDIRECTS or "Location" not in response.headers:
        return
    target = urljoin(str(response.request.url), response.headers["Location"].strip())
    problem = url_problem(target)
    if problem is not None:
        await response.aclose()
        raise RefusedRedirect(f"refused redirect to {clean_line(target, 120)!r}: {problem}")


class UnsupportedEncoding(Exception):
    """The body is compressed in a way natoread did not ask for."""


def content_codings(header: str) -> list[str]:
    """The codings of a Content-Encoding header in the order they were applied.

    Each must be one natoread asks for (gzip, deflate); "identity" is no coding at all.
    """
    codings = [part.strip().lower() for part in header.split(",")]
    codings = [c for c in codings if c not in ("", "identity")]
    for coding in codings:
        if coding not in _CODINGS:
            shown = clean_line(coding, 40)
            raise UnsupportedEncoding(
                f"the server compressed the feed with {shown!r}, "
                "which natoread does not ask for (it accepts gzip and deflate)"
            )
    if len(codings) > MAX_CODINGS:
        raise UnsupportedEncoding(f"the body is compressed {len(codings)} times over")
    return codings


class _Inflater:
    """One layer of decompression whose output is bounded as it is produced."""

    def __init__(self, coding: str) -> None:
        self._coding = coding
        self._decoder: Any = None
        if coding in ("gzip", "x-gzip"):
            self._decoder = zlib.decompressobj(16 + zlib.MAX_WBITS)

    def feed(self, data: bytes, room: int) -> list[bytes]:
        """Inflate `data`; raises BodyTooLarge once the output passes `room` bytes."""
        if self._decoder is None:
            # "deflate" is zlib-wrapped by the RFC but raw deflate in practice; sniff it.
            wbits = zlib.MAX_WBITS if data[:1] == b"\x78" else -zlib.MAX_WBITS
            self._decoder = zlib.decompressobj(wbits)
        pieces: list[bytes] = []
        produced = 0
        while data:
            out = self._decoder.decompress(data, room - produced + 1)
            produced += len(out)
            if produced > room:
                raise BodyTooLarge
            pieces.append(out)
            data = self._decoder.unconsumed_tail
        return pieces

    def flush(self) -> bytes:
        """What the decoder still holds."""
        return self._decoder.flush() if self._decoder is not None else b""


async def read_capped(response: httpx.Response, codings: Sequence[str], max_bytes: int) -> bytes:
    """Read raw bytes and inflate them ourselves, stopping as soon as `max_bytes` is passed.

    `codings` come from `content_codings` (applied in that order, so undone in reverse).
    """
    layers = [_Inflater(coding) for coding in reversed(codings)]
    chunks: list[bytes] = []
    total = 0

    def through(pieces: list[bytes], start: int) -> None:
        nonlocal total
        for layer in layers[start:]:
            pieces = [out for piece in pieces if piece for out in layer.feed(piece, max_bytes)]
        for piece in pieces:
            total += len(piece)
            if total > max_bytes:
                raise BodyTooLarge
            chunks.append(piece)

    async for raw in response.aiter_raw():
        through([raw], 0)
    for index, layer in enumerate(layers):
        through([layer.flush()], index + 1)
    return b"".join(chunks)


async def _drain(response: httpx.Response, limit: int = 65536) -> None:
    """Read and discard up to `limit` bytes of a body we do not need."""
    received = 0
    async for chunk in response.aiter_raw():
        received += len(chunk)
        if received > limit:
            break


def parse_retry_after(value: str | None, now: datetime) -> datetime | None:
    """Retry-After as seconds or an HTTP date → absolute UTC time, at most a week ahead.

    A value that is neither (or a date in the past) is ignored: the feed's own backoff
    applies.
    """
    value = (value or "").strip()
    if not value:
        return None
    if value.isascii() and value.isdigit():
        # Compared as text first: int() of a huge digit string is slow or refused.
        seconds = MAX_RETRY_AFTER.total_seconds() if len(value) > 9 else int(value)
        return now + min(timedelta(seconds=seconds), MAX_RETRY_AFTER)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    if when <= now:
        return None
    return min(when, now + MAX_RETRY_AFTER)


def ascii_validator(value: str | None) -> str | None:
    """An ETag or Last-Modified value that can be sent back as it came, else None.

    Validators are printable ASCII (RFC 9110 §8.8); anything else cannot go back in a header
    (httpx refuses to encode it, which made every later poll of the feed fail), so it is
    dropped and the feed is fetched without it.
    """
    if value and _ASCII_VALIDATOR.fullmatch(value.strip()):
        return value.strip()
    return None


def _status(response: httpx.Response) -> str:
    """ "HTTP 503 Service Unavailable", the reason phrase as the server wrote it, made safe."""
    reason = clean_line(response.reason_phrase or "", 80)
    return f"HTTP {response.status_code} {reason}".rstrip()


def _short(exc: BaseException) -> str:
    """A one-line, bounded, sanitised description of an exception (it may echo server data)."""
    return clean_line(str(exc), 200) or type(exc).__name__


def _size(count: int) -> str:
    """Human-readable byte count."""
    for unit in ("B", "KB", "MB", "GB"):
        if count < 1000 or unit == "GB":
            return f"{count:g} {unit}" if unit == "B" else f"{count:.0f} {unit}"
        count //= 1000
    return f"{count} GB"
