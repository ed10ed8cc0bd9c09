"""The languages of one article, detected cheaply, and each language's inflection data.

Every `lexicon/*.toml` file that describes a language has a `[language]` table: its code, its
script, letters only it uses, frequent function words (markers) and the genitive endings of
names with their nominative forms. `detect` scores the first few thousand characters of an
article by markers and letters, so the attribution reads names with the case endings of the
languages the article is written in (Polish endings never touch an English 'Johnsen', Russian
rules never a Ukrainian name). A new language is a new data file.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files
from importlib.resources.abc import Traversable

from natoread.core.analysis.quotes.tokens import fold
from natoread.core.analysis.quotes.words import read_lexicon_files

__all__ = [
    "GENDER_ENDINGS",
    "POSSESSIVE_PRONOUNS",
    "SPOKESPERSON_WORDS",
    "LanguageProfile",
    "detect",
    "detect_words",
    "gender_by_ending",
    "grammar_words",
    "load_profiles",
    "profiles_of",
]

_SAMPLE = 1200  # characters read to detect the language: the headline and first paragraph
_WORD_RE = re.compile(r"[^\W\d_]+")


@dataclass(frozen=True, slots=True)
class GenitiveRule:
    """A genitive ending (folded) and the nominative ending that replaces it (as written)."""

    genitive: str  # the oblique ending: folded for genitive rules, lowercase as written else
    nominative: str
    gender: str  # "m", "f" or "" when the ending tells no gender
    written: bool = False  # compared as written ('ą' is not 'a'): the oblique_endings rules


@dataclass(frozen=True, slots=True)
class LanguageProfile:
    """What one language's data file says about the language itself."""

    code: str
    script: str  # "latin" or "cyrillic"
    letters: frozenset[str]  # letters only this language (of those shipped) uses
    markers: frozenset[str]  # frequent function words, folded
    case_endings: frozenset[str]  # folded endings an inflected surname may carry
    genitive: tuple[GenitiveRule, ...]  # most specific first
    oblique: tuple[GenitiveRule, ...]  # instrumental, dative …: 'Кястутісом', 'Anną Fotygą'
    subject_after_verb: bool  # verb-second or free order: 'Dazu sagte Merz', 'заявил министр'
    capitalised_nouns: bool  # every noun is capitalised (German)
    drops_subject: bool  # a finite verb alone says who speaks ('dodał', 'заявив')


def _rules(code: str, entries: list[str], written: bool = False) -> tuple[GenitiveRule, ...]:
    """Parse 'genitive:nominative[:gender]' entries; a malformed one is a one-line error."""
    rules: list[GenitiveRule] = []
    for entry in entries:
        parts = entry.split(":")
        if len(parts) not in (2, 3) or not parts[0] or (len(parts) == 3 and parts[2] not in "mf"):
            raise ValueError(f"lexicon/{code}: bad genitive rule {entry!r} (want 'gen:nom[:m|f]')")
        ending = parts[0].lower() if written else fold(parts[0])
        rules.append(GenitiveRule(ending, parts[1], parts[2] if len(parts) == 3 else "", written))
    return tuple(rules)


def load_profiles(folder: Traversable) -> dict[str, LanguageProfile]:
    """The `[language]` tables of every `*.toml` file in `folder`, by language code."""
    found: dict[str, LanguageProfile] = {}
    for _file_name, data in read_lexicon_files(folder):
        table = data.get("language")
        if table is None:
            continue
        code = str(table["code"])
        found[code] = LanguageProfile(
            code=code,
            script=str(table["script"]),
            letters=frozenset(str(table.get("letters", ""))),
            markers=frozenset(fold(str(w)) for w in table.get("markers", ())),
            case_endings=frozenset(data.get("words", {}).get("name_case_endings", ())),
            genitive=_rules(code, list(table.get("genitive_endings", ()))),
            oblique=_rules(code, list(table.get("oblique_endings", ())), written=True),
            subject_after_verb=bool(table.get("subject_after_verb", False)),
            capitalised_nouns=bool(table.get("capitalised_nouns", False)),
            drops_subject=bool(table.get("drops_subject", False)),
        )
    return found


def load_gender_endings(folder: Traversable) -> tuple[tuple[str, str], ...]:
    """(folded ending, 'surname:f' …) pairs from every `[language]` table, longest first.

    Surname endings tell a gender wherever a name comes from ('Zacharowa', 'Šakalienė',
    'Захарова'), so every file's endings apply to every article; title endings
    ('Sicherheitsexpertin', 'речниця', 'spokeswoman') likewise.
    """
    pairs: set[tuple[str, str]] = set()
    for _file_name, data in read_lexicon_files(folder):
        table = data.get("language") or {}
        for what in ("surname", "title"):
            for gender, key in (("f", "feminine"), ("m", "masculine")):
                for ending in table.get(f"{key}_{what}_endings", ()):
                    pairs.add((fold(str(ending)), f"{what}:{gender}"))
    return tuple(sorted(pairs, key=lambda pair: (-len(pair[0]), pair)))


def load_spokesperson_words(folder: Traversable) -> frozenset[str]:
    """Folded words for who speaks for a body, from every `[language]` table."""
    found: set[str] = set()
    for _file_name, data in read_lexicon_files(folder):
        table = data.get("language") or {}
        found.update(fold(str(word)) for word in table.get("spokesperson_words", ()))
    return frozenset(found)


def load_possessive_pronouns(folder: Traversable) -> dict[str, str]:
    """Folded possessive → the pronoun of its owner ('his' → 'he', 'seine' → 'er', 'son' → '')."""
    found: dict[str, str] = {}
    for file_name, data in read_lexicon_files(folder):
        for entry in (data.get("language") or {}).get("possessive_pronouns", ()):
            possessive, sep, pronoun = str(entry).partition(":")
            if not sep or not possessive:
                raise ValueError(f"lexicon/{file_name}: bad possessive {entry!r} (want 'his:he')")
            found[fold(possessive)] = fold(pronoun)
    return found


def load_grammar_words(folder: Traversable) -> dict[str, frozenset[str]]:
    """The `[language.grammar]` word lists of every file, unioned by name and folded."""
    found: dict[str, set[str]] = {}
    for _file_name, data in read_lexicon_files(folder):
        grammar = (data.get("language") or {}).get("grammar") or {}
        for name, words in grammar.items():
            found.setdefault(name, set()).update(fold(str(word)) for word in words)
    return {name: frozenset(words) for name, words in found.items()}


def grammar_words(name: str) -> frozenset[str]:
    """One `[language.grammar]` list over every language (empty if no file has it)."""
    return GRAMMAR_WORDS.get(name, frozenset())


PROFILES = load_profiles(files(__package__).joinpath("lexicon"))
GRAMMAR_WORDS = load_grammar_words(files(__package__).joinpath("lexicon"))
POSSESSIVE_PRONOUNS = load_possessive_pronouns(files(__package__).joinpath("lexicon"))
SPOKESPERSON_WORDS = load_spokesperson_words(files(__package__).joinpath("lexicon"))
GENDER_ENDINGS = load_gender_endings(files(__package__).joinpath("lexicon"))
_MARKER_LANGS: dict[str, tuple[str, ...]] = {}
for _profile in PROFILES.values():
    for _marker in _profile.markers:
        _MARKER_LANGS[_marker] = (*_MARKER_LANGS.get(_marker, ()), _profile.code)
_LETTER_LANGS = {letter: p.code for p in PROFILES.values() for letter in p.letters}
_LETTERS_RE = re.compile("[" + re.escape("".join(sorted(_LETTER_LANGS))) + "]")


def detect(text: str) -> tuple[str, ...]:
    """The languages an article is written in, most likely first (mixed articles: several)."""
    sample = text[:_SAMPLE]
    return detect_words([fold(w) for w in _WORD_RE.findall(sample)], sample)


def detect_words(words: Iterable[str], sample: str) -> tuple[str, ...]:
    """The languages of folded words and of the text sample they come from.

    Counts marker words and language-only letters; a language counts if it scores at least a
    third of the best. With no evidence, the script decides: Cyrillic text is read as Russian
    and Ukrainian, Latin text as English. The extractor passes the words it has already
    tokenised, so detection costs no second pass over the text.
    """
    scores: dict[str, int] = {}
    # map and filter run the lookups in C: most words are no marker of any language
    for langs in filter(None, map(_MARKER_LANGS.get, words)):
        for code in langs:
            scores[code] = scores.get(code, 0) + 2
    for letter in _LETTERS_RE.findall(sample):  # one pass in C; most text has none of them
        code = _LETTER_LANGS[letter]
        scores[code] = scores.get(code, 0) + 1
    best = max(scores.values(), default=0)
    if best < 4:
        return ("ru", "uk") if _has_cyrillic(sample) else ("en",)
    ranked = sorted(scores, key=lambda code: -scores[code])
    return tuple(code for code in ranked if scores[code] * 3 >= best)


def _has_cyrillic(sample: str) -> bool:
    """True if the sample holds a character of the Cyrillic block (U+0400–U+04FF).

    In UTF-8 exactly those characters start with the bytes D0–D3 (no other byte of any
    character is one of them), and four byte searches are a few memchr calls where the
    character-class regex steps through the text one character at a time.
    """
    data = sample.encode("utf-8", "surrogatepass")
    return b"\xd0" in data or b"\xd1" in data or b"\xd2" in data or b"\xd3" in data


@lru_cache(maxsize=64)
def profiles_of(codes: tuple[str, ...]) -> tuple[LanguageProfile, ...]:
    """The profiles of the given language codes that have data (unknown codes are skipped)."""
    return tuple(PROFILES[code] for code in codes if code in PROFILES)


def gender_by_ending(word: str, what: str) -> str | None:
    """'f' or 'm' if a folded surname or title word ends as the data files say, else None.

    what is 'surname' or 'title'; the longest matching ending wins ('woman' before 'man').
    """
    for ending, kind in GENDER_ENDINGS:
        if len(word) > len(ending) and word.endswith(ending) and kind.startswith(what):
            return kind[-1]
    return None
