"""Child-process full-text extraction: an HTML page on stdin → its main text on stdout.

Run as `python -m natoread.core.feeds.extract` (see `core/childrun.py`). trafilatura can take
minutes on a hostile page, so it runs here, where the parent can kill it. Exits with status
3 when trafilatura is not installed; an empty answer means no article text was found.
"""

from __future__ import annotations

import sys

from natoread.core.feeds.childrun import limit_child_memory

MISSING_EXTRACTOR = 3


def main() -> None:
    """Extract the main text of the page on stdin and write it, UTF-8, to stdout."""
    limit_child_memory()
    try:
        import trafilatura
    except ImportError as exc:
        print(f"{exc}", file=sys.stderr)
        sys.exit(MISSING_EXTRACTOR)
    page = sys.stdin.buffer.read().decode("utf-8", errors="replace")
    try:
        extracted = trafilatura.extract(
            page, fast=True, include_comments=False, include_tables=True, include_links=False
        )
    except Exception:  # any extractor failure means "no text"; the parent falls back
        extracted = None
    sys.stdout.buffer.write((extracted or "").encode("utf-8", errors="replace"))


if __name__ == "__main__":
    main()
