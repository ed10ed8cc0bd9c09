"""Topic engine: weighted term rules that tag articles about the NATO alliance.

Pure and I/O-free. The rules, their syntax and the default topics are in `rules.py`;
scoring one topic's hits is in `scoring.py`. When matching changes, bump `rules.ENGINE_VERSION`
so stored verdicts are redone.

Scoring: each distinct term counts once, at its best hit (its group weight, times `title_weight`
in the title); minus the exclude weight per distinct exclude hit; never below zero. A weak term
counts when context lies within `window` words of it, or in the same sentence within 4x
`window` words, or anywhere in the title; a weak term in the title accepts context anywhere.
A near term needs context in the same way, or a second, different near term anywhere ("Article 5"
in a title over "collective defence" in the body), and then counts as much as a strong term.
Matched topics carry the spans that scored; unmatched ones report only their score.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from functools import lru_cache
from operator import attrgetter

from natoread.core.analysis.records import Span, TopicResult, TopicScore
from natoread.core.analysis.topics.prefilter import (
    NeedleFilter,
    holding,
    minimal,
    near_needles,
    needles,
)
from natoread.core.analysis.topics.rules import (
    DEFAULT_TOPICS,
    TopicSpec,
    compile_pattern,
    fold_text,
    parse_topics,
    rules_hash,
)
from natoread.core.analysis.topics.scoring import Hit, corroborated, drop_lone_names, score_topic
from natoread.core.analysis.topics.trie import separated, trie_pattern

__all__ = [
    "DEFAULT_TOPICS",
    "TopicEngine",
    "TopicSpec",
    "compile_topics",
    "fold_text",
    "parse_topics",
    "rules_hash",
]

_SEP_RX = re.compile(r"[\s-]+")


def _canonical(term: str) -> str:
    """The lookup key of a literal term: folded, separators collapsed to one space."""
    return _SEP_RX.sub(" ", fold_text(term)).strip(" ")


def _is_word(char: str) -> bool:
    """Is `char` a regex word character?"""
    return char.isalnum() or char == "_"


# ----------------------------------------------------------------------------- the engine

_STRONG, _WEAK, _CONTEXT, _EXCLUDE, _NEAR = range(5)
_KINDS = 5  # buckets per topic
_KIND_FIELDS = (
    (_STRONG, "terms"),
    (_WEAK, "weak_terms"),
    (_CONTEXT, "context"),
    (_NEAR, "near_terms"),
)
_Rule = tuple[int, int, str]  # (topic index, kind, term as configured)
_Roles = tuple[tuple[int, str], ...]  # (bucket slot, term as configured), one per slot
_Prefixes = tuple[tuple[int, _Roles], ...]  # (length, roles) of the literals a hit starts with
_Filing = tuple[_Roles, _Prefixes]  # a hit text's roles, the shorter literals it starts with
_FILINGS_MAX = 4096  # cached hit texts per engine: enough for the words feeds repeat
_EMPTY = TopicResult(matched=False, score=0.0, topics=())


class TopicEngine:
    """Compiled topic rules; `classify` scores one article."""

    __slots__ = (
        "_anchor",
        "_anchor_patterns",
        "_anchor_words",
        "_filings",
        "_lit_roles",
        "_lit_rx",
        "_needle_filter",
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
        evidence_words: set[str] = set()  # literal and stem keys of strong and context terms
        near_words: list[tuple[int, str, str]] = []  # (topic index, key, near term)
        for index, spec in enumerate(self._specs):
            groups = [(kind, getattr(spec, key)) for kind, key in _KIND_FIELDS]
            groups.append((_EXCLUDE, spec.excludes))
            for kind, terms in groups:
                for term in terms:
                    form, key = _term_form(term)
                    table = {"literal": literal_roles, "stem": stem_roles}.get(form, pattern_roles)
                    table.setdefault(key, []).append((index, kind, term))
                    if kind in (_STRONG, _CONTEXT, _NEAR):
                        (anchor_patterns if form == "regex" else anchor_words).add(key)
                    if form != "regex":
                        if kind in (_STRONG, _CONTEXT):
                            evidence_words.add(key)
                        elif kind == _NEAR:
                            near_words.append((index, key, term))
        self._stem_roles = {key: _slots(rules) for key, rules in stem_roles.items()}
        self._lit_roles = {
            key: self._with_stems(key, _slots(rules)) for key, rules in literal_roles.items()
        }
        trie = trie_pattern(self._lit_roles, self._stem_roles)
        # Every literal and stem starts with a word character, so "\b before the term" means
        # "at offset 0 or after a non-word character": `_lit_rx` matches the non-word
        # character before the term, looks ahead for the term (group 1) and scans the document
        # behind a newline. A leading `\W` lets `re` skip straight to candidate positions
        # instead of trying the whole trie at every offset, which `\b` forces it to do. As the
        # term is only looked at, the scan goes on at the next word start, also inside a hit:
        # after an elision ("l'otan", "dell'alleanza") or a hyphen ("nato-beitritt") as after a
        # space, and a term overlapping a longer one is found too. The trie is big, and `re`
        # compiles in Python: it is compiled once.
        has_literals = bool(self._lit_roles or self._stem_roles)
        self._lit_rx = re.compile(rf"\W(?=({trie})(?!\w))") if has_literals else None
        self._filings: dict[str, _Filing] = {}
        self._patterns = tuple(
            (compile_pattern(source), _slots(rules)) for source, rules in pattern_roles.items()
        )
        self._anchor_words = frozenset(anchor_words)
        self._anchor: re.Pattern[str] | None = None  # compiled by `_anchored` when first used
        self._anchor_patterns = tuple(compile_pattern(p) for p in sorted(anchor_patterns))
        # Regex anchors cannot be reduced to substrings: such engines keep the regex prefilter.
        # Otherwise a document needs a strong or context anchor, or two near terms of one
        # topic: one near term alone ("defence" ... "spending") is no evidence, and near
        # terms in six languages hold common words that most documents have somewhere.
        self._needle_filter: NeedleFilter | None = None
        if not self._anchor_patterns:
            # A near term holding a strong or context key at a word start passes `needles`
            # already.
            covered = holding(evidence_words, {key for _, key, _ in near_words})
            self._needle_filter = NeedleFilter(
                needles(minimal(evidence_words)),
                near_needles(
                    (index, key, term)
                    for index, key, term in near_words
                    if key not in covered and key not in evidence_words
                ),
            )

    def classify(self, title: str, body: str) -> TopicResult:
        """Score the document `title + "\\n" + body`; span offsets index that string."""
        return self._classify(f"{title}\n{body}", len(title))

    def classify_document(self, text: str) -> TopicResult:
        """Score a document whose first line is the title; span offsets index `text`."""
        newline = text.find("\n")
        return self._classify(text, len(text) if newline < 0 else newline)

    def _classify(self, doc: str, title_end: int) -> TopicResult:
        """Prefilter, then find every hit and score each topic.

        Most documents are not about the alliance. Without regex anchors the `NeedleFilter`
        (the first pieces of `needles` at word starts, one small regex) rejects them instead
        of the trie regex of `_anchored`, which `re` has to try at almost every offset.
        """
        folded = fold_text(doc)
        needle_filter = self._needle_filter
        if needle_filter is None:
            if not self._anchored(folded):
                return _EMPTY
        elif not needle_filter.passes(folded):
            return _EMPTY
        return self._classify_folded(doc, folded, title_end)

    def _classify_folded(self, doc: str, folded: str, title_end: int) -> TopicResult:
        """The full path, without prefilter: `_classify` goes here only if a term may occur.

        After the needle prefilter `_anchored` is not run: each strong or context hit holds a
        minimal anchor, so `_anchored` only rejects documents without such hits, and those end
        as `_EMPTY` at the `evidence` check below all the same (tests check the equivalence).
        """
        buckets: list[list[Hit]] = [[] for _ in range(_KINDS * len(self._specs))]
        if self._lit_rx is not None:
            found: dict[str, list[tuple[int, int]]] = {}
            # Offsets in the scanned text are one more than in `folded` (see `__init__`).
            for match in self._lit_rx.finditer(f"\n{folded}"):
                text = match[1]
                start, end = match.span(1)
                places = found.get(text)
                if places is None:
                    found[text] = [(start - 1, end - 1)]
                else:
                    places.append((start - 1, end - 1))
            if found:
                self._file_literals(found, buckets)
        self._scan_patterns(folded, buckets)
        specs = self._specs
        evidence = False
        for index in range(len(specs)):
            strong, context = buckets[_KINDS * index], buckets[_KINDS * index + 2]
            if strong or context:
                drop_lone_names(doc, strong, context)
                evidence = evidence or bool(strong or context)
            evidence = evidence or corroborated(buckets[_KINDS * index + _NEAR])
        if not evidence:  # weak and near terms score only beside strong, context or near hits
            return _EMPTY
        scores: list[TopicScore] = []
        for index, spec in enumerate(specs):
            start = _KINDS * index
            scored = score_topic(spec, buckets[start : start + _KINDS], folded, title_end)
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

    def _file_literals(
        self, found: dict[str, list[tuple[int, int]]], buckets: list[list[Hit]]
    ) -> None:
        """Put literal hits (text -> places, in order of first sight) into their buckets.

        The scan finds the longest term at each word start; the shorter literals starting
        there ("nato" of "nato-beitrittsgesuch") are the hit's prefixes.
        """
        for text, places in found.items():
            roles, prefixes = self._filing(text)
            for slot, term in roles:
                buckets[slot].extend([(start, end, term) for start, end in places])
            for length, prefix_roles in prefixes:
                for slot, term in prefix_roles:
                    buckets[slot].extend([(start, start + length, term) for start, _ in places])

    def _filing(self, text: str) -> _Filing:
        """The roles of a literal hit's text and of the literals it starts with, cached.

        The same few texts recur in every document; a stem hit ("vetoed") would otherwise cost
        a separator cleanup and a stem lookup per prefix length each time.
        """
        filing = self._filings.get(text)
        if filing is None:
            filing = (self._roles(text), self._prefixes(text))
            if len(self._filings) < _FILINGS_MAX:
                self._filings[text] = filing
        return filing

    def _roles(self, text: str) -> _Roles:
        """The roles of a literal or stem hit's text."""
        key = text if text in self._lit_roles else _SEP_RX.sub(" ", text)
        return self._lit_roles.get(key) or self._with_stems(key, ())

    def _prefixes(self, text: str) -> _Prefixes:
        """The literals that a hit's text starts with, ending where one of its words ends."""
        found: list[tuple[int, _Roles]] = []
        for end in range(1, len(text)):
            word_end = _is_word(text[end - 1]) and not _is_word(text[end])
            if word_end and _SEP_RX.sub(" ", text[:end]) in self._lit_roles:
                found.append((end, self._roles(text[:end])))
        return tuple(found)

    def _anchored(self, folded: str) -> bool:
        """Cheap prefilter: could any strong or context term occur at all?"""
        if self._anchor is None and self._anchor_words:
            self._anchor = re.compile(trie_pattern(minimal(self._anchor_words)))
        if self._anchor is not None and self._anchor.search(folded) is not None:
            return True
        return any(p.search(folded) is not None for p in self._anchor_patterns)

    def _with_stems(self, key: str, roles: _Roles) -> _Roles:
        """Add the roles of stem terms that `key` starts with (one role per slot)."""
        merged = dict(roles)
        for length in range(len(key), 0, -1):
            for slot, term in self._stem_roles.get(key[:length], ()):
                merged.setdefault(slot, term)
        return tuple(merged.items())

    def _scan_patterns(self, folded: str, buckets: list[list[Hit]]) -> None:
        """Record regex, prefix and punctuation-edged terms; each scans on its own."""
        for compiled, rules in self._patterns:
            for match in compiled.finditer(folded):
                start, end = match.span()
                if end == start or (start and _is_word(folded[start - 1])):
                    continue
                for slot, term in rules:
                    buckets[slot].append((start, end, term))


def compile_topics(specs: Sequence[TopicSpec]) -> TopicEngine:
    """Compile validated specs once into an engine (disabled topics are left out).

    Engines are immutable apart from their hit-text cache, so equal rules share one: the
    built-in tables in six languages make a trie that is worth compiling once per process.
    """
    return _compiled(tuple(specs))


@lru_cache(maxsize=8)
def _compiled(specs: tuple[TopicSpec, ...]) -> TopicEngine:
    return TopicEngine(specs)


def _term_form(term: str) -> tuple[str, str]:
    """Classify a term as "literal", "stem" or "regex", with its lookup key or regex source."""
    if term.startswith("re:"):
        return "regex", term[3:]
    stem = term.endswith("*")
    key = _canonical(term[:-1] if stem else term)
    if not (_is_word(key[0]) and _is_word(key[-1])):
        return "regex", separated(key) + (r"\w*" if stem else "")
    return ("stem" if stem else "literal"), key


def _slots(rules: Iterable[_Rule]) -> tuple[tuple[int, str], ...]:
    """Rules as (bucket slot, term) pairs, one per slot."""
    merged: dict[int, str] = {}
    for index, kind, term in rules:
        merged.setdefault(_KINDS * index + kind, term)
    return tuple(merged.items())


_span_order = attrgetter("start", "end", "topic", "term")  # document order, then topic
