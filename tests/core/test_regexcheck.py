"""User `re:` terms are refused when they can backtrack catastrophically (`core/regexcheck.py`)."""

from __future__ import annotations

import re
import time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from natoread.core.analysis.topics.engine import DEFAULT_TOPICS, compile_topics, parse_topics
from natoread.core.analysis.topics.regexcheck import MAX_REGEX_CHARS, backtracking_problem
from natoread.core.analysis.topics.rules import compile_pattern
from natoread.core.errors import ConfigError

CATASTROPHIC = [
    r"(a+)+$",
    r"(a|a)*",
    r"(.*)*x",
    r"(\w+\s?)+$",
    r"(a|aa)*$",
    r"(a*)*",
    r"(\s?\w+)+",
    r"(\d+)*$",
    r"((ab)+c?)+",
    r"(a{1,2})+",
    r"(a|b|ab)+",
    r"(\w+\s?){2,3}",  # few rounds, but each an unbounded run: a high power of the length
    r"\w+\w+",
    r"\w+\s*\w+x",
    r"(?:x\w+)?\w+",
    r".*.*=.*",
    r"(?=(a+)+)b",  # inside a lookaround too
    r"^(([a-z])+.)+[A-Z]([a-z])+$",
]
SAFE = [
    r"nato\s+summit",
    r"arctic (?:security|council)",
    r"article\s+(?:5|five)\s+of\s+(?:the\s+|its\s+)?(?!nato|alliance)\w+",
    r"(\s+\w+)+",
    r"\w+(?:\s+\w+)*",
    r"(?:,\s*\w+)*",
    r"(?:\w{1,3}\s?){0,3}",  # bounded repeats with small counts
    r"(?:\w+\W+){0,5}nato",
    r"(a+)++$",  # possessive: gives nothing back
    r"(?>a+)+",  # atomic group
    r"\w+ing",
    r"nato[-\s]?summit",
    r"(?i)nato",
    r"f-35s?",
    r"[0-9]{1,3}(?:,[0-9]{3})*",
    r"(ab|a)*c",
    r"e-?mail",
]


@pytest.mark.parametrize("pattern", CATASTROPHIC)
def test_catastrophic_patterns_are_named(pattern: str) -> None:
    assert backtracking_problem(pattern)


@pytest.mark.parametrize("pattern", SAFE)
def test_safe_patterns_pass_and_stay_fast_on_hostile_text(pattern: str) -> None:
    assert backtracking_problem(pattern) is None
    compiled = compile_pattern(pattern)
    started = time.perf_counter()
    for hostile in ("a" * 50_000 + "!", "ab" * 25_000 + "!", "a " * 25_000 + "!", "1," * 25_000):
        for _ in compiled.finditer(hostile):
            pass
    assert time.perf_counter() - started < 2.0  # a catastrophic pattern would run for hours


def test_the_check_is_not_fooled_by_a_pattern_that_really_stalls() -> None:
    # The premise of the check: a flagged pattern is slow on a short hostile text.
    started = time.perf_counter()
    re.search(r"(a+)+$", "a" * 18 + "!")
    assert backtracking_problem(r"(a+)+$") and time.perf_counter() - started > 0.001


def test_every_built_in_regular_expression_passes() -> None:
    specs = parse_topics(None, "test")
    patterns = [
        term[3:]
        for spec in specs
        for term in (*spec.terms, *spec.weak_terms, *spec.context, *spec.excludes)
        if term.startswith("re:")
    ]
    assert patterns and all(backtracking_problem(p) is None for p in patterns)


def test_overlong_patterns_are_refused() -> None:
    assert backtracking_problem("a" * (MAX_REGEX_CHARS + 1))


@pytest.mark.parametrize("pattern", [r"(a+)+$", r"(\w+\s?)+$"])
def test_a_topic_with_such_a_term_is_a_config_error_naming_topic_and_term(pattern: str) -> None:
    with pytest.raises(ConfigError) as raised:
        parse_topics({"mine": {"terms": ["NATO", f"re:{pattern}"]}}, "feeds.toml")
    message = str(raised.value)
    assert "topics.mine.terms[1]" in message and repr(pattern) in message
    assert "\n" not in message


def test_a_word_start_regex_term_is_linear_on_a_long_word() -> None:
    # Matches starting inside a word are refused by the pattern, not after each attempt.
    off = {name: {"enabled": False} for name in DEFAULT_TOPICS}
    engine = compile_topics(parse_topics({**off, "mine": {"terms": [r"re:\w+ing"]}}, "t"))
    started = time.perf_counter()
    result = engine.classify("", "x" * 200_000 + " ending")
    assert time.perf_counter() - started < 2.0  # was minutes: each letter restarted the scan
    assert result.topics == ("mine",)


_GUARDED = [
    r"alpha,?\s+bravo",
    r"\.308[\s-]+nato",
    r"nato|\w+ing",
    r"\w+ing",
    r"ab{2}",
    r"c\+\+",
    r"(?:a|b)c",
    r"[]|]x",
    r"(?x) a b",
    r"(?i)AB",
]


@given(
    pattern=st.sampled_from(_GUARDED), text=st.text(alphabet="ab cx.,+308ingnato-|]", max_size=30)
)
def test_the_word_start_guard_only_refuses_matches_inside_words(pattern: str, text: str) -> None:
    flags = re.match(r"\(\?[aiLmsux]+\)", pattern)
    lead, body = (flags.group(), pattern[flags.end() :]) if flags else ("", pattern)
    plain = re.compile(f"{lead}(?:{body})(?!\\w)")
    guarded = compile_pattern(pattern)
    for start in range(len(text) + 1):
        expected = plain.match(text, start)
        if start and re.match(r"\w", text[start - 1]):
            expected = None
        found = guarded.match(text, start)
        assert (found and found.span()) == (expected and expected.span())
