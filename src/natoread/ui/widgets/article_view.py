"""The reader pane: header with "why this matched", the highlighted body and a quotes panel."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from natoread.core.store import ArticleDetail
from natoread.ui.render import QuoteSpot, article_header, body_blocks, quote_item

PLACEHOLDER = Content.assemble(
    ("No article open.", "bold"), "\n\nPress Enter on an article in the list to read it here."
)


class ArticleBody(VerticalScroll):
    """The scrolling article text (its own widget so focus and paging target it)."""

    DEFAULT_CSS = """
    ArticleBody {
        padding: 0 1;
        scrollbar-size-vertical: 1;
        & > .paragraph { margin-bottom: 1; }
        & > #article-header {
            margin-bottom: 1;
            border-bottom: solid $primary-muted;
        }
    }
    """


class QuotesPanel(OptionList):
    """Each quote with its speaker; highlighting one scrolls the body to it."""

    DEFAULT_CSS = """
    QuotesPanel {
        height: auto;
        max-height: 30%;
        border-top: solid $primary-muted;
        border-title-align: left;
    }
    """


class ArticleView(Vertical):
    """One article: header, body with terms and quotes styled, and the list of quotes."""

    DEFAULT_CSS = """
    ArticleView {
        & > QuotesPanel.-empty { display: none; }
    }
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.detail: ArticleDetail | None = None
        self._spots: list[QuoteSpot] = []
        self._blocks: list[Content] = []
        self._selected_quote: int | None = None

    def compose(self) -> ComposeResult:
        with ArticleBody(id="article-body"):
            yield Static(PLACEHOLDER, id="article-header", markup=False)
        panel = QuotesPanel(id="quotes", classes="-empty", markup=False)
        panel.border_title = "Quotes"
        yield panel

    @property
    def body(self) -> ArticleBody:
        """The scrolling body."""
        return self.query_one(ArticleBody)

    @property
    def quotes(self) -> QuotesPanel:
        """The quotes panel."""
        return self.query_one(QuotesPanel)

    @property
    def article_id(self) -> int | None:
        """The id of the article shown."""
        return self.detail.row.id if self.detail else None

    async def show(self, detail: ArticleDetail | None) -> None:
        """Show `detail` (None: the placeholder), scrolled to the top."""
        same = detail is not None and self.article_id == detail.row.id
        self.detail = detail
        self._selected_quote = None
        await self._render_body()
        panel = self.quotes
        panel.clear_options()
        if detail is not None and detail.quotes:
            panel.add_options(
                Option(quote_item(quote), id=f"quote-{index}")
                for index, quote in enumerate(detail.quotes)
            )
            panel.border_title = f"Quotes ({len(detail.quotes)})"
            panel.remove_class("-empty")
        else:
            panel.add_class("-empty")
        if not same:
            self.body.scroll_home(animate=False)

    def refresh_header(self, detail: ArticleDetail) -> None:
        """Redraw only the header (after starring)."""
        if self.article_id == detail.row.id:
            self.detail = detail
            self.query_one("#article-header", Static).update(article_header(detail))

    async def _render_body(self) -> None:
        """Rebuild the header and paragraphs for the current article and selected quote."""
        body = self.body
        header = self.query_one("#article-header", Static)
        paragraphs = list(body.query(".paragraph").results(Static))
        if self.detail is None:
            header.update(PLACEHOLDER)
            self._spots, self._blocks = [], []
            await body.query(".paragraph").remove()
            return
        header.update(article_header(self.detail))
        self._blocks, self._spots = body_blocks(self.detail, self._selected_quote)
        if len(paragraphs) == len(self._blocks):
            for paragraph, block in zip(paragraphs, self._blocks, strict=True):
                paragraph.update(block)
            return
        await body.query(".paragraph").remove()
        await body.mount_all(
            Static(block, classes="paragraph", markup=False) for block in self._blocks
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

    @on(OptionList.OptionHighlighted, "#quotes")
    async def _follow_quote(self, event: OptionList.OptionHighlighted) -> None:
        """Keep the body on the highlighted quote."""
        event.stop()
        if self.quotes.has_focus and event.option_index != self._selected_quote:
            await self.select_quote(event.option_index)

    @on(OptionList.OptionSelected, "#quotes")
    async def _jump_to_quote(self, event: OptionList.OptionSelected) -> None:
        """Scroll the body to the chosen quote."""
        event.stop()
        await self.select_quote(event.option_index)
