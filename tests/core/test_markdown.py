"""An article as Markdown, as plain text and a quote as a citation (`core/articles_markdown.py`):
the layout, quotes marked and attributed, Markdown markup in feed text shown as written, and
hostile strings (escape sequences, bidi controls, non-http links) neutralised."""

from __future__ import annotations

from datetime import UTC, datetime

from natoread.core.analysis.records import Quote, TopicResult
from natoread.core.articles_markdown import (
    article_markdown,
    article_text,
    citation,
    citations,
    escape_markdown,
)
from natoread.core.storage.records import ArticleDetail, ArticleRow

TITLE = "Turkey ratifies Sweden's NATO accession"
BODY = (
    "Turkey's parliament approved the protocol on Tuesday.\n\n"
    "“This is a good day for the alliance,” said NATO Secretary General Mark Rutte.\n\n"
    "Sweden's prime minister said the vote was “long awaited”."
)


def _quote(words: str, speaker: str | None, partial: bool = False) -> Quote:
    start = len(TITLE) + 1 + BODY.index(words)
    return Quote(words, start, start + len(words), speaker, partial)


def _detail(
    title: str = TITLE,
    body: str = BODY,
    link: str | None = "https://news.example/n1",
    quotes: tuple[Quote, ...] | None = None,
    feed: str = "Alliance Wire",
    links: tuple[str, ...] = (),
) -> ArticleDetail:
    row = ArticleRow(
        id=7,
        feed_id=1,
        feed_title=feed,
        title=title,
        link=link,
        published=datetime(2026, 12, 1, 9, 30, tzinfo=UTC),
        read=False,
        starred=False,
        matched=True,
        score=2.0,
        topics=("accession",),
        quote_count=2,
    )
    if quotes is None:
        quotes = (
            _quote("This is a good day for the alliance,", "Mark Rutte"),
            _quote("long awaited", None, partial=True),
        )
    return ArticleDetail(
        row=row,
        author="Jane Doe",
        body=body,
        links=links,
        analysis=TopicResult(True, 2.0, ("accession",)),
        quotes=quotes,
        fulltext_note=None,
    )


def test_markdown_layout_with_quotes_marked_and_attributed() -> None:
    markdown = article_markdown(_detail())
    assert markdown == (
        "# Turkey ratifies Sweden's NATO accession\n"
        "\n"
        "Alliance Wire · 2026-12-01 09:30 UTC · Jane Doe\n"
        "\n"
        "<https://news.example/n1>\n"
        "\n"
        "Turkey's parliament approved the protocol on Tuesday.\n"
        "\n"
        "“**This is a good day for the alliance,**” said NATO Secretary General Mark Rutte.\n"
        "\n"
        "Sweden's prime minister said the vote was “**long awaited**”.\n"
        "\n"
        "## Quotes\n"
        "\n"
        "> “This is a good day for the alliance,”\n"
        "> — Mark Rutte\n"
        "\n"
        "> “long awaited”\n"
        "> — unattributed\n"
    )


def test_plain_text_has_the_same_layout_without_markup() -> None:
    text = article_text(_detail())
    lines = text.splitlines()
    assert lines[:3] == [
        TITLE,
        "Alliance Wire · 2026-12-01 09:30 UTC · Jane Doe",
        "https://news.example/n1",
    ]
    assert "**" not in text and "#" not in text
    assert lines[-3:] == [
        "Quotes:",
        "  “This is a good day for the alliance,” — Mark Rutte",
        "  “long awaited” — unattributed",
    ]


def test_markup_in_feed_text_is_shown_as_written() -> None:
    body = "# not a heading\n\n- not a list\n\n1. not a list\n\nUse *stars* and [a link](x) <b>"
    markdown = article_markdown(_detail(title="*Big* news", body=body, quotes=()))
    assert "# \\*Big\\* news" in markdown
    assert "\\# not a heading" in markdown and "\\- not a list" in markdown
    assert "\\1. not a list" in markdown
    assert "Use \\*stars\\* and \\[a link\\](x) \\<b>" in markdown
    assert escape_markdown("a_b `c` \\") == "a\\_b \\`c\\` \\\\"


def test_hostile_strings_are_neutralised() -> None:
    detail = _detail(
        title="Evil\x1b]52;c;ZXZpbA==\x07 title\u202e",
        body="Text\x1b[31m red\x9b2J.",
        link="javascript:alert(1)",
        quotes=(),
        feed="Feed\x1b[2J",
        links=("https://ok.example/a", "file:///etc/passwd", "https://ok.example/a"),
    )
    for output in (article_markdown(detail), article_text(detail)):
        assert "\x1b" not in output and "\x9b" not in output and "\u202e" not in output
        assert "javascript:" not in output and "file:" not in output
        assert output.count("https://ok.example/a") == 1  # once, numbered under links
    assert "1. <https://ok.example/a>" in article_markdown(detail)


def test_a_quote_outside_the_body_or_over_a_paragraph_is_not_marked() -> None:
    in_title = Quote("NATO", TITLE.index("NATO"), TITLE.index("NATO") + 4, "X", False)
    stale = Quote("gone", 10_000, 10_004, "Y", False)
    markdown = article_markdown(_detail(quotes=(in_title, stale)))
    assert "**" not in markdown
    assert "> “NATO”\n> — X" in markdown  # still listed under Quotes


def test_citation() -> None:
    detail = _detail()
    rutte, unattributed = detail.quotes
    assert citation(rutte, detail.row) == (
        "“This is a good day for the alliance,” — Mark Rutte, Alliance Wire, 2026-12-01,"
        " https://news.example/n1"
    )
    assert citation(unattributed, detail.row) == (
        "“long awaited” — Alliance Wire, 2026-12-01, https://news.example/n1"
    )
    no_link = _detail(link="javascript:alert(1)", feed="Wire\x1b[31m")
    assert citation(rutte, no_link.row) == (
        "“This is a good day for the alliance,” — Mark Rutte, Wire, 2026-12-01"
    )
    assert len(citations(detail)) == 2
