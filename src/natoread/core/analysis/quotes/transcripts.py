"""Transcripts, interviews and live blogs: speech without quote marks, and entry boundaries.

Three layouts carry speech that the quote-mark scanner cannot see, or that the sentence walk
credits to the wrong person:

- transcripts and Q&A interviews: a line opened by a speaker prefix ('KK:', 'STUBB:',
  'К.ЗАТУЛИН:', 'Donald Tusk:', 'DOMINIQUE DE VILLEPIN. -', 'A:'); the interviewee's lines are
  quotes, the interviewer's ('Q:', 'DW:', the host, a line of questions) are not;
- dash interviews: '— Пане міністре, …?' then '— Реально, …': questions and answers alternate;
- live blogs: a line opened by a time ('14:32', '2.15pm', '10:14 Uhr –', 'Оновлено 16:40')
  starts a new entry, so who was salient in the last entry does not carry over.

The shapes are data (transcripts.toml); `read_layout` finds them in one pass over the lines.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from importlib.resources import files

from natoread.core.analysis.quotes.marks import QuotedSegment
from natoread.core.analysis.quotes.registry import NameRegistry
from natoread.core.analysis.quotes.tokens import fold
from natoread.core.analysis.records import Quote

__all__ = [
    "Answer",
    "Layout",
    "blank_spans",
    "credit_headline",
    "has_prefixes",
    "headline_prefix",
    "read_layout",
    "resolve_prefix",
    "with_answers",
]

_DATA = tomllib.loads(
    files("natoread.core.analysis.quotes").joinpath("transcripts.toml").read_text("utf-8")
)
_INTERVIEWER = frozenset(map(fold, _DATA["prefixes"]["interviewer"]))
_ANSWER = frozenset(map(fold, _DATA["prefixes"]["answer"]))
_PARTICLES = frozenset(map(fold, _DATA["prefixes"]["particles"]))
_LABELS = frozenset(map(fold, _DATA["prefixes"]["labels"]))


def _alternation(words: list[str]) -> str:
    """A regex alternation of folded words, longest first, blanks matching any blank."""
    ordered = sorted(set(words), key=len, reverse=True)
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in ordered)


# a time opening a line: '14:32', '2.15pm', '12:05 GMT', '14h02', '10:14 Uhr –', 'Оновлено 16:40'
_STAMP_RE = re.compile(
    rf"(?:(?:{_alternation(_DATA['timestamps']['updated'])})\s*:?\s+)?"
    r"\d{1,2}(?:[:h]\d{2}|\.\d{2}(?=\s?(?:" + _alternation(_DATA["timestamps"]["suffixes"]) + r")))"
    rf"(?:\s?(?:{_alternation(_DATA['timestamps']['suffixes'])})(?![^\W\d_]))?"
    r"(?:\s*[–—-](?=\s)|\s*:(?=\s)|\s*\|)?\s+(?=\S)",
    re.IGNORECASE,
)
# a speaker prefix opening a line: up to seven words (or '(ARD)'), then ':' or '. -'
_WORD = r"[^\W\d_][\w.'’‘-]*"
_PREFIX_RE = re.compile(
    rf"({_WORD}(?:,?[ \t](?:{_WORD}|\([^()\n]{{1,30}}\))){{0,6}})"
    r"(?:[ \t\u00a0\u202f]?:|\.[ \t][-–—])[ \t\u00a0]+(?=\S)"
)  # French sets a no-break space before the colon ('Ouest-France\u00a0: …')
_DASH_OPENERS = "–—-"
_STAMP_GATE_RE = re.compile(
    rf"\n[ \t]*(?:(?i:{_alternation(_DATA['timestamps']['updated'])})\s*:?\s+)?\d{{1,2}}[:.h]\d\d"
)
_DOT_DASHES = (". - ", ". – ", ". — ")  # 'DOMINIQUE DE VILLEPIN. - …' (French press)
_RARE_CHAR = {":": ":", **{mark: mark[2] for mark in _DOT_DASHES}}  # the dash
_DASH_GATE_RE = re.compile(r"\n[ \t]*[–—-]\s")
_UPDATED_INITIALS = frozenset(
    c for word in _DATA["timestamps"]["updated"] for c in (word[0], word[0].upper())
)


@dataclass(slots=True)
class Answer:
    """One answer line: the spoken words and the prefix naming who speaks ('' = interviewee)."""

    para: int
    start: int
    end: int
    prefix: str


@dataclass(slots=True)
class Layout:
    """What one article's line shapes say: answers, question lines and entry boundaries."""

    answers: dict[int, Answer] = field(default_factory=dict)  # by paragraph index
    stamps: list[tuple[int, int]] = field(default_factory=list)  # time spans to blank out
    entries: set[int] = field(default_factory=set)  # paragraphs that open a live-blog entry


def _prefix_words_ok(prefix: str) -> bool:
    """True if a prefix reads like a name, a role or an outlet (capitalised words)."""
    words = prefix.replace(",", " ").split()
    if len(words) > 7 or len(prefix) > 60:
        return False
    for word in words:
        if word[0] == "(":
            continue
        if not word[0].isupper() and fold(word) not in _PARTICLES:
            return False
    return True


def _head(prefix: str) -> str:
    """The prefix's role word: 'Frage (ARD)' → 'frage', 'STEVE INSKEEP, HOST' → 'host'."""
    words = [w for w in re.split(r"[\s,]+", prefix) if w and w[0] != "("]
    return fold(words[-1]) if words else ""


def _is_interviewer(prefix: str) -> bool:
    """True for 'Q', 'MODERATOR', 'Frage (ARD)', 'Журналіст (Укрінформ)', 'STEVE INSKEEP, HOST'."""
    words = [fold(w) for w in re.split(r"[\s,]+", prefix) if w and w[0] != "("]
    return bool(words) and (words[0] in _INTERVIEWER or words[-1] in _INTERVIEWER)


def _key(prefix: str) -> str:
    """The folded last word of a prefix: 'SECRETARY GENERAL MARK RUTTE' and 'RUTTE' meet."""
    words = [w for w in re.split(r"[\s,]+", prefix) if w and w[0] != "("]
    return fold(words[-1].rsplit(".", 1)[-1] or words[-1])


def _speaks(text: str, prefix: str, lines: int) -> bool:
    """True if a prefix names a speaker rather than labelling a section ('SPOTTED:', 'VETO WATCH:').

    A person answers more than once, or is printed with a full name ('Evika Siliņa:'), or is
    named elsewhere in the article ('STUBB:' after 'Alexander Stubb').
    """
    if lines >= 2 or fold(prefix) in _ANSWER:
        return True
    words = prefix.split()
    if len(words) >= 2 and not prefix.isupper() and "." not in prefix:
        return True
    last = words[-1].rsplit(".", 1)[-1] or words[-1]
    name = last[0] + last[1:].lower()
    return text.count(name) > (0 if last != name else 1)


def _question(text: str, a: int, b: int) -> bool:
    return text[a:b].rstrip().endswith("?")


def _prefix_lines(text: str) -> list[int]:
    """Where lines that may open with a speaker prefix start ('X:' or 'X. -' near the start)."""
    starts: list[int] = []
    for mark in (":", *_DOT_DASHES):  # a few marks per article: cheaper than a line regex
        # search for the mark's rarest character alone (a one-character find is a memchr,
        # many times faster than finding '. - ', whose spaces and dots recur everywhere)
        back = mark.index(_RARE_CHAR[mark])
        found = text.find(mark[back])
        while found >= 0:
            pos = found - back
            if pos >= 0 and text.startswith(mark, pos):
                line = text.rfind("\n", 0, pos) + 1
                if line > 0 and pos - line <= 62 and text[line].isalpha():
                    starts.append(line)
            found = text.find(mark[back], found + 1)
    return starts


def _prefixed(text: str, paras: list[tuple[int, int]], layout: Layout) -> None:
    """Find the speaker-prefixed answers of a transcript or a Q&A interview."""
    starts = _prefix_lines(text)
    if len(starts) < 3:
        return  # one or two labelled lines ('Warsaw: …') are no transcript
    by_start = {a: index for index, (a, _) in enumerate(paras)}
    lines: list[tuple[int, str, int]] = []  # paragraph, prefix, where the spoken words start
    for index in sorted({by_start[a] for a in starts if a in by_start and by_start[a] > 0}):
        a, b = paras[index]
        found = _PREFIX_RE.match(text, a, b)
        if found is None or found.end() >= b or not _prefix_words_ok(found.group(1)):
            continue
        if text[found.end()] in "\"'“„«‘»”":
            continue  # 'Rutte: "…"' is a quote in marks, read by the attribution grammar
        lines.append((index, found.group(1), found.end()))
    if len(lines) < 3:
        return  # one or two labelled lines ('Warsaw: …') are no transcript
    by_prefix: dict[str, list[int]] = {}  # by the prefix's last word: 'RUTTE', 'MARK RUTTE'
    for index, prefix, _ in lines:
        by_prefix.setdefault(_key(prefix), []).append(index)
    asking = _asking(text, paras, by_prefix)
    if len(asking) == len(by_prefix):
        return  # nobody answers: a list of labels or questions
    for index, prefix, start in lines:
        key = _key(prefix)
        if key in asking or not _speaks(text, prefix, len(by_prefix[key])):
            continue
        speaker = "" if key in _ANSWER else prefix
        layout.answers[index] = Answer(index, start, paras[index][1], speaker)


def _asking(text: str, paras: list[tuple[int, int]], by_prefix: dict[str, list[int]]) -> set[str]:
    """The prefixes of whoever asks: named so ('Q', 'MODERATOR'), or asking only questions,
    or, beside someone who answers, asking in most of their lines ('CLAIRE MADDOX: And if
    they leave?' … 'Hanno Pevkur, thank you.'; 'The Nordic Times: …')."""
    share = {
        key: sum(_question(text, *paras[i]) for i in indices) / len(indices)
        for key, indices in by_prefix.items()
    }
    least = min(share.values())
    return {
        key
        for key in by_prefix
        if _is_interviewer(key) or share[key] == 1 or (share[key] >= 0.5 and least < share[key])
    }


def _dashed(text: str, paras: list[tuple[int, int]], layout: Layout) -> None:
    """Find the answers of a dash interview: a dash question, then a dash answer, in turn."""
    run: list[int] = []
    for index, (a, b) in enumerate([*paras[1:], (0, 0)], 1):
        opens = b > a + 2 and text[a] in _DASH_OPENERS and text[a + 1].isspace()
        if opens:
            run.append(index)
            continue
        if len(run) >= 2 and _question(text, *paras[run[0]]):
            for answer in run[1::2]:
                a2, b2 = paras[answer]
                start = a2 + 1
                while start < b2 and text[start].isspace():
                    start += 1
                layout.answers.setdefault(answer, Answer(answer, start, b2, ""))
        run = []


def read_layout(text: str, paras: list[tuple[int, int]]) -> Layout:
    """Read one article's transcript answers and live-blog entries."""
    layout = Layout()
    # whole-text tests first: most articles have none of these layouts
    if _STAMP_GATE_RE.search(text) is not None:
        _stamped(text, paras, layout)
    _prefixed(text, paras, layout)
    if _DASH_GATE_RE.search(text) is not None:
        _dashed(text, paras, layout)
    return layout


def _stamped(text: str, paras: list[tuple[int, int]], layout: Layout) -> None:
    """Find the live-blog entries: at least two lines opened by a time."""
    for index, (a, b) in enumerate(paras[1:], 1):
        if text[a].isdigit() or text[a] in _UPDATED_INITIALS:
            found = _STAMP_RE.match(text, a, b)
            if found is not None:
                layout.stamps.append((a, found.end()))
                layout.entries.add(index)
    if len(layout.entries) < 2:  # one time at a line's start is no live blog
        layout.stamps.clear()
        layout.entries.clear()


def blank_spans(text: str, spans: list[tuple[int, int]]) -> str:
    """The text with each span replaced by blanks (same length)."""
    if not spans:
        return text
    pieces: list[str] = []
    pos = 0
    for a, b in spans:
        pieces.append(text[pos:a])
        pieces.append(" " * (b - a))
        pos = b
    pieces.append(text[pos:])
    return "".join(pieces)


def _initials(name: str) -> str:
    """A name's folded initials, particles left out: 'Pierre de Villiers' → 'pv'."""
    parts = name.replace("-", " ").split()
    return "".join(fold(part[0]) for part in parts if fold(part) not in _PARTICLES)


def _prefix_initials(prefix: str, words: list[str]) -> str:
    """The initials a prefix is made of ('KK', 'M.P.', 'P. de V.'), or '' if it is a name."""
    if prefix.isupper() and len(words) == 1 and "." not in prefix and len(prefix) <= 3:
        return fold(prefix)
    letters = [w for w in prefix.replace(".", ". ").split() if fold(w) not in _PARTICLES]
    if "." in prefix and letters and all(len(w.rstrip(".")) == 1 for w in letters):
        return "".join(fold(w[0]) for w in letters)
    return ""


def _title_case(words: list[str]) -> str:
    """'HANNO PEVKUR' → 'Hanno Pevkur', 'DOMINIQUE DE VILLEPIN' → 'Dominique de Villepin'."""
    return " ".join(
        w.lower() if fold(w) in _PARTICLES else "-".join(p.capitalize() for p in w.split("-"))
        for w in words
    )


def interviewee(people: list[str], headline: str) -> str | None:
    """Who answers in an interview: the person the headline names, else the first one named."""
    folded = fold(headline)
    for person in people:
        if fold(person.split()[-1]) in folded:
            return person
    return people[0] if people else None


def resolve_prefix(
    prefix: str, registry: NameRegistry, people: list[str], headline: str = ""
) -> str | None:
    """The full name a speaker prefix stands for, or None if it names nobody.

    'STUBB' → 'Alexander Stubb', 'К.ЗАТУЛИН' → 'Константин Затулин', 'KK' → 'Kaja Kallas' (the
    one person of the article with those initials), 'SECRETARY GENERAL MARK RUTTE' → 'Mark
    Rutte'; an unregistered name as printed ('Evika Siliņa'); '' → the interviewee, the first
    person the headline names, else the first one the article names (`people` in order).
    """
    if not prefix:
        return interviewee(people, headline)
    words = [w for w in re.split(r"[\s,]+", prefix) if w and w[0] != "("]
    last = words[-1].rsplit(".", 1)[-1] or words[-1]
    initials = _prefix_initials(prefix, words)
    if initials:  # 'KK', 'M.P.', 'P. de V.': the one person of the article with them
        matches = [
            p for p in people if _initials(p) == initials and not _prefix_initials(p, p.split())
        ]
        if len(matches) == 1:
            return matches[0]
    if len(words) >= 2 and "." not in prefix:
        if not prefix.isupper():
            return prefix  # 'Evika Siliņa:' prints the name in full, in the nominative
        if not any(fold(w) in _INTERVIEWER for w in words):
            known = registry.canonical(last, 0)
            return known if registry.is_person(known) else _title_case(words)  # 'HANNO PEVKUR'
    known = registry.canonical(last, 0)
    if registry.is_person(known):
        return known
    folded_last = fold(last)
    for person in people:
        if fold(person.split()[-1]) == folded_last:
            return person
    return None


def with_answers(segs: list[QuotedSegment], layout: Layout) -> list[QuotedSegment]:
    """The quoted segments with each answer line as one segment (its inner quotes dropped)."""
    if not layout.answers:
        return segs
    kept = [seg for seg in segs if seg.para not in layout.answers]
    group = max((seg.group for seg in segs), default=-1) + 1
    for answer in layout.answers.values():
        end = answer.end
        kept.append(QuotedSegment(answer.start, end, answer.start, end, answer.para, group, True))
        group += 1
    kept.sort(key=lambda seg: seg.start)
    return kept


# what stands beside a headline quote to name its speaker: 'Rutte: "…"', '«…» — Зеленський'
_HEAD_BEFORE_RE = re.compile(rf"^\s*({_WORD}(?:[ \t]{_WORD}){{0,3}})\s?:\s*$")
_HEAD_AFTER_RE = re.compile(rf"^\s*[–—-]\s*({_WORD}(?:[ \t]{_WORD}){{0,3}})\s*$")


def headline_prefix(text: str, head_end: int, open_pos: int, close: int) -> str | None:
    """The name printed before or after a headline quote ('Tusk: „…”', '«…» — Зеленський')."""
    found = _HEAD_BEFORE_RE.match(text[:open_pos])
    if found is None and close >= 0:
        found = _HEAD_AFTER_RE.match(text[close + 1 : head_end])
    if found is None or not _prefix_words_ok(found.group(1)) or fold(found.group(1)) in _LABELS:
        return None  # 'Transcript: «…»' labels the piece
    return found.group(1)


def _squeeze(text: str) -> str:
    return " ".join(fold(text).strip(" .,;:!?…").split())


def credit_headline(quotes: list[Quote], head_end: int) -> list[Quote]:
    """Headline quotes credited to whoever says the same words in the body."""
    for k, quote in enumerate(quotes):
        if quote.start >= head_end:
            break
        said = _body_speaker(quote, quotes, head_end)
        if said is not None and said != quote.speaker:
            quotes[k] = Quote(quote.text, quote.start, quote.end, said, quote.partial)
    return quotes


def _body_speaker(headline: Quote, quotes: list[Quote], head_end: int) -> str | None:
    """The speaker of the body quote that repeats a headline quote's words, or None."""
    words = _squeeze(headline.text)
    if words.count(" ") < 2:
        return None  # two words ('DANGEROUS GAME') recur by chance
    for quote in quotes:
        if quote.start > head_end and quote.speaker is not None and words in _squeeze(quote.text):
            return quote.speaker
    return None


_ANY_PREFIX_RE = re.compile(
    rf"\n{_WORD}(?:,?[ \t](?:{_WORD}|\([^()\n]{{1,30}}\))){{0,6}}[ \t\u00a0\u202f]?:"
)


def has_prefixes(text: str) -> bool:
    """True if some line may open with a speaker prefix (a cheap test for marks-free text)."""
    # every prefix ends in a colon: a text without one needs no line regex
    return ":" in text and _ANY_PREFIX_RE.search(text) is not None
