"""The attribution grammar: who speaks a quote, read from the tokens around it.

`Attributor` works on one article's masked text (quoted passages blanked out), read by
`grammar.Grammar`, and finds 'X said', 'said X', 'according to X', 'X told Y:' and the cues
that make a fragment reported speech. `Discourse` (who is salient) resolves what it finds.
"""

from __future__ import annotations

from dataclasses import dataclass

from natoread.core.analysis.quotes.cases import cue_end
from natoread.core.analysis.quotes.grammar import Grammar, unsaid_subject
from natoread.core.analysis.quotes.languages import grammar_words
from natoread.core.analysis.quotes.mentions import Mention
from natoread.core.analysis.quotes.phrases import noun_phrase_end, noun_phrase_start
from natoread.core.analysis.quotes.tokens import fold
from natoread.core.analysis.quotes.words import (
    ADVERBS,
    AS_OBJECTS,
    AUXILIARIES,
    BODY_LOCATIVES,
    CAP_STOP,
    CONNECTORS,
    DEFINITE,
    DETERMINERS,
    FEMALE_NAMES,
    INVERTED,
    LOCATIVES,
    MALE_NAMES,
    ORG_ALIASES,
    PARTICIPLES,
    RELATIVE_PRONOUNS,
    REPORTING_VERBS,
    SINGULAR_AUXILIARIES,
    SKIP_BEFORE_TITLE,
    TITLE_CUES,
    TRAILING_CUES,
    VEHICLES,
)

__all__ = ["Attributor", "Found", "cue_end"]

_DASHES = frozenset("—–-")
# words that open another clause: a subject is not looked for past them
_CLAUSE_WORDS = grammar_words("clause_words") | RELATIVE_PRONOUNS
_AS_CUES = grammar_words("as_cues")  # 'as X said'
_IDIOM_VERBS = grammar_words("idiom_verbs")  # 'as X put it'
_IDIOM_OBJECTS = grammar_words("idiom_objects")
_VEHICLE_ARTICLES = grammar_words("vehicle_articles")  # 'a statement from X'
_VEHICLE_OPENERS = grammar_words("vehicle_openers") | _VEHICLE_ARTICLES  # 'in a letter by X'
_VEHICLE_LINKS = grammar_words("vehicle_links")
_PARTICIPLE_LINKS = grammar_words("participle_links")  # 'with X adding that …'
_INVERSION_PRONOUNS = grammar_words("inversion_pronouns")  # 'explique-t-elle'
_IMPERSONAL = grammar_words("impersonal_pronouns")  # 'souligne-t-on à l'Élysée'
_IMPERSONAL_PLACES = grammar_words("impersonal_places")
# who may speak after adverbials that follow an inverted verb, and how far on they may be
_AFTER_ADVERBIALS = frozenset(("person", "role", "anon"))
_ADVERBIAL_REACH = 10
_GIVEN_NAMES = MALE_NAMES | FEMALE_NAMES
# lowercase words that open an adverbial, never a speaker: prepositions (every language's
# capitalised stop words, less articles and determiners: 'said the minister' has a speaker)
_PREPOSITIONS = CAP_STOP - DETERMINERS - DEFINITE
_LABELS = frozenset(("person", "name", "org", "anon", "role"))  # who may label a quote 'X:'


@dataclass(slots=True)
class Found:
    """An attribution: the speaker mention and how it was found."""

    mention: Mention | None
    via: str
    distance: int = 0
    name: str | None = None


class Attributor(Grammar):
    """The attribution rules over one article's tokens: 'X said', 'said X', 'X:' and cues."""

    def after_quote(self, lo: int, hi: int, colon_ok: bool, stop: bool = False) -> Found | None:
        """Attribution right after a closing mark: ', X said' / ', said X' / ': X …'.

        stop is True when the quote ended with a full stop: then only 'he said' can follow.
        """
        toks = self.toks
        k = lo
        comma = k < hi and toks[k].text == ","
        if comma:
            k += 1
        dashed = k < hi and toks[k].text in _DASHES
        if dashed:
            k += 1  # '«…», — заявив X', '„…” – powiedział X'
            comma = True
        if k >= hi:
            return None
        tok = toks[k]
        if tok.text == ":" and colon_ok:
            mention = self.mention_at(k + 1, hi)
            ok = mention is not None and mention.kind in ("person", "name", "anon")
            return Found(mention, "post") if ok else None
        if not tok.word:
            return None
        low = tok.low
        cue = cue_end(toks, k, hi)
        if cue > k:
            mention = self.cued_mention_at(cue, hi)
            return Found(mention, "post") if mention is not None else None
        if low in _AS_CUES and k + 1 < hi:
            j = noun_phrase_end(toks, k + 1, hi)
            v = self.skip_to_verb(j, hi) if j > k + 1 else None
            said = v is not None and (toks[v].low in REPORTING_VERBS or toks[v].low in _IDIOM_VERBS)
            after = toks[v + 1] if said and v is not None and v + 1 < hi else None
            ends = after is None or not after.word or after.low in AS_OBJECTS
            return Found(self.mention(k + 1, j), "post") if said and ends else None
        joined = self._joined_pronoun(k, hi)
        if joined is not None:
            return joined
        if low.startswith(("a-t-", "avait-")) and k + 1 < hi and toks[k + 1].low in INVERTED:
            pron = low.rsplit("-", 1)[-1]
            start = self.starts[k]
            return Found(Mention("pronoun", tok.text, pron, start, start + len(tok.text)), "post")
        if low in SINGULAR_AUXILIARIES and k + 1 < hi and toks[k + 1].low in INVERTED:
            k += 1
            low = toks[k].low
        if low in INVERTED and dashed and (k + 1 >= hi or toks[k + 1].text in ".!?…"):
            start = self.starts[k]  # '– … – dodał.': the subject is whoever speaks now
            pron = unsaid_subject(low)  # 'dodała': a woman
            return Found(Mention("pronoun", tok.text, pron, start, start + len(tok.text)), "post")
        if low in INVERTED and k + 2 < hi and toks[k + 1].low in BODY_LOCATIVES:
            located = self._located(k + 2, hi)  # '«…», — заявили в Кремле', 'w MSZ'
            return Found(located, "post") if located is not None else None
        if low in INVERTED or (low in TRAILING_CUES and comma):
            particled = self.particle_name(k + 1, hi)
            if particled is not None:  # 'sagte von der Leyen', 'a déclaré de Villepin'
                return Found(particled, "post")
            j = noun_phrase_end(toks, k + 1, hi)
            named = self.mention(k + 1, j)
            if named is not None and named.kind in ("name", "person") and self.nouns_capitalised:
                given = named.words or (k + 2 < hi and toks[k + 2].bare in _GIVEN_NAMES)
                if toks[k + 1].low in DEFINITE and not given:  # 'sagte der FDP-Bundesrat', 'die
                    named = named._replace(kind="role")  # Co-Autorin der Studie, Jacqueline M.'
            mention, _ = self._apposed(named, j, hi)
            after = toks[k + 1] if k + 1 < hi else None
            prep = after is not None and not after.cap and after.low in _PREPOSITIONS
            if low in INVERTED and (mention is None or prep or self._lone_word(mention)):
                mention = self._past_adverbials(k + 1, hi) or mention  # '— написала у фейсбуці …'

            return Found(mention, "post") if mention is not None else None
        k = self._vehicle(k, hi)
        j = noun_phrase_end(toks, k, hi)
        mention = self.mention(k, j) if j > k else None
        if mention is None or (stop and mention.kind != "pronoun"):
            return None
        v = self.skip_to_verb(j, hi)
        if v is not None and toks[v].low in REPORTING_VERBS and toks[v].low not in PARTICIPLES:
            return Found(mention, "post")
        return None

    def _joined_pronoun(self, k: int, hi: int, aux: bool = False) -> Found | None:
        """'explique-t-elle', 'dit-il': a reporting verb with its subject pronoun joined on.

        The impersonal 'souligne-t-on à l'Élysée' is the body named after it, or no one.
        """
        tok = self.toks[k]
        verb, _, pron = tok.low.rpartition("-")
        if not verb or pron not in _INVERSION_PRONOUNS:
            return None
        verb = verb.removesuffix("-t")
        said = verb in INVERTED or verb in REPORTING_VERBS
        if not said and not (aux and verb in AUXILIARIES):  # 'a-t-elle expliqué'
            return None
        start = self.starts[k]
        if pron in _IMPERSONAL:
            placed = k + 2 < hi and self.toks[k + 1].low in _IMPERSONAL_PLACES
            located = self._located(k + 2, hi) if placed else None
            anonymous = Mention("anon", tok.text, pron, start, start + len(tok.text))
            return Found(located if located is not None else anonymous, "post")
        return Found(Mention("pronoun", tok.text, pron, start, start + len(tok.text)), "post")

    def _past_adverbials(self, k: int, hi: int) -> Mention | None:
        """The speaker after adverbials that follow an inverted verb, or None.

        '— написала на своїй сторінці у фейсбуці депутатка Іванна …', 'sagte am Dienstag in
        Berlin Minister Boris Pistorius': the first person, role or body before the clause
        ends; a place or a day alone is passed over.
        """
        toks = self.toks
        for n in range(k, min(hi, k + _ADVERBIAL_REACH)):
            tok = toks[n]
            if not tok.word:
                if tok.text in "-'’":
                    continue
                if tok.text == "." and n + 1 < hi and self.starts[n + 1] == self.starts[n] + 1:
                    continue  # 'ZN.UA', a domain or an abbreviation: no full stop
                return None  # a comma or a full stop ends the clause
            if tok.verb or tok.low in _CLAUSE_WORDS:
                return None
            if not (tok.cap or tok.lex) or n == k:
                continue
            j = noun_phrase_end(toks, n, hi)
            found = self.mention(n, j) if j > n else None
            if found is not None and found.kind in _AFTER_ADVERBIALS:
                if found.kind == "role" and self.drops_subject:
                    named = self._name_after(j - 1, hi, 10)  # 'голова комітету … Олександра …'
                    if named is not None:
                        return named[0]
                return self._apposed(found, j, hi)[0]
        return None

    def _located(self, k: int, hi: int) -> Mention | None:
        """Who speaks after 'заявили в …': the body named there, or the person after a place.

        'в Кремле' is the Kremlin (a body: an organisation or a form the lexicon's
        org_aliases know); 'в Брюсселе генсек НАТО Марк Рютте' and 'в Кремле Дмитрий Песков'
        name the place first, then the speaker; a city alone is no speaker.
        """
        mention = self.mention_at(k, hi)
        if mention is None:
            return None
        if mention.kind in ("person", "name") and mention.start > self.starts[k]:
            return mention  # the place fell out of the name ('Брюсселе генсек … Марк Рютте')
        if mention.kind in ("person", "name", "org") and " " in mention.name:
            rest = self.mention_at(k + 1, hi)  # 'Кремле Дмитрий Песков'
            if rest is not None and rest.kind == "person":
                return rest
        alias = ORG_ALIASES.get(fold(mention.name))
        if alias is None and mention.kind == "role" and not mention.proper:  # 'у фейсбуці
            return self._past_adverbials(k - 1, len(self.toks))  # голова …': who speaks
        if alias is None and mention.kind not in ("org", "role"):
            return None
        # a lowercase body word alone ('в ведомстве') stays common: the body named last
        proper = alias is not None or mention.proper
        return mention._replace(kind="org", name=alias or mention.name, proper=proper)

    def _vehicle(self, k: int, hi: int) -> int:
        """Skip 'a statement from' / 'in a letter by' so the issuer becomes the subject."""
        toks = self.toks
        j = k + 1 if k < hi and toks[k].low in _VEHICLE_OPENERS else k
        j += 1 if j < hi and toks[j].low in _VEHICLE_ARTICLES else 0
        if j + 1 < hi and toks[j].low in VEHICLES and toks[j + 1].low in _VEHICLE_LINKS:
            return j + 2
        return k

    def _verb_subject(self, v: int, lo: int, subj: Mention | None) -> Mention | None:
        """Who performs the reporting verb at token v, before it or (inverted order) after it.

        In languages that invert ('Mit Blick auf Taurus sagte der Kanzler:', 'Dazu sagte
        Merz:') the words before the verb are an adverbial when they name no known person and
        a person, role or body follows the verb.
        """
        before = self._subject_before(v, lo, subj)
        if not self.inverts:
            return before
        if before is not None and not self._lone_word(before):
            first = lo
            while first < v and not self.toks[first].word:
                first += 1
            if before.start <= self.starts[first] or before is subj or self.toks[first].lex:
                return before  # the sentence opens with it or with its role: the subject
            # 'Im Interview mit der ARD sagte Wadephul:': inside the opening phrase
            j = noun_phrase_end(self.toks, v + 1, len(self.toks))
            after = self.mention(v + 1, j) if j > v + 1 else None
            speaks = after is not None and (
                after.kind in ("person", "role", "anon") or not self._lone_word(after)
            )
            return after if speaks else before
        j = noun_phrase_end(self.toks, v + 1, len(self.toks))
        after = self.mention(v + 1, j) if j > v + 1 else None
        if after is None or after.kind not in ("person", "role", "org", "anon", "name", "pronoun"):
            if before is None and self.drops_subject and self.toks[v].low not in PARTICIPLES:
                past = self._past_adverbials(v + 1, len(self.toks))  # 'Як зазначив у
                if past is not None:  # коментарі для ZN.UA військовий аналітик Олег Жданов'
                    return past
                start = self.starts[v]  # 'Jak dodał, …': the verb's own subject, unsaid
                pron = unsaid_subject(self.toks[v].low)
                return Mention("pronoun", self.toks[v].text, pron, start, start + 1)
            return None if self.nouns_capitalised and before is not None else before
        if after.kind == "name" and before is not None and self._lone_word(after):
            return before
        return after

    def _subject_before(self, v: int, lo: int, subj: Mention | None) -> Mention | None:
        """The subject of the reporting verb at token v read before it (or the sentence's)."""
        toks = self.toks
        if toks[v].low in PARTICIPLES:
            s = noun_phrase_start(toks, v - 1, lo) if v - 1 >= lo else v
            if lo <= s - 1 < v and toks[s - 1].low in _PARTICIPLE_LINKS:
                return self.mention(s, v)
            for k in range(v - 1, lo - 1, -1):
                low = toks[k].low
                if low in REPORTING_VERBS and low not in PARTICIPLES and toks[k].word:
                    return self._subject_before(k, lo, subj)  # 'X said …, adding that …'
            return subj
        k = v - 1
        while k >= lo and toks[k].low in ADVERBS:
            k -= 1
        if k >= lo and "-" in toks[k].low:
            joined = self._joined_pronoun(k, v, aux=True)
            if joined is not None:
                return joined.mention
        if k >= lo and toks[k].low in AUXILIARIES:
            k -= 1
        if k >= lo and toks[k].text == ")":  # 'Sen. Bradley Cutwater (R-Mont.) blasted'
            c = k - 1
            while c > lo and c > k - 8 and toks[c].text != "(":
                c -= 1
            k = c - 1 if toks[c].text == "(" else k
        if k < lo:
            return subj
        tok = toks[k]
        if tok.text == ",":
            c = k - 1
            while c >= lo and c > k - 25 and toks[c].text != ",":
                c -= 1
            if c < lo or toks[c].text != ",":
                return subj
            inner = self.mention(c + 1, k) if noun_phrase_end(toks, c + 1, k) == k else None
            if inner is not None and inner.kind == "person":
                return inner
            if c - 1 >= lo:
                s = noun_phrase_start(toks, c - 1, lo)
                outer = self.mention(s, c) if s <= c - 1 else None
                if outer is not None:
                    return outer
            return subj
        if tok.low in RELATIVE_PRONOUNS:
            if k - 2 >= lo and toks[k - 1].text == ",":
                s = noun_phrase_start(toks, k - 2, lo)
                if s <= k - 2:
                    return self.mention(s, k - 1)
            return subj
        s = noun_phrase_start(toks, k, lo)
        if s > k:
            s = self._role_before_complement(k, lo)
        if s <= k:
            mention = self.mention(s, k + 1)
            prep = toks[s - 1].low if mention is not None and s - 1 >= lo else ""
            if prep in LOCATIVES or prep in BODY_LOCATIVES:
                # 'співрозмовник Радіо Свобода в Офісі президента визнав': the phrase before
                # the place complement is the subject
                h = noun_phrase_start(toks, s - 2, lo) if s - 2 >= lo else s - 1
                outer = self.mention(h, s - 1) if h <= s - 2 else None
                if outer is not None and outer.kind != "name":
                    return outer
            if mention is not None and prep in LOCATIVES:
                return None if mention.kind == "name" else mention  # '… from Leeds told'
            if mention is not None and prep in BODY_LOCATIVES:
                return self._located(s, k + 1)  # 'В Кремле заявили': the Kremlin, a city never
            lone = mention is not None and self._lone_word(mention)
            if lone and subj is not None and subj.kind in ("person", "role", "pronoun"):
                return subj  # 'Зеленський після зустрічі з лідерами країн Балтії написав'
            if mention is not None:
                return mention
        if subj is not None and subj.kind == "anon" and subj.end <= self.starts[v]:
            return subj  # 'Високопоставлене джерело в НАТО … розповіло': no capital inside it
        c = k
        while c >= lo and c > k - 15:
            tc = toks[c]
            if tc.text in ",;" or tc.low in _CLAUSE_WORDS:
                break
            if tc.cap and tc.word:
                s = noun_phrase_start(toks, c, lo)
                mention = self.mention(s, c + 1)
                if mention is not None and mention.kind in ("person", "name"):
                    return mention
                if mention is not None and mention.kind == "org" and s < c:
                    c = s  # "Le Quai d'Orsay": its first words are no name of their own
            c -= 1
        return subj

    def _role_before_complement(self, k: int, lo: int) -> int:
        """Start of a role whose lowercase complement ends at token k ('le chef de la
        diplomatie', 'the head of diplomacy'), or k + 1 if none: the role is the subject."""
        toks = self.toks
        c = k - 1
        if c > lo and toks[c].low in DEFINITE:
            c -= 1  # 'de la', 'of the'
        if c <= lo or toks[c].low not in CONNECTORS or not toks[c - 1].lex or toks[c - 1].cap:
            return k + 1
        return noun_phrase_start(toks, c - 1, lo)

    def frame(self, lo: int, open_i: int, subj: Mention | None) -> tuple[bool, Found | None]:
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
        start = cue_end(toks, first, last)
        if start > first:
            mention = self.cued_mention_at(start, last)
            if mention is not None:
                return True, Found(mention, "pre")
        s = noun_phrase_start(toks, k, lo)
        if s <= k and s - 1 >= lo and toks[s - 1].low in INVERTED:
            mention = self.mention(s, k + 1)
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
        label = first
        if c > first and noun_phrase_end(toks, first, c) != c:
            s = noun_phrase_start(toks, c - 1, first)  # '+++ 18:47 Uhr +++ Selenskyj:', a
            label = s if first < s < c and not toks[s - 1].word else first  # marked-off label
        if noun_phrase_end(toks, label, c) == c:
            mention = self.mention(label, c)
            noun = mention is not None and self.nouns_capitalised and self._lone_word(mention)
            if mention is not None and mention.kind in _LABELS and not noun:
                return Found(mention, "pre")
        if subj is not None:
            name = self.discourse.resolve(subj)
            speaks = subj.kind in ("ellipsis", "anon", "org") or self.discourse.is_person(
                subj, name
            )
            if name is not None and speaks:
                return Found(subj, "frame")
        return None

    def cue_before(self, lo: int, open_i: int, subj: Mention | None) -> Found | None:
        """The last reporting verb before an embedded quote, with its subject and distance."""
        toks = self.toks
        dist = 0
        for k in range(open_i - 1, lo - 1, -1):
            tok = toks[k]
            if not tok.word:
                continue
            idiom = tok.low in _IDIOM_VERBS and toks[k + 1].low in _IDIOM_OBJECTS  # 'put it'
            if tok.low in REPORTING_VERBS or idiom:
                return Found(self._verb_subject(k, lo, subj), "cue", dist)
            dist += 1
        return None

    def cue_after(self, lo: int, hi: int) -> Found | None:
        """A parenthetical attribution a few words after the quote: '… must go, he said.'."""
        toks = self.toks
        for k in range(lo, min(hi, lo + 12)):
            text = toks[k].text
            if text in ".!?;":
                return None
            if text != "," or k + 1 >= hi:
                continue
            if toks[k + 1].low in INVERTED:
                j = noun_phrase_end(toks, k + 2, hi)
                mention = self.mention(k + 2, j)
                if mention is not None and (j >= hi or not toks[j].word):
                    return Found(mention, "cue", k - lo)
                continue
            j = noun_phrase_end(toks, k + 1, hi)
            v = self.skip_to_verb(j, hi) if j > k + 1 else None
            if v is not None and toks[v].low in REPORTING_VERBS and toks[v].low not in PARTICIPLES:
                mention = self.mention(k + 1, j)
                if mention is not None:
                    return Found(mention, "cue", k - lo)
        return None

    def title_cue(self, lo: int, open_i: int) -> bool:
        """True if the words before the quote mark it as a title, a name or a scare quote."""
        seen = 0
        for k in range(open_i - 1, lo - 1, -1):
            tok = self.toks[k]
            if not tok.word:
                if tok.text == ",":
                    continue
                break
            if tok.low in TITLE_CUES:
                return True
            if tok.low in SKIP_BEFORE_TITLE or tok.poss:
                continue
            seen += 1
            if seen >= 1:
                break
        return False
