"""Ask feeds whether they changed, with the standard library only ("304 probes").

Most polls of a settled feed list end in "304 Not Modified", and asking that question needs no
HTTP client library: it is a conditional GET whose only answer we accept is a 304, which by
definition has no body (RFC 9110 §15.4.5). This module asks it over plain sockets, so a pass in
which nothing changed never imports httpx and asyncio (about 0.1 s of start-up on a small
machine) and spends a fraction of httpx's CPU per request.

Nothing else is interpreted here. A 200, a redirect, an error status, a timeout, a refused
connection, a URL or validator this module does not send as it is, anything unusual: the
answer is "ask again properly", and the feed goes to the full fetch (`fetch.py`), which applies
every rule it has (redirects, Retry-After, size caps, error messages and backoff).
"""

from __future__ import annotations

import re
import socket
import threading
import time
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, NamedTuple
from urllib.parse import urlsplit

if TYPE_CHECKING:
    import ssl

PROBE_TIMEOUT_S = 5.0
"""A probe gives up sooner than a full fetch: a slow feed is then fetched in full."""
MAX_HEAD_BYTES = 64 * 1024
"""The status line and headers of a 304, at most."""
ACCEPT = (
    "application/rss+xml, application/atom+xml, application/feed+json, "
    "application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5"
)

_STATUS = re.compile(rb"HTTP/1\.([01]) (\d{3})(?: [^\r\n]*)?\r\n")
_SAFE = re.compile(r"[\x21-\x7e](?:[\x20-\x7e]*[\x21-\x7e])?")
"""Printable ASCII without leading or trailing blanks: sent exactly as it is."""
_HOST = re.compile(r"[A-Za-z0-9._-]+|[0-9A-Fa-f:.]+")
"""A host name or an IPv4/IPv6 address, ASCII only."""


class Probe(NamedTuple):
    """One conditional GET: `key` is the caller's name for it (a feed id).

    (Named tuples here, not dataclasses: they cost a seventh as much to define, and this
    module is on the path of every cron pass.)
    """

    key: int
    url: str
    etag: str | None
    last_modified: str | None


class _Target(NamedTuple):
    """Where a probe connects and what it sends (`host` is lower case, as urlsplit gives it)."""

    scheme: str
    host: str
    port: int
    request: bytes

    @property
    def server(self) -> tuple[str, str, int]:
        """What a kept connection can be reused for."""
        return self.scheme, self.host, self.port


def build_request(probe: Probe, user_agent: str) -> _Target | None:
    """The connection and request bytes for `probe`, or None when it is not a plain case.

    Plain means: an http(s) URL with an ASCII host name, no user name or password, and a path,
    query and validators of printable ASCII. Anything else (international names, characters
    that need percent-encoding, credentials) is left to the full fetch, which encodes it.
    """
    if not (probe.etag or probe.last_modified):
        return None
    try:
        parts = urlsplit(probe.url)
        port = parts.port
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    host = parts.hostname
    if scheme not in ("http", "https") or not host or "@" in parts.netloc:
        return None
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    values = [target, user_agent, probe.etag or "x", probe.last_modified or "x"]
    if not _HOST.fullmatch(host) or not all(_SAFE.fullmatch(v) for v in values) or " " in target:
        return None
    default = 443 if scheme == "https" else 80
    host_header = f"[{host}]" if ":" in host else host
    if port is not None and port != default:
        host_header += f":{port}"
    lines = [
        f"GET {target} HTTP/1.1",
        f"Host: {host_header}",
        f"User-Agent: {user_agent}",
        f"Accept: {ACCEPT}",
        "Accept-Encoding: gzip, deflate",
    ]
    if probe.etag:
        lines.append(f"If-None-Match: {probe.etag}")
    if probe.last_modified:
        lines.append(f"If-Modified-Since: {probe.last_modified}")
    request = ("\r\n".join(lines) + "\r\n\r\n").encode("ascii")
    return _Target(scheme, host, port or default, request)


def read_head(sock: socket.socket, deadline: float) -> bytes:
    """Receive up to the end of the header section (ConnectionError: closed before it)."""
    data = b""
    while b"\r\n\r\n" not in data:
        left = deadline - time.monotonic()
        if left <= 0:
            raise TimeoutError("probe timed out")
        if len(data) > MAX_HEAD_BYTES:
            raise ValueError("response head too long")
        sock.settimeout(left)
        chunk = sock.recv(16384)
        if not chunk:
            raise ConnectionError("connection closed before the end of the response head")
        data += chunk
    return data


def is_reusable_304(head: bytes) -> tuple[bool, bool]:
    """(the answer is a 304, the connection may carry the next request)."""
    status = _STATUS.match(head)
    if status is None or status.group(2) != b"304":
        return False, False
    end = head.index(b"\r\n\r\n") + 4
    keep = status.group(1) == b"1" and end == len(head)
    for line in head[status.end() : end].split(b"\r\n"):
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"connection" and b"close" in value.lower():
            keep = False
    return True, keep


class _Pools:
    """Idle connections per (scheme, host, port), and a cap on connections per host."""

    def __init__(self, per_host: int, timeout_s: float) -> None:
        self._per_host = per_host
        self._timeout_s = timeout_s
        self._lock = threading.Lock()
        self._idle: dict[tuple[str, str, int], list[socket.socket]] = {}
        self._slots: dict[str, threading.BoundedSemaphore] = {}
        self._tls: ssl.SSLContext | None = None

    def slot(self, host: str) -> threading.BoundedSemaphore:
        """The semaphore that caps connections in use to `host`."""
        with self._lock:
            return self._slots.setdefault(host, threading.BoundedSemaphore(self._per_host))

    def take(self, target: _Target) -> tuple[socket.socket, bool]:
        """An idle connection (reused=True) or a new one (call with the host's slot held)."""
        with self._lock:
            idle = self._idle.get(target.server)
            if idle:
                return idle.pop(), True
        # The host is ASCII (see build_request); as bytes it skips the IDNA codec's import.
        address = (target.host.encode("ascii"), target.port)
        sock = socket.create_connection(address, timeout=min(10.0, self._timeout_s))  # type: ignore[arg-type]
        if target.scheme == "https":
            try:
                sock = self._tls_context().wrap_socket(sock, server_hostname=target.host)
            except BaseException:
                sock.close()
                raise
        return sock, False

    def give_back(self, target: _Target, sock: socket.socket) -> None:
        """Keep a connection for the next probe to the same server."""
        with self._lock:
            self._idle.setdefault(target.server, []).append(sock)

    def close(self) -> None:
        """Close every idle connection."""
        with self._lock:
            for idle in self._idle.values():
                for sock in idle:
                    sock.close()
            self._idle.clear()

    def _tls_context(self) -> ssl.SSLContext:
        """Certificate checks as the full fetch does them (httpx trusts certifi's roots)."""
        with self._lock:
            if self._tls is None:
                import ssl

                try:
                    import certifi

                    self._tls = ssl.create_default_context(cafile=certifi.where())
                except ImportError:  # pragma: no cover - certifi comes with httpx
                    self._tls = ssl.create_default_context()
            return self._tls


def _ask(pools: _Pools, target: _Target, timeout_s: float) -> bool:
    """Send one probe; True only for a well-formed 304. Never raises for network trouble."""
    deadline = time.monotonic() + timeout_s
    with pools.slot(target.host):
        for _attempt in range(2):
            try:
                sock, reused = pools.take(target)
            except (OSError, ValueError):
                return False
            try:
                sock.settimeout(max(0.001, deadline - time.monotonic()))
                sock.sendall(target.request)
                head = read_head(sock, deadline)
            except (OSError, ValueError):
                sock.close()
                if reused:  # the server may have closed an idle connection: one fresh try
                    continue
                return False
            unchanged, keep = is_reusable_304(head)
            if keep:
                pools.give_back(target, sock)
            else:
                sock.close()
            return unchanged
    return False


def unchanged_feeds(
    probes: Sequence[Probe],
    *,
    user_agent: str,
    concurrency: int,
    per_host: int,
    timeout_s: float,
) -> set[int]:
    """The keys of the probes whose server answered 304 Not Modified.

    Runs `concurrency` threads at most, with at most `per_host` connections to one host, and
    gives each probe `min(timeout_s, PROBE_TIMEOUT_S)`.
    """
    work: list[tuple[int, _Target | None]] = [
        (p.key, build_request(p, user_agent)) for p in _by_host_turns(probes)
    ]
    if not work:
        return set()
    budget = min(timeout_s, PROBE_TIMEOUT_S)
    pools = _Pools(per_host, budget)
    lock = threading.Lock()
    answers: set[int] = set()
    queue = iter(work)

    def worker() -> None:
        while True:
            with lock:
                item = next(queue, None)
            if item is None:
                return
            key, target = item
            unchanged = target is not None and _ask(pools, target, budget)
            if unchanged:
                with lock:
                    answers.add(key)

    threads = [
        threading.Thread(target=worker, name="natoread-probe", daemon=True)
        for _ in range(max(1, min(concurrency, len(work))))
    ]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        pools.close()
    return answers


def _by_host_turns(probes: Iterable[Probe]) -> list[Probe]:
    """Probes ordered so that hosts take turns: one slow host does not hold up the others."""
    per_host: dict[str, list[Probe]] = {}
    for probe in probes:
        try:
            host = urlsplit(probe.url).hostname or ""
        except ValueError:
            host = ""
        per_host.setdefault(host, []).append(probe)
    queues = list(per_host.values())
    ordered: list[Probe] = []
    for turn in range(max((len(q) for q in queues), default=0)):
        ordered.extend(q[turn] for q in queues if turn < len(q))
    return ordered
