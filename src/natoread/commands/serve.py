"""`natoread serve`: the reader in a web browser, through textual-serve.

textual-serve starts one reader process per browser connection and has no login of its own,
so it listens on loopback unless the user opts in to another address; the way in from
another machine is an SSH tunnel.
"""

from __future__ import annotations

import argparse
import errno
import ipaddress
import shlex
import socket
import sys
from pathlib import Path
from urllib.parse import urlsplit

from natoread.commands.common import EXIT_CONFIG, EXIT_OK, Context, err

SHUTDOWN_GRACE_S = 3.0
"""How long Ctrl-C waits for the open pages' reader processes to quit."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The options of `natoread serve`."""
    parser.add_argument(
        "--host", default="127.0.0.1", help="address to listen on (127.0.0.1: this machine only)"
    )
    parser.add_argument(
        "--port", type=_port, default=8080, help="port to listen on (8080; 0 picks a free one)"
    )
    parser.add_argument(
        "--allow-remote",
        action="store_true",
        help="listen on a non-loopback address: anyone who reaches it can read and change"
        " the store, with no login",
    )
    parser.add_argument(
        "--public-url",
        type=_public_url,
        metavar="URL",
        help="the address browsers use to reach this server, when it is not http://HOST:PORT",
    )


def _port(value: str) -> int:
    """argparse type: a TCP port number."""
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a port number, got {value!r}") from None
    if not 0 <= number <= 65535:
        raise argparse.ArgumentTypeError(f"expected a port number 0-65535, got {value!r}")
    return number


def _public_url(value: str) -> str:
    """argparse type: a plain http(s) URL with a host (it is printed and put in the page, so
    spaces and control characters are refused, as `safe_url` refuses them in links)."""
    from natoread.core.text.sanitize import safe_url

    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc or safe_url(value) is None:
        raise argparse.ArgumentTypeError(f"expected a plain http(s) URL, got {value!r}")
    return value


def cmd_serve(context: Context, args: argparse.Namespace) -> int:
    """Serve the reader to browsers until Ctrl-C."""
    host: str = args.host
    port: int = args.port
    try:
        addresses = _addresses(host, port)
    except OSError as exc:
        err(f"--host {host}: cannot use this address: {exc.strerror or exc}")
        return EXIT_CONFIG
    if not args.allow_remote and not all(_is_loopback(str(a[4][0])) for a in addresses):
        err(
            f"refusing to serve on {host}: the browser reader has no login and starts"
            " a reader process for every connection; serve on 127.0.0.1 and reach it through"
            f" an SSH tunnel (ssh -L {port or 8080}:127.0.0.1:{port or 8080} HOST), or pass"
            " --allow-remote to accept the risk"
        )
        return EXIT_CONFIG
    try:
        listener = _listen(addresses[0])
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            err(f"port {port} on {host} is already in use; choose another with --port")
        else:
            err(f"cannot listen on {host} port {port}: {exc.strerror or exc}")
        return EXIT_CONFIG
    bound_port = int(listener.getsockname()[1])
    public_url = (args.public_url or f"http://{_url_host(host)}:{bound_port}").rstrip("/")
    command = reader_command(context.config_path, context.data_dir)
    _serve(command, listener, host, bound_port, public_url)
    print("natoread: stopped", flush=True)
    return EXIT_OK


def reader_command(config_path: Path | None, data_dir: Path) -> str:
    """The shell command line textual-serve runs for each visitor: this natoread's reader on
    the same config and store, every path quoted (textual-serve hands the line to a shell).

    `exec` makes the reader the shell's own process, so stopping a page stops the reader."""
    argv = [sys.executable, "-m", "natoread"]
    if config_path is not None:
        argv += ["--config", str(config_path.resolve())]
    argv += ["--data-dir", str(data_dir.resolve())]
    return "exec " + shlex.join(argv)


_AddressInfo = tuple[
    socket.AddressFamily,
    socket.SocketKind,
    int,
    str,
    tuple[str, int] | tuple[str, int, int, int] | tuple[int, bytes],
]
"""One of `socket.getaddrinfo`'s answers: family, type, protocol, name, socket address."""


def _addresses(host: str, port: int) -> list[_AddressInfo]:
    """Every address `host` stands for (a name may have several)."""
    return list(socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE))


def _is_loopback(address: str) -> bool:
    """True for 127.0.0.0/8 and ::1 (an IPv6 zone suffix is ignored)."""
    try:
        return ipaddress.ip_address(address.split("%", 1)[0]).is_loopback
    except ValueError:
        return False


def _listen(address: _AddressInfo) -> socket.socket:
    """A listening socket on `address`, bound here so that a port in use is reported before
    anything starts (and `--port 0` knows its port)."""
    family, kind, proto, _, sockaddr = address
    listener = socket.socket(family, kind, proto)
    try:
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(sockaddr)
        listener.listen(128)
    except OSError:
        listener.close()
        raise
    listener.setblocking(False)
    return listener


def _url_host(host: str) -> str:
    """`host` as it is written in a URL: IPv6 in brackets; a wildcard becomes this machine's
    name, since no browser can reach 0.0.0.0."""
    if host in ("0.0.0.0", "::", ""):
        return socket.getfqdn()
    return f"[{host}]" if ":" in host else host


def _serve(command: str, listener: socket.socket, host: str, port: int, public_url: str) -> None:
    """Run textual-serve's web application on `listener` until SIGINT or SIGTERM."""
    import asyncio
    import logging
    import signal

    from aiohttp import web
    from aiohttp.web_runner import GracefulExit
    from textual_serve.server import Server

    sessions: set[asyncio.Task[object]] = set()
    """Each open page's websocket handler."""

    class ReaderServer(Server):
        """textual-serve's server, quiet about itself (natoread prints its own line), that
        ends every page's reader before it stops."""

        def initialize_logging(self) -> None:
            logging.basicConfig(level=logging.WARNING, format="natoread serve: %(message)s")

        async def on_startup(self, app: web.Application) -> None:
            """No banner."""

        async def web_app(self) -> web.Application:
            """The web application alone: textual-serve offers it only privately, and
            `serve` runs it on a socket bound beforehand instead of by host and port."""
            return await self._make_app()

        async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
            session = asyncio.current_task()
            assert session is not None
            sessions.add(session)
            try:
                return await super().handle_websocket(request)
            finally:
                sessions.discard(session)

        async def on_shutdown(self, app: web.Application) -> None:
            """Cancel each page's session: textual-serve then asks its reader to quit and
            waits for it, so no reader outlives the server."""
            open_sessions = list(sessions)
            for session in open_sessions:
                session.cancel()
            if open_sessions:
                await asyncio.wait(open_sessions, timeout=SHUTDOWN_GRACE_S)

    server = ReaderServer(command, host=host, port=port, title="natoread", public_url=public_url)
    server.initialize_logging()
    loop = asyncio.new_event_loop()

    def stop() -> None:
        raise GracefulExit()

    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop)
    # Said once Ctrl-C is ours to handle: the socket already listens, so a page opened from
    # this line waits in its queue.
    print(f"natoread: serving the reader on {public_url} (Ctrl-C stops)", flush=True)
    try:
        # Server.serve binds by host and port itself; serving on the socket bound above
        # (port in use reported first, --port 0) takes its web application instead.
        web.run_app(
            server.web_app(),
            sock=listener,
            handle_signals=False,
            loop=loop,
            shutdown_timeout=SHUTDOWN_GRACE_S,
            print=None,
        )
    finally:
        listener.close()
