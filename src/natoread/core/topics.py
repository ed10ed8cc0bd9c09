"""Topic engine: weighted term rules that tag articles about the NATO alliance.

Pure and I/O-free. A user's `[topics.NAME]` table is merged over `DEFAULT_TOPICS`; a table with
a new name creates a new topic. Keys of one topic table:

- `enabled` (bool): switch the topic off without deleting it.
- `terms` (list of str): strong terms; one hit counts on its own.
- `weak_terms` (list of str): words that count only with context (see `context`, `window`).
- `context` (list of str): terms that give weak terms their meaning; they add no score themselves.
  The topic's own strong terms are context too. New topics start from the alliance context.
- `excludes` (list of str): each hit vetoes any term it overlaps and subtracts the exclude weight.
- `extra_terms`, `extra_weak_terms`, `extra_context`, `extra_excludes`: appended to the default
  (or replaced) list instead of replacing it.
- `weight` (number or table): a number scales the whole topic; a table sets group weights
  `{terms = 1.0, weak_terms = 0.4, excludes = 1.0}`.
- `threshold` (number): the score a topic needs to match.
- `title_weight` (number): multiplier for hits in the title.
- `window` (int): how many words may separate a weak term from its context.

Term syntax: a literal phrase matches casefolded text on word boundaries, a space or hyphen in
it matching any run of spaces and hyphens ("open door" finds "Open-Door"); a trailing `*` allows
any word ending (`veto*`); `re:` starts a regular expression, run on casefolded text with a word
boundary after it (a backslash escape is never folded).

Scoring: each distinct term counts once, at its best hit (its group weight, times `title_weight`
in the title); minus the exclude weight per distinct exclude hit; never below zero. A weak term
counts when context lies within `window` words of it, or in the same sentence within 4x
`window` words, or anywhere in the title; a weak term in the title accepts context anywhere.
Matched topics carry the spans that scored; unmatched ones report only their score.
"""

from __future__ import annotations

import hashlib
import json
import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, fields, replace
from operator import attrgetter
from typing import Any

from natoread.core.errors import ConfigError
from natoread.core.models import Span, TopicResult, TopicScore

__all__ = [
    "DEFAULT_TOPICS",
    "TopicEngine",
    "TopicSpec",
    "compile_topics",
    "fold_text",
    "parse_topics",
    "rules_hash",
]

_ENGINE_VERSION = "2"
"""Bumped when matching changes, so stored verdicts are recomputed (2: acronyms as names)."""

# ----------------------------------------------------------------------------- default profile


def _split(terms: str) -> list[str]:
    """A term list written as one string: terms separated by semicolons."""
    return [term.strip() for term in terms.split(";") if term.strip()]


_ALLIANCE_CONTEXT = _split(
    "NATO; OTAN; НАТО; North Atlantic Treaty; North Atlantic Council; North Atlantic alliance;"
    " Atlantic alliance; alliance atlantique; transatlantic alliance;"
    " transatlantic military alliance; Western military alliance; US-led military alliance;"
    " Washington Treaty; Article 5; Article Five; Article 4; Membership Action Plan;"
    " collective defence; collective defense; Nordatlantikpakt; Североатлантический альянс"
)
_NATO_CALIBRES = [
    f"{calibre} NATO"
    for calibre in _split(
        "5.56; 5.56mm; 5.56x45; 5.56x45mm; 7.62; 7.62mm; 7.62x51; 7.62x51mm; 9mm; 9x19;"
        " 9x19mm; 12.7x99; 12.7x99mm; .308"
    )
]
_SHARED_EXCLUDES = [
    # Ammunition and kit sold as NATO-calibre or NATO-spec.
    *_NATO_CALIBRES,
    *_split(
        "NATO spec; NATO specification; NATO-standard ammo; NATO-standard ammunition;"
        " NATO-standard rounds; NATO-standard cans; NATO-standard magazines"
    ),
    # The spelling alphabet; the cinema owners' trade body; monarchs; business alliances.
    *_split(
        "phonetic alphabet; spelling alphabet; NATO alphabet; NATO phonetic alphabet;"
        " National Association of Theatre Owners; National Association of Theater Owners;"
        " accession to the throne; acceded to the throne; accession au trône; Accession Council;"
        " Star Alliance; SkyTeam; oneworld; airline alliance; Renault-Nissan"
    ),
    r"re:alpha,?\s+bravo",
    r"re:alfa,?\s+bravo",
    # Article 5 of some other text ("of the constitution", "of the GDPR").
    r"re:article\s+(?:5|five)\s+of\s+(?:the\s+|its\s+|this\s+|that\s+)?"
    r"(?!nato|north\s+atlantic|washington|alliance|otan)\w+",
]
_GROUP_WEIGHTS = {"terms": 1.0, "weak_terms": 0.4, "excludes": 1.0}


def _topic(terms: list[str], weak_terms: list[str], threshold: float) -> dict[str, object]:
    """One default topic table, starting from the shared context and excludes."""
    return {
        "terms": terms,
        "weak_terms": weak_terms,
        "context": list(_ALLIANCE_CONTEXT),
        "excludes": list(_SHARED_EXCLUDES),
        "weight": dict(_GROUP_WEIGHTS),
        "threshold": threshold,
        "title_weight": 2.0,
        "window": 12,
    }


DEFAULT_TOPICS: dict[str, dict[str, object]] = {
    "alliance": _topic(
        [
            *_ALLIANCE_CONTEXT[:14],
            *_split("NATO-Gipfel; Organisation du traité de l'Atlantique nord"),
            *(
                f"{office} {name}"
                for office in ("secretary general", "alliance chief")
                for name in ("Rutte", "Mark Rutte", "Stoltenberg", "Jens Stoltenberg")
            ),
            "alliance's secretary general",
        ],
        _split(
            "alliance; allies; ally; allied; summit; secretary general; Rutte; Stoltenberg;"
            " defence ministers; defense ministers; foreign ministers; communiqué; headquarters;"
            " member states; members; Bündnis; Alliierten; alliés; союзники;"
            " генеральный секретарь"
        ),
        threshold=1.5,  # one passing mention of NATO in a body is not enough
    ),
    "accession": _topic(
        [
            *_split(
                "Membership Action Plan; NATO membership; NATO accession; NATO enlargement;"
                " NATO expansion; NATO bid; NATO application; NATO aspirant; NATO-Beitritt;"
                " NATO-Mitgliedschaft; adhésion à l'OTAN; вступление в НАТО; членство в НАТО"
            ),
            *(
                f"{verb} NATO"
                for verb in _split(
                    "join; joins; joined; joining; entry into; accession to; accede to;"
                    " admission to; membership of; membership in"
                )
            ),
        ],
        [
            *_split(
                "membership; member; new member; new members; accession*; accede*; enlargement;"
                " expansion; expand; expanding; eastward; join; joins; joined; joining; entry;"
                " application; apply; applied; bid; candidat*; aspirant*; invitation*; invite;"
                " invited; ratif*; open door; open-door policy; path to membership;"
                " bridge to membership; will become members; newest member; 29th member;"
                " 30th member; 31st member; 32nd member; 33rd member; neutrality; non-alignment"
            ),
            *_split(
                "Ukraine; Kyiv; Georgia; Tbilisi; Moldova; Bosnia and Herzegovina; Bosnia; Kosovo;"
                " North Macedonia; Montenegro; Finland; Helsinki; Sweden; Stockholm; Austria;"
                " Ireland; Armenia"
            ),
            *_split("Beitritt*; Mitglied*; adhésion; élargissement; membre*; вступление; членство"),
        ],
        threshold=1.0,
    ),
    "consensus": _topic(
        _split("NATO veto; consensus rule"),
        _split(
            "veto*; block; blocks; blocked; blocking; blockade; hold up; holds up; held up;"
            " holding up; holdout*; delay*; stall; stalls; stalled; stalling; objection*;"
            " object to; objects to; objected to; unanim*; consensus; must agree; allies agree;"
            " every ally; last ally; only ally; sign off; signs off; signed off; leverage;"
            " concessions; grievances; a say; right to object; red line; sphere of influence;"
            " rule out; ruled out; never join; never become a member; no say;"
            " legally binding guarantee; non-enlargement; split; unanimité; bloquer; blocage; вето"
        ),
        threshold=0.4,  # the vocabulary is narrow: one word with alliance context is enough
    ),
    "guarantees": _topic(
        _split(
            "Article 5; Article Five; article 5-style; collective defence; collective defense;"
            " mutual defence clause; mutual defense clause; attack against all; attack on all;"
            " Article 4; NATO spending target; enhanced forward presence; défense collective;"
            " Artikel 5; Bündnisfall; Beistandspflicht; статья 5; коллективная оборона"
        ),
        _split(
            "security guarantee*; guarantee*; deterrence; deterrent; deter; deters; deterred;"
            " defend*; defence spending; defense spending; defence budget*; defense budget*;"
            " military spending; spending target*; spending guidelines; spend more; of GDP;"
            " of gross domestic product; pledg*; commitment*; committing; burden sharing;"
            " eastern flank; forward presence; air policing; airspace; battlegroup*; brigade*;"
            " troops; reinforce*; defence plans; regional plans; nuclear umbrella;"
            " nuclear deterrent; mutual defence; mutual defense; capability targets;"
            " hybrid attack*; consultations; invoked; invoke; Verteidigungsausgaben;"
            " Prozent der Wirtschaftsleistung; Prozent des BIP; Abschreckung;"
            " Sicherheitsgarantie*; dissuasion; dépenses militaires; dépenses de défense; du PIB;"
            " garanties de sécurité; attaque contre tous; расходы на оборону; сдерживание;"
            " гарантии безопасности"
        ),
        threshold=0.8,
    ),
}

# ----------------------------------------------------------------------------- the spec

_LIST_KEYS = ("terms", "weak_terms", "context", "excludes")
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


@dataclass(frozen=True, slots=True)
class TopicSpec:
    """One validated topic: its term lists and scoring knobs."""

    name: str
    enabled: bool = True
    terms: tuple[str, ...] = ()
    weak_terms: tuple[str, ...] = ()
    context: tuple[str, ...] = ()
    excludes: tuple[str, ...] = ()
    term_weight: float = 1.0
    weak_weight: float = 0.4
    exclude_weight: float = 1.0
    threshold: float = 1.0
    title_weight: float = 2.0
    window: int = 12


_NEW_TOPIC: dict[str, object] = {"context": _ALLIANCE_CONTEXT, "excludes": _SHARED_EXCLUDES}


def parse_topics(raw: Mapping[str, object] | None, source: str) -> tuple[TopicSpec, ...]:
    """Validate a user's `[topics]` table and merge it over `DEFAULT_TOPICS`."""
    user: Mapping[str, object] = {} if raw is None else raw
    if not isinstance(user, Mapping):
        raise ConfigError(source, "topics", "expected a table of [topics.NAME] tables")
    specs: list[TopicSpec] = []
    for name, table in DEFAULT_TOPICS.items():
        base = _spec_from_table(name, table, TopicSpec(name), "(defaults)")
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
        start = _spec_from_table(name, _NEW_TOPIC, TopicSpec(name), "(defaults)")
        spec = _spec_from_table(name, _as_table(override, name, source), start, source)
        if not spec.terms and not spec.weak_terms:
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
    return replace(base, **changes)


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
        pattern = term[3:]
        try:
            compiled = _compile_pattern(pattern)
        except re.error as exc:
            raise ConfigError(
                source,
                where,
                f"bad regular expression {pattern!r}: {exc}; "
                "escape special characters with \\ or drop the 're:' prefix",
            ) from None
        if compiled.search("") is not None:
            raise ConfigError(
                source, where, f"regular expression {pattern!r} can match empty text; use + not *"
            )
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
_SEP_RX = re.compile(r"[\s-]+")


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


def _canonical(term: str) -> str:
    """The lookup key of a literal term: folded, separators collapsed to one space."""
    return _SEP_RX.sub(" ", fold_text(term)).strip(" ")


def _is_word(char: str) -> bool:
    """Is `char` a regex word character?"""
    return char.isalnum() or char == "_"


def _separated(key: str) -> str:
    """Regex source for a canonical literal, a space matching any separator run."""
    return re.escape(key).replace("\\ ", r"[\s-]+")


# ----------------------------------------------------------------------------- the engine

_STRONG, _WEAK, _CONTEXT, _EXCLUDE = range(4)
_KIND_FIELDS = ((_STRONG, "terms"), (_WEAK, "weak_terms"), (_CONTEXT, "context"))
_Rule = tuple[int, int, str]  # (topic index, kind, term as configured)
_Hit = tuple[int, int, str]  # (start, end, term as configured)
_EMPTY = TopicResult(matched=False, score=0.0, topics=())


_END, _STEM = "", "\0*"  # trie markers: a literal ends here / any word ending may follow


def _trie_pattern(words: Iterable[str], stems: Iterable[str] = ()) -> str:
    """A regex alternation factored as a trie; a space stands for any separator run."""
    root: dict[str, Any] = {}
    for word, mark in [*((w, _END) for w in words), *((s, _STEM) for s in stems)]:
        node = root
        for char in word:
            node = node.setdefault(char, {})
        node[mark] = {}

    def build(node: dict[str, Any]) -> str:
        alternatives = [
            (r"[\s-]+" if char == " " else re.escape(char)) + build(child)
            for char, child in sorted(node.items())
            if char not in (_END, _STEM)
        ]
        if _STEM in node:
            return "(?:" + "|".join([*alternatives, r"\w*"]) + ")"
        if not alternatives:
            return ""
        body = alternatives[0] if len(alternatives) == 1 else f"(?:{'|'.join(alternatives)})"
        return f"(?:{body})?" if _END in node else body

    return build(root)


class TopicEngine:
    """Compiled topic rules; `classify` scores one article."""

    __slots__ = (
        "_anchor",
        "_anchor_patterns",
        "_lit_inner",
        "_lit_roles",
        "_lit_rx",
        "_patterns",
        "_specs",
        "_stem_roles",
        "names",
        "rules_hash",
    )

    def __init__(self, specs: Sequence[TopicSpec]) -> None:
        self._specs = tuple(spec for spec in specs if spec.enabled)
        self.names: tuple[str, ...] = tuple(spec.name for spec in self._specs)
        self.rules_hash: str = rules_hash(self._specs)
        literal_roles: dict[str, list[_Rule]] = {}
        stem_roles: dict[str, list[_Rule]] = {}
        pattern_roles: dict[str, list[_Rule]] = {}
        anchor_words: set[str] = set()
        anchor_patterns: set[str] = set()
        for index, spec in enumerate(self._specs):
            groups = [(kind, getattr(spec, key)) for kind, key in _KIND_FIELDS]
            groups.append((_EXCLUDE, spec.excludes))
            for kind, terms in groups:
                for term in terms:
                    form, key = _term_form(term)
                    table = {"literal": literal_roles, "stem": stem_roles}.get(form, pattern_roles)
                    table.setdefault(key, []).append((index, kind, term))
                    if kind in (_STRONG, _CONTEXT):
                        (anchor_patterns if form == "regex" else anchor_words).add(key)
        self._stem_roles = {key: _slots(rules) for key, rules in stem_roles.items()}
        self._lit_roles = {
            key: self._with_stems(key, _slots(rules)) for key, rules in literal_roles.items()
        }
        self._lit_rx = (
            re.compile(rf"\b(?:{_trie_pattern(self._lit_roles, self._stem_roles)})(?!\w)")
            if self._lit_roles or self._stem_roles
            else None
        )
        self._lit_inner = _inner_literals(self._lit_roles)
        self._patterns = tuple(
            (_compile_pattern(source), _slots(rules)) for source, rules in pattern_roles.items()
        )
        minimal = [w for w in anchor_words if not any(o != w and o in w for o in anchor_words)]
        self._anchor = re.compile(_trie_pattern(minimal)) if minimal else None
        self._anchor_patterns = tuple(_compile_pattern(p) for p in sorted(anchor_patterns))

    def classify(self, title: str, body: str) -> TopicResult:
        """Score the document `title + "\\n" + body`; span offsets index that string."""
        return self._classify(f"{title}\n{body}", len(title))

    def classify_document(self, text: str) -> TopicResult:
        """Score a document whose first line is the title; span offsets index `text`."""
        newline = text.find("\n")
        return self._classify(text, len(text) if newline < 0 else newline)

    def _classify(self, doc: str, title_end: int) -> TopicResult:
        """Find every hit, then score each topic."""
        folded = fold_text(doc)
        if not self._anchored(folded):
            return _EMPTY
        buckets: list[list[_Hit]] = [[] for _ in range(4 * len(self._specs))]
        if self._lit_rx is not None:
            found: dict[str, list[tuple[int, int]]] = {}
            for match in self._lit_rx.finditer(folded):
                found.setdefault(match.group(), []).append(match.span())
            roles = self._lit_roles
            for text, places in found.items():
                key = text if text in roles else _SEP_RX.sub(" ", text)
                for slot, term in roles.get(key) or self._with_stems(key, ()):
                    buckets[slot].extend([(start, end, term) for start, end in places])
                if key in self._lit_inner:
                    for start, end in places:
                        self._add_inner(folded, start, end, self._lit_inner[key], buckets)
        self._scan_patterns(folded, buckets)
        for index in range(len(self._specs)):
            _drop_lone_names(doc, buckets[4 * index], buckets[4 * index + 2])
        scores: list[TopicScore] = []
        for index, spec in enumerate(self._specs):
            scored = _score(spec, buckets[4 * index : 4 * index + 4], folded, title_end)
            if scored is None:
                continue
            score, used = scored
            matched = score > 0.0 and score >= spec.threshold
            spans = (
                tuple(Span(s, e, t, spec.name) for s, e, t in sorted(set(used))) if matched else ()
            )
            scores.append(TopicScore(spec.name, score, matched, spans))
        if not scores:
            return _EMPTY
        hits_of = sorted((s for s in scores if s.matched), key=lambda s: -s.score)
        return TopicResult(
            matched=bool(hits_of),
            score=max(s.score for s in scores),
            topics=tuple(s.topic for s in hits_of),
            scores=tuple(scores),
            spans=tuple(sorted((span for s in hits_of for span in s.spans), key=_span_order)),
        )

    def _anchored(self, folded: str) -> bool:
        """Cheap prefilter: could any strong or context term occur at all?"""
        if self._anchor is not None and self._anchor.search(folded) is not None:
            return True
        return any(p.search(folded) is not None for p in self._anchor_patterns)

    def _with_stems(
        self, key: str, roles: tuple[tuple[int, str], ...]
    ) -> tuple[tuple[int, str], ...]:
        """Add the roles of stem terms that `key` starts with (one role per slot)."""
        merged = dict(roles)
        for length in range(len(key), 0, -1):
            for slot, term in self._stem_roles.get(key[:length], ()):
                merged.setdefault(slot, term)
        return tuple(merged.items())

    def _add_inner(
        self, folded: str, start: int, end: int, inner: re.Pattern[str], buckets: list[list[_Hit]]
    ) -> None:
        """Record the shorter literals found inside a multi-word literal hit."""
        for match in inner.finditer(folded, start, end):
            text = match.group()
            key = text if text in self._lit_roles else _SEP_RX.sub(" ", text)
            for slot, term in self._lit_roles.get(key) or self._with_stems(key, ()):
                buckets[slot].append((match.start(), match.end(), term))
            if key in self._lit_inner:
                self._add_inner(folded, match.start(), match.end(), self._lit_inner[key], buckets)

    def _scan_patterns(self, folded: str, buckets: list[list[_Hit]]) -> None:
        """Record regex, prefix and punctuation-edged terms; each scans on its own."""
        for compiled, rules in self._patterns:
            for match in compiled.finditer(folded):
                start, end = match.span()
                if end == start or (start and _is_word(folded[start - 1])):
                    continue
                for slot, term in rules:
                    buckets[slot].append((start, end, term))


def compile_topics(specs: Sequence[TopicSpec]) -> TopicEngine:
    """Compile validated specs once into an engine (disabled topics are left out)."""
    return TopicEngine(specs)


def _term_form(term: str) -> tuple[str, str]:
    """Classify a term as "literal", "stem" or "regex", with its lookup key or regex source."""
    if term.startswith("re:"):
        return "regex", term[3:]
    stem = term.endswith("*")
    key = _canonical(term[:-1] if stem else term)
    if not (_is_word(key[0]) and _is_word(key[-1])):
        return "regex", _separated(key) + (r"\w*" if stem else "")
    return ("stem" if stem else "literal"), key


def _slots(rules: Iterable[_Rule]) -> tuple[tuple[int, str], ...]:
    """Rules as (bucket slot, term) pairs, one per slot."""
    merged: dict[int, str] = {}
    for index, kind, term in rules:
        merged.setdefault(4 * index + kind, term)
    return tuple(merged.items())


_GLOBAL_FLAGS = re.compile(r"\(\?[aiLmsux]+\)")


def _compile_pattern(source: str) -> re.Pattern[str]:
    """Compile a pattern term for casefolded text, with a right word boundary."""
    flags = _GLOBAL_FLAGS.match(source)
    lead, body = (flags.group(), source[flags.end() :]) if flags else ("", source)
    try:
        return re.compile(f"{lead}(?:{_fold_regex(body)})(?!\\w)")
    except re.error:  # folding broke a \N{...} name or similar: ignore case instead
        return re.compile(f"{lead}(?:{body})(?!\\w)", re.IGNORECASE)


def _inner_literals(roles: Mapping[str, object]) -> dict[str, re.Pattern[str]]:
    """For each multi-word literal, a regex finding the other literals inside it."""
    inner: dict[str, re.Pattern[str]] = {}
    for outer in roles:
        if " " not in outer:
            continue
        cuts = [0, *(i for i, char in enumerate(outer) if char == " "), len(outer)]
        found = {
            outer[a + (a > 0) : b]
            for a in cuts
            for b in cuts
            if a < b and (a, b) != (0, len(outer))
        }
        found = {key for key in found if key in roles}
        if found:
            body = "|".join(_separated(k) for k in sorted(found, key=len, reverse=True))
            inner[outer] = re.compile(rf"\b(?:{body})(?!\w)")
    return inner


_NEXT_CAPITALISED = re.compile(r"[ \t]+([A-ZÀ-ÖØ-ÞА-Я][\w'’-]*)")
_INSTITUTION_WORDS = frozenset(
    "summit secretary secretary-general allies ally alliance members member leaders leader"
    " chief chiefs headquarters hq council assembly forces force troops military defence"
    " defense foreign ministers minister membership accession article treaty expansion"
    " enlargement countries nations states mission command exercise exercises partners"
    " partner ambassador ambassadors spokesperson spokesman spokeswoman deputy general"
    " official officials envoy envoys response battlegroup battlegroups air naval maritime"
    " eastern northern southern standing".split()
)
"""Words that follow an acronym in Title Case headlines ("Nato Summit Opens"): not names."""


def _name_like(doc: str, hit: _Hit) -> bool:
    """An acronym term ("NATO") written as a name ("Nato") and followed by another
    capitalised word: "Nato Gelashvili" may be a person, not the alliance."""
    start, end, term = hit
    if not term.isupper() or doc[start:end].isupper():
        return False
    following = _NEXT_CAPITALISED.match(doc, end)
    return following is not None and following.group(1).casefold() not in _INSTITUTION_WORDS


def _drop_lone_names(doc: str, strong: list[_Hit], context: list[_Hit]) -> None:
    """Forget a topic's name-like acronym hits when they are all its evidence.

    "Nato Gelashvili scored twice" is about a footballer; "Nato Secretary General Mark Rutte
    said allies…" keeps its hits, because other terms of the topic corroborate them.
    """
    if not strong and not context:
        return
    if all(_name_like(doc, hit) for hit in (*strong, *context)):
        strong.clear()
        context.clear()


def _score(
    spec: TopicSpec, hits: Sequence[list[_Hit]], folded: str, title_end: int
) -> tuple[float, list[_Hit]] | None:
    """A topic's score and the hits that earned it; None when nothing contributed."""
    strong, weak, context, excludes = hits
    if not strong and not weak:
        return None
    if excludes:
        strong = [h for h in strong if not _overlaps(h, excludes)]
        weak = [h for h in weak if not _overlaps(h, excludes)]
        context = [h for h in context if not _overlaps(h, excludes)]
    best: dict[str, float] = {}
    used: list[_Hit] = []
    title_weight = spec.title_weight
    for hit in strong:
        value = spec.term_weight * (title_weight if hit[0] < title_end else 1.0)
        if value > best.get(hit[2], -1.0):
            best[hit[2]] = value
        used.append(hit)
    if weak and (strong or context):
        anchors = sorted((*context, *strong))
        starts = [hit[0] for hit in anchors]
        title_context = starts[0] < title_end
        cover_starts, cover_ends = _covers(strong)
        weak_weight = spec.weak_weight
        for hit in weak:
            start, end, term = hit
            position = bisect_right(cover_starts, start) - 1
            if position >= 0 and cover_ends[position] >= end:
                continue  # part of a strong term of this topic
            in_title = start < title_end
            if not (title_context or in_title or _near(hit, anchors, starts, folded, spec.window)):
                continue
            value = weak_weight * (title_weight if in_title else 1.0)
            key = "\0" + term
            if value > best.get(key, -1.0):
                best[key] = value
            used.append(hit)
    if not used:
        return None
    penalty = spec.exclude_weight * len({term for _, _, term in excludes})
    return round(max(0.0, sum(best.values()) - penalty), 6), used


def _covers(strong: Sequence[_Hit]) -> tuple[list[int], list[int]]:
    """Sorted starts of strong hits and the furthest end reached by any hit starting so far."""
    starts: list[int] = []
    ends: list[int] = []
    furthest = -1
    for start, end, _ in sorted(strong):
        furthest = max(furthest, end)
        starts.append(start)
        ends.append(furthest)
    return starts, ends


def _overlaps(hit: _Hit, others: Sequence[_Hit]) -> bool:
    """Does `hit` overlap any of `others`?"""
    start, end, _ = hit
    return any(o_start < end and start < o_end for o_start, o_end, _ in others)


_SENTENCE_END = re.compile(r"[.!?][\"')\]]*\s|\n")


def _near(
    hit: _Hit, anchors: Sequence[_Hit], starts: Sequence[int], folded: str, window: int
) -> bool:
    """Is context within `window` words of `hit`, or in its sentence (up to 4x `window`)?"""
    start, end, _ = hit
    position = bisect_left(starts, start)
    for o_start, o_end, _ in anchors[max(0, position - 1) : position + 1]:
        if o_start < end and start < o_end:
            return True
        low, high = (o_end, start) if o_end <= start else (end, o_start)
        if high - low <= 2 * window:
            return True
        words = folded.count(" ", low, high) + folded.count("\n", low, high)
        if words <= window + 1 or (
            words <= 4 * window and _SENTENCE_END.search(folded, low, high) is None
        ):
            return True
    return False


_span_order = attrgetter("start", "end", "topic", "term")  # document order, then topic


def rules_hash(specs: Sequence[TopicSpec]) -> str:
    """A stable digest of the enabled rules and the engine version (without compiling them)."""
    payload = [_ENGINE_VERSION] + [
        {f.name: getattr(spec, f.name) for f in fields(TopicSpec)} for spec in specs if spec.enabled
    ]
    encoded = json.dumps(payload, ensure_ascii=False, sort_keys=True).encode("utf-8")
    return hashlib.sha256(encoded).hexdigest()[:16]
