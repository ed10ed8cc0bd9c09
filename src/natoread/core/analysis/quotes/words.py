"""The word classes of the speaker grammar, loaded once from the data files in `lexicon/`.

Each `lexicon/*.toml` file (one per language, plus given names) adds words to named classes;
a class here is the union over every file, so adding a language means adding a file. Words
are folded (lowercase, no diacritics) as `tokens.fold` folds the text they are compared with.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterator
from functools import cache
from importlib.resources import files
from importlib.resources.abc import Traversable
from typing import Any

__all__ = [
    "ABBREVIATIONS",
    "ACCORDING_CUES",
    "ADVERBS",
    "ANON_HEADS",
    "AS_OBJECTS",
    "AUXILIARIES",
    "BODY_ABBREVIATION_KEYS",
    "BODY_KEYS",
    "BODY_LOCATIVES",
    "BODY_NAMES",
    "CAP_STOP",
    "CONJUNCTIONS",
    "CONNECTORS",
    "COUNTRY_ADJ",
    "DEFINITE",
    "DETERMINERS",
    "ELIDED_ARTICLES",
    "ELLIPSIS_PRONOUNS",
    "FEMALE_HONORIFICS",
    "FEMALE_NAMES",
    "FEMININE_PRONOUNS",
    "FEMININE_VERB_ENDINGS",
    "FUNCTION_WORDS",
    "GENERIC_ROLES",
    "INVERTED",
    "KONJUNKTIV",
    "LEADING",
    "LOCATIVES",
    "MALE_HONORIFICS",
    "MALE_NAMES",
    "MASCULINE_PRONOUNS",
    "MASCULINE_VERB_ENDINGS",
    "NAME_CASE_ENDINGS",
    "NATIONALITIES",
    "NATIONAL_BODIES",
    "NON_SPEAKERS",
    "ORG_ALIASES",
    "ORG_HEADS",
    "ORG_NAMES",
    "ORG_STATUS",
    "OUTLET_CUES",
    "PARTICIPLES",
    "PARTICLES",
    "PATRONYMIC_ENDINGS",
    "PLACE_STEMS",
    "PLACE_WORDS",
    "PLURAL_PRONOUN_FORMS",
    "PLURAL_VERB_ENDINGS",
    "POSSESSIVES",
    "PREPOSITIONS",
    "PRONOUNS",
    "PRONOUN_CUES",
    "QUANTIFIERS",
    "RELATIVE_PRONOUNS",
    "REPORTING_VERBS",
    "SINGULAR_AUXILIARIES",
    "SKIP_BEFORE_TITLE",
    "TITLES",
    "TITLE_CUES",
    "TITLE_SMALL",
    "TITLE_SUFFIXES",
    "TRAILING_CUES",
    "VEHICLES",
    "load_lexicon",
    "read_lexicon_files",
    "strip_elided",
]

_CLASSES = frozenset(
    """abbreviations according_cues adverbs anonymous_heads as_objects body_locatives
    capitalised_stop_words
    conjunctions
    connectors definite_articles determiners female_given_names female_honorifics
    feminine_pronouns feminine_verb_endings masculine_verb_endings
    function_words generic_roles inverted_verbs locatives male_given_names
    male_honorifics masculine_pronouns name_case_endings name_particles nationalities
    non_speakers org_heads possessives
    org_names patronymic_endings body_names elided_articles plural_verb_endings
    plural_pronoun_forms national_bodies auxiliaries singular_auxiliaries ellipsis_pronouns
    relative_pronouns
    org_status_words outlet_cues participles place_stems place_words prepositions pronouns
    quantifiers
    reported_speech_mood
    reporting_verbs sentence_openers skip_before_title statement_vehicles title_cues trailing_cues
    title_small_words title_suffixes titles""".split()
)
_TABLES = (
    "body_abbreviation_keys",
    "body_keys",
    "country_adjectives",
    "org_aliases",
    "pronoun_cues",
)


def read_lexicon_files(folder: Traversable) -> Iterator[tuple[str, dict[str, Any]]]:
    """Each `*.toml` file in `folder`, parsed, with its name, in name order.

    The shipped folder is parsed once per process (the word classes here and the language
    profiles in `languages.py` both read it); callers must not change what they are given.
    """
    if folder == _SHIPPED:
        return iter(_shipped_files())
    return _parse_lexicon_files(folder)


def _parse_lexicon_files(folder: Traversable) -> Iterator[tuple[str, dict[str, Any]]]:
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".toml"):
            yield entry.name, tomllib.loads(entry.read_text(encoding="utf-8"))


@cache
def _shipped_files() -> tuple[tuple[str, dict[str, Any]], ...]:
    return tuple(_parse_lexicon_files(_SHIPPED))


def load_lexicon(
    folder: Traversable,
) -> tuple[dict[str, frozenset[str]], dict[str, dict[str, str]]]:
    """Union the word classes and merge the tables of every `*.toml` file in `folder`."""
    classes: dict[str, set[str]] = {name: set() for name in _CLASSES}
    tables: dict[str, dict[str, str]] = {name: {} for name in _TABLES}
    for file_name, data in read_lexicon_files(folder):
        for name, words in data.get("words", {}).items():
            if name not in classes:  # a misspelt class would silently drop its words
                raise ValueError(f"lexicon/{file_name}: unknown word class {name!r}")
            classes[name].update(words)
        for name, table in data.items():
            if name in ("words", "language"):  # "language": read by languages.load_profiles
                continue
            if name not in tables:
                raise ValueError(f"lexicon/{file_name}: unknown table {name!r}")
            tables[name].update(table)
    return {name: frozenset(words) for name, words in classes.items()}, tables


_SHIPPED = files(__package__).joinpath("lexicon")
_WORDS, _TABLE = load_lexicon(_SHIPPED)

# noun-phrase grammar
DETERMINERS = _WORDS["determiners"]
DEFINITE = _WORDS["definite_articles"]
PRONOUNS = _WORDS["pronouns"]
FEMININE_PRONOUNS = _WORDS["feminine_pronouns"]
MASCULINE_PRONOUNS = _WORDS["masculine_pronouns"]
TITLES = _WORDS["titles"]
TITLE_SUFFIXES = tuple(sorted(_WORDS["title_suffixes"]))  # German compounds: Aussenministerin
NATIONALITIES = _WORDS["nationalities"]
COUNTRY_ADJ = _TABLE["country_adjectives"]  # Finland → finnish
ORG_HEADS = _WORDS["org_heads"]
ORG_NAMES = _WORDS["org_names"]
# articles elided onto the next word ("l'Élysée", "d'Orsay"), longest first: the word after
# them tells whether it is capitalised and what it is
ELIDED_ARTICLES = tuple(sorted(_WORDS["elided_articles"], key=len, reverse=True))


def strip_elided(folded: str) -> str:
    """A folded word without an elided article: "d'orsay" → 'orsay' (as tokens compare it)."""
    if "'" in folded and folded.startswith(ELIDED_ARTICLES):
        return folded[folded.index("'") + 1 :]
    return folded


# bodies every country has ('ministry', 'embassy'): a country's possessive before one tells
# which, so it stays ("Ukraine's Ministry of Foreign Affairs"; "Britain's Foreign Office" drops it)
NATIONAL_BODIES = _WORDS["national_bodies"]
# bodies named in several words ("quai d'orsay"): a body, never a person's name; kept as
# tokens compare them, elided articles stripped
BODY_NAMES = frozenset(" ".join(map(strip_elided, n.split())) for n in _WORDS["body_names"])
ORG_ALIASES = _TABLE["org_aliases"]  # the alliance → NATO
# one key for a body in any language ('ministerstwo spraw zagranicznych' → foreign ministry)
BODY_KEYS = _TABLE["body_keys"]
BODY_ABBREVIATION_KEYS = _TABLE["body_abbreviation_keys"]  # MSZ, MID → foreign ministry
ORG_STATUS = _WORDS["org_status_words"]
ANON_HEADS = _WORDS["anonymous_heads"]
PLACE_WORDS = _WORDS["place_words"]
PLACE_STEMS = _WORDS["place_stems"]  # countries and capitals: 'litw' (Litwa, Litwy, Litwie)
PARTICLES = _WORDS["name_particles"]  # von, van, bin
PATRONYMIC_ENDINGS = tuple(sorted(_WORDS["patronymic_endings"]))  # Викторович
CONNECTORS = _WORDS["connectors"]
PREPOSITIONS = _WORDS["prepositions"]
LOCATIVES = _WORDS["locatives"]
FUNCTION_WORDS = _WORDS["function_words"]
# capitalised, yet never a name; 'Według Dudy' is a cue and a name, never the name 'Według Dudy'
CAP_STOP = (
    FUNCTION_WORDS
    | _WORDS["capitalised_stop_words"]
    | {cue.split()[0] for cue in _WORDS["according_cues"]}
)
ABBREVIATIONS = _WORDS["abbreviations"]  # keep their full stop; at most five letters
MALE_HONORIFICS = _WORDS["male_honorifics"]
FEMALE_HONORIFICS = _WORDS["female_honorifics"]
MALE_NAMES = _WORDS["male_given_names"]
FEMALE_NAMES = _WORDS["female_given_names"]
# 'according to X' cues by first word, each a tuple of folded words, longest first
ACCORDING_CUES: dict[str, tuple[tuple[str, ...], ...]] = {}
for _cue in sorted((tuple(c.split()) for c in _WORDS["according_cues"]), key=len, reverse=True):
    ACCORDING_CUES[_cue[0]] = (*ACCORDING_CUES.get(_cue[0], ()), _cue)
# cues after which a name is an outlet, never a speaker ('told Reuters', 'dla TVN24'): the
# folded words of each cue, by its last word
OUTLET_CUES: dict[str, tuple[tuple[str, ...], ...]] = {}
for _cue in sorted((tuple(c.split()) for c in _WORDS["outlet_cues"]), key=len, reverse=True):
    OUTLET_CUES[_cue[-1]] = (*OUTLET_CUES.get(_cue[-1], ()), _cue)
# case endings of inflected surnames (Умєрова, Dudy): 'Умєрова' meets 'Рустем Умєров'
NAME_CASE_ENDINGS = _WORDS["name_case_endings"]
# reporting verbs
# pronouns that also mean 'they' (German 'sie'): the verb's number decides ('sagten sie')
PLURAL_PRONOUN_FORMS = _WORDS["plural_pronoun_forms"]
PLURAL_VERB_ENDINGS = tuple(sorted(_WORDS["plural_verb_endings"]))  # 'sagten', 'betonen'
PARTICIPLES = _WORDS["participles"]  # ', adding that …'
INVERTED = _WORDS["inverted_verbs"]  # ', said Stubb'
REPORTING_VERBS = PARTICIPLES | INVERTED | _WORDS["reporting_verbs"]
# past-tense endings that tell the subject's gender ('dodała', 'заявила' / 'dodał', 'заявив')
FEMININE_VERB_ENDINGS = tuple(sorted(_WORDS["feminine_verb_endings"]))
MASCULINE_VERB_ENDINGS = tuple(sorted(_WORDS["masculine_verb_endings"]))
ADVERBS = _WORDS["adverbs"]  # may sit between a speaker and the verb
# 'one', 'another' standing for a person named before ('one of them said')
ELLIPSIS_PRONOUNS = _WORDS["ellipsis_pronouns"]
RELATIVE_PRONOUNS = _WORDS["relative_pronouns"]  # ', who said': the subject is before the comma
# a compound past's auxiliary between a speaker and the participle ('X a déclaré', 'X hat gesagt')
AUXILIARIES = _WORDS["auxiliaries"]
# the third person singular ones, before an inverted participle ('», a déclaré Macron')
SINGULAR_AUXILIARIES = _WORDS["singular_auxiliaries"]
# sentence and quote context
LEADING = _WORDS["sentence_openers"]  # open an adverbial before the subject
CONJUNCTIONS = _WORDS["conjunctions"]
TITLE_CUES = _WORDS["title_cues"]  # mark a quoted title, name or scare quote
SKIP_BEFORE_TITLE = _WORDS["skip_before_title"]
VEHICLES = _WORDS["statement_vehicles"]  # 'a statement from X'
AS_OBJECTS = _WORDS["as_objects"]  # 'as X told reporters'
GENERIC_ROLES = _WORDS["generic_roles"]
QUANTIFIERS = _WORDS["quantifiers"]
TITLE_SMALL = _WORDS["title_small_words"]  # lowercase words inside Title Case names
KONJUNKTIV = _WORDS["reported_speech_mood"]  # German verbs of reported speech
# heads of things that never speak alone: laws, treaties, events, topics ('the Defence Act')
NON_SPEAKERS = _WORDS["non_speakers"]
POSSESSIVES = _WORDS["possessives"]  # 'his', 'его', 'jej': open 'his neighbour <Name>'
# 'according to him' cues ('по его словам' → 'он'); their words are also according_cues
PRONOUN_CUES = _TABLE["pronoun_cues"]
# after a comma, attribute what precedes to the noun phrase ending the sentence: '…, so Scholz.'
TRAILING_CUES = _WORDS["trailing_cues"]
# put a speaking body after a plural reporting verb: '«…», — заявили в Кремле'
BODY_LOCATIVES = _WORDS["body_locatives"]
