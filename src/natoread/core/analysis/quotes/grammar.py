"""The noun-phrase grammar of one article: tokens, languages, names, subjects.

`Grammar` holds one article's masked text (quoted passages blanked out) as tokens, the
languages it is written in, the people it names (`registry`) and who is salient
(`discourse`); it reads mentions, sentence subjects and appositions. `attribution.Attributor`
builds the attribution rules on it.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence
from typing import Any

from natoread.core.analysis.quotes.cases import cued_name, nominative
from natoread.core.analysis.quotes.discourse import Discourse
from natoread.core.analysis.quotes.languages import (
    POSSESSIVE_PRONOUNS,
    LanguageProfile,
    detect_words,
    grammar_words,
    profiles_of,
)
from natoread.core.analysis.quotes.mentions import Mention, classify
from natoread.core.analysis.quotes.phrases import noun_phrase_end
from natoread.core.analysis.quotes.registry import build_registry
from natoread.core.analysis.quotes.tokens import tokenize
from natoread.core.analysis.quotes.words import (
    ACCORDING_CUES,
    ADVERBS,
    CAP_STOP,
    CONJUNCTIONS,
    DETERMINERS,
    ELLIPSIS_PRONOUNS,
    FEMININE_VERB_ENDINGS,
    FUNCTION_WORDS,
    LEADING,
    LOCATIVES,
    MASCULINE_VERB_ENDINGS,
    ORG_NAMES,
    PARTICLES,
    PLURAL_PRONOUN_FORMS,
    PLURAL_VERB_ENDINGS,
    POSSESSIVES,
    PREPOSITIONS,
    PRONOUN_CUES,
    PRONOUNS,
    REPORTING_VERBS,
)

__all__ = ["Grammar", "unsaid_subject"]

_ELLIPSIS_LINKS = grammar_words("ellipsis_links")  # 'One of them said'

_MISSING: Any = object()
_SAMPLE = 1200  # characters and words read to detect the article's languages
_SAMPLE_WORDS = 300
# capitalised words that open no name but are no sentence adverb either ('Das', 'Bei', 'Er')
_NOT_ADVERBS = (
    FUNCTION_WORDS | PREPOSITIONS | DETERMINERS | LOCATIVES | PRONOUNS | CONJUNCTIONS
) | frozenset(ACCORDING_CUES)  # 'Zdaniem Anny Fotygi': a cue, its genitive no subject
_INVERTED_REACH = 4  # words between a verb and the subject after it ('sich', an article)


def unsaid_subject(verb: str) -> str:
    """The pronoun a verb's own ending stands for: 'she' for 'dodała'/'заявила', 'he' for
    'dodał'/'заявив', '' when the form tells no gender (plural, present tense)."""
    if verb.endswith(FEMININE_VERB_ENDINGS):
        return "she"
    return "he" if verb.endswith(MASCULINE_VERB_ENDINGS) else ""


class Grammar:
    """Token-level reading of one article's masked text (quoted passages blanked out).

    Noun phrases are classified once per token span (`mention`); the registry pass fills that memo
    with most names and roles before the sentence walk asks for them again.
    """

    def __init__(
        self,
        masked: str,
        para_offsets: Sequence[int] = (),
        profiles: Sequence[LanguageProfile] | None = None,
    ) -> None:
        self.masked = masked
        self.toks, self.starts = tokenize(masked)
        if profiles is None:  # detected from the words around the quotes, already tokenised
            sample = masked[:_SAMPLE]
            words = [t.low for t in self.toks[:_SAMPLE_WORDS] if t.word]
            profiles = profiles_of(detect_words(words, sample))
        self.profiles = profiles  # the article's languages
        # verb-second and free word order put the subject after the verb ('Dazu sagte Merz:')
        self.inverts = any(p.subject_after_verb for p in profiles)
        # German capitalises nouns: a lone capitalised word is a name only if the article
        # names that person (a weapon system or an adverb before a colon is not)
        self.nouns_capitalised = any(p.capitalised_nouns for p in profiles)
        # the verb carries its subject ('dodał', 'заявил'): a verb alone means 'he said'
        self.drops_subject = any(p.drops_subject for p in profiles)
        self._spans: dict[int, Mention | None] = {}
        para_starts = [bisect_left(self.starts, pos) for pos in para_offsets]
        self.registry = build_registry(self.toks, self.mention, para_starts, profiles)
        self.discourse = Discourse(self.registry, not self.nouns_capitalised, masked)

    def mention(self, i: int, j: int) -> Mention | None:
        """The speaker mention made of tokens i..j-1 (memoised)."""
        key = i << 32 | j
        found = self._spans.get(key, _MISSING)
        if found is _MISSING:
            found = classify(self.toks, self.starts, self.masked, i, j)
            if found is not None and found.kind == "pronoun" and found.head in PLURAL_PRONOUN_FORMS:
                found = self._pronoun_number(found, i, j)
            self._spans[key] = found
        return found  # type: ignore[no-any-return]

    def _pronoun_number(self, pronoun: Mention, i: int, j: int) -> Mention:
        """'they' for a pronoun that also means it when its reporting verb is plural ('sagten
        sie', 'Sie betonten'); the pronoun as it is when the verb is singular ('sagte sie')."""
        toks = self.toks
        for k in (i - 1, j, j + 1):
            if 0 <= k < len(toks) and toks[k].low in REPORTING_VERBS:
                if toks[k].low.endswith(PLURAL_VERB_ENDINGS):
                    return pronoun._replace(head="they")
                return pronoun
        return pronoun

    def token_index(self, pos: int) -> int:
        """Index of the first token starting at or after pos."""
        return bisect_left(self.starts, pos)

    def subject(self, sent_start: int, sent_end: int) -> tuple[Mention | None, int]:
        """The grammatical subject of a sentence (first noun phrase after any opening adverbial)."""
        toks = self.toks
        i = (
            self._after_dateline(sent_start, sent_end)
            if sent_start < sent_end and toks[sent_start].acro
            else sent_start
        )
        while i < sent_end and (not toks[i].word or toks[i].low in CONJUNCTIONS):
            i += 1
        if i + 2 < sent_end and toks[i].low in POSSESSIVES:
            n = i + 1  # 'Его соседка Людмила Тамм, …': the name after 'his neighbour'
            while n < sent_end and n < i + 4 and toks[n].word and not toks[n].cap:
                n += 1
            if n == i + 1:  # 'Her Swedish counterpart Ulf Kristersson': the phrase after it
                k = noun_phrase_end(toks, n, sent_end)
            else:
                k = noun_phrase_end(toks, n, sent_end) if n < sent_end else n
            named = self.mention(n, k) if k > n else None
            if named is not None and named.kind == "person":
                return named, k
            if k + 1 < sent_end and toks[k].text == ",":  # 'His fellow Republican, Sen. X,'
                end = noun_phrase_end(toks, k + 1, sent_end)
                apposed = self.mention(k + 1, end) if end > k + 1 else None
                if apposed is not None and apposed.kind == "person":
                    return apposed, end
        pron = POSSESSIVE_PRONOUNS.get(toks[i].low) if i + 1 < sent_end else None
        if pron is not None and toks[i].cap and toks[i + 1].word:
            tok = toks[i]  # 'His answer was crisp.', 'Seine Worte …' keep their owner in focus
            start = self.starts[i]
            return Mention("pronoun", tok.text, pron, start, start + len(tok.text)), i + 2
        if (
            i + 1 < sent_end
            and toks[i].cap
            and toks[i].low in CAP_STOP
            and toks[i].low not in _NOT_ADVERBS
            and (toks[i + 1].npw or toks[i + 1].low in DETERMINERS)
        ):
            i += 1  # a sentence adverb before the subject: 'Auch das Auswärtige Amt meldete …'
        if i < sent_end and toks[i].low in LEADING:
            c = i
            while c < sent_end and c < i + 30 and toks[c].text != ",":
                c += 1
            if c >= sent_end or toks[c].text != ",":
                return None, i
            i = c + 1
        for _ in range(3):
            while i < sent_end and not toks[i].word:
                i += 1
            if i + 1 < sent_end and toks[i].low in ELLIPSIS_PRONOUNS and not toks[i + 1].npw:
                j = i + 1
                if toks[j].low in _ELLIPSIS_LINKS and j + 1 < sent_end:
                    j += 2  # One of them
                return self._apposed(self.mention(i, i + 1), j, sent_end)
            j = noun_phrase_end(toks, i, sent_end)
            if j <= i:
                return None, i
            if toks[j - 1].poss and j < sent_end and toks[j].word:
                i = j
                continue
            mention = self.mention(i, j)
            if mention is None:
                return None, j
            genitive = self.drops_subject and j < sent_end and toks[j].word and not toks[j].cap
            if mention.kind == "role" and genitive:
                after = self._name_after(j - 1, sent_end, 10)  # 'Председатель комитета
                if after is not None:  # Госдумы по обороне Андрей Картаполов выразился'
                    return after
            if self.nouns_capitalised and self._lone_word(mention):
                inverted = self._person_after_verb(j, sent_end)
                if inverted is not None:  # 'Kritischer äußerte sich die … Eva Högl'
                    return inverted
            return self._apposed(mention, j, sent_end)
        return None, i

    def _name_after(self, j: int, hi: int, reach: int) -> tuple[Mention, int] | None:
        """A person named after a role's genitive chain ('minister obrony narodowej <Name>',
        'Председатель комитета Госдумы по обороне <Name>'), or None."""
        toks = self.toks
        n = j + 1
        while n < hi and n < j + reach and toks[n].word and not toks[n].verb:
            if toks[n].cap and not toks[n].lex:
                k = noun_phrase_end(toks, n, hi)
                other = self.mention(n, k) if k > n else None
                if other is not None and other.kind == "person":
                    return other, k
                n = max(k, n + 1)
                continue
            n += 1
        return None

    def _person_after_verb(self, j: int, hi: int) -> tuple[Mention, int] | None:
        """The person named right after the verb that follows an opening lone word.

        German puts the verb second and capitalises nouns, so an opening adjective or noun
        looks like a name ('Kritischer äußerte sich die Wehrbeauftragte Eva Högl'): the
        person after the verb is the subject. (Slavic 'Podobnie wypowiadał się premier X'
        is the same order, but a role named next ('szef polskiej dyplomacji') would then
        resolve to X: left until roles with a genitive complement are resolved.)
        """
        toks = self.toks
        if j >= hi or not toks[j].word or toks[j].cap:
            return None
        n = j + 1
        while n < hi and n <= j + _INVERTED_REACH and toks[n].word:
            k = noun_phrase_end(toks, n, hi)
            if k > n:
                found = self.mention(n, k)
                if found is not None and found.kind == "person":
                    apposed, end = self._apposed(found, k, hi)
                    return (apposed or found), end
                n = k
                continue
            n += 1
        return None

    def particle_name(self, k: int, hi: int) -> Mention | None:
        """A person the article names, written from a lowercase particle ('von der Leyen').

        A noun phrase never opens with a lowercase word, so a surname with its particles
        after an inverted verb is read here; an article ('sagte der Kanzler') is no particle.
        """
        toks = self.toks
        p = k
        while p < hi and p < k + 3 and toks[p].low in PARTICLES and not toks[p].cap:
            p += 1
        if p == k or p >= hi or not toks[p].cap or toks[k].low in DETERMINERS:
            return None
        end = p + 1
        while end < hi and end < p + 3 and toks[end].name:  # the capitalised surname only
            end += 1
        found = self.mention(p, end)
        if found is None or found.kind not in ("name", "person"):
            return None
        text = self.masked[self.starts[k] : found.end]
        if not self.registry.is_person(self.registry.canonical(text, found.start)):
            return None
        return found._replace(kind="person", name=text, start=self.starts[k])

    def _after_dateline(self, sent_start: int, sent_end: int) -> int:
        """Skip a wire dateline such as 'VISBY, Sweden (AP) —' at the start of a sentence."""
        toks = self.toks
        if sent_start >= sent_end or not toks[sent_start].acro or toks[sent_start].low in ORG_NAMES:
            return sent_start
        for k in range(sent_start + 1, min(sent_end, sent_start + 12)):
            if toks[k].text in ("—", "–", "-") and k > sent_start + 1:
                return k + 1
            if toks[k].word and not (toks[k].cap or toks[k].text[0].isdigit()):
                break
        return sent_start

    def _apposed(self, mention: Mention | None, j: int, hi: int) -> tuple[Mention | None, int]:
        """Prefer the name in 'the minister, Pål Jonson,' or 'Another, a European ambassador,'."""
        toks = self.toks
        if mention is None or mention.kind not in ("role", "ellipsis") or j >= hi:
            return mention, j
        # 'Sweden's ambassador to NATO, Jan Knutsson,', 'representative for the Caucasus and
        # Central Asia, Javier Colomina,' (the phrase may have taken the preposition in)
        p = j if toks[j].low in PREPOSITIONS else j - 1 if toks[j - 1].low in PREPOSITIONS else -1
        if p >= 0:
            k = p + 1
            while k < hi and k < p + 8 and toks[k].word:  # 'ministre … des Affaires étrangères,'
                k += 1
            j = k if k < hi and toks[k].text == "," and k > p + 1 else j
        k = j  # '… des Affaires étrangères, Péter Szijjártó,': the role's last lowercase words
        while k < hi and k < j + 3 and toks[k].word and not toks[k].cap:
            k += 1
        j = k if k > j and k < hi and toks[k].text == "," else j
        if toks[j].text != ",":
            return mention, j
        k = noun_phrase_end(toks, j + 1, hi)
        other = self.mention(j + 1, k) if k > j + 1 else None
        wanted = ("person",) if mention.kind == "role" else ("person", "anon")
        if other is not None and other.kind in wanted:
            return other, k
        # 'Wicepremier, minister obrony narodowej Władysław Kosiniak-Kamysz'
        named = self._name_after(j, hi, 8)
        return named if named is not None else (mention, j)

    def label(self, sent_start: int, sent_end: int) -> Mention | None:
        """A 'Name:' label sentence (live blogs, headlines) whose name speaks in the next one."""
        toks = self.toks
        if sent_end - 1 <= sent_start or toks[sent_end - 1].text != ":":
            return None
        first = sent_start
        while first < sent_end and not toks[first].word:
            first += 1
        if noun_phrase_end(toks, first, sent_end) != sent_end - 1:
            return None
        mention = self.mention(first, sent_end - 1)
        if mention is None or mention.kind not in ("person", "name"):
            return None
        return None if self.nouns_capitalised and self._lone_word(mention) else mention

    def mention_at(self, k: int, hi: int) -> Mention | None:
        """The speaker mention starting at token k, if any."""
        j = noun_phrase_end(self.toks, k, hi)
        return self.mention(k, j) if j > k else None

    def cued_mention_at(self, k: int, hi: int) -> Mention | None:
        """The mention after an 'according to' cue, its name brought back from the genitive.

        'по словам Йенса Столтенберга' names the full name the article registered in another
        case, else the nominative the language's endings give ('Йенс Столтенберг').
        """
        toks = self.toks
        for n in (1, 2, 3):  # 'по его словам', 'selon lui', 'jego zdaniem': a pronoun cue
            pronoun = PRONOUN_CUES.get(" ".join(t.low for t in toks[k - n : k])) if k >= n else None
            if pronoun is not None:
                start = self.starts[k - n]
                return Mention("pronoun", toks[k - n].text, pronoun, start, start + 1)
        mention = self.mention_at(k, hi)
        if mention is None:  # 'zdaniem litewskiej minister': a role after its adjective
            role = next((n for n in range(k, min(k + 3, hi)) if toks[n].lex), -1)
            mention = self.mention(k, role + 1) if role >= 0 else None
            mention = mention if mention is not None and mention.kind == "role" else None
        if mention is None and self.drops_subject and k < hi and toks[k].word and not toks[k].cap:
            start = self.starts[k]  # 'за словами глави держави': a role in the genitive,
            return Mention("pronoun", toks[k].text, "", start, start + 1)  # someone salient
        if mention is None or mention.kind not in ("person", "name") or not self.profiles:
            return mention
        written = cued_name(mention.name, self.profiles)
        name = self.registry.inflected_match(written) if " " in written else None
        if name is None and " " in written:
            known = self.registry.run_on_match(written)
            if known is not None:  # 'Według ministra Sikorskiego Polska nie …': the clause's
                return mention._replace(kind="person", name=known)  # subject ran on
        if name is None and self.registry.canonical(written, mention.start) == written:
            name = nominative(written, self.profiles)
        name = name or written
        cued = mention if name == mention.name else mention._replace(name=name)
        # 'По словам Пола Юнсона, …': the source is salient, so that 'добавил он' is him
        self.discourse.note(cued, self.discourse.resolve(cued), named=True)
        return cued

    def skip_to_verb(self, j: int, hi: int) -> int | None:
        """Index of the word after a noun phrase, skipping an apposition and adverbs."""
        toks = self.toks
        if j < hi and toks[j].text == "(":
            close = self._closing(j, hi, ")", 8)
            j = close + 1 if close is not None else j
        if j < hi and toks[j].text == ",":
            close = self._closing(j, hi, ",", 25)
            if close is None:
                return None
            j = close + 1
        while j < hi and toks[j].low in ADVERBS:
            j += 1
        return j if j < hi else None

    def _closing(self, j: int, hi: int, mark: str, reach: int) -> int | None:
        """Index of the first `mark` token after token j, fewer than `reach` tokens on, or None."""
        toks = self.toks
        k = j + 1
        while k < hi and k < j + reach and toks[k].text != mark:
            k += 1
        return k if k < hi and toks[k].text == mark else None

    def _lone_word(self, mention: Mention) -> bool:
        """True for a lone capitalised word the article never names as a person."""
        if mention.kind != "name" or " " in mention.name:
            return False
        return not self.registry.is_person(self.registry.canonical(mention.name, mention.start))
