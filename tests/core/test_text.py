"""HTML fragments → plain-text paragraphs and links (`core/text.py`)."""

from __future__ import annotations

import pytest

from natoread.core.text import html_to_text


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
