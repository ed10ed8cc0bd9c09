"""Static check of user regular expressions for catastrophic backtracking.

Python's `re` backtracks: a pattern that can match the same text in many ways makes a failing
search try every way, which on a hostile article is exponential (`(a+)+$`) or a high power of
its length (`\\w+\\w+x`). Rather than run user patterns under a time limit on every article,
such patterns are refused when the config is read. The check walks the parsed pattern
(`re._parser`, the parser `re.compile` itself uses) and looks for the three shapes that make
the matcher ambiguous:

- a repeat whose iterations can split a text in more than one way: a repeated body that
  begins or ends with a variable-length repeat whose characters can also start or end the
  next iteration (`(a+)+`, `(\\w+\\s?)+`, `(.*)*`);
- a repeat over alternatives that can start with the same character (`(a|ab)*`, `(a|a)*`);
- two variable-length single-character repeats that can match the same characters with
  nothing required between them (`\\w+\\w+`, `.*\\s*.*`).

Possessive repeats (`a++`) and atomic groups (`(?>...)`) never give back what they matched,
so they are safe by construction and suggested as the fix. Character sets are compared on a
sample alphabet (ASCII, a few non-ASCII letters, spaces and marks, and every character the
pattern names), which is exact for the classes feed text is matched with.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

# The parser `re.compile` itself uses (private, untyped, stable in shape since Python 3.11).
sre_parser: Any = importlib.import_module("re._parser")
sre_constants: Any = importlib.import_module("re._constants")

MAX_REGEX_CHARS = 200
# A repeat allowed more than this many times counts as unbounded; up to it, nested repeats
# cost at most a small constant factor.
_SMALL_COUNT = 10
_MAXREPEAT: int = sre_constants.MAXREPEAT

_BASE_SAMPLE = (
    "".join(map(chr, range(128)))
    + "\u00a0\u00e9\u00df\u03c9\u0436\u4e2d\u2019\u2014\u2003\u0661\u00b2"
)

CharSet = frozenset[str]
_EMPTY: CharSet = frozenset()
_CATEGORY_ESCAPES = {
    "CATEGORY_WORD": r"\w",
    "CATEGORY_NOT_WORD": r"\W",
    "CATEGORY_SPACE": r"\s",
    "CATEGORY_NOT_SPACE": r"\S",
    "CATEGORY_DIGIT": r"\d",
    "CATEGORY_NOT_DIGIT": r"\D",
}


def _name(op: object) -> str:
    """The name of a parser opcode or constant."""
    return str(getattr(op, "name", op))


@lru_cache(maxsize=64)
def _category_members(category: str, sample: str) -> CharSet:
    """The sample characters in a `re` category (word, space, digit and their negations)."""
    escape = _CATEGORY_ESCAPES.get(category)
    if escape is None:  # line-break categories and the like: assume anything
        return frozenset(sample)
    compiled = re.compile(escape)
    return frozenset(char for char in sample if compiled.fullmatch(char))


@dataclass(frozen=True, slots=True)
class _Run:
    """A variable-length repeat that can give back characters while the matcher backtracks."""

    chars: CharSet
    many: bool  # allowed more than a small number of times
    single: bool  # its body is one character class (`\w+`, `.*`)


@dataclass
class _Info:
    """What a sub-pattern can match, as far as ambiguity is concerned."""

    nullable: bool
    first: CharSet
    last: CharSet
    chars: CharSet
    first_runs: tuple[_Run, ...] = ()  # repeats a match of this sub-pattern can start with
    last_runs: tuple[_Run, ...] = ()  # ... and end with


_ADJACENT = (
    "two repeats next to each other can match the same characters (like \\w+\\w+); "
    "merge them into one"
)
_ROUND_END = (
    "a repeated group ends with a repeat that can also start the next round "
    "(like (a+)+ or (\\w+\\s?)+); make each round start with something the repeat cannot "
    "match (e.g. \\w+(?:\\s+\\w+)*) or repeat the group possessively (++)"
)
_ROUND_START = (
    "a repeated group starts with a repeat that can also end the previous round "
    "(like (\\s?\\w+)+); make each round end with something the repeat cannot match "
    "or repeat the group possessively (++)"
)
_CHOICE = (
    "a repeated choice has alternatives that can match the same text (like (a|a)* or "
    "(a|ab)*); give each alternative a different first character or use a possessive ++"
)


class _Walker:
    """Computes `_Info` bottom-up over a parsed pattern and keeps the first problem found."""

    def __init__(self, sample: str) -> None:
        self.sample = sample
        self.everything: CharSet = frozenset(sample)
        self.problem: str | None = None

    def flag(self, problem: str) -> None:
        if self.problem is None:
            self.problem = problem

    def leaf(self, op: str, value: Any) -> CharSet | None:
        """The characters a one-character node matches, or None if it is not such a node."""
        if op == "LITERAL":
            return frozenset((chr(value),))
        if op == "NOT_LITERAL":
            return self.everything - {chr(value)}
        if op == "ANY":
            return self.everything
        if op == "CATEGORY":
            return _category_members(_name(value), self.sample)
        if op != "IN":
            return None
        members: set[str] = set()
        negate = False
        for item_op, item in value:
            name = _name(item_op)
            if name == "NEGATE":
                negate = True
            elif name == "LITERAL":
                members.add(chr(item))
            elif name == "RANGE":
                members.update(c for c in self.sample if item[0] <= ord(c) <= item[1])
            elif name == "CATEGORY":
                members |= _category_members(_name(item), self.sample)
            else:
                members.update(self.sample)
        return self.everything - members if negate else frozenset(members)

    def sequence(self, items: Sequence[tuple[Any, Any]]) -> _Info:
        parts = [self.node(_name(op), value) for op, value in items]
        self._adjacent_runs(parts)
        nullable, first, chars = True, _EMPTY, _EMPTY
        first_runs: tuple[_Run, ...] = ()
        for part in parts:
            if nullable:
                first |= part.first
                first_runs += part.first_runs
            chars |= part.chars
            nullable = nullable and part.nullable
        trailing, last = True, _EMPTY
        last_runs: tuple[_Run, ...] = ()
        for part in reversed(parts):
            if not trailing:
                break
            last |= part.last
            last_runs += part.last_runs
            trailing = part.nullable
        return _Info(nullable, first, last, chars, first_runs, last_runs)

    def _adjacent_runs(self, parts: Sequence[_Info]) -> None:
        """Flag two long one-class runs that can share characters with nothing needed between."""
        for index, part in enumerate(parts):
            ending = [run for run in part.last_runs if run.single and run.many]
            for later in parts[index + 1 :] if ending else ():
                for run in ending:
                    if any(o.single and o.many and run.chars & o.chars for o in later.first_runs):
                        self.flag(_ADJACENT)
                        return
                if not later.nullable:
                    break

    def alternatives(self, branches: Sequence[Any], after: CharSet = _EMPTY) -> tuple[_Info, bool]:
        """The union of a choice's alternatives, and whether two can match the same text.

        Two alternatives overlap when they can start with the same character, or one can
        match empty text while the other starts with a character in `after` (what can come
        next: `(a|aa)*` is parsed as `(?:a(?:|a))*`).
        """
        infos = [self.sequence(branch) for branch in branches]
        overlapping = any(
            bool(a.first & b.first)
            or (a.nullable and (b.nullable or bool(b.first & after)))
            or (b.nullable and bool(a.first & after))
            for i, a in enumerate(infos)
            for b in infos[i + 1 :]
        )
        merged = _Info(
            any(i.nullable for i in infos),
            _EMPTY.union(*(i.first for i in infos)),
            _EMPTY.union(*(i.last for i in infos)),
            _EMPTY.union(*(i.chars for i in infos)),
            tuple(r for i in infos for r in i.first_runs),
            tuple(r for i in infos for r in i.last_runs),
        )
        return merged, overlapping

    def repeat(self, value: Any, possessive: bool) -> _Info:
        low, high, items = value
        body = self.sequence(items)
        many = high == _MAXREPEAT or high > _SMALL_COUNT
        if not possessive and high > 1:
            self._ambiguous_rounds(body, self._overlapping_choice(items, body.first), many)
        info = _Info(body.nullable or low == 0, body.first, body.last, body.chars)
        if possessive:  # gives nothing back: no ambiguity reaches outside it
            return info
        info.first_runs, info.last_runs = body.first_runs, body.last_runs
        if high > low and high > 1:
            run = _Run(body.chars, many, self._single_class(items) is not None)
            info.first_runs += (run,)
            info.last_runs += (run,)
        return info

    def _ambiguous_rounds(self, body: _Info, overlapping_choice: bool, many: bool) -> None:
        """Flag a repeat whose rounds can divide one text in more than one way."""
        # A repeat allowed few rounds over runs allowed few characters costs a constant.
        if any((many or run.many) and run.chars & body.first for run in body.last_runs):
            self.flag(_ROUND_END)
        elif any((many or run.many) and run.chars & body.last for run in body.first_runs):
            self.flag(_ROUND_START)
        elif many and overlapping_choice:
            self.flag(_CHOICE)

    def _overlapping_choice(self, items: Sequence[tuple[Any, Any]], after: CharSet) -> bool:
        """Does the body hold a choice (at its top, through groups) between overlapping texts?"""
        for op, value in items:
            name = _name(op)
            if name == "BRANCH" and self.alternatives(value[1], after)[1]:
                return True
            if name == "SUBPATTERN" and self._overlapping_choice(value[-1], after):
                return True
        return False

    def _single_class(self, items: Sequence[tuple[Any, Any]]) -> CharSet | None:
        """The characters of a body that is one character class (through groups), or None."""
        if len(items) != 1:
            return None
        op, value = items[0]
        name = _name(op)
        if name == "SUBPATTERN":
            return self._single_class(value[-1])
        return self.leaf(name, value)

    def node(self, op: str, value: Any) -> _Info:
        chars = self.leaf(op, value)
        if chars is not None:
            return _Info(False, chars, chars, chars)
        if op in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
            return self.repeat(value, possessive=op == "POSSESSIVE_REPEAT")
        if op == "SUBPATTERN":
            return self.sequence(value[-1])
        if op == "ATOMIC_GROUP":  # like a possessive repeat: gives nothing back
            inner = self.sequence(value)
            return _Info(inner.nullable, inner.first, inner.last, inner.chars)
        if op == "BRANCH":
            return self.alternatives(value[1])[0]
        if op in ("ASSERT", "ASSERT_NOT"):
            self.sequence(value[1])  # a problem inside a lookaround counts too
            return _Info(True, _EMPTY, _EMPTY, _EMPTY)
        if op == "GROUPREF_EXISTS":
            _group, yes, no = value
            infos = [self.sequence(yes)] + ([self.sequence(no)] if no else [])
            union = _EMPTY.union(*(i.chars for i in infos))
            return _Info(any(i.nullable for i in infos) or not no, union, union, union)
        if op == "GROUPREF":  # a back-reference can repeat anything its group matched
            return _Info(True, self.everything, self.everything, self.everything)
        return _Info(True, _EMPTY, _EMPTY, _EMPTY)  # anchors and other zero-width nodes


def _named_chars(parsed: object) -> set[str]:
    """Every literal character and range end a parsed pattern names (added to the sample)."""
    found: set[str] = set()
    stack: list[object] = [parsed]
    while stack:
        item = stack.pop()
        if isinstance(item, sre_parser.SubPattern):
            stack.extend(item.data)
        elif isinstance(item, list | tuple):
            if len(item) == 2 and hasattr(item[0], "name"):
                name = _name(item[0])
                if name in ("LITERAL", "NOT_LITERAL"):
                    found.add(chr(item[1]))
                    continue
                if name == "RANGE":
                    found.update((chr(item[1][0]), chr(item[1][1])))
                    continue
            stack.extend(item)
    return found


def backtracking_problem(pattern: str) -> str | None:
    """Why `pattern` can make the matcher backtrack catastrophically, or None if it cannot.

    Raises `re.error` for a pattern that does not parse.
    """
    if len(pattern) > MAX_REGEX_CHARS:
        return f"it is longer than {MAX_REGEX_CHARS} characters; shorten it"
    parsed = sre_parser.parse(pattern)
    sample = "".join(sorted(set(_BASE_SAMPLE) | _named_chars(parsed)))
    walker = _Walker(sample)
    walker.sequence(list(parsed))
    return walker.problem


def regex_term_problem(pattern: str, compile_term: Callable[[str], re.Pattern[str]]) -> str | None:
    """What is wrong with a user's `re:` term, as one line for check-config, or None.

    `compile_term` compiles it the way topic matching does.
    """
    try:
        compiled = compile_term(pattern)
        problem = backtracking_problem(pattern)
    except re.error as exc:
        return (
            f"bad regular expression {pattern!r}: {exc}; "
            "escape special characters with \\ or drop the 're:' prefix"
        )
    if compiled.search("") is not None:
        return f"regular expression {pattern!r} can match empty text; use + not *"
    if problem is not None:
        return f"regular expression {pattern!r} could stall a poll: {problem}"
    return None


_SPECIAL = frozenset(".^$*+?{}[]\\|()")
_QUANTIFIERS = frozenset("*+?{")


def guard_word_start(body: str, verbose: bool = False) -> str:
    """`body` refusing to start a match right after a word character.

    Topic matching discards such matches anyway; refusing them inside the pattern keeps
    `re` from trying a term like `\\w+ing` again from every letter of a long word, which is
    quadratic. The guard goes after the pattern's leading literal text, if any, so `re`
    still jumps between occurrences of that text instead of trying every position.
    """
    index = chars = 0
    if not verbose and not _has_top_level_choice(body):
        while index < len(body):
            char = body[index]
            if char == "\\" and index + 1 < len(body) and not body[index + 1].isalnum():
                step = 2
            elif char in _SPECIAL:
                break
            else:
                step = 1
            if index + step < len(body) and body[index + step] in _QUANTIFIERS:
                break  # a quantified character is not part of the fixed text
            index += step
            chars += 1
    if chars == 0:
        return rf"(?<!\w)(?:{body})"
    return body[:index] + rf"(?<!\w[\s\S]{{{chars}}})" + body[index:]


def _has_top_level_choice(body: str) -> bool:
    """Does `body` hold a `|` outside any group or character class?"""
    depth, in_class, escaped = 0, False, False
    for char in body:
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif char == "|" and depth == 0:
            return True
    return False
