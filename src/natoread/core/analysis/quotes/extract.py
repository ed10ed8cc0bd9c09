"""Direct quotations in plain-text news articles: pair the quote marks, then attribute them.

This module finds the quoted passages (paragraphs, quote-mark pairing, multi-paragraph quotes)
and walks the article sentence by sentence; `attribution` finds speakers and subjects, `speakers`
holds the lexicons and the noun-phrase grammar.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass

from natoread.core.analysis.quotes.attribution import SKIP_BEFORE_TITLE, Attributor, Found
from natoread.core.analysis.quotes.speakers import (
    ABBREVIATIONS,
    PARTICIPLES,
    REPORTING_VERBS,
    Mention,
    normalise_speaker,
    speaker_key,
)
from natoread.core.analysis.records import Quote

__all__ = ["extract_quotes", "normalise_speaker", "speaker_key"]

_TWO_ALNUM = re.compile(r"[^\W_]{2}")
_MARKS_RE = re.compile("[\"'“”„«»‘’‹›]")
# a sentence-ending mark, then (if any) the blanks after it and the character that follows them
# (the leading character class lets the regex engine skip quickly to candidate marks)
_END_NEXT_RE = re.compile(r"[.!?…:](?:(?<!:)[.!?…]*+[\"'”’»)\]]*+)?(?:(\s+)(?=(\S)))?")
_OPENERS = "\"'“„«»‘‹”"
_OPEN_AFTER = frozenset(" \t\n\r([{<—–-/:;…“‘„«»\"'")
_SINGLES = ("’", "'")
_SENTENCE_LIKE_END = ".!?…"
_TITLE_SMALL = frozenset("of the and for in on a an to at de des la le der die das und du".split())
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
    lead = tail = -1  # the open paragraph's span; lead < 0 when none is open
    prev = ""
    pos = 0
    for line in text.split("\n"):
        a = pos
        pos += len(line) + 1
        stripped = line.strip()
        if not stripped:
            if lead >= 0:
                paras.append((lead, tail))
                lead = -1
            continue
        # most lines carry no blanks at either end: then the span is the line itself
        start = a if len(stripped) == len(line) else a + len(line) - len(line.lstrip())
        if lead >= 0 and _soft_break(prev):
            tail = start + len(stripped)
        else:
            if lead >= 0:
                paras.append((lead, tail))
            lead, tail = start, start + len(stripped)
        prev = stripped
    if lead >= 0:
        paras.append((lead, tail))
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
        marks = [m.start() for m in _MARKS_RE.finditer(self.text)]
        pending: tuple[int, str] | None = None
        for pi, (a, b) in enumerate(self.paras):
            lo = bisect_left(marks, a)
            hi = bisect_left(marks, b, lo)
            pending = self._paragraph(pi, a, b, pending, marks[lo:hi]) if hi > lo else None
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
        self, pi: int, a: int, b: int, pending: tuple[int, str] | None, marks: list[int]
    ) -> tuple[int, str] | None:
        """Scan one paragraph; return (group, closers) if a quote continues into the next one."""
        text = self.text
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


def _is_titlecase(content: str) -> bool:
    """True for names and titles such as 'Coalition of the Willing' (not all-caps shouting)."""
    if content.isupper():
        return False
    caps = 0
    for raw in content.split():
        word = raw.strip(".,;:!?…\"'’”“()")
        if not word:
            continue
        if word[0].isupper():
            caps += 1
        elif word.lower() not in _TITLE_SMALL:
            return False
    return caps >= 2


class _Extractor(Attributor):
    """Walks one article sentence by sentence, tracking who is being talked about."""

    def __init__(self, text: str, paras: list[tuple[int, int]], segs: list[_Seg]) -> None:
        self.text = text
        self.paras = paras
        self.segs = segs
        super().__init__(_masked(text, segs))
        self.speaker: str | None = None
        self.speaker_para = -10
        self.prev_subject: str | None = None
        self.label: Mention | None = None
        self.sentence = (0, 0)  # token range of the sentence being read
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

    def run(self) -> list[Quote]:
        """Extract and attribute every quote in the article."""
        quotes: list[Quote] = []
        by_para: dict[int, list[_Seg]] = {}
        for seg in self.segs:
            by_para.setdefault(seg.para, []).append(seg)
        toks = self.toks
        tok_starts = self.starts
        ctx = self.ctx
        none: list[_Seg] = []
        last_para = self.segs[-1].para if self.segs else -1
        for pi, (a, b) in enumerate(self.paras):
            if pi > last_para:
                break  # state built after the last quote can no longer change any attribution
            segs = by_para.get(pi, none)
            starts = self._sentence_starts(a, b, segs)
            starts.append(b + 1)
            next_seg = 0
            ti = bisect_left(tok_starts, starts[0])
            for e in starts[1:]:
                tj = bisect_left(tok_starts, e, ti)
                subj, subj_end = self._subject(ti, tj)
                subj_name = ctx.resolve(subj) if subj is not None else None
                ctx.note(subj, subj_name)
                self.sentence = (ti, tj)
                if next_seg < len(segs) and segs[next_seg].open < e:
                    while next_seg < len(segs) and segs[next_seg].open < e:
                        quote = self._quote(segs[next_seg], pi, b, ti, tj, subj)
                        next_seg += 1
                        if quote is not None:
                            quotes.append(quote)
                    if pi == last_para and next_seg == len(segs):
                        return quotes
                else:
                    self._indirect(subj, subj_name, subj_end, ti, tj, pi)
                labelled = tj - 1 > ti and toks[tj - 1].text == ":"  # cheap test first
                self.label = self._label(ti, tj) if labelled else None
                is_person = subj is not None and ctx.is_person(subj, subj_name)
                self.prev_subject = subj_name if is_person else None
                ti = tj
        return quotes

    def _first_word(self) -> int:
        """Offset of the current sentence's first word, or -1."""
        ti, tj = self.sentence
        toks = self.toks
        return next((self.starts[k] for k in range(ti, tj) if toks[k].word), -1)

    def _sentence_starts(self, a: int, b: int, segs: list[_Seg]) -> list[int]:
        """Sentence start offsets in one paragraph (quoted passages cannot split sentences)."""
        masked = self.masked
        starts = [a]
        for match in _END_NEXT_RE.finditer(masked, a, b):
            space, nxt = match.groups()
            if space is None:
                continue  # no blank after the mark, or only blanks up to the paragraph end
            if masked[match.start()] == ":":
                if space[0] != "\n" and nxt.isupper():
                    starts.append(match.end())
                continue
            if (nxt.isupper() or nxt.isdigit() or nxt in _OPENERS) and not self._abbrev(
                match.start(), a, nxt.isupper()
            ):
                starts.append(match.end())
        text = self.text
        regular = len(starts)
        for q in segs:
            if q.close < 0 or q.end <= q.start or text[q.end - 1] not in _SENTENCE_LIKE_END:
                continue
            k = q.close + 1
            while k < b and masked[k].isspace():
                k += 1
            if k >= b:
                continue
            nxt = masked[k]
            if nxt in _OPENERS:
                starts.append(k)
            elif nxt.isupper():
                lo = self._ti(q.close + 1)
                if self._post_attr(lo, self._ti(b), False, text[q.end - 1] in ".…") is None:
                    starts.append(k)
        return starts if len(starts) == regular else sorted(set(starts))

    def _abbrev(self, pos: int, a: int, name_follows: bool) -> bool:
        """True if the full stop at pos ends an abbreviation or an initial (J. Stoltenberg)."""
        masked = self.masked
        k = pos
        floor = a if a > pos - 6 else pos - 6  # abbreviations have at most five letters
        while k > floor and masked[k - 1].isalpha():
            k -= 1
        word = masked[k:pos]
        if len(word) == 6:
            return False
        initial = len(word) == 1 and word.isupper() and name_follows
        return word.lower() in ABBREVIATIONS or initial

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

    def _sentence_cue(self, ti: int, tj: int, pi: int) -> Found | None:
        """Sentence-wide cues: 'according to X', 'selon X', German reported-speech mood."""
        toks = self.toks
        for k in range(ti, tj):
            low = toks[k].low
            if low == "according" and k + 1 < tj and toks[k + 1].low == "to":
                mention = self._np_at(k + 2, tj)
                if mention is not None:
                    return Found(mention, "cue")
            if low == "selon":
                mention = self._np_at(k + 1, tj)
                if mention is not None:
                    return Found(mention, "cue")
        if self.label is not None:
            return Found(self.label, "label")
        if self.speaker_para >= pi - 1 and any(toks[k].low in _KONJUNKTIV for k in range(ti, tj)):
            return Found(None, "cue", name=self.speaker)
        return None

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
        tok_starts = self.starts
        open_i = bisect_left(tok_starts, q.open, ti)
        close = q.close if q.close >= 0 else self.group_close.get(q.group, -1)
        if close >= 0:
            post_lo = bisect_left(tok_starts, close + 1, open_i)
            post_hi = bisect_left(tok_starts, b + 1, post_lo)
            if post_hi > post_lo + 30:
                post_hi = post_lo + 30
        else:
            post_lo = post_hi = len(toks)
        lo = open_i - _WINDOW if open_i - _WINDOW > ti else ti
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
            found = Found(mention, "inherit", name=speaker)
        if partial and (found is None or found.via == "frame"):
            # an embedded fragment is speech only with a reporting cue close by; short
            # fragments right after 'the'/'a'/'Russia's' need a very close one (scare quotes)
            before = toks[open_i - 1] if open_i - 1 >= lo else None
            det_before = (
                before is not None
                and before.word
                and (before.low in SKIP_BEFORE_TITLE or before.poss)
            )
            tight = det_before and len(content.split()) <= 3
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
        weak = partial or found is None or found.via in ("frame", "label")
        if weak and _is_titlecase(content):
            return None
        if found is None:
            if not self._sentence_like(content):
                return None
            found = Found(None, "bare", name=self._continuation(pi))
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

    def _emit(self, q: _Seg, content: str, found: Found, partial: bool, pi: int) -> Quote:
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
            named = named and mention is not None and mention.start != self._first_word()
            self.ctx.note(mention, speaker, named)
        return Quote(content, q.start, q.end, speaker, partial, span[0], span[1])


def extract_quotes(text: str) -> tuple[Quote, ...]:
    """Find the direct quotations in a plain-text article and attribute each to a speaker."""
    if not text or _MARKS_RE.search(text) is None:
        return ()
    paras = _paragraphs(text)
    segs = _Scanner(text, paras).run()
    if not segs:
        return ()  # apostrophes only: nothing to tokenise or attribute
    return tuple(_Extractor(text, paras, segs).run())
