"""Names in another grammatical case: 'according to' cues and the nominative of a name.

After an 'according to' cue (за словами / по словам / według) a name is in the genitive:
'Йенса Столтенберга', 'Radosława Sikorskiego'. `nominative` brings it back with the genitive
endings of the article's languages (lexicon data, `languages.LanguageProfile.genitive`): the
surname's ending tells the gender ('Захаровой' is a woman's), a given name the lexicon knows
wins among the candidates ('Pawła' → 'Paweł', not 'Pawł'). The registry of the article is
asked first (`NameRegistry.inflected_match`), so a name printed in full elsewhere wins.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from natoread.core.analysis.quotes.languages import GenitiveRule, LanguageProfile
from natoread.core.analysis.quotes.tokens import Word, fold
from natoread.core.analysis.quotes.words import ACCORDING_CUES, FEMALE_NAMES, MALE_NAMES

__all__ = ["cue_end", "cue_ends", "cued_at", "cued_name", "from_oblique", "nominative"]

_CYRILLIC_RE = re.compile("[\u0400-\u04ff]")
_MIN_STEM = 2  # letters a name keeps once its ending is cut ('Дуды' → 'Дуд' + 'а')
_ROLE_GAP = 6  # lowercase words allowed between a cue and the name ('за словами міністра …')


def cue_end(toks: Sequence[Word], k: int, hi: int) -> int:
    """The index after an 'according to' cue starting at token k ('за словами', 'laut'), or -1."""
    for cue in ACCORDING_CUES.get(toks[k].low, ()):
        n = len(cue)
        if k + n <= hi and all(toks[k + m].low == cue[m] for m in range(1, n)):
            return k + n
    return -1


def cue_ends(toks: Sequence[Word]) -> frozenset[int]:
    """The token indices right after every 'according to' cue of a text."""
    return frozenset(
        end
        for k, tok in enumerate(toks)
        if tok.low in ACCORDING_CUES and (end := cue_end(toks, k, len(toks))) > k
    )


def cued_at(toks: Sequence[Word], i: int, floor: int, ends: frozenset[int]) -> bool:
    """True if token i follows an 'according to' cue (ends: `cue_ends`), perhaps after a
    lowercase role phrase ('за словами міністра закордонних справ України …')."""
    k = i
    while k not in ends:
        if k <= floor or i - k >= _ROLE_GAP or not toks[k - 1].word or toks[k - 1].cap:
            return False
        k -= 1
    return True


def _script_rules(word: str, profiles: Sequence[LanguageProfile]) -> list[GenitiveRule]:
    """The genitive rules of the article's languages written in the word's script."""
    script = "cyrillic" if _CYRILLIC_RE.search(word) else "latin"
    return [rule for p in profiles if p.script == script for rule in p.genitive]


def _matching(part: str, rules: Sequence[GenitiveRule], gender: str) -> list[tuple[str, str]]:
    """(nominative candidate, rule gender) for each rule whose ending the word part carries."""
    low = fold(part)
    if len(low) != len(part):
        return []  # folding changed the length: endings cannot be cut from the written word
    lower = part.lower()
    found: list[tuple[str, str]] = []
    for rule in rules:
        cut = (lower if rule.written else low).endswith(rule.genitive)
        if cut and len(low) - len(rule.genitive) >= _MIN_STEM:
            if gender and rule.gender and rule.gender != gender:
                continue
            stem = part[: len(part) - len(rule.genitive)]
            ending = rule.nominative.upper() if part.isupper() else rule.nominative
            found.append((stem + ending, rule.gender))
    return found


def cued_name(name: str, profiles: Sequence[LanguageProfile]) -> str:
    """The name after a cue without a capitalised word that runs on (still in the genitive).

    Polish sets no comma after the cue ('Według prezydenta Karola Nawrockiego Polska …'):
    when a given name the lexicon knows opens two or more further words, the name is those
    two; otherwise three capitalised words are an office or a country and a name, the last two.
    """
    words = name.split()
    if len(words) > 2 and all(w[0].isupper() for w in words):
        first = [c for c, _ in _matching(words[0], _script_rules(words[0], profiles), "")]
        if any(fold(c) in MALE_NAMES or fold(c) in FEMALE_NAMES for c in first):
            return " ".join(words[:2])
        return " ".join(words[-2:])  # 'Финляндии Элины Валтонен': a country, then the name
    return name


def nominative(name: str, profiles: Sequence[LanguageProfile]) -> str:
    """The nominative of a name printed in the genitive ('Марии Захаровой' → 'Мария Захарова').

    Lowercase particles (фон, von der) and words no rule fits (Рютте) are kept as written.
    """
    words = name.split()
    rules = [_script_rules(w, profiles) for w in words]
    if not any(rules):
        return name
    surname = _matching(words[-1], rules[-1], "")
    gender = surname[0][1] if surname else ""
    if (
        not gender
        and len(words) > 1
        and any(fold(c) in FEMALE_NAMES for c, _ in _matching(words[0], rules[0], ""))
    ):
        gender = "f"
    out: list[str] = []
    for index, (word, word_rules) in enumerate(zip(words, rules, strict=True)):
        if not word[0].isupper() or not word_rules:
            out.append(word)
            continue
        parts: list[str] = []
        for part in word.split("-"):
            found = _matching(part, word_rules, gender)
            if not found:
                parts.append(part)
                continue
            given = [c for c, _ in found if fold(c) in MALE_NAMES or fold(c) in FEMALE_NAMES]
            parts.append(given[0] if given and index < len(words) - 1 else found[0][0])
        out.append("-".join(parts))
    return " ".join(out)


def _known_given(word: str) -> bool:
    low = fold(word)
    return low in MALE_NAMES or low in FEMALE_NAMES


def from_oblique(name: str, profiles: Sequence[LanguageProfile]) -> str | None:
    """The nominative of a full name printed in another case than the genitive
    ('Кястутісом Будрісом' → 'Кястутіс Будріс', 'Anną Fotygą' → 'Anna Fotyga'), or None.

    Only when the surname carries one of the language's oblique endings (lexicon
    `oblique_endings`) and every other word does too (or is a known given name after the cut),
    so that a name already in the nominative is left alone.
    """
    words = name.split()
    if len(words) < 2 or not all(w[0].isupper() for w in words):
        return None
    script = "cyrillic" if _CYRILLIC_RE.search(name) else "latin"
    rules = [rule for p in profiles if p.script == script for rule in p.oblique]
    if not rules or words[0].lower() in MALE_NAMES or words[0].lower() in FEMALE_NAMES:
        return None
    surname = _matching(words[-1], rules, "")
    if not surname:
        return None
    gender = surname[0][1]
    out: list[str] = []
    for word in words[:-1]:
        found = [c for c, _ in _matching(word, rules, gender)]
        given = [c for c in found if _known_given(c)]
        if not found:
            return None
        out.append(given[0] if given else found[0])
    return " ".join([*out, surname[0][0]])
