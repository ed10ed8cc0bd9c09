"""HTTP/1.1 on one kept-alive socket: just what a feed server's API needs (a request with a
body, an answer sized by Content-Length, chunks or the connection's end).

Not http.client: it imports the email package to parse headers, which costs a sync with
nothing new a tenth of its instructions.
"""

from __future__ import annotations

import io
import socket
import time
from collections.abc import Callable
from typing import BinaryIO

LINE_LIMIT = 65536
"""The longest status or header line read."""
HEADERS_LIMIT = 200
"""The most header lines read."""


class ProtocolError(OSError):
    """The server's answer is not HTTP/1.x as it should be."""


class Answer:
    """A read answer: status, body, and whether the server closes the connection."""

    def __init__(self, status: int, body: bytes, will_close: bool) -> None:
        self.status = status
        self.body = body
        self.will_close = will_close


class _DeadlineSocket(io.RawIOBase):
    """A socket's reading side that gives up when the request's whole deadline has passed.

    A socket timeout bounds one wait only: a server sending a byte now and then would keep a
    request going for ever. Each receive here waits at most what is left of the deadline.
    """

    def __init__(self, sock: socket.socket, timeout_s: float, deadline: float) -> None:
        self._sock = sock
        self._timeout_s = timeout_s
        self.deadline = deadline

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview | bytearray) -> int:  # type: ignore[override]
        _bound(self._sock, self.deadline, self._timeout_s)
        try:
            return self._sock.recv_into(buffer)
        except TimeoutError:
            raise TimeoutError(f"no whole answer within {self._timeout_s:g} s") from None


def _bound(sock: socket.socket, deadline: float, timeout_s: float) -> None:
    """Let the socket's next wait last at most what is left of the request's deadline."""
    left = deadline - time.monotonic()
    if left <= 0:
        raise TimeoutError(f"no whole answer within {timeout_s:g} s")
    sock.settimeout(left)


class Connection:
    """One connection to host:port, opened at the first request; each request (sending it and
    reading the whole answer) must end within `timeout_s`."""

    def __init__(
        self,
        host: str,
        port: int | None,
        timeout_s: float,
        wrap: Callable[[socket.socket], socket.socket] | None = None,
    ) -> None:
        self.host = host
        self.port = port or (443 if wrap is not None else 80)
        self.timeout_s = timeout_s
        self._wrap = wrap
        self._socket: socket.socket | None = None
        self._raw: _DeadlineSocket | None = None
        self._reader: BinaryIO | None = None

    def close(self) -> None:
        """Close the socket (the next request opens another)."""
        if self._reader is not None:
            self._reader.close()
            self._reader = None
            self._raw = None
        if self._socket is not None:
            self._socket.close()
            self._socket = None

    def _open(self, deadline: float) -> tuple[socket.socket, BinaryIO]:
        """The connection, opened (connect and TLS handshake) within the request's deadline."""
        if self._socket is None or self._reader is None or self._raw is None:
            left = deadline - time.monotonic()
            raw = socket.create_connection((self.host, self.port), timeout=max(left, 0.001))
            try:
                _bound(raw, deadline, self.timeout_s)
                self._socket = self._wrap(raw) if self._wrap is not None else raw
            except BaseException:
                raw.close()
                raise
            self._raw = _DeadlineSocket(self._socket, self.timeout_s, deadline)
            self._reader = io.BufferedReader(self._raw)
        else:
            self._raw.deadline = deadline
        _bound(self._socket, deadline, self.timeout_s)
        return self._socket, self._reader

    def request(
        self, method: str, target: str, body: bytes | None, headers: dict[str, str], limit: int
    ) -> Answer:
        """Send one request and read its answer (a body over `limit` bytes is cut at
        `limit + 1`, and the connection closed). Any failure closes the connection: what is
        left on it is the rest of an answer nobody will read."""
        try:
            return self._exchange(method, target, body, headers, limit)
        except BaseException:
            self.close()
            raise

    def _exchange(
        self, method: str, target: str, body: bytes | None, headers: dict[str, str], limit: int
    ) -> Answer:
        sock, reader = self._open(time.monotonic() + self.timeout_s)
        default_port = 443 if self._wrap is not None else 80
        host = self.host if self.port == default_port else f"{self.host}:{self.port}"
        lines = [f"{method} {target} HTTP/1.1", f"Host: {host}"]
        lines += [f"{name}: {value}" for name, value in headers.items()]
        if body is not None or method in ("POST", "PUT"):
            lines.append(f"Content-Length: {len(body or b'')}")
        sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + (body or b""))
        status, fields = _head(reader)
        while 100 <= status < 200:  # an interim answer: the real one follows
            status, fields = _head(reader)
        will_close = fields.get("connection", "").lower() == "close"
        if status in (204, 304) or method == "HEAD":
            return Answer(status, b"", will_close)
        if "chunked" in fields.get("transfer-encoding", "").lower():
            data, complete = _chunks(reader, limit)
            return Answer(status, data, will_close or not complete)
        if "content-length" in fields:
            try:
                length = int(fields["content-length"])
            except ValueError:
                raise ProtocolError("a Content-Length that is not a number") from None
            data = reader.read(min(length, limit + 1))
            if len(data) < min(length, limit + 1):
                raise ProtocolError("the answer ended early")
            return Answer(status, data, will_close or length > limit)
        return Answer(status, reader.read(limit + 1), True)  # the body ends with the connection


def _line(reader: BinaryIO) -> bytes:
    line = reader.readline(LINE_LIMIT + 1)
    if len(line) > LINE_LIMIT:
        raise ProtocolError("a header line over 64 KiB")
    return line


def _head(reader: BinaryIO) -> tuple[int, dict[str, str]]:
    """The status and the header fields (names lower-cased)."""
    first = _line(reader)
    if not first:
        # A kept-alive connection the server closed: the caller asks again on a new one.
        raise ConnectionResetError("the server closed the connection")
    parts = first.decode("latin-1").split(None, 2)
    if len(parts) < 2 or not parts[0].startswith("HTTP/1.") or not parts[1].isdigit():
        raise ProtocolError("the answer is not HTTP/1.x")
    fields: dict[str, str] = {}
    for _ in range(HEADERS_LIMIT):
        line = _line(reader)
        if line in (b"\r\n", b"\n", b""):
            return int(parts[1]), fields
        name, _, value = line.decode("latin-1").partition(":")
        fields[name.strip().lower()] = value.strip()
    raise ProtocolError(f"an answer with over {HEADERS_LIMIT} header lines")


def _chunks(reader: BinaryIO, limit: int) -> tuple[bytes, bool]:
    """A chunked body, and whether it was read to its end (not cut at `limit`)."""
    parts: list[bytes] = []
    size = 0
    while True:
        head = _line(reader).split(b";", 1)[0].strip()
        try:
            length = int(head, 16)
        except ValueError:
            raise ProtocolError("a chunk size that is not a number") from None
        if length < 0:
            raise ProtocolError("a negative chunk size")
        if length == 0:
            while _line(reader) not in (b"\r\n", b"\n", b""):  # trailer fields
                pass
            return b"".join(parts), True
        chunk = reader.read(length)
        if len(chunk) < length:
            raise ProtocolError("the answer ended early")
        reader.read(2)  # the CRLF after the chunk
        parts.append(chunk)
        size += length
        if size > limit:
            return b"".join(parts), False
