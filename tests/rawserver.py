"""A loopback TCP server that answers each path with exact bytes: any status line, any
header, any body, including what no HTTP library would produce."""

from __future__ import annotations

import socket
import threading


class RawServer:
    """Serves `answers[path]` verbatim to one request per connection, then closes it."""

    def __init__(self) -> None:
        self.answers: dict[str, bytes] = {}
        self._socket = socket.create_server(("127.0.0.1", 0))
        self._socket.settimeout(0.2)
        self.port = self._socket.getsockname()[1]
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def url(self, path: str) -> str:
        """Absolute URL of `path` on this server."""
        return f"http://127.0.0.1:{self.port}{path}"

    def add(self, path: str, answer: bytes) -> str:
        """Answer requests for `path` with `answer`; returns the URL."""
        self.answers[path] = answer
        return self.url(path)

    def close(self) -> None:
        """Stop serving."""
        self._stop.set()
        self._thread.join(timeout=5)
        self._socket.close()

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                connection, _ = self._socket.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            threading.Thread(target=self._answer, args=(connection,), daemon=True).start()

    def _answer(self, connection: socket.socket) -> None:
        with connection:
            connection.settimeout(5)
            request = b""
            try:
                while b"\r\n\r\n" not in request and len(request) < 65536:
                    chunk = connection.recv(4096)
                    if not chunk:
                        return
                    request += chunk
                path = request.split(b" ", 2)[1].decode("latin-1")
                missing = b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n"
                connection.sendall(self.answers.get(path, missing))
                connection.shutdown(socket.SHUT_WR)
            except (OSError, IndexError):
                return


def answer(status: str, headers: dict[str, bytes] | None = None, body: bytes = b"") -> bytes:
    """An HTTP/1.1 answer: `status` such as "200 OK", headers as given (no Content-Length is
    added: the connection's end delimits the body)."""
    lines = [f"HTTP/1.1 {status}".encode("latin-1")]
    lines += [name.encode("latin-1") + b": " + value for name, value in (headers or {}).items()]
    return b"\r\n".join(lines) + b"\r\n\r\n" + body
