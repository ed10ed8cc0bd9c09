"""Child-process feedparser fallback: feed bytes on stdin → JSON on stdout.

Run as `python -m natoread.core.feeds.fallback`. It is isolated because feedparser is slow and has
a quadratic regular expression on author fields; the parent kills it after a time limit.
"""

from __future__ import annotations

import json
import sys
import time
from typing import Any

from natoread.core.feeds.childrun import limit_child_memory


def _published(entry: Any) -> str | None:
    """An ISO date from feedparser's parsed tuple, or its raw string."""
    parsed = entry.get("published_parsed") or entry.get("updated_parsed")
    if parsed:
        return time.strftime("%Y-%m-%dT%H:%M:%S+00:00", parsed)
    value = entry.get("published") or entry.get("updated")
    return str(value) if value else None


def main() -> None:
    """Parse stdin with feedparser and print the essentials as JSON.

    The one argument is the most items to print (all of them without it); "total" says how
    many the document held.
    """
    limit_child_memory()
    import feedparser

    max_items = int(sys.argv[1]) if len(sys.argv) > 1 else None
    data = sys.stdin.buffer.read()
    result = feedparser.parse(data)
    entries = []
    for entry in result.entries[:max_items]:
        content = entry.get("content")
        body = content[0].get("value", "") if content else entry.get("summary", "")
        entries.append(
            {
                "id": entry.get("id"),
                "link": entry.get("link"),
                "title": entry.get("title", ""),
                "author": entry.get("author", ""),
                "content": body,
                "published": _published(entry),
            }
        )
    feed = result.get("feed", {})
    json.dump(
        {
            "title": feed.get("title", ""),
            "link": feed.get("link"),
            "entries": entries,
            "total": len(result.entries),
            "bozo": bool(result.get("bozo")),
            "bozo_exception": str(result.get("bozo_exception", "")),
        },
        sys.stdout,
    )


if __name__ == "__main__":
    main()
