"""A local feed farm on 127.0.0.1: N realistic RSS/Atom feeds with gzip, ETag/Last-Modified/304.

Run standalone (`python benchmarks/farm.py --feeds 1000 --port 8800`) or import `start_farm`.
Asyncio, HTTP/1.1 keep-alive, one process; optional per-request latency imitates a network.
"""

from __future__ import annotations

import argparse
import asyncio
import gzip
import hashlib
import random
import threading
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from xml.sax.saxutils import escape

WORDS = [
    "alliance",
    "allies",
    "summit",
    "ministers",
    "defence",
    "spending",
    "pledge",
    "brigade",
    "border",
    "security",
    "talks",
    "parliament",
    "vote",
    "ratification",
    "protocol",
    "minister",
    "president",
    "government",
    "capital",
    "officials",
    "statement",
    "agreement",
    "support",
    "forces",
    "exercise",
    "region",
    "eastern",
    "flank",
    "treaty",
    "council",
    "envoy",
    "economy",
    "market",
    "weather",
    "festival",
    "season",
    "team",
    "match",
    "league",
    "report",
    "analysis",
    "week",
    "city",
]
PLACES = ["Ukraine", "Georgia", "Moldova", "Finland", "Sweden", "Brussels", "Ankara", "Budapest"]
SPEAKERS = ["Mark Rutte", "Alexander Stubb", "Ulf Kristersson", "Viktor Orbán", "Annalena Baerbock"]


@dataclass
class FeedDoc:
    """One served feed: raw and gzipped body plus validators."""

    raw: bytes
    gz: bytes
    etag: str
    last_modified: str


def _paragraph(rng: random.Random, size: int, alliance: bool) -> str:
    """Filler HTML of about `size` characters with an occasional quote."""
    parts: list[str] = []
    source = "<a href='/x'>NATO</a>" if alliance else "<a href='/x'>officials</a>"
    while sum(len(p) for p in parts) < size:
        words = " ".join(rng.choice(WORDS) for _ in range(rng.randint(12, 30)))
        if rng.random() < 0.3:
            speaker = rng.choice(SPEAKERS)
            parts.append(f"<p>&#8220;{words.capitalize()},&#8221; {escape(speaker)} said.</p>")
        else:
            place = rng.choice(PLACES)
            parts.append(f"<p>{words.capitalize()} in {place}, {source} said.</p>")
    return "".join(parts)


def make_feed(index: int, seed: int = 7) -> bytes:
    """A deterministic RSS 2.0 or Atom document with 20–50 items of 0.5–3 KB HTML."""
    rng = random.Random(seed * 100_003 + index)
    count = rng.randint(20, 50)
    base = datetime(2026, 11, 20, tzinfo=UTC)
    atom = index % 2 == 1
    out = []
    if atom:
        out.append(
            '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
        )
        out.append(f"<title>Farm feed {index}</title><link href='https://farm.example/{index}/'/>")
    else:
        out.append('<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>')
        out.append(f"<title>Farm feed {index}</title><link>https://farm.example/{index}/</link>")
    for n in range(count):
        title = " ".join(rng.choice(WORDS) for _ in range(rng.randint(5, 11))).capitalize()
        alliance = rng.random() < 0.3
        if alliance:
            title += f" as {rng.choice(PLACES)} eyes NATO membership"
        body = escape(_paragraph(rng, rng.randint(500, 3000), alliance))
        when = base - timedelta(minutes=index + n * 37)
        link = f"https://farm.example/{index}/story/{n}"
        if atom:
            out.append(
                f"<entry><id>urn:farm:{index}:{n}</id><title>{escape(title)}</title>"
                f"<link href='{link}'/><updated>{when.isoformat()}</updated>"
                f"<content type='html'>{body}</content></entry>"
            )
        else:
            out.append(
                f"<item><guid isPermaLink='false'>urn:farm:{index}:{n}</guid>"
                f"<title>{escape(title)}</title><link>{link}</link>"
                f"<pubDate>{format_datetime(when)}</pubDate><description>{body}</description></item>"
            )
    out.append("</feed>" if atom else "</channel></rss>")
    return "".join(out).encode()


def item_count(index: int, seed: int = 7) -> int:
    """Items in feed `index` (matches make_feed)."""
    return random.Random(seed * 100_003 + index).randint(20, 50)


class Farm:
    """Serves /feed/<i>.xml for i < feeds."""

    def __init__(self, feeds: int, latency_s: float = 0.0) -> None:
        self.latency_s = latency_s
        self.requests = 0
        self.not_modified = 0
        stamp = format_datetime(datetime(2026, 11, 20, tzinfo=UTC), usegmt=True)
        self.docs = []
        for i in range(feeds):
            raw = make_feed(i)
            self.docs.append(
                FeedDoc(
                    raw,
                    gzip.compress(raw, 6),
                    '"' + hashlib.sha1(raw).hexdigest()[:16] + '"',
                    stamp,
                )
            )

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        """Serve keep-alive requests on one connection."""
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                lines = head.decode("latin-1").split("\r\n")
                path = lines[0].split(" ")[1]
                headers = {
                    k.strip().lower(): v.strip()
                    for k, _, v in (line.partition(":") for line in lines[1:] if line)
                }
                self.requests += 1
                if self.latency_s:
                    await asyncio.sleep(self.latency_s)
                writer.write(self._response(path, headers))
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError, asyncio.LimitOverrunError):
            pass
        finally:
            writer.close()

    def _response(self, path: str, headers: dict[str, str]) -> bytes:
        """Bytes of the HTTP response for `path`."""
        try:
            index = int(path.removeprefix("/feed/").removesuffix(".xml"))
            doc = self.docs[index]
        except (ValueError, IndexError):
            return b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n"
        if (
            headers.get("if-none-match") == doc.etag
            or headers.get("if-modified-since") == doc.last_modified
        ):
            self.not_modified += 1
            return f"HTTP/1.1 304 Not Modified\r\nETag: {doc.etag}\r\nContent-Length: 0\r\n\r\n".encode()
        use_gzip = "gzip" in headers.get("accept-encoding", "")
        body = doc.gz if use_gzip else doc.raw
        head = (
            "HTTP/1.1 200 OK\r\nContent-Type: application/xml; charset=utf-8\r\n"
            f"ETag: {doc.etag}\r\nLast-Modified: {doc.last_modified}\r\n"
            + ("Content-Encoding: gzip\r\n" if use_gzip else "")
            + f"Content-Length: {len(body)}\r\n\r\n"
        )
        return head.encode() + body


def start_farm(feeds: int, latency_s: float = 0.0, port: int = 0) -> tuple[Farm, int]:
    """Start a farm on a background thread; returns it and its port."""
    farm = Farm(feeds, latency_s)
    ready = threading.Event()
    result: dict[str, int] = {}

    def serve() -> None:
        async def main() -> None:
            server = await asyncio.start_server(farm.handle, "127.0.0.1", port, backlog=1024)
            result["port"] = server.sockets[0].getsockname()[1]
            ready.set()
            async with server:
                await server.serve_forever()

        asyncio.run(main())

    threading.Thread(target=serve, daemon=True).start()
    ready.wait(30)
    return farm, result["port"]


def farm_config(port: int, feeds: int, **settings: object) -> str:
    """A feeds.toml pointing at the farm."""
    lines = ["[settings]"] + [f"{k} = {v!r}".replace("'", '"') for k, v in settings.items()]
    for i in range(feeds):
        lines += ["[[feeds]]", f'url = "http://127.0.0.1:{port}/feed/{i}.xml"']
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--feeds", type=int, default=100)
    parser.add_argument("--port", type=int, default=8800)
    parser.add_argument("--latency-ms", type=float, default=0.0)
    args = parser.parse_args()
    farm, port = start_farm(args.feeds, args.latency_ms / 1000, args.port)
    print(f"serving {args.feeds} feeds on http://127.0.0.1:{port}/feed/<i>.xml", flush=True)
    threading.Event().wait()
