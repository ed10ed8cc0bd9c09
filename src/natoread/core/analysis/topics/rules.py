"""Topic rules: the default topics, the `[topics]` config syntax, term folding, the rules hash.

Everything a config load needs, without the matching engine (`topics.py`): a cron pass that
changes nothing loads and checks the rules but never compiles them. Pure and I/O-free.

A user's `[topics.NAME]` table is merged over `DEFAULT_TOPICS`; a table with a new name
creates a new topic. Keys of one topic table:

- `enabled` (bool): switch the topic off without deleting it.
- `terms` (list of str): strong terms; one hit counts on its own.
- `weak_terms` (list of str): words that count only with context (see `context`, `window`).
- `near_terms` (list of str): terms that count as much as strong terms, but only with context
  where a weak term needs it ("article 5" near "NATO", not "article 5 of the constitution").
- `context` (list of str): terms that give weak terms their meaning; they add no score themselves.
  The topic's own strong terms are context too. New topics start from the alliance context.
- `excludes` (list of str): each hit vetoes any term it overlaps and subtracts the exclude weight.
- `extra_terms`, `extra_weak_terms`, `extra_near_terms`, `extra_context`, `extra_excludes`:
  appended to the default (or replaced) list instead of replacing it.
- `weight` (number or table): a number scales the whole topic; a table sets group weights
  `{terms = 1.0, weak_terms = 0.4, excludes = 1.0}`.
- `threshold` (number): the score a topic needs to match.
- `title_weight` (number): multiplier for hits in the title.
- `window` (int): how many words may separate a weak term from its context.

Term syntax: a literal phrase matches casefolded text on word boundaries, a space or hyphen in
it matching any run of spaces and hyphens ("open door" finds "Open-Door"); a trailing `*` allows
any word ending (`veto*`); `re:` starts a regular expression, run on casefolded text with a word
boundary after it (a backslash escape is never folded).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, NamedTuple

from natoread.core.analysis.topics.defaults import default_topics, shared_excludes
from natoread.core.errors import ConfigError

__all__ = [
    "DEFAULT_TOPICS",
    "ENGINE_VERSION",
    "TopicSpec",
    "compile_pattern",
    "fold_text",
    "parse_topics",
    "rules_hash",
]

ENGINE_VERSION = "6"
"""Bumped when matching changes, so stored verdicts are recomputed (2: acronyms as names;
3: near terms, strong only beside context; 4: consensus and guarantees terms in six languages;
5: a country's names no longer count once)."""

# ----------------------------------------------------------------------------- default profile

# The term lists are data, one file per language (`terms/*.toml`, read by `defaults.py`).
DEFAULT_TOPICS: dict[str, dict[str, object]] = default_topics()

# ----------------------------------------------------------------------------- the spec

_LIST_KEYS = ("terms", "weak_terms", "near_terms", "context", "excludes")
_EXTRA_KEYS = tuple(f"extra_{key}" for key in _LIST_KEYS)
_KEYS = (
    "enabled",
    *_LIST_KEYS,
    *_EXTRA_KEYS,
    "weight",
    "threshold",
    "title_weight",
    "window",
)
_WEIGHT_KEYS = ("terms", "weak_terms", "excludes")
_MAX_TERM = 200
_NAME_RX = re.compile(r"[A-Za-z0-9_-]{1,40}")


class TopicSpec(NamedTuple):
    """One validated topic: its term lists and scoring knobs.

    (A named tuple, not a dataclass: every command loads the topics with its config, and
    a cron pass would otherwise import `dataclasses` to define this.)
    """

    name: str
    enabled: bool = True
    terms: tuple[str, ...] = ()
    weak_terms: tuple[str, ...] = ()
    near_terms: tuple[str, ...] = ()
    context: tuple[str, ...] = ()
    excludes: tuple[str, ...] = ()
    term_weight: float = 1.0
    weak_weight: float = 0.4
    exclude_weight: float = 1.0
    threshold: float = 1.0
    title_weight: float = 2.0
    window: int = 12


_NEW_TOPIC: dict[str, object] = {
    "context": DEFAULT_TOPICS["alliance"]["context"],
    "excludes": shared_excludes(),
}


_BUILT_IN = "(defaults)"
"""The source name of the built-in topic tables. Their terms are not checked again at every
start: `test_built_in_terms_pass_the_checks_a_user_term_gets` puts them through every check
a user's term gets (the regex safety walk included)."""


def parse_topics(raw: Mapping[str, object] | None, source: str) -> tuple[TopicSpec, ...]:
    """Validate a user's `[topics]` table and merge it over `DEFAULT_TOPICS`."""
    user: Mapping[str, object] = {} if raw is None else raw
    if not isinstance(user, Mapping):
        raise ConfigError(source, "topics", "expected a table of [topics.NAME] tables")
    specs: list[TopicSpec] = []
    for name, table in DEFAULT_TOPICS.items():
        base = _spec_from_table(name, table, TopicSpec(name), _BUILT_IN)
        override = user.get(name)
        if override is not None:
            base = _spec_from_table(name, _as_table(override, name, source), base, source)
        specs.append(base)
    for name, override in user.items():
        if name in DEFAULT_TOPICS:
            continue
        if not isinstance(name, str) or not _NAME_RX.fullmatch(name):
            raise ConfigError(
                source,
                f"topics.{name}",
                "topic names may use letters, digits, '_' and '-' (at most 40 characters)",
            )
        start = _spec_from_table(name, _NEW_TOPIC, TopicSpec(name), _BUILT_IN)
        spec = _spec_from_table(name, _as_table(override, name, source), start, source)
        if not spec.terms and not spec.weak_terms and not spec.near_terms:
            import difflib  # only for the error message

            hint = difflib.get_close_matches(name, list(DEFAULT_TOPICS), n=1)
            fix = (
                f"did you mean [topics.{hint[0]}]?"
                if hint
                else 'add terms = ["..."] to define a new topic'
            )
            raise ConfigError(source, f"topics.{name}", f"new topic has no terms; {fix}")
        specs.append(spec)
    return tuple(specs)


def _as_table(value: object, name: str, source: str) -> Mapping[str, object]:
    """Check that a topic entry is a table."""
    if not isinstance(value, Mapping):
        raise ConfigError(
            source, f"topics.{name}", f"expected a [topics.{name}] table, got {_kind(value)}"
        )
    return value


def _spec_from_table(
    name: str, table: Mapping[str, object], base: TopicSpec, source: str
) -> TopicSpec:
    """Apply one topic table over `base`, validating every key."""
    where = f"topics.{name}"
    for key in table:
        if key not in _KEYS:
            raise ConfigError(source, f"{where}.{key}", _unknown(str(key), _KEYS))
    changes: dict[str, Any] = {}
    if "enabled" in table:
        enabled = table["enabled"]
        if not isinstance(enabled, bool):
            raise ConfigError(
                source, f"{where}.enabled", f"expected true or false, got {_kind(enabled)}"
            )
        changes["enabled"] = enabled
    for key in _LIST_KEYS:
        current: tuple[str, ...] = getattr(base, key)
        if key in table:
            current = _terms(table[key], source, f"{where}.{key}")
        extra = f"extra_{key}"
        if extra in table:
            current = _dedupe((*current, *_terms(table[extra], source, f"{where}.{extra}")))
        changes[key] = current
    if "weight" in table:
        changes.update(_weights(table["weight"], base, source, f"{where}.weight"))
    if "threshold" in table:
        changes["threshold"] = _number(table["threshold"], source, f"{where}.threshold", 1e-9)
    if "title_weight" in table:
        changes["title_weight"] = _number(table["title_weight"], source, f"{where}.title_weight")
    if "window" in table:
        window = table["window"]
        if isinstance(window, bool) or not isinstance(window, int) or not 0 <= window <= 1000:
            raise ConfigError(
                source,
                f"{where}.window",
                f"expected a whole number of words from 0 to 1000, got {window!r}",
            )
        changes["window"] = window
    return base._replace(**changes)


def _weights(value: object, base: TopicSpec, source: str, where: str) -> dict[str, float]:
    """Read `weight`: a number scales every group, a table sets groups one by one."""
    groups = {
        "terms": base.term_weight,
        "weak_terms": base.weak_weight,
        "excludes": base.exclude_weight,
    }
    if isinstance(value, Mapping):
        for key, item in value.items():
            if key not in _WEIGHT_KEYS:
                raise ConfigError(source, f"{where}.{key}", _unknown(str(key), _WEIGHT_KEYS))
            groups[key] = _number(item, source, f"{where}.{key}")
    else:
        scale = _number(value, source, where)
        groups = {key: weight * scale for key, weight in groups.items()}
    return {
        "term_weight": groups["terms"],
        "weak_weight": groups["weak_terms"],
        "exclude_weight": groups["excludes"],
    }


def _number(value: object, source: str, where: str, minimum: float = 0.0) -> float:
    """Read a non-negative number (TOML int or float)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ConfigError(
            source, where, f"expected a number, got {_kind(value)}; write e.g. {_leaf(where)} = 1.5"
        )
    number = float(value)
    if not number >= minimum or number > 1e6:
        bound = "above 0" if minimum > 0 else "0 or more"
        raise ConfigError(source, where, f"expected a number {bound}, got {value!r}")
    return number


def _terms(value: object, source: str, where: str) -> tuple[str, ...]:
    """Read and check a list of term strings."""
    if isinstance(value, str) or not isinstance(value, list | tuple):
        raise ConfigError(
            source,
            where,
            f'expected a list of strings, got {_kind(value)}; write e.g. {_leaf(where)} = ["NATO"]',
        )
    if source == _BUILT_IN:
        # Thousands of built-in terms, checked once by the test suite
        # (test_built_in_terms_pass_the_checks_a_user_term_gets), not at every start.
        return _dedupe(value)
    terms: list[str] = []
    for index, item in enumerate(value):
        place = f"{where}[{index}]"
        if not isinstance(item, str):
            raise ConfigError(source, place, f"expected a string, got {_kind(item)}")
        _check_term(item, source, place)
        terms.append(item)
    return _dedupe(terms)


def _check_term(term: str, source: str, where: str) -> None:
    """Reject terms without letters and regular expressions that fail or match empty text."""
    if len(term) > _MAX_TERM:
        raise ConfigError(source, where, f"term is longer than {_MAX_TERM} characters; shorten it")
    if term.startswith("re:"):
        # The safety walk is loaded only when a user's file has regular expressions.
        from natoread.core.analysis.topics.regexcheck import regex_term_problem

        problem = regex_term_problem(term[3:], compile_pattern)
        if problem is not None:
            raise ConfigError(source, where, problem)
        return
    if not any(char.isalnum() for char in term):
        raise ConfigError(source, where, f"term {term!r} has no letters or digits")


def _dedupe(terms: Iterable[str]) -> tuple[str, ...]:
    """Drop repeated terms, keeping the first occurrence."""
    return tuple(dict.fromkeys(terms))


def _unknown(key: str, valid: Sequence[str]) -> str:
    """Message for an unknown key, with a close match if there is one."""
    import difflib

    hint = difflib.get_close_matches(key, valid, n=1)
    if hint:
        return f"unknown key {key!r}; did you mean {hint[0]!r}?"
    return f"unknown key {key!r}; valid keys: {', '.join(valid)}"


def _kind(value: object) -> str:
    """Describe a value's TOML type for error messages."""
    names = {bool: "a boolean", str: "a string", int: "an integer", float: "a number"}
    for kind, label in names.items():
        if type(value) is kind:
            return f"{label} ({value!r})"
    if isinstance(value, Mapping):
        return "a table"
    if isinstance(value, list | tuple):
        return "a list"
    return type(value).__name__


def _leaf(where: str) -> str:
    """The last key of a key path, without an index."""
    return where.rsplit(".", 1)[-1].split("[", 1)[0]


# ----------------------------------------------------------------------------- folding

_FOLD_PAIRS = (
    *((dash, "-") for dash in "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d"),
    *((mark, "'") for mark in "\u2018\u2019\u02bc\u2032\uff07"),
    ("\u00d7", "x"),
)


def _fold_char(char: str) -> str:
    """Casefold one character to exactly one character."""
    folded = char.casefold()
    if len(folded) == 1:
        return folded
    lowered = char.lower()
    return lowered if len(lowered) == 1 else folded[0]


def fold_text(text: str) -> str:
    """Casefold `text` without changing its length, so offsets stay valid."""
    folded = text.casefold()
    if len(folded) != len(text):
        folded = "".join(map(_fold_char, text))
    if not folded.isascii():
        for char, plain in _FOLD_PAIRS:
            if char in folded:
                folded = folded.replace(char, plain)
    return folded


def _fold_regex(source: str) -> str:
    """Casefold a regex's characters, leaving escape sequences alone."""
    out: list[str] = []
    escaped = False
    for char in source:
        out.append(char if escaped else _fold_char(char))
        escaped = not escaped and char == "\\"
    return "".join(out)


_GLOBAL_FLAGS = re.compile(r"\(\?[aiLmsux]+\)")


def compile_pattern(source: str) -> re.Pattern[str]:
    """Compile a pattern term for casefolded text, with word boundaries on both sides."""
    from natoread.core.analysis.topics.regexcheck import guard_word_start

    flags = _GLOBAL_FLAGS.match(source)
    lead, body = (flags.group(), source[flags.end() :]) if flags else ("", source)
    verbose = "x" in lead
    try:
        return re.compile(f"{lead}(?:{guard_word_start(_fold_regex(body), verbose)})(?!\\w)")
    except re.error:  # folding broke a \N{...} name or similar: ignore case instead
        return re.compile(f"{lead}(?:{guard_word_start(body, verbose)})(?!\\w)", re.IGNORECASE)


def rules_hash(specs: Sequence[TopicSpec]) -> str:
    """A stable digest of the enabled rules and the engine version (without compiling them)."""
    payload = [ENGINE_VERSION] + [spec._asdict() for spec in specs if spec.enabled]
    encoded = json.dumps(payload, ensure_ascii=False, sort_keys=True).encode("utf-8")
    return hashlib.sha256(encoded).hexdigest()[:16]
