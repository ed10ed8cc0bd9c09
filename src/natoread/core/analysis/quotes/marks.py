"""Quote marks: paragraphs, pairing opening and closing marks, quotes across paragraphs.

`MarkScanner` finds the quoted passages of an article as `QuotedSegment`s; `masked` blanks
them out so the attribution grammar reads only the words around them.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass

from natoread.core.analysis.quotes.languages import grammar_words
from natoread.core.analysis.quotes.tokens import fold
from natoread.core.analysis.quotes.words import INVERTED, REPORTING_VERBS

__all__ = [
    "QUOTE_MARKS_RE",
    "MarkScanner",
    "QuotedSegment",
    "has_dialogue",
    "masked",
    "paragraphs",
]

QUOTE_MARKS_RE = re.compile("[\"'“”„«»‘’‹›]")
_OPEN_AFTER = frozenset(" \t\n\r([{<—–-/:;…“‘„«»\"'")
_SINGLES = ("’", "'")
_STRAY_CLOSERS = frozenset('"”»“')
# dialogue lines ('– Tekst – powiedział minister.'): a dash then a word, the attributing one
_DIALOGUE_LINE_RE = re.compile(r"(?:^|\n)[ \t]*[–—]\s|[.!?…:][\"”»]?[ \t]+[–—][ \t]")
_SAID_DASH_RE = re.compile(r"\s([–—])\s+([^\W\d_]+)")
# the words after an attributing dash up to the next dash or sentence end, and how many of them
# may come before the reporting verb ('– … – szef MON Władysław Kosiniak-Kamysz powiedział')
_TAIL_RE = re.compile(r"[^–—.!?…\n]*")
_TAIL_WORD_RE = re.compile(r"[^\W\d_]+")
_TAIL_WORDS = 6
_THUS = grammar_words("thus_words")  # 'Так Захарова ответила' credits the dash paragraph before
# a dash opening speech after a sentence of narration, inside one paragraph
_INLINE_DASH_RE = re.compile(r"[.!?…:][\"”»]?[ \t]+([–—])[ \t]")
_RESUMED_RE = re.compile(r"[.!?…]\s+([–—])\s")  # '… – powiedział. – Ale …' speaks on
# an attribution inside the marks: ', — додав він, — ' / ', a rappelé Maia Sandu, '
_DASH_INCISE_RE = re.compile(r"[,.]?\s+[—–]\s+([^\W\d_]+)[^—–«»„“”\"\n]{0,160}?[,.]?\s+[—–]\s+")
_COMMA_INCISE_RE = re.compile(
    r",\s+(?:a-t-(?:il|elle)\s+|a\s+|avait\s+)?([^\W\d_]+)(?:-t)?(?:-(?:il|elle|on))?"
    r"(?:\s[^,;«»„“”\"\n]{1,60}?)?[,.]\s+"
)


def has_dialogue(text: str) -> bool:
    """True if some line opens with a dialogue dash (speech without quote marks)."""
    # most texts hold no dash at all: two memchr-fast tests before the line regex
    return ("–" in text or "—" in text) and _DIALOGUE_LINE_RE.search(text) is not None


@dataclass(slots=True)
class QuotedSegment:
    """One quoted segment: mark positions and the offsets of the quoted words."""

    open: int
    close: int  # -1 when the segment runs to the end of its paragraph
    start: int
    end: int
    para: int  # index of its paragraph
    group: int  # segments of one quote share a group (a quote over several paragraphs)
    first: bool  # the first segment of its group


def _soft_break(line: str) -> bool:
    """True if a newline after this line only wraps a long line (no paragraph break)."""
    return len(line) >= 45 and (line[-1].isalnum() or line[-1] in ",;-–(")


def _fits_wrap(prev: str, line: str) -> bool:
    """False if `line` is too long to follow `prev` in text hard-wrapped at one width.

    Wrapping fills each line up to the width, so a line after a wrapped one is no longer than
    it plus the first word that did not fit on it; a much longer line after a short one
    ('Читайте также: …' before a whole paragraph on one line) shows two separate lines.
    """
    first = line.find(" ")
    return len(line) <= len(prev) + 1 + (first if first > 0 else len(line))


def paragraphs(text: str) -> list[tuple[int, int]]:
    """Paragraph spans: blank lines always split, single newlines split unless hard-wrapped.

    The first line is always a paragraph of its own: documents are `title + "\n" + body`, and a
    headline is never wrapped into the body's first sentence.
    """
    paras: list[tuple[int, int]] = []
    lead = tail = -1  # the open paragraph's span; lead < 0 when none is open
    prev = ""
    headline = True  # the open paragraph is the first line
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
        if lead >= 0 and not headline and _soft_break(prev) and _fits_wrap(prev, stripped):
            tail = start + len(stripped)
        else:
            if lead >= 0:
                paras.append((lead, tail))
            lead, tail = start, start + len(stripped)
        prev = stripped
        headline = a == 0  # only the text's first line
    if lead >= 0:
        paras.append((lead, tail))
    return paras


def closers_for(text: str, pos: int, a: int, b: int) -> str:
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


class MarkScanner:
    """Pairs quote marks paragraph by paragraph in O(n log n)."""

    def __init__(self, text: str, paras: list[tuple[int, int]]) -> None:
        self.text = text
        self.paras = paras
        self.segs: list[QuotedSegment] = []
        self.groups = 0

    def run(self) -> list[QuotedSegment]:
        """Scan every paragraph and return the quoted segments in text order."""
        marks = [m.start() for m in QUOTE_MARKS_RE.finditer(self.text)]
        pending: tuple[int, str] | None = None
        for para_index, (a, b) in enumerate(self.paras):
            lo = bisect_left(marks, a)
            hi = bisect_left(marks, b, lo)
            found = len(self.segs)
            pending = self._paragraph(para_index, a, b, pending, marks[lo:hi]) if hi > lo else None
            if self.text[a] in "–—" and para_index > 0:
                if len(self.segs) > found and self._nested_in_dialogue(a, b):
                    del self.segs[found:]  # '– … „czy”, tylko „kiedy” – mówi generał.'
                    pending = None
                if len(self.segs) == found:
                    self._dialogue(para_index, a, b)  # no quote marks, or apostrophes only
            elif para_index > 0 and ("–" in self.text[a:b] or "—" in self.text[a:b]):
                self._inline_dialogue(para_index, a, b, found)
        return self.segs

    def _inline_dialogue(self, para_index: int, a: int, b: int, found: int) -> None:
        """Dash speech after a sentence of narration: 'Sikorski chce presji. – Tekst – mówi.'.

        The dash must follow a sentence end and be closed by a dash and a reporting verb, and
        no quoted passage of the paragraph may lie inside it; its segments are put in text
        order among the paragraph's quoted ones.
        """
        inline = _INLINE_DASH_RE.search(self.text, a, b)
        while inline is not None:
            dash = inline.start(1)
            close = self._said_dash(dash + 1, b)
            opens = self.text[inline.end() : inline.end() + 1]
            if (
                close < 0
                and self.text[inline.start()] == ":"
                and opens.isupper()
                and not any(seg.close < 0 or seg.close > dash for seg in self.segs[found:])
            ):  # 'Sikorska-Wiśniewska odpowiada krótko: – To nie jest …': to the paragraph end
                self._add(dash, -1, dash + 1, b, para_index, self.groups, True)
                return
            if close >= 0 and not any(
                seg.open < close and (seg.close < 0 or seg.close > dash)
                for seg in self.segs[found:]
            ):
                added = len(self.segs)
                self._dialogue(para_index, dash, b)
                if len(self.segs) > added:
                    ordered = sorted(self.segs[found:], key=lambda s: s.start)
                    self.segs[found:] = ordered
                    return
            inline = _INLINE_DASH_RE.search(self.text, inline.end(), b)

    def _dialogue(self, para_index: int, a: int, b: int) -> None:
        """Speech opened by a dash with no quote marks: '– Tekst – powiedział minister.'.

        Only a line whose words are closed by a dash and a reporting verb counts (a dash also
        opens lists and asides); words resumed after the attribution ('… – dodał. – Ale …')
        continue the same quote.
        """
        text = self.text
        piece = a
        group = -1
        while piece >= 0:
            close = self._said_dash(piece + 1, b)
            announced = self._introduced(para_index) or self._credited_next(para_index)
            if close < 0 and group < 0 and not announced:
                return
            end = close if close >= 0 else b
            while end > piece + 1 and text[end - 1] in " \t,":
                end -= 1  # '— Текст, — сказал он' keeps its comma outside the quote
            first = close >= 0 or group < 0
            mark = close - 1 if close >= 0 else -1  # the blank before the dash: the dash attributes
            self._add(
                piece, mark, piece + 1, end, para_index, self.groups if first else group, first
            )
            group = self.groups - 1
            if close < 0:
                return
            resumed = _RESUMED_RE.search(text, close + 1, b)
            piece = resumed.start(1) if resumed is not None else -1

    def _nested_in_dialogue(self, a: int, b: int) -> bool:
        """True if a dialogue line's own words hold the quote marks: they belong to its quote.

        '– To nie jest pytanie „czy”, tylko „kiedy” – mówi generał.' is one quote; a line
        whose words open with a mark ('— «Текст», — сказал он.') keeps its marks.
        """
        k = a + 1
        while k < b and self.text[k].isspace():
            k += 1
        if k >= b or QUOTE_MARKS_RE.match(self.text, k) is not None:
            return False
        return self._said_dash(k, b) >= 0

    def _introduced(self, para_index: int) -> bool:
        """True if the paragraph before ends 'X said:' ('Minister powiedział:', 'Он заявил:'),
        so that a dash line after it is the speech it announces."""
        pa, pb = self.paras[para_index - 1]
        line = self.text[pa:pb].rstrip()
        if not line.endswith(":"):
            return False
        words = _TAIL_WORD_RE.findall(line[-120:])
        return any(fold(word) in REPORTING_VERBS for word in words[-8:])

    def _credited_next(self, para_index: int) -> bool:
        """True if the next paragraph opens 'Так Захарова ответила …' ('So said …'): the dash
        paragraph before it is the speech it credits."""
        if para_index + 1 >= len(self.paras):
            return False
        pa, pb = self.paras[para_index + 1]
        words = [fold(word) for word in _TAIL_WORD_RE.findall(self.text, pa, min(pb, pa + 120))]
        return bool(words) and words[0] in _THUS and any(w in REPORTING_VERBS for w in words[1:6])

    def _said_dash(self, start: int, b: int) -> int:
        """The position of a dash followed by a reporting verb in start..b, or -1.

        The verb may follow a few words later ('– … – minister Jan Kowalski powiedział', '— …,
        — Захарова заявила'), before the next dash or the end of the sentence.
        """
        text = self.text
        for found in _SAID_DASH_RE.finditer(text, start, b):
            if fold(found.group(2)) in REPORTING_VERBS:
                return found.start(1)
            tail = _TAIL_RE.match(text, found.end(2), b)
            words = _TAIL_WORD_RE.findall(tail.group()) if tail is not None else ()
            if any(fold(word) in REPORTING_VERBS for word in words[:_TAIL_WORDS]):
                return found.start(1)
        return -1

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
        self, para_index: int, a: int, b: int, pending: tuple[int, str] | None, marks: list[int]
    ) -> tuple[int, str] | None:
        """Scan one paragraph; return (group, closers) if a quote continues into the next one."""
        text = self.text
        closers, weak = self._closers(a, b, marks)
        single_opens = [p for p in marks if text[p] in "‘'" and closers_for(text, p, a, b)]
        k = 0
        while k < len(marks):
            pos = marks[k]
            wanted = closers_for(text, pos, a, b)
            if not wanted:
                k += 1
                continue
            group, first = self.groups, True
            if pending is not None and pos == a and pending[1] == wanted:
                group, first = pending[0], False
            pending = None
            close = self._find_close(pos, wanted, closers, weak, single_opens, (a, b))
            if close >= 0:
                self._add_quoted(pos, close, para_index, group, first)
                k = bisect_right(marks, close)
                continue
            nxt = self.paras[para_index + 1] if para_index + 1 < len(self.paras) else None
            continues = nxt is not None and closers_for(text, nxt[0], nxt[0], nxt[1]) == wanted
            stray = -1 if continues else _stray_close(text, marks[k + 1 :], b)
            if stray >= 0:  # '« Nos soldats … huit ans."', '„… Artykuł 5 działa".': a wrong mark
                self._add_quoted(pos, stray, para_index, group, first)
                k = bisect_right(marks, stray)
                continue
            if continues or nxt is None or pos == a:
                self._add(pos, -1, pos + 1, b, para_index, group, first)
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
        para: tuple[int, int],
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
                if cand >= 0 and self.text.find(self.text[pos], pos + 1, cand) >= 0:
                    cand = _nested_close(pos, lst, idx, self._openers(pos, para))
            if cand >= 0 and (best < 0 or cand < best):
                best = cand
        return best

    def _openers(self, pos: int, para: tuple[int, int]) -> list[int]:
        """Where the mark at pos opens quotes again later in its paragraph (nesting)."""
        text = self.text
        a, b = para
        found: list[int] = []
        k = text.find(text[pos], pos + 1, b)
        while k >= 0:
            if closers_for(text, k, a, b):
                found.append(k)
            k = text.find(text[pos], k + 1, b)
        return found

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

    def _add_quoted(self, pos: int, close: int, para_index: int, group: int, first: bool) -> None:
        """Record a closed quote, split where an attribution interrupts it inside its marks.

        '«Історія не повторюється, — додав він, — але …»', '« La neutralité …, a rappelé Maia
        Sandu, mais … »': the words between are the attribution, read like any other; both
        halves are one quote (one group) with its speaker.
        """
        incise = _incise(self.text, pos + 1, close)
        if incise is None:
            self._add(pos, close, pos + 1, close, para_index, group, first)
            return
        a, b = incise
        self._add(pos, a, pos + 1, a, para_index, group, first)
        self._add(b - 1, close, b, close, para_index, self.groups - 1 if first else group, False)

    def _add(
        self,
        opener: int,
        close: int,
        start: int,
        end: int,
        para_index: int,
        group: int,
        first: bool,
    ) -> None:
        """Record a segment with surrounding whitespace trimmed."""
        text = self.text
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if first:
            self.groups += 1
        self.segs.append(QuotedSegment(opener, close, start, end, para_index, group, first))


def _stray_close(text: str, later: list[int], b: int) -> int:
    """A closing mark of another kind that ends an unclosed quote at its sentence end, or -1.

    Typed copy closes '«' or '„' with '"' or '”' now and then; only a mark right after the
    sentence's last word and before its end (or the paragraph's) counts.
    """
    for pos in later:
        if text[pos] not in _STRAY_CLOSERS or text[pos - 1].isspace():
            continue
        after = text[pos + 1] if pos + 1 < b else ""
        if after in ("", ".", ",", ";", "!", "?", "…") or after.isspace():
            return pos if after in ("", ".") or pos + 1 >= b or text[pos - 1] in ".!?…" else -1
    return -1


def _incise(text: str, start: int, end: int) -> tuple[int, int] | None:
    """The span of an attribution set inside a quote's marks, or None.

    A dash pair around a reporting verb (', — додав він, — ', ' – dodał minister. – ') or, in
    French, commas around an inverted verb (', a rappelé Maia Sandu, '); the quote must go on
    after it.
    """
    dashed = text.find("—", start, end) >= 0 or text.find("–", start, end) >= 0
    for regex in (_DASH_INCISE_RE, _COMMA_INCISE_RE) if dashed else (_COMMA_INCISE_RE,):
        for found in regex.finditer(text, start, end):
            if found.end() < end - 1 and fold(found.group(1)) in INVERTED:
                return found.start(), found.end()
    return None


def _nested_close(pos: int, closers: list[int], idx: int, same_opens: list[int]) -> int:
    """The closer matching the opener at pos when quotes nest in the same marks.

    '«Это «красная линия», и …»' or '"We call it "deterrence" and …"': every opener of the
    same mark before a closer deepens the quote by one. If the marks never balance in the
    paragraph, the first closer wins (a quote running on, a stray mark).
    """
    if idx >= len(closers):
        return -1
    first = closers[idx]
    o = bisect_right(same_opens, pos)
    if o >= len(same_opens) or same_opens[o] >= first:
        return first  # no opener of the same mark before the first closer: no nesting
    depth = 1
    for close in closers[idx:]:
        while o < len(same_opens) and same_opens[o] < close:
            depth += 1
            o += 1
        depth -= 1
        if depth == 0:
            return close
    return first


def masked(text: str, segs: list[QuotedSegment]) -> str:
    """The text with every quoted passage blanked out (same length, marks kept)."""
    pieces: list[str] = []
    pos = 0
    for seg in segs:
        pieces.append(text[pos : seg.start])
        pieces.append(" " * (seg.end - seg.start))
        pos = seg.end
    pieces.append(text[pos:])
    return "".join(pieces)
