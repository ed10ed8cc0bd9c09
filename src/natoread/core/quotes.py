"""Direct quotations in plain-text news articles: pair the quote marks, then attribute them."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable
from dataclasses import dataclass

from natoread.core.models import Quote
from natoread.core.speakers import (
    ABBREVIATIONS,
    ADVERBS,
    INVERTED,
    ORG_NAMES,
    PARTICIPLES,
    REPORTING_VERBS,
    Discourse,
    Mention,
    NameRegistry,
    Word,
    classify,
    normalise_speaker,
    np_backward,
    np_forward,
    speaker_key,
    tokenize,
)

__all__ = ["extract_quotes", "normalise_speaker", "speaker_key"]

_TWO_ALNUM = re.compile(r"[^\W_]{2}")
_MARKS_RE = re.compile("[\"'“”„«»‘’‹›]")
_END_RE = re.compile(r"[.!?…]++[\"'”’»)\]]*+|:")
_OPENERS = "\"'“„«»‘‹”"
_OPEN_AFTER = frozenset(" \t\n\r([{<—–-/:;…“‘„«»\"'")
_SINGLES = ("’", "'")
_SENTENCE_LIKE_END = ".!?…"
_LEADING = frozenset(
    "in on at after before during with without for from despite since until as when while asked"
    " speaking following amid outside inside under over among across unlike like addressing"
    " writing appearing interviewed dans lors nach bei im".split()
)
_CONJUNCTIONS = frozenset(
    "but and yet however meanwhile still also then now instead separately".split()
)
_TITLE_CUES = frozenset(
    "book memoir novel film movie documentary essay report paper study column article op-ed"
    " newspaper magazine podcast series programme program show song album play exercise operation"
    " slogan motto hashtag banner banners sign signs placard placards reading titled entitled named"
    " nicknamed headline website so-called sogenannte sogenannten so-genannte soi-disant dite word"
    " term phrase label".split()
)
_SKIP_BEFORE_TITLE = frozenset("his her its their the a an our my your der die das le la".split())
_TITLE_SMALL = frozenset("of the and for in on a an to at de des la le der die das und du".split())
_VEHICLES = frozenset("statement communique letter post message memo readout note".split())
_AS_OBJECTS = frozenset("me us it him her them reporters".split())
_WINDOW = 60  # tokens of context looked at on either side of a quote
_KONJUNKTIV = frozenset("sei seien habe werde musse konne solle wolle durfe".split())


@dataclass(slots=True)
class _Seg:
    """One quoted segment: mark positions and the offsets of the quoted words."""

    open: int
    close: int  # -1 when the segment runs to the end of its paragraph
    start: int
    end: int
    para: int
    group: int
    first: bool


def _soft_break(line: str) -> bool:
    """True if a newline after this line only wraps a long line (no paragraph break)."""
    return len(line) >= 45 and (line[-1].isalnum() or line[-1] in ",;-–(")


def _paragraphs(text: str) -> list[tuple[int, int]]:
    """Paragraph spans: blank lines always split, single newlines split unless hard-wrapped."""
    paras: list[tuple[int, int]] = []
    cur: list[int] = []
    prev = ""
    pos = 0
    for line in text.split("\n"):
        a = pos
        pos += len(line) + 1
        stripped = line.strip()
        if not stripped:
            if cur:
                paras.append((cur[0], cur[1]))
                cur = []
            continue
        lead = a + len(line) - len(line.lstrip())
        tail = a + len(line.rstrip())
        if cur and _soft_break(prev):
            cur[1] = tail
        else:
            if cur:
                paras.append((cur[0], cur[1]))
            cur = [lead, tail]
        prev = stripped
    if cur:
        paras.append((cur[0], cur[1]))
    return paras


def _opener(text: str, pos: int, a: int, b: int) -> str:
    """The closing marks a mark at pos expects if it opens a quote, else ''."""
    ch = text[pos]
    prev = text[pos - 1] if pos > a else " "
    nxt = text[pos + 1] if pos + 1 < b else " "
    after = text[pos + 2] if pos + 2 < b else " "
    if ch == "“":
        return "”" if not nxt.isspace() else ""
    if ch == "„":
        return "“”" if not nxt.isspace() else ""
    if ch == "«":
        return "»"
    if ch == "‹":
        return "›"
    elided = nxt == "n" and after in "’'"
    if ch == "‘":
        ok = not prev.isalnum() and not nxt.isspace() and not nxt.isdigit() and not elided
        return "’" if ok else ""
    if ch == '"':
        return '"' if (prev.isspace() or prev in _OPEN_AFTER) and not nxt.isspace() else ""
    if ch == "'":
        ok = not prev.isalnum() and prev not in ".,;!?" and nxt.isalpha() and not elided
        return "'" if ok else ""
    if ch in "»”":
        ok = (prev.isspace() or prev in "([:") and nxt.isalnum()
        return ("«" if ch == "»" else "”") if ok else ""
    return ""


class _Scanner:
    """Pairs quote marks paragraph by paragraph in O(n log n)."""

    def __init__(self, text: str, paras: list[tuple[int, int]]) -> None:
        self.text = text
        self.paras = paras
        self.segs: list[_Seg] = []
        self.groups = 0

    def run(self) -> list[_Seg]:
        """Scan every paragraph and return the quoted segments in text order."""
        pending: tuple[int, str] | None = None
        for pi, (a, b) in enumerate(self.paras):
            pending = self._paragraph(pi, a, b, pending)
        return self.segs

    def _closers(self, a: int, b: int, marks: list[int]) -> tuple[dict[str, list[int]], set[int]]:
        """Positions where each mark character may close a quote, and the weak (s') ones."""
        text = self.text
        closers: dict[str, list[int]] = {}
        weak: set[int] = set()
        for pos in marks:
            ch = text[pos]
            prev = text[pos - 1] if pos > a else " "
            nxt = text[pos + 1] if pos + 1 < b else " "
            if ch in "\"'’" and (prev.isspace() or nxt.isalnum()):
                continue
            if ch in _SINGLES:
                if prev == "n" and pos - 2 >= a and text[pos - 2] in "’'":
                    continue
                after = text[pos + 2] if pos + 2 < b else " "
                if prev in "sS" and nxt == " " and after.islower():
                    weak.add(pos)
            closers.setdefault(ch, []).append(pos)
        return closers, weak

    def _paragraph(
        self, pi: int, a: int, b: int, pending: tuple[int, str] | None
    ) -> tuple[int, str] | None:
        """Scan one paragraph; return (group, closers) if a quote continues into the next one."""
        text = self.text
        marks = [m.start() for m in _MARKS_RE.finditer(text, a, b)]
        closers, weak = self._closers(a, b, marks)
        single_opens = [p for p in marks if text[p] in "‘'" and _opener(text, p, a, b)]
        k = 0
        while k < len(marks):
            pos = marks[k]
            wanted = _opener(text, pos, a, b)
            if not wanted:
                k += 1
                continue
            group, first = self.groups, True
            if pending is not None and pos == a and pending[1] == wanted:
                group, first = pending[0], False
            pending = None
            close = self._find_close(pos, wanted, closers, weak, single_opens)
            if close >= 0:
                self._add(pos, close, pos + 1, close, pi, group, first)
                k = bisect_right(marks, close)
                continue
            nxt = self.paras[pi + 1] if pi + 1 < len(self.paras) else None
            continues = nxt is not None and _opener(text, nxt[0], nxt[0], nxt[1]) == wanted
            if continues or nxt is None or pos == a:
                self._add(pos, -1, pos + 1, b, pi, group, first)
                return (group, wanted) if continues else None
            k += 1
        return None

    def _find_close(
        self,
        pos: int,
        wanted: str,
        closers: dict[str, list[int]],
        weak: set[int],
        single_opens: list[int],
    ) -> int:
        """The closing mark for the opener at pos, or -1."""
        best = -1
        for ch in wanted:
            lst = closers.get(ch, [])
            idx = bisect_right(lst, pos)
            if ch in _SINGLES:
                cand = self._single_close(lst, idx, weak, single_opens)
            else:
                cand = lst[idx] if idx < len(lst) else -1
            if cand >= 0 and (best < 0 or cand < best):
                best = cand
        return best

    @staticmethod
    def _single_close(lst: list[int], idx: int, weak: set[int], single_opens: list[int]) -> int:
        """Pick a single-quote closer, skipping plural possessives (allies’ resolve) if possible."""
        first_weak = -1
        for cand in lst[idx : idx + 64]:
            if cand not in weak:
                if first_weak >= 0 and bisect_left(single_opens, first_weak) < bisect_left(
                    single_opens, cand
                ):
                    return first_weak
                return cand
            if first_weak < 0:
                first_weak = cand
        return first_weak

    def _add(
        self, opener: int, close: int, start: int, end: int, pi: int, group: int, first: bool
    ) -> None:
        """Record a segment with surrounding whitespace trimmed."""
        text = self.text
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if first:
            self.groups += 1
        self.segs.append(_Seg(opener, close, start, end, pi, group, first))


def _masked(text: str, segs: list[_Seg]) -> str:
    """The text with every quoted passage blanked out (same length, marks kept)."""
    pieces: list[str] = []
    pos = 0
    for seg in segs:
        pieces.append(text[pos : seg.start])
        pieces.append(" " * (seg.end - seg.start))
        pos = seg.end
    pieces.append(text[pos:])
    return "".join(pieces)


@dataclass(slots=True)
class _Found:
    """An attribution: the speaker mention and how it was found."""

    mention: Mention | None
    via: str
    distance: int = 0
    name: str | None = None


def _is_titlecase(content: str) -> bool:
    """True for names and titles such as 'Coalition of the Willing' (not all-caps shouting)."""
    words = [w.strip(".,;:!?…\"'’”“()") for w in content.split()]
    words = [w for w in words if w]
    if len(words) < 2 or content.isupper():
        return False
    caps = 0
    for word in words:
        if word[0].isupper():
            caps += 1
        elif word.lower() not in _TITLE_SMALL:
            return False
    return caps >= 2


def _registry(toks: list[Word], np: Callable[[int, int], Mention | None]) -> NameRegistry:
    """Collect the people an article names, with titles from prefixes and appositions."""
    found: list[tuple[Mention, frozenset[str]]] = []
    n = len(toks)
    role_end = -1
    role_words: frozenset[str] = frozenset()
    i = 0
    while i < n:
        tok = toks[i]
        if not tok.word or not tok.cap:
            i += 1
            continue
        j = np_forward(toks, i, n)
        if j <= i:
            i += 1
            continue
        if j == i + 1 and not (tok.lex and j < n and toks[j].text == ","):
            i = j
            continue
        mention = np(i, j)
        if mention is not None and mention.kind in ("person", "name"):
            extra: frozenset[str] = frozenset()
            if role_end == i - 1 and toks[i - 1].text == ",":
                extra = role_words
            if j + 1 < n and toks[j].text == ",":
                k = np_forward(toks, j + 1, n)
                if k > j + 1 and (k >= n or toks[k].text in ",.;)"):
                    role = np(j + 1, k)
                    if role is not None and role.kind in ("role", "anon"):
                        extra = extra | role.words
            if mention.kind == "person" or extra:
                found.append((mention, extra))
        elif mention is not None and mention.kind == "role":
            role_end, role_words = j, mention.words
        i = j
    reg = NameRegistry()
    found.sort(key=lambda item: len(item[0].name.split()) < 2)
    for mention, extra in found:
        reg.add(mention, extra)
    return reg


class _Extractor:
    """Walks one article sentence by sentence, tracking who is being talked about."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.paras = _paragraphs(text)
        self.segs = _Scanner(text, self.paras).run()
        self.masked = _masked(text, self.segs)
        self.toks, self.starts = tokenize(self.masked)
        self._spans: dict[tuple[int, int], Mention | None] = {}
        self.reg = _registry(self.toks, self._np)
        self.ctx = Discourse(self.reg)
        self.speaker: str | None = None
        self.speaker_para = -10
        self.prev_subject: str | None = None
        self.label: Mention | None = None
        self.first_word = -1
        self.group_speaker: dict[int, str | None] = {}
        self.group_close = {seg.group: seg.close for seg in self.segs if seg.close >= 0}
        self.prev_seg: dict[int, _Seg] = {}
        last: _Seg | None = None
        for seg in self.segs:
            if last is not None:
                self.prev_seg[id(seg)] = last
            if seg.first and seg.close >= 0:
                last = seg
        self.seg_speaker: dict[int, tuple[str | None, Mention | None]] = {}

    def _np(self, i: int, j: int) -> Mention | None:
        """The speaker mention made of tokens i..j-1 (memoised)."""
        key = (i, j)
        if key not in self._spans:
            self._spans[key] = classify(self.toks[i:j], self.starts[i:j], self.masked) if j > i else None
        return self._spans[key]

    def _ti(self, pos: int) -> int:
        """Index of the first token starting at or after pos."""
        return bisect_left(self.starts, pos)

    def run(self) -> list[Quote]:
        """Extract and attribute every quote in the article."""
        quotes: list[Quote] = []
        by_para: dict[int, list[_Seg]] = {}
        for seg in self.segs:
            by_para.setdefault(seg.para, []).append(seg)
        for pi, (a, b) in enumerate(self.paras):
            segs = by_para.get(pi, [])
            starts = self._sentence_starts(a, b, segs)
            next_seg = 0
            for si, s in enumerate(starts):
                e = starts[si + 1] if si + 1 < len(starts) else b + 1
                ti, tj = self._ti(s), self._ti(e)
                subj, subj_end = self._subject(ti, tj)
                subj_name = self.ctx.resolve(subj) if subj is not None else None
                self.ctx.note(subj, subj_name)
                self.first_word = next((self.starts[k] for k in range(ti, tj) if self.toks[k].word), -1)
                in_sentence: list[_Seg] = []
                while next_seg < len(segs) and segs[next_seg].open < e:
                    in_sentence.append(segs[next_seg])
                    next_seg += 1
                for q in in_sentence:
                    quote = self._quote(q, pi, b, ti, tj, subj)
                    if quote is not None:
                        quotes.append(quote)
                if not in_sentence:
                    self._indirect(subj, subj_name, subj_end, ti, tj, pi)
                self.label = self._label(ti, tj)
                is_person = subj is not None and self.ctx.is_person(subj, subj_name)
                self.prev_subject = subj_name if is_person else None
        return quotes

    # sentences and subjects

    def _sentence_starts(self, a: int, b: int, segs: list[_Seg]) -> list[int]:
        """Sentence start offsets in one paragraph (quoted passages cannot split sentences)."""
        masked = self.masked
        starts = [a]
        for match in _END_RE.finditer(masked, a, b):
            k = match.end()
            if k >= b or not masked[k].isspace() or (masked[k] == "\n" and match.group() == ":"):
                continue
            while k < b and masked[k].isspace():
                k += 1
            if k >= b:
                continue
            nxt = masked[k]
            if match.group() == ":":
                if nxt.isupper():
                    starts.append(k)
                continue
            if (nxt.isupper() or nxt.isdigit() or nxt in _OPENERS) and not self._abbrev(
                match.start(), a, nxt.isupper()
            ):
                starts.append(k)
        for q in segs:
            if q.close < 0 or q.end <= q.start or self.text[q.end - 1] not in _SENTENCE_LIKE_END:
                continue
            k = q.close + 1
            while k < b and masked[k].isspace():
                k += 1
            if k >= b:
                continue
            lo = self._ti(q.close + 1)
            attr = self._post_attr(lo, self._ti(b), False, self.text[q.end - 1] in ".…")
            if masked[k] in _OPENERS or (masked[k].isupper() and attr is None):
                starts.append(k)
        return sorted(set(starts))

    def _abbrev(self, pos: int, a: int, name_follows: bool) -> bool:
        """True if the full stop at pos ends an abbreviation or an initial (J. Stoltenberg)."""
        k = pos
        while k > a and self.masked[k - 1].isalpha():
            k -= 1
        word = self.masked[k:pos]
        initial = len(word) == 1 and word.isupper() and name_follows
        return word.lower() in ABBREVIATIONS or initial

    def _subject(self, ti: int, tj: int) -> tuple[Mention | None, int]:
        """The grammatical subject of a sentence (first noun phrase after any opening adverbial)."""
        toks = self.toks
        i = self._after_dateline(ti, tj)
        while i < tj and (not toks[i].word or toks[i].low in _CONJUNCTIONS):
            i += 1
        if i + 1 < tj and toks[i].low in ("his", "her") and toks[i + 1].word:
            tok = toks[i]  # 'His answer was crisp.' keeps the person he refers to in focus
            pron = "he" if tok.low == "his" else "she"
            start = self.starts[i]
            return Mention("pronoun", tok.text, pron, start, start + len(tok.text)), i + 2
        if i < tj and toks[i].low in _LEADING:
            c = i
            while c < tj and c < i + 30 and toks[c].text != ",":
                c += 1
            if c >= tj or toks[c].text != ",":
                return None, i
            i = c + 1
        for _ in range(3):
            while i < tj and not toks[i].word:
                i += 1
            if i + 1 < tj and toks[i].low in ("one", "another") and not toks[i + 1].npw:
                j = i + 1
                if toks[j].low == "of" and j + 1 < tj:
                    j += 2  # One of them
                return self._apposed(self._np(i, i + 1), j, tj)
            j = np_forward(toks, i, tj)
            if j <= i:
                return None, i
            if toks[j - 1].poss and j < tj and toks[j].word:
                i = j
                continue
            mention = self._np(i, j)
            if mention is None:
                return None, j
            return self._apposed(mention, j, tj)
        return None, i

    def _after_dateline(self, ti: int, tj: int) -> int:
        """Skip a wire dateline such as 'VISBY, Sweden (AP) —' at the start of a sentence."""
        toks = self.toks
        if ti >= tj or not toks[ti].acro or toks[ti].low in ORG_NAMES:
            return ti
        for k in range(ti + 1, min(tj, ti + 12)):
            if toks[k].text in ("—", "–", "-") and k > ti + 1:
                return k + 1
            if toks[k].word and not (toks[k].cap or toks[k].text[0].isdigit()):
                break
        return ti

    def _apposed(self, mention: Mention | None, j: int, hi: int) -> tuple[Mention | None, int]:
        """Prefer the name in 'the minister, Pål Jonson,' or 'Another, a European ambassador,'."""
        toks = self.toks
        if mention is None or mention.kind not in ("role", "ellipsis") or j >= hi:
            return mention, j
        if toks[j].text != ",":
            return mention, j
        k = np_forward(toks, j + 1, hi)
        other = self._np(j + 1, k) if k > j + 1 else None
        wanted = ("person",) if mention.kind == "role" else ("person", "anon")
        if other is not None and other.kind in wanted:
            return other, k
        return mention, j

    def _label(self, ti: int, tj: int) -> Mention | None:
        """A 'Name:' label sentence (live blogs, headlines) whose name speaks in the next one."""
        toks = self.toks
        if tj - 1 <= ti or toks[tj - 1].text != ":":
            return None
        first = ti
        while first < tj and not toks[first].word:
            first += 1
        if np_forward(toks, first, tj) != tj - 1:
            return None
        mention = self._np(first, tj - 1)
        return mention if mention is not None and mention.kind in ("person", "name") else None

    def _indirect(
        self, subj: Mention | None, name: str | None, end: int, ti: int, tj: int, pi: int
    ) -> None:
        """Remember the speaker of reported speech without quote marks (X said that …)."""
        toks = self.toks
        speaker: str | None = None
        for k in range(ti, min(tj, ti + _WINDOW) - 2):
            if toks[k].low == "according" and toks[k + 1].low == "to":
                found = self._np_at(k + 2, tj)
                source = self.ctx.resolve(found) if found is not None else None  # notes sources
                if k == ti or subj is None:
                    speaker = source
                break
        if speaker is None and subj is not None and name is not None:
            v = self._skip_to_verb(end, tj)
            if v is not None and toks[v].low in REPORTING_VERBS and toks[v].low not in PARTICIPLES:
                speaker = name
        if speaker is not None:
            self.speaker, self.speaker_para = speaker, pi

    # attribution

    def _np_at(self, k: int, hi: int) -> Mention | None:
        """The speaker mention starting at token k, if any."""
        j = np_forward(self.toks, k, hi)
        return self._np(k, j) if j > k else None

    def _skip_to_verb(self, j: int, hi: int) -> int | None:
        """Index of the word after a noun phrase, skipping an apposition and adverbs."""
        toks = self.toks
        if j < hi and toks[j].text == "(":
            k = j + 1
            while k < hi and k < j + 8 and toks[k].text != ")":
                k += 1
            j = k + 1 if k < hi and toks[k].text == ")" else j
        if j < hi and toks[j].text == ",":
            k = j + 1
            while k < hi and k < j + 25 and toks[k].text != ",":
                k += 1
            if k >= hi or toks[k].text != ",":
                return None
            j = k + 1
        while j < hi and toks[j].low in ADVERBS:
            j += 1
        return j if j < hi else None

    def _post_attr(self, lo: int, hi: int, colon_ok: bool, stop: bool = False) -> _Found | None:
        """Attribution right after a closing mark: ', X said' / ', said X' / ': X …'.

        stop is True when the quote ended with a full stop: then only 'he said' can follow.
        """
        toks = self.toks
        k = lo
        comma = k < hi and toks[k].text == ","
        if comma:
            k += 1
        if k >= hi:
            return None
        tok = toks[k]
        if tok.text == ":" and colon_ok:
            mention = self._np_at(k + 1, hi)
            ok = mention is not None and mention.kind in ("person", "name", "anon")
            return _Found(mention, "post") if ok else None
        if not tok.word:
            return None
        low = tok.low
        if low == "according" and k + 1 < hi and toks[k + 1].low == "to":
            mention = self._np_at(k + 2, hi)
            return _Found(mention, "post") if mention is not None else None
        if low == "as" and k + 1 < hi:
            j = np_forward(toks, k + 1, hi)
            v = self._skip_to_verb(j, hi) if j > k + 1 else None
            said = v is not None and (toks[v].low in REPORTING_VERBS or toks[v].low == "put")
            after = toks[v + 1] if said and v is not None and v + 1 < hi else None
            ends = after is None or not after.word or after.low in _AS_OBJECTS
            return _Found(self._np(k + 1, j), "post") if said and ends else None
        if low.startswith(("a-t-", "avait-")) and k + 1 < hi and toks[k + 1].low in INVERTED:
            pron = low.rsplit("-", 1)[-1]
            start = self.starts[k]
            return _Found(Mention("pronoun", tok.text, pron, start, start + len(tok.text)), "post")
        if low in ("a", "avait", "hat") and k + 1 < hi and toks[k + 1].low in INVERTED:
            k += 1
            low = toks[k].low
        if low in INVERTED or (low == "so" and comma):
            j = np_forward(toks, k + 1, hi)
            mention, _ = self._apposed(self._np(k + 1, j), j, hi)
            return _Found(mention, "post") if mention is not None else None
        k = self._vehicle(k, hi)
        j = np_forward(toks, k, hi)
        mention = self._np(k, j) if j > k else None
        if mention is None or (stop and mention.kind != "pronoun"):
            return None
        v = self._skip_to_verb(j, hi)
        if v is not None and toks[v].low in REPORTING_VERBS and toks[v].low not in PARTICIPLES:
            return _Found(mention, "post")
        return None

    def _vehicle(self, k: int, hi: int) -> int:
        """Skip 'a statement from' / 'in a letter by' so the issuer becomes the subject."""
        toks = self.toks
        j = k + 1 if k < hi and toks[k].low in ("a", "an", "the", "in") else k
        j += 1 if j < hi and toks[j].low in ("a", "an", "the") else 0
        if j + 1 < hi and toks[j].low in _VEHICLES and toks[j + 1].low in ("from", "by"):
            return j + 2
        return k

    def _verb_subject(self, v: int, lo: int, subj: Mention | None) -> Mention | None:
        """Who performs the reporting verb at token v (its subject, or the sentence subject)."""
        toks = self.toks
        if toks[v].low in PARTICIPLES:
            s = np_backward(toks, v - 1, lo) if v - 1 >= lo else v
            if lo <= s - 1 < v and toks[s - 1].low == "with":
                return self._np(s, v)
            for k in range(v - 1, lo - 1, -1):
                low = toks[k].low
                if low in REPORTING_VERBS and low not in PARTICIPLES and toks[k].word:
                    return self._verb_subject(k, lo, subj)  # 'X said …, adding that …'
            return subj
        k = v - 1
        while k >= lo and toks[k].low in ADVERBS:
            k -= 1
        if k >= lo and toks[k].low in ("a", "avait", "ont", "hat", "habe"):
            k -= 1
        if k < lo:
            return subj
        tok = toks[k]
        if tok.text == ",":
            c = k - 1
            while c >= lo and c > k - 25 and toks[c].text != ",":
                c -= 1
            if c < lo or toks[c].text != ",":
                return subj
            inner = self._np(c + 1, k) if np_forward(toks, c + 1, k) == k else None
            if inner is not None and inner.kind == "person":
                return inner
            if c - 1 >= lo:
                s = np_backward(toks, c - 1, lo)
                outer = self._np(s, c) if s <= c - 1 else None
                if outer is not None:
                    return outer
            return subj
        if tok.low in ("who", "which"):
            if k - 2 >= lo and toks[k - 1].text == ",":
                s = np_backward(toks, k - 2, lo)
                if s <= k - 2:
                    return self._np(s, k - 1)
            return subj
        s = np_backward(toks, k, lo)
        if s <= k:
            mention = self._np(s, k + 1)
            if mention is not None:
                return mention
        c = k
        while c >= lo and c > k - 15:
            tc = toks[c]
            if tc.text in ",;" or tc.low in ("and", "but", "while", "that", "who", "which", "or"):
                break
            if tc.cap and tc.word:
                s = np_backward(toks, c, lo)
                mention = self._np(s, c + 1)
                if mention is not None and mention.kind in ("person", "name"):
                    return mention
            c -= 1
        return subj

    def _frame(self, lo: int, open_i: int, subj: Mention | None) -> tuple[bool, _Found | None]:
        """Is the quote introduced as a full quote (sentence start, colon, 'X said,')? With whom."""
        toks = self.toks
        words = [k for k in range(lo, open_i) if toks[k].word]
        if not words:
            return True, None
        last = open_i - 1
        if toks[last].text == ":":
            return True, self._colon_attr(lo, words, last, subj)
        if toks[last].text != ",":
            return False, None
        k = last - 1
        if toks[k].word and toks[k].low in REPORTING_VERBS:
            return True, _Found(self._verb_subject(k, lo, subj), "pre")
        first = words[0]
        if toks[first].low in ("according", "selon"):
            start = first + 2 if toks[first].low == "according" else first + 1
            mention = self._np_at(start, last)
            if mention is not None:
                return True, _Found(mention, "pre")
        s = np_backward(toks, k, lo)
        if s <= k and s - 1 >= lo and toks[s - 1].low in INVERTED:
            mention = self._np(s, k + 1)
            if mention is not None:
                return True, _Found(mention, "pre")
        return False, None

    def _colon_attr(self, lo: int, words: list[int], c: int, subj: Mention | None) -> _Found | None:
        """Attribution of a quote after a colon: 'X said:', 'X told Y:', 'Rutte:'."""
        toks = self.toks
        for k in reversed(words[-8:]):
            if toks[k].low in REPORTING_VERBS:
                return _Found(self._verb_subject(k, lo, subj), "pre")
        if np_forward(toks, words[0], c) == c:
            mention = self._np(words[0], c)
            if mention is not None and mention.kind in ("person", "name", "org", "anon", "role"):
                return _Found(mention, "pre")
        if subj is not None:
            name = self.ctx.resolve(subj)
            speaks = subj.kind in ("ellipsis", "anon", "org") or self.ctx.is_person(subj, name)
            if name is not None and speaks:
                return _Found(subj, "frame")
        return None

    def _cue(self, lo: int, open_i: int, subj: Mention | None) -> _Found | None:
        """The last reporting verb before an embedded quote, with its subject and distance."""
        toks = self.toks
        dist = 0
        for k in range(open_i - 1, lo - 1, -1):
            tok = toks[k]
            if not tok.word:
                continue
            if tok.low in REPORTING_VERBS or (tok.low == "put" and toks[k + 1].low == "it"):
                return _Found(self._verb_subject(k, lo, subj), "cue", dist)
            dist += 1
        return None

    def _post_cue(self, lo: int, hi: int) -> _Found | None:
        """A parenthetical attribution a few words after the quote: '… must go, he said.'."""
        toks = self.toks
        for k in range(lo, min(hi, lo + 12)):
            text = toks[k].text
            if text in ".!?;":
                return None
            if text != "," or k + 1 >= hi:
                continue
            if toks[k + 1].low in INVERTED:
                j = np_forward(toks, k + 2, hi)
                mention = self._np(k + 2, j)
                if mention is not None and (j >= hi or not toks[j].word):
                    return _Found(mention, "cue", k - lo)
                continue
            j = np_forward(toks, k + 1, hi)
            v = self._skip_to_verb(j, hi) if j > k + 1 else None
            if v is not None and toks[v].low in REPORTING_VERBS and toks[v].low not in PARTICIPLES:
                mention = self._np(k + 1, j)
                if mention is not None:
                    return _Found(mention, "cue", k - lo)
        return None

    def _sentence_cue(self, ti: int, tj: int, pi: int) -> _Found | None:
        """Sentence-wide cues: 'according to X', 'selon X', German reported-speech mood."""
        toks = self.toks
        for k in range(ti, tj):
            low = toks[k].low
            if low == "according" and k + 1 < tj and toks[k + 1].low == "to":
                mention = self._np_at(k + 2, tj)
                if mention is not None:
                    return _Found(mention, "cue")
            if low == "selon":
                mention = self._np_at(k + 1, tj)
                if mention is not None:
                    return _Found(mention, "cue")
        if self.label is not None:
            return _Found(self.label, "label")
        if self.speaker_para >= pi - 1 and any(toks[k].low in _KONJUNKTIV for k in range(ti, tj)):
            return _Found(None, "cue", name=self.speaker)
        return None

    def _title_cue(self, lo: int, open_i: int) -> bool:
        """True if the words before the quote mark it as a title, a name or a scare quote."""
        seen = 0
        for k in range(open_i - 1, lo - 1, -1):
            tok = self.toks[k]
            if not tok.word:
                if tok.text == ",":
                    continue
                break
            if tok.low in _TITLE_CUES:
                return True
            if tok.low in _SKIP_BEFORE_TITLE or tok.poss:
                continue
            seen += 1
            if seen >= 1:
                break
        return False

    def _continuation(self, pi: int) -> str | None:
        """Who speaks an unattributed full quote: the current speaker or the last subject."""
        if self.speaker is not None and self.speaker_para == pi:
            return self.speaker
        if self.prev_subject is not None:
            return self.prev_subject
        if self.speaker is not None and self.speaker_para >= pi - 2:
            return self.speaker
        return None

    def _quote(
        self, q: _Seg, pi: int, b: int, ti: int, tj: int, subj: Mention | None
    ) -> Quote | None:
        """Decide whether a segment is reported speech and, if so, who said it."""
        text = self.text
        content = text[q.start : q.end]
        if _TWO_ALNUM.search(content) is None:
            return None
        if not q.first:
            if q.group not in self.group_speaker:
                return None
            return Quote(content, q.start, q.end, self.group_speaker[q.group], False)
        toks = self.toks
        open_i = self._ti(q.open)
        close = q.close if q.close >= 0 else self.group_close.get(q.group, -1)
        post_lo = self._ti(close + 1) if close >= 0 else len(toks)
        post_hi = min(post_lo + 30, self._ti(b + 1)) if close >= 0 else post_lo
        lo = max(ti, open_i - _WINDOW)
        if self._title_cue(lo, open_i):
            return None
        full, found = self._frame(lo, open_i, subj)
        inherited = self._split(q, lo, open_i) if full and found is None else None
        post = self._post_attr(post_lo, post_hi, full, content[-1] in ".…")
        if post is not None and inherited is None:
            found = post
        ended = content[-1] in _SENTENCE_LIKE_END
        continues = post is None and post_lo < post_hi and toks[post_lo].word
        continues = continues and not (ended and toks[post_lo].cap)
        partial = not full or continues
        if inherited is not None:
            speaker, mention = inherited
            found = _Found(mention, "inherit", name=speaker)
        short = len(content.split()) <= 3
        before = toks[open_i - 1] if open_i - 1 >= lo else None
        det_before = (
            before is not None and before.word and (before.low in _SKIP_BEFORE_TITLE or before.poss)
        )
        if partial and (found is None or found.via == "frame"):
            # an embedded fragment is speech only with a reporting cue close by; short
            # fragments right after 'the'/'a'/'Russia's' need a very close one (scare quotes)
            tight = short and det_before
            found = self._cue(lo, open_i, subj)
            if found is not None and found.distance > (6 if tight else 20):
                found = None
            if found is None:
                found = self._post_cue(post_lo, post_hi)
                if found is not None and found.distance > (4 if tight else 8):
                    found = None
            if found is None:
                found = self._sentence_cue(lo, min(tj, open_i + _WINDOW), pi)
            if found is None:
                return None
        titlecase = _is_titlecase(content)
        if titlecase and (partial or found is None or found.via in ("frame", "label")):
            return None
        if found is None:
            if not self._sentence_like(content):
                return None
            found = _Found(None, "bare", name=self._continuation(pi))
        return self._emit(q, content, found, partial, pi)

    @staticmethod
    def _sentence_like(content: str) -> bool:
        """True if an unattributed quote reads like speech (a clause, not a label)."""
        return len(content.split()) >= 3 or content.rstrip()[-1] in _SENTENCE_LIKE_END

    def _split(self, q: _Seg, ti: int, open_i: int) -> tuple[str | None, Mention | None] | None:
        """The speaker of the first half of a split quote ('…,' X said, '…')."""
        last = self.prev_seg.get(id(q))
        if last is None or last.para != q.para or self.toks[open_i - 1].text != ",":
            return None
        lo = self._ti(last.close + 1)
        if lo < ti or id(last) not in self.seg_speaker:
            return None
        if self._post_attr(lo, open_i, False) is None:
            return None
        return self.seg_speaker[id(last)]

    def _emit(self, q: _Seg, content: str, found: _Found, partial: bool, pi: int) -> Quote:
        """Resolve the speaker, update the discourse state and build the Quote."""
        mention = found.mention
        speaker = found.name
        if speaker is None and mention is not None:
            speaker = self.ctx.resolve(mention)
        self.seg_speaker[id(q)] = (speaker, mention)
        self.group_speaker[q.group] = speaker
        span: tuple[int | None, int | None] = (None, None)
        if mention is not None and found.via != "bare":
            span = (mention.start, mention.end)
        if speaker is not None:
            self.speaker, self.speaker_para = speaker, pi
            # a lone capitalised word opening a sentence may be a common noun ('Allies said')
            named = mention is not None and mention.kind == "name"
            named = named and mention is not None and mention.start != self.first_word
            self.ctx.note(mention, speaker, named)
        return Quote(content, q.start, q.end, speaker, partial, span[0], span[1])


def extract_quotes(text: str) -> tuple[Quote, ...]:
    """Find the direct quotations in a plain-text article and attribute each to a speaker."""
    if not text or _MARKS_RE.search(text) is None:
        return ()
    return tuple(_Extractor(text).run())
