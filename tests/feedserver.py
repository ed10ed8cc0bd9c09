"""A real HTTP server on 127.0.0.1 serving generated feeds, for tests and benchmarks."""

from __future__ import annotations

import gzip
import hashlib
import threading
import time
from dataclasses import dataclass, field
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class _QuietServer(ThreadingHTTPServer):
    """A threaded server that does not print client disconnects."""

    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        pass


@dataclass
class Route:
    """How one path answers."""

    body: bytes = b""
    content_type: str = "application/rss+xml; charset=utf-8"
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    validators: bool = True
    gzip: bool = False
    redirect_to: str | None = None
    drip_s: float = 0.0
    """Send one byte every `drip_s` seconds (a slow-loris body)."""
    last_modified: str = field(default_factory=lambda: formatdate(usegmt=True))
    raw_gzip: bytes | None = None
    """Pre-compressed body sent as-is with Content-Encoding: gzip (a gzip bomb)."""


class FeedServer:
    """Threaded HTTP server with per-path routes, conditional GET, gzip and faults."""

    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.hits: dict[str, int] = {}
        self.requests: list[tuple[str, dict[str, str]]] = []
        self.posts: list[tuple[str, bytes]] = []
        """Each POST's path and body (a webhook's view of notifications)."""
        self._lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True

            def log_message(self, *args: object) -> None:
                pass

            def do_GET(self) -> None:
                server._handle(self)

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                with server._lock:
                    server.posts.append((self.path, self.rfile.read(length)))
                server._send(self, 204, b"", {})

        self.httpd = _QuietServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self._thread = threading.Thread(
            target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()

    def url(self, path: str) -> str:
        """Absolute URL of `path` on this server."""
        return f"http://127.0.0.1:{self.port}{path}"

    def add(self, path: str, body: bytes | str = b"", **options: object) -> str:
        """Serve `body` at `path`; returns the URL."""
        data = body.encode("utf-8") if isinstance(body, str) else body
        self.routes[path] = Route(body=data, **options)  # type: ignore[arg-type]
        return self.url(path)

    def close(self) -> None:
        """Stop serving."""
        self.httpd.shutdown()
        self.httpd.server_close()

    def _handle(self, request: BaseHTTPRequestHandler) -> None:
        path = request.path
        with self._lock:
            self.hits[path] = self.hits.get(path, 0) + 1
            self.requests.append((path, dict(request.headers.items())))
        route = self.routes.get(path)
        if route is None:
            self._send(request, 404, b"not found", {"Content-Type": "text/plain"})
            return
        if route.redirect_to:
            self._send(request, route.status, b"", {"Location": route.redirect_to})
            return
        headers = {"Content-Type": route.content_type, **route.headers}
        if route.status != 200:
            self._send(request, route.status, route.body, headers)
            return
        if route.validators:
            etag = '"' + hashlib.sha1(route.body).hexdigest()[:16] + '"'
            headers["ETag"] = etag
            headers["Last-Modified"] = route.last_modified
            if request.headers.get("If-None-Match") == etag or (
                request.headers.get("If-Modified-Since") == route.last_modified
                and "If-None-Match" not in request.headers
            ):
                self._send(request, 304, b"", {"ETag": etag})
                return
        body = route.body
        if route.raw_gzip is not None:
            body = route.raw_gzip
            headers["Content-Encoding"] = "gzip"
        elif route.gzip and "gzip" in request.headers.get("Accept-Encoding", ""):
            body = gzip.compress(body)
            headers["Content-Encoding"] = "gzip"
        if route.drip_s:
            request.send_response(200)
            for key, value in headers.items():
                request.send_header(key, value)
            request.send_header("Content-Length", str(len(body)))
            request.end_headers()
            try:
                for byte in body:
                    request.wfile.write(bytes([byte]))
                    request.wfile.flush()
                    time.sleep(route.drip_s)
            except OSError:
                pass
            return
        self._send(request, 200, body, headers)

    @staticmethod
    def _send(
        request: BaseHTTPRequestHandler, status: int, body: bytes, headers: dict[str, str]
    ) -> None:
        try:
            request.send_response(status)
            for key, value in headers.items():
                request.send_header(key, value)
            request.send_header("Content-Length", str(len(body)))
            request.end_headers()
            if status != 304:
                request.wfile.write(body)
        except OSError:
            pass
