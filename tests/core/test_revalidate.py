"""304 probes against real loopback servers: well-behaved, changed, broken and hostile ones."""

from __future__ import annotations

import hashlib
import shutil
import socket
import ssl
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from natoread.core.feeds import http_policy as httppolicy
from natoread.core.feeds.probe import Probe, build_request, unchanged_feeds
from tests.feedserver import FeedServer

Respond = Callable[[bytes], bytes | None]
"""Request head → bytes to send back (None: say nothing and keep the connection open)."""


class ScriptedServer:
    """A raw TCP server on 127.0.0.1 that answers each request head with what `respond` says.

    It counts the connections it accepted, so tests can see reuse and per-host limits.
    """

    def __init__(self, respond: Respond, *, close_after_each: bool = False) -> None:
        self.respond = respond
        self.close_after_each = close_after_each
        self.connections = 0
        self.requests: list[bytes] = []
        self.open_now = 0
        self.most_open = 0
        self._lock = threading.Lock()
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port = self._listener.getsockname()[1]
        self._stop = threading.Event()
        threading.Thread(target=self._accept, daemon=True).start()

    def url(self, path: str = "/feed.xml") -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def close(self) -> None:
        self._stop.set()
        self._listener.close()

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._listener.accept()
            except OSError:
                return
            with self._lock:
                self.connections += 1
                self.open_now += 1
                self.most_open = max(self.most_open, self.open_now)
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _serve(self, conn: socket.socket) -> None:
        buffer = b""
        try:
            while not self._stop.is_set():
                while b"\r\n\r\n" not in buffer:
                    chunk = conn.recv(65536)
                    if not chunk:
                        return
                    buffer += chunk
                head, _, buffer = buffer.partition(b"\r\n\r\n")
                with self._lock:
                    self.requests.append(head)
                answer = self.respond(head)
                if answer is None:
                    self._stop.wait(30)
                    return
                conn.sendall(answer)
                if self.close_after_each:
                    return
        except OSError:
            return
        finally:
            with self._lock:
                self.open_now -= 1
            conn.close()


@pytest.fixture
def scripted() -> Iterator[Callable[..., ScriptedServer]]:
    servers: list[ScriptedServer] = []

    def make(respond: Respond, **options: bool) -> ScriptedServer:
        servers.append(ScriptedServer(respond, **options))
        return servers[-1]

    yield make
    for server in servers:
        server.close()


NOT_MODIFIED = b'HTTP/1.1 304 Not Modified\r\nETag: "v1"\r\n\r\n'


def probe(url: str, key: int = 1) -> Probe:
    return Probe(key, url, '"v1"', "Sun, 06 Nov 1994 08:49:37 GMT")


def ask(probes: list[Probe], **options: object) -> set[int]:
    settings: dict[str, object] = {
        "user_agent": "natoread-test",
        "concurrency": 8,
        "per_host": 4,
        "timeout_s": 3.0,
    }
    settings.update(options)
    return unchanged_feeds(probes, **settings)  # type: ignore[arg-type]


def test_a_304_is_unchanged_and_the_request_carries_the_validators(server: FeedServer) -> None:
    url = server.add("/f.xml", "<rss/>", last_modified="Sun, 06 Nov 1994 08:49:37 GMT")
    etag = '"' + hashlib.sha1(b"<rss/>").hexdigest()[:16] + '"'
    assert ask([Probe(7, url, etag, "Sun, 06 Nov 1994 08:49:37 GMT")]) == {7}
    headers = server.requests[-1][1]
    assert headers["If-None-Match"] == etag
    assert headers["If-Modified-Since"] == "Sun, 06 Nov 1994 08:49:37 GMT"
    assert headers["User-Agent"] == "natoread-test"
    assert headers["Host"] == f"127.0.0.1:{server.port}"
    assert "gzip" in headers["Accept-Encoding"]


@pytest.mark.parametrize(
    "route",
    [
        {"body": b"<rss>changed</rss>"},  # the validators no longer match: 200
        {"status": 301, "redirect_to": "/elsewhere"},
        {"status": 404},
        {"status": 503, "headers": {"Retry-After": "60"}},
    ],
)
def test_every_answer_but_304_goes_to_the_full_fetch(
    server: FeedServer, route: dict[str, object]
) -> None:
    url = server.add("/f.xml", **route)  # type: ignore[arg-type]
    assert ask([probe(url)]) == set()


def test_connection_refused_is_not_an_answer() -> None:
    listener = socket.create_server(("127.0.0.1", 0))
    port = listener.getsockname()[1]
    listener.close()
    assert ask([probe(f"http://127.0.0.1:{port}/f.xml")]) == set()


def test_connections_are_reused_and_capped_per_host(
    scripted: Callable[..., ScriptedServer],
) -> None:
    def slowly(head: bytes) -> bytes:
        time.sleep(0.01)  # the server's own pace, so that probes overlap
        return NOT_MODIFIED

    slow = scripted(slowly)
    probes = [probe(slow.url(f"/f{i}.xml"), i) for i in range(40)]
    assert ask(probes, concurrency=16, per_host=3) == set(range(40))
    assert len(slow.requests) == 40
    assert slow.most_open <= 3
    assert slow.connections <= 3


def test_a_304_with_connection_close_is_still_unchanged(
    scripted: Callable[..., ScriptedServer],
) -> None:
    closing = scripted(
        lambda head: b"HTTP/1.1 304 Not Modified\r\nConnection: close\r\n\r\n",
        close_after_each=True,
    )
    probes = [probe(closing.url(f"/f{i}.xml"), i) for i in range(5)]
    assert ask(probes, concurrency=1, per_host=1) == set(range(5))
    assert closing.connections == 5


def test_an_idle_connection_closed_by_the_server_is_retried_once(
    scripted: Callable[..., ScriptedServer],
) -> None:
    # The server closes after each answer without saying so: the next probe finds the kept
    # connection dead and must try again on a fresh one instead of giving up.
    rude = scripted(lambda head: NOT_MODIFIED, close_after_each=True)
    probes = [probe(rude.url(f"/f{i}.xml"), i) for i in range(4)]
    assert ask(probes, concurrency=1, per_host=1) == set(range(4))
    assert rude.connections == 4


@pytest.mark.parametrize(
    "answer",
    [
        b"HTTP/1.1 200 OK\r\nContent-Length: 6\r\n\r\n<rss/>",
        b"HTTP/1.1 304\r\n",  # the header section never ends, then the server waits
        b"SSH-2.0-OpenSSH_9.2\r\n\r\n",
        b"HTTP/2 304\r\n\r\n",
        b"HTTP/1.1 3040 Not Modified\r\n\r\n",
        b"HTTP/1.1 304 Not Modified\r\n" + b"X-Pad: " + b"a" * 100_000 + b"\r\n\r\n",
    ],
)
def test_malformed_and_hostile_answers_are_not_304(
    scripted: Callable[..., ScriptedServer], answer: bytes
) -> None:
    server = scripted(lambda head: answer)
    started = time.monotonic()
    assert ask([probe(server.url())], timeout_s=0.5) == set()
    assert time.monotonic() - started < 3


def test_a_silent_server_costs_one_probe_budget_at_most(
    scripted: Callable[..., ScriptedServer],
) -> None:
    silent = scripted(lambda head: None)
    answered = scripted(lambda head: NOT_MODIFIED)
    started = time.monotonic()
    result = ask([probe(silent.url(), 1), probe(answered.url(), 2)], timeout_s=0.4)
    assert result == {2}
    assert time.monotonic() - started < 2


def test_a_304_with_bytes_after_it_is_unchanged_but_the_connection_is_dropped(
    scripted: Callable[..., ScriptedServer],
) -> None:
    # A 304 has no body; a server that sends one would desynchronise a reused connection.
    sloppy = scripted(lambda head: NOT_MODIFIED + b"<rss/>")
    probes = [probe(sloppy.url(f"/f{i}.xml"), i) for i in range(3)]
    assert ask(probes, concurrency=1, per_host=1) == {0, 1, 2}
    assert sloppy.connections == 3


@pytest.mark.parametrize(
    "url, etag",
    [
        ("ftp://example.org/feed", '"a"'),
        ("http://user:secret@example.org/feed", '"a"'),
        ("http://bücher.example/feed", '"a"'),  # an international name: httpx encodes it
        ("http://example.org/ü.xml", '"a"'),
        ("http://example.org/a b.xml", '"a"'),
        ("http://example.org:99999/feed", '"a"'),
        ("http://example.org/feed", '"a"\r\nX-Injected: 1'),
        ("http://example.org/feed", '"a"\x1b[2J'),
        ("http://example.org/feed", None),  # nothing to ask conditionally
    ],
)
def test_requests_that_would_need_encoding_are_left_to_the_full_fetch(
    url: str, etag: str | None
) -> None:
    assert build_request(Probe(1, url, etag, None), "natoread") is None


def test_a_plain_request_is_sent_exactly(scripted: Callable[..., ScriptedServer]) -> None:
    target = build_request(
        Probe(1, "https://Example.org/a/feed.xml?x=1&y=2#top", '"a"', None), "natoread/1"
    )
    assert target is not None
    assert (target.scheme, target.host, target.port) == ("https", "example.org", 443)
    assert target.path == "/a/feed.xml?x=1&y=2"
    server = scripted(lambda head: NOT_MODIFIED)
    assert ask([Probe(1, server.url("/a/feed.xml?x=1"), '"a"', None)], user_agent="ua/1") == {1}
    lines = server.requests[0].decode("ascii").split("\r\n")
    assert lines[0] == "GET /a/feed.xml?x=1 HTTP/1.1"
    assert f"Host: 127.0.0.1:{server.port}" in lines and 'If-None-Match: "a"' in lines
    assert "User-Agent: ua/1" in lines and "Accept-Encoding: gzip, deflate" in lines
    assert not any(line.startswith("If-Modified-Since") for line in lines)


@pytest.fixture
def tls_304(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """An https server on loopback answering 304, with a self-signed certificate."""
    if shutil.which("openssl") is None:
        pytest.skip("needs the openssl command to make a certificate")
    key, cert = tmp_path / "key.pem", tmp_path / "cert.pem"
    command = (
        "openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=localhost"
        " -addext subjectAltName=DNS:localhost"
    )
    subprocess.run(
        [*command.split(), "-keyout", str(key), "-out", str(cert)],
        check=True,
        capture_output=True,
    )
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    listener = socket.create_server(("127.0.0.1", 0))
    port = listener.getsockname()[1]
    stop = threading.Event()

    def serve() -> None:
        while not stop.is_set():
            try:
                raw, _ = listener.accept()
            except OSError:
                return
            try:
                with context.wrap_socket(raw, server_side=True) as conn:
                    data = b""
                    while b"\r\n\r\n" not in data:
                        chunk = conn.recv(4096)
                        if not chunk:
                            break
                        data += chunk
                    if data:
                        conn.sendall(NOT_MODIFIED)
            except (OSError, ssl.SSLError):
                pass

    threading.Thread(target=serve, daemon=True).start()
    yield f"https://localhost:{port}/feed.xml", cert
    stop.set()
    listener.close()


def test_https_probes_verify_the_certificate(
    tls_304: tuple[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    url, cert = tls_304
    # Nobody trusts a self-signed certificate: no answer, the full fetch reports why.
    assert ask([probe(url)]) == set()
    # Trusting it (and only it), the same server's 304 is read over TLS.
    # Trusting it (and only it) as the shared policy says, $SSL_CERT_FILE, the same server's
    # 304 is read over TLS.
    monkeypatch.setenv("SSL_CERT_FILE", str(cert))
    monkeypatch.setattr(httppolicy, "_tls", None)
    assert ask([probe(url)]) == {1}
