"""The people one article names, so that 'Stubb' or 'the president' resolve to a full name.

`build_registry` reads every capitalised noun phrase once, with titles from prefixes
('Finnish President …') and appositions ('…, the defence minister,').
"""

from __future__ import annotations

from bisect import bisect_right, insort
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from itertools import compress, count
from operator import attrgetter

from natoread.core.analysis.quotes.cases import (
    cue_ends,
    cued_at,
    cued_name,
    from_oblique,
    nominative,
)
from natoread.core.analysis.quotes.languages import LanguageProfile
from natoread.core.analysis.quotes.mentions import Mention
from natoread.core.analysis.quotes.phrases import noun_phrase_end, noun_phrase_start
from natoread.core.analysis.quotes.tokens import Word, fold, is_title
from natoread.core.analysis.quotes.words import (
    BODY_LOCATIVES,
    FEMALE_NAMES,
    GENERIC_ROLES,
    MALE_NAMES,
    NAME_CASE_ENDINGS,
    NATIONALITIES,
    PARTICLES,
)

__all__ = ["NameRegistry", "build_registry"]

_CAP = attrgetter("cap")
_GIVEN_NAMES = MALE_NAMES | FEMALE_NAMES


@dataclass
class _Person:
    """What the registry knows about one named person."""

    name: str
    titles: set[str] = field(default_factory=set)
    gender: str | None = None
    positions: list[int] = field(default_factory=list)


class NameRegistry:
    """Full names seen in one article, so that 'Stubb' or 'the president' resolve to a person."""

    def __init__(
        self,
        endings: frozenset[str] = NAME_CASE_ENDINGS,
        profiles: Sequence[LanguageProfile] = (),
    ) -> None:
        self.endings = endings  # the case endings of the article's languages
        # the article's languages, for names in an oblique case (none: no oblique rules)
        self.profiles = profiles if any(p.oblique for p in profiles) else ()
        self._oblique: dict[str, str] = {}  # 'Кястутісом Будрісом' → 'Кястутіс Будріс'
        self._people: dict[str, _Person] = {}
        self._by_last: dict[str, list[str]] = {}
        self._fixed: dict[str, str] = {}  # canonical forms that do not depend on position
        self._first: dict[str, list[str]] | None = None  # full names by first word, built lazily

    def add(self, mention: Mention, extra_titles: frozenset[str] = frozenset()) -> None:
        """Record a person mention (full name or titled surname)."""
        if mention.kind not in ("person", "name"):
            return
        name = mention.name
        words = name.split()
        if len(words) == 1 or fold(words[0]) in PARTICLES:  # 'Von der Leyen': a surname
            canon = self.canonical(name, mention.start)
        else:  # 'Йенсом Столтенбергом' joins 'Йенс Столтенберг' named before
            canon = self.inflected_match(name) or name
            if canon == name and fold(words[0]) not in _GIVEN_NAMES:
                canon = self.run_on_match(name) or name  # 'Sikorskiego Polska nie zamierza'
            if canon != name and len(name) < len(canon):
                canon = self._rename(canon, name)
            elif canon == name and self.profiles:  # or comes back from its case on its own
                plain = from_oblique(name, self.profiles)
                if plain is not None:
                    self._oblique[name] = canon = self.inflected_match(plain) or plain
        self._fixed.clear()
        self._first = None
        person = self._people.get(canon)
        if person is None:
            person = self._people[canon] = _Person(canon)
            self._by_last.setdefault(fold(canon.split()[-1]), []).append(canon)
        person.titles.update(mention.words | extra_titles)
        insort(person.positions, mention.start)
        if mention.gender and person.gender is None:
            person.gender = mention.gender

    def _rename(self, old: str, new: str) -> str:
        """File a person under another form of their name and return it.

        Of two case forms of one name the shorter is taken for the nominative: masculine
        names add endings to a bare stem ('Йенсом Столтенбергом' → 'Йенс Столтенберг') and
        feminine ones lengthen theirs ('Захаровою' → 'Захарова').
        """
        person = self._people.pop(old)
        person.name = new
        self._people[new] = person
        self._by_last[fold(old.split()[-1])].remove(old)
        self._by_last.setdefault(fold(new.split()[-1]), []).append(new)
        return new

    def is_person(self, name: str) -> bool:
        """True if the name is a registered person."""
        return name in self._people

    def people_in_order(self) -> list[str]:
        """The registered people's names in order of first mention."""
        known = sorted(self._people.values(), key=lambda p: p.positions[0] if p.positions else 0)
        return [person.name for person in known]

    def gender(self, name: str) -> str | None:
        """The known gender of a registered person, or None."""
        person = self._people.get(name)
        return person.gender if person else None

    def canonical(self, name: str, pos: int) -> str:
        """The fullest registered form of a name ('Stubb' → 'Alexander Stubb')."""
        fixed = self._fixed.get(name)
        if fixed is not None:
            return fixed
        name = self._oblique.get(name, name)
        parts = name.split()
        if name in self._people and _full(name):
            self._fixed[name] = name
            return name
        last = fold(parts[-1]) if parts else ""
        candidates = [c for c in self._by_last.get(last, ()) if len(c.split()) >= len(parts)]
        if not candidates and len(parts) == 1:  # 'Eirik' before 'Eirik Kristoffersen'
            by_first = self._first_names().get(last, [])
            candidates = by_first if len(by_first) == 1 else []
        if not candidates and len(parts) == 1 and self.endings:
            candidates = [
                c
                for known in self._by_last
                if inflected(last, known, self.endings)
                for c in self._by_last[known]
            ]
        run_on = len(parts) > 1 and name not in self._people  # 'Sikorskiego Polska nie …'
        if not candidates and run_on and fold(parts[0]) not in _GIVEN_NAMES:
            candidates = [self.run_on_match(name) or name]
        if not candidates:
            self._fixed[name] = name
            return name
        folded = fold(name)
        candidates = [c for c in candidates if fold(c).endswith(folded)] or candidates
        if len(candidates) == 1:  # the answer does not depend on pos: remember it
            self._fixed[name] = candidates[0]
            return candidates[0]
        return max(candidates, key=lambda c: (_full(c), self._recency(c, pos)))

    def _first_names(self) -> dict[str, list[str]]:
        """Full names by their folded first word, built once per state of the registry."""
        index = self._first
        if index is None:
            index = self._first = {}
            for full in self._people:
                words = full.split()
                if len(words) > 1:
                    index.setdefault(fold(words[0]), []).append(full)
        return index

    def inflected_match(self, name: str) -> str | None:
        """The one registered full name that `name` is in another case ('Йенса Столтенберга')."""
        if not self.endings:
            return None
        parts = [fold(p) for p in name.split()]
        found: str | None = None
        for known in self._people:
            known_parts = known.split()
            if len(known_parts) != len(parts) or known == name:
                continue
            pairs = zip(parts, known_parts, strict=True)
            if all(p == (k := fold(kp)) or inflected(p, k, self.endings) for p, kp in pairs):
                if found is not None:
                    return None  # two people fit: the case endings cannot choose
                found = known
        return found

    def run_on_match(self, written: str) -> str | None:
        """The one registered person the first words of a run-on name are, in any case.

        'Sikorskiego Polska' (a cue's genitive, then the clause's subject) → 'Radosław
        Sikorski': the words match the end of a full name, as written or inflected; None when
        nobody or several people fit.
        """
        words = [fold(w) for w in written.split()]
        people = [(p, [fold(w) for w in p.split()]) for p in self._people if p != written]
        for n in range(len(words) - 1, 0, -1):
            prefix = words[:n]
            found = [
                person
                for person, parts in people
                if len(parts) >= n
                and all(
                    w == k or inflected(w, k, self.endings)
                    for w, k in zip(prefix, parts[-n:], strict=True)
                )
            ]
            if len(found) == 1:
                return found[0]
        return None

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

    def named_next(self, pos: int, reach: int) -> str | None:
        """The person first named within `reach` characters after pos, with no title of their
        own ('Hungary's foreign minister … told …' then 'Péter Szijjártó has used …'), or None."""
        after = [
            (p.positions[0], p.name)
            for p in self._people.values()
            if p.positions and pos < p.positions[0] <= pos + reach and not p.titles
        ]
        return min(after)[1] if after else None

    def first_mention(self, name: str) -> int:
        """Where a registered person is first named (-1 if unknown or never placed)."""
        person = self._people.get(name)
        return person.positions[0] if person is not None and person.positions else -1

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
        compatriot: tuple[int, str] | None = None  # named with the role's nationality only
        for person in list(self._people.values())[-200:]:
            if not person.titles:
                continue
            if head not in GENERIC_ROLES and not wanted <= person.titles:
                if nations & person.titles:
                    seen = (self._recency(person.name, pos), person.name)
                    compatriot = max(compatriot or seen, seen)
                continue
            if nations and person.titles & NATIONALITIES and not nations & person.titles:
                continue
            score = len(words & person.titles)
            rank = (score, self._recency(person.name, pos), person.name)
            if best is None or rank[:2] > best[:2]:
                best = rank
        if best is None and compatriot is not None:
            return compatriot[1]  # 'Litewski minister' after 'Minister … Litwy Kęstutis Budrys'
        return best[2] if best else None


def _full(name: str) -> bool:
    """True for a full name: more than a surname, which may hold particles ('Von der Leyen')."""
    words = name.split()
    return len(words) > 1 and fold(words[0]) not in PARTICLES


def _same_stem(word: str, known: str, endings: frozenset[str]) -> bool:
    """True if two folded words are one stem with case endings (or none): 'умєрова', 'умєров'."""
    n = 0
    limit = min(len(word), len(known))
    while n < limit and word[n] == known[n]:
        n += 1
    if n < 3:
        return False
    a, b = word[n:], known[n:]
    return (not a or a in endings) and (not b or b in endings)


def inflected(word: str, known: str, endings: frozenset[str] = NAME_CASE_ENDINGS) -> bool:
    """True if folded surname `word` is `known` in another grammatical case ('dudy' → 'duda').

    Each hyphenated part may carry its own ending ('kosiniaka-kamysza'); endings are the
    lexicon's `name_case_endings` (by default of every language; the registry passes those of
    the article's languages), so languages without them never match.
    """
    if word == known:
        return False
    parts, known_parts = word.split("-"), known.split("-")
    if len(parts) != len(known_parts):
        return False
    return all(p == k or _same_stem(p, k, endings) for p, k in zip(parts, known_parts, strict=True))


def build_registry(
    toks: list[Word],
    mention_of: Callable[[int, int], Mention | None],
    para_starts: Sequence[int] = (),
    profiles: Sequence[LanguageProfile] = (),
) -> NameRegistry:
    """Collect the people an article names, with titles from prefixes and appositions.

    `para_starts` are the token indices where paragraphs begin (ascending): a name never runs
    across one, so a headline ending 'Moscow' and a body opening 'Rutte said' stay two names.
    `profiles` are the article's languages: a name after an 'according to' cue is in the
    genitive, registered under the full name it inflects or else under its nominative.
    """
    found: list[tuple[Mention, frozenset[str]]] = []
    cued: list[tuple[Mention, frozenset[str]]] = []
    ends = cue_ends(toks) if profiles and any(p.genitive for p in profiles) else frozenset()
    nouns: dict[str, int] = {}  # where nouns are capitalised: how often each capital is printed
    if any(p.capitalised_nouns for p in profiles):
        for tok in toks:
            if tok.cap:
                nouns[tok.text] = nouns.get(tok.text, 0) + 1
    total = len(toks)
    bound = 0  # index into para_starts of the first paragraph start after i
    role_end = -1
    role_words: frozenset[str] = frozenset()
    j = 0
    for i in compress(count(), map(_CAP, toks)):  # capitalised tokens, in order
        if i < j:
            continue  # inside the previous noun phrase
        tok = toks[i]
        if not tok.word:
            continue
        while bound < len(para_starts) and para_starts[bound] <= i:
            bound += 1
        n = para_starts[bound] if bound < len(para_starts) else total
        j = noun_phrase_end(toks, i, n)
        if j <= i:
            continue
        if (
            nouns
            and j - i >= 3
            and nouns.get(toks[j - 1].text) == 1
            and nouns.get(toks[j - 2].text, 0) > 1
        ):
            j -= 1  # 'Armin Papperger Alarm!': a noun printed once after a recurring surname
        if j == i + 1 and not (tok.lex and j < n and toks[j].text == ","):
            continue
        mention = mention_of(i, j)
        if mention is not None and mention.name.count(" ") >= 2 and i > 0:
            # 'ministre des Armées Sébastien Lecornu': read with its role, the office's
            # capitalised genitive falls out of the name
            s = noun_phrase_start(toks, j - 1, para_starts[bound - 1] if bound else 0)
            with_role = mention_of(s, j) if s < i else None
            if with_role is not None and with_role.kind == "person":
                mention = with_role
        if (
            mention is not None
            and mention.name.count(" ") >= 2
            and toks[i - 1].low in BODY_LOCATIVES
            and not toks[i - 1].cap
        ):  # 'в Брюсселе Марк Рютте': the place in the locative, then the name
            rest = mention_of(i + 1, j)
            mention = rest if rest is not None and rest.kind == "person" else mention
        if mention is not None and mention.kind in ("person", "name"):
            extra: frozenset[str] = frozenset()
            if role_end == i - 1 and toks[i - 1].text == ",":
                extra = role_words
            k = i  # 'wiceminister Cezary Tomczyk', 'minister obrony Dovilė Šakalienė'
            while k > 0 and i - k < 3 and toks[k - 1].word and not toks[k - 1].cap:
                k -= 1
                if is_title(toks[k].bare):
                    extra = extra | {toks[k].bare}
            if j + 1 < n and toks[j].text == ",":
                k = noun_phrase_end(toks, j + 1, n)
                if k > j + 1 and (k >= n or toks[k].text in ",.;)"):
                    role = mention_of(j + 1, k)
                    if role is not None and role.kind in ("role", "anon"):
                        extra = extra | role.words
            if mention.kind == "person" or extra:
                floor = para_starts[bound - 1] if bound else 0
                after_cue = ends and cued_at(toks, i, floor, ends)
                (cued if after_cue else found).append((mention, extra))
        elif mention is not None and mention.kind == "role":
            role_end, role_words = j, mention.words
    endings = frozenset().union(*(p.case_endings for p in profiles)) if profiles else None
    reg = NameRegistry() if endings is None else NameRegistry(endings, profiles)
    found.sort(key=lambda item: len(item[0].name.split()) < 2)
    for mention, extra in found:
        reg.add(mention, extra)
    for mention, extra in cued:
        name = cued_name(mention.name, profiles)
        name = reg.inflected_match(name) or reg.run_on_match(name) or nominative(name, profiles)
        reg.add(mention._replace(name=name), extra)
    return reg
