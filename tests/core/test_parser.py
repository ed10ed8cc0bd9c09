"""Feed parsing: every format, broken input, hostile XML, dates and links."""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from natoread.core.errors import ParseError
from natoread.core.feeds import parser
from natoread.core.feeds.parser import parse_feed
from natoread.core.text import dates
from natoread.core.text.dates import parse_date
from tests import feedgen

FEED_URL = "https://news.example/feeds/main.xml"


@pytest.mark.parametrize(
    ("render", "kind"),
    [
        (feedgen.rss, "rss"),
        (feedgen.rdf, "rdf"),
        (feedgen.atom, "atom"),
        (lambda items: feedgen.atom(items, version="0.3"), "atom"),
        (feedgen.json_feed, "json"),
    ],
)
def test_every_format_parses(render: object, kind: str) -> None:
    entries = feedgen.items(3)
    entries[0] = feedgen.Item(
        title="NATO & Sweden",
        body="<p>First <b>para</b>.</p><p>Second <a href='/x'>link</a>.</p>",
        guid="urn:a",
        link="https://news.example/a",
        published=feedgen.BASE_TIME,
        author="Jane Doe",
    )
    feed = parse_feed(render(entries).encode(), FEED_URL)  # type: ignore[operator]
    assert feed.kind == kind
    assert [e.title for e in feed.entries] == ["NATO & Sweden", "Item 1", "Item 2"]
    first = feed.entries[0]
    assert first.body == "First para.\n\nSecond link."
    assert first.link == "https://news.example/a"
    assert first.published == feedgen.BASE_TIME
    assert "https://news.example/x" in first.links
    if kind != "rdf":
        assert first.author == "Jane Doe"


def test_relative_links_resolve_against_feed_url() -> None:
    doc = feedgen.rss([feedgen.Item(title="t", link="/story/1", guid="g")], link="")
    entry = parse_feed(doc.encode(), FEED_URL).entries[0]
    assert entry.link == "https://news.example/story/1"


def test_atom_xhtml_title_and_xml_base() -> None:
    doc = b"""<feed xmlns="http://www.w3.org/2005/Atom" xml:base="https://base.example/news/">
    <title type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml">Alliance <b>news</b></div></title>
    <entry><id>e1</id><title type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml">A <i>b</i></div></title>
    <link href="item/1"/><updated>2025-01-02T03:04:05+02:00</updated>
    <content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><p>One</p><p>Two</p></div></content>
    </entry></feed>"""
    feed = parse_feed(doc, FEED_URL)
    assert feed.title == "Alliance news"
    entry = feed.entries[0]
    assert (entry.title, entry.body) == ("A b", "One\n\nTwo")
    assert entry.link == "https://base.example/news/item/1"
    assert entry.published == datetime(2025, 1, 2, 1, 4, 5, tzinfo=UTC)


def test_undefined_html_entities_are_repaired() -> None:
    doc = b"<rss><channel><item><title>Caf&eacute; &mdash; talks&nbsp;end</title></item></channel></rss>"
    assert parse_feed(doc, FEED_URL).entries[0].title == "Café — talks end"


def test_cp1252_mislabelled_as_utf8_is_repaired() -> None:
    doc = '<?xml version="1.0" encoding="utf-8"?><rss><channel><item><title>Erdo\u011fan \u201cno\u201d</title></item></channel></rss>'
    data = doc.replace("\u011f", "g").encode("cp1252")
    assert parse_feed(data, FEED_URL).entries[0].title == "Erdogan “no”"


def test_declared_latin1_is_honoured() -> None:
    doc = '<?xml version="1.0" encoding="iso-8859-1"?><rss><channel><item><title>Zürich</title></item></channel></rss>'
    assert parse_feed(doc.encode("latin-1"), FEED_URL).entries[0].title == "Zürich"


def test_malformed_xml_falls_back_and_keeps_items() -> None:
    doc = b"<rss><channel><item><title>a & b <broken></title></item><item><title>two</title></channel></rss>"
    titles = [e.title for e in parse_feed(doc, FEED_URL).entries]
    assert titles and titles[0].startswith("a & b")


def test_html_page_is_not_a_feed() -> None:
    with pytest.raises(ParseError, match="not a feed"):
        parse_feed(b"<!DOCTYPE html><html><body>hi</body></html>", FEED_URL)


@pytest.mark.parametrize("body", [b"", b"   ", b"{}", b'{"version": 1}', b"<other/>"])
def test_non_feeds_raise_parse_error(body: bytes) -> None:
    with pytest.raises(ParseError):
        parse_feed(body, FEED_URL)


def test_xxe_file_entity_is_not_resolved(tmp_path: object) -> None:
    doc = b"""<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
    <rss><channel><item><title>leak:&xxe;:end</title></item></channel></rss>"""
    title = parse_feed(doc, FEED_URL).entries[0].title
    assert "root:" not in title
    assert title.startswith("leak:") and title.endswith(":end")


def test_xxe_over_http_makes_no_request(server: object) -> None:
    from tests.feedserver import FeedServer

    assert isinstance(server, FeedServer)
    target = server.url("/secret")
    doc = f"""<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY xxe SYSTEM "{target}">
    <!ENTITY % pe SYSTEM "{target}/pe"> %pe;]>
    <rss><channel><item><title>x&xxe;</title></item></channel></rss>""".encode()
    parse_feed(doc, FEED_URL)
    doc2 = f'<?xml version="1.0"?><!DOCTYPE rss SYSTEM "{target}/dtd"><rss><channel><item><title>y</title></item></channel></rss>'.encode()
    parse_feed(doc2, FEED_URL)
    assert server.hits == {}


def test_billion_laughs_is_refused_quickly() -> None:
    levels = ['<!ENTITY l0 "lol">'] + [
        f'<!ENTITY l{n} "{("&l" + str(n - 1) + ";") * 10}">' for n in range(1, 10)
    ]
    doc = (
        '<?xml version="1.0"?><!DOCTYPE rss [' + "".join(levels) + "]>"
        "<rss><channel><item><title>&l9;</title></item></channel></rss>"
    ).encode()
    started = time.monotonic()
    try:
        entries = parse_feed(doc, FEED_URL).entries
        assert all(len(e.title) < 1000 for e in entries)
    except ParseError:
        pass
    assert time.monotonic() - started < 5


def test_control_sequences_in_feed_text_are_removed() -> None:
    doc = b"<rss><channel><item><title>Evil &#27;]0;pwned&#7; \xc2\x9b2J x</title><author>&#27;[2Jbad</author><description>a&#27;]52;c;ZXZpbA==&#7;b</description></item></channel></rss>"
    entry = parse_feed(doc, FEED_URL).entries[0]
    for value in (entry.title, entry.author, entry.body):
        assert "\x1b" not in value and "\x07" not in value and "\x9b" not in value
    assert entry.title == "Evil x"


def test_script_in_html_is_dropped() -> None:
    item = feedgen.Item(
        title="<script>alert(1)</script>Hi <b>there</b>",
        body="<script>x()</script><p>ok</p>",
        guid="g",
    )
    entry = parse_feed(feedgen.rss([item]).encode(), FEED_URL).entries[0]
    assert entry.title == "Hi there"
    assert entry.body == "ok"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Tue, 03 Jun 2025 08:00:00 +0200", datetime(2025, 6, 3, 6, 0, tzinfo=UTC)),
        ("2025-06-03T08:00:00Z", datetime(2025, 6, 3, 8, 0, tzinfo=UTC)),
        ("2025-06-03T08:00:00", datetime(2025, 6, 3, 8, 0, tzinfo=UTC)),
        ("2025-06-03", datetime(2025, 6, 3, tzinfo=UTC)),
        ("yesterday", None),
        ("", None),
    ],
)
def test_parse_date(raw: str, expected: datetime | None) -> None:
    assert parse_date(raw) == expected


def test_missing_title_uses_text() -> None:
    doc = b"<rss><channel><item><description>Only a body here.</description></item></channel></rss>"
    assert parse_feed(doc, FEED_URL).entries[0].title == "Only a body here."


CONTROL_CHARS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def _check_entries(data: bytes) -> None:
    try:
        feed = parse_feed(data, FEED_URL)
    except ParseError:
        return
    for entry in feed.entries:
        for value in (entry.title, entry.author, entry.body, entry.guid or ""):
            assert not CONTROL_CHARS.search(value)
        assert "\n" not in entry.title


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=2000))
def test_parser_never_raises_on_random_bytes(data: bytes) -> None:
    _check_entries(data)


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=300), st.text(max_size=600))
def test_parser_never_raises_on_random_item_text(title: str, body: str) -> None:
    item = feedgen.Item(title=title, body=body, guid="g")
    for render in (feedgen.rss, feedgen.atom, feedgen.json_feed):
        try:
            document = render([item]).encode("utf-8", errors="surrogatepass")
        except UnicodeEncodeError:
            return
        _check_entries(document)


_RFC822_FIELDS = st.tuples(
    st.sampled_from(["Mon", "Sun"]),
    st.from_regex(r"[0-9]{2}", fullmatch=True),
    st.sampled_from(["Jan", "Feb", "Jun", "Dec"]),
    st.from_regex(r"[1-9][0-9]{3}", fullmatch=True),
    st.from_regex(r"[0-9]{2}", fullmatch=True),
    st.from_regex(r"[0-9]{2}", fullmatch=True),
    st.from_regex(r"[0-9]{2}", fullmatch=True),
    st.one_of(
        st.sampled_from(["GMT", "UT", "UTC", "Z"]), st.from_regex(r"[+-][0-9]{4}", fullmatch=True)
    ),
)


@given(_RFC822_FIELDS)
@example(("Sun", "02", "Jun", "2025", "06", "00", "00", "-0000"))
@example(("Sun", "31", "Dec", "9999", "23", "00", "00", "-0100"))
@example(("Mon", "01", "Jan", "1000", "00", "00", "00", "+2400"))
@example(("Mon", "01", "Jan", "2025", "00", "00", "00", "+0099"))
def test_rfc822_fast_path_agrees_with_email_utils(fields: tuple[str, ...]) -> None:
    day, dd, month, year, hour, minute, second, zone = fields
    value = f"{day}, {dd} {month} {year} {hour}:{minute}:{second} {zone}"
    match = dates._RFC822.fullmatch(value)
    assert match

    def utc(parse: Callable[[], datetime]) -> object:
        try:
            parsed = parse()
            if parsed.tzinfo is None:
                parsed = parsed.replace(tzinfo=UTC)
            return parsed.astimezone(UTC)
        except (ValueError, OverflowError) as exc:
            return type(exc)

    assert utc(lambda: dates._rfc822(match)) == utc(lambda: parsedate_to_datetime(value))


@given(st.text(min_size=1).filter(lambda s: " " not in s and s.isprintable()))
@example("2025-06-02T06:00:00Z")
@example("Mon,02-Jun-2025")
def test_dates_without_whitespace_are_never_rfc822(value: str) -> None:
    # parse_date sends these straight to fromisoformat.
    with pytest.raises(ValueError):
        parsedate_to_datetime(value)


# -- dates from the long tail: clamped at parse time ---------------------------------------


@pytest.mark.parametrize(
    "raw",
    [
        "0001-01-01T00:00:00Z",  # Go's zero time, common in Hugo feeds
        "0001-01-01T00:00:00+05:00",
        "0001-01-01T00:00:00-05:00",
        "9999-12-31T23:59:59Z",
        "9999-12-31T23:59:59-05:00",
        "Fri, 31 Dec 9999 23:00:00 -0100",
        "Mon, 01 Jan 2024 00:00:00 +2400",
        "Mon, 01 Jan 99999999999999999999 00:00:00 GMT",
        "1969-12-31T23:59:59Z",
        "2100-01-01T00:00:00Z",
        "+99999-01-01",
    ],
)
def test_dates_outside_the_sane_range_are_unknown(raw: str) -> None:
    assert parse_date(raw) is None


def test_dates_at_the_edges_of_the_range_are_kept() -> None:
    assert parse_date("1970-01-01T00:00:00Z") == dates.EARLIEST_DATE
    assert parse_date("2099-12-31T23:59:59Z") == datetime(2099, 12, 31, 23, 59, 59, tzinfo=UTC)


@given(st.text(max_size=60))
@example("0001-01-01T00:00:00Z")
@example("Mon, 01 Jan 1 00:00:00 -2400")
def test_parse_date_is_total_and_in_range(value: str) -> None:
    parsed = parse_date(value)
    assert parsed is None or dates.EARLIEST_DATE <= parsed < dates.LATEST_DATE


def test_an_entry_dated_year_one_is_stored_as_fetched(tmp_path: Path) -> None:
    from natoread.core.analysis.records import Analysis, TopicResult
    from natoread.core.storage.store import Store

    doc = (
        "<rss><channel><item><guid>a</guid><title>Zero time</title>"
        "<pubDate>0001-01-01T00:00:00Z</pubDate></item></channel></rss>"
    )
    entry = parse_feed(doc.encode(), FEED_URL).entries[0]
    assert entry.published is None
    with Store(tmp_path / "db.sqlite3") as store:
        ids = store.sync_feeds([(FEED_URL, "Feed", False)])
        store.save_entries(
            ids[FEED_URL], [(entry, Analysis(TopicResult(False, 0.0, ())))], now=1_800_000_000
        )
        assert store.list_articles()[0].published == datetime.fromtimestamp(1_800_000_000, UTC)


# -- lone surrogates and unopenable links --------------------------------------------------


def test_surrogate_character_references_keep_the_feed() -> None:
    doc = (
        "<rss><channel><title>Smiles &#55357;&#56832;</title>"
        "<item><guid>a</guid><title>pair &#55357;&#56832; hex &#xD83D;&#xDE00;</title>"
        "<description>lone &#55357; end &#56832;</description></item>"
        "<item><guid>b</guid><title>A&#65;&#55357;&#56832;</title></item>"
        "</channel></rss>"
    )
    feed = parse_feed(doc.encode(), FEED_URL)
    assert feed.title == "Smiles \U0001f600"
    first, second = feed.entries
    assert first.title == "pair \U0001f600 hex \U0001f600"
    assert first.body == "lone \ufffd end \ufffd"
    assert second.title == "AA\U0001f600"


def test_surrogate_references_inside_escaped_html_and_atom() -> None:
    doc = (
        '<feed xmlns="http://www.w3.org/2005/Atom"><title>t</title><entry><id>a</id>'
        "<title>x&#55357;</title>"
        '<content type="html">&lt;p&gt;&amp;#55357;&amp;#56832; ok&lt;/p&gt;</content>'
        "</entry></feed>"
    )
    entry = parse_feed(doc.encode(), FEED_URL).entries[0]
    assert entry.title == "x\ufffd"
    assert "ok" in entry.body
    (entry.title + entry.body).encode("utf-8")


def test_truncated_surrogate_in_a_json_feed_is_replaced() -> None:
    doc = (
        b'{"version": "https://jsonfeed.org/version/1.1", "title": "J \\ud83d",'
        b' "items": [{"id": "1\\ud83d", "title": "cut \\ud83d", "content_text": "x \\udc00",'
        b' "url": "https://e.example/\\ud83d", "authors": [{"name": "A \\ud83d"}]}]}'
    )
    feed = parse_feed(doc, FEED_URL)
    entry = feed.entries[0]
    assert (feed.title, entry.title, entry.body) == ("J \ufffd", "cut \ufffd", "x \ufffd")
    assert (entry.guid, entry.author) == ("1\ufffd", "A \ufffd")
    assert entry.link == "https://e.example/\ufffd"
    for value in (feed.title, entry.title, entry.body, entry.guid, entry.author, entry.link):
        (value or "").encode("utf-8")


@pytest.mark.parametrize(
    "link",
    [
        "javascript:alert(1)\x1b]0;pwned\x07",
        "data:x\u009b2J\u009c",
        "mailto:a@b\u202eexe.txt",
        "foo:\x07bell",
    ],
)
def test_links_that_cannot_be_opened_are_stored_sanitised(link: str) -> None:
    doc = feedgen.json_feed([feedgen.Item(title="t", guid="g", link=link)])
    stored = parse_feed(doc.encode(), FEED_URL).entries[0].link
    assert stored
    assert not CONTROL_CHARS.search(stored) and "\x1b" not in stored


# -- the cap on items per document ---------------------------------------------------------


@pytest.mark.parametrize(
    "render", [feedgen.rss, feedgen.rdf, feedgen.atom, feedgen.json_feed], ids=lambda r: r.__name__
)
def test_items_beyond_the_cap_are_skipped_with_a_warning(render: Callable[..., str]) -> None:
    feed = parse_feed(render(feedgen.items(7)).encode(), FEED_URL, max_items=3)
    assert [e.title for e in feed.entries] == ["Item 0", "Item 1", "Item 2"]
    assert feed.warning == "kept the first 3 of 7 items"
    uncapped = parse_feed(render(feedgen.items(3)).encode(), FEED_URL, max_items=3)
    assert len(uncapped.entries) == 3 and uncapped.warning is None


def test_the_cap_joins_a_repair_warning() -> None:
    broken = feedgen.rss(feedgen.items(4)).replace("Item 0", "Item 0 & more")
    feed = parse_feed(broken.encode(), FEED_URL, max_items=2)
    assert feed.warning is not None
    assert feed.warning.startswith("malformed XML") and feed.warning.endswith(
        "; kept the first 2 of 4 items"
    )


def test_the_cap_holds_in_the_fallback_parser() -> None:
    items = "".join(f"<item><title>i{n}</title><guid>g{n}</guid></item>" for n in range(5))
    feed = parser._parse_with_fallback(f"<rss><channel>{items}".encode(), FEED_URL, max_items=2)
    assert [e.title for e in feed.entries] == ["i0", "i1"]
    assert feed.warning == "kept the first 2 of 5 items"


def test_a_ten_megabyte_feed_of_tiny_items_parses_to_the_cap() -> None:
    import tracemalloc

    count = 176_000
    doc = (
        b'<?xml version="1.0"?><rss version="2.0"><channel><title>Big</title>'
        + b"".join(
            b"<item><title>t%d</title><guid>g%d</guid></item>" % (n, n) for n in range(count)
        )
        + b"</channel></rss>"
    )
    assert len(doc) > 9 * 2**20
    tracemalloc.start()
    started = time.monotonic()
    try:
        feed = parse_feed(doc, FEED_URL)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    # Every item read took ~5 s and ~60 MB of Python objects here (the lxml tree aside).
    assert time.monotonic() - started < 3
    assert peak < 12 * 2**20
    assert len(feed.entries) == parser.DEFAULT_MAX_ITEMS == 2000
    assert feed.warning == "kept the first 2,000 of 176,000 items"
