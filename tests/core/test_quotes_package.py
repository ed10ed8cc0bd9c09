"""The quotes package: its API, the lexicon data files, and the pinned speaker output."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
import tomllib
from importlib.resources import files
from pathlib import Path

import pytest

from natoread.core.analysis.quotes import SPEAKERS_VERSION, extract_quotes, speaker_key
from natoread.core.analysis.quotes.languages import (
    GRAMMAR_WORDS,
    load_gender_endings,
    load_grammar_words,
    load_possessive_pronouns,
)
from natoread.core.analysis.quotes.tokens import fold
from natoread.core.analysis.quotes.words import TITLES, load_lexicon

ANNOTATED = Path(__file__).parents[2] / "benchmarks" / "data" / "quotes_annotated.json"
MULTILINGUAL = ANNOTATED.with_name("quotes_multilingual.json")
LEXICON = files("natoread.core.analysis.quotes").joinpath("lexicon")

# What SPEAKERS_VERSION N attributes on the annotated set, and the keys of its gold speakers.
# If this changes, stored speakers change: bump SPEAKERS_VERSION, then pin the new digest.
# (2: speaker keys fold script and spell a surname alone as a full name's surname.)
PINNED = {
    1: "267d06411a492e4c1474cd8345b72c186ede1790a8258afa60dd3cf202641bd8",
    2: "6cf706fdba8821b076ce7cc697a2a87c02ba65eb1530920e198063eecc077ea6",
    3: "6ad8f37e951a304ba834e691d98d49feaaa45b27a56b6c9d05512015f6d4ac0b",
    # 4: unnamed sources ('an EU diplomat', 'officials'), outlets and places are no speaker
    4: "40245732d4a0b62ee13268156209e10286545314a6e2a5e30f6c9f70ad57a2c9",
    # 5: dash speech inside a paragraph, more reporting verbs and title cues per language
    5: "b03dadccf29456190f3f7ee2a9767c94f0c1aa03dffa65fb6bbf64008b13dca6",
}


# The same for the uk/ru/pl/de/fr articles (pinned from version 3, which reads names in the
# genitive after a cue, nesting, dash lines and bodies after a locative).
PINNED_MULTILINGUAL = {
    3: "a2d7bfb6dad31ab751bfff28982989c84042f836785e637de3f3c3fa9db4305d",
    4: "a2d7bfb6dad31ab751bfff28982989c84042f836785e637de3f3c3fa9db4305d",
    5: "9a3ff03f7b75953cbecae8740afe54ae0cf7bf74e32bebfb5a81361ec4c68745",
}


def _speaker_digest(path: Path) -> str:
    """The digest of what extract_quotes attributes in a set and the keys of its gold speakers."""
    articles = json.loads(path.read_text(encoding="utf-8"))["articles"]
    lines: list[str] = []
    for article in articles:
        for q in extract_quotes(article["text"]):
            lines.append(
                f"{q.start} {q.end} {q.speaker} {q.partial} {q.speaker_start} {q.speaker_end}"
            )
        for gold in article["quotes"]:
            if gold.get("speaker"):
                lines.append(f"{gold['speaker']} -> {speaker_key(gold['speaker'])}")
    return hashlib.sha256("\n".join(lines).encode()).hexdigest()


def test_speaker_output_is_pinned_to_its_version() -> None:
    """Attribution and speaker keys on fixed articles match the digest of this version."""
    assert _speaker_digest(ANNOTATED) == PINNED[SPEAKERS_VERSION]


def test_multilingual_speaker_output_is_pinned_to_its_version() -> None:
    """The same in five more languages: a change there is a change to stored speakers too."""
    assert _speaker_digest(MULTILINGUAL) == PINNED_MULTILINGUAL[SPEAKERS_VERSION]


def test_reading_the_version_loads_no_extractor() -> None:
    """The no-change pass may check SPEAKERS_VERSION without loading grammar or records."""
    code = (
        "import sys\n"
        "from natoread.core.analysis.quotes import SPEAKERS_VERSION\n"
        "heavy = ('natoread.core.analysis.quotes.extract', 'natoread.core.analysis.quotes.words',"
        " 'natoread.core.analysis.records')\n"
        "print(SPEAKERS_VERSION, [m for m in heavy if m in sys.modules])\n"
        "from natoread.core.analysis.quotes import speaker_key\n"
        "print(speaker_key('J. Stoltenberg'))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.splitlines() == [f"{SPEAKERS_VERSION} []", "stoltenberg j"]


def test_an_unknown_name_in_the_package_is_an_attribute_error() -> None:
    """The lazy exports do not swallow misspelt names."""
    import natoread.core.analysis.quotes as quotes

    with pytest.raises(AttributeError, match="speaker_keys"):
        quotes.speaker_keys  # noqa: B018


def test_every_lexicon_word_is_folded() -> None:
    """Words are compared with folded text: an accent or a capital would never match."""
    names = [entry.name for entry in LEXICON.iterdir() if entry.name.endswith(".toml")]
    assert {"en.toml", "de.toml", "fr.toml"} <= set(names)
    for name in names:
        data = tomllib.loads(LEXICON.joinpath(name).read_text(encoding="utf-8"))
        for word_class, words in data["words"].items():
            unfolded = [w for w in words if fold(w) != w or w != w.strip()]
            assert unfolded == [], f"{name} {word_class}"


def test_word_classes_are_the_union_of_the_language_files(tmp_path: Path) -> None:
    """A new language is a new file: its words join the classes of the same name."""
    (tmp_path / "aa.toml").write_text('[words]\ntitles = ["ministre"]\n', encoding="utf-8")
    (tmp_path / "bb.toml").write_text(
        '[words]\ntitles = ["minister"]\n[org_aliases]\nbloc = "EU"\n', encoding="utf-8"
    )
    (tmp_path / "notes.txt").write_text("not a lexicon file", encoding="utf-8")
    classes, tables = load_lexicon(tmp_path)
    assert classes["titles"] == {"ministre", "minister"}
    assert classes["pronouns"] == frozenset()
    assert tables["org_aliases"] == {"bloc": "EU"}
    assert "minister" in TITLES and "ministre" in TITLES  # the shipped files: en and fr


def test_a_misspelt_word_class_is_a_one_line_error(tmp_path: Path) -> None:
    """A typo in a class name would silently drop its words, so it is refused."""
    (tmp_path / "xx.toml").write_text('[words]\ntitels = ["chef"]\n', encoding="utf-8")
    with pytest.raises(ValueError, match=r"^lexicon/xx.toml: unknown word class 'titels'$"):
        load_lexicon(tmp_path)


def test_a_language_file_adds_grammar_words_possessives_and_gender_endings(tmp_path: Path) -> None:
    """The grammar's function words, possessives and gender endings come from the data files."""
    (tmp_path / "aa.toml").write_text(
        '[language]\ncode = "aa"\nscript = "latin"\npossessive_pronouns = ["sua:"]\n'
        'feminine_title_endings = ["essa"]\n[language.grammar]\nclause_words = ["e"]\n',
        encoding="utf-8",
    )
    (tmp_path / "bb.toml").write_text(
        '[language]\ncode = "bb"\nscript = "latin"\n[language.grammar]\nclause_words = ["und"]\n',
        encoding="utf-8",
    )
    assert load_grammar_words(tmp_path) == {"clause_words": frozenset({"e", "und"})}
    assert load_possessive_pronouns(tmp_path) == {"sua": ""}
    assert load_gender_endings(tmp_path) == (("essa", "title:f"),)
    assert "and" in GRAMMAR_WORDS["clause_words"]  # the shipped English file
    (tmp_path / "cc.toml").write_text('[language]\npossessive_pronouns = ["his"]\n', "utf-8")
    with pytest.raises(ValueError, match=r"^lexicon/cc.toml: bad possessive 'his'"):
        load_possessive_pronouns(tmp_path)
