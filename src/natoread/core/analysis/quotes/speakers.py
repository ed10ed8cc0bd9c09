"""Speaker mentions for the quote extractor: lexicons, tokens, noun phrases and name keys.

Hot-path notes: token texts, whitespace-separated chunks and classified noun phrases are memoised
across articles in bounded dicts (`clear_caches` empties them); `Word` is a slotted class because
the extractor reads its attributes in its innermost loops.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, NamedTuple

__all__ = [
    "Mention",
    "Word",
    "classify",
    "clear_caches",
    "normalise_speaker",
    "speaker_key",
    "tokenize",
]


def _words(text: str) -> frozenset[str]:
    """Split a whitespace-separated lexicon into a frozenset."""
    return frozenset(text.split())


DETERMINERS = _words(
    "the a an one another der die das den dem ein eine einer le la les l' un une el"
)
DEFINITE = _words("the der die das den dem le la les l' el")
PRONOUNS = _words("he she they er sie il elle ils elles")
_FEMININE = _words("she sie elle")
_MASCULINE = _words("he er il")
TITLES = _words(
    "president presidents vice prime minister ministers premier pm chancellor secretary"
    " general foreign defence defense interior finance economy trade energy justice home state"
    " affairs deputy former ex acting outgoing incoming spokesman spokeswoman spokesperson"
    " press ambassador envoy special senator sen representative rep congressman congresswoman"
    " governor mayor mp mep leader chief head chair chairman chairwoman chairperson commander"
    " supreme top senior gen lt col colonel major admiral adm captain sgt sergeant lieutenant"
    " brigadier marshal field mr mrs ms miss dr prof professor sir dame lord lady king queen"
    " prince princess pope speaker director commissioner high adviser advisor counterpart"
    " politician lawmaker legislator opposition party parliamentary army navy air armed"
    " military national security intelligence correspondent reporter editor expert analyst"
    " fellow researcher economist host moderator elect crown herr frau m mme monsieur madame"
    " president presidente ministre porte-parole secretaire general chef cheffe top capt cmdr"
    " brig hon rev cpl pvt amb pres supt insp gov"
)
_TITLE_SUFFIXES = (
    "minister", "ministerin", "prasident", "prasidentin", "kanzler", "kanzlerin", "sprecher",
    "sprecherin", "politiker", "politikerin", "generalsekretar", "generalsekretarin", "vorsitzende",
    "vorsitzender", "botschafter", "botschafterin", "chefin",
)  # fmt: skip
NATIONALITIES = _words(
    "finnish swedish hungarian turkish russian ukrainian german french british american"
    " polish estonian latvian lithuanian norwegian danish dutch belgian italian spanish"
    " portuguese canadian slovak czech romanian bulgarian greek chinese georgian moldovan"
    " belarusian austrian swiss irish icelandic croatian slovenian serbian albanian european"
    " nordic baltic western allied us u.s. uk u.k. eu un nato otan g7 turkische schwedische"
    " finnische deutsche russische ukrainische ungarische franzosische francais francaise"
    " allemand russe turc suedois finlandais hongrois ukrainien americain britannique"
)
COUNTRY_ADJ = {
    "finland": "finnish", "sweden": "swedish", "hungary": "hungarian", "turkey": "turkish",
    "turkiye": "turkish", "russia": "russian", "ukraine": "ukrainian", "germany": "german",
    "france": "french", "britain": "british", "uk": "british", "us": "american", "u.s.": "american",
    "america": "american", "poland": "polish", "estonia": "estonian", "latvia": "latvian",
    "lithuania": "lithuanian", "norway": "norwegian", "denmark": "danish", "netherlands": "dutch",
    "belgium": "belgian", "italy": "italian", "spain": "spanish", "canada": "canadian",
    "romania": "romanian", "bulgaria": "bulgarian", "greece": "greek", "china": "chinese",
    "finnlands": "finnish", "schwedens": "swedish", "ungarns": "hungarian", "russlands": "russian",
}  # fmt: skip
ORG_HEADS = _words(
    "ministry ministries government kremlin pentagon office embassy party council commission"
    " parliament administration presidency army military media agency police department"
    " alliance bloc cabinet secretariat command headquarters service services forces guard"
    " coalition union federation committee court bank company group ministerium regierung"
    " bundesregierung kreml elysee gouvernement ministere house navy bundeswehr"
)
ORG_NAMES = _words("kremlin pentagon nato otan eu un elysee kreml bundeswehr frontex")
ORG_ALIASES = {"alliance": "NATO", "bloc": "EU", "kreml": "Kremlin"}
_ORG_STATUS = _words(
    "the opposition ruling governing main far-right far-left centre-right center-right"
)
ANON_HEADS = _words(
    "official officials diplomat diplomats source sources spokesperson spokesman spokeswoman"
    " analyst analysts expert experts critic critics observer observers resident residents"
    " user users insider insiders aide aides adviser advisers advisor advisors officer"
    " officers soldier soldiers lawmaker lawmakers legislator legislators senator senators"
    " person people witness witnesses ambassador ambassadors member members veteran veterans"
    " activist activists protester protesters voter voters journalist journalists commentator"
    " commentators economists researcher researchers negotiator negotiators delegate delegates"
    " commanders worker workers civilian civilians local locals citizen citizens man woman men"
    " women beobachter diplomaten kritiker experten responsable responsables politicians"
    " ministers teacher"
)
_PLACE_WORDS = _words(
    "sea ocean union states kingdom republic square street city county region oblast river"
    " bay gulf strait island islands mountains europe asia africa america council house"
    " ministry parliament assembly committee department office forces summit centre center"
    " university institute times post news journal herald telegraph guardian spiegel zeitung"
    " monde figaro pais yle bbc cnn reuters agency tv radio channel media platform social"
    " facebook twitter programme program plan treaty war facility fund bank group party army"
    " navy force command sentry playbook foundation initiative network brigade regiment"
    " district province day week year club"
)
PARTICLES = _words("von van der den de da di du del della la le al el bin ibn ter ten zu")
CONNECTORS = _words("of for des de du der")
_DESCRIBED = ANON_HEADS | ORG_HEADS
_PREPOSITIONS = _words("of for des de du der in at from")
FUNCTION_WORDS = _words(
    "that who which whom whose and or but nor with to in on at from by as is was were are be"
    " been has have had will would could should can may might must not also it its this these"
    " those there here than then when while if because after before during since until about"
    " into over under between through against without within via per who's what where why how"
    " their his her our your my we i you me him them us said says told"
)
CAP_STOP = FUNCTION_WORDS | _words(
    "the a an but and yet so however meanwhile still instead asked speaking read home share"
    " live updated published related advertisement skip sign menu search opinion most more"
    " some many all both each every no only even just outside inside among like unlike today"
    " yesterday tomorrow according monday tuesday wednesday thursday friday saturday sunday"
    " january february march april june july august september october november december good"
    " welcome und aber im am bei mit nach vor man es wir et mais selon pour dans au aux en"
    " nous ce ces cette kritik sein seine seinen seiner ihr ihre ihren ihrer unser unsere mein"
    " meine dieser diese dieses alle son sa ses leur leurs notre votre"
)
ABBREVIATIONS = _words(
    "mr mrs ms dr gen lt col sen rep gov prof st sgt capt adm maj jr sr no vs etc m mme jan"
    " feb mar apr aug sep sept oct nov dec inc ltd co brig cmdr cpl pvt amb supt insp rev hon"
)
_MALE_NAMES = _words(
    "aleksandr alexander alexei andrii andrzej andreas anders antony antti bjorn boris"
    " charles christian dan daniel david dmitri dmitry dmytro donald emmanuel erik fuat"
    " friedrich gitanas hakan hans heorhiy ibrahim igor ilham jens joe john jonny juha jussi"
    " justin kestutis klaus lars lin mark marco mateusz mircea nicolas olaf pal pedro peter"
    " petteri radoslaw rasmus recep rishi robert robin sauli sebastien selcuk sergei sergey"
    " stefan tamas tayyip tobias ulf vladimir volodymyr viktor wolfgang yuri"
)
_FEMALE_NAMES = _words(
    "aino anna anne annalena antje aleksandra alexandra alice alina amelie ana andrea angela"
    " anita annika barbara beata birgit brigitte carla caroline catherine cecilia charlotte"
    " christine claudia dagmar daniela diana dorothee ebba elena elina elisabeth elizabeth"
    " elsa emilia emma eva evelina fiona francesca frederike hanna hannah heidi helena helga"
    " hillary ida ilona ines ingrid irina iryna jacinta jane jelena joanna johanna julia julie"
    " juliane kaja kamala karin katalin katarina katarzyna kate katharina kathrin katrin"
    " kersti kristen kristina laura lena linda liz lucia lydia magdalena maia maia malin"
    " margarethe margrethe maria marie marina marine marta mette mia michaela mona monika"
    " nadia nancy natalia natalie nicola nina olena olga paula petra pia rebecca sabine sandra"
    " sanna sara sarah silvia simone sofia sophie susanne svetlana tanja tatiana theresa"
    " ulrike ursula valentina vera viktoria virginia ylva yulia zuzana"
)

PARTICIPLES = _words(
    "saying adding noting stressing warning insisting writing tweeting posting telling"
    " explaining arguing declaring announcing calling describing citing urging accusing"
    " dismissing branding labelling labeling praising hailing claiming asking demanding vowing"
    " pledging suggesting emphasising emphasizing underlining recalling admitting"
    " acknowledging"
)
INVERTED = _words(
    "said says added adds asked wrote writes noted notes explained continued insisted warned"
    " recalled stressed argued declared replied remarked observed admitted concluded tweeted"
    " cautioned quipped joked countered sagte sagt erklarte erklart betonte meinte schrieb"
    " warnte fugte declare dit affirme ajoute estime souligne assure explique lance previent"
    " averti"
)
_MORE_VERBS = _words(
    "say tell tells told stress stresses warn warns emphasised emphasized emphasises"
    " emphasizes underlined underlines insists write tweets posted explains argues declares"
    " announced announces stated responded answered acknowledged conceded claimed claims"
    " asserted urged urges vowed vows pledged promised suggested predicted complained demanded"
    " retorted reiterated repeated confirmed denied called calls described describes dubbed"
    " labelled labeled branded brands hailed praised criticised criticized condemned accused"
    " dismissed blasted slammed raged fumed boasted scoffed mocked cited quoted reckoned lobte"
    " lobt kritisierte forderte fordert warnt betont ausserte erklarte appelle appele salue"
    " estime juge denonce martele insiste prevenu avertit clarified clarifies commented"
    " disclosed revealed signalled signaled hinted lamented acknowledges maintained maintains"
    " observes remarked retorts concedes admits"
)
REPORTING_VERBS = PARTICIPLES | INVERTED | _MORE_VERBS
ADVERBS = _words(
    "also later then has have had was is once previously again further separately reportedly"
    " only repeatedly recently quickly immediately simply earlier privately publicly drily"
    " dryly flatly bluntly angrily already just still even himself herself itself themselves"
)


_FOLD_TABLE = str.maketrans(
    {"ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "đ": "d", "Đ": "D", "ß": "ss", "æ": "ae", "Æ": "Ae",
     "œ": "oe", "ı": "i", "þ": "th", "ð": "d", "’": "'", "ʼ": "'", "‘": "'", "`": "'"}
)  # fmt: skip
# Tokens of one whitespace-free chunk. The look-ahead lets the abbreviation alternation run only
# where a short word is followed by a dot (it used to be tried at every word start).
_TOKEN_RE = re.compile(
    r"(?:[A-Z]\.){2,}|(?=[^\W\d_]{1,5}\.)(?i:"
    + "|".join(sorted(ABBREVIATIONS, key=len, reverse=True))
    + r")\.|[A-Z]\.|[^\W_]+(?:[’'\-][^\W_]+)*|[^\w\s]|_+"
)  # fmt: skip


_FOLDED: dict[str, str] = {}


def fold(text: str) -> str:
    """Casefold and strip diacritics and apostrophe variants (Erdoğan → erdogan)."""
    if text.isascii():
        return text.lower()
    folded = _FOLDED.get(text)
    if folded is None:
        decomposed = unicodedata.normalize("NFKD", text.translate(_FOLD_TABLE))
        folded = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
        if len(_FOLDED) > 100_000:
            _FOLDED.clear()
        _FOLDED[text] = folded
    return folded


def _bare(low: str) -> str:
    """A folded token without a trailing dot or possessive ending."""
    low = low.rstrip(".")
    return low[:-2] if low.endswith("'s") else low


def is_title(low: str) -> bool:
    """True for title, role and nationality words (including German compounds)."""
    low = _bare(low)
    if low in TITLES or low in NATIONALITIES:
        return True
    last = low.rsplit("-", 1)[-1]
    return last in TITLES or last.endswith(_TITLE_SUFFIXES)


def is_lexical(low: str) -> bool:
    """True for any word that can sit inside a speaker noun phrase besides names."""
    low = _bare(low)
    return is_title(low) or low in ANON_HEADS or low in ORG_HEADS or low in ORG_NAMES


_WordInfo = tuple[str, str, bool, bool, bool, bool, bool, bool, bool, bool, bool]
_INFO: dict[str, _WordInfo] = {}


def _word_info(text: str) -> _WordInfo:
    """Folded forms and word classes of one token text (memoised)."""
    info = _INFO.get(text)
    if info is not None:
        return info
    low = fold(text)
    bare = _bare(low)
    word = text[0].isalnum()
    cap = text[0].isupper()
    letters = text.replace(".", "")
    acro = len(letters) >= 2 and letters.isupper()
    poss = low.endswith("'s") and len(low) > 2
    lex = word and is_lexical(bare)
    stop = low in CAP_STOP
    placeish = lex or bare in _PLACE_WORDS or bare in COUNTRY_ADJ
    name = cap and not acro and not stop and not placeish
    npw = word and ((cap and not stop) or lex)
    verb = low in REPORTING_VERBS
    ends = not word or verb or (low in FUNCTION_WORDS and not cap)
    info = (low, bare, word, cap, lex, name, poss, acro, npw, verb, ends)
    if len(_INFO) > 200_000:
        _INFO.clear()
    _INFO[text] = info
    return info


@dataclass(slots=True, eq=False)
class Word:
    """One word or punctuation token's text, folded forms and word classes (shared, no offsets).

    A slotted class rather than a named tuple: the extractor reads these attributes in its
    innermost loops, and slot reads are the fastest attribute access CPython has.
    """

    text: str
    low: str  # folded
    bare: str  # folded, without a trailing dot or possessive 's
    word: bool  # a word, not punctuation
    cap: bool  # capitalised
    lex: bool  # title, role, nationality, anonymous-source or organisation word
    name: bool  # can be part of a personal name
    poss: bool  # possessive: Sweden's
    acro: bool  # all caps: NATO
    npw: bool  # can continue a speaker noun phrase
    verb: bool  # a reporting verb: said, told, adding
    ends: bool  # stops a noun phrase read forwards (punctuation, verb, lowercase function word)


_MISSING: Any = object()
_ONE: dict[str, Word] = {}  # chunks that are a single token ('said', 'Stubb')
_MANY: dict[str, tuple[tuple[int, ...], tuple[Word, ...]]] = {}  # 'said,' → offsets, tokens


def _chunk(chunk: str) -> tuple[tuple[int, ...], tuple[Word, ...]]:
    """The tokens of one whitespace-free chunk and their offsets in it (memoised)."""
    if len(_ONE) + len(_MANY) > 200_000:
        _ONE.clear()
        _MANY.clear()
    texts: list[str] = [chunk] if chunk.isalnum() else _TOKEN_RE.findall(chunk)
    if len(texts) == 1:
        single = _ONE[chunk] = Word(chunk, *_word_info(chunk))
        return (0,), (single,)
    offsets: list[int] = []
    off = 0
    for text in texts:
        off = chunk.find(text, off)
        offsets.append(off)
        off += len(text)
    parts = _MANY[chunk] = (tuple(offsets), tuple(Word(t, *_word_info(t)) for t in texts))
    return parts


def clear_caches() -> None:
    """Forget the memoised words, chunks, noun phrases and speaker keys (bounded anyway)."""
    for cache in (_FOLDED, _INFO, _ONE, _MANY, _CLASSIFIED):
        cache.clear()
    speaker_key.cache_clear()


def _spaced_chunk(piece: str) -> tuple[tuple[int, ...], tuple[Word, ...]]:
    """Tokens and offsets of a space-free piece that may still hold other whitespace (a tab).

    The memos only ever hold whitespace-free chunks, so a piece found there needs no check;
    a piece with a tab or a no-break space inside is split like str.split() would and never
    memoised under its own text.
    """
    subs = piece.split()
    if len(subs) == 1 and subs[0] == piece:
        return _chunk(piece)
    offsets: list[int] = []
    parts: list[Word] = []
    pos = 0
    for sub in subs:
        pos = piece.find(sub, pos)
        sub_offsets, sub_parts = _MANY.get(sub) or _chunk(sub)
        offsets.extend(pos + off for off in sub_offsets)
        parts.extend(sub_parts)
        pos += len(sub)
    return tuple(offsets), tuple(parts)


def tokenize(text: str) -> tuple[list[Word], list[int]]:
    """Split text into word and punctuation tokens (abbreviations keep their dot) and offsets.

    Tokens never contain whitespace, so the text is split into chunks first and each chunk's
    tokens come from a cache: most chunks ('the', 'said,') recur within and across articles.
    Articles only hold spaces and newlines as whitespace (the parser normalises the rest), so
    the text is split on single spaces, which lets a running offset replace a str.find call
    per chunk; the rare piece holding another kind of whitespace misses the memos (they only
    hold whitespace-free chunks) and is split further by `_spaced_chunk`.
    """
    words: list[Word] = []
    starts: list[int] = []
    add_word = words.append
    add_start = starts.append
    one = _ONE.get
    many = _MANY.get
    pos = 0
    for chunk in text.replace("\n", " ").split(" "):  # same length: offsets stay valid
        if chunk:
            word = one(chunk)
            if word is not None:
                add_start(pos)
                add_word(word)
            else:
                offsets, parts = many(chunk) or _spaced_chunk(chunk)
                for off, part in zip(offsets, parts, strict=True):
                    add_start(pos + off)
                    add_word(part)
            pos += len(chunk)
        pos += 1  # the separating space
    return words, starts


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


def _name_run(body: Sequence[Word]) -> int:
    """How many trailing tokens of a noun phrase form a personal name."""
    n = len(body)
    k = n
    while k > 0:
        tok = body[k - 1]
        name_part = tok.name and (k == n or not tok.poss)
        particle = tok.low in PARTICLES and k < n and k >= 2 and body[k - 2].name
        if name_part or particle:
            k -= 1
        elif k == n and n >= 2 and tok.cap and body[n - 2].name and tok.bare in TITLES:
            k -= 1  # a surname that is also a title word: Claudia Major
        else:
            break
    while k < n and body[k].low in PARTICLES:
        k += 1
    return n - k


def _gender_of(first: str, titles: frozenset[str]) -> str | None:
    """Guess a gender from honorifics or a first name, or None."""
    if titles & {"mr", "herr", "m", "monsieur", "sir", "lord", "king", "prince"}:
        return "m"
    if titles & {"mrs", "ms", "miss", "frau", "mme", "madame", "dame", "lady", "queen", "princess"}:
        return "f"
    if first in _FEMALE_NAMES:
        return "f"
    return "m" if first in _MALE_NAMES else None


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


_CLASSIFIED: dict[str, Mention | None] = {}
_new_mention = tuple.__new__


def classify(
    toks: Sequence[Word], starts: Sequence[int], source: str, i: int = 0, j: int = -1
) -> Mention | None:
    """Classify tokens i..j-1 of a noun phrase (starts: their offsets in source) as a mention.

    The result depends only on the text the tokens cover, so it is memoised by that text with
    offsets relative to its start (names and roles recur within and across articles).
    """
    if j < 0:
        j = len(toks)
    if j <= i:
        return None
    base = starts[i]
    key = source[base : starts[j - 1] + len(toks[j - 1].text)]
    known = _CLASSIFIED.get(key, _MISSING)
    if known is _MISSING:
        mention = _classify(toks[i:j], starts[i:j], source)
        if len(_CLASSIFIED) > 50_000:
            _CLASSIFIED.clear()
        if mention is None:
            _CLASSIFIED[key] = None
        else:
            kind, name, head, start, end, words, definite, proper, gender = mention
            _CLASSIFIED[key] = _new_mention(
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

    if len(toks) == 1 and toks[0].low in ("one", "another"):
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
    described = any(
        body[k].low in _PREPOSITIONS and body[k - 1].bare in _DESCRIBED for k in range(1, len(body))
    )
    run = 0 if described else _name_run(body)
    lead = body[: len(body) - run]
    names = list(body[len(body) - run :])
    if names and lead and lead[-1].low in CONNECTORS:
        names = names[len(names) - 2 :] if len(names) >= 3 else []
        lead = body[: len(body) - len(names)]
    proper = any(t.cap for t in body)
    if names:
        text = " ".join(t.text for t in names)
        if text.endswith(("'s", "’s")):
            text = text[:-2]
        titles = _title_words(lead)
        kind = "person" if len(names) >= 2 or titles - NATIONALITIES else "name"
        gender = _gender_of(names[0].low, titles) if len(names) >= 2 else _gender_of("", titles)
        return Mention(kind, text, fold(text.split()[-1]), start, end, titles,
                       definite, True, gender)  # fmt: skip
    core = body
    for idx in range(1, len(body)):
        if body[idx].low in _PREPOSITIONS and body[idx - 1].lex:
            core = body[:idx]  # a spokesperson for Fidesz, Russia's embassy in Riga
            break
    head = core[-1].bare
    if core[-1].poss:
        return None
    if head in ORG_HEADS or head in ORG_NAMES or core[-1].acro:
        kept = [k for k in range(i, len(toks)) if toks[k].low not in _ORG_STATUS]
        text = span_text(kept[0], kept[-1]) if kept else span_text(i, last)
        return Mention("org", text, head, start, end, _title_words(core), definite, proper)
    lex_heads = [t for t in core if t.lex and (t.bare in ANON_HEADS or is_title(t.bare))]
    if not lex_heads:
        if first.cap and len(body) <= 3 and all(t.cap for t in body):
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


def normalise_speaker(name: str) -> str:
    """Strip titles and roles: 'Finnish President Alexander Stubb' → 'Alexander Stubb'."""
    toks, starts = tokenize(name)
    mention = classify(toks, starts, name)
    if mention is None or mention.kind in ("pronoun", "ellipsis"):
        return " ".join(name.split())
    if mention.kind == "org" and not mention.proper:
        return ORG_ALIASES.get(mention.head, mention.name)
    return mention.name


_TRANSLIT = ((re.compile(r"(.)\1"), r"\1"), (re.compile(r"(?:iy|yi|ij|ii)$"), "y"),
             (re.compile(r"ow$"), "ov"))  # fmt: skip


@lru_cache(maxsize=8192)
def speaker_key(name: str) -> str:
    """A merge key for name variants: 'Jens Stoltenberg', 'J. Stoltenberg' → 'stoltenberg j'.

    Memoised: the same speakers recur across an article's quotes and across articles.
    """
    normal = normalise_speaker(name)
    toks = [t for t in tokenize(normal)[0] if t.word]
    folded = [t.bare for t in toks]
    if len(toks) >= 2 and all(t.cap for t in toks) and _name_run(toks) == len(toks):
        surname = folded[-1]
        for pattern, repl in _TRANSLIT:
            surname = pattern.sub(repl, surname)
        return f"{surname} {folded[0][0]}"
    while len(folded) > 1 and folded[0] in ("the", "a", "an", "one"):
        folded.pop(0)
    return " ".join(folded)


def _modifier_ok(toks: Sequence[Word], j: int, stop: int) -> bool:
    """True if a lowercase word at j modifies a lexical head or name within three tokens."""
    tok = toks[j]
    if tok.low in FUNCTION_WORDS or tok.low in REPORTING_VERBS or tok.low in DETERMINERS:
        return False
    for k in range(j + 1, min(j + 4, stop)):
        nxt = toks[k]
        if not nxt.word or nxt.low in FUNCTION_WORDS or nxt.low in REPORTING_VERBS:
            return False
        if nxt.npw:
            return True
    return False


_LOCATIVE = _words("in at from")


def np_forward(toks: Sequence[Word], i: int, stop: int) -> int:
    """End index (exclusive) of the speaker noun phrase that starts at toks[i]; i if none."""
    if i >= stop:
        return i
    tok = toks[i]
    if not tok.word:
        return i
    if tok.low in PRONOUNS:
        return i + 1
    if stop > i + _MAX_NP:
        stop = i + _MAX_NP
    j = body = i + 1 if tok.low in DETERMINERS else i
    seen_head = False
    while j < stop:
        tok = toks[j]
        low = tok.low
        if j > body and low in _LOCATIVE and toks[j - 1].lex and not toks[j - 1].cap:
            k = j + 1 + (j + 1 < stop and toks[j + 1].low in DEFINITE)
            if k < stop and toks[k].cap and toks[k].word:
                j = k
                continue
        if tok.ends:
            break
        if tok.npw or tok.acro:
            j += 1
            if tok.poss and not (j < stop and toks[j].npw):
                break
            seen_head = seen_head or (tok.lex and not tok.poss)
            continue
        nxt_ok = j + 1 < stop and (toks[j + 1].npw or toks[j + 1].low in DEFINITE)
        if j > body and (low in CONNECTORS or low in PARTICLES) and nxt_ok:
            j += 1
            continue
        after_name = j > body and toks[j - 1].cap and not toks[j - 1].lex and body == i
        if not after_name and not seen_head and _modifier_ok(toks, j, stop):
            j += 1
            continue
        break
    return j if j > body else i


def np_backward(toks: Sequence[Word], j: int, floor: int) -> int:
    """Start index of the speaker noun phrase that ends at toks[j]; j + 1 if none."""
    tok = toks[j]
    if not tok.word:
        return j + 1
    if tok.low in PRONOUNS:
        return j
    if not tok.npw and not tok.acro:
        return j + 1
    floor = max(floor, j - _MAX_NP)
    lexical_head = not tok.name and not (tok.low.endswith("s") and tok.low in ANON_HEADS)
    k = j
    mods = 0
    while k - 1 >= floor:
        prev = toks[k - 1]
        low = prev.low
        if not prev.word:
            break
        before = toks[k - 2] if k - 2 >= floor else None
        if (
            (low in CONNECTORS or low in PARTICLES)
            and before is not None
            and before.word
            and (before.npw or before.low in PARTICLES)
        ):
            k -= 1
            continue
        if low in DETERMINERS:
            k -= 1
            break
        if low in ("in", "at", "from") and before is not None and before.lex and not before.cap:
            k -= 1
            continue
        if low in REPORTING_VERBS or low in FUNCTION_WORDS or (prev.cap and low in CAP_STOP):
            break
        if prev.npw or prev.acro:
            k -= 1
            lexical_head = lexical_head and not prev.poss
            continue
        if lexical_head and mods < 3 and _det_within(toks, k - 2, floor, 3 - mods):
            k -= 1
            mods += 1
            continue
        break
    return k


_MAX_NP = 12  # a speaker noun phrase is never longer than this many tokens


def _det_within(toks: Sequence[Word], idx: int, floor: int, n: int) -> bool:
    """True if a determiner sits within n word tokens left of idx (inclusive)."""
    for m in range(n):
        k = idx - m
        if k < floor or not toks[k].word:
            return False
        if toks[k].low in DETERMINERS:
            return True
        if toks[k].low in FUNCTION_WORDS or toks[k].low in REPORTING_VERBS:
            return False
    return False
