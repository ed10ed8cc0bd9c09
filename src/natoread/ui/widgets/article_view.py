"""The reader pane: a compact header (title, one meta line; "why it matched" behind a key), the
highlighted body, a quotes panel (a one-line summary on short terminals, beside the body on
wide ones) and, for a story several outlets carry, the other versions."""

from __future__ import annotations

from collections.abc import Sequence

from textual import events, on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from natoread.core.analysis.records import Quote
from natoread.core.storage.records import ArticleDetail
from natoread.core.storage.search import Term
from natoread.ui.render import (
    DEFAULT_MARKS,
    QuoteSpot,
    article_details,
    body_blocks,
    merged_quote_item,
    quote_item,
    quotes_summary,
    version_item,
    written_marks,
)
from natoread.ui.search import term_spans
from natoread.ui.widgets.reader_parts import (
    PLACEHOLDER,
    SIDE_QUOTES_WIDTH,
    TALL_SCREEN,
    ArticleBody,
    ArticleHeader,
    QuotesPanel,
    StoryContext,
    VersionsPanel,
    same_quote,
)

__all__ = [
    "PLACEHOLDER",
    "ArticleBody",
    "ArticleHeader",
    "ArticleView",
    "QuotesPanel",
    "StoryContext",
    "VersionsPanel",
]


class ArticleView(Vertical):
    """One article: header, body with terms and quotes styled, the quotes, other versions."""

    DEFAULT_CSS = """
    ArticleView {
        & > ReaderPanel.-empty { display: none; }
        & > #quotes-summary {
            display: none;
            height: 1;
            padding: 0 1;
            background: $panel;
            text-wrap: nowrap;
            text-overflow: ellipsis;
        }
        &.-quotes-collapsed > ReaderPanel { display: none; }
        &.-quotes-collapsed > #quotes-summary.-any { display: block; }
        &.-quotes-side > QuotesPanel {
            dock: right;
            width: 40%;
            height: 1fr;
            max-height: 100%;
            border: none;
            border-top: solid $primary-muted;
            border-left: vkey $primary-muted;
        }
        &.-details #article-details { display: block; }
        &.-details #article-header { border-bottom: none; }
    }
    """

    class VersionChosen(Message):
        """The user chose another outlet's version of the story."""

        def __init__(self, article_id: int) -> None:
            super().__init__()
            self.article_id = article_id

    class QuoteElsewhere(Message):
        """The user chose a story quote that only another version of the story carries."""

        def __init__(self, article_id: int, text: str) -> None:
            super().__init__()
            self.article_id = article_id
            self.text = text

    def __init__(
        self,
        *,
        text_width: int = 0,
        quotes_key: str = "Q",
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(id=id, classes=classes)
        self.text_width = text_width
        self.quotes_key = quotes_key
        """The key that shows the quotes (named in the collapsed summary)."""
        self.quotes_choice: bool | None = None
        """Quotes panel shown (True) or a summary (False) by the user's choice; None: by size."""
        self._peeking = False
        """The folded panel is open while the focus is in it (tab), and folds when it leaves."""
        self.detail: ArticleDetail | None = None
        self.story: StoryContext | None = None
        self._spots: list[QuoteSpot] = []
        self._blocks: list[Content] = []
        self._selected_quote: int | None = None
        self._search: list[tuple[int, int]] = []
        self._option_quotes: list[int | None] = []
        """Quotes panel option → index of the quote in this article (None: only elsewhere)."""
        self._option_elsewhere: list[tuple[int, str] | None] = []
        self._version_ids: list[int] = []

    def compose(self) -> ComposeResult:
        with ArticleBody(text_width=self.text_width, id="article-body") as body:
            yield body.capped(ArticleHeader(id="article-header"))
            yield body.capped(Static("", id="article-details", markup=False))
        yield Static("", id="quotes-summary", markup=False)
        panel = QuotesPanel(id="quotes", classes="-empty", markup=False)
        panel.border_title = "Quotes"
        yield panel
        versions = VersionsPanel(id="versions", classes="-empty", markup=False)
        versions.border_title = "Other versions"
        yield versions

    @property
    def body(self) -> ArticleBody:
        """The scrolling body."""
        return self.query_one(ArticleBody)

    @property
    def quotes(self) -> QuotesPanel:
        """The quotes panel."""
        return self.query_one(QuotesPanel)

    @property
    def versions(self) -> VersionsPanel:
        """The other versions of the story."""
        return self.query_one(VersionsPanel)

    @property
    def article_id(self) -> int | None:
        """The id of the article shown."""
        return self.detail.row.id if self.detail else None

    async def show(
        self,
        detail: ArticleDetail | None,
        *,
        search: Sequence[Term] = (),
        story: StoryContext | None = None,
    ) -> None:
        """Show `detail` (None: the placeholder), scrolled to the top, with the words of the
        active `search` highlighted and, for a multi-source `story`, its merged quotes and
        the other outlets' versions."""
        same = detail is not None and self.article_id == detail.row.id
        self.detail = detail
        self.story = story if detail is not None else None
        self._selected_quote = None
        self._search = term_spans(detail.document, search) if detail is not None and search else []
        await self._render_body()
        self._fill_quotes()
        self._fill_versions()
        self._fill_summary()
        self.arrange_quotes()
        if not same:
            self.body.scroll_home(animate=False)

    def _fill_quotes(self) -> None:
        """The quotes panel: this article's quotes, or the story's merged quotes."""
        panel = self.quotes
        panel.clear_options()
        self._option_quotes, self._option_elsewhere = [], []
        detail, story = self.detail, self.story
        if detail is None:
            panel.add_class("-empty")
            return
        options: list[Option] = []
        document = detail.document
        if story is not None and story.quotes:
            for number, merged in enumerate(story.quotes):
                local = next(
                    (i for i, q in enumerate(detail.quotes) if same_quote(q.text, merged.text)),
                    None,
                )
                self._option_quotes.append(local)
                other = next((s for s in merged.sources if s.article_id != detail.row.id), None)
                self._option_elsewhere.append(
                    (other.article_id, merged.text) if local is None and other else None
                )
                marks = (
                    DEFAULT_MARKS
                    if local is None
                    else written_marks(document, detail.quotes[local])
                )
                item = merged_quote_item(merged, local is not None, marks=marks)
                options.append(Option(item, id=f"quote-{number}"))
            title = f"Quotes ({len(options)}) from {story.sources} sources"
        else:
            for index, quote in enumerate(detail.quotes):
                self._option_quotes.append(index)
                self._option_elsewhere.append(None)
                marks = written_marks(document, quote)
                options.append(Option(quote_item(quote, marks=marks), id=f"quote-{index}"))
            title = f"Quotes ({len(options)})"
        panel.add_options(options)
        panel.border_title = title
        panel.set_class(not options, "-empty")

    def _fill_versions(self) -> None:
        """The versions panel: the same story from the other outlets."""
        panel = self.versions
        panel.clear_options()
        story = self.story
        rows = story.versions if story is not None else ()
        self._version_ids = [row.id for row in rows]
        panel.add_options(Option(version_item(row), id=f"version-{row.id}") for row in rows)
        if story is not None:
            panel.border_title = f"Same story, {story.sources} sources"
        panel.set_class(not rows, "-empty")

    def _fill_summary(self) -> None:
        """The one-line summary that stands for the quotes and versions when collapsed."""
        summary = self.query_one("#quotes-summary", Static)
        detail = self.detail
        versions = len(self._version_ids)
        if detail is None or not (self.quotes.option_count or versions):
            summary.remove_class("-any")
            return
        quotes = detail.quotes
        if self.story is not None and self.story.quotes:
            quotes = tuple(Quote(m.text, 0, 0, m.speaker, m.partial) for m in self.story.quotes)
        summary.update(quotes_summary(quotes, versions=versions, key=self.quotes_key))
        summary.add_class("-any")

    @property
    def quotes_expanded(self) -> bool:
        """True when the quotes panel is shown (below or beside the body), not the summary."""
        if self._peeking:
            return True
        if self.quotes_choice is not None:
            return self.quotes_choice
        return self.size.width >= SIDE_QUOTES_WIDTH or self.app.size.height >= TALL_SCREEN

    def arrange_quotes(self) -> None:
        """Show the quotes panel beside or below the body, or only its one-line summary."""
        expanded = self.quotes_expanded
        self.set_class(not expanded, "-quotes-collapsed")
        self.set_class(expanded and self.size.width >= SIDE_QUOTES_WIDTH, "-quotes-side")

    def toggle_quotes(self) -> bool:
        """Expand or collapse the quotes panel (until toggled again); True when now shown."""
        self.quotes_choice = not self.quotes_expanded
        self._peeking = False
        self.arrange_quotes()
        return self.quotes_choice

    def peek_quotes(self, peek: bool) -> None:
        """Open a folded quotes panel while the focus is in it (`peek`), fold it again after."""
        if peek and not self.quotes_expanded:
            self._peeking = True
            self.arrange_quotes()
        elif not peek and self._peeking:
            self._peeking = False
            self.arrange_quotes()

    def toggle_details(self) -> bool:
        """Show or hide the author, link and "why it matched"; True when now shown."""
        self.toggle_class("-details")
        return self.has_class("-details")

    def on_resize(self) -> None:
        self.arrange_quotes()

    @on(events.Click, "#quotes-summary")
    def _open_folded_quotes(self) -> None:
        """A click on the one-line summary opens the quotes panel."""
        self.toggle_quotes()

    def refresh_header(self, detail: ArticleDetail) -> None:
        """Redraw only the header (after starring)."""
        if self.article_id == detail.row.id:
            self.detail = detail
            self.query_one(ArticleHeader).show(detail, self._search)

    def quote_index(self, *, start: int | None = None, text: str | None = None) -> int | None:
        """The index of one of this article's quotes, found by offset or by its words."""
        if self.detail is None:
            return None
        for index, quote in enumerate(self.detail.quotes):
            if start is not None and quote.start == start:
                return index
        if text is not None:
            for index, quote in enumerate(self.detail.quotes):
                if same_quote(quote.text, text) or same_quote(text, quote.text):
                    return index
        return None

    async def focus_quote(self, index: int) -> None:
        """Highlight quote `index` in the panel and the body, and scroll the body to it."""
        if index in self._option_quotes:
            self.quotes.highlighted = self._option_quotes.index(index)
        await self.select_quote(index)

    @property
    def blocks(self) -> list[Content]:
        """The body's paragraphs as rendered (find-in-article searches and marks them)."""
        return list(self._blocks)

    def scroll_to_text(self, block: int, offset: int) -> None:
        """Scroll so the line holding `offset` of paragraph `block` is near the top."""
        paragraphs = list(self.body.query(".paragraph").results(Static))
        if 0 <= block < len(paragraphs):
            self._scroll_to_spot(paragraphs, QuoteSpot(block, offset))

    def current_quote(self) -> int | None:
        """This article's quote highlighted in the panel, else the one selected in the body."""
        highlighted = self.quotes.highlighted
        local = None if highlighted is None else self._local_quote(highlighted)
        return local if local is not None else self._selected_quote

    async def _render_body(self) -> None:
        """Rebuild the header and paragraphs for the current article and selected quote."""
        body = self.body
        header = self.query_one(ArticleHeader)
        details = self.query_one("#article-details", Static)
        paragraphs = list(body.query(".paragraph").results(Static))
        if self.detail is None:
            header.show(None)
            details.update("")
            self._spots, self._blocks = [], []
            await body.query(".paragraph").remove()
            return
        header.show(self.detail, self._search)
        details.update(article_details(self.detail))
        self._blocks, self._spots = body_blocks(self.detail, self._selected_quote, self._search)
        if len(paragraphs) == len(self._blocks):
            for paragraph, block in zip(paragraphs, self._blocks, strict=True):
                paragraph.update(block)
            return
        await body.query(".paragraph").remove()
        await body.mount_all(
            body.capped(Static(block, classes="paragraph", markup=False)) for block in self._blocks
        )

    async def select_quote(self, index: int) -> None:
        """Highlight quote `index` in the body and scroll the body to it."""
        if self.detail is None or not 0 <= index < len(self._spots):
            return
        self._selected_quote = index
        await self._render_body()
        paragraphs = list(self.body.query(".paragraph").results(Static))
        if paragraphs:
            self.call_after_refresh(self._scroll_to_spot, paragraphs, self._spots[index])

    def _scroll_to_spot(self, paragraphs: list[Static], spot: QuoteSpot) -> None:
        """Scroll so the line holding the quote is near the top of the body."""
        block = min(spot.block, len(paragraphs) - 1)
        paragraph = paragraphs[block]
        width = max(1, paragraph.content_region.width)
        line = 0
        consumed = 0
        for number, text in enumerate(self._blocks[block].wrap(width)):
            consumed += len(text.plain)
            if consumed > spot.offset:
                line = number
                break
            consumed += 1  # the space or newline the wrap swallowed
        target = paragraph.virtual_region.y + line - 1
        self.body.scroll_to(y=max(0, target), animate=False)

    def _local_quote(self, option_index: int) -> int | None:
        """The article's quote behind a quotes panel option."""
        if 0 <= option_index < len(self._option_quotes):
            return self._option_quotes[option_index]
        return None

    @on(OptionList.OptionHighlighted, "#quotes")
    async def _follow_quote(self, event: OptionList.OptionHighlighted) -> None:
        """Keep the body on the highlighted quote."""
        event.stop()
        local = self._local_quote(event.option_index)
        if self.quotes.has_focus and local is not None and local != self._selected_quote:
            await self.select_quote(local)

    @on(OptionList.OptionSelected, "#quotes")
    async def _jump_to_quote(self, event: OptionList.OptionSelected) -> None:
        """Scroll the body to the chosen quote, or open the version that carries it."""
        event.stop()
        local = self._local_quote(event.option_index)
        if local is not None:
            await self.select_quote(local)
        elif 0 <= event.option_index < len(self._option_elsewhere):
            elsewhere = self._option_elsewhere[event.option_index]
            if elsewhere is not None:
                self.post_message(self.QuoteElsewhere(*elsewhere))

    @on(OptionList.OptionSelected, "#versions")
    def _open_version(self, event: OptionList.OptionSelected) -> None:
        """Open another outlet's version."""
        event.stop()
        if 0 <= event.option_index < len(self._version_ids):
            self.post_message(self.VersionChosen(self._version_ids[event.option_index]))

    @on(OptionList.OptionHighlighted, "#versions")
    def _keep_version_highlight(self, event: OptionList.OptionHighlighted) -> None:
        """Highlighting a version does nothing until it is chosen."""
        event.stop()
