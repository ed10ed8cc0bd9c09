"""How natoread talks HTTP, in one place: the headers it sends, the certificates it trusts,
and what counts as one host for per-host limits.

Both ways of asking a server use it: the full fetch (httpx, `fetch.py`) and the 304 probe
(plain sockets, `probe.py`).
"""

from __future__ import annotations

import os
import threading
from typing import TYPE_CHECKING, NamedTuple
from urllib.parse import urlsplit

if TYPE_CHECKING:
    import ssl

FEED_ACCEPT = (
    "application/rss+xml, application/atom+xml, application/feed+json, "
    "application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5"
)
PAGE_ACCEPT = "text/html,application/xhtml+xml;q=0.9,*/*;q=0.5"
ACCEPT_ENCODING = "gzip, deflate"
"""The only content codings natoread can undo (see `fetch.content_codings`)."""
CONNECT_TIMEOUT_S = 10.0
"""The longest wait for a connection, within a request's total deadline."""


class FetchLimits(NamedTuple):
    """Politeness and safety limits for one poll pass (a named tuple: this module is on the
    path of every cron pass, where a dataclass costs more to define)."""

    concurrency: int = 16
    per_host: int = 4
    timeout_s: float = 20.0
    max_bytes: int = 10 * 2**20
    user_agent: str = "natoread"


def request_headers(user_agent: str, accept: str = FEED_ACCEPT) -> dict[str, str]:
    """The headers of every request natoread makes (validators are added per request)."""
    return {"User-Agent": user_agent, "Accept": accept, "Accept-Encoding": ACCEPT_ENCODING}


def host_key(url: str) -> str:
    """The host a URL's requests count against for the per-host limit ('' if none)."""
    try:
        return (urlsplit(url).hostname or "").lower()
    except ValueError:
        return ""


_tls: ssl.SSLContext | None = None
_tls_lock = threading.Lock()


def tls_context() -> ssl.SSLContext:
    """The certificate checks of every https request, made once per process.

    The trust store is $SSL_CERT_FILE or $SSL_CERT_DIR when set, else certifi's roots: the
    rules httpx applies to its own default context, written here so that the probe and the
    full fetch can never disagree about a certificate.
    """
    global _tls
    with _tls_lock:
        if _tls is None:
            import ssl

            if os.environ.get("SSL_CERT_FILE"):
                _tls = ssl.create_default_context(cafile=os.environ["SSL_CERT_FILE"])
            elif os.environ.get("SSL_CERT_DIR"):
                _tls = ssl.create_default_context(capath=os.environ["SSL_CERT_DIR"])
            else:
                import certifi

                _tls = ssl.create_default_context(cafile=certifi.where())
        return _tls
