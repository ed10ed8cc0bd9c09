"""Feed text → rich `Text` / Textual `Content` built from plain strings and spans, never markup.

Every string a feed supplies (titles, sources, bodies, speakers, errors) reaches the screen
through these helpers, so "[Sweden]" or "[@click=app.quit]" is shown literally.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from textual.content import Content, Span

from natoread.core.analysis.records import Quote
from natoread.core.storage.records import ArticleDetail, ArticleRow
from natoread.core.text.dates import compact_date, format_date
from natoread.core.text.sanitize import neutralise as neutralise  # one sanitiser; re-exported
from natoread.core.text.sanitize import safe_url

if TYPE_CHECKING:
    from natoread.core.analysis.stories import MergedQuote

TERM_STYLE = "bold $text-warning"
"""Topic terms: bold, so they stand out without colour (NO_COLOR renders grey)."""
QUOTE_STYLE = "$text-success"
"""Quoted words: one calm colour and no decoration, so long quotes stay easy to read; the
marks as written delimit them where colour is off (NO_COLOR) or scarce (16 colours)."""
SPEAKER_STYLE = "bold"
"""The speaker's name where the text already gives it beside the quote (highlighted in place)."""
SPEAKER_LABEL_STYLE = "dim"
"""The " [Name]" added after the closing mark when the text says only "he" or names the
speaker far away (square brackets: the editor's insertion, as in print)."""
SELECTED_QUOTE_STYLE = "reverse"
SEARCH_STYLE = "underline2 reverse $text-accent"
"""Words of the active search: reversed with a double underline, unlike terms and quotes."""
BADGE_STYLE = "$text-primary on $primary-muted"
"""Topic badges of the meta line (without colour: the words between spaces)."""
NEAR_SPEAKER = 250
"""Characters between a quote and the speaker's name beyond which the name is repeated."""
CLOSING_MARKS = frozenset("\"'”’»›」』")
OPENING_MARKS = frozenset("\"'“‘«»„‚‹›「『")
QUOTE_CLOSERS = CLOSING_MARKS | frozenset("“‘«‹")
"""Marks that may end a quote: German »…« and „…“ close with what opens elsewhere."""
DEFAULT_MARKS = ("“", "”")
_TYPEWRITER_MARKS = frozenset("\"'")
_TYPOGRAPHIC_OPENERS = OPENING_MARKS - _TYPEWRITER_MARKS
_BLOCK = re.compile(r"[^\n]+(?:\n[^\n]+)*")
_WORD = re.compile(r"\w{2,}")
_SPACES_BEFORE_MARK = frozenset(" \u00a0\u202f\u2009")
"""Spaces French typography puts inside « … » (so the label goes after the », not before)."""
QUOTE_MARK = "❝"


def list_date(value: datetime, *, short: bool = False, now: datetime | None = None) -> str:
    """A compact local date for lists, with the year when it is not this year's, as the
    article list shows it ("Nov 20 12:00", "Dec 07  2017"; short: "Nov 20", "Dec'17")."""
    return compact_date(value, now or datetime.now(UTC), with_time=not short)


def full_date(value: datetime) -> str:
    """A full local date and time with the zone."""
    return format_date(value, "%Y-%m-%d %H:%M %Z").rstrip()


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


def topic_badges(topics: Sequence[str]) -> Content:
    """Topic names as compact badges (" accession  alliance ")."""
    parts: list[str | tuple[str, str]] = []
    for topic in topics:
        parts.extend([" " if parts else "", (f" {neutralise(topic)} ", BADGE_STYLE)])
    return Content.assemble(*parts)


def clamp_title(title: Content, width: int, lines: int = 2) -> Content:
    """`title` cut with an ellipsis so it wraps to at most `lines` lines of `width` cells
    (at a word when one ends near the cut; wide characters count two cells)."""
    if width < 4 or len(title.wrap(width)) <= lines:
        return title

    def fits(length: int) -> bool:
        return len(Content.assemble(title[:length].rstrip(), "…").wrap(width)) <= lines

    low, high = 0, len(title.plain)
    while low < high:  # the longest prefix that fits with its ellipsis
        middle = (low + high + 1) // 2
        low, high = (middle, high) if fits(middle) else (low, middle - 1)
    space = title.plain.rfind(" ", 0, low)
    cut = space if space > max(0, low - 16) else low
    return Content.assemble(title[:cut].rstrip(), "…")


def article_title(detail: ArticleDetail, search: Sequence[tuple[int, int]] = ()) -> Content:
    """The article title in bold with its topic terms (and searched words) highlighted."""
    return _title_with_terms(detail, search)


def article_meta(detail: ArticleDetail, width: int = 0) -> Content:
    """The one meta line: starred, source, date and the matched topics as badges (those that
    fit in `width` cells, when given)."""
    row = detail.row
    parts: list[str | Content | tuple[str, str]] = []
    if row.starred:
        parts.append(("★ starred · ", "$text-warning"))
    parts.append((neutralise(row.feed_title), "bold"))
    parts.append((f" · {full_date(row.published)}", "$text-muted"))
    if row.tags:
        parts.append((" · " + " ".join(f"#{neutralise(tag)}" for tag in row.tags), "$text-accent"))
    line = Content.assemble(*parts)
    shown: list[str] = []
    for topic in row.topics:
        badges = topic_badges([*shown, topic])
        if width and line.cell_length + 2 + badges.cell_length > width:
            break
        shown.append(topic)
    return Content.assemble(line, "  ", topic_badges(shown)) if shown else line


def article_header(
    detail: ArticleDetail, search: Sequence[tuple[int, int]] = (), *, width: int = 0
) -> Content:
    """Title (cut to two lines of `width` cells when given), the meta line and, after a
    full-text fetch, its note. `search` holds document offsets of searched words."""
    title = article_title(detail, search)
    parts: list[str | Content | tuple[str, str]] = [
        clamp_title(title, width) if width else title,
        "\n",
        article_meta(detail, width),
    ]
    if detail.fulltext_note:
        parts.extend(["\n", (neutralise(detail.fulltext_note), "dim italic")])
    return Content.assemble(*parts)


def article_details(detail: ArticleDetail) -> Content:
    """What the meta line leaves out: author, link and the topic scores that explain the match."""
    row = detail.row
    parts: list[str | Content | tuple[str, str]] = []
    if detail.author:
        parts.extend(["by ", (neutralise(detail.author), "bold"), "\n"])
    link = safe_url(row.link)
    parts.append((link or "(no http link)", "underline $text-primary" if link else "dim"))
    why = why_matched(detail)
    if why:
        parts.append("\n")
        parts.append(("Why it matched:", "bold"))
        for topic, score, matched, found in why:
            parts.append("\n  ")
            parts.append((f" {topic} {score:.2f}{' ✓' if matched else ''} ", BADGE_STYLE))
            if found:
                parts.append((" " + ", ".join(found[:6]), TERM_STYLE))
    return Content.assemble(*parts)


def quotes_summary(quotes: Sequence[Quote], *, versions: int = 0, key: str = "Q") -> Content:
    """One line for the collapsed quotes panel: how many quotes, by whom, and the key."""
    speakers = list(dict.fromkeys(neutralise(q.speaker) for q in quotes if q.speaker))
    parts: list[str | tuple[str, str]] = [(QUOTE_MARK, "bold"), " "]
    parts.append((f"{len(quotes)} quote{'s' if len(quotes) != 1 else ''}", "bold"))
    if versions:
        parts.append((f", {versions} other version{'s' if versions != 1 else ''}", "bold"))
    parts.extend([" (", (key, "bold $text-accent"), " shows them)"])
    if speakers:
        more = f" +{len(speakers) - 3}" if len(speakers) > 3 else ""
        parts.append((f" · {', '.join(speakers[:3])}{more}", "$text-muted"))
    return Content.assemble(*parts)


@dataclass(frozen=True, slots=True)
class QuoteSpot:
    """Where a quote landed in the rendered body: its block and offset in that block's text."""

    block: int
    offset: int


def after_closing_mark(document: str, quote: Quote) -> int:
    """Document offset just after the quote's closing mark(s) (where a speaker label goes):
    ” » “ « and ’ alike, past the space French puts before », never inside the mark."""
    end = quote.end
    probe = end
    while probe < min(len(document), end + 2) and document[probe] in _SPACES_BEFORE_MARK:
        probe += 1
    if probe >= len(document) or document[probe] not in QUOTE_CLOSERS:
        return end
    stop = probe + 2
    while probe < min(len(document), stop) and document[probe] in QUOTE_CLOSERS:
        probe += 1
    return probe


def names_speaker(document: str, quote: Quote) -> bool:
    """True when the text names the quote's speaker next to it (same paragraph, near): the
    extractor's speaker span holds a word of the resolved name ("Orban" for Viktor Orban),
    not a pronoun or a role."""
    start, end, speaker = quote.speaker_start, quote.speaker_end, quote.speaker
    if speaker is None or start is None or end is None or not 0 <= start < end <= len(document):
        return False
    mention = {word.casefold() for word in _WORD.findall(document[start:end])}
    if not mention & {word.casefold() for word in _WORD.findall(speaker)}:
        return False
    gap = document[end : quote.start] if end <= quote.start else document[quote.end : start]
    return len(gap) <= NEAR_SPEAKER and "\n\n" not in gap


def _speaker_marks(
    document: str, quotes: Sequence[Quote]
) -> tuple[list[tuple[int, int]], list[tuple[int, str]]]:
    """Speaker names to highlight in place (document spans) and labels to add after closing
    marks (offset, text): a name is labelled once per paragraph run of its quotes."""
    in_place: list[tuple[int, int]] = []
    labels: list[tuple[int, str]] = []
    last_speaker: str | None = None
    last_end = -1
    for quote in quotes:
        speaker = quote.speaker
        same_run = (
            speaker is not None
            and speaker == last_speaker
            and "\n\n" not in document[last_end : quote.start]
        )
        if speaker is None:
            pass
        elif names_speaker(document, quote):
            in_place.append((quote.speaker_start or 0, quote.speaker_end or 0))
        elif not same_run:
            labels.append((after_closing_mark(document, quote), f" [{neutralise(speaker)}]"))
        last_speaker, last_end = speaker, quote.end
    return in_place, labels


def body_blocks(
    detail: ArticleDetail,
    selected_quote: int | None = None,
    search: Sequence[tuple[int, int]] = (),
) -> tuple[list[Content], list[QuoteSpot]]:
    """The body as paragraph blocks with quotes, terms and searched words styled, speakers
    named beside their quotes highlighted in place, and a dim " [Name]" after the closing
    mark of a quote whose speaker the text gives only as a pronoun or far away
    (`search`: document offsets of the searched words)."""
    document = neutralise(detail.document)
    base = len(detail.row.title) + 1
    body = document[base:]
    ordered = sorted(range(len(detail.quotes)), key=lambda i: detail.quotes[i].start)
    in_place, labels = _speaker_marks(document, [detail.quotes[i] for i in ordered])
    styled: list[tuple[int, int, str]] = []
    for index, quote in enumerate(detail.quotes):
        style = QUOTE_STYLE + (f" {SELECTED_QUOTE_STYLE}" if index == selected_quote else "")
        styled.append((quote.start - base, quote.end - base, style))
    styled += [(s.start - base, s.end - base, TERM_STYLE) for s in detail.analysis.spans]
    styled += [(a - base, b - base, SEARCH_STYLE) for a, b in search]
    styled += [(a - base, b - base, SPEAKER_STYLE) for a, b in in_place]
    label_at = [(pos - base, text) for pos, text in labels if pos > base]
    blocks: list[Content] = []
    spots: list[QuoteSpot | None] = [None] * len(detail.quotes)
    for match in _BLOCK.finditer(body):
        start, end = match.span()
        inserts = sorted((pos - start, text) for pos, text in label_at if start < pos <= end)

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
        for span_start, span_end, style in styled:
            if span_end > start and span_start < end:
                a, b = max(span_start, start) - start, min(span_end, end) - start
                spans.append(Span(moved(a, is_start=True), moved(b, is_start=False), style))
        for index, quote in enumerate(detail.quotes):
            offset = quote.start - base - start
            if spots[index] is None and quote.end - base > start and offset < end - start:
                spots[index] = QuoteSpot(len(blocks), moved(max(offset, 0), is_start=True))
        for pos, text in inserts:
            at = moved(pos, is_start=False)
            spans.append(Span(at, at + len(text), SPEAKER_LABEL_STYLE))
        blocks.append(Content("".join(pieces), spans=spans))
    fallback = QuoteSpot(0, 0)
    return blocks, [spot or fallback for spot in spots]


def written_marks(document: str, quote: Quote) -> tuple[str, str]:
    """The marks the article put around a quote («…», „…“, »…«, “…”, "…"), or “…” when it
    has none on both sides (a dash-introduced quote, a quote cut short)."""
    before = document[quote.start - 1] if 0 < quote.start <= len(document) else ""
    after = document[quote.end] if 0 <= quote.end < len(document) else ""
    if before in _TYPOGRAPHIC_OPENERS and after in QUOTE_CLOSERS and before and after:
        return before, after
    if before in _TYPEWRITER_MARKS and after == before:
        return before, after
    return DEFAULT_MARKS


def quote_item(quote: Quote, limit: int = 160, marks: tuple[str, str] = DEFAULT_MARKS) -> Content:
    """One line of the quotes panel: the quote, between the marks the article
    used (`written_marks`), and who said it."""
    text = " ".join(neutralise(quote.text).split())
    if len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    opening, closing = marks
    parts: list[str | tuple[str, str]] = [(f"{opening}{text}{closing}", QUOTE_STYLE)]
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
