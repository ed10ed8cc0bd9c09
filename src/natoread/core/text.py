"""Feed HTML → clean plain-text paragraphs for the terminal, plus the article's links."""

from __future__ import annotations

import html
from urllib.parse import urljoin

from natoread.core.sanitize import clean_paragraphs, safe_url

_BLOCK_TAGS = frozenset(
    [
        "address",
        "article",
        "aside",
        "blockquote",
        "br",
        "dd",
        "div",
        "dl",
        "dt",
        "figcaption",
        "figure",
        "footer",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hr",
        "li",
        "main",
        "nav",
        "ol",
        "p",
        "pre",
        "section",
        "table",
        "tbody",
        "thead",
        "tfoot",
        "tr",
        "ul",
    ]
)
_SKIP_TAGS = frozenset(
    ["script", "style", "noscript", "iframe", "object", "embed", "svg", "template", "head", "form"]
)
_MAX_HTML = 2_000_000


def looks_like_html(value: str) -> bool:
    """Cheap test: does this string contain tags or entities worth parsing?"""
    return "<" in value and ">" in value


def html_to_text(value: str, base_url: str | None = None) -> tuple[str, tuple[str, ...]]:
    """Convert an HTML fragment to paragraphs of plain text and the http(s) links it holds."""
    if not value:
        return "", ()
    if not looks_like_html(value):
        return clean_paragraphs(html.unescape(value) if "&" in value else value), ()
    from lxml import etree
    from lxml import html as lxml_html

    parser = lxml_html.HTMLParser(
        remove_comments=True, remove_pis=True, no_network=True, recover=True
    )
    try:
        root = lxml_html.fragment_fromstring(value[:_MAX_HTML], create_parent="div", parser=parser)
    except (etree.ParserError, ValueError):
        return clean_paragraphs(html.unescape(value)), ()
    parts: list[str] = []
    links: list[str] = []
    _walk(root, parts, links, base_url)
    text = clean_paragraphs("".join(parts))
    return text, tuple(dict.fromkeys(links))


def _walk(element: object, parts: list[str], links: list[str], base_url: str | None) -> None:
    """Append the text of `element` to `parts`, turning block elements into paragraph breaks."""
    from lxml import etree

    assert isinstance(element, etree._Element)
    tag = element.tag if isinstance(element.tag, str) else ""
    tag = tag.rsplit("}", 1)[-1].lower()
    if tag in _SKIP_TAGS:
        if element.tail:
            parts.append(element.tail)
        return
    block = tag in _BLOCK_TAGS
    if block:
        parts.append("\n\n" if tag not in ("br", "li", "tr", "dt", "dd") else "\n")
    if tag == "li":
        parts.append("• ")
    if tag == "a":
        href = element.get("href")
        if href:
            absolute = urljoin(base_url, href.strip()) if base_url else href.strip()
            if safe_url(absolute):
                links.append(absolute)
    if tag == "img":
        alt = element.get("alt")
        if alt:
            parts.append(f"[image: {alt}]")
    if element.text:
        parts.append(element.text)
    for child in element:
        _walk(child, parts, links, base_url)
    if block and tag != "br":
        parts.append("\n\n" if tag not in ("li", "tr", "dt", "dd") else "\n")
    if element.tail:
        parts.append(element.tail)
