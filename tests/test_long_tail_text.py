"""The long tail of text and dates, end to end: loopback server → `natoread` → store → output.

Lone surrogates must not lose a feed; no control, bidi or tag character reaches the terminal
or JSON (rows stored by older versions included); a date of year 1 crashes neither the CLI
nor the reader in zones west or far east of UTC; palette entries are sanitised.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from textual.command import CommandList
from textual.widgets import Static

from natoread.core.config import parse_config
from natoread.core.paths import DB_NAME
from natoread.ui.app import NatoreadApp
from tests import feedgen
from tests.conftest import natoread_env, write_config
from tests.feedserver import FeedServer
from tests.ui.factory import BASE_TIME, DEFENCE, Doc, build_store, make_config
from tests.ui.helpers import list_lines, main_screen, press, wait_until

NATOREAD = str(Path(sys.executable).parent / "natoread")
# Everything the sanitiser removes or replaces, but newline (JSON output ends with one).
UNSAFE = re.compile(
    "[\x00-\x09\x0b-\x1f\x7f-\x9f\u061c\u200b\u200e\u200f\u202a-\u202e\u2060-\u206f"
    "\ufeff\ufff9-\ufffb\U000e0000-\U000e007f\u115f\u1160\u3164\uffa0\u2028\u2029]"
)
HOSTILE = "\x1b]2;pwned\x07 \x9b2J \x9c \u202eevil\u202c \u061c \U000e0041 \u3164 \x07"
YEAR_ONE_HOURS = int((BASE_TIME - datetime(1, 1, 1, tzinfo=UTC)).total_seconds() // 3600)
ZONES = ("America/New_York", "Pacific/Kiritimati")


def run(config: Path, data: Path, *args: str, tz: str = "UTC") -> bytes:
    """Run the installed command; its raw stdout (it must exit 0)."""
    result = subprocess.run(
        [NATOREAD, "--config", str(config), "--data-dir", str(data), *args],
        capture_output=True,
        env={**natoread_env(), "TZ": tz},
        timeout=120,
    )
    assert result.returncode == 0, (args, result.stderr.decode("utf-8", "replace"))
    assert b"Traceback" not in result.stderr, result.stderr
    return result.stdout


def assert_clean_json(raw: bytes) -> object:
    """`raw` is UTF-8 JSON whose text and decoded strings hold nothing unsafe."""
    text = raw.decode("utf-8")  # strict: a lone surrogate could not have been encoded
    assert not UNSAFE.search(text.rstrip("\n")), text
    value = json.loads(text)

    def strings(node: object) -> Iterator[str]:
        if isinstance(node, str):
            yield node
        elif isinstance(node, dict):
            for key, item in node.items():
                yield key
                yield from strings(item)
        elif isinstance(node, list):
            for item in node:
                yield from strings(item)

    for string in strings(value):
        # "\u001b" escapes are undone by `jq -r`: the decoded strings must be clean too.
        assert not UNSAFE.search(string.replace("\n", " ")), string
    return value


@pytest.fixture
def local_zone(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """Run the test with TZ set to the parametrised zone (restored afterwards)."""
    zone = str(request.param)
    monkeypatch.setenv("TZ", zone)
    time.tzset()
    yield zone
    monkeypatch.undo()
    time.tzset()


def old_rows_store(path: Path, url: str) -> None:
    """Rows as an older natoread stored them: raw controls, raw links, a date of year 1."""
    build_store(
        path,
        {
            url: (
                Doc(
                    f"Old NATO {HOSTILE} title",
                    f'Body {HOSTILE}. "We stand firm," said Ana Ruiz.',
                    topics=("alliance",),
                    terms=(("NATO", "alliance"),),
                    quotes=(("We stand firm,", "Ana Ruiz"),),
                    hours_ago=YEAR_ONE_HOURS,
                    link=f"javascript:alert(1){HOSTILE}",
                ),
            )
        },
    )


def test_lone_surrogates_do_not_lose_a_feed(server: FeedServer, tmp_path: Path) -> None:
    refs = server.add(
        "/refs.xml",
        "<rss><channel><title>Refs &#55357;&#56832;</title><item><guid>r</guid>"
        "<title>Smile &#55357;&#56832; half &#55357;</title></item></channel></rss>",
    )
    cut = server.add(
        "/cut.json",
        b'{"version": "https://jsonfeed.org/version/1.1", "title": "Cut \\ud83d", "items":'
        b' [{"id": "c", "title": "Truncated \\ud83d", "content_text": "x \\ud83d"}]}',
        content_type="application/feed+json",
    )
    healthy = server.add("/ok.xml", feedgen.rss(feedgen.items(2)))
    config = write_config(tmp_path, feedgen.config_toml([refs, cut, healthy]))
    data = tmp_path / "data"
    outcomes = [json.loads(line) for line in run(config, data, "fetch", "--json").splitlines()]
    assert {o["status"] for o in outcomes} == {"ok"}, outcomes
    rows = assert_clean_json(run(config, data, "list", "--all", "--json"))
    assert isinstance(rows, list)
    titles = {row["title"]: row["feed"] for row in rows}
    assert titles["Smile \U0001f600 half \ufffd"] == "Refs \U0001f600"
    assert titles["Truncated \ufffd"] == "Cut \ufffd"
    assert {"Item 0", "Item 1"} <= set(titles)


def test_cli_output_never_carries_controls_or_crashes_on_year_one(
    server: FeedServer, tmp_path: Path
) -> None:
    hostile_links = [
        "javascript:\x1b]0;x\x07alert(1)",
        "data:\u009b2J\u009c",
        "mailto:a@b\u202eexe.txt",
        "foo:\x07bell\x1b[31m",
    ]
    url = server.add(
        "/hostile.json",
        feedgen.json_feed(
            [
                feedgen.Item(title=f"NATO link {n} {HOSTILE}", guid=f"h{n}", link=link)
                for n, link in enumerate(hostile_links)
            ],
            title=f"Hostile {HOSTILE}",
        ),
        content_type="application/feed+json",
    )
    data = tmp_path / "data"
    data.mkdir()
    old_rows_store(data / DB_NAME, url)
    config = write_config(
        tmp_path,
        feedgen.config_toml([url]),
    )
    run(config, data, "fetch", "--force")
    rows = assert_clean_json(run(config, data, "list", "--all", "--json"))
    assert isinstance(rows, list) and len(rows) == 5
    links = [row["link"] for row in rows]
    assert all(link for link in links), links
    old = next(row for row in rows if row["title"].startswith("Old NATO"))
    assert old["published"] == "1970-01-01T00:00:00Z"
    assert_clean_json(run(config, data, "search", "NATO", "--json"))
    assert_clean_json(run(config, data, "story", str(old["id"]), "--json"))
    assert_clean_json(run(config, data, "quotes", "--speaker", "Ana Ruiz", "--json"))
    for zone in ZONES:
        for args in (["list", "--all"], ["stories", "--min-sources", "1"]):
            out = run(config, data, *args, tz=zone).decode("utf-8")
            assert not UNSAFE.search(out.replace("\n", " ")), (args, out)
        shown = run(config, data, "quotes", "--speaker", "Ana Ruiz", tz=zone).decode("utf-8")
        assert "1970-01-01" in shown and "We stand firm" in shown


@pytest.mark.parametrize("local_zone", ZONES, indirect=True)
async def test_reader_paints_a_year_one_article(local_zone: str, tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    build_store(
        path,
        {
            DEFENCE: (
                Doc("Zero time NATO", "Body.", topics=("alliance",), hours_ago=YEAR_ONE_HOURS),
                Doc("Recent NATO", "Body.", topics=("alliance",), hours_ago=1),
            )
        },
    )
    app = NatoreadApp(make_config([DEFENCE]), path, autopoll=False)
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.pause()
        lines = list_lines(pilot)
        assert any("Zero time NATO" in line for line in lines), lines
        await press(pilot, "G", "enter")
        header = str(main_screen(pilot).reader.query_one("#article-header", Static).content)
        assert "Zero time NATO" in header and ("1970" in header or "1969" in header)
        assert app.is_running


async def test_palette_entries_are_sanitised(tmp_path: Path) -> None:
    path = tmp_path / "palette.sqlite3"
    build_store(path, {DEFENCE: (Doc("NATO", topics=("alliance",)),)})
    config = parse_config(
        {
            "feeds": [{"url": DEFENCE, "title": f"Wire {HOSTILE}"}],
            "searches": [{"name": f"Saved {HOSTILE}", "query": "NATO"}],
        },
        str(tmp_path / "feeds.toml"),
    )
    app = NatoreadApp(config, path, autopoll=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await press(pilot, "ctrl+p")

        def palette_prompts() -> list[str]:
            lists = app.screen.query(CommandList)
            if not lists:
                return []
            found = lists.first()
            return [str(found.get_option_at_index(i).prompt) for i in range(found.option_count)]

        def feeds_and_searches() -> list[str]:
            return [p for p in palette_prompts() if p.startswith(("Feed:", "Saved search:"))]

        # The palette gathers its hits in the background: wait for them, not for a delay.
        await wait_until(pilot, lambda: len(feeds_and_searches()) == 2)
        prompts, shown = palette_prompts(), feeds_and_searches()
        for prompt in prompts:
            assert not UNSAFE.search(prompt.replace("\n", " ")), prompt
        assert "Feed: Wire" in shown[0] + shown[1] and "pwned" not in "".join(shown)


_JSON_CHARACTERS = [*'ab \n\t\r\\"“é', "\x1b", "\x07", "\x08", "\x0c", "\x9b", "\x7f"]
_JSON_CHARACTERS += ["\u202e", "\u061c", "\U000e0041", "\u3164", "\ud83d", "\u200d", "\u00a0"]
_JSON_TEXT = st.text(alphabet=st.sampled_from(_JSON_CHARACTERS), max_size=12)
_JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | _JSON_TEXT,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(_JSON_TEXT, inner, max_size=3),
    max_leaves=8,
)


@given(_JSON_VALUES)
@example({"title": "C:\\bin \\u00e9"})
@example(["a\rb", "tab\tnl\n"])
def test_json_fast_path_agrees_with_cleaning_every_string(value: object) -> None:
    from natoread.commands.common import _clean_dumps, _clean_json

    assert _clean_dumps(value) == json.dumps(_clean_json(value), ensure_ascii=False)
