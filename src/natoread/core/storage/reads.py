"""Read-only queries of the store (a mixin of `Store`): lists, counts, quotes, speakers.

Rows are built with sanitised titles and links and a date in the sane range, whatever an
older version stored (see `sanitize` and `dates`).

The article records are imported where they are built: a poll pass that stores nothing never
defines them (see `feedrecords.py`).
"""

from __future__ import annotations

import json
from array import array
from collections.abc import Sequence
from typing import TYPE_CHECKING

from natoread.core.storage.connection import StoreConnection
from natoread.core.text.dates import from_epoch
from natoread.core.text.sanitize import clean_line, neutralise

if TYPE_CHECKING:
    from natoread.core.analysis.records import Quote
    from natoread.core.storage.records import ArticleDetail, ArticleQuery, ArticleRow, StoredQuote

_QUOTE_FIELDS = ("text", "start", "end", "speaker", "partial", "speaker_start", "speaker_end")
_QUOTE_COLUMNS = ", ".join(_QUOTE_FIELDS)


def _document_char(index: str) -> str:
    """SQL: the character at `index` of an article's document (`ArticleDetail.document`:
    title, newline, body), '' outside it; `a` is the article."""
    return (
        f"CASE WHEN {index} < length(a.title) THEN substr(a.title, {index} + 1, 1)"
        f" WHEN {index} = length(a.title) THEN char(10)"
        f" ELSE substr(a.body, {index} - length(a.title), 1) END"
    )


def _quote(row: Sequence[object]) -> Quote:
    """The first seven columns of a row (`_QUOTE_COLUMNS`) → Quote."""
    from natoread.core.analysis.records import Quote

    return Quote(
        text=str(row[0]),
        start=int(row[1]),  # type: ignore[call-overload]
        end=int(row[2]),  # type: ignore[call-overload]
        speaker=row[3] if isinstance(row[3], str) else None,
        partial=bool(row[4]),
        speaker_start=row[5] if isinstance(row[5], int) else None,
        speaker_end=row[6] if isinstance(row[6], int) else None,
    )


_NEWEST_FIRST = " ORDER BY a.published DESC, a.id DESC"


class ArticleReads(StoreConnection):
    """Queries that only read (a part of `Store`)."""

    def where_clause(self, query: ArticleQuery | None) -> tuple[str, list[object]]:
        """SQL WHERE clause and parameters for a query (None: every article); also the base
        of the other orders of `ordering.py`."""
        clauses: list[str] = []
        params: list[object] = []
        if query is None:
            return "", params
        if query.unread:
            clauses.append("a.read=0")
        if query.starred:
            clauses.append("a.starred=1")
        if query.matching:
            clauses.append("(a.matched=1 OR a.feed_id IN (SELECT id FROM feed WHERE show_all=1))")
        if query.feed_id is not None:
            clauses.append("a.feed_id=?")
            params.append(query.feed_id)
        if query.feed:
            clauses.append(
                "a.feed_id IN (SELECT id FROM feed WHERE url=? OR title=? COLLATE NOCASE)"
            )
            params.extend([query.feed, query.feed])
        if query.topic:
            clauses.append("a.id IN (SELECT article_id FROM article_topic WHERE topic=?)")
            params.append(query.topic)
        if query.since is not None:
            clauses.append("a.published>=?")
            params.append(query.since)
        # Hidden articles are few and have their own index: as a set of ids, leaving them out
        # costs no lookup of each listed article (the date index alone lists them all).
        hidden = "IN" if query.hidden else "NOT IN"
        clauses.append(f"a.id {hidden} (SELECT id FROM article WHERE hidden=1)")
        if query.tag:
            clauses.append("a.id IN (SELECT article_id FROM article_tag WHERE tag=?)")
            params.append(query.tag)
        if query.article_ids is not None:
            clauses.append("a.id IN (SELECT value FROM json_each(?))")
            params.append(json.dumps(list(query.article_ids)))
        return (" WHERE " + " AND ".join(clauses)) if clauses else "", params

    _ROW_SQL = (
        "SELECT a.id, a.feed_id, COALESCE(NULLIF(f.title,''), f.url), a.title, a.link, a.published,"
        " a.read, a.starred, a.matched, a.score, a.topics, a.quote_count,"
        " (SELECT group_concat(tag, char(31)) FROM (SELECT tag FROM article_tag"
        " WHERE article_id=a.id ORDER BY tag))"
        " FROM article a JOIN feed f ON f.id=a.feed_id"
    )

    @staticmethod
    def _row(row: Sequence[object]) -> ArticleRow:
        """A result row → ArticleRow."""
        from natoread.core.storage.records import ArticleRow

        topics = str(row[10])
        return ArticleRow(
            id=int(row[0]),  # type: ignore[call-overload]
            feed_id=int(row[1]),  # type: ignore[call-overload]
            feed_title=clean_line(str(row[2])),
            # One character for one: topic spans and quotes are offsets into title + body.
            title=neutralise(str(row[3])),
            link=clean_line(row[4], 4096) or None if isinstance(row[4], str) else None,
            published=from_epoch(row[5]),
            read=bool(row[6]),
            starred=bool(row[7]),
            matched=bool(row[8]),
            score=float(row[9]),  # type: ignore[arg-type]
            topics=tuple(topics.split(",")) if topics else (),
            quote_count=int(row[11]),  # type: ignore[call-overload]
            tags=tuple(clean_line(t, 80) for t in str(row[12]).split("\x1f")) if row[12] else (),
        )

    def list_articles(
        self, query: ArticleQuery | None = None, limit: int = 50, offset: int = 0
    ) -> list[ArticleRow]:
        """Articles matching `query`, newest first, undated ones last (as `article_ids`)."""
        ids = self.article_ids(query, -1 if limit < 0 else offset + limit)
        return self.rows_by_ids(ids[offset:])

    def article_ids(self, query: ArticleQuery | None = None, limit: int = -1) -> array[int]:
        """Ids of the articles matching `query`, newest first (compact, for virtual lists):
        all of them, or the first `limit`.

        Articles without a date come last: they are stored with their fetch time as their
        date (so "since:" and retention see them as new) and nothing else is stored with
        exactly that time (`articles.published_epoch`). They are few, found by their own
        index, so the list is still read in the date index's order (an ORDER BY on "undated"
        would sort every row before the first could be shown).
        """
        where, params = self.where_clause(query)
        # The undated ones first, from their index (CROSS JOIN keeps SQLite from reading
        # every matching article through another index to find them).
        undated_sql = (
            "SELECT a.id FROM (SELECT id FROM article WHERE published = fetched) AS u"
            f" CROSS JOIN article a ON a.id = u.id{where}{_NEWEST_FIRST}"
        )
        undated = array("q", (r[0] for r in self._db.execute(undated_sql, params)))
        wanted = limit + len(undated) if limit >= 0 else -1
        sql = f"SELECT a.id FROM article a{where}{_NEWEST_FIRST} LIMIT ?"
        ids: array[int] = array("q")
        cursor = self._db.execute(sql, [*params, wanted])
        while chunk := cursor.fetchmany(10_000):
            ids.extend(r[0] for r in chunk)
        if undated:
            skipped = set(undated)
            ids = array("q", (i for i in ids if i not in skipped))
            ids.extend(undated)
        return ids[:limit] if limit >= 0 else ids

    def rows_by_ids(self, article_ids: Sequence[int]) -> list[ArticleRow]:
        """Rows for the given ids, in the given order (missing ids are skipped)."""
        if not article_ids:
            return []
        sql = f"{self._ROW_SQL} WHERE a.id IN (SELECT value FROM json_each(?))"
        found = {r[0]: r for r in self._db.execute(sql, (json.dumps(list(article_ids)),))}
        return [self._row(found[i]) for i in article_ids if i in found]

    def count_articles(self, query: ArticleQuery | None = None) -> int:
        """Number of articles matching `query`."""
        where, params = self.where_clause(query)
        return int(self._db.execute(f"SELECT COUNT(*) FROM article a{where}", params).fetchone()[0])

    def topic_counts(self) -> dict[str, int]:
        """Matched articles per topic (articles rules hid left out)."""
        return {
            str(topic): int(count)
            for topic, count in self._db.execute(
                "SELECT topic, COUNT(*) FROM article_topic WHERE article_id NOT IN"
                " (SELECT id FROM article WHERE hidden=1) GROUP BY topic"
            )
        }

    def quotes_of(self, article_id: int) -> tuple[Quote, ...]:
        """An article's quotes in text order."""
        return tuple(
            _quote(r)
            for r in self._db.execute(
                f"SELECT {_QUOTE_COLUMNS} FROM quote WHERE article_id=? ORDER BY start",
                (article_id,),
            )
        )

    def quotes_by_speaker(
        self,
        key: str | None,
        topic: str | None = None,
        limit: int = 1000,
        *,
        any_first_name: bool = False,
    ) -> list[StoredQuote]:
        """Stored quotes of a person (a speaker key; None: every attributed quote), newest
        first. A person's quotes include their surname quoted alone (`speakers.person_sql`);
        `any_first_name`: a surname alone finds every full name with it (a reader's query)."""
        from natoread.core.storage.speakers import speaker_match_sql

        clauses = ["q.speaker IS NOT NULL"]
        params: list[object] = []
        if key is not None:
            clauses.append(
                speaker_match_sql(key, params, "q.speaker_key", any_first_name=any_first_name)
            )
        if topic:
            clauses.append("a.id IN (SELECT article_id FROM article_topic WHERE topic=?)")
            params.append(topic)
        return self._stored_quotes(" AND ".join(clauses), params, limit)

    def _stored_quotes(self, where: str, params: list[object], limit: int) -> list[StoredQuote]:
        """Quotes joined with their article and feed, newest first."""
        from natoread.core.storage.records import StoredQuote

        sql = (
            f"SELECT {', '.join(f'q.{field}' for field in _QUOTE_FIELDS)},"
            " a.id, a.title, COALESCE(NULLIF(f.title,''), f.url), a.published,"
            f" {_document_char('q.start - 1')}, {_document_char('q.end')}"
            " FROM quote q JOIN article a ON a.id=q.article_id JOIN feed f ON f.id=a.feed_id"
            f" WHERE {where} ORDER BY a.published DESC, q.start LIMIT ?"
        )
        return [
            StoredQuote(
                quote=_quote(r),
                article_id=r[7],
                article_title=neutralise(str(r[8])),
                feed_title=clean_line(str(r[9])),
                published=from_epoch(r[10]),
                beside=(str(r[11]), str(r[12])),
            )
            for r in self._db.execute(sql, [*params, limit])
        ]

    def quotes_for_article(self, article_id: int) -> list[StoredQuote]:
        """An article's quotes with their source and date."""
        return self._stored_quotes("q.article_id=?", [article_id], 1000)

    def speakers(self, topic: str | None = None) -> list[tuple[str, str, int]]:
        """(person key, name shown, quote count), most quoted first: a surname quoted alone
        counts for the one full name with it (`speakers.person_sql`), and is shown as the
        most common spelling of the full name ('Antony Blinken', not 'Blinken')."""
        from natoread.core.storage.speakers import persons_sql

        params: list[object] = []
        where = "q.speaker_key IS NOT NULL"
        if topic:
            where += " AND q.article_id IN (SELECT article_id FROM article_topic WHERE topic=?)"
            params.append(topic)
        rows = self._db.execute(
            "SELECT p.person, q.speaker, q.speaker_key = p.person, COUNT(*) FROM quote q"
            f" JOIN ({persons_sql()}) p ON p.key = q.speaker_key WHERE {where}"
            " GROUP BY p.person, q.speaker",
            params,
        ).fetchall()
        # person → (shown spelling, its rank, total quotes); a spelling of the person's own
        # key outranks a surname alone, then the most used, then the longest.
        merged: dict[str, tuple[str, tuple[int, int, int], int]] = {}
        for key, spelling, own, count in rows:
            rank = (int(own), count, len(spelling))
            best, best_rank, total = merged.get(key, (spelling, rank, 0))
            if rank > best_rank:
                best, best_rank = spelling, rank
            merged[key] = (best, best_rank, total + count)
        ranked = [(key, name, total) for key, (name, _, total) in merged.items()]
        return sorted(ranked, key=lambda item: (-item[2], item[1]))

    def speaker_persons(self) -> dict[str, str]:
        """Every stored speaker key → the person key the ledger lists it under."""
        from natoread.core.storage.speakers import persons_sql

        return dict(self._db.execute(persons_sql()).fetchall())

    def get_article(self, article_id: int) -> ArticleDetail | None:
        """One article with its text, analysis and stored quotes.

        An article whose quote extraction was deferred comes back with `quotes_pending`:
        `natoread.core.reading.article_detail` extracts and stores them on first read.
        """
        from natoread.core.analysis.records import Span, TopicResult, TopicScore
        from natoread.core.storage.records import ArticleDetail

        row = self._db.execute(f"{self._ROW_SQL} WHERE a.id=?", (article_id,)).fetchone()
        if row is None:
            return None
        extra = self._db.execute(
            "SELECT author, body, links, analysis, fulltext_note, quotes_done FROM article"
            " WHERE id=?",
            (article_id,),
        ).fetchone()
        article = self._row(row)
        analysis = json.loads(extra[3] or "{}")
        scores = tuple(
            TopicScore(topic=t, score=s, matched=bool(m)) for t, s, m in analysis.get("scores", [])
        )
        spans = tuple(Span(s, e, term, topic) for s, e, term, topic in analysis.get("spans", []))
        result = TopicResult(
            matched=article.matched,
            score=article.score,
            topics=article.topics,
            scores=scores,
            spans=spans,
        )
        return ArticleDetail(
            row=article,
            author=extra[0],
            body=extra[1],
            links=tuple(json.loads(extra[2] or "[]")),
            analysis=result,
            quotes=self.quotes_of(article_id),
            fulltext_note=extra[4],
            quotes_pending=not extra[5],
        )
