"""What makes a URL fetchable, and when two feed URLs name the same feed.

One rule set for every URL natoread will request: the feeds of `feeds.toml` and OPML files,
and every redirect a server answers with. httpx accepts some URLs its socket layer then
crashes on (a port of 99999), so the rules here are checked before a request is made.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

MAX_URL_LENGTH = 4096
_DEFAULT_PORTS = {"http": 80, "https": 443}
_BLANK_OR_CONTROL = re.compile(r"[\s\x00-\x1f\x7f-\x9f]")
_HOST_LABEL = re.compile(r"[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?")
_IPV4_LIKE = re.compile(r"[0-9.]+")


def url_problem(url: str) -> str | None:
    """Why `url` cannot be fetched as a feed, in a few words, or None when it can.

    An absolute http(s) URL, no blanks or control characters, a host name that is a valid
    IP address, ASCII labels or an internationalised name IDNA accepts, and a port from 1 to
    65535.
    """
    if len(url) > MAX_URL_LENGTH:
        return f"longer than {MAX_URL_LENGTH} characters"
    if _BLANK_OR_CONTROL.search(url):
        return "contains blanks or control characters"
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        if "port" in str(exc).lower():
            return "the port must be a number from 1 to 65535"
        return "not a valid URL"
    if parts.scheme.lower() not in _DEFAULT_PORTS:
        return "only http:// and https:// URLs are supported"
    if port is not None and not 1 <= port <= 65535:
        return "the port must be a number from 1 to 65535"
    host = parts.hostname
    if not host:
        return "no host name"
    return _host_problem(host, bracketed=parts.netloc.rpartition("@")[2].startswith("["))


def _host_problem(host: str, *, bracketed: bool) -> str | None:
    """Why `host` (as urlsplit gives it: lower case, no brackets) is not usable, or None."""
    if bracketed or _IPV4_LIKE.fullmatch(host):
        return _address_problem(host, version=6 if bracketed else 4)
    if not host.isascii():
        try:
            host = _idna(host)
        except ValueError:
            return f"host name {host!r} is not a valid internationalised domain name"
    labels = host[:-1].split(".") if host.endswith(".") else host.split(".")
    if len(host) > 253 or not all(_HOST_LABEL.fullmatch(label) for label in labels):
        return f"invalid host name {host!r}"
    return None


def _address_problem(host: str, *, version: int) -> str | None:
    """Why `host`, written as an IP address, is not one, or None."""
    import ipaddress  # only for hosts written as addresses, which few feeds use

    try:
        if version == 6:
            ipaddress.IPv6Address(host)
        else:
            ipaddress.IPv4Address(host)
    except ValueError:
        return f"invalid IPv{version} address {host!r}"
    return None


def _idna(host: str) -> str:
    """The ASCII form of an internationalised host name, as httpx makes it (IDNA 2008);
    raises ValueError when IDNA refuses it."""
    try:
        import idna  # httpx's own dependency, and the encoder it uses for these names
    except ImportError:  # pragma: no cover - httpx always brings it
        return host.encode("idna").decode("ascii")
    try:
        return str(idna.encode(host).decode("ascii"))
    except (idna.IDNAError, UnicodeError) as exc:
        raise ValueError(str(exc)) from None


def same_feed_key(url: str) -> str:
    """`url` reduced so that two spellings of one feed compare equal.

    Scheme and host case, a default port, an http/https pair and a trailing slash do not make
    another feed; the path and query do.
    """
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        return url.strip()
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").rstrip(".")
    shown_port = "" if port is None or port == _DEFAULT_PORTS.get(scheme) else f":{port}"
    return f"{host}{shown_port}{parts.path.rstrip('/')}?{parts.query}"
