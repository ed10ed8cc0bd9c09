"""HTML fragments → plain-text paragraphs and links (`core/text.py`)."""

from __future__ import annotations

import html
import re
import time

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from natoread.core.text import html as text
from natoread.core.text.html import html_to_text


@pytest.mark.parametrize(
    ("html", "text"),
    [
        ("<p>One</p><p>Two</p>", "One\n\nTwo"),
        ("<DIV class='a'>One</DIV><H2>Two</H2>", "One\n\nTwo"),
        ("a<br>b<BR/>c", "a\nb\nc"),
        ("<ul><li>one</li><LI>two</ul>", "• one\n\n• two"),
        ("<table><tr><td>a</td></tr><tr><td>b</td></tr></table>", "a\n\nb"),
        ("<b>bold</b> and <i>italic</i> <span lang=fr>mot</span>", "bold and italic mot"),
        ("<p-x>custom</p-x> tag", "custom tag"),  # "<p-x>" is not a paragraph
        ("x <hré y", "x <hré y"),  # not a tag name: kept as text
        ("if a < b and c > d", "if a < b and c > d"),
        ("&lt;p&gt;escaped&lt;/p&gt;", "<p>escaped</p>"),  # decoded last: never a tag
        ("<p>a<!-- <p>hidden</p> -->b</p>", "a b"),
        ("<script>alert(1)</script><style>p{}</style>ok", "ok"),
        ("<img alt='Map &amp; key' src=x>", "[image: Map & key]"),
        ("<p>unclosed <b", "unclosed"),
        ("<?xml version='1.0'?><!DOCTYPE x><p>t</p>", "t"),
    ],
)
def test_tags_become_paragraphs_lines_or_nothing(html: str, text: str) -> None:
    assert html_to_text(html, "https://example.org/")[0] == text


def test_links_are_resolved_deduplicated_and_http_only() -> None:
    _, links = html_to_text(
        '<a href="/a">1</a> <a href="https://x.org/b">2</a> <a href="/a">3</a>'
        ' <a href="javascript:alert(1)">4</a> <a href="mailto:a@b">5</a>',
        "https://example.org/news/",
    )
    assert links == ("https://example.org/a", "https://x.org/b")


# The tag patterns avoid IGNORECASE for speed (see `_any_case`); they must match exactly what
# the plain case-insensitive patterns match, including the Unicode letters IGNORECASE folds
# onto ASCII ("ſ" ~ "s", "K" ~ "k", "İ"/"ı" ~ "i").
_TAG_TEXT = st.text(
    alphabet="<>/ =-:_\"'pPrReElLiIbBkKsSdDvVhH1xX\u017f\u212a\u0130\u0131é", max_size=12
)


def _ignorecase_reference(names: str, opening: str) -> re.Pattern[str]:
    return re.compile(opening + "(?:" + names + ")" + text._NAME_END + text._ATTRS + ">?", re.I)


@pytest.mark.parametrize(
    ("fast", "names", "opening"),
    [
        (text._BLOCK_TAG, text._BLOCK, "</?"),
        (text._ITEM_TAG, "li", "<"),
        (text._LINE_TAG, "li|br|tr", "</?"),
    ],
)
@given(sample=_TAG_TEXT)
@example(sample="<ſection>")
@example(sample="<blocKquote x>")
@example(sample="<Lİ>")
@example(sample="<pRe-x>")
def test_tag_patterns_match_like_ignorecase(
    fast: re.Pattern[str], names: str, opening: str, sample: str
) -> None:
    reference = _ignorecase_reference(names, opening)
    assert [m.span() for m in fast.finditer(sample)] == [
        m.span() for m in reference.finditer(sample)
    ]


@given(sample=st.text(alphabet="<!-sScCrRiIpPtTyYlLeEhHaAdD\u017f\u0130\u0131 >", max_size=12))
@example(sample="<ſcript>")
@example(sample="<İframe>")
@example(sample="<!---->")
def test_skipped_hint_finds_everything_skipped(sample: str) -> None:
    match = text._SKIPPED.search(sample)
    if match:
        assert text._SKIPPED_HINT.search(sample[match.start() :])


@given(
    raw=st.text(alphabet=" \t\nhrefHREF=\"'&amp;/x<", max_size=20).map(
        lambda s: " " + s if s[:1] not in ("", " ") else s
    )
)
@example(raw=' href=""')
@example(raw=" href='/x' href='/y'")
@example(raw=' href = "a&amp;b" ')
def test_leading_href_agrees_with_attribute(raw: str) -> None:
    quick = text._LEADING_HREF.match(raw)
    if quick:
        href = html.unescape(quick.group(1) or quick.group(2) or "").strip()
        assert href == text._attribute(raw, "href")


def test_links_of_repeated_anchors_keep_first_seen_order() -> None:
    _, links = html_to_text(
        "<a href='/x'>1</a><A HREF='/y'>2</A><a href='/x'>3</a><a title=t href='/z'>4</a>",
        "https://example.org/",
    )
    assert links == (
        "https://example.org/x",
        "https://example.org/y",
        "https://example.org/z",
    )


@pytest.mark.parametrize("tag", ["img", "IMG", "Img", "iMg"])
def test_image_alt_text_is_kept_whatever_the_tag_case(tag: str) -> None:
    plain, _ = html_to_text(f'<p>Before <{tag} src="a.png" alt="Rutte speaks"> after</p>')
    assert plain == "Before [image: Rutte speaks] after"


# Unclosed start tags and attribute runs once made the tag passes rescan the rest of the text
# from every "<" (a megabyte took minutes); every pass must now be linear.
_MEGABYTE = 1_000_000
_PATHOLOGICAL = {
    "unclosed img": "<img ",
    "unclosed IMG": "<IMG ",
    "unclosed a": "<a ",
    "unclosed quoted href": '<a href="x',
    "unclosed single-quoted href": "<a href='x",
    "unclosed alt": '<img alt="',
    "attribute without value": "<a b=",
    "unclosed p": "<p ",
    "unclosed li": "<li ",
    "unclosed comment": "<!--",
    "unclosed script": "<script",
    "unclosed style": "<style x",
    "unclosed CDATA": "<![CDATA[",
    "declaration": "<!x ",
    "processing instruction": "<?x ",
    "bare <": "<",
    "entity starts": "&#",
}


@pytest.mark.parametrize("unit", list(_PATHOLOGICAL.values()), ids=list(_PATHOLOGICAL))
def test_a_megabyte_of_unclosed_markup_is_converted_quickly(unit: str) -> None:
    html_text = "<p>Before the flood.</p>" + unit * (_MEGABYTE // len(unit))
    started = time.perf_counter()
    plain, _ = html_to_text(html_text)
    assert time.perf_counter() - started < 3.0  # was minutes before the passes were linear
    assert plain.startswith("Before the flood.")


@pytest.mark.parametrize("tag", ["a", "img"])
def test_a_megabyte_long_attribute_name_keeps_the_tag_and_the_text_after_it(tag: str) -> None:
    html_text = f'<{tag} {"b" * _MEGABYTE} href="/x" alt="Map">After</{tag}>'
    started = time.perf_counter()
    plain, links = html_to_text(html_text, "https://example.org/")
    assert time.perf_counter() - started < 3.0  # was hours: each letter restarted a name
    if tag == "a":
        assert (plain, links) == ("After", ("https://example.org/x",))
    else:
        assert plain == "[image: Map] After"


def test_unclosed_tags_after_closed_ones_change_nothing_before_them() -> None:
    plain, links = html_to_text(
        '<p><a href="/x">one</a> <img alt="two"> three</p><a href="/y" <img alt="z"',
        "https://example.org/",
    )
    assert (plain, links) == ("one [image: two] three", ("https://example.org/x",))


@pytest.mark.parametrize(
    ("reference", "decoded"),
    [("&#" + "1" * 5000 + ";", "\ufffd"), ("&#" + "0" * 5000 + "65;", "A"), ("&#00000065;", "A")],
)
def test_absurd_character_references_decode_without_raising(reference: str, decoded: str) -> None:
    assert html_to_text(f"x {reference} y")[0] == f"x {decoded} y"
    assert html_to_text(f"<p>x {reference} y</p>")[0] == f"x {decoded} y"


def test_a_long_body_is_cut_at_a_paragraph_end_with_a_note() -> None:
    paragraph = "word " * 199 + "end."  # 999 characters
    html_text = "".join(f"<p>{paragraph}</p>" for _ in range(1_000))  # 1 MB of text
    plain, _ = html_to_text(html_text)
    kept, note = plain.rsplit("\n\n", 1)
    assert len(kept) <= text.MAX_ARTICLE_CHARS
    assert kept.endswith("end.")
    assert note == "[… article truncated by natoread: 802 KB more]"


def test_a_long_plain_body_without_paragraphs_is_cut_at_a_word() -> None:
    plain, _ = html_to_text("lorem " * 100_000)
    kept, note = plain.rsplit("\n\n", 1)
    assert kept.endswith("lorem") and len(kept) <= text.MAX_ARTICLE_CHARS
    assert note.startswith("[… article truncated by natoread: ") and note.endswith(" KB more]")


def test_a_body_within_the_cap_is_unchanged() -> None:
    body = "x" * text.MAX_ARTICLE_CHARS
    assert html_to_text(body)[0] == body
    assert html_to_text(f"<p>{body}</p>")[0] == body


def test_markup_past_the_input_limit_is_reported_as_truncated() -> None:
    html_text = "<p>" + "tiny " * 1_000 + "</p>" + "<i></i>" * 1_000_000
    plain, _ = html_to_text(html_text)
    assert plain.startswith("tiny tiny")
    assert plain.endswith("[… article truncated by natoread: 5.0 MB more]")


@pytest.mark.parametrize("count", [999, 1_500, 2_500_000])
def test_truncation_note_sizes(count: int) -> None:
    expected = {999: "999 bytes", 1_500: "2 KB", 2_500_000: "2.5 MB"}[count]
    assert text.cap_article_text("a", dropped=count).endswith(f"{expected} more]")
