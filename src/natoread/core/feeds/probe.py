"""Ask feeds whether they changed, with the standard library only ("304 probes").

Most polls of a settled feed list end in "304 Not Modified", and asking that question needs no
asynchronous HTTP client: it is a conditional GET whose only answer we accept is a 304, which by
definition has no body (RFC 9110 §15.4.5). This module asks it over plain sockets (TLS from
the shared policy) on a few threads, with the request policy of every other request
(`http_policy.py`: headers, trust store, connect limit), so a pass in which nothing changed
never imports httpx, asyncio, the parsers, or `http.client` and the `email` package it
parses headers with.

Reading the answer needs no HTTP parser either: only a status line that is exactly
"HTTP/1.x 304" followed by a header section that ends within MAX_HEAD_BYTES counts. Nothing
else is interpreted here. A 200, a redirect, an error status, a timeout, a refused
connection, an answer that is not HTTP/1.x, a URL or validator this module does not send as
it is, anything unusual: the answer is "ask again properly", and the feed goes to the full
fetch (`fetch.py`), which applies every rule it has (redirects, Retry-After, size caps, error
messages and backoff). A connection is kept for the next probe only when the 304 says
nothing that could be followed by a body and nothing else has arrived behind it.
"""

from __future__ import annotations

import re
import socket
import threading
import time
from collections.abc import Iterable, Sequence
from typing import NamedTuple
from urllib.parse import urlsplit

from natoread.core.feeds.http_policy import (
    CONNECT_TIMEOUT_S,
    request_headers,
    tls_context,
)

PROBE_TIMEOUT_S = 5.0
"""A probe gives up sooner than a full fetch: a slow feed is then fetched in full."""
MAX_HEAD_BYTES = 32 * 1024
"""The longest status line and header section read: a 304 that needs more is not one."""
_HEAD_END = re.compile(rb"\r?\n\r?\n")
"""The blank line that ends a header section (a bare LF is accepted as a line end)."""
_STATUS_304 = re.compile(rb"HTTP/1\.([01]) 304(?: [\x20-\x7e\t]*)?")
"""The status line of a 304 (the reason phrase optional, printable)."""

_SAFE = re.compile(r"[\x21-\x7e](?:[\x20-\x7e]*[\x21-\x7e])?")
"""Printable ASCII without leading or trailing blanks: sent exactly as it is."""
_HOST = re.compile(r"[A-Za-z0-9._-]+|[0-9A-Fa-f:.]+")
"""A host name or an IPv4/IPv6 address, ASCII only."""


class Probe(NamedTuple):
    """One conditional GET: `key` is the caller's name for it (a feed id).

    (Named tuples here, not dataclasses: they are cheaper to define, and this module is on
    the path of every cron pass.)
    """

    key: int
    url: str
    etag: str | None
    last_modified: str | None


class _Target(NamedTuple):
    """Where a probe connects and what it asks (`host` is lower case, as urlsplit gives it)."""

    scheme: str
    host: str
    port: int
    path: str
    headers: dict[str, str]

    @property
    def server(self) -> tuple[str, str, int]:
        """What a kept connection can be reused for."""
        return self.scheme, self.host, self.port

    def request(self) -> bytes:
        """The request's bytes (every part was checked to be printable ASCII)."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        if self.port != (443 if self.scheme == "https" else 80):
            host = f"{host}:{self.port}"
        lines = [f"GET {self.path} HTTP/1.1", f"Host: {host}"]
        lines += [f"{name}: {value}" for name, value in self.headers.items()]
        return ("\r\n".join(lines) + "\r\n\r\n").encode("ascii")


def build_request(probe: Probe, user_agent: str) -> _Target | None:
    """The connection and request for `probe`, or None when it is not a plain case.

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
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    headers = request_headers(user_agent)
    if probe.etag:
        headers["If-None-Match"] = probe.etag
    if probe.last_modified:
        headers["If-Modified-Since"] = probe.last_modified
    if not _HOST.fullmatch(host) or " " in path:
        return None
    if not all(_SAFE.fullmatch(value) for value in (path, *headers.values())):
        return None
    return _Target(scheme, host, port or (443 if scheme == "https" else 80), path, headers)


class _Pools:
    """Idle connections per (scheme, host, port), a cap on connections per host, and each
    host's addresses, looked up once per pass."""

    def __init__(self, per_host: int) -> None:
        self._per_host = per_host
        self._lock = threading.Lock()
        self._idle: dict[tuple[str, str, int], list[socket.socket]] = {}
        self._slots: dict[str, threading.BoundedSemaphore] = {}
        self._addresses: dict[tuple[str, int], _Lookup] = {}

    def slot(self, host: str) -> threading.BoundedSemaphore:
        """The semaphore that caps connections in use to `host`."""
        with self._lock:
            return self._slots.setdefault(host, threading.BoundedSemaphore(self._per_host))

    def take(self, target: _Target, deadline: float) -> tuple[socket.socket, bool]:
        """An idle connection (reused=True) or a new one, connected within `deadline` (DNS,
        connect and TLS included). Call with the host's slot held."""
        with self._lock:
            idle = self._idle.get(target.server)
            if idle:
                return idle.pop(), True
            lookup = self._addresses.get((target.host, target.port))
            if lookup is None:
                lookup = self._addresses[(target.host, target.port)] = _Lookup(target)
        sock = _connect(lookup.wait(deadline), deadline)
        if target.scheme == "https":
            try:
                sock.settimeout(_left(deadline))
                sock = tls_context().wrap_socket(sock, server_hostname=target.host)
            except BaseException:
                sock.close()
                raise
        return sock, False

    def give_back(self, target: _Target, connection: socket.socket) -> None:
        """Keep a connection for the next probe to the same server."""
        with self._lock:
            self._idle.setdefault(target.server, []).append(connection)

    def close(self) -> None:
        """Close every idle connection."""
        with self._lock:
            for idle in self._idle.values():
                for connection in idle:
                    connection.close()
            self._idle.clear()


class _Lookup:
    """A host's addresses, looked up on a daemon thread so that a probe can stop waiting for
    DNS at its deadline (getaddrinfo itself cannot be given one)."""

    def __init__(self, target: _Target) -> None:
        self._done = threading.Event()
        self._addresses: list[tuple[int, tuple[str, int]]] = []
        self._error: OSError | None = None
        family = _address_family(target.host)
        if family is None:
            threading.Thread(
                target=self._resolve, args=(target.host, target.port), daemon=True
            ).start()
        else:
            self._addresses = [(family, (target.host, target.port))]
            self._done.set()

    def _resolve(self, host: str, port: int) -> None:
        try:
            found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
            self._addresses = [
                (family, (str(address[0]), int(address[1]))) for family, _, _, _, address in found
            ]
        except OSError as exc:
            self._error = exc
        finally:
            self._done.set()

    def wait(self, deadline: float) -> list[tuple[int, tuple[str, int]]]:
        """The addresses; raises TimeoutError at `deadline`, OSError when the lookup failed."""
        if not self._done.wait(_left(deadline)):
            raise TimeoutError("DNS lookup timed out")
        if self._error is not None:
            raise self._error
        return self._addresses


def _address_family(host: str) -> int | None:
    """The address family of a host written as an IP address, None for a name."""
    for family in (socket.AF_INET, socket.AF_INET6):
        try:
            socket.inet_pton(family, host)
        except OSError:
            continue
        return family
    return None


def _left(deadline: float) -> float:
    """Seconds until `deadline`; raises TimeoutError once it has passed."""
    left = deadline - time.monotonic()
    if left <= 0:
        raise TimeoutError("probe timed out")
    return left


def _connect(addresses: list[tuple[int, tuple[str, int]]], deadline: float) -> socket.socket:
    """A TCP connection to the first address that answers, within `deadline`."""
    error: OSError = ConnectionError("no address")
    for family, address in addresses:
        sock = socket.socket(family, socket.SOCK_STREAM)
        try:
            sock.settimeout(min(CONNECT_TIMEOUT_S, _left(deadline)))
            sock.connect(address)
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            return sock
        except OSError as exc:
            sock.close()
            error = exc
    raise error


def _ask(pools: _Pools, target: _Target, timeout_s: float) -> bool:
    """Send one probe; True only for a well-formed 304. Never raises for network trouble."""
    deadline = time.monotonic() + timeout_s
    with pools.slot(target.host):
        for _attempt in range(2):
            try:
                connection, reused = pools.take(target, deadline)
            except (OSError, ValueError):
                return False
            try:
                unchanged, keep = _exchange(connection, target, deadline)
            except (OSError, ValueError):
                connection.close()
                if reused:  # the server may have closed an idle connection: one fresh try
                    continue
                return False
            if keep:
                pools.give_back(target, connection)
            else:
                connection.close()
            return unchanged
    return False


def _exchange(connection: socket.socket, target: _Target, deadline: float) -> tuple[bool, bool]:
    """One request on `connection`: (the answer is a 304, the connection may be kept).

    Raises OSError when the connection fails or closes before a whole header section came.
    """
    connection.settimeout(_left(deadline))
    connection.sendall(target.request())
    head = b""
    while (blank := _HEAD_END.search(head)) is None:
        if len(head) > MAX_HEAD_BYTES:
            return False, False
        connection.settimeout(_left(deadline))
        chunk = connection.recv(8192)
        if not chunk:
            if head:  # part of an answer, then the server closed: not a 304
                return False, False
            raise ConnectionResetError("closed before answering")  # a stale kept connection
        head += chunk
    if blank.start() > MAX_HEAD_BYTES:
        return False, False
    status, _, fields = head[: blank.start()].partition(b"\n")
    found = _STATUS_304.fullmatch(status.removesuffix(b"\r"))
    if found is None:
        return False, False
    keep = (
        found.group(1) == b"1"
        and blank.end() == len(head)  # nothing was sent behind the head
        and _no_body_can_follow(fields)
        and _nothing_follows(connection)
    )
    return True, keep


def _no_body_can_follow(fields: bytes) -> bool:
    """True when no header announces a body or the end of the connection: a server that
    sends a body with its 304 would make the next request on it read that body."""
    for line in fields.split(b"\n"):
        name, _, value = line.partition(b":")
        name, value = name.strip().lower(), value.strip().lower()
        if name == b"connection" and b"close" in value:
            return False
        if name == b"transfer-encoding" or (name == b"content-length" and value != b"0"):
            return False
    return True


def _nothing_follows(connection: socket.socket) -> bool:
    """True when no byte has arrived after the 304 head (and the server has not closed)."""
    connection.setblocking(False)
    try:
        connection.recv(1)  # a byte, or b"" when the server closed: either is not clean
    except BlockingIOError:
        return True  # nothing has arrived (how a plain socket says so)
    except OSError as exc:
        import ssl  # loaded already when the connection is TLS, the only case it answers

        return isinstance(exc, ssl.SSLWantReadError)  # how a TLS socket says so
    finally:
        connection.setblocking(True)
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
    work = _by_host_turns([(p.key, build_request(p, user_agent)) for p in probes])
    if not work:
        return set()
    budget = min(timeout_s, PROBE_TIMEOUT_S)
    pools = _Pools(per_host)
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

    # More threads than the per-host limits let work at once would only wait.
    hosts = len({target.host for _, target in work if target is not None})
    threads = [
        threading.Thread(target=worker, name="natoread-probe", daemon=True)
        for _ in range(max(1, min(concurrency, len(work), per_host * max(hosts, 1))))
    ]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        pools.close()
    return answers


def _by_host_turns(work: Iterable[tuple[int, _Target | None]]) -> list[tuple[int, _Target | None]]:
    """Probes ordered so that hosts take turns: one slow host does not hold up the others
    (those without a target, which are not sent, count as one host)."""
    per_host: dict[str, list[tuple[int, _Target | None]]] = {}
    for item in work:
        per_host.setdefault(item[1].host if item[1] is not None else "", []).append(item)
    queues = list(per_host.values())
    ordered: list[tuple[int, _Target | None]] = []
    for turn in range(max((len(q) for q in queues), default=0)):
        ordered.extend(q[turn] for q in queues if turn < len(q))
    return ordered
