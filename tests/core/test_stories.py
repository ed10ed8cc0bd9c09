"""Story clusters on a real SQLite file: wire copies merge, different events stay apart."""

from __future__ import annotations

import json
import random
import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from natoread.core.analysis import stories
from natoread.core.analysis.records import Analysis, Quote, TopicResult, TopicScore
from natoread.core.analysis.stories import (
    StoryText,
    TextCache,
    clean_lead,
    clean_title,
    same_story,
    sketch,
    stable_hash,
    story_text,
)
from natoread.core.feeds.documents import ParsedEntry
from natoread.core.storage import clustering
from natoread.core.storage.clustering import (
    Prematch,
    assign_stories,
    assign_unassigned,
    prematch_stories,
)
from natoread.core.storage.records import ArticleQuery
from natoread.core.storage.store import Store
from natoread.core.storage.stories import list_stories, story_id_of, story_of, story_quotes

NOW = datetime(2026, 11, 20, 12, tzinfo=UTC)
StoryTuple = tuple[StoryText, int, int]
PAIRS = Path(__file__).parents[2] / "benchmarks" / "data" / "story_pairs.jsonl"

TURKEY = (
    "Turkey's parliament ratifies Sweden's NATO accession",
    "Turkey's parliament voted on Tuesday evening to ratify Sweden's bid to join NATO, removing a"
    " major obstacle to the Nordic country's membership after 20 months of wrangling. The protocol"
    " passed by 287 votes to 55 and now needs President Erdogan's signature.",
)
TURKEY_UPDATE = (
    "UPDATE 2-Turkey's parliament ratifies Sweden's NATO accession, Hungary last holdout",
    "ANKARA (Reuters) - Turkey's parliament voted on Tuesday evening to ratify Sweden's bid to join"
    " NATO, removing a major obstacle to the Nordic country's membership after 20 months of"
    " wrangling. The protocol passed by 287 votes to 55 and now needs President Tayyip Erdogan's"
    " signature, leaving Hungary as the only ally yet to approve.",
)
TURKEY_AP = (
    "Turkey's parliament ratifies Sweden's NATO accession | AP News",
    "Turkey's parliament voted Tuesday evening to ratify Sweden's bid to join NATO, removing a major"
    " obstacle to the Nordic country's membership after 20 months of wrangling. The protocol passed"
    " by 287 votes to 55 and now needs President Erdogan's signature.",
)
UKRAINE_JULY = (
    "NATO leaders say Ukraine's future is in the alliance but set no timeline",
    "NATO leaders meeting in Vilnius said on Tuesday that Ukraine's future lies in the alliance and"
    " that an invitation would be extended when allies agree and conditions are met, stopping short"
    " of the timetable Kyiv had sought.",
)
UKRAINE_LATER = (
    "NATO leaders say Ukraine's future is in the alliance, foreign ministers meet in Prague",
    "NATO foreign ministers meeting in Prague said on Thursday that Ukraine's future lies in the"
    " alliance and that an invitation would be extended when allies agree, as Kyiv's envoy urged a"
    " concrete date.",
)
SLOVAKIA = (
    "Slovakia's parliament ratifies Finland's and Sweden's NATO accession",
    "Slovakia's parliament on Wednesday ratified the accession protocols of Finland and Sweden,"
    " becoming the latest ally to back the Nordic countries' membership. The vote passed with a"
    " large majority.",
)
CZECH = (
    "Czech parliament ratifies Finland's and Sweden's NATO accession",
    "The Czech parliament on Tuesday ratified the accession protocols of Finland and Sweden,"
    " becoming the latest ally to back the Nordic countries' membership. The vote passed with a"
    " large majority.",
)


class Newsroom:
    """A store with a few feeds and a helper to publish one article."""

    def __init__(self, path: Path) -> None:
        self.store = Store(path)
        urls = [
            (f"https://{name}.example/rss", name.title(), False) for name in ("wire", "ap", "bbc")
        ]
        self.feeds = self.store.sync_feeds(urls)
        self.count = 0

    def publish(
        self,
        feed: str,
        article: tuple[str, str],
        *,
        hours: float = 0,
        quotes: tuple[Quote, ...] = (),
        assign: bool = True,
        matched: bool = True,
    ) -> int:
        """Save one article `hours` after NOW (and cluster it, as the poller does)."""
        self.count += 1
        entry = ParsedEntry(
            guid=f"g{self.count}",
            link=f"https://{feed}.example/{self.count}",
            title=article[0],
            author="",
            body=article[1],
            published=NOW + timedelta(hours=hours),
        )
        verdict = (
            TopicResult(True, 2.0, ("alliance",), (TopicScore("alliance", 2.0, True),))
            if matched
            else TopicResult(False, 0.0, ())
        )
        analysis = Analysis(verdict, quotes)
        now = int((NOW + timedelta(days=30)).timestamp())
        (article_id,) = self.store.save_entries(
            self.feeds[f"https://{feed}.example/rss"], [(entry, analysis)], now=now
        ).new_ids
        if assign:
            assign_stories(self.store, [article_id])
        return article_id


@pytest.fixture
def room(tmp_path: Path) -> Iterator[Newsroom]:
    newsroom = Newsroom(tmp_path / "natoread.sqlite3")
    yield newsroom
    newsroom.store.close()


def quote_in(body: str, text: str, speaker: str | None, partial: bool = False) -> Quote:
    start = body.index(text)
    return Quote(text=text, start=start, end=start + len(text), speaker=speaker, partial=partial)


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("UPDATE 2-Turkey ratifies Sweden's bid", "Turkey ratifies Sweden's bid"),
        ("LIVE: Finland joins NATO", "Finland joins NATO"),
        ("Finland joins NATO as 31st member - Reuters", "Finland joins NATO as 31st member"),
        ("Rutte visits Kyiv | AP News", "Rutte visits Kyiv"),
        ("Live updates", "Live updates"),
        ("Russia - Ukraine", "Russia - Ukraine"),
    ],
)
def test_clean_title_drops_wire_prefixes_and_outlet_suffixes(title: str, expected: str) -> None:
    assert clean_title(title) == expected


def test_clean_lead_drops_datelines_and_cuts_at_a_word() -> None:
    assert clean_lead("BRUSSELS, March 11 (AFP) - Sweden joined.") == "Sweden joined."
    assert clean_lead("KYIV (Reuters) — Rutte arrived.") == "Rutte arrived."
    assert clean_lead("TBILISI -- Georgia said.") == "Georgia said."
    lead = clean_lead("word " * 200)
    assert len(lead) <= 400 and lead.endswith("word")


def test_a_story_texts_sketch_is_computed_once() -> None:
    text = story_text("Sweden joins NATO in Brussels", "Sweden became the 32nd member on Monday.")
    assert "keys" not in vars(text)
    assert text.keys == sketch(text) and text.keys is vars(text)["keys"]


def test_story_text_words_shingles_and_telling_shingles() -> None:
    text = story_text("Sweden’s bid: allies agree", "The vote was on Monday.")
    assert text.tokens == ("sweden", "bid", "allies", "agree", "the", "vote", "was", "on", "monday")
    assert text.shingles == {
        "sweden bid allies",
        "bid allies agree",
        "allies agree the",
        "agree the vote",
        "the vote was",
        "vote was on",
        "was on monday",
    }
    assert "telling" not in vars(text)  # only new articles need it (for their sketch)
    # At most one common word ("the", "was", "on", weekdays...) in a telling shingle.
    assert set(text.telling) == {
        "sweden bid allies",
        "bid allies agree",
        "allies agree the",
        "agree the vote",
    }
    assert text.title_words == {"sweden", "bid", "allies", "agree"}
    assert text.weekdays == {"monday"} and text.lead_words == 5
    assert text.title_key == stable_hash("sweden bid allies agree")
    assert text.vocabulary == set(text.tokens) | {"swed", "alli", "agre", "mond"}
    assert story_text("Brief", "").shingles == {"brief"}
    assert story_text("", "").shingles == frozenset()


def test_stable_hash_is_fixed_across_processes() -> None:
    assert stable_hash("sweden nato accession") == stable_hash("sweden nato accession")
    assert -(2**63) <= stable_hash("x") < 2**63
    assert stable_hash("sweden nato accession") == 1630185057357283257


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        (TURKEY, TURKEY_UPDATE, True),
        (TURKEY, TURKEY_AP, True),
        (SLOVAKIA, CZECH, False),
        (UKRAINE_JULY, UKRAINE_LATER, False),
        (TURKEY, SLOVAKIA, False),
    ],
)
def test_same_story_pairs(a: tuple[str, str], b: tuple[str, str], same: bool) -> None:
    assert same_story(story_text(*a), story_text(*b)) is same
    assert same_story(story_text(*b), story_text(*a)) is same


def test_labelled_pairs_keep_precision_and_recall() -> None:
    def text(article: dict[str, str]) -> StoryText:
        return story_text(article["title"], article["lead"])

    pairs = [json.loads(line) for line in PAIRS.read_text(encoding="utf-8").splitlines()]
    assert len(pairs) >= 120
    said = [(same_story(text(p["a"]), text(p["b"])), bool(p["same"])) for p in pairs]
    tp = sum(s and t for s, t in said)
    fp = sum(s and not t for s, t in said)
    fn = sum(t and not s for s, t in said)
    assert tp / (tp + fp) >= 0.97
    assert tp / (tp + fn) >= 0.7


def test_wire_copies_from_three_feeds_are_one_story(room: Newsroom) -> None:
    first = room.publish("wire", TURKEY)
    room.publish("ap", TURKEY_AP, hours=1)
    room.publish("bbc", TURKEY_UPDATE, hours=3)
    versions = story_of(room.store, first)
    assert [r.feed_title for r in versions] == ["Wire", "Ap", "Bbc"]
    (story,) = list_stories(room.store, min_sources=2)
    assert story.story_id == first and story.sources == 3
    assert story.title == TURKEY[0]
    assert story.feeds == ("Wire", "Ap", "Bbc")
    assert story.latest_published == NOW + timedelta(hours=3)


def test_same_topic_different_events_stay_apart(room: Newsroom) -> None:
    july = room.publish("wire", UKRAINE_JULY)
    later = room.publish("ap", UKRAINE_LATER, hours=24 * 2)
    slovakia = room.publish("wire", SLOVAKIA, hours=1)
    czech = room.publish("bbc", CZECH, hours=2)
    ids = {story_id_of(room.store, i) for i in (july, later, slovakia, czech)}
    assert len(ids) == 4
    assert list_stories(room.store, min_sources=2) == []


def test_identical_text_a_week_apart_is_another_story(room: Newsroom) -> None:
    first = room.publish("wire", TURKEY)
    again = room.publish("ap", TURKEY, hours=24 * 7)
    assert story_id_of(room.store, first) != story_id_of(room.store, again)


def test_one_feeds_boilerplate_does_not_merge_its_stories(room: Newsroom) -> None:
    boiler = (
        "Sign up for our daily briefing on NATO and European security, delivered every morning."
    )
    a = room.publish("wire", ("Sweden joins the alliance", boiler))
    b = room.publish("wire", ("Finland closes its border", boiler), hours=1)
    assert story_id_of(room.store, a) != story_id_of(room.store, b)


def test_assignment_is_incremental_and_idempotent(room: Newsroom) -> None:
    first = room.publish("wire", TURKEY, assign=False)
    second = room.publish("ap", TURKEY_AP, hours=1, assign=False)
    assert story_id_of(room.store, first) is None
    assign_stories(room.store, [second])
    assign_stories(room.store, [first])
    assign_stories(room.store, [first, second])  # already assigned: nothing changes
    assert story_id_of(room.store, first) == story_id_of(room.store, second) == second
    assert room.store.execute("SELECT COUNT(*) FROM story")[0][0] == 2
    assert (
        room.store.execute("SELECT COUNT(*) FROM sketch WHERE article_id=?", (first,))[0][0] == 12
    )


def _prematch(room: Newsroom, feed: str, article: tuple[str, str]) -> tuple[Prematch, StoryTuple]:
    """Compare `article` with the stored stories as a pass's writer does before the lock."""
    published = int((NOW + timedelta(hours=1)).timestamp())
    text = (story_text(*article), published, room.feeds[f"https://{feed}.example/rss"])
    found = prematch_stories(room.store, {0: text}, TextCache())[0]
    assert "keys" in vars(text[0])  # the sketch was computed here, before the write lock
    return found, text


def _publish_prematched(
    room: Newsroom, feed: str, article: tuple[str, str], pre: tuple[Prematch, StoryTuple]
) -> int:
    """Save `article` unclustered, then cluster it with what was compared before."""
    new = room.publish(feed, article, hours=1, assign=False)
    assign_stories(room.store, [new], TextCache(), {new: pre[1]}, {new: pre[0]})
    return new


def test_matching_before_the_lock_follows_merges_made_meanwhile(room: Newsroom) -> None:
    a = room.publish("wire", TURKEY)
    pre = _prematch(room, "ap", TURKEY_AP)
    assert pre[0][1] == [a]
    # Another writer merges a's story into an older one before this writer gets the lock.
    other = room.publish("bbc", SLOVAKIA, hours=-2)
    room.store.write(
        lambda db: db.execute("UPDATE story SET story_id=? WHERE story_id=?", (other, a))
    )
    new = _publish_prematched(room, "ap", TURKEY_AP, pre)
    assert story_id_of(room.store, new) == story_id_of(room.store, a) == other


def test_matching_before_the_lock_sees_what_was_saved_after_it(room: Newsroom) -> None:
    pre = _prematch(room, "ap", TURKEY_AP)
    assert pre[0][1] == []
    wire = room.publish("wire", TURKEY)  # saved by another writer after the comparison
    new = _publish_prematched(room, "ap", TURKEY_AP, pre)
    assert story_id_of(room.store, new) == story_id_of(room.store, wire)


def test_an_article_matching_two_stories_merges_them(room: Newsroom) -> None:
    a = room.publish("wire", TURKEY)
    b = room.publish("ap", TURKEY_AP, hours=1, assign=False)
    text = story_text(*TURKEY_AP)
    published = int((NOW + timedelta(hours=1)).timestamp())

    def separate_story(db: sqlite3.Connection) -> None:
        db.execute("INSERT INTO story VALUES (?, ?, NULL, ?)", (b, b, published))
        db.executemany(
            "INSERT INTO sketch VALUES (?, ?, ?)", [(k, b, published) for k in sketch(text)]
        )

    room.store.write(separate_story)
    assert story_id_of(room.store, a) == a and story_id_of(room.store, b) == b
    c = room.publish("bbc", TURKEY_UPDATE, hours=2)
    assert story_id_of(room.store, a) == story_id_of(room.store, b) == story_id_of(room.store, c)
    assert story_id_of(room.store, c) == a


def test_assign_unassigned_backfills_old_articles(room: Newsroom) -> None:
    room.publish("wire", TURKEY, assign=False)
    room.publish("ap", TURKEY_AP, hours=1, assign=False)
    room.publish("bbc", SLOVAKIA, hours=2, assign=False)
    room.publish(
        "bbc", ("Weather: rain all week", "Rain is expected."), hours=3, assign=False, matched=False
    )
    assert assign_unassigned(room.store, batch=2) == 3
    assert assign_unassigned(room.store) == 0
    assert [s.sources for s in list_stories(room.store)] == [1, 2]


def test_list_stories_filters_by_article_query(room: Newsroom) -> None:
    room.publish("wire", TURKEY)
    room.publish("ap", TURKEY_AP, hours=1)
    room.publish("bbc", SLOVAKIA, hours=2)
    by_bbc = list_stories(room.store, query=ArticleQuery(feed="https://bbc.example/rss"))
    assert [s.title for s in by_bbc] == [SLOVAKIA[0]]
    by_ap = list_stories(room.store, query=ArticleQuery(feed="Ap"))
    assert by_ap[0].sources == 2 and len(by_ap[0].article_ids) == 2


def test_pruned_articles_leave_their_story(room: Newsroom) -> None:
    first = room.publish("wire", TURKEY)
    room.publish("ap", TURKEY_AP, hours=1)
    room.store.write(lambda db: db.execute("DELETE FROM article WHERE id=?", (first,)))
    assert room.store.execute("SELECT COUNT(*) FROM sketch WHERE article_id=?", (first,)) == [(0,)]
    (story,) = list_stories(room.store)
    assert story.sources == 1 and story.feeds == ("Ap",)


def test_a_quote_credited_to_different_people_is_not_merged_under_one_name(
    room: Newsroom,
) -> None:
    said = "The accession talks were constructive and we look forward to the next step"
    body_a = TURKEY[1] + f" “{said},” said Matteo Virtanen, the foreign minister."
    body_b = TURKEY_AP[1] + f" “{said},” said Katarzyna Vargha."
    body_c = TURKEY_UPDATE[1] + f" “{said},” an official said."
    a = room.publish(
        "wire", (TURKEY[0], body_a), quotes=(quote_in(body_a, said, "Matteo Virtanen"),)
    )
    room.publish("ap", (TURKEY_AP[0], body_b), hours=1, quotes=(quote_in(body_b, said, "Vargha"),))
    room.publish("bbc", (TURKEY_UPDATE[0], body_c), hours=2, quotes=(quote_in(body_c, said, None),))
    story = story_id_of(room.store, a)
    assert story is not None
    merged = story_quotes(room.store, story)
    assert sorted((m.speaker, len(m.sources)) for m in merged) == [
        ("Matteo Virtanen", 2),  # with the unattributed version
        ("Vargha", 1),
    ]


def test_story_quotes_are_merged_across_outlets(room: Newsroom) -> None:
    said = "This is a good day for the alliance and for Sweden"
    body_a = TURKEY[1] + f" “{said},” said NATO Secretary General Mark Rutte."
    body_b = TURKEY_AP[1] + f' "{said.upper()}," Rutte said. "Sweden will make us stronger."'
    body_c = TURKEY_UPDATE[1] + " Rutte said it was “a good day for the alliance and for Sweden”."
    a = room.publish("wire", (TURKEY[0], body_a), quotes=(quote_in(body_a, said, "Mark Rutte"),))
    room.publish(
        "ap",
        (TURKEY_AP[0], body_b),
        hours=1,
        quotes=(
            quote_in(body_b, said.upper(), "Rutte"),
            quote_in(body_b, "Sweden will make us stronger.", "Rutte"),
        ),
    )
    room.publish(
        "bbc",
        (TURKEY_UPDATE[0], body_c),
        hours=2,
        quotes=(quote_in(body_c, "a good day for the alliance and for Sweden", "Rutte", True),),
    )
    story = story_id_of(room.store, a)
    assert story is not None
    merged = story_quotes(room.store, story)
    assert [m.text for m in merged] == [said, "Sweden will make us stronger."]
    assert [s.feed_title for s in merged[0].sources] == ["Wire", "Ap", "Bbc"]
    assert merged[0].speaker in ("Mark Rutte", "Rutte") and not merged[0].partial
    assert [s.feed_title for s in merged[1].sources] == ["Ap"]


def _varied_article(rng: random.Random, n: int) -> tuple[str, str]:
    """An alliance story from a small vocabulary: many articles share some shingles."""
    places = ["Sweden", "Finland", "Turkey", "Hungary", "Ukraine", "Poland"]
    verbs = ["ratifies", "backs", "delays", "blocks", "welcomes"]
    title = f"{rng.choice(places)} {rng.choice(verbs)} {rng.choice(places)} NATO bid {n % 7}"
    words = [rng.choice(places + verbs + ["the", "accession", "vote", "allies", "summit"])]
    words += [rng.choice(places + verbs + ["protocol", "parliament", "talks"]) for _ in range(30)]
    return title, " ".join(words) + "."


def test_recent_rows_give_the_same_candidates_as_the_key_index(room: Newsroom) -> None:
    """Under the write lock, candidates saved after the watermark come from `_Recent`: for
    every watermark they must be exactly `_candidates`' (the per-key limit included)."""
    rng = random.Random(7)
    hot = "NATO allies meet in Brussels to discuss the accession protocol of the Nordic states"
    for n in range(60):  # one lead shared by more articles than a key's row limit
        room.publish("wire", (f"Allies meet on enlargement round {n}", hot), hours=n % 40)
    for n in range(90):
        feed = ("wire", "ap", "bbc")[n % 3]
        room.publish(feed, _varied_article(rng, n), hours=rng.uniform(-120, 200))
    same_title = "Parliament votes on the accession protocol again"
    for n in range(25):  # more articles with one title than the title lookup returns
        room.publish("ap", (same_title, _varied_article(rng, n)[1]), hours=rng.uniform(0, 30))
    room.publish("ap", TURKEY, hours=3)
    room.publish("bbc", TURKEY_UPDATE, hours=4)
    stored = {
        int(r[0]): ((str(r[1]), str(r[2])), int(r[3]))
        for r in room.store.execute("SELECT id, title, body, published FROM article")
    }
    articles = [_varied_article(rng, n) for n in range(25)]
    articles += [("Allies meet on enlargement round 99", hot), TURKEY_AP, (same_title, "Votes.")]
    probes = [(a, int((NOW + timedelta(hours=n % 50)).timestamp())) for n, a in enumerate(articles)]
    top = max(stored)
    assert (
        room.store.execute("SELECT MAX(c) FROM (SELECT COUNT(*) c FROM sketch GROUP BY key)")[0][0]
        > stories.HOT_KEY_ROWS
    )

    def compare(db: sqlite3.Connection) -> int:
        compared = 0
        for after in (0, 10, 40, 75, 120, 150, top - 5, top):
            # Loaded at this watermark, or at a lower one (another article's) and filtered.
            recent, everything = clustering._Recent.load(db, after), clustering._Recent.load(db, 0)
            assert recent is not None and everything is not None
            # The article at the watermark itself is left out, however close it is.
            for article, published in [*probes, stored[after]] if after else probes:
                text = story_text(*article)
                for article_id in (10**9, after + 1):
                    expected = clustering._candidates(db, article_id, text, published, after)
                    assert recent.candidates(article_id, text, published, after) == expected
                    assert everything.candidates(article_id, text, published, after) == expected
                    compared += bool(expected)
        return compared

    assert room.store.read(compare) > 50  # most comparisons found candidates


def test_too_many_recent_rows_fall_back_to_the_key_index(
    room: Newsroom, monkeypatch: pytest.MonkeyPatch
) -> None:
    room.publish("wire", SLOVAKIA)
    pre = _prematch(room, "ap", TURKEY_AP)
    assert pre[0][1] == []
    wire = room.publish("wire", TURKEY)  # saved after the comparison: 12 recent sketch rows
    watermark = pre[0][0]
    assert room.store.read(lambda db: clustering._Recent.load(db, watermark)) is not None
    monkeypatch.setattr(clustering, "RECENT_ROWS", 11)
    assert room.store.read(lambda db: clustering._Recent.load(db, watermark)) is None
    new = _publish_prematched(room, "ap", TURKEY_AP, pre)  # through the key index
    assert story_id_of(room.store, new) == story_id_of(room.store, wire)
