"""The reader in a browser (`natoread serve` runs it under Textual's web driver): `o` asks the
visitor's browser for a new tab, `y` sends the link to the visitor's clipboard, and new
articles in the notification topics show on the page — nothing runs on the server ($BROWSER,
notify_command). The installed `natoread` is driven over the driver's own packet protocol,
as textual-serve drives it."""

from __future__ import annotations

import base64
import json
import re
import stat
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests import feedgen
from tests.conftest import NATOREAD, natoread_env, run_natoread, write_config
from tests.feedserver import FeedServer

_ESCAPES = re.compile(r"\x1b\[[0-9;?<>=]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)")


class WebSession:
    """The installed `natoread` under Textual's web driver, read and fed packet by packet."""

    def __init__(self, argv: list[str], env: dict[str, str]) -> None:
        self.process = subprocess.Popen(
            argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env
        )
        self.data = bytearray()
        """Everything the app drew, escape sequences included."""
        self.meta: list[dict[str, object]] = []
        self._lock = threading.Lock()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        stdout = self.process.stdout
        assert stdout is not None
        # The driver announces its packets with one plain line (as textual-serve expects).
        while (line := stdout.readline()) and line != b"__GANGLION__\n":
            pass
        while header := stdout.read(5):
            if len(header) < 5:
                return
            payload = stdout.read(int.from_bytes(header[1:], "big"))
            with self._lock:
                if header[:1] == b"D":
                    self.data.extend(payload)
                elif header[:1] == b"M":
                    self.meta.append(json.loads(payload))

    def _send(self, kind: bytes, payload: bytes) -> None:
        stdin = self.process.stdin
        assert stdin is not None
        stdin.write(kind + len(payload).to_bytes(4, "big") + payload)
        stdin.flush()

    def keys(self, text: str) -> None:
        self._send(b"D", text.encode("utf-8"))

    def text(self) -> str:
        """What was drawn, escape sequences removed."""
        with self._lock:
            raw = self.data.decode("utf-8", errors="replace")
        return _ESCAPES.sub("", raw)

    def raw(self) -> str:
        with self._lock:
            return self.data.decode("utf-8", errors="replace")

    def wait_for(self, condition: Callable[[], bool], what: str, timeout: float = 20) -> None:
        deadline = time.monotonic() + timeout
        while not condition():
            if time.monotonic() > deadline or self.process.poll() is not None:
                self.process.kill()  # its stderr ends only when it does
                _, stderr = self.process.communicate(timeout=10)
                shown = self.text()[-1500:]
                raise AssertionError(
                    f"never saw {what}; stderr: {stderr.decode()[-1500:]}\n{shown}"
                )
            time.sleep(0.05)

    def close(self) -> None:
        if self.process.poll() is None:
            self._send(b"M", json.dumps({"type": "quit"}).encode())
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def accession(title: str, guid: str) -> feedgen.Item:
    return feedgen.Item(
        title=title,
        body="<p>NATO membership vote.</p>",
        guid=guid,
        link=f"https://news.example/{guid}",
        published=feedgen.BASE_TIME,
    )


@pytest.fixture
def web_session(server: FeedServer, tmp_path: Path) -> Iterator[tuple[WebSession, Path]]:
    """A store whose feed had its first poll; the served reader then polls a new article."""
    ran = tmp_path / "ran-on-the-server.txt"
    script = tmp_path / "record"
    script.write_text(
        f"#!{sys.executable}\nimport sys\nopen({str(ran)!r}, 'a').write(repr(sys.argv))\n"
    )
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    old = accession("Old: NATO accession talks", "old")
    url = server.add("/n.xml", feedgen.rss([old], title="Wire"))
    settings = (
        'notify_topics = ["accession"]\nnotify_bell = true\n'
        f"notify_command = [{json.dumps(str(script))}]\n"
    )
    config = write_config(
        tmp_path, feedgen.config_toml([url]).replace("timeout = 5\n", "timeout = 5\n" + settings)
    )
    data = tmp_path / "data"
    assert run_natoread("--config", str(config), "--data-dir", str(data), "fetch").returncode == 0
    server.add("/n.xml", feedgen.rss([accession("New: NATO accession vote", "new"), old]))
    env = {k: v for k, v in natoread_env().items() if k not in ("TMUX", "DISPLAY")}
    env.update(
        TEXTUAL_DRIVER="textual.drivers.web_driver:WebDriver",
        COLUMNS="160",
        ROWS="40",
        BROWSER=str(script),
    )
    session = WebSession([NATOREAD, "--config", str(config), "--data-dir", str(data)], env)
    try:
        yield session, ran
    finally:
        session.close()


def test_in_a_browser_o_y_and_notifications_reach_the_visitor(
    web_session: tuple[WebSession, Path],
) -> None:
    session, ran = web_session
    session.wait_for(lambda: "last poll" in session.text(), "the reader")
    session.keys("r")  # the feed was polled a moment ago: not due yet
    session.wait_for(lambda: "New in your topics" in session.text(), "the page's notice")
    assert not ran.exists()  # notify_command never runs on the server
    session.keys("o")
    session.wait_for(
        lambda: any(m.get("type") == "open_url" for m in session.meta), "an open_url request"
    )
    (request,) = [m for m in session.meta if m.get("type") == "open_url"]
    link = str(request["url"])
    assert link in ("https://news.example/new", "https://news.example/old")
    assert request["new_tab"] is True
    session.wait_for(lambda: "in a new tab" in session.text(), "the notice of the new tab")
    session.keys("y")
    payload = base64.b64encode(link.encode()).decode()
    session.wait_for(lambda: f"\x1b]52;c;{payload}\x07" in session.raw(), "the OSC 52 copy")
    assert not ran.exists()  # nor $BROWSER
    assert "\x07" not in _ESCAPES.sub("", session.raw())  # and no bell rang on the server side
