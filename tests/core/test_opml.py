"""OPML import/export: round trips, comments kept, hostile documents refused, nothing run."""

from __future__ import annotations

import shutil
import socket
import time
from pathlib import Path

import pytest

from natoread.core.config import FeedSpec, load_config
from natoread.core.errors import ConfigError
from natoread.core.feeds.opml import OpmlFeed, add_feeds, export_opml, read_opml

REPO_CONFIG = Path(__file__).parents[2] / "feeds.toml"

GOOD = b"""<?xml version="1.0" encoding="UTF-8"?>
<opml version="2.0">
  <head><title>My subscriptions</title></head>
  <body>
    <outline text="Alliance">
      <outline text="NATO Newsroom" title="NATO Newsroom" type="rss"
               xmlUrl="https://www.nato.int/cps/rss/en/natohq/rssFeed.xsl/rssFeed.xml"/>
      <outline text="Kyiv &amp; Co" type="rss" xmlUrl="https://kyiv.example/feed"
               category="/Europe/East,ukraine"/>
      <outline text="Nested"><outline text="Deep" xmlUrl="http://deep.example/rss"/></outline>
    </outline>
    <outline text="No URL, just a link" type="link" url="https://example.org/"/>
    <outline title="Untitled text" xmlurl="https://lower.example/rss"/>
  </body>
</opml>
"""


def opml(*outlines: str, prolog: str = "") -> bytes:
    body = "\n".join(outlines)
    return f'<?xml version="1.0"?>{prolog}<opml version="2.0"><body>{body}</body></opml>'.encode()


def test_read_opml_takes_urls_titles_folders_and_categories() -> None:
    document = read_opml(GOOD, "subs.opml")
    assert document.refused == ()
    assert document.feeds == (
        OpmlFeed(
            "https://www.nato.int/cps/rss/en/natohq/rssFeed.xsl/rssFeed.xml",
            "NATO Newsroom",
            ("Alliance",),
        ),
        OpmlFeed(
            "https://kyiv.example/feed", "Kyiv & Co", ("Alliance", "Europe", "East", "ukraine")
        ),
        OpmlFeed("http://deep.example/rss", "Deep", ("Alliance", "Nested")),
        OpmlFeed("https://lower.example/rss", "Untitled text", ()),
    )


@pytest.mark.parametrize(
    ("outline", "reason"),
    [
        ('<outline text="pw" xmlUrl="file:///etc/passwd"/>', "not an http(s) feed URL"),
        ('<outline text="local" xmlUrl="/home/me/feed.xml"/>', "not an http(s) feed URL"),
        ('<outline text="tilde" xmlUrl="~/feed.xml"/>', "not an http(s) feed URL"),
        ('<outline text="pipe" xmlUrl="|rm -rf ~"/>', "not an http(s) feed URL"),
        ('<outline text="exec" xmlUrl="exec:rm -rf ~"/>', "not an http(s) feed URL"),
        ('<outline text="js" xmlUrl="javascript:alert(1)"/>', "not an http(s) feed URL"),
        ('<outline text="ftp" xmlUrl="ftp://example.org/feed"/>', "not an http(s) feed URL"),
        ('<outline text="space" xmlUrl="https://a.example/x y"/>', "not an http(s) feed URL"),
        ('<outline text="empty" xmlUrl=""/>', "not an http(s) feed URL"),
        (
            '<outline text="filter" xmlUrl="https://ok.example/rss" filtercmd="rm -rf ~"/>',
            "'filtercmd' attribute",
        ),
        ('<outline text="x" xmlUrl="https://ok.example/rss" exec="sh -c id"/>', "'exec' attribute"),
        ('<outline text="inc" type="include" xmlUrl="https://evil.example/more.opml"/>', "include"),
    ],
)
def test_hostile_outlines_are_refused_one_line_each(outline: str, reason: str) -> None:
    document = read_opml(
        opml(outline, '<outline text="ok" xmlUrl="https://ok.example/feed"/>'), "x"
    )
    assert [f.url for f in document.feeds] == ["https://ok.example/feed"]
    (line,) = document.refused
    assert reason in line and "\n" not in line


def test_xxe_file_entities_never_reach_a_title(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-CONTENT")
    prolog = f'<!DOCTYPE opml [<!ENTITY xxe SYSTEM "file://{secret}">]>'
    data = opml('<outline text="leak:&xxe;:end" xmlUrl="https://ok.example/rss"/>', prolog=prolog)
    with pytest.raises(ConfigError, match="DOCTYPE") as caught:
        read_opml(data, "evil.opml")
    assert "TOP-SECRET" not in str(caught.value)


def test_billion_laughs_is_refused_fast() -> None:
    entities = '<!ENTITY l0 "lol">' + "".join(
        f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 10)
    )
    data = opml(
        '<outline text="&l9;" xmlUrl="https://ok.example/rss"/>',
        prolog=f"<!DOCTYPE opml [{entities}]>",
    )
    started = time.perf_counter()
    with pytest.raises(ConfigError, match="DOCTYPE"):
        read_opml(data, "laughs.opml")
    assert time.perf_counter() - started < 1


def test_external_dtd_is_never_fetched() -> None:
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    listener.settimeout(0.3)
    port = listener.getsockname()[1]
    prolog = f'<!DOCTYPE opml SYSTEM "http://127.0.0.1:{port}/evil.dtd">'
    with pytest.raises(ConfigError):
        read_opml(opml('<outline xmlUrl="https://ok.example/"/>', prolog=prolog), "dtd.opml")
    utf16 = (
        opml("", prolog=prolog).decode().replace('version="1.0"', 'version="1.0" encoding="UTF-16"')
    )
    with pytest.raises(ConfigError):
        read_opml(utf16.encode("utf-16"), "dtd16.opml")
    with pytest.raises(TimeoutError):
        listener.accept()
    listener.close()


@pytest.mark.parametrize(
    "data",
    [b"", b"not xml", b"<rss><channel/></rss>", b"<opml><head/></opml>", b"<opml><body>"],
)
def test_broken_or_foreign_documents_raise_config_error(data: bytes) -> None:
    with pytest.raises(ConfigError):
        read_opml(data, "bad.opml")


def test_nothing_is_executed(tmp_path: Path) -> None:
    canary = tmp_path / "canary"
    data = opml(
        f'<outline text="a" xmlUrl="|touch {canary}"/>',
        f'<outline text="b" xmlUrl="https://ok.example/rss" filtercmd="touch {canary}"/>',
        f'<outline text="c" xmlUrl="$(touch {canary})"/>',
        '<outline text="d" xmlUrl="https://ok.example/$(id)"/>',
    )
    config = tmp_path / "feeds.toml"
    result = add_feeds(config, read_opml(data, "x").feeds)
    assert [f.url for f in result.added] == ["https://ok.example/$(id)"]
    assert not canary.exists()


def test_import_keeps_comments_and_layout(tmp_path: Path) -> None:
    config = tmp_path / "feeds.toml"
    shutil.copy(REPO_CONFIG, config)
    before = config.read_text(encoding="utf-8")
    result = add_feeds(config, read_opml(GOOD, "subs.opml").feeds)
    after = config.read_text(encoding="utf-8")
    assert after.startswith(before.rstrip("\n"))  # every original line, comment and blank kept
    assert len(result.added) == 3
    assert result.skipped == (
        "skipped https://www.nato.int/cps/rss/en/natohq/rssFeed.xsl/rssFeed.xml: already in feeds.toml",
    )
    loaded = load_config(config)
    kyiv = next(f for f in loaded.feeds if f.url == "https://kyiv.example/feed")
    assert kyiv.title == "Kyiv & Co" and kyiv.tags == ("Alliance", "Europe", "East", "ukraine")
    assert '\n\n[[feeds]]\ntitle = "Kyiv & Co"' in after
    again = add_feeds(config, read_opml(GOOD, "subs.opml").feeds)
    assert again.added == () and len(again.skipped) == 4
    assert config.read_text(encoding="utf-8") == after


def test_duplicates_ignore_case_of_host_and_trailing_slash(tmp_path: Path) -> None:
    config = tmp_path / "feeds.toml"
    config.write_text('[[feeds]]\nurl = "https://News.example/rss/"\n', encoding="utf-8")
    feeds = [
        OpmlFeed("https://news.example/rss", None),
        OpmlFeed("https://news.example/rss?x=1", "X"),
    ]
    result = add_feeds(config, feeds)
    assert [f.url for f in result.added] == ["https://news.example/rss?x=1"]


def test_import_creates_a_missing_config(tmp_path: Path) -> None:
    config = tmp_path / "new" / "feeds.toml"
    add_feeds(config, [OpmlFeed("https://a.example/rss", 'Quote " and \\ backslash', ("x",))])
    assert config.read_text(encoding="utf-8").startswith("# natoread configuration")
    (feed,) = load_config(config).feeds
    assert feed.title == 'Quote " and \\ backslash' and feed.tags == ("x",)


def test_inline_feeds_array_gets_inline_tables(tmp_path: Path) -> None:
    config = tmp_path / "feeds.toml"
    config.write_text('feeds = [{ url = "https://a.example/rss" }]  # mine\n', encoding="utf-8")
    add_feeds(config, [OpmlFeed("https://b.example/rss", "B")])
    assert "# mine" in config.read_text(encoding="utf-8")
    assert [f.url for f in load_config(config).feeds] == [
        "https://a.example/rss",
        "https://b.example/rss",
    ]


def test_an_invalid_result_leaves_the_file_untouched(tmp_path: Path) -> None:
    config = tmp_path / "feeds.toml"
    config.write_text('[[feeds]]\nurl = "https://a.example/rss"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="not imported"):
        add_feeds(config, [OpmlFeed("ftp://b.example/rss", "B")])
    assert config.read_text(encoding="utf-8") == '[[feeds]]\nurl = "https://a.example/rss"\n'
    assert [p.name for p in tmp_path.iterdir()] == ["feeds.toml"]


def test_invalid_toml_is_reported_not_overwritten(tmp_path: Path) -> None:
    config = tmp_path / "feeds.toml"
    config.write_text("[[feeds]\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="invalid TOML"):
        add_feeds(config, [OpmlFeed("https://b.example/rss", "B")])


def test_export_round_trips_and_escapes() -> None:
    feeds = (
        FeedSpec("https://a.example/rss?x=1&y=2", 'A & B <"quoted">', ("uk", "nato")),
        FeedSpec("https://b.example/feed", None, ()),
        FeedSpec("https://c.example/feed", "Bell\x07 \x1b[31mred", ("a,b",)),
    )
    data = export_opml(feeds)
    assert data.startswith(b"<?xml version='1.0' encoding='UTF-8'?>")
    assert b"&amp;y=2" in data and b"&lt;" in data and b"\x1b" not in data and b"\x07" not in data
    document = read_opml(data, "export.opml")
    assert document.refused == ()
    assert [(f.url, f.title, f.tags) for f in document.feeds] == [
        ("https://a.example/rss?x=1&y=2", 'A & B <"quoted">', ("uk", "nato")),
        ("https://b.example/feed", "https://b.example/feed", ()),
        ("https://c.example/feed", "Bell red", ("a b",)),
    ]


def test_repo_config_round_trips_through_opml(tmp_path: Path) -> None:
    original = load_config(REPO_CONFIG).feeds
    document = read_opml(export_opml(original), "export.opml")
    config = tmp_path / "feeds.toml"
    add_feeds(config, document.feeds)
    again = load_config(config).feeds
    assert [(f.url, f.title, f.tags) for f in again] == [
        (f.url, f.title or f.url, f.tags) for f in original
    ]
