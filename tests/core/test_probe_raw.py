"""The 304 probe reads answers over plain sockets: what it keeps, what it drops, what it
refuses, against scripted loopback servers (and what a pass of probes imports)."""

from __future__ import annotations

import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from natoread.core.feeds.probe import MAX_HEAD_BYTES, Probe, build_request, unchanged_feeds
from tests import feedgen
from tests.conftest import write_config
from tests.core.test_revalidate import ScriptedServer
from tests.feedserver import FeedServer


@pytest.fixture
def scripted() -> Iterator[Callable[..., ScriptedServer]]:
    servers: list[ScriptedServer] = []

    def make(respond: Callable[[bytes], bytes | None], **options: bool) -> ScriptedServer:
        servers.append(ScriptedServer(respond, **options))
        return servers[-1]

    yield make
    for server in servers:
        server.close()


def ask(probes: list[Probe], timeout_s: float = 2.0) -> set[int]:
    return unchanged_feeds(
        probes, user_agent="natoread-test", concurrency=1, per_host=1, timeout_s=timeout_s
    )


def probes_to(server: ScriptedServer, count: int) -> list[Probe]:
    return [Probe(i, server.url(f"/f{i}.xml"), '"v1"', None) for i in range(count)]


@pytest.mark.parametrize(
    "answer",
    [
        b"HTTP/1.0 304 Not Modified\r\n\r\n",  # HTTP/1.0 closes unless told otherwise
        b"HTTP/1.1 304 Not Modified\r\nContent-Length: 5\r\n\r\n",  # a body may follow
        b"HTTP/1.1 304 Not Modified\r\nTransfer-Encoding: chunked\r\n\r\n",
        b"HTTP/1.1 304 Not Modified\r\nconnection:  Close\r\n\r\n",
    ],
)
def test_a_304_that_may_be_followed_by_something_is_unchanged_on_a_dropped_connection(
    scripted: Callable[..., ScriptedServer], answer: bytes
) -> None:
    server = scripted(lambda head: answer)
    assert ask(probes_to(server, 3)) == {0, 1, 2}
    assert server.connections == 3


def test_a_304_with_bare_line_feeds_is_read(scripted: Callable[..., ScriptedServer]) -> None:
    server = scripted(lambda head: b'HTTP/1.1 304 Not Modified\nETag: "v1"\n\n')
    started = time.monotonic()
    assert ask(probes_to(server, 2), timeout_s=3.0) == {0, 1}
    assert time.monotonic() - started < 2  # read at once, not at the probe's deadline
    assert server.connections == 1


def test_a_clean_304_keeps_its_connection(scripted: Callable[..., ScriptedServer]) -> None:
    server = scripted(lambda head: b'HTTP/1.1 304\r\nContent-Length: 0\r\nETag: "v1"\r\n\r\n')
    assert ask(probes_to(server, 4)) == {0, 1, 2, 3}
    assert server.connections == 1


@pytest.mark.parametrize(
    "answer",
    [
        b"HTTP/1.1 304Not Modified\r\n\r\n",
        b"http/1.1 304 Not Modified\r\n\r\n",
        b"HTTP/1.1 304 Not\x00Modified\r\n\r\n",
        b" HTTP/1.1 304 Not Modified\r\n\r\n",
        b"HTTP/1.1 200 OK\r\nX-Status: HTTP/1.1 304\r\n\r\n",
        b"HTTP/1.1 304 Not Modified\r\nX-Pad: " + b"a" * MAX_HEAD_BYTES + b"\r\n\r\n",
        b'HTTP/1.1 304 Not Modified\r\nETag: "v1"\r\n',  # then the server closes
    ],
)
def test_answers_that_are_not_exactly_a_304_are_not_one(
    scripted: Callable[..., ScriptedServer], answer: bytes
) -> None:
    server = scripted(lambda head: answer, close_after_each=True)
    assert ask(probes_to(server, 1), timeout_s=0.5) == set()


def test_a_304_that_arrives_a_byte_at_a_time_is_read_whole() -> None:
    listener = socket.create_server(("127.0.0.1", 0))
    port = listener.getsockname()[1]

    def serve() -> None:
        conn, _ = listener.accept()
        with conn:
            conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            while b"\r\n\r\n" not in conn.recv(65536):
                pass
            for byte in b'HTTP/1.1 304 Not Modified\r\nETag: "v1"\r\n\r\n':
                conn.sendall(bytes([byte]))
                time.sleep(0.001)

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        assert ask([Probe(9, f"http://127.0.0.1:{port}/f.xml", '"v1"', None)]) == {9}
    finally:
        thread.join(5)
        listener.close()


def test_the_host_header_names_the_port_only_when_it_is_not_the_default() -> None:
    def request(url: str) -> list[str]:
        target = build_request(Probe(1, url, '"a"', None), "ua")
        assert target is not None
        return target.request().decode("ascii").split("\r\n")

    assert request("http://example.org/f")[:2] == ["GET /f HTTP/1.1", "Host: example.org"]
    assert request("https://example.org:443/f")[1] == "Host: example.org"
    assert request("https://example.org:8443/f")[1] == "Host: example.org:8443"
    assert request("http://[::1]:8080/f")[1] == "Host: [::1]:8080"
    assert request("http://example.org/f")[-2:] == ["", ""]  # the head ends with a blank line


def test_a_pass_of_probes_imports_no_http_library(server: FeedServer, tmp_path: Path) -> None:
    urls = [server.add(f"/f{i}.xml", feedgen.rss(feedgen.items(2, f"F{i}"))) for i in range(3)]
    config = write_config(tmp_path, feedgen.config_toml(urls))
    args = ["--config", str(config), "--data-dir", str(tmp_path), "fetch", "--quiet"]
    code = (
        "import sys\n"
        "from natoread.cli import main\n"
        f"rc = main({args!r})\n"
        "heavy = ('http.client', 'email.parser', 'ssl', 'httpx')\n"
        "print(rc, ','.join(m for m in heavy if m in sys.modules))"
    )
    for _ in range(2):  # read the feeds, then settle them on 304 with the full pass
        subprocess.run([sys.executable, "-c", code], check=True, capture_output=True)
    requests_before = len(server.requests)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["0"]
    assert len(server.requests) == requests_before + 3  # the three probes, nothing else
