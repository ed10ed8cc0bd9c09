"""Pure rendering helpers: list rows, article body spans and labels, search queries, status."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from textual.content import Content

from natoread.core.actions import ACTIONS
from natoread.core.storage.records import ArticleDetail, ArticleRow
from natoread.core.storage.search import Term
from natoread.core.storage.store import Store
from natoread.ui.render import (
    QUOTE_STYLE,
    SEARCH_STYLE,
    SPEAKER_STYLE,
    TERM_STYLE,
    article_details,
    article_header,
    body_blocks,
    clamp_title,
    list_date,
    version_item,
)
from natoread.ui.screens.help import help_content
from natoread.ui.search import highlight_terms, run_search, term_spans
from natoread.ui.widgets.key_hints import hints_content
from natoread.ui.widgets.status_bar import StatusState, last_poll_text, status_content
from tests.ui.factory import DEFENCE, Doc, build_store


def row(title: str, **changes: object) -> ArticleRow:
    """An ArticleRow with sensible defaults."""
    values: dict[str, object] = {
        "id": 1,
        "feed_id": 1,
        "feed_title": "東京 Times [x]",
        "title": title,
        "link": "https://e.com/",
        "published": datetime(2026, 11, 20, 12, 0, tzinfo=UTC),
        "read": False,
        "starred": True,
        "matched": True,
        "score": 1.0,
        "topics": ("alliance", "accession"),
        "quote_count": 3,
    }
    values.update(changes)
    return ArticleRow(**values)  # type: ignore[arg-type]


def test_list_dates_of_other_years_show_the_year() -> None:
    # The ledger, the board and a story's versions date their lines as the article list
    # does: an article from 2017 never passes for one from this November.
    now = datetime(2026, 12, 7, 12, 0, tzinfo=UTC)
    this_year = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
    old = datetime(2017, 11, 20, 12, 0, tzinfo=UTC)
    assert "2026" not in list_date(this_year, now=now)
    assert list_date(old, now=now).endswith("  2017")
    assert len(list_date(old, now=now)) == len(list_date(this_year, now=now))
    assert list_date(old, short=True, now=now).endswith("'17")
    assert "2017" in version_item(row("Summit", published=old)).plain


@pytest.fixture
def summit(tmp_path: Path) -> ArticleDetail:
    """The sample summit article, read back from a real store."""
    from tests.ui.factory import DOCS

    path = tmp_path / "r.sqlite3"
    build_store(path, {DEFENCE: DOCS[DEFENCE][:1]})
    with Store(path) as store:
        detail = store.get_article(1)
    assert detail is not None
    return detail


def test_body_blocks_style_quotes_terms_and_highlight_named_speakers(
    summit: ArticleDetail,
) -> None:
    blocks, spots = body_blocks(summit)
    assert [block.plain for block in blocks] == summit.body.split("\n\n")  # nothing inserted
    first = blocks[0]
    styled = {(first.plain[s.start : s.end], str(s.style)) for s in first.spans}
    assert ("We stand united with Ukraine.", QUOTE_STYLE) in styled
    assert ("Jens Stoltenberg", SPEAKER_STYLE) in styled  # the name the text gives, in place
    assert ("alliance", TERM_STYLE) in styled
    second = blocks[1]
    styled = {(second.plain[s.start : s.end], str(s.style)) for s in second.spans}
    assert ("accession", TERM_STYLE) in styled
    assert ("Our accession makes the whole alliance stronger,", QUOTE_STYLE) in styled
    assert ("Ulf Kristersson", SPEAKER_STYLE) in styled
    assert [(spot.block, first.plain[spot.offset : spot.offset + 8]) for spot in spots[:1]] == [
        (0, "We stand")
    ]
    assert spots[1].block == 1


def test_body_blocks_mark_the_selected_quote(summit: ArticleDetail) -> None:
    blocks, _ = body_blocks(summit, selected_quote=1)
    assert any("reverse" in str(s.style) for s in blocks[1].spans)
    assert not any("reverse" in str(s.style) for s in blocks[0].spans)


def test_header_is_the_title_and_one_meta_line(summit: ArticleDetail) -> None:
    header = article_header(summit).plain
    assert (
        header
        == "NATO leaders meet in Vilnius\nDefence Wire · 2026-11-20 11:00 UTC   alliance   accession "
    )
    assert "http" not in header and "Why" not in header  # behind the details key
    narrow = article_header(summit, width=50).plain
    assert narrow.endswith("UTC   alliance ")  # the badges that fit
    details = article_details(summit).plain
    assert "by Ana Ruiz" in details and "https://defence.example/vilnius" in details
    assert "alliance 2.00 ✓" in details and "NATO, alliance" in details


@pytest.mark.parametrize("width", [12, 30, 57, 77])
@pytest.mark.parametrize(
    "title",
    [
        "Turkey's parliament ratifies Sweden's NATO bid after a twenty-month delay that "
        "frustrated Washington and other allies for a very long time indeed",
        "北大西洋条約機構の首脳会議が開かれた、とても長い見出しです北大西洋条約機構の首脳会議",
        "Emoji 🇺🇦🇸🇪 and flags 👨‍👩‍👧 in a title that goes on and on and on and on and on",
    ],
)
def test_a_long_title_is_cut_to_two_lines(title: str, width: int) -> None:
    clamped = clamp_title(Content(title), width)
    assert len(clamped.wrap(width)) <= 2
    if len(Content(title).wrap(width)) > 2:
        assert clamped.plain.endswith("…") and title.startswith(clamped.plain[:-1])
        assert len(clamped.plain) > width // 2  # not cut to nothing
    else:
        assert clamped.plain == title


def test_details_hide_non_http_links(tmp_path: Path) -> None:
    path = tmp_path / "j.sqlite3"
    build_store(path, {DEFENCE: (Doc("x", "y", link="javascript:alert(1)"),)})
    with Store(path) as store:
        detail = store.get_article(1)
    assert detail is not None
    assert "javascript" not in article_details(detail).plain
    assert "javascript" not in article_header(detail).plain


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", ()),
        ("nato", (Term("nato"),)),
        (
            '"stand united" OR weath* -rain speaker:rutte',
            (Term("stand united"), Term("weath", True)),
        ),
        ("NOT nato", ()),
        ('"', ()),
    ],
)
def test_highlight_terms_come_from_the_query(query: str, expected: tuple[Term, ...]) -> None:
    assert highlight_terms(query) == expected


def test_term_spans_match_words_phrases_and_prefixes() -> None:
    text = "Weather: NATO stand, united — natoread"
    terms = (Term("nato"), Term("stand united"), Term("weath", True))
    assert [text[a:b] for a, b in term_spans(text, terms)] == ["Weather", "NATO", "stand, united"]


def test_search_survives_hostile_input(tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite3"
    build_store(path)
    with Store(path) as store:
        for text in ('"', "NEAR(", "title:", "*", "-x", "^a", "a AND", "\x00", "since:soon"):
            result = run_search(store, text)
            assert result.error is None or "\n" not in result.error
        assert len(run_search(store, "vilnius").ids) == 1
        assert run_search(store, "since:soon").error


def test_body_blocks_highlight_search_words_in_a_third_style(summit: ArticleDetail) -> None:
    spans = term_spans(summit.document, highlight_terms('"stand united" vilnius'))
    blocks, _ = body_blocks(summit, search=spans)
    styled = {(blocks[0].plain[s.start : s.end], str(s.style)) for s in blocks[0].spans}
    assert ("stand united", SEARCH_STYLE) in styled and ("Vilnius", SEARCH_STYLE) in styled
    assert len({SEARCH_STYLE, TERM_STYLE, QUOTE_STYLE}) == 3
    header = article_header(summit, spans)
    assert any(
        header.plain[s.start : s.end] == "Vilnius"
        for s in header.spans
        if str(s.style) == SEARCH_STYLE
    )


def test_hints_fit_and_always_offer_help() -> None:
    for width in (20, 60, 78, 200):
        hints = hints_content({}, width).plain
        assert len(hints) <= max(width, len("? Help"))
        assert hints.endswith("? Help")
    assert hints_content({"help": "f1"}, 80).plain.endswith("f1 Help")


def test_status_line() -> None:
    when = datetime(2026, 11, 20, 9, 5, tzinfo=UTC)
    state = StatusState(polling=(7, 15), new_articles=12, failing=2, view="matching", count=1234)
    assert status_content(state).plain == (
        "polling 7/15 feeds · 12 new · 2 failing (e) · 1,234 articles · matching"
    )
    idle = status_content(StatusState(last_poll=when, count=3)).plain
    assert idle.startswith("last poll Nov 20 09:05")
    assert last_poll_text(when, now=when) == "09:05"
    assert last_poll_text(None) == "never"


def test_help_lists_every_action_with_its_keys() -> None:
    text = help_content({"star": "x"}).plain
    for action in ACTIONS:
        assert action.description in text
    assert "x  " in text
    assert "not available yet" not in text
    assert "Accession board" in text and "is:matching" in text
