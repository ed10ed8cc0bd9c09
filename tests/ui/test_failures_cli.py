"""`natoread feeds` tells a feed that failed from one that was read with a warning."""

from __future__ import annotations

from pathlib import Path

from tests import feedgen
from tests.conftest import run_natoread, write_config
from tests.feedserver import FeedServer


def test_feeds_lists_a_repaired_document_as_a_warning_under_ok(
    server: FeedServer, tmp_path: Path
) -> None:
    broken = feedgen.rss(feedgen.items(2), title="Repaired").replace(
        "</channel>", "<item><title>cut off"
    )
    urls = [server.add("/broken.xml", broken), server.url("/missing.xml")]
    config = write_config(tmp_path, feedgen.config_toml(urls))
    place = ("--config", str(config), "--data-dir", str(tmp_path / "d"))
    run_natoread(*place, "fetch")
    lines = run_natoread(*place, "feeds").stdout.splitlines()
    repaired = next(n for n, line in enumerate(lines) if "Repaired" in line)
    assert lines[repaired].startswith("ok ")
    assert lines[repaired + 1].startswith("     warning: malformed XML")
    missing = next(n for n, line in enumerate(lines) if "missing.xml" in line)
    assert lines[missing].startswith("FAIL")
    assert lines[missing + 1] == "     error: HTTP 404 Not Found"
