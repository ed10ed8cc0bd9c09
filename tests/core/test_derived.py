"""Versioned derived data on a real SQLite file: outputs pinned, a new version re-derives.

The golden values pin what heuristic code stores (content hash, speaker keys, story title keys
and sketches): a change to any of them must come with a new version constant, which makes the
next poll pass re-derive the stored values (`polling/derived.py`).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from natoread.core.analysis.analyser import Analyser
from natoread.core.analysis.quotes import SPEAKERS_VERSION, speaker_key
from natoread.core.analysis.stories import STORIES_VERSION, sketch, story_text
from natoread.core.config import parse_config
from natoread.core.feeds.documents import ParsedEntry
from natoread.core.polling.derived import derivations, stale, sync_derived
from natoread.core.polling.plan import sync_topics
from natoread.core.storage.clustering import assign_stories
from natoread.core.storage.store import Store
from natoread.core.text.normalise import CONTENT_HASH_VERSION, content_hash

NOW = datetime(2026, 11, 20, 12, tzinfo=UTC)
TITLE = "NATO allies agree to raise defence spending target"
BODY = (
    "BRUSSELS (Reuters) - NATO allies agreed on Wednesday to raise their defence spending"
    " target to 5% of GDP after a summit in The Hague. “We are ready,” Stubb said."
)


def test_content_hash_is_pinned() -> None:
    assert CONTENT_HASH_VERSION == 1  # a new value below needs a new version
    assert content_hash("NATO  Summit", "Allies\n\n AGREE ") == "5eda6275811a2c41"
    assert content_hash("Zelensky’s plea — “more air defence”", "Kyiv…") == "915dbe2067599f01"
    assert content_hash("Éire et Ärger", "naïve café") == "da87feacd97872bc"
    assert content_hash("", "") == "da39a3ee5e6b4b0d"


def test_speaker_keys_are_pinned() -> None:
    assert SPEAKERS_VERSION == 5
    names = ["Mark Rutte", "Rutte", "Jens Stoltenberg", "Recep Tayyip Erdoğan", "Марк Рютте"]
    keys = ["rute m", "rute", "stoltenberg j", "erdogan r", "rute m"]
    assert [speaker_key(n) for n in names] == keys
    assert speaker_key("Ursula von der Leyen") == "ursula von der leyen"


def test_story_keys_and_sketches_are_pinned() -> None:
    assert STORIES_VERSION == 1
    wire = story_text(f"UPDATE 2-{TITLE} - Reuters", BODY)
    assert wire.title == TITLE
    assert wire.title_key == 2598199995648555519
    assert sketch(wire)[:3] == [-8927301970637518043, -8025783166449420400, -4849998351099211444]
    assert sketch(wire)[-1] == 2889578579715204057 and len(sketch(wire)) == 12
    short = story_text(
        "Finland joins NATO as 31st member", "Finland became the 31st member of the alliance."
    )
    assert short.title_key == 7185992244532143983
    assert sketch(short)[::4] == [-5112753907725307644, 1816846550568842183, 6673192922966014854]


@pytest.fixture
def analyser() -> Analyser:
    return Analyser(parse_config({}, "test.toml").topics)


@pytest.fixture
def store(tmp_path: Path, analyser: Analyser) -> Iterator[Store]:
    """Two feeds carrying one wire story (with a quote), clustered, under current versions."""
    with Store(tmp_path / "natoread.sqlite3") as db:
        assert sync_topics(db, analyser) == 0  # a new store: versions recorded, no work
        ids: list[int] = []
        for n, url in enumerate(("https://a.example/rss", "https://b.example/rss")):
            feed_id = db.sync_feeds([(url, f"Feed {n}", False)])[url]
            item = ParsedEntry(f"g{n}", f"{url}/{n}", TITLE, "", BODY, NOW + timedelta(hours=n))
            saved = db.save_entries(
                feed_id,
                [(item, analyser(TITLE, BODY))],
                now=int(NOW.timestamp()) + 7200,
                rules_hash=analyser.rules_hash,
            )
            ids += saved.new_ids
        assign_stories(db, ids)
        assert sync_topics(db, analyser) == 0  # made under current versions: no work
        yield db


def test_a_fresh_store_records_every_version_without_work(store: Store, analyser: Analyser) -> None:
    items = derivations(analyser)
    assert {i.key: store.get_meta(i.key) for i in items} == {
        "version:content_hash": str(CONTENT_HASH_VERSION),
        "rules_hash": analyser.rules_hash,
        "version:speakers": str(SPEAKERS_VERSION),
        "version:stories": str(STORIES_VERSION),
    }
    reports: list[tuple[int, int]] = []
    assert stale(store, items) == []
    assert sync_derived(store, items, lambda *r: reports.append(r)) == 0 and reports == []


def test_a_new_content_hash_version_rehashes_every_article(
    store: Store, analyser: Analyser
) -> None:
    store.execute("UPDATE article SET content_hash='made-by-old-rules'")
    store.set_meta("version:content_hash", "0")
    reports: list[tuple[int, int]] = []
    assert sync_topics(store, analyser, lambda *r: reports.append(r)) == 2
    assert reports == [(2, 2)]
    assert store.execute("SELECT DISTINCT content_hash FROM article") == [
        (content_hash(TITLE, BODY),)
    ]
    assert store.get_meta("version:content_hash") == str(CONTENT_HASH_VERSION)
    assert sync_topics(store, analyser) == 0  # recorded: the next pass does nothing


def test_a_new_speakers_version_extracts_stored_quotes_again(
    store: Store, analyser: Analyser
) -> None:
    store.execute("UPDATE quote SET speaker='Someone Else', speaker_key='else s'")
    store.set_meta("version:speakers", "0")
    assert sync_topics(store, analyser) == 2
    assert store.execute("SELECT DISTINCT speaker, speaker_key FROM quote") == [
        ("Stubb", speaker_key("Stubb"))
    ]
    assert store.execute("SELECT quote_count FROM article") == [(1,), (1,)]


def test_a_new_stories_version_clusters_again(store: Store, analyser: Analyser) -> None:
    one_story = store.execute("SELECT story_id, title_key FROM story ORDER BY article_id")
    assert len({row[0] for row in one_story}) == 1
    store.execute("UPDATE story SET story_id=article_id, title_key=1")
    store.execute("DELETE FROM sketch")
    store.set_meta("version:stories", "0")
    assert sync_topics(store, analyser) == 2
    assert store.execute("SELECT story_id, title_key FROM story ORDER BY article_id") == one_story
    assert store.execute("SELECT COUNT(*) FROM sketch")[0][0] == 2 * len(
        sketch(story_text(TITLE, BODY))
    )
    assert store.get_meta("version:stories") == str(STORIES_VERSION)


def test_a_store_made_before_versions_were_kept_is_brought_up_to_date(
    store: Store, analyser: Analyser
) -> None:
    """Articles but no recorded versions: the outputs were made by the first version of each
    heuristic, so whatever changed since (the speakers) is re-derived; the rest is not."""
    for key in ("version:content_hash", "version:speakers", "version:stories"):
        store.execute("DELETE FROM meta WHERE key=?", (key,))
    assert [item.name for item in stale(store, derivations(analyser))] == (
        ["speakers"] if SPEAKERS_VERSION != 1 else []
    )
    sync_topics(store, analyser)
    assert store.get_meta("version:speakers") == str(SPEAKERS_VERSION)
    assert stale(store, derivations(analyser)) == []
