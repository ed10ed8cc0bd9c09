"""One article as text to hand on: Markdown (`natoread show --format markdown`, the reader's
pipe), plain text (`natoread show`), and a quote as a citation (the reader's `c`).

Pure functions of a stored article. Every string in it came from a feed, so each one goes
through the sanitiser again here (the store holds sanitised text, but rows stored by older
versions may not be): the output may reach a terminal or a clipboard.

The layout is the same in both formats: title, source and date, link, the text, then the
quotes, each with its speaker, then the article's links. In Markdown the quoted words are
also made strong in the text (“**…**”), and each quote is a blockquote with its speaker on
the line after (`> — Mark Rutte`), which reads well in a terminal, renders in any Markdown
viewer and pastes into mail or chat as it reads.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from natoread.core.text.dates import format_date
from natoread.core.text.sanitize import clean_line, clean_paragraphs, neutralise, safe_url

if TYPE_CHECKING:
    from natoread.core.analysis.records import Quote
    from natoread.core.storage.records import ArticleDetail, ArticleRow

DATE_FORMAT = "%Y-%m-%d %H:%M UTC"
CITATION_DATE_FORMAT = "%Y-%m-%d"
QUOTE_LIMIT = 2000
"""The longest quote printed whole (a runaway extraction is cut with an ellipsis)."""

# Characters Markdown would read as markup anywhere in a line, and at the start of one.
_INLINE_MARKUP = re.compile(r"([\\`*_\[\]<])")
_LINE_MARKUP = re.compile(r"^(\s*)([#>+=|-]|\d+[.)])", re.MULTILINE)


def escape_markdown(text: str) -> str:
    """`text` with every character Markdown would take as markup escaped, so that it shows
    as written (emphasis, links, HTML, headings, lists and quotes)."""
    text = _INLINE_MARKUP.sub(r"\\\1", text)
    return _LINE_MARKUP.sub(lambda m: f"{m.group(1)}\\{m.group(2)}", text)


def source_line(row: ArticleRow) -> str:
    """ "Outlet · 2026-12-07 12:00 UTC"."""
    when = format_date(row.published, DATE_FORMAT, local=False)
    return f"{clean_line(row.feed_title, 200)} · {when}"


def speaker_of(quote: Quote) -> str:
    """Who said it, or "unattributed"."""
    return clean_line(quote.speaker, 200) if quote.speaker else "unattributed"


def quote_text(quote: Quote) -> str:
    """The quoted words on one line, bounded."""
    return clean_line(quote.text, QUOTE_LIMIT)


def _body_quotes(detail: ArticleDetail) -> list[tuple[int, int]]:
    """(start, end) of each quote inside the body, in order, without overlaps."""
    offset = len(detail.row.title) + 1
    spans: list[tuple[int, int]] = []
    for quote in sorted(detail.quotes, key=lambda q: (q.start, q.end)):
        start, end = quote.start - offset, quote.end - offset
        if start < 0 or end > len(detail.body) or start >= end:
            continue  # a quote in the title, or offsets a changed body no longer holds
        if spans and start < spans[-1][1]:
            continue
        spans.append((start, end))
    return spans


def _marked_body(detail: ArticleDetail) -> str:
    """The body as Markdown, each quote's words strong ("**…**")."""
    body = neutralise(detail.body)  # one character for one: quote offsets still hold
    parts: list[str] = []
    done = 0
    for start, end in _body_quotes(detail):
        words = body[start:end]
        inner = words.strip()
        if not inner or "\n\n" in words:
            continue  # emphasis cannot cross a paragraph
        lead = words[: len(words) - len(words.lstrip())]
        tail = words[len(words.rstrip()) :]
        parts.append(escape_markdown(body[done:start]))
        parts.append(f"{lead}**{escape_markdown(inner)}**{tail}")
        done = end
    parts.append(escape_markdown(body[done:]))
    return clean_paragraphs("".join(parts))


def _links(detail: ArticleDetail) -> list[str]:
    """The article's own http(s) links, each once, its link first."""
    links = [detail.row.link, *detail.links]
    safe = (safe_url(clean_line(link, 4096)) for link in links if link)
    return list(dict.fromkeys(link for link in safe if link))


def article_markdown(detail: ArticleDetail) -> str:
    """The article as Markdown: `# title`, source and date, link, text, quotes, links."""
    row = detail.row
    lines = [f"# {escape_markdown(clean_line(row.title, 2000))}", ""]
    lines.append(escape_markdown(source_line(row)))
    if detail.author.strip():
        lines[-1] += f" · {escape_markdown(clean_line(detail.author, 200))}"
    links = _links(detail)
    link = safe_url(row.link)
    if link:
        lines += ["", f"<{link}>"]
    body = _marked_body(detail)
    if body:
        lines += ["", body]
    if detail.quotes:
        lines += ["", "## Quotes"]
        for quote in detail.quotes:
            lines += ["", f"> “{escape_markdown(quote_text(quote))}”"]
            lines.append(f"> — {escape_markdown(speaker_of(quote))}")
    others = [url for url in links if url != link]
    if others:
        lines += ["", "## Links", ""]
        lines += [f"{number}. <{url}>" for number, url in enumerate(others, 1)]
    return "\n".join(lines) + "\n"


def article_text(detail: ArticleDetail) -> str:
    """The article as plain text, in the Markdown layout without the markup."""
    row = detail.row
    lines = [clean_line(row.title, 2000), source_line(row)]
    if detail.author.strip():
        lines[-1] += f" · {clean_line(detail.author, 200)}"
    link = safe_url(row.link)
    if link:
        lines.append(link)
    body = clean_paragraphs(detail.body)
    if body:
        lines += ["", body]
    if detail.quotes:
        lines += ["", "Quotes:"]
        lines += [f"  “{quote_text(q)}” — {speaker_of(q)}" for q in detail.quotes]
    others = [url for url in _links(detail) if url != link]
    if others:
        lines += ["", "Links:"]
        lines += [f"  {number}. {url}" for number, url in enumerate(others, 1)]
    return "\n".join(lines) + "\n"


def citation(quote: Quote, row: ArticleRow) -> str:
    """A quote as a citation: “text” — Speaker, Outlet, 2026-12-07, https://link.

    An unattributed quote names the outlet first; a link that is not http(s) is left out.
    """
    parts = [clean_line(quote.speaker, 200)] if quote.speaker else []
    parts.append(clean_line(row.feed_title, 200))
    parts.append(format_date(row.published, CITATION_DATE_FORMAT, local=False))
    link = safe_url(row.link)
    if link:
        parts.append(link)
    return f"“{quote_text(quote)}” — {', '.join(parts)}"


def citations(detail: ArticleDetail) -> Sequence[str]:
    """Every quote of the article as a citation, in text order."""
    return [citation(q, detail.row) for q in sorted(detail.quotes, key=lambda q: q.start)]
