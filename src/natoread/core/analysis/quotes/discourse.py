"""Who is salient in one article so far: turns 'he', 'the minister', 'Stubb' into speakers."""

from __future__ import annotations

from natoread.core.analysis.quotes.languages import (
    SPOKESPERSON_WORDS,
    gender_by_ending,
    grammar_words,
)
from natoread.core.analysis.quotes.mentions import Mention
from natoread.core.analysis.quotes.registry import NameRegistry
from natoread.core.analysis.quotes.tokens import fold
from natoread.core.analysis.quotes.words import (
    ANON_HEADS,
    BODY_NAMES,
    CAP_STOP,
    COUNTRY_ADJ,
    DEFINITE,
    FEMININE_PRONOUNS,
    MASCULINE_PRONOUNS,
    NON_SPEAKERS,
    ORG_ALIASES,
    ORG_HEADS,
    ORG_NAMES,
    PLACE_WORDS,
    PRONOUNS,
    QUANTIFIERS,
    strip_elided,
)

__all__ = ["Discourse"]


def spoken_for(mention: Mention) -> str | None:
    """The named body an unnamed spokesperson speaks for, or None (see `spoken_for_name`)."""
    return spoken_for_name(mention.name)


def spoken_for_name(name: str) -> str | None:
    """The named body an unnamed spokesperson speaks for, or None.

    'A NATO spokesperson' → 'NATO', 'a Ministry of Defence spokesperson' → 'Ministry of
    Defence', 'eine Sprecherin des Auswärtigen Amts' → 'Auswärtigen Amts', 'rzecznik MSZ' →
    'MSZ': a run of capitalised words beside the spokesperson word that names a body (a body
    word, an acronym, a body the lexicon knows); a person's spokesperson ('a Biden
    spokesperson') or 'the ministry spokesperson' names none.
    """
    words = name.split()
    if not any(fold(w) in SPOKESPERSON_WORDS for w in words):
        return None
    runs: list[list[str]] = [[]]
    for k, word in enumerate(words):
        low = fold(word)
        inner = low in _INNER and runs[-1] and k + 1 < len(words) and words[k + 1][0].isupper()
        if low not in SPOKESPERSON_WORDS and (
            inner
            or (low not in CAP_STOP and (word[0].isupper() or low in ORG_HEADS))
            or (runs[-1] and word.rsplit("'", 1)[-1][:1].isupper())  # "Quai d'Orsay"
        ):
            runs[-1].append(word)
        elif runs[-1]:
            runs.append([])
    named = [run for run in runs if run and _names_body(run)]
    if not named:
        return None
    longest: list[str] = max(named, key=len)
    return " ".join(longest)


_INNER = grammar_words("body_connectors")  # 'Ministry of Defence', 'Ministère des Armées'


def _names_body(run: list[str]) -> bool:
    """True if capitalised words name a body: a body word, an acronym or a known body name."""
    if not any(w[0].isupper() for w in run):
        return False
    folded = [fold(w) for w in run]
    if " ".join(map(strip_elided, folded)) in BODY_NAMES:  # "Quai d'Orsay" is 'quai orsay'
        return True
    return any(f in ORG_HEADS or f in ORG_NAMES or (w.isupper() and len(w) > 1)
               for f, w in zip(folded, run, strict=True))  # fmt: skip


def _strip_definite(text: str) -> str:
    """'the official' → 'official'; other descriptions unchanged."""
    first, _, rest = text.partition(" ")
    return rest if rest and first.lower() in DEFINITE else text


_COUNTRY_WORDS = frozenset(COUNTRY_ADJ.values())
_NAMED_NEXT = 300  # characters after a country's role in which its untitled holder is named
_LATER = 200  # characters after a role beyond which a person is 'named only later'
_PERSON_KINDS = frozenset(("pronoun", "person", "role"))
_OPENING = frozenset('.!?…:"”»“„«')  # marks after which a capital opens a sentence


def _mid_sentence(text: str, name: str) -> bool:
    """True if some occurrence of `name` follows a word or a comma on the same line."""
    pos = text.find(name)
    while pos >= 0:
        end = pos + len(name)
        k = pos
        while k > 0 and text[k - 1] == " ":
            k -= 1
        whole = end >= len(text) or not text[end].isalnum()
        if whole and k < pos and text[k - 1] not in _OPENING and text[k - 1] != "\n":
            return True
        pos = text.find(name, end)
    return False


_NOT_PEOPLE = (
    frozenset(COUNTRY_ADJ) | PLACE_WORDS | ORG_NAMES | NON_SPEAKERS | CAP_STOP | ANON_HEADS
)
# a pronoun never refers to a person known to have the other gender
_AVOID_GENDER = {
    **{pronoun: "m" for pronoun in FEMININE_PRONOUNS},
    **{pronoun: "f" for pronoun in MASCULINE_PRONOUNS},
}
_PLURAL_PRONOUNS = PRONOUNS - FEMININE_PRONOUNS - MASCULINE_PRONOUNS  # they, ils, elles
# a pronoun of each gender, to resolve a gendered role as that pronoun would be
_GENDERED = {"f": min(FEMININE_PRONOUNS), "m": min(MASCULINE_PRONOUNS)}


class Discourse:
    """Who is salient in one article so far; turns 'he', 'the minister', 'Stubb' into speakers."""

    def __init__(self, registry: NameRegistry, lone_names: bool = True, text: str = "") -> None:
        self.registry = registry
        self.lone_names = lone_names  # False where nouns are capitalised (German)
        self.text = text  # the masked article, to see where a name is printed
        self._mid: dict[str, bool] = {}
        self.people: list[str] = []  # salient persons, most recent last
        self.orgs: dict[str, str] = {}  # head noun → organisation last named with it
        self.anon: dict[str, str] = {}  # head noun → anonymous source last described with it
        self.last_org: str | None = None  # the organisation named last
        self.last_anon: str | None = None
        # descriptions of unnamed sources ('an EU diplomat'): they claim a quote, so that it
        # goes to no one else, but a speaker must be a name or a body, so none is shown
        self.anonymous: set[str] = set()
        self.any_subject: str | None = None
        self.para_subject: str | None = None  # the current paragraph's latest person subject
        self.unit_start = 0  # where the current live-blog entry begins (0: the whole article)

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
        if kind == "anon" or name in self.anonymous:  # 'Die Soldaten': unnamed, as 'an aide'
            return
        if named or kind in _PERSON_KINDS or self.registry.is_person(name):
            people = self.people  # the salient persons, most recent last
            if name in people:
                people.remove(name)
            people.append(name)
            del people[:-12]

    @staticmethod
    def can_speak(mention: Mention) -> bool:
        """False for a law, a treaty, an event or a topic ('the Defence Act', 'Brexit')."""
        if mention.kind not in ("person", "name", "org"):
            return True
        return fold(mention.name.rsplit(None, 1)[-1]) not in NON_SPEAKERS

    def note_subject(self, mention: Mention | None, name: str | None) -> None:
        """Note a sentence's subject; one that names a person is the paragraph's subject.

        A lone name in subject position ('Kristersson, speaking after talks with Orbán, was
        upbeat.') counts unless it is a place, a body or a thing the lexicon knows, or the
        language capitalises nouns ('Sein Gesetzentwurf sei …'); a registered person always.
        """
        self.note(mention, name)
        if mention is None or name is None:
            return
        kind = mention.kind
        if name in self.anonymous:
            return
        if kind in _PERSON_KINDS or self.registry.is_person(name):
            self.para_subject = name
        elif kind == "name" and self.lone_names:
            low = fold(name)
            known = low not in _NOT_PEOPLE and self.mid_sentence(name)
            self.para_subject = name if known else None

    def new_unit(self, pos: int) -> None:
        """A new discourse unit begins at pos (a live-blog entry): nobody is salient yet."""
        self.people.clear()
        self.any_subject = self.para_subject = self.last_anon = None
        self.unit_start = pos

    def mid_sentence(self, name: str) -> bool:
        """True if the article prints `name` after a word or a comma, not opening a sentence.

        'Allies promised …' opens a sentence; a surname also turns up mid-sentence.
        """
        seen = self._mid.get(name)
        if seen is None:
            seen = self._mid[name] = _mid_sentence(self.text, name)
        return seen

    def resolve(self, mention: Mention) -> str | None:
        """The normalised speaker a mention refers to."""
        kind = mention.kind
        if kind == "pronoun":
            return self.pronoun(mention.head, mention.start)
        if kind in ("person", "name"):
            return self.registry.canonical(mention.name, mention.start)
        if kind in ("anon", "role", "org"):
            body = spoken_for(mention)
            if body is None and mention.definite and mention.head in SPOKESPERSON_WORDS:
                earlier = self.anon.get(mention.head)  # 'the spokesperson said' after 'A NATO
                body = spoken_for_name(earlier) if earlier else None  # spokesperson said …'
            if body is not None:  # 'a NATO spokesperson': the body speaks
                if not mention.definite:
                    self.anon[mention.head] = mention.name
                # the body is the one a bare 'в ведомстве' later means
                self.last_org = ORG_ALIASES.get(fold(body), body)
                return self.last_org
        if kind == "org":
            if mention.proper:
                self.orgs[mention.head] = self.last_org = mention.name
                return mention.name
            described = _strip_definite(mention.name)
            if " " in described:  # 'the defence ministry said': the body later 'the ministry'
                self.orgs[mention.head] = self.last_org = described
                return described
            known = self.orgs.get(mention.head) or ORG_ALIASES.get(mention.head)
            if known is None:
                known = self.last_org  # 'заявили в ведомстве', 'przekazał resort': the last body
            return known or mention.name
        if kind == "anon":
            if not mention.definite:
                self.anon[mention.head] = mention.name
                self.last_anon = mention.name
                return self._unnamed(mention.name)
            return self._unnamed(self.anon.get(mention.head, mention.name))
        if kind == "ellipsis":
            return self._unnamed(self._ellipsis(mention.head))
        described = _strip_definite(mention.name)
        if mention.head in ANON_HEADS:
            return self._unnamed(self.anon.get(mention.head, described))
        found = self.registry.by_role(mention, mention.start)
        # 'l'ancienne Première ministre', 'die Sprecherin': a role's title may tell a gender
        said = (fold(word) for word in mention.name.split())
        gender = next(filter(None, (gender_by_ending(word, "title") for word in said)), None)
        if (
            found is not None
            and gender is not None
            and self.registry.gender(found)
            not in (
                None,
                gender,
            )
        ):
            found = None
        if found is None and gender is not None:
            found = self.pronoun(_GENDERED[gender])
        if found is not None and self.registry.first_mention(found) > mention.end + _LATER:
            # 'The furious leader said' after 'Kristen Michal, 50, raged': whoever is salient
            # now, before someone the article names only later ('Defence Secretary John Healey')
            found = self.pronoun("") or found
        if found is None and "s " in mention.name and mention.words & _COUNTRY_WORDS:
            # "Hungary's foreign minister" named right after, else no such person in the article
            return self.registry.named_next(mention.end, _NAMED_NEXT) or described
        return found or self.pronoun("") or self._in_unit(self.registry.nearest(mention.start))

    def _unnamed(self, description: str | None) -> str | None:
        """Remember a description of an unnamed source (shown as no speaker) and return it."""
        if description is not None:
            self.anonymous.add(description)
        return description

    def _ellipsis(self, word: str) -> str | None:
        """'One' / 'Another' after 'Western diplomats …' → 'one Western diplomat'."""
        if self.last_anon is None:
            return None
        words = self.last_anon.split()
        if len(words) > 1 and (words[0].lower() in QUANTIFIERS or words[0][0].isdigit()):
            words = words[1:]
        if words[-1].endswith("s") and words[-1].lower() in ANON_HEADS:
            words[-1] = words[-1][:-1]
        return f"{word} {' '.join(words)}"

    def pronoun(self, low: str, pos: int = -1) -> str | None:
        """The salient person a pronoun most likely refers to (skipping known gender clashes)."""
        if low in _PLURAL_PRONOUNS:
            return self.any_subject
        avoid = _AVOID_GENDER.get(low)
        subject = self.para_subject  # the paragraph's subject before the last name mentioned
        if subject is not None and (avoid is None or self.registry.gender(subject) != avoid):
            return subject
        if avoid is not None:  # 'она': a woman the article names before one of unknown gender
            wanted = "f" if avoid == "m" else "m"
            for name in reversed(self.people[-8:]):
                if self.registry.gender(name) == wanted:
                    return name
        for name in reversed(self.people[-8:]):
            if avoid is None or self.registry.gender(name) != avoid:
                return name
        if pos < 0:
            return None
        last = self._in_unit(self.registry.last_mentioned(pos))
        if avoid is not None and last is not None and self.registry.gender(last) == avoid:
            return None  # 'каже він' after 'Кореспондентка Анна …': not her
        return last

    def _in_unit(self, name: str | None) -> str | None:
        """None for the person named last before the current live-blog entry began."""
        if self.unit_start and name == self.registry.last_mentioned(self.unit_start):
            return None  # named only in an earlier entry: the entry speaks of someone else
        return name
