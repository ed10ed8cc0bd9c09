"""Direct quotations in plain-text news articles: find the quoted passages, then attribute them.

`marks` pairs the quote marks; the walk here reads the article sentence by sentence, asking
the attribution grammar (`attribution.Attributor`) who speaks and keeping track of the
current speaker, so that a continued or unattributed quote inherits the right one.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right

from natoread.core.analysis.quotes.attribution import Attributor, Found
from natoread.core.analysis.quotes.cases import cue_end
from natoread.core.analysis.quotes.marks import (
    QUOTE_MARKS_RE,
    MarkScanner,
    QuotedSegment,
    has_dialogue,
    masked,
    paragraphs,
)
from natoread.core.analysis.quotes.mentions import Mention
from natoread.core.analysis.quotes.sentences import SENTENCE_LIKE_END, sentence_starts
from natoread.core.analysis.quotes.transcripts import (
    Layout,
    blank_spans,
    credit_headline,
    has_prefixes,
    headline_prefix,
    read_layout,
    resolve_prefix,
    with_answers,
)
from natoread.core.analysis.quotes.words import (
    ACCORDING_CUES,
    INVERTED,
    KONJUNKTIV,
    PARTICIPLES,
    REPORTING_VERBS,
    SKIP_BEFORE_TITLE,
    TITLE_SMALL,
    TRAILING_CUES,
)
from natoread.core.analysis.records import Quote

__all__ = ["extract_quotes"]

_TWO_ALNUM = re.compile(r"[^\W_]{2}")
_WINDOW = 60  # tokens of context looked at on either side of a quote
# what may stand between two quotes sharing the attribution after the second ('«A». «B», — X')
_BETWEEN_SHARED = " \t\n.!?…"


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
        elif word.lower() not in TITLE_SMALL or not caps:
            return False  # a title opens with a capital: 'in die EU und in die NATO' is speech
    return caps >= 2


class _Extractor:
    """Walks one article sentence by sentence, tracking who is being talked about.

    The attribution grammar (`attr`) reads the masked text; this walk keeps the state that
    carries from sentence to sentence: the current speaker, the last subject, split quotes.
    """

    def __init__(
        self,
        text: str,
        paras: list[tuple[int, int]],
        segs: list[QuotedSegment],
        layout: Layout | None = None,
    ) -> None:
        self.text = text
        self.paras = paras
        self.para_starts = [a for a, _ in paras]
        self.segs = segs
        self.layout = layout or Layout()
        # live-blog times are blanked so that '14:02 Dick Schoof said' reads as a sentence
        words = blank_spans(masked(text, segs), self.layout.stamps)
        self.attr = Attributor(words, [a for a, _ in paras[1:]])
        self.masked = self.attr.masked
        self.toks = self.attr.toks
        self.starts = self.attr.starts
        self.discourse = self.attr.discourse
        self.speaker: str | None = None
        self.speaker_para = -10
        self.prev_subject: str | None = None
        self.label: Mention | None = None
        self.sentence = (0, 0)  # token range of the sentence being read
        self.group_speaker: dict[int, str | None] = {}
        self.group_close = {seg.group: seg.close for seg in self.segs if seg.close >= 0}
        self.prev_seg: dict[int, QuotedSegment] = {}
        self.next_seg: dict[int, QuotedSegment] = {}
        last: QuotedSegment | None = None
        for seg in self.segs:
            if last is not None:
                self.prev_seg[id(seg)] = last
                self.next_seg[id(last)] = seg
            if seg.first and seg.close >= 0:
                last = seg
        self.seg_speaker: dict[int, tuple[str | None, Mention | None]] = {}
        self.people: list[str] | None = None  # the article's people in order, when needed

    def run(self) -> list[Quote]:
        """Extract and attribute every quote in the article."""
        return credit_headline(self._walk(), self.paras[0][1])

    def _walk(self) -> list[Quote]:
        """The sentence-by-sentence walk over the paragraphs up to the last quote."""
        quotes: list[Quote] = []
        by_para: dict[int, list[QuotedSegment]] = {}
        for seg in self.segs:
            by_para.setdefault(seg.para, []).append(seg)
        toks = self.toks
        tok_starts = self.starts
        discourse = self.discourse
        none: list[QuotedSegment] = []
        last_para = self.segs[-1].para if self.segs else -1
        for para_index, (a, b) in enumerate(self.paras):
            if para_index > last_para:
                break  # state built after the last quote can no longer change any attribution
            segs = by_para.get(para_index, none)
            discourse.para_subject = None
            if para_index in self.layout.entries:  # a live-blog entry: nobody is salient yet
                self.speaker, self.speaker_para, self.prev_subject = None, -10, None
                discourse.new_unit(a)
            starts = sentence_starts(self.attr, self.text, a, b, segs)
            starts.append(b + 1)
            next_seg = 0
            sent_start = bisect_left(tok_starts, starts[0])
            for e in starts[1:]:
                sent_end = bisect_left(tok_starts, e, sent_start)
                subj, subj_end = self.attr.subject(sent_start, sent_end)
                subj_name = discourse.resolve(subj) if subj is not None else None
                discourse.note_subject(subj, subj_name)
                self.sentence = (sent_start, sent_end)
                if next_seg < len(segs) and segs[next_seg].open < e:
                    while next_seg < len(segs) and segs[next_seg].open < e:
                        quote = self._quote(
                            segs[next_seg], para_index, b, sent_start, sent_end, subj
                        )
                        next_seg += 1
                        if quote is not None:
                            quotes.append(quote)
                    if para_index == last_para and next_seg == len(segs):
                        return quotes
                else:
                    self._indirect(subj, subj_name, subj_end, sent_start, sent_end, para_index)
                labelled = (
                    sent_end - 1 > sent_start and toks[sent_end - 1].text == ":"
                )  # cheap test first
                self.label = self.attr.label(sent_start, sent_end) if labelled else None
                is_person = subj is not None and discourse.is_person(subj, subj_name)
                self.prev_subject = subj_name if is_person else None
                sent_start = sent_end
        return quotes

    def _first_word(self) -> int:
        """Offset of the current sentence's first word, or -1."""
        sent_start, sent_end = self.sentence
        toks = self.toks
        return next((self.starts[k] for k in range(sent_start, sent_end) if toks[k].word), -1)

    def _indirect(
        self,
        subj: Mention | None,
        name: str | None,
        end: int,
        sent_start: int,
        sent_end: int,
        para_index: int,
    ) -> None:
        """Remember the speaker of reported speech without quote marks (X said that …)."""
        toks = self.toks
        speaker: str | None = None
        for k in range(sent_start, min(sent_end, sent_start + _WINDOW) - 2):
            cue = cue_end(toks, k, sent_end) if toks[k].low in ACCORDING_CUES else -1
            if cue > k:
                found = self.attr.cued_mention_at(cue, sent_end)
                source = (
                    self.discourse.resolve(found) if found is not None else None
                )  # notes sources
                if k == sent_start or subj is None:
                    speaker = source
                break
        if speaker is None and sent_end - sent_start > 4:
            speaker = self._trailing(sent_start, sent_end)
        if speaker is None and subj is not None and name is not None:
            v = self.attr.skip_to_verb(end, sent_end)
            if v is not None and toks[v].low in REPORTING_VERBS and toks[v].low not in PARTICIPLES:
                speaker = name
        if speaker is not None:
            self.speaker, self.speaker_para = speaker, para_index

    def _trailing(self, sent_start: int, sent_end: int) -> str | None:
        """Who a sentence ending ', so Scholz.' reports (German agency style), or None."""
        toks = self.toks
        last = sent_end - 1 if toks[sent_end - 1].text in ".!?…" else sent_end
        for k in range(last - 1, max(sent_start + 1, last - 8), -1):
            trailing = toks[k].low in TRAILING_CUES or toks[k].low in INVERTED  # ', sagte sie.'
            if trailing and toks[k - 1].text == ",":
                found = self.attr.mention_at(k + 1, last)
                if found is None or found.end != self.starts[last - 1] + len(toks[last - 1].text):
                    return None
                return self.discourse.resolve(found)
        return None

    def _sentence_cue(self, sent_start: int, sent_end: int, para_index: int) -> Found | None:
        """Sentence-wide cues: 'according to X', 'selon X', German reported-speech mood."""
        toks = self.toks
        for k in range(sent_start, sent_end):
            cue = cue_end(toks, k, sent_end) if toks[k].low in ACCORDING_CUES else -1
            if cue > k:
                mention = self.attr.cued_mention_at(cue, sent_end)
                if mention is not None:
                    return Found(mention, "cue")
        if self.label is not None:
            return Found(self.label, "label")
        if self.speaker_para >= para_index - 1 and any(
            toks[k].low in KONJUNKTIV for k in range(sent_start, sent_end)
        ):
            return Found(None, "cue", name=self.speaker)
        return None

    def _continuation(self, para_index: int) -> str | None:
        """Who speaks an unattributed full quote: the current speaker or the last subject."""
        if self.speaker is not None and self.speaker_para == para_index:
            return self.speaker
        if self.prev_subject is not None:
            return self.prev_subject
        if self.speaker is not None and self.speaker_para >= para_index - 2:
            return self.speaker
        return None

    def _quote(
        self,
        q: QuotedSegment,
        para_index: int,
        b: int,
        sent_start: int,
        sent_end: int,
        subj: Mention | None,
    ) -> Quote | None:
        """Decide whether a segment is reported speech and, if so, who said it."""
        text = self.text
        content = text[q.start : q.end]
        if _TWO_ALNUM.search(content) is None:
            return None
        if content[0].isupper() and content.isalpha():
            return None  # one capitalised word: a name or a title («Коммерсанту», «Медузой»)
        if q.para in self.layout.answers:
            return self._answer(q, content, para_index)
        if not q.first:
            if q.group not in self.group_speaker:
                return None
            return Quote(content, q.start, q.end, self.group_speaker[q.group], False)
        toks = self.toks
        tok_starts = self.starts
        open_i = bisect_left(tok_starts, q.open, sent_start)
        close = q.close if q.close >= 0 else self.group_close.get(q.group, -1)
        if close >= 0:
            # A quote running over paragraphs is attributed after its close, in a later one.
            end = b if close < b else self.paras[bisect_right(self.para_starts, close) - 1][1]
            post_lo = bisect_left(tok_starts, close + 1, open_i)
            post_hi = bisect_left(tok_starts, end + 1, post_lo)
            if post_hi > post_lo + 30:
                post_hi = post_lo + 30
        else:
            post_lo = post_hi = len(toks)
        lo = open_i - _WINDOW if open_i - _WINDOW > sent_start else sent_start
        if self.attr.title_cue(lo, open_i):
            return None
        full, found = self.attr.frame(lo, open_i, subj)
        inherited = self._split(q, lo, open_i) if full and found is None else None
        post = self.attr.after_quote(post_lo, post_hi, full, content[-1] in ".…")
        if post is None and close >= 0 and not any(toks[k].word for k in range(post_lo, post_hi)):
            post = self._dash_line(para_index + 1, full)
        if post is not None and inherited is None:
            found = post
        ended = content[-1] in SENTENCE_LIKE_END
        # Words after the close of a quote that ran over paragraphs are the next paragraph's
        # narration, never the rest of an embedded fragment.
        continues = post is None and close < b and post_lo < post_hi and toks[post_lo].word
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
            found = self.attr.cue_before(lo, open_i, subj)
            if found is not None and found.distance > (6 if tight else 20):
                found = None
            if found is None:
                found = self.attr.cue_after(post_lo, post_hi)
                if found is not None and found.distance > (4 if tight else 8):
                    found = None
            if found is None:
                found = self._sentence_cue(lo, min(sent_end, open_i + _WINDOW), para_index)
            if found is None:
                return None
        weak = partial or found is None or found.via in ("frame", "label")
        if weak and _is_titlecase(content):
            return None
        if found is None and close >= 0:
            found = self._shared(q, close, b)
        if (found is None or found.mention is None) and para_index == 0:
            found = self._headline(q) or found
        if found is None:
            if not self._sentence_like(content):
                return None
            found = Found(None, "bare", name=self._continuation(para_index))
        if found.mention is not None and not self.discourse.can_speak(found.mention):
            found = Found(None, "bare", name=None if partial else self._continuation(para_index))
        return self._emit(q, content, found, partial, para_index)

    def _answer(self, q: QuotedSegment, content: str, para_index: int) -> Quote:
        """A transcript or interview answer: its prefix, or the interviewee, speaks."""
        if self.people is None:
            self.people = self.attr.registry.people_in_order()
        prefix = self.layout.answers[q.para].prefix
        head = self.text[: self.paras[0][1]]
        speaker = resolve_prefix(prefix, self.attr.registry, self.people, head)
        return self._emit(q, content, Found(None, "transcript", name=speaker), False, para_index)

    def _headline(self, q: QuotedSegment) -> Found | None:
        """'Rutte: "…"' or '«…» — Зеленський' as a headline: the name beside the quote."""
        prefix = headline_prefix(self.text, self.paras[0][1], q.open, q.close)
        if prefix is None:
            return None
        if self.people is None:
            self.people = self.attr.registry.people_in_order()
        speaker = resolve_prefix(prefix, self.attr.registry, self.people)
        return Found(None, "headline", name=speaker) if speaker is not None else None

    def _shared(self, q: QuotedSegment, close: int, b: int) -> Found | None:
        """The attribution of the next quote when it follows at once: '"A." "B," he said.'."""
        nxt = self.next_seg.get(id(q))
        if nxt is None or nxt.para != q.para or nxt.close < 0 or not nxt.first:
            return None
        if self.masked[close + 1 : nxt.open].strip(_BETWEEN_SHARED):
            return None  # words between: the next quote has its own frame
        lo = self.attr.token_index(nxt.close + 1)
        hi = self.attr.token_index(b + 1)
        found = self.attr.after_quote(lo, min(hi, lo + 30), True, self.text[nxt.end - 1] in ".…")
        return Found(found.mention, "shared") if found is not None else None

    def _dash_line(self, para_index: int, full: bool) -> Found | None:
        """The attribution on a line of its own after a quote paragraph: '– заявил Песков.'.

        Broadcasters and agencies set the quote as one paragraph and the attribution, opened by
        a dash, as the next; only a dash followed by the attribution grammar counts.
        """
        if para_index >= len(self.paras):
            return None
        a, b = self.paras[para_index]
        if self.masked[a] not in "–—":
            return None
        lo = self.attr.token_index(a)
        hi = self.attr.token_index(b + 1)
        return self.attr.after_quote(lo, min(hi, lo + 30), full)

    @staticmethod
    def _sentence_like(content: str) -> bool:
        """True if an unattributed quote reads like speech (a clause, not a label)."""
        return len(content.split()) >= 3 or content.rstrip()[-1] in SENTENCE_LIKE_END

    def _split(
        self, q: QuotedSegment, sent_start: int, open_i: int
    ) -> tuple[str | None, Mention | None] | None:
        """The speaker of the first half of a split quote ('…,' X said, '…')."""
        last = self.prev_seg.get(id(q))
        if last is None or last.para != q.para or self.toks[open_i - 1].text != ",":
            return None
        lo = self.attr.token_index(last.close + 1)
        if lo < sent_start or id(last) not in self.seg_speaker:
            return None
        if self.attr.after_quote(lo, open_i, False) is None:
            return None
        return self.seg_speaker[id(last)]

    def _emit(
        self, q: QuotedSegment, content: str, found: Found, partial: bool, para_index: int
    ) -> Quote:
        """Resolve the speaker, update the discourse state and build the Quote."""
        mention = found.mention
        speaker = found.name
        if speaker is None and mention is not None:
            speaker = self.discourse.resolve(mention)
        self.seg_speaker[id(q)] = (speaker, mention)
        self.group_speaker[q.group] = speaker
        span: tuple[int | None, int | None] = (None, None)
        if mention is not None and found.via != "bare":
            span = (mention.start, mention.end)
        if speaker is not None:
            self.speaker, self.speaker_para = speaker, para_index
            # a lone capitalised word opening a sentence may be a common noun ('Allies said')
            named = mention is not None and mention.kind == "name"
            named = named and mention is not None and mention.start != self._first_word()
            self.discourse.note(mention, speaker, named)
        if speaker in self.discourse.anonymous:  # 'an EU diplomat' is no name: no speaker
            speaker, span = None, (None, None)
        return Quote(content, q.start, q.end, speaker, partial, span[0], span[1])


def extract_quotes(text: str) -> tuple[Quote, ...]:
    """Find the direct quotations in a plain-text article and attribute each to a speaker."""
    if not text:
        return ()
    marked = QUOTE_MARKS_RE.search(text) is not None or has_dialogue(text)
    if not marked and not has_prefixes(text):
        return ()
    paras = paragraphs(text)
    layout = read_layout(text, paras)
    segs = with_answers(MarkScanner(text, paras).run() if marked else [], layout)
    if not segs:
        return ()  # apostrophes only: nothing to tokenise or attribute
    return tuple(_Extractor(text, paras, segs, layout).run())
