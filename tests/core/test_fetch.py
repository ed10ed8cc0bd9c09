"""HTTP fetching against a real loopback server: validators, limits, faults."""

from __future__ import annotations

import asyncio
import gzip
import shutil
import ssl
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from natoread.core.feeds.fetch import Fetcher, FetchResult, make_client, parse_retry_after
from natoread.core.feeds.http_policy import FetchLimits
from tests.feedserver import FeedServer

LIMITS = FetchLimits(timeout_s=3, max_bytes=200_000, user_agent="natoread-test")


async def fetch(url: str, limits: FetchLimits = LIMITS, **kwargs: object) -> FetchResult:
    async with make_client(limits) as client:
        return await Fetcher(client, limits).fetch(url, **kwargs)  # type: ignore[arg-type]


async def test_ok_then_not_modified(server: FeedServer) -> None:
    url = server.add("/f.xml", "<rss/>")
    first = await fetch(url)
    assert (first.status, first.body) == ("ok", b"<rss/>")
    assert first.etag and first.last_modified
    second = await fetch(url, etag=first.etag, last_modified=first.last_modified)
    assert second.status == "not_modified"
    headers = server.requests[-1][1]
    assert headers["If-None-Match"] == first.etag
    assert headers["User-Agent"] == "natoread-test"


async def test_gzip_body_is_decoded(server: FeedServer) -> None:
    url = server.add("/g.xml", "<rss>" + "x" * 5000 + "</rss>", gzip=True)
    result = await fetch(url)
    assert result.status == "ok" and result.body.startswith(b"<rss>") and len(result.body) == 5011


async def test_gzip_bomb_stops_at_the_limit(server: FeedServer) -> None:
    bomb = gzip.compress(b"\0" * (50 * 2**20))
    url = server.add("/bomb", b"", raw_gzip=bomb)
    result = await fetch(url)
    assert result.status == "error" and "larger than" in (result.error or "")


async def test_oversized_body_is_refused(server: FeedServer) -> None:
    url = server.add("/big", b"x" * 300_000)
    result = await fetch(url)
    assert result.status == "error" and "limit" in (result.error or "")


@pytest.mark.parametrize(
    ("status", "expected"),
    [(404, "error"), (500, "error"), (410, "gone"), (429, "retry_later"), (503, "retry_later")],
)
async def test_http_errors(server: FeedServer, status: int, expected: str) -> None:
    url = server.add("/e", b"no", status=status, headers={"Retry-After": "120"})
    result = await fetch(url)
    assert result.status == expected
    assert str(status) in (result.error or "")
    if expected == "retry_later":
        assert result.retry_after is not None


async def test_permanent_redirect_is_recorded(server: FeedServer) -> None:
    target = server.add("/new.xml", "<rss/>")
    url = server.add("/old.xml", status=301, redirect_to=target)
    result = await fetch(url)
    assert result.status == "ok" and result.moved_to == target


async def test_temporary_redirect_is_not_recorded(server: FeedServer) -> None:
    target = server.add("/t.xml", "<rss/>")
    url = server.add("/tmp", status=302, redirect_to=target)
    result = await fetch(url)
    assert result.status == "ok" and result.moved_to is None


async def test_redirect_loop_is_an_error(server: FeedServer) -> None:
    server.add("/a", status=302, redirect_to=server.url("/b"))
    server.add("/b", status=302, redirect_to=server.url("/a"))
    result = await fetch(server.url("/a"))
    assert result.status == "error" and "redirect" in (result.error or "")


async def test_redirect_to_file_is_refused(server: FeedServer) -> None:
    url = server.add("/f", status=302, redirect_to="file:///etc/passwd")
    result = await fetch(url)
    assert result.status == "error"
    assert "root:" not in repr(result)


async def test_slow_drip_body_hits_total_deadline(server: FeedServer) -> None:
    url = server.add("/slow", b"x" * 100, drip_s=0.2)
    limits = FetchLimits(timeout_s=1.0)
    started = time.monotonic()
    result = await fetch(url, limits)
    assert result.status == "error" and "timed out" in (result.error or "")
    assert time.monotonic() - started < 3


async def test_connection_refused_is_an_error() -> None:
    result = await fetch("http://127.0.0.1:9/feed")
    assert result.status == "error" and "connect" in (result.error or "")


def test_retry_after_forms() -> None:
    now = datetime(2026, 1, 1, tzinfo=UTC)
    assert parse_retry_after("60", now) == now + timedelta(seconds=60)
    assert parse_retry_after("Thu, 01 Jan 2026 01:00:00 GMT", now) == now + timedelta(hours=1)
    assert parse_retry_after("99999999", now) == now + timedelta(days=7)
    assert parse_retry_after("soon", now) is None


@pytest.fixture
def tls_url(tmp_path: Path) -> Iterator[str]:
    """An https server on loopback with a self-signed certificate (which nobody trusts)."""
    if shutil.which("openssl") is None:
        pytest.skip("needs the openssl command to make a certificate")
    key, cert = tmp_path / "key.pem", tmp_path / "cert.pem"
    command = "openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=127.0.0.1".split()
    subprocess.run(
        [*command, "-keyout", str(key), "-out", str(cert)],
        check=True,
        capture_output=True,
    )

    class Feed(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Length", "6")
            self.end_headers()
            self.wfile.write(b"<rss/>")

        def log_message(self, *args: object) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Feed)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    httpd.socket = context.wrap_socket(httpd.socket, server_side=True)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"https://127.0.0.1:{httpd.server_address[1]}/feed.xml"
    httpd.shutdown()
    httpd.server_close()


async def test_https_certificates_are_verified(tls_url: str, server: FeedServer) -> None:
    # The https transport is made on demand; it must still verify, directly and when a
    # plain-http feed redirects to https.
    direct = await fetch(tls_url)
    redirected = await fetch(server.add("/to-tls", status=302, redirect_to=tls_url))
    for result in (direct, redirected):
        assert result.status == "error"
        assert "CERTIFICATE_VERIFY_FAILED" in (result.error or ""), result.error


async def test_the_https_transport_is_made_once_off_the_event_loop(
    tls_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    import httpx

    made_on: list[str] = []
    real = httpx.AsyncHTTPTransport.__init__

    def init(self: httpx.AsyncHTTPTransport, *args: Any, **kwargs: Any) -> None:
        made_on.append(threading.current_thread().name)
        real(self, *args, **kwargs)

    async with make_client(LIMITS) as client:
        monkeypatch.setattr(httpx.AsyncHTTPTransport, "__init__", init)
        fetcher = Fetcher(client, LIMITS)
        results = await asyncio.gather(*(fetcher.fetch(tls_url) for _ in range(5)))
    assert all("CERTIFICATE_VERIFY_FAILED" in (r.error or "") for r in results)
    assert len(made_on) == 1 and made_on[0] != threading.main_thread().name


async def test_a_broken_connection_is_asked_once_more() -> None:
    """A server that resets the first connection (a keep-alive race, a restart) costs one
    retry, not a failing feed; a server that resets every connection still fails the feed."""
    import socket
    import struct

    answer = b"HTTP/1.1 200 OK\r\nContent-Length: 6\r\nConnection: close\r\n\r\n<rss/>"
    listener = socket.create_server(("127.0.0.1", 0))
    port = listener.getsockname()[1]
    accepted: list[int] = []

    def serve(listener: socket.socket, resets: int) -> None:
        while True:
            try:
                conn, _ = listener.accept()
            except OSError:
                return
            accepted.append(1)
            conn.recv(65536)
            if len(accepted) <= resets:  # RST instead of an answer
                conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            else:
                conn.sendall(answer)
            conn.close()

    threading.Thread(target=serve, args=(listener, 1), daemon=True).start()
    try:
        result = await fetch(f"http://127.0.0.1:{port}/f.xml")
        assert (result.status, result.body) == ("ok", b"<rss/>")
        assert len(accepted) == 2
    finally:
        listener.close()

    listener = socket.create_server(("127.0.0.1", 0))
    port = listener.getsockname()[1]
    accepted.clear()
    threading.Thread(target=serve, args=(listener, 99), daemon=True).start()
    try:
        result = await fetch(f"http://127.0.0.1:{port}/f.xml")
        assert result.status == "error" and "ReadError" in (result.error or "")
        assert len(accepted) == 2
    finally:
        listener.close()


def test_the_client_leaves_httpx_command_line_tool_unloaded(server: FeedServer) -> None:
    """`make_client` keeps httpx's own `httpx` command (click, rich, pygments) out of the
    process, and the client it makes still fetches."""
    url = server.add("/cli.xml", "<rss/>")
    code = (
        "import asyncio, sys\n"
        "from natoread.core.feeds.fetch import Fetcher, make_client\n"
        "from natoread.core.feeds.http_policy import FetchLimits\n"
        "limits = FetchLimits(timeout_s=3, max_bytes=1000, user_agent='natoread-test')\n"
        "async def run():\n"
        "    async with make_client(limits) as client:\n"
        f"        return await Fetcher(client, limits).fetch({url!r})\n"
        "result = asyncio.run(run())\n"
        "heavy = ('click', 'rich', 'pygments')\n"
        "print(result.status, result.body.decode(), *(m for m in heavy if m in sys.modules))"
    )
    ran = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert ran.stdout.split() == ["ok", "<rss/>"]
