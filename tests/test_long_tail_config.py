"""Config and OPML from the long tail: what check-config prints is safe, URLs are checked."""

from __future__ import annotations

from pathlib import Path

from natoread.core.feeds.opml import read_opml
from tests.conftest import run_natoread, write_config

CONTROLS = ("\x1b", "\x07", "\x9b", "\u202e")


def test_check_config_prints_no_control_sequence(tmp_path: Path) -> None:
    config = write_config(
        tmp_path,
        '[settings]\nnotify_command = ["notify-send", "\\u001b]2;pwned\\u0007{title}"]\n\n'
        '[[feeds]]\nurl = "https://news.example/feed"\n'
        'title = "Wire \\u001b]2;owned\\u0007 \\u202egnp.exe"\ntags = ["\\u009b31mred"]\n\n'
        '[[searches]]\nname = "Veto \\u001b[2J"\nquery = "Hungary"\n',
    )
    done = run_natoread("--config", str(config), "--data-dir", str(tmp_path / "d"), "check-config")
    assert done.returncode == 0, done.stderr
    assert not any(mark in done.stdout + done.stderr for mark in CONTROLS)
    assert "Wire" in done.stdout and "search: Veto" in done.stdout and "Hungary" in done.stdout


def test_opml_outlines_with_unfetchable_urls_are_refused() -> None:
    outlines = "".join(
        f'<outline type="rss" text="f{n}" xmlUrl="{url}"/>'
        for n, url in enumerate(
            [
                "http://127.0.0.1:99999/x",
                "http://news.example:abc/x",
                "http://300.1.1.1/feed",
                "https://news.example/ok.xml",
            ]
        )
    )
    document = read_opml(
        f'<?xml version="1.0"?><opml version="2.0"><body>{outlines}</body></opml>'.encode(), "x"
    )
    assert [feed.url for feed in document.feeds] == ["https://news.example/ok.xml"]
    assert len(document.refused) == 3
    assert all("not an http(s) feed URL" in line for line in document.refused)
