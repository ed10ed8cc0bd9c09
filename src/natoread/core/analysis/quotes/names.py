"""Speaker names as stored: titles stripped (`normalise_speaker`) and a merge key for the
variants of one name (`speaker_key`). Both are stored: a change to their output must bump
`SPEAKERS_VERSION` in this package's `__init__`."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources

from natoread.core.analysis.quotes.languages import grammar_words
from natoread.core.analysis.quotes.mentions import classify, name_run
from natoread.core.analysis.quotes.tokens import Word, bare, fold, tokenize
from natoread.core.analysis.quotes.words import (
    BODY_ABBREVIATION_KEYS,
    BODY_KEYS,
    ORG_ALIASES,
    strip_elided,
)

__all__ = ["fold_name", "normalise_speaker", "skeleton", "speaker_key", "transliterate"]

_LEADING_ARTICLES = grammar_words("leading_articles")  # dropped before a body's key words


def normalise_speaker(name: str) -> str:
    """Strip titles and roles: 'Finnish President Alexander Stubb' → 'Alexander Stubb'."""
    toks, starts = tokenize(name)
    mention = classify(toks, starts, name)
    if mention is None or mention.kind in ("pronoun", "ellipsis"):
        return " ".join(name.split())
    if mention.kind == "org" and not mention.proper:
        return ORG_ALIASES.get(mention.head, mention.name)
    return mention.name


# Cyrillic → Latin, as English-language outlets spell names. A word with a letter only
# Ukrainian has (і ї є ґ) is read as Ukrainian (г → h: Сибіга → Sybiha), any other as Russian
# (г → g). Data, not code: a script is a table here.
_CYRILLIC_COMMON = {
    "а": "a", "б": "b", "в": "v", "д": "d", "е": "e", "ж": "zh", "з": "z", "й": "y",
    "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s",
    "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch",
    "ь": "", "ю": "yu", "я": "ya", "'": "", "’": "", "ʼ": "",
}  # fmt: skip
_CYRILLIC_RU = {**_CYRILLIC_COMMON, "г": "g", "и": "i", "ё": "e", "ъ": "", "ы": "y", "э": "e"}
_CYRILLIC_UK = {**_CYRILLIC_COMMON, "г": "h", "ґ": "g", "и": "y", "і": "i", "ї": "yi", "є": "ye"}
_UKRAINIAN_ONLY = frozenset("іїєґ")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_WORD = re.compile(r"\w+(?:['’ʼ]\w+)*")


def _transliterate_word(word: str, table: dict[str, str]) -> str:
    if not _CYRILLIC.search(word):
        return word
    out: list[str] = []
    for char in word:
        low_char = char.lower()  # per letter: lowering a word may change its length (İ)
        latin = table.get(low_char)
        if latin is None:
            out.append(char)
        else:
            out.append(latin.capitalize() if char != low_char else latin)
    return "".join(out)


def transliterate(text: str) -> str:
    """Cyrillic words in Latin letters, capitals kept: 'Марк Рютте' → 'Mark Ryutte'.

    The text is read as Ukrainian when any of its words has a letter only Ukrainian has, so
    'Міністерство закордонних справ' reads 'и' as y throughout."""
    if text.isascii():
        return text
    table = _CYRILLIC_UK if _UKRAINIAN_ONLY & set(text.lower()) else _CYRILLIC_RU
    return _WORD.sub(lambda match: _transliterate_word(match.group(), table), text)


def fold_name(text: str) -> str:
    """Text compared without case, accents or script: 'Szijjártó' → 'szijjarto',
    'Рютте' → 'ryutte' (a filter typed in Latin letters finds a name printed in Cyrillic)."""
    return fold(transliterate(text))


@dataclass(frozen=True, slots=True)
class _Spellings:
    """The spelling tables of `spellings.toml`."""

    letters: dict[int, str]
    groups: re.Pattern[str]
    sounds: dict[str, str]
    central: re.Pattern[str]
    central_sounds: dict[str, str]
    rules: tuple[tuple[re.Pattern[str], str], ...]


@cache
def _spellings() -> _Spellings:
    """`spellings.toml`, read once."""
    text = resources.files(__package__).joinpath("spellings.toml").read_text("utf-8")
    data = tomllib.loads(text)
    sounds: dict[str, str] = data["groups"]
    return _Spellings(
        letters=str.maketrans(data["letters"]),
        groups=re.compile("|".join(sorted(map(re.escape, sounds), key=len, reverse=True))),
        sounds=sounds,
        central=re.compile(data["central"]["marks"]),
        central_sounds={**sounds, **data["central"]["groups"]},
        rules=tuple((re.compile(rule["pattern"]), rule["replace"]) for rule in data["rules"]),
    )


def skeleton(word: str) -> str:
    """One name word as it sounds, for matching only (`spellings.toml`): the spellings of one
    name in any language or script meet ('Szijjártó', 'Сийярто', 'Сіярто' → 'sijarto';
    'Scholz', 'Шольц' → 'sols'; 'Zelenskyy', 'Selenskyj', 'Зеленский' → 'selenski'), while
    names that differ in a vowel or another consonant stay apart (Johnson, Johnsen, Jonson)."""
    tables = _spellings()
    lowered = transliterate(word).lower()
    sounds = tables.central_sounds if tables.central.search(lowered) else tables.sounds
    spelled = bare(fold(lowered.translate(tables.letters)))
    spelled = tables.groups.sub(lambda match: sounds[match.group()], spelled)
    for pattern, replace in tables.rules:
        spelled = pattern.sub(replace, spelled)
    return spelled


# bodies by their abbreviation or their full name (lexicon data) as one key, full names
# compared as tokens compare words: "d'orsay" is 'orsay' (an elided article is no part of a word)
_BODY_NAMES = {" ".join(map(strip_elided, k.split())): v for k, v in BODY_KEYS.items()}
_BODY_NAME = re.compile(r"\b(?:" + "|".join(sorted(_BODY_NAMES, key=len, reverse=True)) + r")\b")


def _body_words(toks: list[Word]) -> str:
    """A body's folded words, abbreviations and full names brought to one spelling:
    "Ukraine's MFA", "Ukraine's Ministry of Foreign Affairs" → 'ukraine foreign ministry'."""
    words = [
        BODY_ABBREVIATION_KEYS.get(t.bare, t.bare) if t.acro or t.text == "MoD" else t.bare
        for t in toks
    ]
    while len(words) > 1 and words[0] in _LEADING_ARTICLES:
        words.pop(0)
    return _BODY_NAME.sub(lambda m: _BODY_NAMES[m.group()], " ".join(words))


@lru_cache(maxsize=8192)
def speaker_key(name: str) -> str:
    """A merge key for name variants, whatever the case, accents or script:
    'Jens Stoltenberg', 'J. Stoltenberg' → 'stoltenberg j'; 'Марк Рютте', 'Mark Rutte' →
    'rute m'; a surname alone ('Rutte', 'Рютте') → 'rute'. A person's words are keyed by
    their `skeleton`, so 'Péter Szijjártó' and 'Петер Сийярто' meet ('sijarto p'), and are
    still shown as printed. A surname alone is merged with
    the one full name the store has for it when the store is read (storage/speakers.py).

    Memoised: the same speakers recur across an article's quotes and across articles.
    """
    normal = transliterate(normalise_speaker(name))
    if normal.isupper() and " " in normal:  # a name set in capitals: 'MARK RUTTE'
        normal = normal.title()
    toks = [t for t in tokenize(normal)[0] if t.word]
    folded = [t.bare for t in toks]
    if _BODY_NAME.search(" ".join(folded)):  # 'Auswärtiges Amt' is a body, not 'Amt A.'
        return _body_words(toks)
    if len(toks) >= 2 and all(t.cap for t in toks) and name_run(toks) == len(toks):
        return f"{skeleton(toks[-1].text)} {skeleton(toks[0].text)[:1]}"
    body = _body_words(toks)
    if len(toks) == 1 and toks[0].cap and body == folded[0] and body.isalpha():
        return skeleton(toks[0].text)
    return body
