"""Speaker resolution for the quote extractor: who an article names, who is salient, who speaks.

`NameRegistry` collects the people an article names; `Discourse` tracks who is being talked about;
`Attributor` reads the tokens around a quote to find its speaker ('X said', 'said X', 'according
to X', 'X told Y:'), the subject of a sentence and the cues that make a fragment reported speech.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right, insort
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import compress, count
from operator import attrgetter
from typing import Any

from natoread.core.analysis.quotes.speakers import (
    ADVERBS,
    ANON_HEADS,
    COUNTRY_ADJ,
    DEFINITE,
    INVERTED,
    NATIONALITIES,
    ORG_ALIASES,
    ORG_NAMES,
    PARTICIPLES,
    REPORTING_VERBS,
    Mention,
    Word,
    classify,
    fold,
    np_backward,
    np_forward,
    tokenize,
)

__all__ = ["Attributor", "Discourse", "Found", "NameRegistry", "build_registry"]

_MISSING: Any = object()
_CAP = attrgetter("cap")

_LEADING = frozenset(
    "in on at after before during with without for from despite since until as when while asked"
    " speaking following amid outside inside under over among across unlike like addressing"
    " writing appearing interviewed dans lors nach bei im".split()
)
_CONJUNCTIONS = frozenset(
    "but and yet however meanwhile still also then now instead separately".split()
)
_TITLE_CUES = frozenset(
    "book memoir novel film movie documentary essay report paper study column article op-ed"
    " newspaper magazine podcast series programme program show song album play exercise operation"
    " slogan motto hashtag banner banners sign signs placard placards reading titled entitled named"
    " nicknamed headline website so-called sogenannte sogenannten so-genannte soi-disant dite word"
    " term phrase label".split()
)
SKIP_BEFORE_TITLE = frozenset("his her its their the a an our my your der die das le la".split())
_VEHICLES = frozenset("statement communique letter post message memo readout note".split())
_AS_OBJECTS = frozenset("me us it him her them reporters".split())


@dataclass
class _Person:
    """What the registry knows about one named person."""

    name: str
    titles: set[str] = field(default_factory=set)
    gender: str | None = None
    positions: list[int] = field(default_factory=list)


_GENERIC_ROLES = frozenset(
    "leader chief head politician politiker politikerin official premier".split()
)


class NameRegistry:
    """Full names seen in one article, so that 'Stubb' or 'the president' resolve to a person."""

    def __init__(self) -> None:
        self._people: dict[str, _Person] = {}
        self._by_last: dict[str, list[str]] = {}
        self._fixed: dict[str, str] = {}  # canonical forms that do not depend on position

    def add(self, mention: Mention, extra_titles: frozenset[str] = frozenset()) -> None:
        """Record a person mention (full name or titled surname)."""
        if mention.kind not in ("person", "name"):
            return
        name = mention.name
        canon = self.canonical(name, mention.start) if len(name.split()) == 1 else name
        self._fixed.clear()
        person = self._people.get(canon)
        if person is None:
            person = self._people[canon] = _Person(canon)
            self._by_last.setdefault(fold(canon.split()[-1]), []).append(canon)
        person.titles.update(mention.words | extra_titles)
        insort(person.positions, mention.start)
        if mention.gender and person.gender is None:
            person.gender = mention.gender

    def is_person(self, name: str) -> bool:
        """True if the name is a registered person."""
        return name in self._people

    def gender(self, name: str) -> str | None:
        """The known gender of a registered person, or None."""
        person = self._people.get(name)
        return person.gender if person else None

    def canonical(self, name: str, pos: int) -> str:
        """The fullest registered form of a name ('Stubb' → 'Alexander Stubb')."""
        fixed = self._fixed.get(name)
        if fixed is not None:
            return fixed
        parts = name.split()
        if name in self._people and len(parts) > 1:
            self._fixed[name] = name
            return name
        last = fold(parts[-1]) if parts else ""
        candidates = [c for c in self._by_last.get(last, ()) if len(c.split()) >= len(parts)]
        if not candidates:
            self._fixed[name] = name
            return name
        folded = fold(name)
        candidates = [c for c in candidates if fold(c).endswith(folded)] or candidates
        if len(candidates) == 1:  # the answer does not depend on pos: remember it
            self._fixed[name] = candidates[0]
            return candidates[0]
        return max(candidates, key=lambda c: (len(c.split()) > 1, self._recency(c, pos)))

    def _recency(self, name: str, pos: int) -> int:
        """Higher for people mentioned closer before pos; mentions after pos rank lower."""
        positions = self._people[name].positions
        idx = bisect_right(positions, pos)
        if idx:
            return positions[idx - 1]
        return -positions[0] - 1 if positions else -(10**9)

    def nearest(self, pos: int) -> str | None:
        """The person named last before pos, else the first one named after it."""
        found = self.last_mentioned(pos)
        if found is None:
            after = [(p.positions[0], p.name) for p in self._people.values() if p.positions]
            found = min(after)[1] if after else None
        return found

    def last_mentioned(self, pos: int) -> str | None:
        """The person named most recently before pos, whatever their role in the sentence."""
        best: tuple[int, str] | None = None
        for person in self._people.values():
            idx = bisect_right(person.positions, pos)
            if idx and (best is None or person.positions[idx - 1] > best[0]):
                best = (person.positions[idx - 1], person.name)
        return best[1] if best else None

    def by_role(self, role: Mention, pos: int) -> str | None:
        """The person a role noun ('the prime minister', 'the Turkish leader') most likely means."""
        words = set(role.words)
        head = role.head
        wanted = {"prime", "minister"} if head in ("premier", "pm") else {head}
        nations = words & NATIONALITIES
        best: tuple[int, int, str] | None = None
        for person in list(self._people.values())[-200:]:
            if not person.titles:
                continue
            if head not in _GENERIC_ROLES and not wanted <= person.titles:
                continue
            if nations and person.titles & NATIONALITIES and not nations & person.titles:
                continue
            score = len(words & person.titles)
            rank = (score, self._recency(person.name, pos), person.name)
            if best is None or rank[:2] > best[:2]:
                best = rank
        return best[2] if best else None


_QUANTIFIERS = frozenset("a an one two three four several some many the".split())


def _strip_definite(text: str) -> str:
    """'the official' → 'official'; other descriptions unchanged."""
    first, _, rest = text.partition(" ")
    return rest if rest and first.lower() in DEFINITE else text


_COUNTRY_WORDS = frozenset(COUNTRY_ADJ.values())
_PERSON_KINDS = frozenset(("pronoun", "person", "role"))
_AVOID_GENDER = {"she": "m", "sie": "m", "elle": "m", "he": "f", "er": "f", "il": "f"}


class Discourse:
    """Who is salient in one article so far; turns 'he', 'the minister', 'Stubb' into speakers."""

    def __init__(self, registry: NameRegistry) -> None:
        self.registry = registry
        self.people: list[str] = []  # salient persons, most recent last
        self.orgs: dict[str, str] = {}  # head noun → organisation last named with it
        self.anon: dict[str, str] = {}  # head noun → anonymous source last described with it
        self.last_anon: str | None = None
        self.any_subject: str | None = None

    def is_person(self, mention: Mention, name: str | None) -> bool:
        """True if a resolved mention names a person (not a place or an organisation)."""
        if name is None:
            return False
        return mention.kind in _PERSON_KINDS or self.registry.is_person(name)

    def note(self, mention: Mention | None, name: str | None, named: bool = False) -> None:
        """Make a resolved subject or speaker salient (named: trust a lone name as a person)."""
        if name is None:
            return
        self.any_subject = name
        kind = mention.kind if mention is not None else None
        if kind == "anon":
            return
        if named or kind in _PERSON_KINDS or self.registry.is_person(name):
            people = self.people  # the salient persons, most recent last
            if name in people:
                people.remove(name)
            people.append(name)
            del people[:-12]

    def resolve(self, mention: Mention) -> str | None:
        """The normalised speaker a mention refers to."""
        kind = mention.kind
        if kind == "pronoun":
            return self.pronoun(mention.head, mention.start)
        if kind in ("person", "name"):
            return self.registry.canonical(mention.name, mention.start)
        if kind == "org":
            if mention.proper:
                self.orgs[mention.head] = mention.name
                return mention.name
            return self.orgs.get(mention.head) or ORG_ALIASES.get(mention.head) or mention.name
        if kind == "anon":
            if not mention.definite:
                self.anon[mention.head] = mention.name
                self.last_anon = mention.name
                return mention.name
            return self.anon.get(mention.head, mention.name)
        if kind == "ellipsis":
            return self._ellipsis(mention.head)
        described = _strip_definite(mention.name)
        if mention.head in ANON_HEADS:
            return self.anon.get(mention.head, described)
        found = self.registry.by_role(mention, mention.start)
        if found is None and "s " in mention.name and mention.words & _COUNTRY_WORDS:
            return described  # "Finland's president" with no such person named in the article
        return found or self.pronoun("") or self.registry.nearest(mention.start)

    def _ellipsis(self, word: str) -> str | None:
        """'One' / 'Another' after 'Western diplomats …' → 'one Western diplomat'."""
        if self.last_anon is None:
            return None
        words = self.last_anon.split()
        if len(words) > 1 and (words[0].lower() in _QUANTIFIERS or words[0][0].isdigit()):
            words = words[1:]
        if words[-1].endswith("s") and words[-1].lower() in ANON_HEADS:
            words[-1] = words[-1][:-1]
        return f"{word} {' '.join(words)}"

    def pronoun(self, low: str, pos: int = -1) -> str | None:
        """The salient person a pronoun most likely refers to (skipping known gender clashes)."""
        if low in ("they", "ils", "elles"):
            return self.any_subject
        avoid = _AVOID_GENDER.get(low)
        for name in reversed(self.people[-8:]):
            if avoid is None or self.registry.gender(name) != avoid:
                return name
        return self.registry.last_mentioned(pos) if pos >= 0 else None


@dataclass(slots=True)
class Found:
    """An attribution: the speaker mention and how it was found."""

    mention: Mention | None
    via: str
    distance: int = 0
    name: str | None = None


def build_registry(toks: list[Word], np: Callable[[int, int], Mention | None]) -> NameRegistry:
    """Collect the people an article names, with titles from prefixes and appositions."""
    found: list[tuple[Mention, frozenset[str]]] = []
    n = len(toks)
    role_end = -1
    role_words: frozenset[str] = frozenset()
    j = 0
    for i in compress(count(), map(_CAP, toks)):  # capitalised tokens, in order
        if i < j:
            continue  # inside the previous noun phrase
        tok = toks[i]
        if not tok.word:
            continue
        j = np_forward(toks, i, n)
        if j <= i:
            continue
        if j == i + 1 and not (tok.lex and j < n and toks[j].text == ","):
            continue
        mention = np(i, j)
        if mention is not None and mention.kind in ("person", "name"):
            extra: frozenset[str] = frozenset()
            if role_end == i - 1 and toks[i - 1].text == ",":
                extra = role_words
            if j + 1 < n and toks[j].text == ",":
                k = np_forward(toks, j + 1, n)
                if k > j + 1 and (k >= n or toks[k].text in ",.;)"):
                    role = np(j + 1, k)
                    if role is not None and role.kind in ("role", "anon"):
                        extra = extra | role.words
            if mention.kind == "person" or extra:
                found.append((mention, extra))
        elif mention is not None and mention.kind == "role":
            role_end, role_words = j, mention.words
    reg = NameRegistry()
    found.sort(key=lambda item: len(item[0].name.split()) < 2)
    for mention, extra in found:
        reg.add(mention, extra)
    return reg


class Attributor:
    """Token-level attribution over one article's masked text (quoted passages blanked out).

    Noun phrases are classified once per token span (`_np`); the registry pass fills that memo
    with most names and roles before the sentence walk asks for them again.
    """

    def __init__(self, masked: str) -> None:
        self.masked = masked
        self.toks, self.starts = tokenize(masked)
        self._spans: dict[int, Mention | None] = {}
        self.reg = build_registry(self.toks, self._np)
        self.ctx = Discourse(self.reg)

    def _np(self, i: int, j: int) -> Mention | None:
        """The speaker mention made of tokens i..j-1 (memoised)."""
        key = i << 32 | j
        found = self._spans.get(key, _MISSING)
        if found is _MISSING:
            found = self._spans[key] = classify(self.toks, self.starts, self.masked, i, j)
        return found  # type: ignore[no-any-return]

    def _ti(self, pos: int) -> int:
        """Index of the first token starting at or after pos."""
        return bisect_left(self.starts, pos)

    def _subject(self, ti: int, tj: int) -> tuple[Mention | None, int]:
        """The grammatical subject of a sentence (first noun phrase after any opening adverbial)."""
        toks = self.toks
        i = self._after_dateline(ti, tj) if ti < tj and toks[ti].acro else ti
        while i < tj and (not toks[i].word or toks[i].low in _CONJUNCTIONS):
            i += 1
        if i + 1 < tj and toks[i].low in ("his", "her") and toks[i + 1].word:
            tok = toks[i]  # 'His answer was crisp.' keeps the person he refers to in focus
            pron = "he" if tok.low == "his" else "she"
            start = self.starts[i]
            return Mention("pronoun", tok.text, pron, start, start + len(tok.text)), i + 2
        if i < tj and toks[i].low in _LEADING:
            c = i
            while c < tj and c < i + 30 and toks[c].text != ",":
                c += 1
            if c >= tj or toks[c].text != ",":
                return None, i
            i = c + 1
        for _ in range(3):
            while i < tj and not toks[i].word:
                i += 1
            if i + 1 < tj and toks[i].low in ("one", "another") and not toks[i + 1].npw:
                j = i + 1
                if toks[j].low == "of" and j + 1 < tj:
                    j += 2  # One of them
                return self._apposed(self._np(i, i + 1), j, tj)
            j = np_forward(toks, i, tj)
            if j <= i:
                return None, i
            if toks[j - 1].poss and j < tj and toks[j].word:
                i = j
                continue
            mention = self._np(i, j)
            if mention is None:
                return None, j
            return self._apposed(mention, j, tj)
        return None, i

    def _after_dateline(self, ti: int, tj: int) -> int:
        """Skip a wire dateline such as 'VISBY, Sweden (AP) —' at the start of a sentence."""
        toks = self.toks
        if ti >= tj or not toks[ti].acro or toks[ti].low in ORG_NAMES:
            return ti
        for k in range(ti + 1, min(tj, ti + 12)):
            if toks[k].text in ("—", "–", "-") and k > ti + 1:
                return k + 1
            if toks[k].word and not (toks[k].cap or toks[k].text[0].isdigit()):
                break
        return ti

    def _apposed(self, mention: Mention | None, j: int, hi: int) -> tuple[Mention | None, int]:
        """Prefer the name in 'the minister, Pål Jonson,' or 'Another, a European ambassador,'."""
        toks = self.toks
        if mention is None or mention.kind not in ("role", "ellipsis") or j >= hi:
            return mention, j
        if toks[j].text != ",":
            return mention, j
        k = np_forward(toks, j + 1, hi)
        other = self._np(j + 1, k) if k > j + 1 else None
        wanted = ("person",) if mention.kind == "role" else ("person", "anon")
        if other is not None and other.kind in wanted:
            return other, k
        return mention, j

    def _label(self, ti: int, tj: int) -> Mention | None:
        """A 'Name:' label sentence (live blogs, headlines) whose name speaks in the next one."""
        toks = self.toks
        if tj - 1 <= ti or toks[tj - 1].text != ":":
            return None
        first = ti
        while first < tj and not toks[first].word:
            first += 1
        if np_forward(toks, first, tj) != tj - 1:
            return None
        mention = self._np(first, tj - 1)
        return mention if mention is not None and mention.kind in ("person", "name") else None

    def _np_at(self, k: int, hi: int) -> Mention | None:
        """The speaker mention starting at token k, if any."""
        j = np_forward(self.toks, k, hi)
        return self._np(k, j) if j > k else None

    def _skip_to_verb(self, j: int, hi: int) -> int | None:
        """Index of the word after a noun phrase, skipping an apposition and adverbs."""
        toks = self.toks
        if j < hi and toks[j].text == "(":
            k = j + 1
            while k < hi and k < j + 8 and toks[k].text != ")":
                k += 1
            j = k + 1 if k < hi and toks[k].text == ")" else j
        if j < hi and toks[j].text == ",":
            k = j + 1
            while k < hi and k < j + 25 and toks[k].text != ",":
                k += 1
            if k >= hi or toks[k].text != ",":
                return None
            j = k + 1
        while j < hi and toks[j].low in ADVERBS:
            j += 1
        return j if j < hi else None

    def _post_attr(self, lo: int, hi: int, colon_ok: bool, stop: bool = False) -> Found | None:
        """Attribution right after a closing mark: ', X said' / ', said X' / ': X …'.

        stop is True when the quote ended with a full stop: then only 'he said' can follow.
        """
        toks = self.toks
        k = lo
        comma = k < hi and toks[k].text == ","
        if comma:
            k += 1
        if k >= hi:
            return None
        tok = toks[k]
        if tok.text == ":" and colon_ok:
            mention = self._np_at(k + 1, hi)
            ok = mention is not None and mention.kind in ("person", "name", "anon")
            return Found(mention, "post") if ok else None
        if not tok.word:
            return None
        low = tok.low
        if low == "according" and k + 1 < hi and toks[k + 1].low == "to":
            mention = self._np_at(k + 2, hi)
            return Found(mention, "post") if mention is not None else None
        if low == "as" and k + 1 < hi:
            j = np_forward(toks, k + 1, hi)
            v = self._skip_to_verb(j, hi) if j > k + 1 else None
            said = v is not None and (toks[v].low in REPORTING_VERBS or toks[v].low == "put")
            after = toks[v + 1] if said and v is not None and v + 1 < hi else None
            ends = after is None or not after.word or after.low in _AS_OBJECTS
            return Found(self._np(k + 1, j), "post") if said and ends else None
        if low.startswith(("a-t-", "avait-")) and k + 1 < hi and toks[k + 1].low in INVERTED:
            pron = low.rsplit("-", 1)[-1]
            start = self.starts[k]
            return Found(Mention("pronoun", tok.text, pron, start, start + len(tok.text)), "post")
        if low in ("a", "avait", "hat") and k + 1 < hi and toks[k + 1].low in INVERTED:
            k += 1
            low = toks[k].low
        if low in INVERTED or (low == "so" and comma):
            j = np_forward(toks, k + 1, hi)
            mention, _ = self._apposed(self._np(k + 1, j), j, hi)
            return Found(mention, "post") if mention is not None else None
        k = self._vehicle(k, hi)
        j = np_forward(toks, k, hi)
        mention = self._np(k, j) if j > k else None
        if mention is None or (stop and mention.kind != "pronoun"):
            return None
        v = self._skip_to_verb(j, hi)
        if v is not None and toks[v].low in REPORTING_VERBS and toks[v].low not in PARTICIPLES:
            return Found(mention, "post")
        return None

    def _vehicle(self, k: int, hi: int) -> int:
        """Skip 'a statement from' / 'in a letter by' so the issuer becomes the subject."""
        toks = self.toks
        j = k + 1 if k < hi and toks[k].low in ("a", "an", "the", "in") else k
        j += 1 if j < hi and toks[j].low in ("a", "an", "the") else 0
        if j + 1 < hi and toks[j].low in _VEHICLES and toks[j + 1].low in ("from", "by"):
            return j + 2
        return k

    def _verb_subject(self, v: int, lo: int, subj: Mention | None) -> Mention | None:
        """Who performs the reporting verb at token v (its subject, or the sentence subject)."""
        toks = self.toks
        if toks[v].low in PARTICIPLES:
            s = np_backward(toks, v - 1, lo) if v - 1 >= lo else v
            if lo <= s - 1 < v and toks[s - 1].low == "with":
                return self._np(s, v)
            for k in range(v - 1, lo - 1, -1):
                low = toks[k].low
                if low in REPORTING_VERBS and low not in PARTICIPLES and toks[k].word:
                    return self._verb_subject(k, lo, subj)  # 'X said …, adding that …'
            return subj
        k = v - 1
        while k >= lo and toks[k].low in ADVERBS:
            k -= 1
        if k >= lo and toks[k].low in ("a", "avait", "ont", "hat", "habe"):
            k -= 1
        if k < lo:
            return subj
        tok = toks[k]
        if tok.text == ",":
            c = k - 1
            while c >= lo and c > k - 25 and toks[c].text != ",":
                c -= 1
            if c < lo or toks[c].text != ",":
                return subj
            inner = self._np(c + 1, k) if np_forward(toks, c + 1, k) == k else None
            if inner is not None and inner.kind == "person":
                return inner
            if c - 1 >= lo:
                s = np_backward(toks, c - 1, lo)
                outer = self._np(s, c) if s <= c - 1 else None
                if outer is not None:
                    return outer
            return subj
        if tok.low in ("who", "which"):
            if k - 2 >= lo and toks[k - 1].text == ",":
                s = np_backward(toks, k - 2, lo)
                if s <= k - 2:
                    return self._np(s, k - 1)
            return subj
        s = np_backward(toks, k, lo)
        if s <= k:
            mention = self._np(s, k + 1)
            if mention is not None:
                return mention
        c = k
        while c >= lo and c > k - 15:
            tc = toks[c]
            if tc.text in ",;" or tc.low in ("and", "but", "while", "that", "who", "which", "or"):
                break
            if tc.cap and tc.word:
                s = np_backward(toks, c, lo)
                mention = self._np(s, c + 1)
                if mention is not None and mention.kind in ("person", "name"):
                    return mention
            c -= 1
        return subj

    def _frame(self, lo: int, open_i: int, subj: Mention | None) -> tuple[bool, Found | None]:
        """Is the quote introduced as a full quote (sentence start, colon, 'X said,')? With whom."""
        toks = self.toks
        first = lo
        while first < open_i and not toks[first].word:
            first += 1
        if first >= open_i:
            return True, None
        last = open_i - 1
        if toks[last].text == ":":
            return True, self._colon_attr(lo, first, last, subj)
        if toks[last].text != ",":
            return False, None
        k = last - 1
        if toks[k].word and toks[k].low in REPORTING_VERBS:
            return True, Found(self._verb_subject(k, lo, subj), "pre")
        if toks[first].low in ("according", "selon"):
            start = first + 2 if toks[first].low == "according" else first + 1
            mention = self._np_at(start, last)
            if mention is not None:
                return True, Found(mention, "pre")
        s = np_backward(toks, k, lo)
        if s <= k and s - 1 >= lo and toks[s - 1].low in INVERTED:
            mention = self._np(s, k + 1)
            if mention is not None:
                return True, Found(mention, "pre")
        return False, None

    def _colon_attr(self, lo: int, first: int, c: int, subj: Mention | None) -> Found | None:
        """Attribution of a quote after a colon: 'X said:', 'X told Y:', 'Rutte:'.

        first is the first word of the frame, c the colon token.
        """
        toks = self.toks
        seen = 0
        for k in range(c - 1, first - 1, -1):  # the last eight words before the colon
            if toks[k].word:
                if toks[k].low in REPORTING_VERBS:
                    return Found(self._verb_subject(k, lo, subj), "pre")
                seen += 1
                if seen == 8:
                    break
        if np_forward(toks, first, c) == c:
            mention = self._np(first, c)
            if mention is not None and mention.kind in ("person", "name", "org", "anon", "role"):
                return Found(mention, "pre")
        if subj is not None:
            name = self.ctx.resolve(subj)
            speaks = subj.kind in ("ellipsis", "anon", "org") or self.ctx.is_person(subj, name)
            if name is not None and speaks:
                return Found(subj, "frame")
        return None

    def _cue(self, lo: int, open_i: int, subj: Mention | None) -> Found | None:
        """The last reporting verb before an embedded quote, with its subject and distance."""
        toks = self.toks
        dist = 0
        for k in range(open_i - 1, lo - 1, -1):
            tok = toks[k]
            if not tok.word:
                continue
            if tok.low in REPORTING_VERBS or (tok.low == "put" and toks[k + 1].low == "it"):
                return Found(self._verb_subject(k, lo, subj), "cue", dist)
            dist += 1
        return None

    def _post_cue(self, lo: int, hi: int) -> Found | None:
        """A parenthetical attribution a few words after the quote: '… must go, he said.'."""
        toks = self.toks
        for k in range(lo, min(hi, lo + 12)):
            text = toks[k].text
            if text in ".!?;":
                return None
            if text != "," or k + 1 >= hi:
                continue
            if toks[k + 1].low in INVERTED:
                j = np_forward(toks, k + 2, hi)
                mention = self._np(k + 2, j)
                if mention is not None and (j >= hi or not toks[j].word):
                    return Found(mention, "cue", k - lo)
                continue
            j = np_forward(toks, k + 1, hi)
            v = self._skip_to_verb(j, hi) if j > k + 1 else None
            if v is not None and toks[v].low in REPORTING_VERBS and toks[v].low not in PARTICIPLES:
                mention = self._np(k + 1, j)
                if mention is not None:
                    return Found(mention, "cue", k - lo)
        return None

    def _title_cue(self, lo: int, open_i: int) -> bool:
        """True if the words before the quote mark it as a title, a name or a scare quote."""
        seen = 0
        for k in range(open_i - 1, lo - 1, -1):
            tok = self.toks[k]
            if not tok.word:
                if tok.text == ",":
                    continue
                break
            if tok.low in _TITLE_CUES:
                return True
            if tok.low in SKIP_BEFORE_TITLE or tok.poss:
                continue
            seen += 1
            if seen >= 1:
                break
        return False
