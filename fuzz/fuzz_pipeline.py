"""Coverage-guided fuzzing of parse → sanitise → topics → quotes with atheris (optional).

    pip install atheris
    python fuzz/fuzz_pipeline.py -max_total_time=600 -rss_limit_mb=2048 fuzz/corpus

Any exception other than ParseError, any control character left in the output, or any offset
outside the text is a finding. Seed `fuzz/corpus/` with feed files (e.g. from tests/feedgen.py).
"""

from __future__ import annotations

import re
import sys

import atheris

with atheris.instrument_imports():
    from natoread.core.analysis.quotes.extract import extract_quotes
    from natoread.core.analysis.topics.engine import compile_topics, parse_topics
    from natoread.core.errors import ParseError
    from natoread.core.feeds.parser import parse_feed

ENGINE = compile_topics(parse_topics(None, "fuzz"))
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def check_text(title: str, body: str) -> None:
    """The analysis invariants on one entry."""
    for value in (title, body):
        assert not CONTROL.search(value), repr(value)
    document = f"{title}\n{body}"
    for span in ENGINE.classify(title, body).spans:
        assert 0 <= span.start <= span.end <= len(document)
    for quote in extract_quotes(document):
        assert document[quote.start : quote.end] == quote.text


def test_one_input(data: bytes) -> None:
    """One fuzz iteration."""
    try:
        feed = parse_feed(data, "https://fuzz.example/feed.xml")
    except ParseError:
        return
    for entry in feed.entries:
        check_text(entry.title, entry.body)


if __name__ == "__main__":
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()
