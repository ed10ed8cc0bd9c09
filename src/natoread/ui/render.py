"""Feed text → rich `Text` / Textual `Content` built from plain strings and spans, never markup.

Every string a feed supplies (titles, sources, bodies, speakers, errors) reaches the screen
through these helpers, so "[Sweden]" or "[@click=app.quit]" is shown literally.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from rich.cells import cell_len
from rich.style import Style
from rich.text import Text
from textual.content import Content, Span

from natoread.core.analysis.records import Quote
from natoread.core.storage.records import ArticleDetail, ArticleRow
from natoread.core.text.dates import format_date
from natoread.core.text.sanitize import neutralise as neutralise  # one sanitiser; re-exported
from natoread.core.text.sanitize import safe_url

if TYPE_CHECKING:
    from natoread.core.analysis.stories import MergedQuote

TERM_STYLE = "bold $text-warning"
"""Topic terms: bold, so they stand out without colour (NO_COLOR renders grey)."""
QUOTE_STYLE = "italic underline $text-success"
"""Quotations: italic and underlined, a different shape from topic terms."""
SPEAKER_STYLE = "bold reverse"
"""The "— Speaker" label inserted after each attributed quote."""
SELECTED_QUOTE_STYLE = "reverse"
SEARCH_STYLE = "underline2 reverse $text-accent"
"""Words of the active search: reversed with a double underline, unlike terms and quotes."""
CLOSING_MARKS = frozenset("\"'”’»›」』")
OPENING_MARKS = frozenset("\"'“‘«»„‚‹›「『")
QUOTE_CLOSERS = CLOSING_MARKS | frozenset("“‘«‹")
"""Marks that may end a quote: German »…« and „…“ close with what opens elsewhere."""
DEFAULT_MARKS = ("“", "”")
_TYPOGRAPHIC_OPENERS = OPENING_MARKS - frozenset("\"'")
_BLOCK = re.compile(r"[^\n]+(?:\n[^\n]+)*")
QUOTE_MARK = "❝"


def list_date(value: datetime, *, short: bool = False) -> str:
    """A compact local date for the article list ("Nov 20 12:00", or "Nov 20" when short)."""
    return format_date(value, "%b %d" if short else "%b %d %H:%M")


def full_date(value: datetime) -> str:
    """A full local date and time with the zone."""
    return format_date(value, "%Y-%m-%d %H:%M %Z").rstrip()


@dataclass(frozen=True, slots=True)
class RowStyles:
    """Rich styles for the parts of an article list row (from the widget's component classes)."""

    base: Style
    unread: Style
    read: Style
    meta: Style
    badge: Style
    star: Style
    cursor: Style


def _fit(text: str, width: int) -> Text:
    """`text` cut to `width` cells with an ellipsis, padded to exactly `width` cells."""
    line = Text(text, no_wrap=True, end="")
    line.truncate(max(width, 0), overflow="ellipsis", pad=True)
    return line


def sources_label(sources: int, width: int) -> str:
    """ " · 3 sources" for a story several outlets carry (" · 3 src" in narrow rows), else ""."""
    if sources < 2:
        return ""
    return f" · {sources} sources" if width >= 90 else f" · {sources} src"


def article_row_text(
    row: ArticleRow, width: int, styles: RowStyles, *, cursor: bool, sources: int = 1
) -> Text:
    """One list row of exactly `width` cells: marks, date, source, title, topic badges, quotes,
    and how many outlets carry the story."""
    short = width < 90
    line = Text(style=styles.base, no_wrap=True, end="")
    line.append("▌" if cursor else " ")
    line.append("●" if not row.read else " ", styles.unread if not row.read else styles.meta)
    line.append("★" if row.starred else " ", styles.star)
    line.append(" ")
    line.append(list_date(row.published, short=short), styles.meta)
    line.append(" ")
    source_width = max(6, min(18, width // 8))
    source = _fit(neutralise(row.feed_title), source_width)
    source.stylize(styles.meta)
    line.append_text(source)
    line.append(" ")
    quotes = f" {QUOTE_MARK}{row.quote_count}" if row.quote_count else ""
    outlets = sources_label(sources, width)
    right = Text(no_wrap=True, end="")
    for topic in row.topics if width >= 50 else ():
        right.append(" ")
        right.append(f" {topic} ", styles.badge)
    right.truncate(max(0, width // 5 - len(quotes) - len(outlets)), overflow="ellipsis")
    right.append(quotes, styles.meta)
    right.append(outlets, styles.meta)
    title_width = width - line.cell_len - right.cell_len
    title = _fit(neutralise(row.title), max(title_width, 0))
    title.stylize(styles.unread if not row.read else styles.read)
    line.append_text(title)
    line.append_text(right)
    line.truncate(width, overflow="ellipsis", pad=True)
    if cursor:
        line.stylize(styles.cursor)
    return line


def _title_with_terms(detail: ArticleDetail, search: Sequence[tuple[int, int]] = ()) -> Content:
    """The article title with its topic terms (and searched words) highlighted."""
    title = neutralise(detail.row.title)
    spans = [
        Span(s.start, min(s.end, len(title)), TERM_STYLE)
        for s in detail.analysis.spans
        if s.start < len(title)
    ]
    spans += [Span(a, min(b, len(title)), SEARCH_STYLE) for a, b in search if a < len(title)]
    return Content(title, spans=spans).stylize_before("bold")


def why_matched(detail: ArticleDetail) -> list[tuple[str, float, bool, tuple[str, ...]]]:
    """(topic, score, matched, distinct terms found) per scored topic, best first."""
    terms: dict[str, list[str]] = {}
    for span in detail.analysis.spans:
        found = terms.setdefault(span.topic, [])
        if span.term not in found:
            found.append(span.term)
    scores = sorted(detail.analysis.scores, key=lambda s: (not s.matched, -s.score, s.topic))
    return [(s.topic, s.score, s.matched, tuple(terms.get(s.topic, ()))) for s in scores]


def article_header(detail: ArticleDetail, search: Sequence[tuple[int, int]] = ()) -> Content:
    """Title, source, date, author, link and the topic scores that explain the match.

    `search` holds document offsets of searched words (only those in the title apply here).
    """
    row = detail.row
    parts: list[str | Content | tuple[str, str]] = [_title_with_terms(detail, search), "\n"]
    parts.append((neutralise(row.feed_title), "bold"))
    parts.append(f" · {full_date(row.published)}")
    if detail.author:
        parts.extend([" · by ", neutralise(detail.author)])
    if row.starred:
        parts.append((" · ★ starred", "$text-warning"))
    parts.append("\n")
    link = safe_url(row.link)
    parts.append((link or "(no http link)", "underline $text-primary" if link else "dim"))
    why = why_matched(detail)
    if why:
        parts.append("\n")
        parts.append(("Why it matched:", "bold"))
        for topic, score, matched, found in why:
            parts.append("\n  ")
            parts.append((f" {topic} {score:.2f}{' ✓' if matched else ''} ", "reverse"))
            if found:
                parts.append((" " + ", ".join(found[:6]), TERM_STYLE))
    if detail.fulltext_note:
        parts.extend(["\n", (neutralise(detail.fulltext_note), "dim italic")])
    return Content.assemble(*parts)


@dataclass(frozen=True, slots=True)
class QuoteSpot:
    """Where a quote landed in the rendered body: its block and offset in that block's text."""

    block: int
    offset: int


def _quote_label_at(document: str, quote: Quote) -> int:
    """Document offset just after the quote's closing mark (where the speaker label goes)."""
    end = quote.end
    while end < len(document) and end < quote.end + 2 and document[end] in CLOSING_MARKS:
        end += 1
    return end


def body_blocks(
    detail: ArticleDetail,
    selected_quote: int | None = None,
    search: Sequence[tuple[int, int]] = (),
) -> tuple[list[Content], list[QuoteSpot]]:
    """The body as paragraph blocks with terms, searched words and quotes styled and
    "— Speaker" labels added (`search`: document offsets of the searched words)."""
    document = neutralise(detail.document)
    base = len(detail.row.title) + 1
    body = document[base:]
    terms = [
        (s.start - base, s.end - base, TERM_STYLE) for s in detail.analysis.spans if s.end > base
    ]
    terms += [(a - base, b - base, SEARCH_STYLE) for a, b in search if b > base]
    quotes = [(q.start - base, q.end - base, q) for q in detail.quotes]
    labels = [
        (_quote_label_at(document, q) - base, f" — {neutralise(q.speaker)} ")
        for q in detail.quotes
        if q.speaker and q.end > base
    ]
    blocks: list[Content] = []
    spots: list[QuoteSpot | None] = [None] * len(quotes)
    for match in _BLOCK.finditer(body):
        start, end = match.span()
        inserts = sorted((pos - start, text) for pos, text in labels if start < pos <= end)

        def moved(
            offset: int, *, is_start: bool, inserts: Sequence[tuple[int, str]] = inserts
        ) -> int:
            shift = sum(
                len(text) for pos, text in inserts if pos < offset or (is_start and pos == offset)
            )
            return offset + shift

        pieces: list[str] = []
        last = 0
        for pos, text in inserts:
            pieces.extend([match.group()[last:pos], text])
            last = pos
        pieces.append(match.group()[last:])
        spans: list[Span] = []
        for term_start, term_end, term_style in terms:
            if term_end > start and term_start < end:
                a, b = max(term_start, start) - start, min(term_end, end) - start
                spans.append(Span(moved(a, is_start=True), moved(b, is_start=False), term_style))
        for index, (q_start, q_end, _quote) in enumerate(quotes):
            if q_end > start and q_start < end:
                a, b = max(q_start, start) - start, min(q_end, end) - start
                style = QUOTE_STYLE + (" reverse" if index == selected_quote else "")
                spans.append(Span(moved(a, is_start=True), moved(b, is_start=False), style))
                if spots[index] is None:
                    spots[index] = QuoteSpot(len(blocks), moved(a, is_start=True))
        for pos, text in inserts:
            at = moved(pos, is_start=False)
            spans.append(Span(at + 2, at + len(text), SPEAKER_STYLE))
        blocks.append(Content("".join(pieces), spans=spans))
    fallback = QuoteSpot(0, 0)
    return blocks, [spot or fallback for spot in spots]


def written_marks(document: str, quote: Quote) -> tuple[str, str]:
    """The marks the article put around a quote («…», „…“, »…«, “…”), or “…” when it has
    none on both sides (a dash-introduced quote, a quote cut short) or typewriter marks,
    which stand in for “…” wherever a keyboard or a CMS had no other."""
    before = document[quote.start - 1] if 0 < quote.start <= len(document) else ""
    after = document[quote.end] if 0 <= quote.end < len(document) else ""
    if before in _TYPOGRAPHIC_OPENERS and after in QUOTE_CLOSERS and before and after:
        return before, after
    return DEFAULT_MARKS


def quote_item(quote: Quote, limit: int = 160, marks: tuple[str, str] = DEFAULT_MARKS) -> Content:
    """One line of the quotes panel: the quote in italics, between the marks the article
    used (`written_marks`), and who said it."""
    text = " ".join(neutralise(quote.text).split())
    if len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    opening, closing = marks
    parts: list[str | tuple[str, str]] = [(f"{opening}{text}{closing}", "italic")]
    parts.append(" — ")
    parts.append((neutralise(quote.speaker), "bold") if quote.speaker else ("unattributed", "dim"))
    if quote.partial:
        parts.append((" (partial)", "dim"))
    return Content.assemble(*parts)


def merged_quote_item(
    quote: MergedQuote, here: bool, limit: int = 160, marks: tuple[str, str] = DEFAULT_MARKS
) -> Content:
    """A quote of a multi-source story: the quote, who said it, and every outlet that printed it
    (marked when this version of the story does not carry it)."""
    single = Quote(quote.text, 0, 0, quote.speaker, quote.partial)
    outlets = ", ".join(dict.fromkeys(neutralise(source.feed_title) for source in quote.sources))
    parts: list[str | Content | tuple[str, str]] = [quote_item(single, limit, marks), "\n  "]
    parts.append((f"in {outlets}", "dim"))
    if not here:
        parts.append((" · not in this version (enter opens it)", "dim italic"))
    return Content.assemble(*parts)


def version_item(row: ArticleRow) -> Content:
    """One other outlet's version of the story: outlet, date and its title."""
    return Content.assemble(
        (neutralise(row.feed_title), "bold"),
        (f" · {list_date(row.published)} · ", "dim"),
        neutralise(row.title),
    )


def plain(text: str, style: str = "") -> Content:
    """Feed text as Content without any markup parsing."""
    text = neutralise(text)
    return Content.styled(text, style) if style else Content(text)


def cells(text: str) -> int:
    """Terminal cells a string occupies."""
    return cell_len(text)


def empty_state(
    source: str, *, has_feeds: bool, search: str | None, stored: int, polling: bool, matching: bool
) -> Content:
    """Why the list is empty and what to do: add feeds, wait for the poll, or widen the view."""
    if not has_feeds:
        return Content.assemble(
            ("No feeds yet.", "bold"),
            "\n\nAdd feeds to ",
            (neutralise(source), "bold"),
            ", one table per feed:\n\n",
            ('  [[feeds]]\n  url = "https://example.org/rss.xml"\n', "$text-accent"),
            "\nthen start natoread again.",
        )
    if search is not None:
        return Content.assemble("Nothing found for “", neutralise(search), "”. Esc clears.")
    if stored == 0:
        now = "Polling your feeds now" if polling else "Press r to poll now"
        return Content.assemble(
            ("No articles yet.", "bold"),
            f"\n\n{now}; articles appear here as they arrive.\n\nFeeds are read from ",
            (neutralise(source), "bold"),
            ".",
        )
    hint = "Press a to show all articles" if matching else "Choose All in the sidebar"
    return Content.assemble(("Nothing to show in this view.", "bold"), f"\n\n{hint}.")
