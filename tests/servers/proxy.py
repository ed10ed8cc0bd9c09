"""A loopback HTTP proxy that answers a set number of requests, then drops every connection:
a server that goes down in the middle of a sync."""

from __future__ import annotations

import http.client
import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

HOP_HEADERS = {"host", "connection", "keep-alive", "transfer-encoding", "content-length"}


class CuttingProxy:
    """Forwards to `target` until `answers` requests were answered; `before(n)` runs before
    the n-th request (from 1) is forwarded (something changes on the server meanwhile)."""

    def __init__(
        self, target: str, answers: int, before: Callable[[int], None] | None = None
    ) -> None:
        parts = urlsplit(target)
        self.answers = answers
        self.before = before
        self.answered = 0
        self._lock = threading.Lock()
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: object) -> None:
                pass

            def _forward(self) -> None:
                with proxy._lock:
                    if proxy.answered >= proxy.answers:
                        self.close_connection = True  # down: no answer at all
                        return
                    proxy.answered += 1
                    if proxy.before is not None:
                        proxy.before(proxy.answered)
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else None
                headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP_HEADERS}
                upstream = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=30)
                try:
                    upstream.request(self.command, self.path, body=body, headers=headers)
                    answer = upstream.getresponse()
                    data = answer.read()
                    self.send_response(answer.status)
                    for key, value in answer.getheaders():
                        if key.lower() not in HOP_HEADERS:
                            self.send_header(key, value)
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                finally:
                    upstream.close()

            do_GET = do_POST = do_PUT = _forward

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self) -> None:
        """Stop."""
        self.httpd.shutdown()
        self.httpd.server_close()
