"""`natoread serve` in a real browser: Debian's chromium, headless, driven by Playwright.

One server and one browser for the module. The server runs the installed command over a
store filled from a loopback feed, with its data directory's name full of shell
metacharacters (textual-serve hands the reader's command line to a shell). The browser may
reach nothing but 127.0.0.1, as on a machine with no internet. The page draws the terminal on
a canvas, so the tests read the screen from the page's xterm.js buffer (`window.__xterm`,
captured by an init script when textual.js creates its terminal).
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Route, sync_playwright

from natoread.commands.serve import reader_command
from tests import demo, feedgen
from tests.conftest import NATOREAD, natoread_env, run_natoread
from tests.feedserver import FeedServer

CHROMIUM = os.environ.get("NATOREAD_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
if not Path(CHROMIUM).exists():
    # .ci/run installs chromium and sets NATOREAD_REQUIRE_CHROMIUM: there these tests fail
    # rather than skip.
    if os.environ.get("NATOREAD_REQUIRE_CHROMIUM"):
        raise RuntimeError(f"chromium is not installed at {CHROMIUM} (apt-get install chromium)")
    pytest.skip("chromium is not installed (apt-get install chromium)", allow_module_level=True)

CAPTURE_TERMINAL = """
Object.defineProperty(Object.prototype, 'terminal', {
  configurable: true,
  set(value) {
    Object.defineProperty(this, 'terminal', {value, writable: true, configurable: true, enumerable: true});
    if (value && value.buffer && typeof value.write === 'function') window.__xterm = value;
  },
});
"""
"""textual.js keeps its xterm.js Terminal in `this.terminal` and exposes nothing: a setter on
Object.prototype sees that assignment, puts the value back as a plain property and keeps the
terminal for the tests."""

SCREEN = """() => {
  const term = window.__xterm;
  if (!term) return '';
  const buffer = term.buffer.active, lines = [];
  for (let y = 0; y < term.rows; y++) {
    const line = buffer.getLine(buffer.viewportY + y);
    lines.push(line ? line.translateToString(true) : '');
  }
  return lines.join('\\n');
}"""

STYLE_OF = """(word) => {
  const term = window.__xterm, buffer = term.buffer.active, cell = buffer.getNullCell();
  for (let y = 0; y < term.rows; y++) {
    const line = buffer.getLine(buffer.viewportY + y);
    let text = '';
    const columns = [];
    for (let x = 0; x < line.length; x++) {
      line.getCell(x, cell);
      if (cell.getWidth() === 0) continue;
      text += cell.getChars() || ' ';
      columns.push(x);
    }
    const at = text.indexOf(word);
    if (at >= 0) {
      line.getCell(columns[at], cell);
      return {fg: cell.getFgColor(), fgMode: cell.getFgColorMode(), bg: cell.getBgColor(),
              bold: cell.isBold() !== 0, inverse: cell.isInverse() !== 0};
    }
  }
  return null;
}"""
"""The colours and attributes of the first cell of `word` as the page's terminal holds it."""

QUOTE_WORD = "reaffirmed"
"""A word inside a quotation of the second article (Orbán: "I reaffirmed that …")."""
BODY_WORD = "BUDAPEST"
"""A word of the same article outside any quotation or topic term."""


@dataclass
class Served:
    """The running `natoread serve` and what the tests look at around it."""

    process: subprocess.Popen[str]
    url: str
    feeds: FeedServer
    feed_items: list[feedgen.Item]
    markers: Path
    """Where the fake browser openers and notify command write what they were asked."""

    def markers_written(self) -> list[str]:
        return sorted(p.name for p in self.markers.iterdir())


def _fake_program(path: Path, markers: Path) -> None:
    """A program that records that it ran (and with what) and does nothing else."""
    path.write_text(f'#!/bin/sh\nprintf "%s\\n" "$@" > "{markers}/{path.name}"\n')
    path.chmod(0o755)


def _start_serve(
    config: Path, data: Path, env: dict[str, str], *options: str
) -> tuple[subprocess.Popen[str], str]:
    """Start `natoread serve` on a free port; returns the process and the URL it prints."""
    command = [NATOREAD, "--config", str(config), "--data-dir", str(data), "serve"]
    process = subprocess.Popen(
        [*command, "--port", "0", *options],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=env,
        start_new_session=True,
    )
    assert process.stdout is not None
    first = process.stdout.readline()
    found = re.search(r"serving the reader on (https?://\S+)", first)
    if found is None:
        process.kill()
        raise AssertionError(f"natoread serve did not start: {first}{process.stdout.read()}")
    return process, found.group(1)


def _stop(process: subprocess.Popen[str]) -> tuple[int, str]:
    """Ctrl-C the server; its exit status and the rest of its output."""
    process.send_signal(signal.SIGINT)
    try:
        output, _ = process.communicate(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        output, _ = process.communicate()
        raise AssertionError(f"natoread serve did not stop on SIGINT:\n{output}") from None
    return process.returncode, output


def _children(pid: int) -> list[int]:
    """The processes whose parent is `pid` (the reader of each open page)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # The command name in parentheses may hold spaces: the parent id follows its ')'.
        if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
            found.append(int(entry.name))
    return found


def wait_until_gone(pids: set[int], timeout_s: float = 20) -> None:
    """Wait until none of `pids` runs (a zombie waiting to be reaped has stopped)."""
    deadline = time.monotonic() + timeout_s
    while True:
        running = set()
        for pid in pids:
            try:
                stat = Path(f"/proc/{pid}/stat").read_text()
            except OSError:
                continue
            if stat.rsplit(")", 1)[1].split()[0] != "Z":
                running.add(pid)
        if not running:
            return
        if time.monotonic() > deadline:
            raise AssertionError(f"still running: {sorted(running)}")
        time.sleep(0.05)


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    root = tmp_path_factory.mktemp("serve")
    feeds = FeedServer()
    items = demo.alliance_items()[:2]
    url = feeds.add("/alliance.xml", feedgen.rss(items, title="Alliance Wire"))
    markers = root / "markers"
    markers.mkdir()
    fake_bin = root / "bin"
    fake_bin.mkdir()
    for name in ("xdg-open", "gio", "sensible-browser", "browser", "notify"):
        _fake_program(fake_bin / name, markers)
    config = root / "feeds.toml"
    config.write_text(
        feedgen.config_toml(
            [url],
            notify_topics=["accession"],
            notify_command=[str(fake_bin / "notify"), "{title}"],
        ),
        encoding="utf-8",
    )
    # Quotes, a space, a dollar and a semicolon: a command line built without quoting
    # would run something else or open another store.
    data = root / "store 'a' \"b\" $HOME; x"
    env = natoread_env()
    for name in ("SSH_CONNECTION", "SSH_CLIENT", "SSH_TTY"):
        env.pop(name, None)
    home = root / "home"
    env.update(
        HOME=str(home),
        XDG_CONFIG_HOME=str(home / ".config"),
        XDG_DATA_HOME=str(home / ".local/share"),
        # Everything a reader on the server's desktop would use to open a link: if the served
        # reader took that path, these fakes would leave their markers.
        DISPLAY=":0",
        BROWSER=str(fake_bin / "browser"),
        PATH=f"{fake_bin}{os.pathsep}{env.get('PATH', '')}",
    )
    fetched = subprocess.run(
        [NATOREAD, "--config", str(config), "--data-dir", str(data), "fetch", "--quiet"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert fetched.returncode == 0, fetched.stderr
    process, page_url = _start_serve(config, data, env)
    yield Served(process, page_url, feeds, items, markers)
    if process.poll() is None:
        _stop(process)
    feeds.close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            # Playwright turns the popup blocker off; a visitor's browser has it on.
            ignore_default_args=["--disable-popup-blocking"],
        )
        yield launched
        launched.close()


@dataclass
class Offline:
    """Requests the browser made beyond loopback (all refused, as with no internet)."""

    refused: list[str]


@pytest.fixture
def context(browser: Browser) -> Iterator[tuple[BrowserContext, Offline]]:
    ctx = browser.new_context(viewport={"width": 1280, "height": 800})
    ctx.add_init_script(CAPTURE_TERMINAL)
    offline = Offline([])

    def refuse(route: Route) -> None:
        offline.refused.append(route.request.url)
        route.abort("internetdisconnected")

    ctx.route(re.compile(r"^(?!https?://127\.0\.0\.1[:/])"), refuse)
    yield ctx, offline
    ctx.close()


def open_reader(ctx: BrowserContext, url: str) -> Page:
    """A new visitor: a page on the server, with the reader's list on screen."""
    page = ctx.new_page()
    page.goto(url)
    wait_for_text(page, "Turkey's parliament")
    # Keys go to the terminal's hidden input, as after a click into the page.
    page.focus(".xterm-helper-textarea")
    return page


def screen(page: Page) -> str:
    text: str = page.evaluate(SCREEN)
    return text


def wait_for_text(page: Page, text: str, timeout_s: float = 20) -> str:
    """Wait until `text` is on the page's terminal; returns the screen."""
    try:
        page.wait_for_function(
            f"(text) => ({SCREEN})().includes(text)", arg=text, timeout=timeout_s * 1000
        )
    except Exception:
        raise AssertionError(f"{text!r} never appeared; the screen:\n{screen(page)}") from None
    return screen(page)


def style_of(page: Page, word: str) -> dict[str, Any]:
    style: dict[str, Any] | None = page.evaluate(STYLE_OF, word)
    assert style is not None, f"{word!r} is not on the screen:\n{screen(page)}"
    return style


def poll_now_and_wait_for(page: Page, text: str) -> None:
    """Press `r` until a pass runs (the reader's own start-up pass may still be running,
    and then `r` only says so), and wait for `text`."""
    busy = "A poll is already running"
    for _ in range(10):
        page.keyboard.press("r")
        page.wait_for_function(
            f"(texts) => texts.some((t) => ({SCREEN})().includes(t))",
            arg=[text, busy],
            timeout=20_000,
        )
        if text in screen(page):
            return
        # Wait for the busy notice to go with the pass that caused it, then try again.
        page.wait_for_function(f"(busy) => !({SCREEN})().includes(busy)", arg=busy, timeout=20_000)
    raise AssertionError(f"a poll never ran; the screen:\n{screen(page)}")


def open_second_article(page: Page) -> str:
    page.keyboard.press("j")
    page.keyboard.press("Enter")
    return wait_for_text(page, QUOTE_WORD)


def test_two_visitors_each_read_an_article_with_its_quotes_highlighted(
    served: Served, context: tuple[BrowserContext, Offline], browser: Browser
) -> None:
    ctx, offline = context
    first = open_reader(ctx, served.url)
    other_ctx = browser.new_context(viewport={"width": 1000, "height": 700})
    other_ctx.add_init_script(CAPTURE_TERMINAL)
    try:
        readers = set(_children(served.process.pid))
        second = open_reader(other_ctx, served.url)
        # One reader process per visitor.
        own_readers = set(_children(served.process.pid)) - readers
        assert own_readers
        # Each moves on its own: the first visitor opens the second article, the other the
        # first.
        text = open_second_article(first)
        second.keyboard.press("Enter")
        wait_for_text(second, "Ulf Kristersson")
        assert QUOTE_WORD not in screen(second)
    finally:
        other_ctx.close()
    # A visitor who leaves takes their reader with them.
    wait_until_gone(own_readers)
    assert "Hungary's Orban says Sweden ratification" in text
    assert "Orbán" in text  # the speaker, named beside the quote
    assert "Ulf Kristersson wrote on X" not in text
    quoted, plain = style_of(first, QUOTE_WORD), style_of(first, BODY_WORD)
    assert (quoted["fgMode"], quoted["fg"]) != (plain["fgMode"], plain["fg"]), (quoted, plain)
    # Nothing beyond loopback was needed: the page, script and terminal come from the
    # server; the one outside link (Google Fonts) was refused and nothing broke.
    assert all("fonts.googleapis.com" in url for url in offline.refused), offline.refused


def test_links_and_notices_reach_the_visitor_and_nothing_runs_on_the_server(
    served: Served, context: tuple[BrowserContext, Offline]
) -> None:
    ctx, _ = context
    link = served.feed_items[1].link
    assert link is not None
    ctx.grant_permissions(["clipboard-read", "clipboard-write"])
    ctx.route(link, lambda route: route.fulfill(body="<title>the article</title>"))
    page = open_reader(ctx, served.url)
    open_second_article(page)
    # o: a new tab in the visitor's browser (with its popup blocker on).
    with ctx.expect_page(timeout=10_000) as opened:
        page.keyboard.press("o")
    assert opened.value.url == link
    opened.value.close()
    # y: the visitor's clipboard.
    page.keyboard.press("y")
    page.wait_for_function(
        "async (link) => (await navigator.clipboard.readText()) === link",
        arg=link,
        timeout=10_000,
    )
    # A new article in a notification topic: a notice on the page. It is older than the
    # two others, so the list the other tests walk keeps its order.
    fresh = feedgen.Item(
        title="Allies welcome Sweden as NATO's newest member after accession",
        body="<p>Sweden completed its accession to NATO on Thursday.</p>",
        guid="urn:serve:fresh",
        link="https://news.example/fresh",
        published=feedgen.BASE_TIME - timedelta(days=3),
    )
    served.feeds.add(
        "/alliance.xml", feedgen.rss([*served.feed_items, fresh], title="Alliance Wire")
    )
    poll_now_and_wait_for(page, "New in your topics")
    # The server's openers and notify_command leave a marker when run; the notify command
    # would have finished before the notice showed, and `o`'s opener long before.
    assert served.markers_written() == []


def test_ctrl_c_stops_the_server_and_its_readers(
    served: Served, tmp_path: Path, browser: Browser
) -> None:
    config = tmp_path / "feeds.toml"
    config.write_text(feedgen.config_toml([]), encoding="utf-8")
    process, url = _start_serve(config, tmp_path / "data", natoread_env())
    ctx = browser.new_context()
    ctx.add_init_script(CAPTURE_TERMINAL)
    try:
        page = ctx.new_page()
        page.goto(url)
        wait_for_text(page, "No article open")
        readers = _children(process.pid)
        assert readers
        status, output = _stop(process)
        # The reader was asked to quit: its page says the session ended.
        page.wait_for_selector("body.-closed .closed-dialog", timeout=5000)
    finally:
        ctx.close()
    assert status == 0, output
    assert output.strip().splitlines()[-1] == "natoread: stopped"
    wait_until_gone(set(readers), timeout_s=1)


def test_a_non_loopback_address_is_refused_with_the_way_round(tmp_path: Path) -> None:
    result = run_natoread("--data-dir", str(tmp_path), "serve", "--host", "0.0.0.0")
    assert result.returncode == 2
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert "no login" in lines[0]
    assert "ssh -L 8080:127.0.0.1:8080 HOST" in lines[0]
    assert "--allow-remote" in lines[0]


def test_allow_remote_serves_on_every_address_at_the_public_url(tmp_path: Path) -> None:
    config = tmp_path / "feeds.toml"
    config.write_text(feedgen.config_toml([]), encoding="utf-8")
    options = ("--host", "0.0.0.0", "--allow-remote", "--public-url", "https://reader.example/")
    process, url = _start_serve(config, tmp_path / "data", natoread_env(), *options)
    status, _ = _stop(process)
    assert url == "https://reader.example"
    assert status == 0


def test_a_public_url_with_control_characters_is_refused(tmp_path: Path) -> None:
    hostile = "https://reader.example/\x1b]52;c;aGk=\x07"
    result = run_natoread("--data-dir", str(tmp_path), "serve", "--public-url", hostile)
    assert result.returncode == 2 and result.stdout == ""
    assert "--public-url: expected a plain http(s) URL" in result.stderr
    assert "\x1b" not in result.stderr and "\x07" not in result.stderr


def test_a_port_in_use_is_one_line_and_exit_2(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = run_natoread("--data-dir", str(tmp_path), "serve", "--port", str(port), timeout=30)
    assert result.returncode == 2
    assert (
        result.stderr == f"natoread: port {port} on 127.0.0.1 is already in use;"
        " choose another with --port\n"
    )


def test_the_served_command_is_this_reader_on_the_same_config_and_store(tmp_path: Path) -> None:
    config = tmp_path / 'it\'s a "config".toml'
    data = tmp_path / "$(touch pwned)"
    line = reader_command(config, data)
    argv = [sys.executable, "-m", "natoread", "--config", str(config), "--data-dir", str(data)]
    assert line == "exec " + shlex.join(argv)
    # The shell runs exactly that (with --version in place of starting the reader).
    ran = subprocess.run(["/bin/sh", "-c", line + " --version"], capture_output=True, text=True)
    assert ran.returncode == 0, ran.stderr
    assert ran.stdout.startswith("natoread ")
    assert not (tmp_path / "pwned").exists()
