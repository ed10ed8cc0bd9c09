"""The sanitiser: no control sequence survives; safe_url admits only plain http(s)."""

from __future__ import annotations

import re

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from natoread.core.text import sanitize
from natoread.core.text.sanitize import (
    clean_line,
    clean_paragraphs,
    clean_text,
    neutralise,
    safe_url,
)

CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Evil \x1b]0;pwned\x1b\\ title", "Evil  title"),
        ("a\x1b[2Jb", "ab"),
        ("a\x1b]52;c;ZXZpbA==\x07b", "ab"),
        ("\x1b]8;;https://evil.example/\x1b\\click\x1b]8;;\x1b\\", "click"),
        ("bell\x07", "bell"),
        ("c1 \x9b2J csi", "c1  csi"),
        ("osc \x9d0;x\x9c end", "osc  end"),
        ("bidi \u202eevil\u202c", "bidi evil"),
        ("zero\u200bwidth", "zerowidth"),
        ("keep\ttab\nnewline", "keep\ttab\nnewline"),
        ("cr\r\nlf", "cr\nlf"),
        ("[bold red]x[/] [@click=app.quit]", "[bold red]x[/] [@click=app.quit]"),
    ],
)
def test_clean_text(raw: str, expected: str) -> None:
    assert clean_text(raw) == expected


def test_clean_line_is_one_line_and_bounded() -> None:
    assert clean_line("  a \n b\t c  ") == "a b c"
    assert len(clean_line("x" * 5000, 100)) == 100


def test_clean_paragraphs_limits_blank_lines() -> None:
    assert clean_paragraphs("a  \n\n\n\n b") == "a\n\nb"


@given(st.text())
def test_clean_text_never_leaves_controls(text: str) -> None:
    cleaned = clean_text(text)
    assert "\x1b" not in cleaned
    assert not CONTROLS.search(cleaned)


@given(st.text())
def test_clean_line_has_no_newlines(text: str) -> None:
    assert "\n" not in clean_line(text)


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "file:///etc/passwd",
        "data:text/html,<script>",
        "--remote-debugging-port=9222",
        "-https://e.com/",
        "https://e.com/a b",
        "https://e.com/\x1b]0;x\x07",
        "ftp://e.com/x",
        "https://",
        "",
        None,
    ],
)
def test_safe_url_refuses(url: str | None) -> None:
    assert safe_url(url) is None


@pytest.mark.parametrize(
    "url", ["https://e.com/$(id)", "http://e.com/a?b=1&c=2#x", "HTTPS://E.COM/"]
)
def test_safe_url_accepts(url: str) -> None:
    assert safe_url(url) == url


def _reference_safe_url(url: str) -> str | None:
    """safe_url's definition spelled out with urlsplit alone (no fast path)."""
    from urllib.parse import urlsplit

    if not url or len(url) > 4096 or url.startswith("-"):
        return None
    if any(c.isspace() or ord(c) < 0x20 or 0x7F <= ord(c) <= 0x9F for c in url):
        return None
    if any(sanitize._RX.unclean.match(c) or c in "\u200c\u200d" for c in url):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    ok = parts.scheme.lower() in ("http", "https") and bool(parts.hostname)
    return url if ok else None


@given(
    st.sampled_from(["http://", "https://", "HTTP://", "ftp://", "http:/", ""]),
    st.text(alphabet="ab.-:0123456789[]@/?#%é ", max_size=30),
)
def test_safe_url_fast_path_agrees_with_urlsplit(scheme: str, rest: str) -> None:
    url = scheme + rest
    assert safe_url(url) == _reference_safe_url(url)


def _reference_text(value: str) -> str:
    """clean_text without its fast path: every regular expression, always."""
    text = value.replace("\r\n", "\n").replace("\r", "\n")
    text = sanitize._RX.replaced.sub(
        sanitize._replacement, sanitize._RX.escape_sequence.sub("", text)
    )
    return sanitize._RX.control.sub("", text)


def _reference_paragraphs(value: str) -> str:
    """clean_paragraphs without its fast path: every regular expression, always."""
    text = _reference_text(value)
    text = sanitize._RX.odd_spaces.sub(" ", text)
    text = text.replace(" \n", "\n").replace("\n ", "\n")
    return sanitize._MANY_NEWLINES.sub("\n\n", text).strip()


def _reference_line(value: str, limit: int = 1000) -> str:
    """clean_line without its fast path."""
    text = _reference_text(value)
    text = sanitize._RX.spaces.sub(" ", text.replace("\n", " ").replace("\t", " ")).strip()
    return text[: limit - 1].rstrip() + "…" if len(text) > limit else text


_PIECES = [
    *"ab \n\t\r.“é",
    *("\x1b[31m", "\x1b]8;;x\x07", "\x9b", "\u00a0", "\u2003", "\u200b", "\u202e"),
    *("\u2028", "\ufeff", "\x00", "\x7f", "\u3000", "\u00ad", "  "),
    *("\ud83d", "\ude00", "\u3164", "\uffa0", "\u200d", "\u200c", "\ufe0f", "\U000e0041"),
    *("\u061c", "\u115f"),
]
_TRICKY = st.lists(st.sampled_from(_PIECES), max_size=30).map("".join)


@given(_TRICKY)
@example("a  b")
@example("a \nb  c")
@example("x\u00a0\u00a0y\tz")
@example("one\r\n\r\n\r\ntwo \u200b")
def test_fast_paths_agree_with_the_full_sanitiser(value: str) -> None:
    assert clean_paragraphs(value) == _reference_paragraphs(value)
    assert clean_line(value) == _reference_line(value)
    assert clean_text(value) == _reference_text(value)


@given(st.text(alphabet=st.characters(max_codepoint=127)))
@example("a\nb\tc")
@example("line\x7f")
def test_printable_fast_path_agrees_with_isprintable(text: str) -> None:
    # ASCII text takes a regular-expression test; it must agree with the general one.
    assert sanitize._printable(text) == text.replace("\n", " ").isprintable()


@given(st.text(alphabet="\n a"))
def test_many_newlines_pattern_agrees_with_counted_repeat(text: str) -> None:
    assert sanitize._MANY_NEWLINES.sub("\n\n", text) == re.sub(r"\n{3,}", "\n\n", text)


# -- the long tail of Unicode: surrogates, joiners, tags, fillers --------------------------

UNCLEAN = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200b\u200e\u200f\u202a-\u202e\u2060-\u206f"
    "\ufeff\ufff9-\ufffb\U000e0000-\U000e007f\ud800-\udfff\u115f\u1160\u3164\uffa0"
    "\u2028\u2029]"
)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("cut \ud83d", "cut \ufffd"),
        ("low \ude00 high", "low \ufffd high"),
        ("pair \ud83d\ude00", "pair \U0001f600"),
        ("backwards \ude00\ud83d", "backwards \ufffd\ufffd"),
        (
            "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645",
            "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645",
        ),
        ("\u0915\u094d\u200d\u0937", "\u0915\u094d\u200d\u0937"),
        ("\U0001f468\u200d\U0001f4bb coder", "\U0001f468\u200d\U0001f4bb coder"),
        ("\u2764\ufe0f heart", "\u2764\ufe0f heart"),
        ("arabic\u061c mark", "arabic mark"),
        ("hidden\U000e0069\U000e0067\U000e006e tags\U000e007f", "hidden tags"),
        ("filler\u3164name", "filler name"),
        ("half\uffa0width \u115f\u1160jamo", "half width   jamo"),
        ("line\u2028para\u2029end", "line\npara\nend"),
        ("rlm\u200f lrm\u200e", "rlm lrm"),
    ],
)
def test_clean_text_long_tail(raw: str, expected: str) -> None:
    assert clean_text(raw) == expected


def test_clean_line_turns_a_filler_only_title_into_nothing() -> None:
    assert clean_line("\u3164\u3164") == ""


@pytest.mark.parametrize("character", ["\u3164", "\uffa0", "\u115f", "\u1160"])
def test_fillers_measure_the_same_to_rich_as_to_a_terminal(character: str) -> None:
    from rich.cells import cell_len

    # A terminal draws the cleaned text in cell_len cells: one ASCII space per filler.
    cleaned = clean_line(f"a{character}b")
    assert cleaned == "a b"
    assert cell_len(cleaned) == 3


@given(st.text())
@example("\ud83d")
@example("\x1b]2;title\x07\u3164")
def test_cleaned_text_is_storable_and_holds_nothing_unclean(text: str) -> None:
    for cleaned in (clean_text(text), clean_line(text), clean_paragraphs(text)):
        cleaned.encode("utf-8")  # no lone surrogate: SQLite and stdout can take it
        assert not UNCLEAN.search(cleaned.replace("\t", " ").replace("\n", " "))


@given(st.text())
@example("a\ud83d\x1b[2J\u3164\u200d")
def test_neutralise_is_one_for_one_and_leaves_nothing_unclean(text: str) -> None:
    shown = neutralise(text)
    assert len(shown) == len(text)
    assert not UNCLEAN.search(shown.replace("\t", " ").replace("\n", " "))
    assert neutralise(clean_text(text)) == clean_text(text)


@pytest.mark.parametrize(
    "url",
    [
        "https://e.com/\ud83d",
        "https://e.com/a\u200db",
        "https://e.com/\u061c",
        "https://e.com/\U000e0041",
        "https://e.com/\u3164",
        "https://e.com/\u2028",
    ],
)
def test_safe_url_refuses_invisible_and_unstorable_characters(url: str) -> None:
    assert safe_url(url) is None
