"""The sync client's HTTP/1.1 connection against real loopback servers that answer well,
badly, slowly, or not at all."""

from __future__ import annotations

import contextlib
import shutil
import socket
import ssl
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from natoread.core.sync.wire import Connection, ProtocolError

Handler = Callable[[socket.socket], None]


class Server:
    """Accepts connections on loopback and runs `handler` on each, in its own thread."""

    def __init__(self, handler: Handler) -> None:
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port = self._listener.getsockname()[1]
        self._handler = handler
        self.connections = 0
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self._listener.accept()
            except OSError:
                return
            self.connections += 1
            threading.Thread(target=self._run, args=(conn,), daemon=True).start()

    def _run(self, conn: socket.socket) -> None:
        # OSError: the client gave up, which is what these tests are about
        with conn, contextlib.suppress(OSError):
            self._handler(conn)

    def stop(self) -> None:
        self._listener.close()


def read_request(conn: socket.socket) -> bytes:
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = conn.recv(4096)
        if not chunk:
            break
        data += chunk
    return data


@pytest.fixture
def serve() -> Iterator[Callable[[Handler], Server]]:
    servers: list[Server] = []

    def start(handler: Handler) -> Server:
        servers.append(Server(handler))
        return servers[-1]

    yield start
    for server in servers:
        server.stop()


def keep_alive(body: bytes, requests: int = 2) -> Handler:
    def handler(conn: socket.socket) -> None:
        for _ in range(requests):
            if not read_request(conn):
                return
            head = f"HTTP/1.1 200 OK\r\nContent-Length: {len(body)}\r\n\r\n".encode()
            conn.sendall(head + body)

    return handler


def test_two_requests_share_one_kept_alive_connection(serve: Callable[[Handler], Server]) -> None:
    server = serve(keep_alive(b'{"ok": true}'))
    connection = Connection("127.0.0.1", server.port, timeout_s=5)
    first = connection.request("GET", "/v1/me", None, {}, limit=1000)
    second = connection.request("GET", "/v1/me", None, {}, limit=1000)
    assert (first.status, first.body, second.body) == (200, b'{"ok": true}', b'{"ok": true}')
    assert server.connections == 1
    connection.close()


def test_a_chunked_answer_is_joined_and_a_long_one_cut(serve: Callable[[Handler], Server]) -> None:
    def chunked(conn: socket.socket) -> None:
        read_request(conn)
        conn.sendall(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n")
        conn.sendall(b"5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n")

    connection = Connection("127.0.0.1", serve(chunked).port, timeout_s=5)
    assert connection.request("GET", "/", None, {}, limit=1000).body == b"hello world"
    connection.close()
    cut = Connection("127.0.0.1", serve(chunked).port, timeout_s=5)
    answer = cut.request("GET", "/", None, {}, limit=4)
    assert answer.body == b"hello" and answer.will_close


def test_a_server_trickling_its_answer_meets_the_whole_request_deadline(
    serve: Callable[[Handler], Server],
) -> None:
    """One byte every 50 ms never trips a per-read timeout: without a deadline for the whole
    request this answer would be read to its end, in 3 s."""

    def trickle(conn: socket.socket) -> None:
        read_request(conn)
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 60\r\n\r\n")
        for _ in range(60):
            conn.sendall(b"x")
            time.sleep(0.05)  # the hostile server's pace, not a wait for the client

    connection = Connection("127.0.0.1", serve(trickle).port, timeout_s=0.5)
    with pytest.raises(TimeoutError, match=r"no whole answer within 0\.5 s"):
        connection.request("GET", "/", None, {}, limit=1000)


def test_a_silent_server_times_out_and_the_next_request_uses_a_new_connection(
    serve: Callable[[Handler], Server],
) -> None:
    answered = threading.Event()

    def silent_then_answers(conn: socket.socket) -> None:
        if not answered.is_set():
            answered.set()
            read_request(conn)
            conn.recv(1)  # says nothing until the client hangs up
            return
        keep_alive(b"late", requests=1)(conn)

    server = serve(silent_then_answers)
    connection = Connection("127.0.0.1", server.port, timeout_s=0.3)
    with pytest.raises(TimeoutError):
        connection.request("GET", "/", None, {}, limit=100)
    assert connection.request("GET", "/", None, {}, limit=100).body == b"late"
    assert server.connections == 2


@pytest.mark.parametrize(
    ("answer", "error"),
    [
        (b"SSH-2.0-OpenSSH\r\n\r\n", "not HTTP/1.x"),
        (b"HTTP/1.1 200 OK\r\n" + b"X-A: b\r\n" * 300 + b"\r\n", "over 200 header lines"),
        (b"HTTP/1.1 200 OK\r\nContent-Length: ten\r\n\r\n", "not a number"),
        (b"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nshort", "ended early"),
        (b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", "chunk size"),
    ],
)
def test_a_broken_answer_is_a_protocol_error(
    serve: Callable[[Handler], Server], answer: bytes, error: str
) -> None:
    def broken(conn: socket.socket) -> None:
        read_request(conn)
        conn.sendall(answer)
        conn.shutdown(socket.SHUT_WR)

    connection = Connection("127.0.0.1", serve(broken).port, timeout_s=5)
    with pytest.raises(ProtocolError, match=error):
        connection.request("GET", "/", None, {}, limit=100)


def test_each_request_on_a_kept_alive_connection_has_its_own_deadline(
    serve: Callable[[Handler], Server], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Time passing between two requests (a sync's pages) is not counted against the second."""
    server = serve(keep_alive(b"page"))
    clock = [1000.0]
    # (the time module's own clock, which wire.py reads; nothing else here does)
    monkeypatch.setattr("natoread.core.sync.wire.time.monotonic", lambda: clock[0])
    connection = Connection("127.0.0.1", server.port, timeout_s=5)
    assert connection.request("GET", "/1", None, {}, limit=100).body == b"page"
    clock[0] += 60  # a minute later, on the same connection
    assert connection.request("GET", "/2", None, {}, limit=100).body == b"page"
    assert server.connections == 1


def test_over_tls_the_handshake_counts_against_the_deadline(
    serve: Callable[[Handler], Server], tmp_path: Path
) -> None:
    """A server slow to shake hands and then trickling: the whole request still ends at
    the deadline, not a deadline after the handshake."""
    if shutil.which("openssl") is None:
        pytest.skip("needs the openssl command to make a certificate")
    key, cert = tmp_path / "key.pem", tmp_path / "cert.pem"
    subprocess.run(
        [
            *"openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=localhost".split(),
            *["-addext", "subjectAltName=DNS:localhost", "-keyout", str(key), "-out", str(cert)],
        ],
        check=True,
        capture_output=True,
    )
    server_side = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    server_side.load_cert_chain(cert, key)

    def slow_tls(conn: socket.socket) -> None:
        time.sleep(0.8)  # the hostile server's pace before the handshake
        with server_side.wrap_socket(conn, server_side=True) as tls:
            read_request(tls)
            tls.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 60\r\n\r\n")
            for _ in range(60):
                tls.sendall(b"x")
                time.sleep(0.1)

    client_side = ssl.create_default_context(cafile=str(cert))
    connection = Connection(
        "localhost",
        serve(slow_tls).port,
        timeout_s=1.0,
        wrap=lambda raw: client_side.wrap_socket(raw, server_hostname="localhost"),
    )
    started = time.monotonic()
    with pytest.raises(TimeoutError):
        connection.request("GET", "/", None, {}, limit=1000)
    # 1.0 s from the start of the request; counted from after the handshake it was 1.8 s
    assert time.monotonic() - started < 1.5
