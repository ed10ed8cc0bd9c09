"""The parse memo of feeds.toml: the same text gives the remembered tables, anything else a parse."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from natoread.core import toml_memo
from natoread.core.config import load_config
from natoread.core.errors import ConfigError
from natoread.core.toml_memo import parse_toml

TEXT = '[settings]\nrefresh = "10m"\n\n[[feeds]]\nurl = "https://example.org/a.xml"\ntags = ["x"]\n'


def test_the_same_text_is_taken_from_the_memo(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    memo = tmp_path / "memo"
    assert parse_toml(TEXT, memo) == tomllib.loads(TEXT)
    assert memo.exists()

    def no_parse(text: str) -> None:
        raise AssertionError("parsed again")

    monkeypatch.setattr(tomllib, "loads", no_parse)
    assert parse_toml(TEXT, memo) == {
        "settings": {"refresh": "10m"},
        "feeds": [{"url": "https://example.org/a.xml", "tags": ["x"]}],
    }
    assert list(parse_toml(TEXT, memo)) == ["settings", "feeds"]  # order kept


def test_changed_text_is_parsed_again_and_remembered(tmp_path: Path) -> None:
    memo = tmp_path / "memo"
    parse_toml(TEXT, memo)
    changed = TEXT.replace("10m", "20m")
    assert parse_toml(changed, memo)["settings"]["refresh"] == "20m"
    assert toml_memo._read(memo) is not None
    assert toml_memo._read(memo)[0][1] == changed  # type: ignore[index]


@pytest.mark.parametrize("content", [b"", b"not marshal", b"\xe9\x00\x00\x00", b"N"])
def test_a_broken_memo_is_ignored_and_replaced(tmp_path: Path, content: bytes) -> None:
    memo = tmp_path / "memo"
    memo.write_bytes(content)
    assert parse_toml(TEXT, memo) == tomllib.loads(TEXT)
    assert toml_memo._read(memo) is not None


def test_dates_are_parsed_every_time_and_no_memo_is_left(tmp_path: Path) -> None:
    memo = tmp_path / "memo"
    text = "when = 2026-12-08T01:00:00Z\n"
    assert parse_toml(text, memo) == tomllib.loads(text)
    assert list(tmp_path.iterdir()) == []


def test_a_missing_directory_keeps_no_memo(tmp_path: Path) -> None:
    assert parse_toml(TEXT, tmp_path / "absent" / "memo") == tomllib.loads(TEXT)


def test_a_data_directory_that_is_a_file_keeps_no_memo(tmp_path: Path) -> None:
    (tmp_path / "data").write_text("", encoding="utf-8")
    assert parse_toml(TEXT, tmp_path / "data" / "memo") == tomllib.loads(TEXT)


def test_a_syntax_error_names_the_place_with_or_without_a_memo(tmp_path: Path) -> None:
    config = tmp_path / "feeds.toml"
    config.write_text(TEXT + "[[feeds]\n", encoding="utf-8")
    messages = []
    for memo in (None, tmp_path / "memo"):
        with pytest.raises(ConfigError) as raised:
            load_config(config, memo)
        messages.append(str(raised.value))
    assert messages[0] == messages[1] and ": 7:8: invalid TOML" in messages[0]
    assert not (tmp_path / "memo").exists()


def test_a_config_from_the_memo_is_the_config_from_the_file(tmp_path: Path) -> None:
    config = tmp_path / "feeds.toml"
    config.write_text(TEXT, encoding="utf-8")
    memo = tmp_path / "memo"
    first, second = load_config(config, memo), load_config(config, memo)
    assert memo.exists() and first == second == load_config(config)
