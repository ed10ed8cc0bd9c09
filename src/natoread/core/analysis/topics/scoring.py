"""Scoring one topic from its hits: weights, excludes, weak terms near context, lone names.

The engine (`engine.py`) finds the hits of every term and files them by topic and kind; the
functions here turn one topic's hits into its score and the spans that earned it. When the
result of scoring changes, bump `rules.ENGINE_VERSION` so stored verdicts are redone.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Sequence

from natoread.core.analysis.topics.rules import TopicSpec

__all__ = ["Hit", "corroborated", "drop_lone_names", "score_topic"]

Hit = tuple[int, int, str]  # (start, end, term as configured)


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


def _name_like(doc: str, hit: Hit) -> bool:
    """An acronym term ("NATO") written as a name ("Nato") and followed by another
    capitalised word: "Nato Gelashvili" may be a person, not the alliance."""
    start, end, term = hit
    if not term.isupper() or doc[start:end].isupper():
        return False
    following = _NEXT_CAPITALISED.match(doc, end)
    return following is not None and following.group(1).casefold() not in _INSTITUTION_WORDS


def drop_lone_names(doc: str, strong: list[Hit], context: list[Hit]) -> None:
    """Forget a topic's name-like acronym hits when they are all its evidence.

    "Nato Gelashvili scored twice" is about a footballer; "Nato Secretary General Mark Rutte
    said allies…" keeps its hits, because other terms of the topic corroborate them.
    """
    if not strong and not context:
        return
    if all(_name_like(doc, hit) for hit in (*strong, *context)):
        strong.clear()
        context.clear()


def corroborated(near: Sequence[Hit]) -> bool:
    """Do two different near terms occur? Each then vouches for the other, as context would."""
    return len({term for _, _, term in near}) >= 2


def score_topic(
    spec: TopicSpec, hits: Sequence[list[Hit]], folded: str, title_end: int
) -> tuple[float, list[Hit]] | None:
    """A topic's score and the hits that earned it; None when nothing contributed."""
    strong, weak, context, excludes, near = hits
    if not strong and not weak and not near:
        return None
    if excludes:
        vetoes = [(start, end) for start, end, _ in excludes]
        strong = _outside(strong, vetoes)
        weak = _outside(weak, vetoes)
        near = _outside(near, vetoes)
        context = _outside(context, vetoes)
    # Term -> best value, filled in hit order so that the float sum below adds in that order.
    best: dict[str, float] = {}
    used = list(strong)
    title_weight = spec.title_weight
    term_weight = spec.term_weight
    title_value = term_weight * title_weight
    for start, _, term in strong:
        value = title_value if start < title_end else term_weight
        if value > best.get(term, -1.0):
            best[term] = value
    if near and corroborated(near):
        for start, _, term in near:
            value = title_value if start < title_end else term_weight
            if value > best.get("\1" + term, -1.0):
                best["\1" + term] = value
        used.extend(near)
        near = []
    if (weak or near) and (strong or context):
        anchors = sorted((*context, *strong))
        starts = [hit[0] for hit in anchors]
        title_context = starts[0] < title_end
        cover_starts, cover_ends = _covers(strong)
        window = spec.window
        # A near term counts as a strong one, under a weak term's condition.
        for group, weight, mark in ((near, term_weight, "\1"), (weak, spec.weak_weight, "\0")):
            for hit in group:
                start, end, term = hit
                position = bisect_right(cover_starts, start) - 1
                if position >= 0 and cover_ends[position] >= end:
                    continue  # part of a strong term of this topic
                in_title = start < title_end
                if not (title_context or in_title or _near(hit, anchors, starts, folded, window)):
                    continue
                value = weight * title_weight if in_title else weight
                key = mark + term
                if value > best.get(key, -1.0):
                    best[key] = value
                used.append(hit)
    if not used:
        return None
    penalty = spec.exclude_weight * len({term for _, _, term in excludes})
    return round(max(0.0, sum(best.values()) - penalty), 6), used


def _covers(strong: Sequence[Hit]) -> tuple[list[int], list[int]]:
    """Sorted starts of strong hits and the furthest end reached by any hit starting so far."""
    starts: list[int] = []
    ends: list[int] = []
    furthest = -1
    for start, end, _ in sorted(strong):
        furthest = max(furthest, end)
        starts.append(start)
        ends.append(furthest)
    return starts, ends


def _outside(hits: list[Hit], vetoes: Sequence[tuple[int, int]]) -> list[Hit]:
    """The hits that overlap none of the `vetoes` spans."""
    kept: list[Hit] = []
    for hit in hits:
        start, end, _ = hit
        for v_start, v_end in vetoes:
            if v_start < end and start < v_end:
                break
        else:
            kept.append(hit)
    return kept


_SENTENCE_END = re.compile(r"[.!?][\"')\]]*\s|\n")


def _near(
    hit: Hit, anchors: Sequence[Hit], starts: Sequence[int], folded: str, window: int
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
