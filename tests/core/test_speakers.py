"""One person, one key: speaker keys fold case, accents and script, a surname alone joins the
one full name the store has for it, and the ledger, `quotes --speaker` and `speaker:` agree."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from natoread.core.analysis.quotes import speaker_key
from natoread.core.analysis.quotes.names import fold_name, transliterate
from natoread.core.analysis.records import Analysis, Quote, TopicResult
from natoread.core.feeds.documents import ParsedEntry
from natoread.core.paths import DB_NAME
from natoread.core.storage.records import StoredQuote
from natoread.core.storage.search import search
from natoread.core.storage.speakers import query_key
from natoread.core.storage.store import Store
from natoread.ui.screens.ledger import matches
from tests import feedgen
from tests.conftest import natoread_env, write_config

NOW = datetime(2026, 11, 20, 12, tzinfo=UTC)
NATOREAD = str(Path(sys.executable).parent / "natoread")

# (article, speaker as the extractor stored it): one person printed several ways, and a
# surname two people share.
QUOTED = [
    ("rutte-full", "Mark Rutte"),
    ("rutte-full-2", "Mark Rutte"),
    ("rutte-alone", "Rutte"),
    ("rutte-cyrillic", "Рютте"),
    ("rutte-cyrillic-full", "Марк Рютте"),
    ("szijjarto-full", "Peter Szijjarto"),
    ("szijjarto-accents", "Szijjártó"),
    ("szijjarto-accents-2", "Szijjártó"),
    ("szijjarto-russian", "Сийярто"),
    ("szijjarto-ukrainian", "Петер Сіярто"),
    ("tusk-donald", "Donald Tusk"),
    ("tusk-jan", "Jan Tusk"),
    ("tusk-alone", "Tusk"),
    ("kremlin", "the Kremlin"),
]
RUTTE = {"rutte-full", "rutte-full-2", "rutte-alone", "rutte-cyrillic", "rutte-cyrillic-full"}
SZIJJARTO = {
    "szijjarto-full",
    "szijjarto-accents",
    "szijjarto-accents-2",
    "szijjarto-russian",
    "szijjarto-ukrainian",
}


@pytest.mark.parametrize(
    ("variants", "key"),
    [
        (["Mark Rutte", "Марк Рютте", "MARK RUTTE"], "rute m"),
        (["Rutte", "RUTTE", "Рютте", "Рютте"], "rute"),
        (["Szijjártó", "Szijjarto", "SZIJJÁRTÓ", "Сийярто", "Сіярто"], "sijarto"),
        (["Péter Szijjártó", "Peter Szijjarto", "Петер Сийярто"], "sijarto p"),
        (["Zelenskyy", "Zelenskiy", "Зеленський", "Зеленский", "Selenskyj"], "selenski"),
        (["Andrii Sybiha", "Андрій Сибіга", "Андрей Сибига"], "sibiga a"),
        (["Dmitry Peskov", "Дмитрий Песков", "Dmitri Peskow"], "peskov d"),
    ],
)
def test_variants_of_one_name_share_a_key(variants: list[str], key: str) -> None:
    assert {speaker_key(v) for v in variants} == {key}


def test_a_name_typed_in_lower_case_is_read_as_a_name() -> None:
    assert query_key("rutte") == query_key("Rutte") == "rute"
    assert query_key("mark rutte") == "rute m"
    assert speaker_key("officials") == "officials"  # a lower-case word is no surname


@pytest.mark.parametrize(
    ("variants", "key"),
    [
        (["MFA", "the Ministry of Foreign Affairs", "МЗС", "МИД", "MSZ"], "foreign ministry"),
        (["Ukraine's MFA", "Ukraine’s Ministry of Foreign Affairs"], "ukraine foreign ministry"),
        (["Міністерство закордонних справ", "Министерство иностранных дел"], "foreign ministry"),
        (["MoD", "Ministry of Defence", "the Defense Ministry"], "defence ministry"),
        (["the Kremlin", "Кремль"], "kremlin"),
    ],
)
def test_a_body_s_abbreviation_and_full_name_share_a_key(variants: list[str], key: str) -> None:
    assert {speaker_key(v) for v in variants} == {key}


def test_an_abbreviation_counts_only_in_capitals() -> None:
    assert speaker_key("Mid") == "mid"
    assert speaker_key("a mid-level official") == "mid-level official"


def test_different_people_keep_different_keys() -> None:
    assert speaker_key("Donald Tusk") != speaker_key("Jan Tusk")
    assert speaker_key("Mark Rutte") != speaker_key("Mark Rubio")
    assert speaker_key("the Kremlin") == "kremlin"


def test_transliteration_reads_ukrainian_and_russian_letters() -> None:
    """г is h in a Ukrainian word (one with і ї є ґ) and g in a Russian one; capitals kept."""
    assert transliterate("Андрій Сибіга") == "Andriy Sybiha"
    assert transliterate("Сергей Рябков") == "Sergey Ryabkov"
    assert transliterate("Stubb «said»") == "Stubb «said»"
    assert fold_name("Szijjártó") == "szijjarto"


class Ledger:
    """QUOTED in a real store file, one article each."""

    def __init__(self, path: Path) -> None:
        self.store = Store(path)
        feed = self.store.sync_feeds([("https://wire.example/rss", "Wire", False)])
        self.ids: dict[str, int] = {}
        for hours, (name, speaker) in enumerate(QUOTED):
            body = f"“We stand together,” {speaker} said."
            quote = Quote("We stand together,", 1, 19, speaker, False)
            entry = ParsedEntry(
                guid=name,
                link=f"https://wire.example/{name}",
                title=f"Story {name}",
                author="",
                body=body,
                published=NOW - timedelta(hours=hours),
            )
            analysis = Analysis(TopicResult(False, 0.0, (), ()), (quote,))
            saved = self.store.save_entries(
                feed["https://wire.example/rss"], [(entry, analysis)], now=int(NOW.timestamp())
            )
            self.ids[name] = saved.new_ids[0]
        self.names = {v: k for k, v in self.ids.items()}

    def ledger(self) -> dict[str, tuple[str, int]]:
        """The ledger's speakers: person key → (name shown, quote count)."""
        return {key: (name, count) for key, name, count in self.store.speakers()}

    def ledger_articles(self, person: str) -> set[str]:
        return {self.names[q.article_id] for q in self.store.quotes_by_speaker(person)}

    def cli_store_articles(self, name: str) -> set[str]:
        """What `quotes --speaker NAME` reads (cmd_quotes)."""
        found = self.store.quotes_by_speaker(query_key(name), any_first_name=True)
        return {self.names[q.article_id] for q in found}

    def search_articles(self, query: str) -> set[str]:
        result = search(self.store, query, now=NOW.timestamp())
        assert result.error is None, result.error
        return {self.names[i] for i in result.ids}


@pytest.fixture(scope="module")
def ledger(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Ledger]:
    built = Ledger(tmp_path_factory.mktemp("speakers") / DB_NAME)
    yield built
    built.store.close()


def test_the_ledger_lists_one_person_once(ledger: Ledger) -> None:
    listed = ledger.ledger()
    assert listed["rute m"] == ("Mark Rutte", 5)  # the surname alone, in either script, joins
    # Shown by the full name, though the surname alone is printed more often.
    assert listed["sijarto p"] == ("Peter Szijjarto", 5)
    # Two full names share "Tusk": the surname alone cannot be given to either.
    assert {k: c for k, (_, c) in listed.items() if "tusk" in k} == {
        "tusk d": 1,
        "tusk j": 1,
        "tusk": 1,
    }
    assert sum(count for _, count in listed.values()) == len(QUOTED)
    assert len(ledger.store.speaker_persons()) == 8  # every stored key, merged or not


@pytest.mark.parametrize(
    ("name", "person", "expected"),
    [
        ("Rutte", "rute m", RUTTE),
        ("rutte", "rute m", RUTTE),
        ("Рютте", "rute m", RUTTE),
        ("Mark Rutte", "rute m", RUTTE),
        ("Szijjarto", "sijarto p", SZIJJARTO),
        ("szijjártó", "sijarto p", SZIJJARTO),
        ("Сийярто", "sijarto p", SZIJJARTO),
        ("Péter Szijjártó", "sijarto p", SZIJJARTO),
    ],
)
def test_ledger_quotes_and_search_agree(
    ledger: Ledger, name: str, person: str, expected: set[str]
) -> None:
    assert ledger.ledger_articles(person) == expected
    assert ledger.cli_store_articles(name) == expected
    query = f'speaker:"{name}"' if " " in name else f"speaker:{name}"
    assert ledger.search_articles(query) == expected


def test_an_ambiguous_surname_finds_everyone_with_it_but_the_ledger_keeps_them_apart(
    ledger: Ledger,
) -> None:
    tusks = {"tusk-donald", "tusk-jan", "tusk-alone"}
    assert ledger.cli_store_articles("Tusk") == tusks == ledger.search_articles("speaker:tusk")
    assert ledger.ledger_articles("tusk") == {"tusk-alone"}
    assert ledger.ledger_articles("tusk d") == {"tusk-donald"}
    assert ledger.search_articles('speaker:"Donald Tusk"') == {"tusk-donald"}


def test_a_body_is_matched_whole(ledger: Ledger) -> None:
    assert ledger.cli_store_articles("Kremlin") == {"kremlin"}
    assert ledger.cli_store_articles("the Kremlin") == {"kremlin"}
    assert ledger.cli_store_articles("Krem") == set()


def test_the_ledger_filter_ignores_accents_and_script() -> None:
    def said_by(speaker: str) -> StoredQuote:
        return StoredQuote(Quote("We stand together", 0, 17, speaker, False), 1, "t", "f", NOW)

    assert matches(said_by("Szijjártó"), "szijjarto")
    assert matches(said_by("Рютте"), "ryutte")
    assert matches(said_by("Mark Rutte"), "rutte")
    assert not matches(said_by("Mark Rutte"), "szijjarto")


def test_the_command_reads_the_same_quotes(ledger: Ledger, tmp_path: Path) -> None:
    """The installed `natoread quotes --speaker` on the same store file."""
    data = ledger.store.path.parent
    config = write_config(tmp_path, feedgen.config_toml(["https://wire.example/rss"]))
    command = ["--config", str(config), "--data-dir", str(data), "quotes", "--speaker", "Рютте"]
    found = subprocess.run(
        [NATOREAD, *command, "--json"],
        capture_output=True,
        text=True,
        timeout=120,
        env=natoread_env(),
        check=True,
    )
    assert {ledger.names[q["article_id"]] for q in json.loads(found.stdout)} == RUTTE
