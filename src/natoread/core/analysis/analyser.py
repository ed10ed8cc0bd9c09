"""Topics and quotes of one article, with the topic rules compiled on first use."""

from __future__ import annotations

from collections.abc import Sequence
from functools import cached_property
from typing import TYPE_CHECKING

from natoread.core.analysis.topics.rules import TopicSpec, rules_hash

if TYPE_CHECKING:
    from natoread.core.analysis.records import Analysis, Quote
    from natoread.core.analysis.topics.engine import TopicEngine


class Analyser:
    """Topics and quotes for an article, with the topic rules compiled once, on first use.

    A pass where every feed answers 304 analyses nothing, so it never pays for compiling.
    """

    def __init__(self, topics: Sequence[TopicSpec]) -> None:
        self._topics = tuple(topics)
        self.rules_hash = rules_hash(self._topics)

    @cached_property
    def engine(self) -> TopicEngine:
        """The compiled rules."""
        from natoread.core.analysis.topics.engine import compile_topics

        return compile_topics(self._topics)

    def __call__(self, title: str, body: str, *, quotes: bool | None = None) -> Analysis:
        """Analyse one article document (`title + "\\n" + body`).

        Quotes are extracted when `quotes` is True, or (None) when the article matches a
        topic; otherwise extraction is deferred until the article is first read.
        """
        from natoread.core.analysis.quotes import extract_quotes
        from natoread.core.analysis.records import Analysis

        topics = self.engine.classify(title, body)
        if quotes is False or (quotes is None and not topics.matched):
            return Analysis(topics, (), quotes_done=False)
        found: tuple[Quote, ...] = extract_quotes(f"{title}\n{body}")
        return Analysis(topics, found)
