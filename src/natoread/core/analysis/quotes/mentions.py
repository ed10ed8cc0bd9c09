"""What a speaker noun phrase names: a person, a bare name, an organisation, a role, an
anonymous source, a pronoun or an ellipsis ('one', 'another'), as a `Mention`."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, NamedTuple

from natoread.core.analysis.quotes.languages import PROFILES, gender_by_ending
from natoread.core.analysis.quotes.tokens import Word, fold, is_place, is_title
from natoread.core.analysis.quotes.words import (
    ANON_HEADS,
    BODY_LOCATIVES,
    BODY_NAMES,
    CAP_STOP,
    CONNECTORS,
    COUNTRY_ADJ,
    DEFINITE,
    DETERMINERS,
    ELIDED_ARTICLES,
    ELLIPSIS_PRONOUNS,
    FEMALE_HONORIFICS,
    FEMALE_NAMES,
    LOCATIVES,
    MALE_HONORIFICS,
    MALE_NAMES,
    NATIONAL_BODIES,
    NATIONALITIES,
    NON_SPEAKERS,
    ORG_ALIASES,
    ORG_HEADS,
    ORG_NAMES,
    ORG_STATUS,
    OUTLET_CUES,
    PARTICLES,
    PATRONYMIC_ENDINGS,
    PLACE_WORDS,
    PREPOSITIONS,
    PRONOUNS,
    TITLES,
)

__all__ = ["MENTIONS", "Mention", "MentionMemo", "classify", "name_run"]

_DESCRIBED = ANON_HEADS | ORG_HEADS


class Mention(NamedTuple):
    """A parsed speaker noun phrase: who or what it names and where it sits."""

    kind: str  # pronoun | person | name | org | anon | role | ellipsis
    name: str
    head: str
    start: int
    end: int
    words: frozenset[str] = frozenset()
    definite: bool = False
    proper: bool = False
    gender: str | None = None


def _name_before(body: Sequence[Word], j: int) -> bool:
    """True if a name ends at body[j] past particles ('Ursula von der Leyen' at 'von'), or the
    phrase opens with two particles, the first capitalised ('Von der Leyen', 'Van der Bellen')."""
    while j > 0 and body[j].low in PARTICLES:
        j -= 1
    return body[j].name or (j == 0 and body[0].cap and body[1].low in PARTICLES)


def name_run(body: Sequence[Word]) -> int:
    """How many trailing tokens of a noun phrase form a personal name."""
    n = len(body)
    k = n
    while k > 0:
        tok = body[k - 1]
        name_part = tok.name and (k == n or not tok.poss)
        particle = tok.low in PARTICLES and k < n and k >= 2 and _name_before(body, k - 2)
        if name_part or particle:
            k -= 1
        elif k == n and n >= 2 and tok.cap and body[n - 2].name and tok.bare in TITLES:
            k -= 1  # a surname that is also a title word: Claudia Major
        else:
            break
    if k < n - 2 and body[k].cap and body[k].low in PARTICLES and body[k + 1].low in PARTICLES:
        return n - k  # 'Von der Leyen' opening a sentence
    while k < n and body[k].low in PARTICLES:
        k += 1
    return n - k


def _personal_tail(names: Sequence[Word]) -> Sequence[Word]:
    """The personal name ending a run of capitalised words after a lowercase role ('ministre
    des Armées Sébastien Lecornu', 'szef Biura …'): the genitive of the office is no part of it.

    From the first known given name if any; else the last two names, not counting particles
    (von der), initials (J.) or patronymics (Викторович).
    """
    for k, tok in enumerate(names[:-1]):
        if _given_name(tok):
            return names[k:]
    counted = 0
    for k in range(len(names) - 1, -1, -1):
        tok = names[k]
        low = tok.bare
        if low in PARTICLES or len(low) == 1 or low.endswith(PATRONYMIC_ENDINGS):
            continue
        counted += 1
        if counted == 2:
            return names[k:]
    return names


# every language's rules for names in the genitive and other cases, longest ending first
_CASE_RULES = sorted(
    (rule for profile in PROFILES.values() for rule in (*profile.genitive, *profile.oblique)),
    key=lambda rule: -len(rule.genitive),
)


def _given_gender(low: str, lower: str = "") -> str | None:
    """'m' or 'f' for a known given name, also in a case the data files' rules undo.

    'karola' (a::m → karol), 'anny' (y:a → anna), 'сергея' (ея:ей), 'ольгой' (ой:а, compared
    as written: lower is the word lowercased, not folded); an ending no rule has ('alexandru')
    tells nothing.
    """
    if low in MALE_NAMES:
        return "m"
    if low in FEMALE_NAMES:
        return "f"
    for rule in _CASE_RULES:
        word = lower if rule.written else low
        if word and len(word) > len(rule.genitive) + 2 and word.endswith(rule.genitive):
            nominative = fold(word[: len(word) - len(rule.genitive)] + rule.nominative)
            if nominative in MALE_NAMES and rule.gender != "f":
                return "m"
            if nominative in FEMALE_NAMES and rule.gender != "m":
                return "f"
    return None


def _given_name(tok: Word) -> bool:
    """True for a known given name, also in another case."""
    return _given_gender(tok.bare, tok.text.lower()) is not None


def _gender_of(first: Word | None, titles: frozenset[str], last: str = "") -> str | None:
    """Guess a gender from honorifics, a first name, a title or a surname ending, or None."""
    if titles & MALE_HONORIFICS:
        return "m"
    if titles & FEMALE_HONORIFICS:
        return "f"
    given = _given_gender(first.bare, first.text.lower()) if first is not None else None
    if given is not None:
        return given
    for title in titles:  # 'Sicherheitsexpertin', 'речниця', 'spokeswoman'
        gender = gender_by_ending(title, "title")
        if gender is not None:
            return gender
    return gender_by_ending(last, "surname") if last else None  # 'Zacharowa', 'Šakalienė'


def _title_words(toks: Sequence[Word]) -> frozenset[str]:
    """Folded role words of the title part of a noun phrase, countries as adjectives."""
    out: set[str] = set()
    for tok in toks:
        low = tok.bare
        if low in COUNTRY_ADJ:
            out.add(COUNTRY_ADJ[low])
        elif tok.lex or tok.acro:
            out.update(low.split("-") if "-" in low else (low,))
    return frozenset(out)


_MISSING: Any = object()
_new_mention = tuple.__new__  # builds a Mention without the keyword handling of Mention()


class MentionMemo:
    """Classified noun phrases by the text they cover, offsets relative to its start (bounded).

    Names and roles recur within and across articles, and the result depends only on the text.
    """

    __slots__ = ("by_text", "limit")

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.by_text: dict[str, Mention | None] = {}

    def clear(self) -> None:
        """Forget every phrase."""
        self.by_text.clear()


MENTIONS = MentionMemo(limit=50_000)


_OPENING_MARKS = frozenset('«„“"‚‘')
_PLACE_PREPOSITIONS = BODY_LOCATIVES | LOCATIVES


def _outlet_or_place(toks: Sequence[Word], i: int, j: int) -> bool:
    """True if tokens i..j-1 name an outlet ('told Reuters', 'у коментарі Радіо Свобода',
    'dla «Rzeczpospolitej»') or, one capitalised word after a locative preposition, a place
    ('в Стамбуле', 'in Vilnius'); neither ever speaks. A body the lexicon knows in the
    locative ('в Кремле') or an acronym ('w MSZ') is neither."""
    k = i - 1
    if toks[k].text in _OPENING_MARKS and k > 0:
        k -= 1
    low = toks[k].low
    cues = OUTLET_CUES.get(low)
    place = j == i + 1 and k == i - 1 and low in _PLACE_PREPOSITIONS
    if cues is None and not place:
        return False  # the common case: no cue, no preposition before the phrase
    if any(toks[m].lex for m in range(i, j)):
        return False  # 'у коментарі Радіо Свобода політологиня Марія Золкіна': a role, a name
    for cue in cues or ():
        n = len(cue)
        if k + 1 >= n and all(toks[k - m].low == cue[n - 1 - m] for m in range(1, n)):
            return True
    if not place or toks[k].cap:
        return False
    tok = toks[i]
    if not tok.cap or tok.acro or tok.low in ORG_ALIASES or tok.bare in ORG_NAMES:
        return False
    return tok.bare not in ORG_HEADS


def _country_before_proper_body(toks: Sequence[Word], kept: Sequence[int]) -> bool:
    """True if the body's words open with a country's possessive before its proper name
    ("Britain's Foreign Office", "Britain's Ministry of Defence"): the name needs no country.
    A lowercase body keeps it ("Ukraine's foreign ministry": the country tells whose)."""
    if len(kept) < 2 or not toks[kept[0]].poss or not toks[kept[-1]].cap:
        return False
    if not all(toks[k].cap or toks[k].low in PREPOSITIONS for k in kept[1:]):
        return False
    if any(toks[k].acro or toks[k].bare in NATIONAL_BODIES for k in kept[1:]):
        return False  # "Ukraine's MFA", "Russia's Defence Ministry": the country tells which
    return is_place(toks[kept[0]].bare)


def classify(
    toks: Sequence[Word], starts: Sequence[int], source: str, i: int = 0, j: int = -1
) -> Mention | None:
    """Classify tokens i..j-1 of a noun phrase (starts: their offsets in source) as a mention."""
    if j < 0:
        j = len(toks)
    if j <= i or (i > 0 and _outlet_or_place(toks, i, j)):
        return None
    base = starts[i]
    key = source[base : starts[j - 1] + len(toks[j - 1].text)]
    memo = MENTIONS.by_text
    known = memo.get(key, _MISSING)
    if known is _MISSING:
        mention = _classify(toks[i:j], starts[i:j], source)
        if len(memo) > MENTIONS.limit:
            memo.clear()
        if mention is None:
            memo[key] = None
        else:
            kind, name, head, start, end, words, definite, proper, gender = mention
            memo[key] = _new_mention(
                Mention,
                (kind, name, head, start - base, end - base, words, definite, proper, gender),
            )
        return mention
    if known is None:
        return None
    kind, name, head, start, end, words, definite, proper, gender = known
    return _new_mention(
        Mention, (kind, name, head, start + base, end + base, words, definite, proper, gender)
    )


def _classify(all_toks: Sequence[Word], all_starts: Sequence[int], source: str) -> Mention | None:
    """Classify the word tokens of a noun phrase as a speaker mention, or None."""
    keep = [k for k, t in enumerate(all_toks) if t.word]
    if not keep:
        return None
    toks = [all_toks[k] for k in keep]
    pos = [all_starts[k] for k in keep]
    ends = [p + len(t.text) for p, t in zip(pos, toks, strict=True)]

    def span_text(a: int, b: int) -> str:
        """The source text from word a to word b (inclusive), with whitespace collapsed."""
        return " ".join(source[pos[a] : ends[b]].split())

    if len(toks) == 1 and toks[0].low in ELLIPSIS_PRONOUNS:
        t = toks[0]
        return Mention("ellipsis", t.low, t.low, pos[0], ends[0])
    i = 0
    definite = False
    while i < len(toks) - 1 and toks[i].low in DETERMINERS:
        definite = toks[i].low in DEFINITE
        i += 1
    body = toks[i:]
    first = body[0]
    start, end = pos[0], ends[-1]
    last = len(toks) - 1
    if len(body) == 1 and first.low in PRONOUNS:
        return Mention("pronoun", first.text, first.low, pos[i], ends[i])
    if first.cap and 1 < len(body) <= 4 and " ".join(t.bare for t in body) in BODY_NAMES:
        text = span_text(i, last)  # "le Quai d'Orsay": a body, though its words look like a name
        return Mention("org", text, fold(text), start, end, frozenset(), definite, True)
    if first.cap and first.bare in ORG_HEADS and 1 < len(body) <= 5 and all(t.cap for t in body):
        text = span_text(i, last)  # 'Ministerstwo Spraw Zagranicznych': a body in the genitive
        return Mention("org", text, first.bare, start, end, frozenset(), definite, True)
    described = any(
        body[k].low in PREPOSITIONS and body[k - 1].bare in _DESCRIBED for k in range(1, len(body))
    )
    run = 0 if described else name_run(body)
    lead = body[: len(body) - run]
    names = list(body[len(body) - run :])
    if names and lead and lead[-1].low in CONNECTORS and (len(lead) > 1 or not lead[0].cap):
        names = names[len(names) - 2 :] if len(names) >= 3 else []
        lead = body[: len(body) - len(names)]
    elif len(names) >= 3 and any(
        is_title(t.bare) and (not t.cap or k == 0) for k, t in enumerate(lead)
    ):  # a role word, lowercase or opening the phrase ('Szef Biura … Marcin Przydacz')
        names = list(_personal_tail(names))  # 'szef Biura Polityki … Marcin Przydacz'
        lead = body[: len(body) - len(names)]
    if (
        names
        and lead[-1:]
        and lead[-1].bare in PLACE_WORDS
        and any(t.bare in ANON_HEADS for t in lead)
    ):  # 'співрозмовник Радіо Свобода': an unnamed source of an outlet, no one named
        names = []
        lead = body
    dropped = 0  # 'Anny Fotygi Polska nie może': the clause's subject, a country, ran on
    while len(names) - dropped >= 3 and is_place(names[len(names) - dropped - 1].low):
        dropped += 1
    if dropped:
        names = names[: len(names) - dropped]
        end = ends[len(toks) - 1 - dropped]
        last = len(toks) - 1 - dropped
    if names and is_place(names[0].low):  # 'Litwy Kęstutis Budrys': the country falls out
        while len(names) > 2 and is_place(names[0].low):
            names = names[1:]
        if is_place(names[0].low):
            return None  # 'Bucarest', 'Europy Północnej': a place never speaks
        lead = body[: len(body) - len(names)]
    if len(names) >= 3 and not _given_name(names[0]):
        at = next((k for k in range(1, len(names) - 1) if _given_name(names[k])), 0)
        if at:  # 'Кореспондентка Анна Коваленко': an unknown role word opens the sentence
            names = names[at:]
            lead = body[: len(body) - len(names)]
    proper = any(t.cap for t in body)
    if names and names[-1].bare in NON_SPEAKERS:
        return None  # 'the Defence Act', 'Brexit': a thing, never a speaker
    if names:
        text = " ".join(t.text for t in names)
        if text.endswith(("'s", "’s")):
            text = text[:-2]
        titles = _title_words(lead)
        kind = "person" if len(names) >= 2 or titles - NATIONALITIES else "name"
        given = names[0] if len(names) >= 2 else None
        gender = _gender_of(given, titles, names[-1].bare)
        return Mention(kind, text, fold(text.split()[-1]), start, end, titles,
                       definite, True, gender)  # fmt: skip
    core = body
    for idx in range(1, len(body)):
        if body[idx].low in PREPOSITIONS and body[idx - 1].lex:
            core = body[:idx]  # a spokesperson for Fidesz, Russia's embassy in Riga
            break
    if len(core) > 1 and core[-1].bare in NATIONALITIES and core[-2].bare in ORG_HEADS:
        core = core[:-1]  # 'le gouvernement hongrois': the body, its country after it
    head = core[-1].bare
    if core[-1].poss:
        return None
    headed = (  # 'szef MSZ', a sentence's 'Szef BBN': a role word over an acronym
        len(core) == 2 and core[1].acro and (i == 0 or not core[0].cap) and is_title(core[0].bare)
    )
    if headed and core[0].bare not in NATIONALITIES and core[0].bare not in ORG_HEADS:
        head = core[0].bare  # 'szef MSZ', 'глава МИД': a role over a body, not the body
    elif core is not body and head in ORG_HEADS and body[-1].bare in ANON_HEADS:
        text = span_text(0, last)  # 'a bipartisan group of senators': unnamed people
        return Mention("anon", text, body[-1].bare, start, end, frozenset(), definite, proper)
    elif head in ORG_HEADS or head in ORG_NAMES or core[-1].acro:
        # 'the Russian embassy in Oslo' is the embassy: a place complement is no part of it
        stop = (
            i + len(core)
            if len(core) < len(body) and body[len(core)].low in LOCATIVES
            else len(toks)
        )
        kept = [k for k in range(i, stop) if toks[k].low not in ORG_STATUS]
        if _country_before_proper_body(toks, kept):
            kept = kept[1:]
        text = span_text(kept[0], kept[-1]) if kept else span_text(i, last)
        if text[:2].lower() in ELIDED_ARTICLES and text[2:3].isupper():
            text = text[2:]  # "l'Élysée" is shown as 'Élysée', as 'the Kremlin' is 'Kremlin'
        return Mention("org", text, head, start, end, _title_words(core), definite, proper)
    lex_heads = [t for t in core if t.lex and (t.bare in ANON_HEADS or is_title(t.bare))]
    if not lex_heads:
        if first.cap and len(body) <= 3 and all(t.cap and t.bare not in CAP_STOP for t in body):
            return Mention("name", span_text(i, last), fold(body[-1].text), start, end)
        return None
    head = lex_heads[-1].bare
    text = span_text(0, last)
    if i == 0 and toks[0].cap and toks[0].bare in ANON_HEADS | TITLES:
        text = text[0].lower() + text[1:]
    elif i > 0:
        text = toks[0].low + text[len(toks[0].text) :]
    titles = _title_words(core)
    definite = definite or body[0].poss
    if head in ANON_HEADS and (not definite or head.endswith("s")):
        return Mention("anon", text, head, start, end, titles, definite, proper)
    if not definite and i > 0 and not body[0].poss:
        return Mention("anon", text, head, start, end, titles, definite, proper)
    return Mention("role", text, head, start, end, titles, True, proper)
